"""A report checked against the log: was this exact file written under a consent?

Every output chat-review writes is logged (path and SHA-256) in a MAC'd entry before it gets
its final name. A report handed to a parent, governor or tribunal can therefore be checked:
its SHA-256 must be in an `output-written` entry of a log that verifies.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import audit
from .errors import RegisterError
from .files import require_regular
from .register import Register


def file_sha256(path: Path) -> str:
    require_regular(path)
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
    except OSError as exc:
        raise RegisterError(f"Cannot read {path} ({exc.strerror}).") from exc
    return digest.hexdigest()


def find_report(register: Register, path: Path) -> audit.AuditRow | None:
    """The `output-written` entry for this file's bytes (the caller verified the chain)."""
    digest = file_sha256(path)
    found = register.conn.execute(
        "SELECT id FROM audit WHERE event = 'output-written' "
        "AND json_extract(detail, '$.sha256') = ? ORDER BY id LIMIT 1", (digest,)).fetchone()
    return audit.row(register.conn, found[0]) if found else None
