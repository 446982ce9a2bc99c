"""Writing outputs so nothing is lost: atomically, never over evidence, never by surprise.

A report is written to a temporary `.partial` file in the destination folder, flushed to
disk, logged (the caller's `before_rename`, so no complete output ever has a final name
without its audit entry), then moved into place in one step. Without `force` the move is a
hard link, which fails if the name exists, so even two runs racing cannot overwrite each
other's report (where links are not supported, an exclusive create claims the name first).
A `.partial` left by a killed run is swept by the next write into that folder (a live writer
holds a lock on its own, so only orphans are removed). Even with `force`, an
input, the register and its files, a consented export and anything not a regular file are
refused (see `chat_review.consent.protect`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from chat_review.consent.durable import fsync_dir

from .errors import OutputError

PARTIAL_GRACE_SECONDS = 5


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_destination(path: Path, *, force: bool, inputs: Iterable[Path] = (),
                      home: Path | None = None) -> None:
    """Refuse before any work is done: an input or evidence as output, a folder, a pipe or
    device, or an existing file without `force`. `home` is the register's folder."""
    from chat_review.consent.protect import protected_reason

    for source in inputs:
        if _same_file(path, source) or path.resolve() == source.resolve():
            raise OutputError(
                f"Refusing to write {path}: it is one of the input exports; choose another name."
            )
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name for the output.")
    reason = protected_reason(home, path)
    if reason is not None:
        raise OutputError(
            f"Refusing to write {path}: {reason}, and it is never replaced, even with --force; "
            "choose another name."
        )
    if path.exists() and not force:
        raise OutputError(
            f"{path} already exists; choose another name or add --force to replace it."
        )
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"The folder {parent} does not exist; create it first.")


def write_atomic(
    path: Path, data: bytes | Iterable[bytes], *, force: bool, inputs: Iterable[Path] = (),
    home: Path | None = None, before_rename: Callable[[str], None] | None = None,
) -> str:
    """Write `data` to `path` atomically and return its SHA-256.

    `data` is the bytes, or an iterable of byte chunks (a large table is written as it is
    produced, never held whole); the hash is taken as the chunks are written.
    `before_rename(sha256)` runs once the bytes are on disk under a temporary name and before
    they get the final one (the pipeline logs the output there). `home` is the register's
    folder, whose files are never replaced.
    """
    inputs = list(inputs)
    check_destination(path, force=force, inputs=inputs, home=home)
    parent = path.parent if str(path.parent) else Path(".")
    sweep_partials(parent)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=parent)
    tmp = Path(tmp_name)
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as handle:
            _lock(handle.fileno())
            for chunk in [data] if isinstance(data, bytes) else data:
                handle.write(chunk)
                digest.update(chunk)
            handle.flush()
            os.fsync(handle.fileno())
            with contextlib.suppress(OSError):  # mkstemp made it 0600; FAT cannot chmod
                os.chmod(tmp, 0o600)
            if before_rename is not None:
                before_rename(digest.hexdigest())
            _move_into_place(tmp, path, force=force)
        fsync_dir(parent)
    except OSError as exc:
        raise OutputError(f"Cannot write {path} ({exc.strerror}); check the folder.") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return digest.hexdigest()


def _move_into_place(tmp: Path, path: Path, *, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise _exists_error(path) from None
    except OSError:  # no hard links here (EPERM/ENOTSUP on FAT, EXDEV...): claim, then move
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise _exists_error(path) from None
        try:
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                path.unlink()  # our empty claim, not someone's file
            raise
        return
    tmp.unlink()


def _exists_error(path: Path) -> OutputError:
    return OutputError(f"{path} already exists; choose another name or add --force to replace it.")


def _lock(fd: int) -> bool:
    """An exclusive lock on an open `.partial`: held while its writer lives."""
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except (ImportError, OSError):
        return False


def sweep_partials(folder: Path) -> list[Path]:
    """Remove `.partial` files in `folder` whose writer is gone (killed mid-write)."""
    removed = []
    try:
        candidates = [p for p in folder.iterdir()
                      if p.name.startswith(".") and p.name.endswith(".partial")]
    except OSError:
        return removed
    now = time.time()
    for candidate in candidates:
        try:
            if now - candidate.lstat().st_mtime < PARTIAL_GRACE_SECONDS:
                continue  # its writer may not hold its lock yet
            fd = os.open(candidate, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            if _lock(fd):
                candidate.unlink()
                removed.append(candidate)
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed
