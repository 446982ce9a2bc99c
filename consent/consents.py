"""Recording and withdrawing consent: the register's write operations."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from . import state
from .clock import to_iso
from .date_words import day, register_time
from .errors import ConsentRefused, RegisterError
from .files import require_regular
from .records import ConsentRecord
from .register import Register
from .tokens import make_token, parse_token
from .upload import ExportUpload

CHUNK = 1024 * 1024
DATE_ORDERS = ("day-first", "month-first", "year-first")


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, streamed, so a large zip never sits in memory just to be hashed."""
    require_regular(path)
    digest = hashlib.sha256()
    try:
        with open(path, "rb", opener=_nonblocking) as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise RegisterError(f"Cannot read the export {path} ({exc.strerror}).") from exc
    return digest.hexdigest()


def _nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


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
    date_order: str | None = None,
    date_order_rule: str | None = None,
) -> tuple[ConsentRecord, str]:
    """Record a parent's consent for exactly this export file; return the record and token.

    `export` is a file, or an `ExportUpload` (the web app's upload, hashed in memory).
    `date_order` binds how the export's dates are read (decided by the caller, who can run the
    reader's detection; this package knows nothing about WhatsApp). With a date window it is
    required: the window means nothing until the dates' order is fixed.
    """
    require_regular(export)
    if window_from and window_to and window_from > window_to:
        raise RegisterError(
            f"The consent window starts ({day(window_from)}) after it ends "
            f"({day(window_to)}); swap the two dates."
        )
    if date_order is not None and date_order not in DATE_ORDERS:
        raise RegisterError(f"The date order '{date_order}' is not one of "
                            f"{', '.join(DATE_ORDERS)}.")
    if (window_from or window_to) and date_order is None:
        raise RegisterError("A consent with a date window needs the export's date order; "
                            "give --date-order day-first, month-first or year-first.")
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
        "date_order": date_order,
        "date_order_rule": date_order_rule if date_order else None,
    }
    with register.write() as conn:
        cursor = conn.execute(
            "INSERT INTO consents (parent, chat_name, purpose, export_name, export_sha256, "
            "window_from, window_to, recorded_by, recorded_at, expires_at, evidence, "
            "date_order, date_order_rule) "
            "VALUES (:parent, :chat_name, :purpose, :export_name, :export_sha256, "
            ":window_from, :window_to, :recorded_by, :recorded_at, :expires_at, :evidence, "
            ":date_order, :date_order_rule)",
            fields,
        )
        record = ConsentRecord(id=int(cursor.lastrowid), **fields)
        register.append(conn, state.GRANTED, at=fields["recorded_at"], consent_id=record.id,
                        stated_by=record.recorded_by,
                        detail=state.grant_detail(register.register_id, record))
    return record, make_token(register.key, register.register_id, record)


def consent_number(ref: str) -> int:
    """The consent id in '12', '#12' or a token; a sentence (exit 2) for anything else."""
    text = ref.strip().lstrip("#")
    if text.isascii() and text.isdecimal():
        if len(text) > 18:
            raise RegisterError(f"'{ref}' is too large to be a consent number; "
                                "see `chat-review consent list`.")
        return int(text)
    try:
        return parse_token(text)[0]
    except ConsentRefused:
        raise RegisterError(
            f"'{ref}' is neither a consent number nor a consent token; "
            "see `chat-review consent list`."
        ) from None


def find(register: Register, ref: str) -> ConsentRecord:
    """A consent from its id ('12', '#12') or its token, as its verified events define it
    (the token's signature is not checked here)."""
    consent_id = consent_number(ref)
    record = register.consents(consent_id).get(consent_id)
    if record is None:
        raise RegisterError(
            f"There is no consent #{consent_id} in this register; see `chat-review consent list`."
        )
    return record


def token_for(register: Register, record: ConsentRecord) -> str:
    """Re-issue a consent's token: only for a record taken from the verified events (`find`),
    so an edit made in SQLite can never be signed."""
    verified = register.consents(record.id).get(record.id)
    if verified != record:
        raise RegisterError(
            f"Consent #{record.id} no longer matches what was recorded in the audit log, so its "
            "token cannot be shown; run `chat-review audit verify`."
        )
    return make_token(register.key, register.register_id, verified)


def revoke(register: Register, ref: str, *, reason: str, by: str) -> ConsentRecord:
    """Withdraw a consent: its token stops working at once; the record stays for the audit."""
    reason_clean = _clean(reason, "reason", required=True)
    by_clean = _clean(by, "name of the person revoking it", required=True)
    record = find(register, ref)
    with register.write() as conn:
        current = register.consents(record.id)[record.id]
        if current.revoked_at:
            raise RegisterError(
                f"Consent #{record.id} was already revoked on "
                f"{register_time(current.revoked_at)} "
                f"by {current.revoked_by}."
            )
        at = register.now_iso()
        conn.execute(
            "UPDATE consents SET revoked_at = ?, revoked_by = ?, revoked_reason = ? WHERE id = ?",
            (at, by_clean, reason_clean, record.id),
        )
        register.append(conn, state.REVOKED, at=at, consent_id=record.id, stated_by=by_clean,
                        detail={"reason": reason_clean})
    return replace(current, revoked_at=at, revoked_by=by_clean, revoked_reason=reason_clean)
