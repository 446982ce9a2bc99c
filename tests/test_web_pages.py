"""The other pages in the browser: who is reviewing, settings with the calendar, retention,
the audit trail, keyboard use; each without a console error or a request elsewhere."""

from __future__ import annotations

import shutil

from conftest import ONE_TO_ONE_ZIP, SAMPLE_CONFIG, audit_entries
from web_support import (  # noqa: F401 - fixture
    analyse_case,
    chromium,
    open_page,
    record_consent,
    start_server,
)


def test_without_reviewer_the_first_page_asks_for_a_name_and_logs_it(chromium, home,  # noqa: F811
                                                                     tmp_path, run):
    server = start_server(home)
    try:
        page, watch = open_page(chromium, server)
        assert page.get_by_role("heading").first.inner_text() == "Who is reviewing?"
        page.goto(server.base + "/audit")  # every page asks first
        assert page.url == server.base + "/"
        page.get_by_label("Your name and role").fill("  Mr  D. Bennett  (Deputy) ")
        page.get_by_role("button", name="Continue").click()
        assert "Reviewer: Mr D. Bennett (Deputy)" in page.locator("header").inner_text()
        export = tmp_path / ONE_TO_ONE_ZIP.name
        shutil.copyfile(ONE_TO_ONE_ZIP, export)
        record_consent(page, export)
        analyse_case(page)
        analysed = [e for e in audit_entries(run) if e["event"] == "analysed"][-1]
        assert analysed["detail"]["reviewer"] == "Mr D. Bennett (Deputy)"
        watch.check()
    finally:
        server.stop()


def test_settings_are_checked_before_saving_and_the_calendar_shows_each_day(chromium, home):  # noqa: F811
    home.mkdir(parents=True)
    shutil.copyfile(SAMPLE_CONFIG, home / "chat-review.toml")
    before = (home / "chat-review.toml").read_bytes()
    server = start_server(home, "--reviewer", "Ms Head")
    try:
        page, watch = open_page(chromium, server)
        page.goto(server.base + "/settings?from=2026-05-22&to=2026-05-26")
        rows = page.locator("table tbody tr")
        assert rows.count() == 5
        assert "Spring Bank Holiday" in rows.nth(3).inner_text()
        assert "08:00-16:00" in rows.nth(0).inner_text()  # the sample's short Friday
        page.get_by_label("Settings (TOML)").fill('[hours]\nmonday = "nine to five"\n')
        page.get_by_role("button", name="Check and save").click()
        assert "[hours] monday: 'nine' is not a time of day" in page.locator(
            "[role=alert]").inner_text()
        assert (home / "chat-review.toml").read_bytes() == before
        page.get_by_label("Settings (TOML)").fill('[hours]\nfriday = "08:00-15:30"\n')
        page.get_by_role("button", name="Check and save").click()
        assert "Settings checked and saved" in page.locator("[role=status]").inner_text()
        assert "08:00-15:30" in page.locator("dl").inner_text()
        assert (home / "chat-review.toml").read_text() == '[hours]\nfriday = "08:00-15:30"\n'
        watch.check()
    finally:
        server.stop()


def test_retention_deletes_old_reports_only_after_confirmation(chromium, home, tmp_path, run):  # noqa: F811
    home.mkdir(parents=True)
    (home / "chat-review.toml").write_text("[retention]\nreport_days = 0\n")
    server = start_server(home, "--reviewer", "Ms Head")
    try:
        export = tmp_path / ONE_TO_ONE_ZIP.name
        shutil.copyfile(ONE_TO_ONE_ZIP, export)
        page, watch = open_page(chromium, server)
        record_consent(page, export)
        analyse_case(page)
        reports = sorted((home / "reports" / "consent-1").iterdir())
        assert len(reports) == 4
        page.get_by_role("link", name="Retention").click()
        assert "Reports written more than 0 days ago: 4" in page.inner_text("main")
        page.get_by_role("link", name="Delete these files").click()
        assert all(p.exists() for p in reports)  # asking is not deleting
        page.get_by_role("button", name="Yes, delete them").click()
        assert "Deleted 4 files" in page.locator("[role=status]").inner_text()
        assert not any(p.exists() for p in reports)
        assert sum(e["event"] == "retention-deleted" for e in audit_entries(run)) == 4
        watch.check()
    finally:
        server.stop()


def test_the_forms_work_from_the_keyboard(chromium, home, tmp_path):  # noqa: F811
    server = start_server(home)
    try:
        page, watch = open_page(chromium, server)
        page.keyboard.press("Tab")  # the skip link comes first
        assert page.evaluate("document.activeElement.textContent") == "Skip to the page"
        page.get_by_label("Your name and role").focus()
        page.keyboard.type("Ms Head")
        page.keyboard.press("Enter")
        page.wait_for_url("**/consents")
        labels = page.goto(server.base + "/consents/new") and page.evaluate(
            "[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
            ".every(e => e.labels && e.labels.length > 0)")
        assert labels, "every field has a label"
        watch.check()
    finally:
        server.stop()


def test_the_kept_copy_is_deleted_when_consent_is_revoked(chromium, home, tmp_path, run):  # noqa: F811
    server = start_server(home, "--reviewer", "Ms Head")
    try:
        export = tmp_path / ONE_TO_ONE_ZIP.name
        shutil.copyfile(ONE_TO_ONE_ZIP, export)
        page, watch = open_page(chromium, server)
        record_consent(page, export, keep=True)
        kept = home / "kept-exports" / "1" / ONE_TO_ONE_ZIP.name
        assert kept.read_bytes() == ONE_TO_ONE_ZIP.read_bytes()
        assert kept.stat().st_mode & 0o077 == 0
        page.get_by_role("link", name="Revoke this consent").click()
        assert "will be deleted" in page.inner_text("main")
        page.get_by_label("Why consent is withdrawn").fill("Withdrawn")
        page.get_by_role("button", name="Yes, revoke consent 1").click()
        assert not kept.exists()
        events = [e["event"] for e in audit_entries(run)]
        assert "export-copy-kept" in events and "export-copy-deleted" in events
        watch.check()
    finally:
        server.stop()


def test_a_kept_copy_survives_a_restart_and_is_analysed_without_asking(chromium, home,  # noqa: F811
                                                                       tmp_path):
    server = start_server(home, "--reviewer", "Ms Head")
    export = tmp_path / ONE_TO_ONE_ZIP.name
    shutil.copyfile(ONE_TO_ONE_ZIP, export)
    try:
        page, _watch = open_page(chromium, server)
        record_consent(page, export, keep=True)
        page.context.close()
    finally:
        server.stop()
    again = start_server(home, "--reviewer", "Ms Head")
    try:
        page, watch = open_page(chromium, again)
        page.goto(again.base + "/consents/1")
        assert page.get_by_label("Choose the export again").count() == 0
        assert "kept on this computer" in page.inner_text("main")
        analyse_case(page)
        watch.check()
    finally:
        again.stop()
