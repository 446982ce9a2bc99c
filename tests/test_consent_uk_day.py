"""A consent's expiry typed as a day ends when that day ends in UK time, and every consent
date reads in the reports' style ("31 Jul 2026", "31 Jul 2026, 23:59 UK time")."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from chat_review.consent import consents
from chat_review.consent.dates import parse_expiry
from chat_review.consent.errors import ConsentRefused
from chat_review.consent.gate import open_export
from chat_review.consent.register import Register
from chat_review.describe import consent_rows

LONDON = ZoneInfo("Europe/London")
SUMMER_GRANT = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
WINTER_GRANT = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def uk(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)


def grant_typed(home, export, typed: str, now: datetime):  # noqa: ANN001, ANN201
    """Grant as `consent grant --expires TYPED` does, with the clock at `now`."""
    with Register.open(home, clock=lambda: now) as register:
        return consents.grant(register, export, parent="Tom Aldridge", purpose="Review",
                              recorded_by="Ms Head", expires_at=parse_expiry(typed, now))


def read_at(home, token: str, export, moment: datetime):  # noqa: ANN001, ANN201
    return open_export(home, token, export, command="test", clock=lambda: moment)


@pytest.mark.parametrize(("typed", "granted", "last_evening"), [
    ("31/07/2026", SUMMER_GRANT, uk(2026, 7, 31, 23, 30)),
    ("31/01/2027", WINTER_GRANT, uk(2027, 1, 31, 23, 30)),
])
def test_a_typed_day_is_open_late_that_evening_uk_time(home, group_chat, typed, granted,
                                                       last_evening):
    _, token = grant_typed(home, group_chat, typed, granted)
    assert read_at(home, token, group_chat, last_evening).record.id == 1


@pytest.mark.parametrize(("typed", "granted", "next_morning", "said"), [
    ("31/07/2026", SUMMER_GRANT, uk(2026, 8, 1, 0, 30), "expired on 31 Jul 2026, 23:59 UK time"),
    ("31/01/2027", WINTER_GRANT, uk(2027, 2, 1, 0, 30), "expired on 31 Jan 2027, 23:59 UK time"),
])
def test_a_typed_day_is_refused_after_midnight_uk_time(home, group_chat, typed, granted,
                                                       next_morning, said):
    _, token = grant_typed(home, group_chat, typed, granted)
    with pytest.raises(ConsentRefused) as err:
        read_at(home, token, group_chat, next_morning)
    assert err.value.reason == "expired" and said in str(err.value)


@pytest.mark.parametrize(("typed", "granted", "shown"), [
    ("31/07/2026", SUMMER_GRANT, "31 Jul 2026, 23:59 UK time"),
    ("31/01/2027", WINTER_GRANT, "31 Jan 2027, 23:59 UK time"),
])
def test_a_typed_day_is_shown_as_the_end_of_that_uk_day(home, group_chat, typed, granted,
                                                        shown):
    record, _ = grant_typed(home, group_chat, typed, granted)
    assert dict(consent_rows(record, granted))["Expires"] == shown


def test_thirty_days_is_thirty_times_24_hours_from_the_grant():
    granted = datetime(2026, 10, 10, 14, 5, tzinfo=UTC)  # the clocks go back on 25 Oct
    assert parse_expiry("30d", granted) == datetime(2026, 11, 9, 14, 5, tzinfo=UTC)


def test_a_consent_stored_at_the_end_of_the_utc_day_keeps_its_moment(home, group_chat):
    """Consents granted before this change ended at 23:59:59 UTC: they are not rewritten."""
    stored = datetime(2026, 7, 31, 23, 59, 59, tzinfo=UTC)
    with Register.open(home, clock=lambda: SUMMER_GRANT) as register:
        record, token = consents.grant(register, group_chat, parent="P", purpose="x",
                                       recorded_by="H", expires_at=stored)
    assert dict(consent_rows(record, SUMMER_GRANT))["Expires"] == "1 Aug 2026, 00:59 UK time"
    assert read_at(home, token, group_chat, uk(2026, 8, 1, 0, 30)).record.id == 1


def test_a_short_table_gives_the_day_the_school_was_in():
    from chat_review.consent.date_words import register_day

    assert register_day("2026-07-31T23:30:00+00:00") == "1 Aug 2026"  # 00:30 BST


def test_audit_list_writes_each_moment_on_the_uk_clock_to_the_second(run, grant, group_chat):
    grant(group_chat)
    listed = run("audit", "list")
    assert listed.code == 0
    header, _rule, first = listed.out.splitlines()[:3]
    assert "When (UK time)" in header and "UTC" not in listed.out
    assert re.match(r"1\s+\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d:\d\d\s+consent-granted", first)


def test_audit_verify_names_a_report_s_moment_in_uk_time(run, grant, group_chat, tmp_path):
    token = grant(group_chat)
    report = tmp_path / "messages.csv"
    assert run("messages", str(group_chat), "--token", token, "--output", str(report)).code == 0
    checked = run("audit", "verify", "--report", str(report))
    assert checked.code == 0
    assert " UK time by " in checked.out and "UTC" not in checked.out
