"""The headteacher's workflow in a real browser (Debian's chromium through Playwright).

Record a consent by uploading an export, analyse it, see the summary PNG, download the PDF,
revoke the consent, see the gate's refusal, verify the audit trail; and all the while no
request leaves 127.0.0.1 and the console stays free of errors.
"""

from __future__ import annotations

import io
import shutil

from conftest import ONE_TO_ONE_ZIP, audit_entries
from PIL import Image
from pypdf import PdfReader
from web_support import (  # noqa: F401 - fixtures
    REVIEWER,
    analyse_case,
    chromium,
    open_page,
    record_consent,
    server,
)


def test_record_analyse_download_revoke_refuse_verify(chromium, server, tmp_path):  # noqa: F811
    export = tmp_path / ONE_TO_ONE_ZIP.name
    shutil.copyfile(ONE_TO_ONE_ZIP, export)
    page, watch = open_page(chromium, server)
    assert page.url == server.base + "/consents"  # the key signed the browser in, then left

    token = record_consent(page, export)
    assert token.startswith("crt1.1.")
    assert "Consent 1 recorded" in page.locator("[role=status]").inner_text()

    page.get_by_role("button", name="Analyse").click()
    image = page.locator("img.summary")
    image.wait_for()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    png = page.request.get(server.base + image.get_attribute("src"))
    assert Image.open(io.BytesIO(png.body())).size == (1240, 1754)

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF:").first.click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 2
    assert "Tom Aldridge" in reader.pages[0].extract_text()

    stale = page.context.new_page()  # a second tab still showing the case page
    stale.goto(page.url)

    page.get_by_role("link", name="Revoke this consent").click()
    page.get_by_label("Why consent is withdrawn").fill("Parent withdrew consent by email")
    page.get_by_role("button", name="Yes, revoke consent 1").click()
    assert "Consent 1 revoked" in page.locator("[role=status]").inner_text()
    assert page.locator(".status").first.inner_text() == "Revoked"

    stale.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    stale.get_by_role("button", name="Analyse").click()
    refusal = stale.locator("[role=alert]").inner_text()
    assert refusal.startswith("Consent refused: consent #1 was revoked on ")

    page.get_by_role("link", name="Audit trail").click()
    page.get_by_role("button", name="Verify the audit trail").click()
    assert page.locator("[role=status]").inner_text().startswith("Audit log intact: ")
    watch.check()


def test_the_reviewer_is_recorded_beside_the_account(chromium, server, tmp_path, run):  # noqa: F811
    export = tmp_path / ONE_TO_ONE_ZIP.name
    shutil.copyfile(ONE_TO_ONE_ZIP, export)
    page, watch = open_page(chromium, server)
    record_consent(page, export)
    analyse_case(page)
    import getpass

    entries = audit_entries(run)
    for event in ("consent-granted", "read", "analysed", "output-written"):
        entry = [e for e in entries if e["event"] == event][-1]
        assert entry["actor"] == getpass.getuser(), event  # the OS account...
        assert entry["detail"]["stated_by"] == REVIEWER, event  # ...and the name beside it
    watch.check()
