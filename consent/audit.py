"""The audit log: append-only, hash-chained, its head sealed with the register key.

Each row stores the SHA-256 of (previous row's hash + this row's canonical form). Editing a
row breaks its own hash; deleting a row breaks the next row's link; deleting the last rows is
caught by the head seal (an HMAC of the last id and hash, kept in `meta`). Rows never hold
message text: only events, ids, file names and digests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: str
    event: str
    consent_id: int | None
    actor: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "event": self.event,
            "consent_id": self.consent_id,
            "actor": self.actor,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows: int
    broken_row: int | None = None
    problem: str | None = None


def canonical(
    row_id: int, at: str, event: str, consent_id: int | None, actor: str | None, detail_json: str
) -> bytes:
    return json.dumps(
        [row_id, at, event, consent_id, actor, detail_json],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def chain_hash(prev_hash: str, body: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + body).hexdigest()


def _seal(key: bytes, row_id: int, row_hash: str) -> str:
    return hmac.new(key, f"{row_id}:{row_hash}".encode("ascii"), hashlib.sha256).hexdigest()


def append(
    conn: sqlite3.Connection,
    key: bytes,
    *,
    at: str,
    event: str,
    consent_id: int | None = None,
    actor: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditRow:
    """Append one row. The caller holds a write transaction (BEGIN IMMEDIATE)."""
    last = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    row_id, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    detail_json = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)
    row_hash = chain_hash(prev, canonical(row_id, at, event, consent_id, actor, detail_json))
    conn.execute(
        "INSERT INTO audit (id, at, event, consent_id, actor, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (row_id, at, event, consent_id, actor, detail_json, prev, row_hash),
    )
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (f"{row_id}:{row_hash}:{_seal(key, row_id, row_hash)}",),
    )
    return AuditRow(row_id, at, event, consent_id, actor, detail or {}, prev, row_hash)


def rows(conn: sqlite3.Connection, *, limit: int | None = None) -> list[AuditRow]:
    """Rows in order; with `limit`, the most recent `limit` rows (still oldest first)."""
    sql = "SELECT id, at, event, consent_id, actor, detail, prev_hash, hash FROM audit"
    if limit is not None:
        sql = f"SELECT * FROM ({sql} ORDER BY id DESC LIMIT {int(limit)}) ORDER BY id"
    else:
        sql += " ORDER BY id"
    out = []
    for r in conn.execute(sql):
        try:
            detail = json.loads(r[5]) if r[5] else {}
        except json.JSONDecodeError:
            detail = {"unreadable": r[5]}
        out.append(AuditRow(r[0], r[1], r[2], r[3], r[4], detail, r[6], r[7]))
    return out


def verify(conn: sqlite3.Connection, key: bytes) -> VerifyResult:
    """Walk the chain from the first row; report the first row that does not hold."""
    prev = GENESIS
    expected_id = 1
    count = 0
    sql = "SELECT id, at, event, consent_id, actor, detail, prev_hash, hash FROM audit ORDER BY id"
    for row_id, at, event, consent_id, actor, detail_json, prev_hash, row_hash in conn.execute(sql):
        if row_id != expected_id:
            return VerifyResult(
                False, count, expected_id,
                f"row {expected_id} is missing (the log jumps from row {expected_id - 1} "
                f"to row {row_id})",
            )
        if prev_hash != prev:
            return VerifyResult(
                False, count, row_id,
                f"row {row_id} does not link to the row before it "
                "(a row before it was changed or deleted)",
            )
        body = canonical(row_id, at, event, consent_id, actor, detail_json or "")
        if chain_hash(prev, body) != row_hash:
            return VerifyResult(
                False, count, row_id, f"row {row_id} was changed after it was written"
            )
        prev = row_hash
        expected_id += 1
        count += 1
    head = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    if count == 0 and head is None:
        return VerifyResult(True, 0)
    if head is None:
        return VerifyResult(False, count, count, "the log's seal is missing")
    try:
        head_id_text, head_hash, head_seal = head[0].split(":")
        head_id = int(head_id_text)
    except ValueError:
        return VerifyResult(False, count, count, "the log's seal is damaged")
    if not hmac.compare_digest(_seal(key, head_id, head_hash), head_seal):
        return VerifyResult(False, count, head_id, "the log's seal was altered")
    if head_id != count or head_hash != prev:
        if head_id > count:
            return VerifyResult(
                False, count, count + 1,
                f"rows {count + 1} to {head_id} were deleted from the end of the log",
            )
        return VerifyResult(False, count, head_id, "the log's seal does not match its last row")
    return VerifyResult(True, count)
