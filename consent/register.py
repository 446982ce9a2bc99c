"""The consent register: one SQLite file in the tool's home, plus its secret key and head.

WAL journalling and a generous busy timeout let several commands run at once without
failing or losing rows; every change and its audit row are written in one transaction, so a
crash (even SIGKILL) leaves either both or neither.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import audit, state
from .actor import os_account, with_stated
from .clock import Clock, to_iso, utc_now
from .errors import RegisterBroken, RegisterError, RegisterMissing
from .head import advance_head, empty_head, head_path, write_head
from .home import ensure_home
from .key import create_key, key_path, load_key
from .records import ConsentRecord
from .schema import COLUMNS, SCHEMA_VERSION, meta, migrate
from .storage import set_journal_mode

# SCHEMA_VERSION stays importable from here, where callers have always found it.
__all__ = ["DB_FILE", "SCHEMA_VERSION", "Register", "db_path", "register_exists"]

DB_FILE = "register.sqlite3"
BUSY_TIMEOUT_MS = 30_000


def db_path(home: Path) -> Path:
    return home / DB_FILE


def register_exists(home: Path) -> bool:
    return db_path(home).is_file()


class Register:
    """An open register. Use `Register.open(home)`; close it (or use `with`)."""

    def __init__(self, home: Path, conn: sqlite3.Connection, key: bytes, clock: Clock) -> None:
        self.home = home
        self.conn = conn
        self.key = key
        self.clock = clock
        self.register_id = self._meta("register_id") or ""
        self.chain = audit.Chain(home, key, self.register_id)

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, home: Path, *, create: bool = True, clock: Clock = utc_now) -> Register:
        """Open (and with `create`, first make) the register in `home`."""
        path = db_path(home)
        if (not path.exists() or _is_new(path)) and head_path(home).exists():
            raise RegisterBroken(audit.sentence(
                f"the register file {path} is missing or empty, but the head file beside the "
                "key shows the register existed (it was deleted or replaced)"))
        if not path.exists():
            if not create:
                raise RegisterMissing(
                    f"There is no consent register in {home}; record a consent first with "
                    "`chat-review consent grant`, or point --home at the school's register."
                )
            ensure_home(home)
            with contextlib.suppress(FileExistsError):
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        if key_path(home).exists():
            key = load_key(home)
        elif create and _is_new(path):
            key = create_key(home)
        else:
            key = load_key(home)  # raises: the register exists but its key is gone
        _check_private(home, path)
        conn = _connect(path)
        try:
            set_journal_mode(conn, home)  # WAL, or a rollback journal on a network share
            try:
                new_head = migrate(conn, path, home, key, clock)
            except sqlite3.DatabaseError as exc:
                if "readonly" in str(exc):
                    raise _unwritable(home, exc) from exc
                raise _damaged(path, exc) from exc
            if new_head is not None:
                write_head(home, key, new_head)
            elif not head_path(home).exists() and _is_empty(conn):
                # made, but stopped before its head was written: nothing was ever recorded
                write_head(home, key, empty_head(meta(conn, "register_id") or ""))
        except BaseException:
            conn.close()
            raise
        return cls(home, conn, key, clock)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ------------------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front so concurrent writers queue, not fail."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise RegisterError(
                f"The consent register in {self.home} is busy or locked ({exc}); "
                "wait a moment and run the command again."
            ) from exc
        self.chain.pending = None
        try:
            yield self.conn
        except sqlite3.OperationalError as exc:
            self.chain.pending = None
            self.conn.execute("ROLLBACK")
            if "readonly" in str(exc):
                raise _unwritable(self.home, exc) from exc
            raise
        except BaseException:
            self.chain.pending = None
            self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self.chain.pending = None
            self.conn.execute("ROLLBACK")
            raise _unwritable(self.home, exc) from exc
        head, self.chain.pending = self.chain.pending, None
        if head is not None:
            advance_head(self.home, self.key, head)

    def now_iso(self) -> str:
        return to_iso(self.clock())

    def append(self, conn: sqlite3.Connection, event: str, *, consent_id: int | None = None,
               stated_by: str | None = None, detail: dict[str, Any] | None = None,
               at: str | None = None) -> audit.AuditRow:
        """Append one entry inside a transaction of `write()`; the actor is the OS account."""
        return audit.append(conn, self.chain, at=at or self.now_iso(), event=event,
                            consent_id=consent_id, actor=os_account(),
                            detail=with_stated(detail, stated_by))

    def log(self, event: str, *, consent_id: int | None = None, stated_by: str | None = None,
            detail: dict[str, Any] | None = None) -> audit.AuditRow:
        """Append one audit entry in its own transaction."""
        with self.write() as conn:
            return self.append(conn, event, consent_id=consent_id, stated_by=stated_by,
                               detail=detail)

    # -- integrity ---------------------------------------------------------------------

    def verify(self) -> audit.VerifyResult:
        """The whole chain against the head file, then every consent against its events."""
        with self._snapshot():
            try:
                head = self.chain.head()
            except RegisterBroken as exc:
                return audit.VerifyResult(False, 0, None, audit.problem_of(exc))
            result = audit.verify(self.conn, self.key, head)
            if not result.ok:
                return result
            try:
                problem = state.cache_problem(
                    self.conn, state.derive(self.conn, self.register_id))
            except RegisterBroken as exc:
                problem = audit.problem_of(exc)
        return result if problem is None else audit.VerifyResult(False, result.rows, None,
                                                                  problem)

    def require_intact(self) -> None:
        """Raise RegisterBroken (exit 4) unless the whole chain and its head verify."""
        with self._snapshot():
            result = audit.verify(self.conn, self.key, self.chain.head())
        if not result.ok:
            raise RegisterBroken(audit.sentence(result.problem or "unknown problem"))

    def consents(self, consent_id: int | None = None) -> dict[int, ConsentRecord]:
        """Consents as their MAC'd events define them, after verifying the whole chain (one
        read snapshot, so nothing changes between the check and the reading)."""
        with self._snapshot():
            self.require_intact()
            records = state.derive(self.conn, self.register_id, consent_id)
            problem = state.cache_problem(self.conn, records, consent_id)
        if problem:
            raise RegisterBroken(audit.sentence(problem))
        return records

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[None]:
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")

    # -- consent records ---------------------------------------------------------------

    def get(self, consent_id: int) -> ConsentRecord | None:
        """The cached row (not the truth: see `consents()`)."""
        row = self.conn.execute(
            f"SELECT {COLUMNS} FROM consents WHERE id = ?", (consent_id,)
        ).fetchone()
        return ConsentRecord(*row) if row else None

    def all(self) -> list[ConsentRecord]:
        return [ConsentRecord(*r) for r in self.conn.execute(
            f"SELECT {COLUMNS} FROM consents ORDER BY id")]

    def _meta(self, key: str) -> str | None:
        return meta(self.conn, key)


def _is_new(path: Path) -> bool:
    return path.stat().st_size == 0


def _is_empty(conn: sqlite3.Connection) -> bool:
    return conn.execute(
        "SELECT (SELECT count(*) FROM audit) + (SELECT count(*) FROM consents)").fetchone()[0] == 0


def _check_private(home: Path, path: Path) -> None:
    """Like the key: a register others can read, or a home others can write to, is refused."""
    if os.name != "posix":
        return
    for target, mask, fix in ((home, 0o022, 700), (path, 0o077, 600)):
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except OSError:
            continue
        if mode & mask:
            who = "changed" if target == home else "read"
            raise RegisterError(
                f"{target} can be {who} by other users (mode {mode:o}); "
                f"run `chmod {fix} {target}` and try again."
            )


def _unwritable(home: Path, exc: Exception) -> RegisterError:
    return RegisterError(
        f"The consent register in {home} cannot be written ({exc}); check that the folder and "
        "register.sqlite3 are yours and writable, then run the command again."
    )


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        # bytes that are not UTF-8 (written behind chat-review's back) must fail verification,
        # not crash every command that reads the log
        conn.text_factory = lambda raw: raw.decode("utf-8", "surrogateescape")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        return conn
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, exc) from exc


def _damaged(path: Path, exc: Exception) -> RegisterError:
    return RegisterError(
        f"The consent register {path} is damaged or is not a chat-review register ({exc}); "
        "restore it from a backup made with `chat-review register backup` (see README, 'Recovery')."
    )
