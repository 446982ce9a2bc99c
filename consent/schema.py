"""What a register file is: its tables, their upgrades, and the marks that identify it.

Kept apart from `register` (which opens the file and works with it) because a schema step, once
shipped, is never edited: new releases only add steps, and `open` runs whatever is missing.
SQLite errors are left to the caller, which knows the file and words them.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from . import audit, chain
from .actor import os_account
from .clock import Clock, to_iso
from .errors import RegisterBroken, RegisterError
from .head import Head, empty_head, head_path

APPLICATION_ID = 0x43525631  # "CRV1": marks the file as a chat-review register

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
    # 2: the audit chain is keyed (see `chain`); the consent's date order is cached beside it.
    """
    ALTER TABLE consents ADD COLUMN date_order TEXT;
    ALTER TABLE consents ADD COLUMN date_order_rule TEXT;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

COLUMNS = (
    "id, parent, chat_name, purpose, export_name, export_sha256, window_from, window_to, "
    "recorded_by, recorded_at, expires_at, evidence, revoked_at, revoked_by, revoked_reason, "
    "date_order, date_order_rule"
)



def meta(conn: sqlite3.Connection, key: str) -> str | None:
    """A value of the meta table (the register's id, where its keyed chain starts)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def migrate(conn: sqlite3.Connection, path: Path, home: Path, key: bytes,
            clock: Clock) -> Head | None:
    """Bring the schema up to SCHEMA_VERSION in one transaction; return a head to write.

    A file that is not a register, or is newer or older than it may be, is refused in words;
    an SQLite error is raised as it is, for `Register.open` to word.
    """
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION and app_id == APPLICATION_ID:
        return None
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
        if version == SCHEMA_VERSION and app_id == APPLICATION_ID:
            conn.execute("COMMIT")  # another process made or upgraded it meanwhile
            return None
        if version >= 1 and head_path(home).exists():
            raise RegisterBroken(audit.sentence(
                "the register file is from an older release, but this home was upgraded "
                "already (the file was replaced by an older copy)"))
        for step in range(version, SCHEMA_VERSION):
            for statement in _statements(MIGRATIONS[step]):
                conn.execute(statement)
        if version == 0:
            register_id = uuid.uuid4().hex
            conn.execute("INSERT INTO meta (key, value) VALUES ('register_id', ?)",
                         (register_id,))
            conn.execute("INSERT INTO meta (key, value) VALUES ('keyed_from', '1')")
            head: Head | None = empty_head(register_id)
        else:
            head = _key_the_chain(conn, home, key, clock, from_schema=version)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
        return head
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _key_the_chain(conn: sqlite3.Connection, home: Path, key: bytes, clock: Clock, *,
                   from_schema: int) -> Head:
    """Upgrade a previous release's log: verify its SHA-256 chain and seal once, then continue
    it as a keyed chain whose first entry (the upgrade, itself MAC'd) binds the old last hash."""
    legacy = conn.execute(
        "SELECT id, at, event, consent_id, actor, detail, prev_hash, hash FROM audit ORDER BY id"
    ).fetchall()
    count, last, problem = chain.verify_legacy(legacy, meta(conn, "audit_head"), key)
    if problem:
        raise RegisterBroken(
            f"The register from the previous release has a broken audit log ({problem}), so it "
            "was not upgraded; keep it as evidence and restore a backup (see SECURITY.md).")
    register_id = meta(conn, "register_id") or ""
    ch = audit.Chain(home, key, register_id)
    ch.pending = Head(register_id, count + 1, count, last)  # the verified legacy tail
    audit.append(conn, ch, at=to_iso(clock()), event=audit.UPGRADE_EVENT, actor=os_account(),
                 detail={"from_schema": from_schema, "to_schema": SCHEMA_VERSION,
                         "legacy_entries": count, "legacy_head": last})
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('keyed_from', ?)",
                 (str(count + 1),))
    assert ch.pending is not None
    return ch.pending


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
