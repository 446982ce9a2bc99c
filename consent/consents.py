"""Recording and withdrawing consent: the register's write operations."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from . import audit
from .clock import to_iso
from .errors import ConsentRefused, RegisterError
from .records import ConsentRecord
from .register import Register
from .tokens import make_token, parse_token
from .upload import ExportUpload

CHUNK = 1024 * 1024


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, streamed, so a large zip never sits in memory just to be hashed."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise RegisterError(f"Cannot read the export {path} ({exc.strerror}).") from exc
    return digest.hexdigest()


def _clean(value: str | None, what: str, *, required: bool) -> str | None:
    if value is None or not value.strip():
        if required:
            raise RegisterError(f"The {what} is empty; give it in words.")
        return None
    return " ".join(value.split())


def grant(
    register: Register,
    export: Path | ExportUpload,
    *,
    parent: str,
    purpose: str,
    recorded_by: str,
    expires_at: datetime,
    chat_name: str | None = None,
    window_from: date | None = None,
    window_to: date | None = None,
    evidence: str | None = None,
) -> tuple[ConsentRecord, str]:
    """Record a parent's consent for exactly this export file; return the record and token.

    `export` is a file, or an `ExportUpload` (the web app's upload, hashed in memory).
    """
    if not isinstance(export, ExportUpload) and not export.is_file():
        raise RegisterError(f"The export {export} does not exist or is not a file.")
    if window_from and window_to and window_from > window_to:
        raise RegisterError(
            f"The consent window starts ({window_from:%d/%m/%Y}) after it ends "
            f"({window_to:%d/%m/%Y}); swap --from and --to."
        )
    now = register.clock()
    if expires_at <= now:
        raise RegisterError("The expiry is in the past; give a future date or a number of days.")
    if isinstance(export, ExportUpload):
        digest = hashlib.sha256(export.data).hexdigest()
    else:
        digest = sha256_file(export)
    fields = {
        "parent": _clean(parent, "parent's name", required=True),
        "chat_name": _clean(chat_name, "name in the chat", required=False),
        "purpose": _clean(purpose, "purpose", required=True),
        "export_name": export.name,
        "export_sha256": digest,
        "window_from": window_from.isoformat() if window_from else None,
        "window_to": window_to.isoformat() if window_to else None,
        "recorded_by": _clean(recorded_by, "name of the person recording it", required=True),
        "recorded_at": to_iso(now),
        "expires_at": to_iso(expires_at),
        "evidence": _clean(evidence, "evidence reference", required=False),
    }
    with register.write() as conn:
        cursor = conn.execute(
            "INSERT INTO consents (parent, chat_name, purpose, export_name, export_sha256, "
            "window_from, window_to, recorded_by, recorded_at, expires_at, evidence) "
            "VALUES (:parent, :chat_name, :purpose, :export_name, :export_sha256, "
            ":window_from, :window_to, :recorded_by, :recorded_at, :expires_at, :evidence)",
            fields,
        )
        record = ConsentRecord(id=int(cursor.lastrowid), **fields)
        audit.append(
            conn, register.key, at=fields["recorded_at"], event="consent-granted",
            consent_id=record.id, actor=record.recorded_by,
            detail={
                "export_name": record.export_name,
                "export_sha256": record.export_sha256,
                "expires_at": record.expires_at,
                "window_from": record.window_from,
                "window_to": record.window_to,
                "evidence": record.evidence,
                "record_digest": record_digest(register, record),
            },
        )
    return record, make_token(register.key, register.register_id, record)


def find(register: Register, ref: str) -> ConsentRecord:
    """A record from its id ('12', '#12') or its token (the signature is not checked here)."""
    text = ref.strip().lstrip("#")
    if text.isdigit():
        consent_id = int(text)
    else:
        try:
            consent_id, _ = parse_token(text)
        except ConsentRefused:
            raise RegisterError(
                f"'{ref}' is neither a consent number nor a consent token; "
                "see `chat-review consent list`."
            ) from None
    record = register.get(consent_id)
    if record is None:
        raise RegisterError(
            f"There is no consent #{consent_id} in this register; see `chat-review consent list`."
        )
    return record


def record_digest(register: Register, record: ConsentRecord) -> str:
    """SHA-256 of the signed fields, kept in the hash-chained grant row of the audit log."""
    return hashlib.sha256(record.canonical(register.register_id)).hexdigest()


def token_for(register: Register, record: ConsentRecord) -> str:
    """Re-issue a record's token, but only while the record matches what was granted.

    Without this check, someone who edited a record in SQLite could ask for a fresh token
    that signs the edit; the grant row in the (hash-chained) audit log is the reference.
    """
    row = register.conn.execute(
        "SELECT detail FROM audit WHERE event = 'consent-granted' AND consent_id = ? "
        "ORDER BY id LIMIT 1",
        (record.id,),
    ).fetchone()
    import json

    granted = json.loads(row[0]).get("record_digest") if row else None
    if granted != record_digest(register, record):
        raise RegisterError(
            f"Consent #{record.id} no longer matches what was recorded in the audit log, so its "
            "token cannot be shown; run `chat-review audit verify` and restore the register "
            "from a backup."
        )
    return make_token(register.key, register.register_id, record)


def revoke(register: Register, ref: str, *, reason: str, by: str) -> ConsentRecord:
    """Withdraw a consent: its token stops working at once; the record stays for the audit."""
    reason_clean = _clean(reason, "reason", required=True)
    by_clean = _clean(by, "name of the person revoking it", required=True)
    record = find(register, ref)
    with register.write() as conn:
        current = register.get(record.id)
        assert current is not None
        if current.revoked_at:
            raise RegisterError(
                f"Consent #{record.id} was already revoked on {current.revoked_at[:10]} "
                f"by {current.revoked_by}."
            )
        at = register.now_iso()
        conn.execute(
            "UPDATE consents SET revoked_at = ?, revoked_by = ?, revoked_reason = ? WHERE id = ?",
            (at, by_clean, reason_clean, record.id),
        )
        audit.append(conn, register.key, at=at, event="consent-revoked", consent_id=record.id,
                     actor=by_clean, detail={"reason": reason_clean})
    return replace(current, revoked_at=at, revoked_by=by_clean, revoked_reason=reason_clean)
