"""The gate: every refusal reason, each logged, none reaching the reader."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from chat_review.consent import consents
from chat_review.consent.errors import ConsentRefused, RegisterBroken
from chat_review.consent.gate import open_export
from chat_review.consent.grant import VerifiedGrant
from chat_review.consent.register import Register

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def at(moment: datetime):
    return lambda: moment


AT_NOW = at(NOW)


def grant_now(home, export, *, clock=AT_NOW, days=30, **kw):
    with Register.open(home, clock=clock) as register:
        rec, token = consents.grant(
            register, export, parent="Tom Aldridge", purpose="Complaint review",
            recorded_by="Ms Head", expires_at=clock() + timedelta(days=days), **kw)
    return rec, token


def audit_events(home):
    with Register.open(home, create=False) as register:
        return [(r[0], r[1]) for r in register.conn.execute(
            "SELECT event, json_extract(detail, '$.reason') FROM audit ORDER BY id")]


def refusal(home, token, export, *, clock=AT_NOW) -> ConsentRefused:
    with pytest.raises(ConsentRefused) as err:
        open_export(home, token, export, command="test", clock=clock)
    return err.value


def test_valid_token_and_unchanged_export_give_a_grant_with_the_same_bytes(home, group_chat):
    rec, token = grant_now(home, group_chat)
    grant = open_export(home, token, group_chat, command="test", clock=at(NOW))
    assert isinstance(grant, VerifiedGrant)
    assert grant.data == group_chat.read_bytes()
    assert grant.sha256 == hashlib.sha256(grant.data).hexdigest() == rec.export_sha256
    assert audit_events(home)[-1] == ("read", None)


def test_grant_cannot_be_made_outside_the_gate():
    with pytest.raises(TypeError, match="only be created by chat_review.consent.gate"):
        VerifiedGrant(record=None, export_name="x", sha256="0" * 64, data=b"")


def test_no_token_is_refused(home, group_chat):
    grant_now(home, group_chat)
    err = refusal(home, None, group_chat)
    assert err.reason == "no-token" and "no consent token was given" in str(err)
    assert audit_events(home)[-1] == ("refused", "no-token")


def test_malformed_token_is_refused(home, group_chat):
    grant_now(home, group_chat)
    err = refusal(home, "not-a-token", group_chat)
    assert err.reason == "malformed-token"
    assert audit_events(home)[-1] == ("refused", "malformed-token")


def test_unknown_record_is_refused(home, group_chat):
    _, token = grant_now(home, group_chat)
    err = refusal(home, token.replace("crt1.1.", "crt1.99."), group_chat)
    assert err.reason == "unknown-consent" and "#99" in str(err)
    assert audit_events(home)[-1] == ("refused", "unknown-consent")


@pytest.mark.parametrize("position", [10, 20, -1])
def test_one_character_changed_in_the_token_is_refused(home, group_chat, position):
    _, token = grant_now(home, group_chat)
    chars = list(token)
    chars[position] = "A" if chars[position] != "A" else "B"
    err = refusal(home, "".join(chars), group_chat)
    assert err.reason == "bad-signature"
    assert audit_events(home)[-1] == ("refused", "bad-signature")


def test_token_from_another_register_is_refused(tmp_path, group_chat):
    _, token = grant_now(tmp_path / "other-home", group_chat)
    home = tmp_path / "home"
    grant_now(home, group_chat)  # same export, same record id 1, different key
    err = refusal(home, token, group_chat)
    assert err.reason == "bad-signature"


def test_record_edited_in_sqlite_stops_reading_with_exit_4_and_nothing_logged(home, group_chat):
    _, token = grant_now(home, group_chat)
    with Register.open(home) as register:
        register.conn.execute("UPDATE consents SET expires_at = '2099-01-01T00:00:00+00:00'")
    before = audit_events(home)
    with pytest.raises(RegisterBroken, match="expires at was changed in the table") as err:
        open_export(home, token, group_chat, command="test", clock=AT_NOW)
    assert err.value.exit_code == 4
    assert audit_events(home) == before


def test_revoked_consent_with_a_valid_signature_is_refused(home, group_chat):
    _, token = grant_now(home, group_chat)
    with Register.open(home, clock=at(NOW)) as register:
        consents.revoke(register, token, reason="Parent withdrew", by="Ms Head")
    err = refusal(home, token, group_chat)
    assert err.reason == "revoked"
    assert "revoked on 25 Nov 2026, 12:00 UK time by Ms Head" in str(err)
    assert audit_events(home)[-1] == ("refused", "revoked")


def test_expired_consent_is_refused(home, group_chat):
    _, token = grant_now(home, group_chat, days=30)
    err = refusal(home, token, group_chat, clock=at(NOW + timedelta(days=30)))
    assert err.reason == "expired" and "expired on 25 Dec 2026, 12:00 UK time;" in str(err)


def test_consent_is_valid_until_the_moment_it_expires(home, group_chat):
    _, token = grant_now(home, group_chat, days=30)
    later = at(NOW + timedelta(days=30) - timedelta(seconds=1))
    assert open_export(home, token, group_chat, command="test", clock=later)


def test_one_byte_changed_in_the_export_after_the_grant_is_refused(home, group_chat):
    _, token = grant_now(home, group_chat)
    data = bytearray(group_chat.read_bytes())
    data[100] ^= 0x01
    group_chat.write_bytes(bytes(data))
    err = refusal(home, token, group_chat)
    assert err.reason == "different-file" and "SHA-256 differs" in str(err)
    assert audit_events(home)[-1] == ("refused", "different-file")


def test_another_file_with_a_valid_token_is_refused(home, group_chat, one_to_one_zip):
    _, token = grant_now(home, group_chat)
    assert refusal(home, token, one_to_one_zip).reason == "different-file"


def test_missing_register_is_refused(home, group_chat):
    err = refusal(home, "crt1.1." + "A" * 43, group_chat)
    assert err.reason == "no-register" and "no consent register" in str(err)


def test_missing_key_is_refused(home, group_chat):
    _, token = grant_now(home, group_chat)
    (home / "register.key").unlink()
    err = refusal(home, token, group_chat)
    assert err.reason == "no-key" and "key" in str(err)


def test_clock_set_back_before_the_last_event_is_refused(home, group_chat):
    _, token = grant_now(home, group_chat)
    err = refusal(home, token, group_chat, clock=at(NOW - timedelta(days=2)))
    assert err.reason == "clock-behind"


def test_clock_behind_names_both_moments_in_uk_time(home, group_chat):
    _, token = grant_now(home, group_chat)
    err = refusal(home, token, group_chat, clock=at(NOW - timedelta(days=2)))
    assert ("clock (23 Nov 2026, 12:00 UK time) is behind the register's last event "
            "(25 Nov 2026, 12:00 UK time)") in str(err)


def test_refusals_never_log_message_text(home, group_chat):
    _, token = grant_now(home, group_chat)
    group_chat.write_bytes(group_chat.read_bytes() + b"\nextra line")
    refusal(home, token, group_chat)
    with Register.open(home, create=False) as register:
        details = " ".join(r[0] for r in register.conn.execute("SELECT detail FROM audit"))
    assert "Welcome everyone" not in details and "extra line" not in details


def test_an_upload_in_memory_passes_the_same_gate(home, group_chat):
    from chat_review.consent.upload import ExportUpload

    upload = ExportUpload.from_browser("C:\\Users\\head\\chat.txt", group_chat.read_bytes())
    with Register.open(home, clock=AT_NOW) as register:
        _, token = consents.grant(register, upload, parent="P", purpose="x", recorded_by="H",
                                  expires_at=NOW + timedelta(days=3))
    grant = open_export(home, token, upload, command="test", clock=AT_NOW)
    assert grant.data == group_chat.read_bytes() and grant.export_name == "chat.txt"
    changed = ExportUpload("chat.txt", group_chat.read_bytes() + b"x")
    assert refusal(home, token, changed).reason == "different-file"
