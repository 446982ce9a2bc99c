"""One register, two doors: what the page records works at the command line, and the reverse."""

from __future__ import annotations

import json
import shutil

from conftest import GROUP_CHAT, ONE_TO_ONE_ZIP
from web_support import (  # noqa: F401 - fixtures
    analyse_case,
    chromium,
    open_page,
    record_consent,
    server,
)


def test_a_consent_recorded_in_the_page_works_in_the_cli(chromium, server, tmp_path, run):  # noqa: F811
    export = tmp_path / ONE_TO_ONE_ZIP.name
    shutil.copyfile(ONE_TO_ONE_ZIP, export)
    page, watch = open_page(chromium, server)
    token = record_consent(page, export, parent="Tom Aldridge")

    listed = run("consent", "list")
    assert listed.code == 0
    assert "Tom Aldridge" in listed.out and ONE_TO_ONE_ZIP.name in listed.out
    analysed = run("analyse", str(export), "--token", token, "--json", str(tmp_path / "r.json"),
                   "--quiet")
    assert analysed.code == 0, analysed.err
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["consents"][0]["parent"] == "Tom Aldridge"
    watch.check()


def test_a_consent_recorded_in_the_cli_is_analysed_in_the_page(chromium, server, tmp_path,  # noqa: F811
                                                              run, grant):
    export = tmp_path / GROUP_CHAT.name
    shutil.copyfile(GROUP_CHAT, export)
    token = grant(export)
    page, watch = open_page(chromium, server)
    page.get_by_role("link", name="Case 1").click()
    assert page.locator(".token").inner_text().strip() == token
    # the page never saw the file: it asks for it, and the gate checks it against the consent
    page.get_by_label("Choose the export again").set_input_files(str(GROUP_CHAT))
    analyse_case(page)
    written = [e for e in json.loads("[" + ",".join(run("audit", "list", "--json").out
                                                    .splitlines()) + "]")
               if e["event"] == "output-written"]
    assert {e["detail"]["kind"] for e in written} == {"png", "pdf", "json", "csv"}
    watch.check()


def test_the_wrong_file_is_refused_in_the_page_with_the_gates_sentence(chromium, server,  # noqa: F811
                                                                       tmp_path, grant):
    export = tmp_path / GROUP_CHAT.name
    shutil.copyfile(GROUP_CHAT, export)
    grant(export)
    page, watch = open_page(chromium, server)
    page.goto(server.base + "/consents/1")
    page.get_by_label("Choose the export again").set_input_files(str(ONE_TO_ONE_ZIP))
    page.get_by_role("button", name="Analyse").click()
    alert = page.locator("[role=alert]").inner_text()
    assert alert.startswith(f"Consent refused: {ONE_TO_ONE_ZIP.name} is not the file consent #1 "
                            "was recorded for")
    assert page.locator("img.summary").count() == 0
    watch.check()
