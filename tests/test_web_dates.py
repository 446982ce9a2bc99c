"""Dates in the web app: typed day first whatever the browser's locale, as the CLI reads them,
and shown in the reports' style ("4 Oct 2026", "29 Nov 2026, 06:10 UK time") on every page."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import ONE_TO_ONE_ZIP, SAMPLE_CONFIG
from web_support import chromium, fill_consent, open_page, server  # noqa: F401 - fixtures

# "29 Nov 2026, 06:10 UK time": the reports' moment, as reports/_words.py writes it
UK_MOMENT = re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UK time$")
UK_DAY = re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}$")


def records(home):  # noqa: ANN001, ANN201
    from chat_review.consent.register import Register, register_exists

    if not register_exists(home):
        return []
    with Register.open(home, create=False) as register:
        return register.all()


@pytest.fixture
def export(tmp_path):  # noqa: ANN001, ANN201
    path = tmp_path / ONE_TO_ONE_ZIP.name
    shutil.copyfile(ONE_TO_ONE_ZIP, path)
    return path


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_a_typed_window_is_read_day_first_whatever_the_locale(chromium, server,  # noqa: F811
                                                               export, locale):
    expires = date.today() + timedelta(days=60)
    page, watch = open_page(chromium, server, locale=locale)
    assert page.evaluate("navigator.language") == locale
    fill_consent(page, export, window_from="04/10/2026", window_to="12/11/2026",
                 expires=f"{expires:%d/%m/%Y}")
    page.wait_for_url("**/consents/1")
    [record] = records(server.home)
    assert (record.window_from, record.window_to) == ("2026-10-04", "2026-11-12")
    assert record.expires_at.startswith(expires.isoformat())
    facts = page.locator("dl.facts").inner_text()
    assert "4 Oct 2026 to 12 Nov 2026" in facts
    watch.check()


def test_an_unreadable_date_is_refused_keeping_what_was_typed(chromium, server,  # noqa: F811
                                                               export):
    page, watch = open_page(chromium, server, locale="en-US")
    fill_consent(page, export, window_from="31/13/2026", window_to="30/11/2026")
    assert page.locator("[role=alert]").inner_text() == (
        "The 'from' date '31/13/2026' is not a date chat-review can read; write it day first, "
        "such as 31/12/2026.")
    assert page.get_by_label("From", exact=True).input_value() == "31/13/2026"
    assert page.get_by_label("To (inclusive)").input_value() == "30/11/2026"
    assert page.get_by_label("Parent giving consent").input_value() == "Tom Aldridge"
    assert records(server.home) == []
    watch.check()


def test_the_blank_form_offers_an_expiry_day_first(chromium, server):  # noqa: F811
    page, watch = open_page(chromium, server, locale="en-US")
    page.goto(server.base + "/consents/new")
    offered = page.get_by_label("Consent ends on").input_value()
    in_30_days = datetime.now(ZoneInfo("Europe/London")).date() + timedelta(days=30)
    assert offered == f"{in_30_days:%d/%m/%Y}"
    watch.check()


def test_the_calendar_check_reads_day_first_and_shows_the_reports_days(chromium, home):  # noqa: F811
    from web_support import start_server

    home.mkdir(parents=True)
    shutil.copyfile(SAMPLE_CONFIG, home / "chat-review.toml")
    srv = start_server(home, "--reviewer", "Ms Head")
    try:
        page, watch = open_page(chromium, srv, locale="en-US")
        page.goto(srv.base + "/settings")
        page.get_by_label("From (dd/mm/yyyy)").fill("22/05/2026")
        page.get_by_label("To (dd/mm/yyyy)").fill("2026-05-26")  # ISO is read too
        page.get_by_role("button", name="Show each day").click()
        first = page.locator("table tbody tr").first.locator("td").first.inner_text()
        assert first == "22 May 2026"
        assert page.locator("table tbody tr").count() == 5
        assert page.get_by_label("To (dd/mm/yyyy)").input_value() == "26/05/2026"
        watch.check()
    finally:
        srv.stop()


def test_pages_write_moments_in_uk_time_and_days_as_reports_do(chromium, server,  # noqa: F811
                                                                export):
    page, watch = open_page(chromium, server)
    fill_consent(page, export)
    page.wait_for_url("**/consents/1")
    facts = dict(zip(page.locator("dl.facts dt").all_inner_texts(),
                     page.locator("dl.facts dd").all_inner_texts(), strict=True))
    assert UK_MOMENT.match(facts["Recorded by"].split(", ", 1)[1]), facts["Recorded by"]
    assert UK_MOMENT.match(facts["Expires"]), facts["Expires"]
    page.get_by_role("link", name="Consents").click()
    page.wait_for_url("**/consents")  # a click does not wait for the next page to load
    cells = page.locator("table tbody tr").first.locator("td").all_inner_texts()
    assert UK_DAY.match(cells[3]) and UK_DAY.match(cells[4]), cells
    page.get_by_role("link", name="Audit trail").click()
    page.wait_for_url("**/audit")
    when = page.locator("table tbody tr td:nth-child(2)").all_inner_texts()
    assert when and all(UK_MOMENT.match(w) for w in when), when
    for path in ("/consents", "/consents/1", "/audit", "/settings", "/retention"):
        page.goto(server.base + path)
        assert "UTC" not in page.inner_text("main"), path
    watch.check()


def test_a_summer_day_typed_in_the_form_ends_at_midnight_uk_time(chromium, server,  # noqa: F811
                                                                   export):
    summer = f"31/07/{date.today().year + 1}"
    page, watch = open_page(chromium, server)
    fill_consent(page, export, expires=summer)
    page.wait_for_url("**/consents/1")
    facts = dict(zip(page.locator("dl.facts dt").all_inner_texts(),
                     page.locator("dl.facts dd").all_inner_texts(), strict=True))
    assert facts["Expires"] == f"31 Jul {date.today().year + 1}, 23:59 UK time"
    watch.check()
