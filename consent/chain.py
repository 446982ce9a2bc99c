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
    """Canonical bytes of a row: each field length-prefixed, so no two rows share a form."""
    parts = []
    for value in (str(row_id), at, event,
                  None if consent_id is None else str(consent_id), actor, detail_json):
        parts.append("-" if value is None else f"{len(value)}:{value}")
    return "|".join(parts).encode("utf-8")


def row_mac(ckey: bytes, prev_mac: str, row_body: bytes) -> str:
    return hmac.digest(ckey, prev_mac.encode("ascii") + b"\n" + row_body, "sha256").hex()


def macs_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))


# -- the previous release's format (schema 1), read only ------------------------------------

def legacy_canonical(row_id: int, at: str, event: str, consent_id: int | None,
                     actor: str | None, detail_json: str) -> bytes:
    return json.dumps(
        [row_id, at, event, consent_id, actor, detail_json],
        ensure_ascii=False, separators=(",", ":"),
    ).encode("utf-8")


def legacy_hash(prev_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical).hexdigest()


def legacy_seal(key: bytes, row_id: int, row_hash: str) -> str:
    return hmac.new(key, f"{row_id}:{row_hash}".encode("ascii"), hashlib.sha256).hexdigest()


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
    if not hmac.compare_digest(legacy_seal(key, seal_id, seal_hash), seal_mac):
        return count, prev, "the log's seal was altered"
    if seal_id != count or seal_hash != prev:
        return count, prev, "the log's seal does not match its last entry"
    return count, prev, None
