"""Writing outputs so nothing is lost: atomically, never over an input, never by surprise.

A report is written to a temporary file in the destination folder, flushed to disk, then
moved into place in one step. Without `force` the move is a hard link, which fails if the
name exists, so even two runs racing cannot overwrite each other's report.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputError


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_destination(path: Path, *, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Refuse before any work is done: an input as output, a folder, or an existing file."""
    for source in inputs:
        if _same_file(path, source) or path.resolve() == source.resolve():
            raise OutputError(
                f"Refusing to write {path}: it is one of the input exports; choose another name."
            )
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name for the output.")
    if path.exists() and not force:
        raise OutputError(
            f"{path} already exists; choose another name or add --force to replace it."
        )
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"The folder {parent} does not exist; create it first.")


def write_atomic(
    path: Path, data: bytes | Iterable[bytes], *, force: bool, inputs: Iterable[Path] = ()
) -> str:
    """Write `data` to `path` atomically and return its SHA-256.

    `data` is the bytes, or an iterable of byte chunks (a large table is written as it is
    produced, never held whole); the hash is taken as the chunks are written.
    """
    inputs = list(inputs)
    check_destination(path, force=force, inputs=inputs)
    parent = path.parent if str(path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=parent)
    tmp = Path(tmp_name)
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in [data] if isinstance(data, bytes) else data:
                handle.write(chunk)
                digest.update(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise OutputError(
                    f"{path} already exists; choose another name or add --force to replace it."
                ) from None
            tmp.unlink()
        _fsync_dir(parent)
    except OSError as exc:
        raise OutputError(f"Cannot write {path} ({exc.strerror}); check the folder.") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return digest.hexdigest()


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
