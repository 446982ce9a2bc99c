"""A consistent copy of the register while others write to it (SQLite's online backup)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from . import audit
from .errors import RegisterError
from .register import Register


def backup_register(home: Path, destination: Path, *, force: bool = False) -> int:
    """Copy the register to `destination` atomically (mode 0600); return the consent count."""
    if destination.exists() and not force:
        raise RegisterError(
            f"{destination} already exists; choose another name or add --force to replace it."
        )
    parent = destination.parent if str(destination.parent) else Path(".")
    if not parent.is_dir():
        raise RegisterError(f"The folder {parent} does not exist; create it first.")
    with Register.open(home, create=False) as register:
        register.require_intact()  # a tampered register is kept as evidence, not copied on
        fd, tmp_name = tempfile.mkstemp(prefix=f".{destination.name}.", dir=parent)
        os.close(fd)
        try:
            target = sqlite3.connect(tmp_name)
            try:
                register.conn.backup(target)
                result = audit.verify(target, register.key)  # the copy, without a head
                count = target.execute("SELECT count(*) FROM consents").fetchone()[0]
            finally:
                target.close()
            if not result.ok:
                raise RegisterError(
                    f"The register's audit log is broken at entry {result.broken_row} "
                    f"({result.problem}); the backup was not written."
                )
            os.chmod(tmp_name, 0o600)
            os.replace(tmp_name, destination)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
        register.log("register-backup", detail={"path": str(destination), "consents": count})
    return count
