"""The gate: from a token and an export file to a `VerifiedGrant`, or a logged refusal.

Order of checks: a token was given; the register and its key exist; the token is well
formed; the whole audit chain verifies against its head (else exit 4: nothing is read or
logged); the consent's grant entry exists (its state comes from MAC'd entries only, never the
table); its signature holds; not revoked; not expired; the clock is not behind the register's
last event; the date order asked for is the consent's; and the export's bytes — read once,
here — hash to the digest recorded with the consent. Only then is a grant minted, carrying
those same bytes to the reader. A refusal is raised before any message is decoded.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

from .clock import Clock, from_iso, utc_now
from .date_words import register_time, uk_time
from .errors import ConsentRefused, RegisterError
from .files import export_bytes, require_regular
from .grant import _MINT, VerifiedGrant
from .records import ConsentRecord
from .register import Register, register_exists
from .tokens import parse_token, signature_matches
from .upload import ExportUpload

CLOCK_TOLERANCE = timedelta(minutes=10)
CLOCK_CORRECTED = "clock-corrected"


def open_export(
    home: Path,
    token: str | None,
    export: Path | ExportUpload,
    *,
    command: str,
    clock: Clock = utc_now,
    date_order: str | None = None,
    stated_by: str | None = None,
) -> VerifiedGrant:
    """Check everything the consent promises and return a grant holding the export's bytes.

    `date_order` is the order the caller asks for (None: the consent's, else the reader's
    detection); `stated_by` is a name the person gave (the OS account is always recorded).
    `export` is a file, or an `ExportUpload` (bytes already in memory, from the web app).
    """
    register: Register | None = None
    require_regular(export)
    try:
        if not register_exists(home):
            raise ConsentRefused(
                "no-register",
                f"Consent refused: there is no consent register in {home}, so no consent can be "
                "checked; use --home to point at the school's register.",
            )
        try:
            register = Register.open(home, create=False, clock=clock)
        except RegisterError as exc:
            reason = "no-key" if "key" in str(exc) else "register-unusable"
            raise ConsentRefused(reason, f"Consent refused: {exc}") from None
        return _check(register, token, export, command=command, date_order=date_order,
                      stated_by=stated_by)
    except ConsentRefused as refusal:
        if register is not None:
            _log_refusal(register, refusal, token, export, command, stated_by)
        raise
    finally:
        if register is not None:
            register.close()


def _log_refusal(register: Register, refusal: ConsentRefused, token: str | None,
                 export: Path | ExportUpload, command: str, stated_by: str | None) -> None:
    consent_id = None
    if token:
        try:
            consent_id, _ = parse_token(token)
        except ConsentRefused:
            consent_id = None
    if consent_id is not None and register.get(consent_id) is None:
        consent_id = None
    register.log(
        "refused",
        consent_id=consent_id,
        stated_by=stated_by,
        detail={"reason": refusal.reason, "command": command, "export_name": export.name},
    )


def _check(register: Register, token: str | None, export: Path | ExportUpload, *, command: str,
           date_order: str | None, stated_by: str | None) -> VerifiedGrant:
    if not token or not token.strip():
        raise ConsentRefused(
            "no-token",
            "Consent refused: no consent token was given; record the parent's consent with "
            "`chat-review consent grant` and pass its token with --token.",
        )
    consent_id, signature = parse_token(token)
    record = register.consents(consent_id).get(consent_id)  # verifies the chain: else exit 4
    if record is None:
        raise ConsentRefused(
            "unknown-consent",
            f"Consent refused: this register has no consent #{consent_id}; the token may come "
            "from another register — use --home to point at the one that issued it.",
        )
    if not signature_matches(register.key, register.register_id, record, signature):
        raise ConsentRefused(
            "bad-signature",
            f"Consent refused: the token for consent #{consent_id} does not match its record "
            "(forged, mistyped, or the record was altered); copy the token again with "
            f"`chat-review consent show {consent_id}`.",
        )
    now = register.clock()
    if record.revoked_at:
        raise ConsentRefused(
            "revoked",
            f"Consent refused: consent #{consent_id} was revoked on "
            f"{register_time(record.revoked_at)} "
            f"by {record.revoked_by}; the chat may not be read unless the parent gives "
            "consent again.",
        )
    if now >= record.expires:
        raise ConsentRefused(
            "expired",
            f"Consent refused: consent #{consent_id} expired on "
            f"{register_time(record.expires_at)}; "
            "ask the parent to renew it and record a new consent.",
        )
    last_event = latest_event_at(register)
    if last_event and now + CLOCK_TOLERANCE < from_iso(last_event):
        raise ConsentRefused(
            "clock-behind",
            f"Consent refused: this computer's clock ({uk_time(now)}) is behind the "
            f"register's last event ({register_time(last_event)}); correct the "
            "clock and try again (if the clock was wrong when that event was logged, see "
            "`chat-review register clock-reset`).",
        )
    order, rule = decide_order(record, date_order)
    data = export_bytes(export)
    digest = hashlib.sha256(data).hexdigest()
    if digest != record.export_sha256:
        raise ConsentRefused(
            "different-file",
            f"Consent refused: {export.name} is not the file consent #{consent_id} was recorded "
            f"for (its SHA-256 differs: the file was changed or another file was given); "
            "use the exact file the parent provided.",
        )
    audit_row = register.log(
        "read",
        consent_id=consent_id,
        stated_by=stated_by,
        detail={"command": command, "export_name": export.name, "export_sha256": digest,
                "date_order": order or "detected by the reader", "date_order_rule": rule},
    )
    return VerifiedGrant(record=record, export_name=export.name, sha256=digest, data=data,
                         audit_id=audit_row.id, date_order=order, date_order_rule=rule,
                         _mint=_MINT)


def latest_event_at(register: Register) -> str | None:
    """The latest time in the log since the last logged clock correction."""
    return register.conn.execute(
        "SELECT max(at) FROM audit WHERE id >= coalesce("
        "(SELECT max(id) FROM audit WHERE event = ?), 0)", (CLOCK_CORRECTED,)).fetchone()[0]


def decide_order(record: ConsentRecord, asked: str | None) -> tuple[str | None, str]:
    """The date order a read uses, and why. A consent with a date window binds it: reading its
    dates another way would move messages into (or out of) the consented period."""
    windowed = bool(record.window_from or record.window_to)
    if windowed and record.date_order is None:
        if asked is not None:
            raise ConsentRefused(
                "date-order-not-bound",
                f"Consent refused: consent #{record.id} has a date window but was recorded "
                "before chat-review kept the date order with the consent, so --date-order "
                "cannot be used with it; record the consent again with --date-order.",
            )
        return None, "detected from the file (the consent predates binding the date order)"
    if windowed:
        if asked is not None and asked != record.date_order:
            raise ConsentRefused(
                "date-order-differs",
                f"Consent refused: consent #{record.id} was recorded for dates read "
                f"{record.date_order}, and its date window only means that; reading them "
                f"{asked} would change which messages fall inside it — drop --date-order, or "
                "record a new consent for that reading.",
            )
        return record.date_order, f"bound to consent #{record.id} at grant"
    if asked is not None:
        return asked, "given with --date-order"
    if record.date_order is not None:
        return record.date_order, f"bound to consent #{record.id} at grant"
    return None, "detected from the file"
