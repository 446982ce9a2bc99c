"""Files an output may never replace, even with --force: the evidence and the register.

The register, its key, head, WAL/shared-memory/journal files and lock; any backup of the
register made by `register backup` (found in the log); any file whose SHA-256 is an export a
parent consented to; and anything that is not a regular file (a FIFO, a device, a folder).
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

REGISTER_FILES = ("register.sqlite3", "register.sqlite3-wal", "register.sqlite3-shm",
                  "register.sqlite3-journal", "register.key", "register.head",
                  ".register.head.lock")


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def protected_reason(home: Path | None, path: Path) -> str | None:
    """Why `path` must never be written over, or None. Cheap unless the file exists."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        return f"it cannot be examined ({exc.strerror})"
    if info is not None and not stat.S_ISREG(info.st_mode):
        return "it is not a regular file (a folder, pipe or device)"
    if home is None:
        return None
    for name in REGISTER_FILES:
        candidate = home / name
        if path.resolve() == candidate.resolve() or (info and _same(path, candidate)):
            return "it is part of the consent register"
    if path.resolve().parent == home.resolve() and path.name.startswith("register.sqlite3."):
        return "it is a register kept after a restore"
    if info is None or not (home / "register.sqlite3").is_file():
        return None
    return _evidence_reason(home, path)


def _evidence_reason(home: Path, path: Path) -> str | None:
    """A register backup, or a consented export (checked against the register's own records)."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{home / 'register.sqlite3'}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error:
        return None
    try:
        backups = [r[0] for r in conn.execute(
            "SELECT json_extract(detail, '$.path') FROM audit WHERE event = 'register-backup'")]
        digests = {r[0]: r[1] for r in conn.execute(
            "SELECT json_extract(detail, '$.record.export_sha256'), consent_id FROM audit "
            "WHERE event = 'consent-granted' UNION ALL "
            "SELECT export_sha256, id FROM consents")}
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    if any(b and (Path(b).resolve() == path.resolve() or _same(Path(b), path)) for b in backups):
        return "it is a backup of the consent register"
    digest = _sha256(path)
    if digest in digests:
        return f"it is the export a parent consented to (consent #{digests[digest]})"
    return None
