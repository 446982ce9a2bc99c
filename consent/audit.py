"""The audit log: append-only, every entry MAC'd with the register key and chained to the last.

An entry's MAC covers its content and the previous entry's MAC (see `chain`), so nothing can be
written, edited, re-chained or removed from the middle without the key. Removing entries from
the end, or rolling the database file back, is caught by the head kept outside the database
(see `head`). Before every append the tail being extended is checked against that head, so a
tampered log is never extended; `verify` walks the whole chain. Entries never hold message
text: only events, ids, file names and digests.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import chain
from .chain import GENESIS
from .errors import RegisterBroken
from .head import Head, HeadProblem, empty_head, read_head

HEAD_SLACK = 16  # entries a head may trail the log by (a crash between commit and head write)
_SELECT = "SELECT id, at, event, consent_id, actor, detail, prev_hash, hash FROM audit"
UPGRADE_EVENT = "register-upgraded"


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: str
    event: str
    consent_id: int | None
    actor: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str  # the entry's MAC (the previous release's entries: their SHA-256)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "at": self.at, "event": self.event, "consent_id": self.consent_id,
            "actor": self.actor, "detail": self.detail, "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows: int
    broken_row: int | None = None
    problem: str | None = None


@dataclass
class Chain:
    """What appending and verifying need: the home (for the head), the key and the register."""

    home: Path
    key: bytes
    register_id: str
    ckey: bytes = field(init=False, repr=False)
    pending: Head | None = None  # the head to write once the transaction commits

    def __post_init__(self) -> None:
        self.ckey = chain.chain_key(self.key)

    def head(self) -> Head:
        """The verified head; a missing or forged head is a broken register."""
        try:
            found = read_head(self.home, self.key)
        except HeadProblem as exc:
            raise RegisterBroken(sentence(str(exc))) from None
        if found is None:
            raise RegisterBroken(sentence(f"the head file {self.home / 'register.head'} "
                                           "is missing"))
        if found.register_id != self.register_id:
            raise RegisterBroken(sentence("the head file belongs to another register"))
        return found


def sentence(problem: str) -> str:
    return (f"The register's audit log does not verify: {problem}; nothing was read or logged — "
            "keep these files as evidence, run `chat-review audit verify` and restore the "
            "register from a backup (see SECURITY.md, 'Recovery').")


def problem_of(exc: Exception) -> str:
    """The problem named inside a `sentence`."""
    text = str(exc)
    return text.split(": ", 1)[-1].split("; nothing was read", 1)[0]


def check_tail(conn: sqlite3.Connection, ch: Chain) -> tuple[int, str, int]:
    """Check the end of the log against the head before extending it: (last id, MAC, keyed from).

    Cheap (a few entries): catches truncation, a rolled-back or wiped file, entries removed from
    the middle (ids must be dense and the last entry's MAC covers its id) and a forged tail.
    """
    head = ch.head()
    count, last_id = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM audit").fetchone()
    if count != last_id:
        raise RegisterBroken(sentence(f"{last_id - count} entries are missing from the log"))
    if last_id < head.count:
        raise RegisterBroken(sentence(
            f"entries {last_id + 1} to {head.count} were removed from the end of the log "
            "(or the register file was replaced by an older copy)"))
    if last_id - head.count > HEAD_SLACK:
        raise RegisterBroken(sentence("the head file is older than the log "
                                       "(it was replaced by an older copy)"))
    start = max(head.count, head.keyed_from)
    prev = head.last_mac if head.count else GENESIS
    rows = conn.execute(_SELECT + " WHERE id >= ? ORDER BY id", (start,)).fetchall()
    for row_id, at, event, consent_id, actor, detail, prev_hash, mac in rows:
        body = chain.body(row_id, at, event, consent_id, actor, detail)
        if row_id > head.count and prev_hash != prev:
            raise RegisterBroken(sentence(f"entry {row_id} does not link to the entry before it"))
        if not chain.macs_equal(chain.row_mac(ch.ckey, prev_hash, body), mac):
            raise RegisterBroken(sentence(f"entry {row_id} was changed after it was written"))
        if row_id == head.count and not chain.macs_equal(mac, head.last_mac):
            raise RegisterBroken(sentence(f"entry {row_id} is not the entry the head names"))
        prev = mac
    return last_id, (prev if last_id else GENESIS), head.keyed_from


def append(conn: sqlite3.Connection, ch: Chain, *, at: str, event: str,
           consent_id: int | None = None, actor: str | None = None,
           detail: dict[str, Any] | None = None) -> AuditRow:
    """Append one entry. The caller holds a write transaction (BEGIN IMMEDIATE)."""
    if ch.pending is not None:
        last_id, prev, keyed_from = ch.pending.count, ch.pending.last_mac, ch.pending.keyed_from
    else:
        last_id, prev, keyed_from = check_tail(conn, ch)
    row_id = last_id + 1
    detail_json = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)
    mac = chain.row_mac(ch.ckey, prev, chain.body(row_id, at, event, consent_id, actor,
                                                  detail_json))
    conn.execute(
        "INSERT INTO audit (id, at, event, consent_id, actor, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (row_id, at, event, consent_id, actor, detail_json, prev, mac),
    )
    ch.pending = Head(ch.register_id, keyed_from, row_id, mac)
    return AuditRow(row_id, at, event, consent_id, actor, detail or {}, prev, mac)


def _row(r: tuple) -> AuditRow:
    try:
        detail = json.loads(r[5]) if r[5] else {}
    except json.JSONDecodeError:
        detail = {"unreadable": r[5]}
    return AuditRow(r[0], r[1], r[2], r[3], r[4], detail, r[6], r[7])


def rows(conn: sqlite3.Connection, *, limit: int | None = None) -> list[AuditRow]:
    """Rows in order; with `limit`, the most recent `limit` rows (still oldest first)."""
    if limit is not None:
        sql = f"SELECT * FROM ({_SELECT} ORDER BY id DESC LIMIT {int(limit)}) ORDER BY id"
    else:
        sql = _SELECT + " ORDER BY id"
    return [_row(r) for r in conn.execute(sql)]


def row(conn: sqlite3.Connection, row_id: int) -> AuditRow | None:
    found = conn.execute(_SELECT + " WHERE id = ?", (row_id,)).fetchone()
    return _row(found) if found else None


def verify(conn: sqlite3.Connection, key: bytes, head: Head | None = None) -> VerifyResult:
    """Walk the whole chain; report the first entry that does not hold, then check the head.

    Without a `head` (a copy of a register, e.g. a backup) only the chain itself is checked.
    """
    ckey = chain.chain_key(key)
    keyed_from = head.keyed_from if head else _keyed_from(conn)
    prev, count, head_mac = GENESIS, 0, None
    legacy = conn.execute(_SELECT + " WHERE id < ? ORDER BY id", (keyed_from,)).fetchall()
    seen, prev, problem = chain.verify_legacy(legacy, None, key) if legacy else (0, GENESIS, None)
    if problem and problem != "the log's seal is missing":
        return VerifyResult(False, seen, seen + 1, problem)
    count = seen
    if head is not None and head.count == count and count:
        head_mac = prev
    row_mac, body = chain.Macer(ckey), chain.body
    for row_id, at, event, consent_id, actor, detail, prev_hash, mac in conn.execute(
            _SELECT + " WHERE id >= ? ORDER BY id", (keyed_from,)):
        if row_id != count + 1:
            return VerifyResult(False, count, count + 1, f"entry {count + 1} is missing")
        if prev_hash != prev:
            return VerifyResult(False, count, row_id,
                                f"entry {row_id} does not link to the entry before it "
                                "(an entry before it was changed or removed)")
        # plain comparison: the stored MAC is no secret, and verifying gives no oracle
        if row_mac(prev, body(row_id, at, event, consent_id, actor, detail)) != mac:
            return VerifyResult(False, count, row_id,
                                f"entry {row_id} was changed or made without the key")
        if row_id == keyed_from and keyed_from > 1 and event != UPGRADE_EVENT:
            return VerifyResult(False, count, row_id, f"entry {row_id} is not the upgrade entry")
        prev, count = mac, count + 1
        if head is not None and row_id == head.count:
            head_mac = mac
    if head is None:
        return VerifyResult(True, count)
    if count < head.count:
        return VerifyResult(False, count, count + 1,
                            f"entries {count + 1} to {head.count} were removed from the end of "
                            "the log (or the register file was replaced by an older copy)")
    if count - head.count > HEAD_SLACK:
        return VerifyResult(False, count, head.count + 1,
                            "the head file is older than the log (replaced by an older copy)")
    if head.count and (head_mac is None or not chain.macs_equal(head_mac, head.last_mac)):
        return VerifyResult(False, count, head.count,
                            f"entry {head.count} is not the entry the head file names")
    return VerifyResult(True, count)


def _keyed_from(conn: sqlite3.Connection) -> int:
    found = conn.execute("SELECT value FROM meta WHERE key = 'keyed_from'").fetchone()
    return int(found[0]) if found else 1


def empty(register_id: str) -> Head:
    return empty_head(register_id)
