"""Opening an export safely: a regular file only, checked before it is opened for reading.

A FIFO would block the first `open` for ever and a device (`/dev/zero`) would be read until
memory runs out, so the path is `stat`-ed first and opened non-blocking; the open file is
checked again, so nothing swapped in between is read either.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import RegisterError
from .upload import ExportUpload

MAX_EXPORT_BYTES = 2 * 1024**3  # 2 GiB: a chat with media; the chat text itself is far smaller


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refuse(path: Path, mode: int) -> RegisterError:
    return RegisterError(
        f"The export {path} is {_kind(mode)}, not a file; give the .txt or .zip file "
        "WhatsApp exported."
    )


def require_regular(path: Path | ExportUpload) -> None:
    """Refuse at once anything but a regular file (following symlinks), without opening it."""
    if isinstance(path, ExportUpload):
        return
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise RegisterError(f"Cannot read the export {path} ({exc.strerror}).") from exc
    if not stat.S_ISREG(mode):
        raise _refuse(path, mode)


def export_bytes(export: Path | ExportUpload) -> bytes:
    """An export's bytes: a regular file read once, or an upload already in memory."""
    if isinstance(export, ExportUpload):
        if len(export.data) > MAX_EXPORT_BYTES:
            raise RegisterError(
                f"The export {export.name} is {len(export.data) / 1024**3:.1f} GiB, larger than "
                "chat-review reads; export the chat again 'without media'."
            )
        return export.data
    return read_regular(export)


def read_regular(path: Path, *, limit: int | None = None) -> bytes:
    """The file's bytes in one read; refuses non-regular files and files over `limit`."""
    limit = MAX_EXPORT_BYTES if limit is None else limit
    require_regular(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise RegisterError(f"Cannot read the export {path} ({exc.strerror}).") from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(path, info.st_mode)
        if info.st_size > limit:
            raise RegisterError(
                f"The export {path.name} is {info.st_size / 1024**3:.1f} GiB, larger than "
                "chat-review reads; export the chat again 'without media'."
            )
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise RegisterError(f"Cannot read the export {path} ({exc.strerror}).") from exc
    if len(data) > limit:
        raise RegisterError(f"The export {path.name} grew while it was read; try again.")
    return data
