"""The gate: from a token and an export file to a `VerifiedGrant`, or a logged refusal.

Order of checks: a token was given; the register and its key exist; the token is well
formed; its record exists; its signature holds; the record is not revoked; not expired; the
clock is not behind the register's last event; and the export's bytes — read once, here —
hash to the digest recorded with the consent. Only then is a grant minted, carrying those
same bytes to the reader. A refusal is raised before any message is decoded.
"""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta
from pathlib import Path

from .clock import Clock, from_iso, utc_now
from .errors import ConsentRefused, RegisterError
from .grant import _MINT, VerifiedGrant
from .register import Register, register_exists
from .tokens import parse_token, signature_matches
from .upload import ExportUpload

MAX_EXPORT_BYTES = 2 * 1024**3  # 2 GiB: a chat with media; the chat text itself is far smaller
CLOCK_TOLERANCE = timedelta(minutes=10)


def _actor() -> str:
    try:
        import getpass

        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def open_export(
    home: Path,
    token: str | None,
    export: Path | ExportUpload,
    *,
    command: str,
    clock: Clock = utc_now,
) -> VerifiedGrant:
    """Check everything the consent promises and return a grant holding the export's bytes.

    `export` is a file, or an `ExportUpload` (bytes already in memory, from the web app).
    """
    register: Register | None = None
    actor = _actor()
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
        return _check(register, token, export, command=command, actor=actor)
    except ConsentRefused as refusal:
        if register is not None:
            _log_refusal(register, refusal, token, export, command, actor)
        raise
    finally:
        if register is not None:
            register.close()


def _log_refusal(register: Register, refusal: ConsentRefused, token: str | None,
                 export: Path | ExportUpload, command: str, actor: str) -> None:
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
        actor=actor,
        detail={"reason": refusal.reason, "command": command, "export_name": export.name},
    )


def _check(register: Register, token: str | None, export: Path | ExportUpload, *, command: str,
           actor: str) -> VerifiedGrant:
    if not token or not token.strip():
        raise ConsentRefused(
            "no-token",
            "Consent refused: no consent token was given; record the parent's consent with "
            "`chat-review consent grant` and pass its token with --token.",
        )
    consent_id, signature = parse_token(token)
    record = register.get(consent_id)
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
            f"Consent refused: consent #{consent_id} was revoked on {record.revoked_at[:10]} "
            f"by {record.revoked_by}; the chat may not be read unless the parent gives "
            "consent again.",
        )
    if now >= record.expires:
        raise ConsentRefused(
            "expired",
            f"Consent refused: consent #{consent_id} expired on {record.expires_at[:10]}; "
            "ask the parent to renew it and record a new consent.",
        )
    last_event = register.conn.execute("SELECT max(at) FROM audit").fetchone()[0]
    if last_event and now + CLOCK_TOLERANCE < from_iso(last_event):
        raise ConsentRefused(
            "clock-behind",
            f"Consent refused: this computer's clock ({now:%d/%m/%Y %H:%M} UTC) is behind the "
            f"register's last event ({last_event[:16].replace('T', ' ')} UTC); "
            "correct the clock and try again.",
        )
    data = _read_once(export)
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
        actor=actor,
        detail={"command": command, "export_name": export.name, "export_sha256": digest},
    )
    return VerifiedGrant(record=record, export_name=export.name, sha256=digest, data=data,
                         audit_id=audit_row.id, _mint=_MINT)


def _read_once(export: Path | ExportUpload) -> bytes:
    """The export's bytes, read in one go; everything after this uses only these bytes."""
    if isinstance(export, ExportUpload):
        _check_size(len(export.data), export.name)
        return export.data
    try:
        with open(export, "rb") as handle:
            _check_size(os.fstat(handle.fileno()).st_size, export.name)
            return handle.read()
    except OSError as exc:
        raise RegisterError(f"Cannot read the export {export} ({exc.strerror}).") from exc


def _check_size(size: int, name: str) -> None:
    if size > MAX_EXPORT_BYTES:
        raise RegisterError(
            f"The export {name} is {size / 1024**3:.1f} GiB, larger than "
            "chat-review reads; export the chat again 'without media'."
        )
