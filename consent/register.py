"""The consent register: one SQLite file in the tool's home, plus its secret key.

WAL journalling and a generous busy timeout let several commands run at once without
failing or losing rows; every change and its audit row are written in one transaction, so a
crash (even SIGKILL) leaves either both or neither.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import audit
from .clock import Clock, to_iso, utc_now
from .errors import RegisterError
from .home import ensure_home
from .key import create_key, key_path, load_key
from .records import ConsentRecord

DB_FILE = "register.sqlite3"
APPLICATION_ID = 0x43525631  # "CRV1": marks the file as a chat-review register
BUSY_TIMEOUT_MS = 30_000

# Each entry migrates the schema from version i to i + 1. Never edit a shipped step: add one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE consents (
        id INTEGER PRIMARY KEY,
        parent TEXT NOT NULL,
        chat_name TEXT,
        purpose TEXT NOT NULL,
        export_name TEXT NOT NULL,
        export_sha256 TEXT NOT NULL,
        window_from TEXT,
        window_to TEXT,
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        evidence TEXT,
        revoked_at TEXT,
        revoked_by TEXT,
        revoked_reason TEXT
    );
    CREATE INDEX consents_sha256 ON consents (export_sha256);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        event TEXT NOT NULL,
        consent_id INTEGER,
        actor TEXT,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

_COLUMNS = (
    "id, parent, chat_name, purpose, export_name, export_sha256, window_from, window_to, "
    "recorded_by, recorded_at, expires_at, evidence, revoked_at, revoked_by, revoked_reason"
)


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

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, home: Path, *, create: bool = True, clock: Clock = utc_now) -> Register:
        """Open (and with `create`, first make) the register in `home`."""
        path = db_path(home)
        if not path.exists():
            if not create:
                raise RegisterError(
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
        conn = _connect(path)
        try:
            _migrate(conn, path)
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
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def now_iso(self) -> str:
        return to_iso(self.clock())

    def log(self, event: str, *, consent_id: int | None = None, actor: str | None = None,
            detail: dict[str, Any] | None = None) -> audit.AuditRow:
        """Append one audit row in its own transaction."""
        with self.write() as conn:
            return audit.append(conn, self.key, at=self.now_iso(), event=event,
                                consent_id=consent_id, actor=actor, detail=detail)

    # -- consent records ---------------------------------------------------------------

    def get(self, consent_id: int) -> ConsentRecord | None:
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM consents WHERE id = ?", (consent_id,)
        ).fetchone()
        return ConsentRecord(*row) if row else None

    def all(self) -> list[ConsentRecord]:
        return [ConsentRecord(*r) for r in self.conn.execute(
            f"SELECT {_COLUMNS} FROM consents ORDER BY id")]

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None


def _is_new(path: Path) -> bool:
    return path.stat().st_size == 0


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
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


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to SCHEMA_VERSION, one step per transaction-safe migration."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION and app_id == APPLICATION_ID:
            return
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
                raise RegisterError(
                    f"{path} is an SQLite file but not a chat-review register; "
                    "point --home at the folder that holds the school's register."
                )
            if version > SCHEMA_VERSION:
                raise RegisterError(
                    f"The consent register {path} was written by a newer chat-review "
                    f"(schema {version}); upgrade chat-review to use it."
                )
            for step in range(version, SCHEMA_VERSION):
                for statement in _statements(MIGRATIONS[step]):
                    conn.execute(statement)
            if version == 0:
                conn.execute("INSERT INTO meta (key, value) VALUES ('register_id', ?)",
                             (uuid.uuid4().hex,))
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, exc) from exc


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers keep their inner semicolons)."""
    out: list[str] = []
    buf = ""
    for part in script.split(";"):
        buf += part + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \n;"):
                out.append(buf.strip())
            buf = ""
    return out
