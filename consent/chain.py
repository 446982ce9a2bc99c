"""The audit log's keyed chain, and the previous release's SHA-256 chain (read for migration).

Every row's MAC is HMAC-SHA256(chain key, previous row's MAC + the row's canonical bytes), the
chain key being derived from the register key. Without the key no row can be made, changed,
re-chained or deleted without the next check failing.

The previous release (schema 1) chained rows with plain SHA-256 and sealed only the last row
with the key; `verify_legacy` checks such a log once, when the register is upgraded.
"""

from __future__ import annotations

import hashlib
import hmac
import json

GENESIS = "0" * 64
_CHAIN_LABEL = b"chat-review/audit-chain/v2"


def chain_key(key: bytes) -> bytes:
    """A key used only for the audit chain (tokens and the head file use other derivations)."""
    return hmac.digest(key, _CHAIN_LABEL, "sha256")


def body(row_id: int, at: str, event: str, consent_id: int | None, actor: str | None,
         detail_json: str) -> bytes:
    """Canonical bytes of a row: each field length-prefixed ('-' for none), joined by '|', so
    no two rows share a form. Written out field by field: it runs once per entry verified."""
    r = str(row_id)
    t = "-" if at is None else f"{len(at)}:{at}"
    e = "-" if event is None else f"{len(event)}:{event}"
    c = "-" if consent_id is None else f"{len(s := str(consent_id))}:{s}"
    a = "-" if actor is None else f"{len(actor)}:{actor}"
    d = "-" if detail_json is None else f"{len(detail_json)}:{detail_json}"
    return f"{len(r)}:{r}|{t}|{e}|{c}|{a}|{d}".encode("utf-8", "surrogateescape")


class Macer:
    """`row_mac` with the chain key's HMAC state prepared once (copying it is about twice as
    fast as keying a new HMAC for each of 100,000 entries)."""

    def __init__(self, ckey: bytes) -> None:
        self._base = hmac.new(ckey, digestmod="sha256")

    def __call__(self, prev_mac: str, row_body: bytes) -> str:
        h = self._base.copy()
        h.update(prev_mac.encode("utf-8", "surrogateescape") + b"\n" + row_body)
        return h.hexdigest()


def row_mac(ckey: bytes, prev_mac: object, row_body: bytes) -> str:
    prev = str(prev_mac).encode("utf-8", "surrogateescape")
    return hmac.digest(ckey, prev + b"\n" + row_body, "sha256").hex()


def macs_equal(a: object, b: object) -> bool:
    """Constant-time equality of two MACs as stored (anything not text is simply unequal)."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    return hmac.compare_digest(a.encode("utf-8", "surrogateescape"),
                               b.encode("utf-8", "surrogateescape"))


# -- the previous release's format (schema 1), read only ------------------------------------

def legacy_canonical(row_id: int, at: str, event: str, consent_id: int | None,
                     actor: str | None, detail_json: str) -> bytes:
    return json.dumps(
        [row_id, at, event, consent_id, actor, detail_json],
        ensure_ascii=False, separators=(",", ":"),
    ).encode("utf-8", "surrogateescape")


def legacy_hash(prev_hash: str, canonical: bytes) -> str:
    prev = str(prev_hash).encode("utf-8", "surrogateescape")
    return hashlib.sha256(prev + b"\n" + canonical).hexdigest()


def legacy_seal(key: bytes, row_id: int, row_hash: str) -> str:
    return hmac.new(key, f"{row_id}:{row_hash}".encode("utf-8", "surrogateescape"),
                    hashlib.sha256).hexdigest()


def verify_legacy(rows: list[tuple], seal: str | None, key: bytes) -> tuple[int, str, str | None]:
    """Check a schema-1 log: (rows checked, last hash, problem or None).

    `rows` are (id, at, event, consent_id, actor, detail, prev_hash, hash) in id order; `seal`
    is the stored `audit_head` value (last id, its hash and an HMAC of both under the key).
    """
    prev, count = GENESIS, 0
    for row_id, at, event, consent_id, actor, detail_json, prev_hash, row_hash in rows:
        if row_id != count + 1:
            return count, prev, f"entry {count + 1} is missing"
        if prev_hash != prev:
            return count, prev, f"entry {row_id} does not link to the entry before it"
        canonical = legacy_canonical(row_id, at, event, consent_id, actor, detail_json or "")
        if legacy_hash(prev, canonical) != row_hash:
            return count, prev, f"entry {row_id} was changed after it was written"
        prev, count = row_hash, count + 1
    if seal is None:
        return count, prev, None if count == 0 else "the log's seal is missing"
    try:
        seal_id_text, seal_hash, seal_mac = seal.split(":")
        seal_id = int(seal_id_text)
    except ValueError:
        return count, prev, "the log's seal is damaged"
    if not macs_equal(legacy_seal(key, seal_id, seal_hash), seal_mac):
        return count, prev, "the log's seal was altered"
    if seal_id != count or seal_hash != prev:
        return count, prev, "the log's seal does not match its last entry"
    return count, prev, None
