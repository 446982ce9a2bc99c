"""Recording, finding and revoking consent; tokens and user-typed dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from chat_review.consent import consents
from chat_review.consent.dates import parse_day, parse_expiry
from chat_review.consent.errors import ConsentRefused, RegisterBroken, RegisterError
from chat_review.consent.register import Register
from chat_review.consent.tokens import parse_token

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def fixed(moment: datetime):
    return lambda: moment


@pytest.fixture
def register(home):
    with Register.open(home, clock=fixed(NOW)) as reg:
        yield reg


def record(register, export, **kw):
    args = {"parent": "Tom Aldridge", "purpose": "Complaint review", "recorded_by": "Ms Head",
            "expires_at": NOW + timedelta(days=30)}
    args.update(kw)
    return consents.grant(register, export, **args)


def test_grant_records_the_exports_sha256(register, group_chat):
    import hashlib

    rec, _ = record(register, group_chat)
    assert rec.export_sha256 == hashlib.sha256(group_chat.read_bytes()).hexdigest()
    assert rec.export_name == group_chat.name


def test_grant_writes_an_audit_row_without_message_text(register, group_chat):
    rec, _ = record(register, group_chat)
    row = register.conn.execute("SELECT event, consent_id, detail FROM audit").fetchone()
    assert row[0] == "consent-granted" and row[1] == rec.id
    assert "Welcome everyone" not in row[2]


def test_token_names_the_record_and_has_a_full_signature(register, group_chat):
    rec, token = record(register, group_chat)
    consent_id, signature = parse_token(token)
    assert consent_id == rec.id
    assert len(signature) == 43


def test_malformed_token_is_refused(register):
    with pytest.raises(ConsentRefused) as err:
        parse_token("crt1.x.abc")
    assert err.value.reason == "malformed-token"


def test_window_that_ends_before_it_starts_is_refused(register, group_chat):
    with pytest.raises(RegisterError, match="swap the two dates"):
        record(register, group_chat, window_from=date(2026, 10, 1), window_to=date(2026, 9, 1))


def test_empty_purpose_is_refused(register, group_chat):
    with pytest.raises(RegisterError, match="purpose is empty"):
        record(register, group_chat, purpose="   ")


def test_revoke_marks_the_record_and_logs_the_reason(register, group_chat):
    rec, token = record(register, group_chat)
    revoked = consents.revoke(register, token, reason="Parent withdrew consent", by="Ms Head")
    assert revoked.revoked_at and revoked.status(NOW) == "revoked"
    last = register.conn.execute("SELECT event, detail FROM audit ORDER BY id DESC").fetchone()
    assert last[0] == "consent-revoked" and "Parent withdrew consent" in last[1]


def test_revoking_twice_is_refused(register, group_chat):
    rec, _ = record(register, group_chat)
    consents.revoke(register, str(rec.id), reason="withdrawn", by="Ms Head")
    with pytest.raises(RegisterError, match="already revoked"):
        consents.revoke(register, str(rec.id), reason="again", by="Ms Head")


def test_find_accepts_id_hash_id_and_token(register, group_chat):
    rec, token = record(register, group_chat)
    assert consents.find(register, str(rec.id)).id == rec.id
    assert consents.find(register, f"#{rec.id}").id == rec.id
    assert consents.find(register, token).id == rec.id


def test_token_is_not_reissued_for_a_record_edited_in_sqlite(register, group_chat):
    rec, _ = record(register, group_chat)
    register.conn.execute("UPDATE consents SET expires_at = '2099-01-01T00:00:00+00:00'")
    edited = register.get(rec.id)
    with pytest.raises(RegisterBroken, match="expires at was changed in the table"):
        consents.token_for(register, edited)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("31/12/2026", date(2026, 12, 31)), ("03/04/2027", date(2027, 4, 3)),
     ("2027-04-03", date(2027, 4, 3)), ("3 April 2027", date(2027, 4, 3))],
)
def test_dates_are_read_day_first(text, expected):
    assert parse_day(text, what="date") == expected


@pytest.mark.parametrize("text", ["4/5", "next week", "31/02/2027", "tomorrow"])
def test_ambiguous_or_invalid_dates_are_refused(text):
    with pytest.raises(RegisterError):
        parse_day(text, what="expiry date")


def test_expiry_defaults_to_thirty_days():
    assert parse_expiry(None, NOW) == NOW + timedelta(days=30)


def test_expiry_in_days_and_weeks():
    assert parse_expiry("10d", NOW) == NOW + timedelta(days=10)
    assert parse_expiry("2w", NOW) == NOW + timedelta(days=14)


def test_expiry_date_lasts_to_the_end_of_that_day_in_winter():
    assert parse_expiry("31/12/2026", NOW) == datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_expiry_date_in_summer_ends_at_midnight_uk_time_not_utc():
    assert parse_expiry("31/07/2027", NOW) == datetime(2027, 7, 31, 22, 59, 59, tzinfo=UTC)


def test_a_past_expiry_date_is_named_in_the_reports_style():
    with pytest.raises(RegisterError, match=r"The expiry date 1 Jan 2026 is in the past"):
        parse_expiry("01/01/2026", NOW)
