"""Recovering a register, with the key, and logged: a backup restored, a far-ahead clock reset.

Both need the key (they write MAC'd entries and the head), so an attacker who cannot read it
cannot use them to launder a tampered register; both leave an entry saying what they replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import audit, state
from .clock import from_iso, to_iso, utc_now
from .date_words import uk_time
from .errors import RegisterBroken, RegisterError
from .files import require_regular
from .head import Head, HeadProblem, head_lock, read_head, write_head
from .key import load_key
from .register import Register, db_path
from .schema import APPLICATION_ID, SCHEMA_VERSION


def clock_reset(register: Register, *, stated_by: str | None = None) -> tuple[str, str]:
    """Log that the clock was wrong when the latest entries were written; return (latest, now).

    Later readings compare the clock only with entries from this one on (see the gate).
    """
    from .gate import CLOCK_CORRECTED, CLOCK_TOLERANCE, latest_event_at

    register.require_intact()
    latest = latest_event_at(register)
    now = register.clock()
    if not latest or from_iso(latest) <= now + CLOCK_TOLERANCE:
        raise RegisterError(
            "The register's latest entry is not ahead of this computer's clock "
            f"({uk_time(now)}), so there is nothing to reset; check the clock instead."
        )
    register.log(CLOCK_CORRECTED, stated_by=stated_by,
                 detail={"latest_entry_at": latest, "clock_now": to_iso(now)})
    return latest, to_iso(now)


@dataclass(frozen=True)
class Restored:
    entries: int
    consents: int
    kept_as: Path | None
    superseded: str


def _backup_facts(backup: Path, key: bytes) -> tuple[str, Head, int]:
    """(register id, head of its log, consent count) of a backup whose whole log verifies."""
    require_regular(backup)
    try:
        conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise RegisterError(f"{backup} cannot be opened as a register backup ({exc}).") from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID or version != SCHEMA_VERSION:
            raise RegisterError(
                f"{backup} is not a backup of this release's register (made by "
                "`chat-review register backup`); restore it by hand (see SECURITY.md).")
        register_id = conn.execute(
            "SELECT value FROM meta WHERE key = 'register_id'").fetchone()[0]
        result = audit.verify(conn, key)
        if not result.ok:
            raise RegisterBroken(f"The backup {backup} does not verify with this register's key "
                                 f"({result.problem}); it was not restored.")
        records = state.derive(conn, register_id)
        problem = state.cache_problem(conn, records)
        if problem:
            raise RegisterBroken(f"The backup {backup} does not verify ({problem}); it was not "
                                 "restored.")
        last = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        keyed_from = int(conn.execute(
            "SELECT value FROM meta WHERE key = 'keyed_from'").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise RegisterError(f"{backup} is damaged or not a register backup ({exc}).") from exc
    finally:
        conn.close()
    count, mac = (last[0], last[1]) if last else (0, audit.GENESIS)
    return register_id, Head(register_id, keyed_from, count, mac), len(records)


def restore(home: Path, backup: Path, *, stated_by: str | None = None) -> Restored:
    """Put a verified backup in place of the register; keep the replaced file as evidence."""
    key = load_key(home)
    register_id, head, consents = _backup_facts(backup, key)
    try:
        old_head = read_head(home, key)
        superseded = f"{old_head.count} entries" if old_head else "no head file"
        if old_head is not None and old_head.register_id != register_id:
            raise RegisterError(f"{backup} is a backup of another register; it was not "
                                "restored.")
    except HeadProblem as exc:
        superseded = f"unreadable head ({exc})"
    stamp = to_iso(utc_now()).replace(":", "").replace("+0000", "Z")
    kept: Path | None = None
    with head_lock(home):
        target = db_path(home)
        fd, tmp = tempfile.mkstemp(prefix=".register.restore.", dir=home)
        try:
            with os.fdopen(fd, "wb") as out, open(backup, "rb") as src:
                shutil.copyfileobj(src, out)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o600)
            if target.exists():
                kept = home / f"register.sqlite3.replaced-{stamp}"
                for suffix in ("", "-wal", "-shm"):
                    old = Path(str(target) + suffix)
                    if old.exists():
                        os.replace(old, Path(str(kept) + suffix))
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        write_head(home, key, head)
    with Register.open(home, create=False) as register:
        register.log("register-restored", stated_by=stated_by, detail={
            "backup": str(backup.resolve()), "backup_sha256": _sha256(backup),
            "entries": head.count, "superseded": superseded,
            "kept_as": str(kept) if kept else None})
    return Restored(head.count, consents, kept, superseded)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
