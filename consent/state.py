"""Consent state from MAC'd facts only: the audit events, never the `consents` table.

A consent exists if its `consent-granted` entry is in the verified chain; its record is the
one written in that entry (for the previous release's grants: the table row, accepted only if
its digest is the one the grant entry holds). Revocations and expiry changes are entries too.
The `consents` table is a cache for listing; a difference from the events is tampering.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3

from .errors import RegisterBroken
from .records import SIGNED_FIELDS, ConsentRecord

GRANTED, REVOKED, EXPIRY_CHANGED = "consent-granted", "consent-revoked", "consent-expiry-changed"
STATE_EVENTS = (GRANTED, REVOKED, EXPIRY_CHANGED)
RECORD_FIELDS = (*SIGNED_FIELDS, "date_order", "date_order_rule")
CACHED_FIELDS = (*RECORD_FIELDS, "revoked_at", "revoked_by", "revoked_reason")


def record_digest(register_id: str, record: ConsentRecord) -> str:
    """SHA-256 of the signed fields (the previous release kept only this in the grant entry)."""
    return hashlib.sha256(record.canonical(register_id)).hexdigest()


def grant_detail(register_id: str, record: ConsentRecord) -> dict:
    """What the grant entry holds: the whole record, so the entry alone defines the consent."""
    return {
        "record": {name: getattr(record, name) for name in RECORD_FIELDS},
        "record_digest": record_digest(register_id, record),
        "export_name": record.export_name,
    }


def _cached(conn: sqlite3.Connection, where: str = "", args: tuple = ()) -> dict[int, tuple]:
    from .schema import COLUMNS

    return {r[0]: r for r in conn.execute(f"SELECT {COLUMNS} FROM consents {where}", args)}


def derive(conn: sqlite3.Connection, register_id: str,
           consent_id: int | None = None) -> dict[int, ConsentRecord]:
    """Every consent (or one) as its events define it. The caller has verified the chain."""
    where, args = ("AND consent_id = ?", (consent_id,)) if consent_id is not None else ("", ())
    events = conn.execute(
        f"SELECT id, at, event, consent_id, actor, detail FROM audit "
        f"WHERE event IN {STATE_EVENTS} {where} ORDER BY id", args).fetchall()
    cache = _cached(conn, "WHERE id = ?" if consent_id is not None else "", args)
    records: dict[int, ConsentRecord] = {}
    for row_id, at, event, cid, actor, detail_json in events:
        detail = json.loads(detail_json)
        if event == GRANTED:
            if cid in records:
                raise RegisterBroken(_broken(f"consent #{cid} was granted twice (entry {row_id})"))
            records[cid] = _granted(register_id, cid, detail, cache.get(cid), row_id)
        elif cid in records and event == REVOKED and not records[cid].revoked_at:
            records[cid] = dataclasses.replace(
                records[cid], revoked_at=at, revoked_by=detail.get("stated_by") or actor,
                revoked_reason=detail.get("reason"))
        elif cid in records and event == EXPIRY_CHANGED:
            records[cid] = dataclasses.replace(records[cid], expires_at=detail["expires_at"])
    return records


def _granted(register_id: str, cid: int, detail: dict, cached: tuple | None,
             row_id: int) -> ConsentRecord:
    if "record" in detail:
        return ConsentRecord(**detail["record"])
    # the previous release's grant entry: the table row must have the digest it recorded
    if cached is None:
        raise RegisterBroken(_broken(f"consent #{cid}'s record is missing from the register"))
    record = ConsentRecord(*cached[:12])
    if record_digest(register_id, record) != detail.get("record_digest"):
        raise RegisterBroken(_broken(
            f"consent #{cid} no longer matches what its grant (entry {row_id}) recorded"))
    return record


def cache_problem(conn: sqlite3.Connection, records: dict[int, ConsentRecord],
                  consent_id: int | None = None) -> str | None:
    """The first difference between the `consents` table and the events (for one consent, or
    all), or None. A difference means someone edited the register behind chat-review's back."""
    where, args = ("WHERE id = ?", (consent_id,)) if consent_id is not None else ("", ())
    cache = _cached(conn, where, args)
    for cid in sorted(set(cache) | set(records)):
        if cid not in records:
            return f"consent #{cid} is in the register but no verified entry granted it"
        if cid not in cache:
            return f"consent #{cid}'s record is missing from the register"
        row = dict(zip(("id", *CACHED_FIELDS[1:]), _reorder(cache[cid]), strict=True))
        derived = records[cid]
        for name in CACHED_FIELDS:
            if name in ("date_order", "date_order_rule") and row[name] is None:
                continue  # consents granted before the date order was kept
            if row[name] != getattr(derived, name):
                return f"consent #{cid}'s {name.replace('_', ' ')} was changed in the table"
    return None


def _reorder(row: tuple) -> tuple:
    """Table order (..., revoked_*, date_order*) → CACHED_FIELDS order (date_order* first)."""
    return (*row[:12], row[15], row[16], row[12], row[13], row[14])


def _broken(problem: str) -> str:
    from .audit import sentence

    return sentence(problem)
