"""`chat-review analyse` end to end: pairing, outputs, audit, refusals, options."""

from __future__ import annotations

import hashlib
import json

import pytest
from conftest import SAMPLE_CONFIG, audit_entries
from PIL import Image
from pypdf import PdfReader


@pytest.fixture
def two_chats(grant, group_chat, one_to_one_zip):
    return [(group_chat, grant(group_chat)), (one_to_one_zip, grant(one_to_one_zip))]


def chat_args(pairs):
    return [arg for path, token in pairs for arg in ("--chat", str(path), token)]


def test_summary_is_printed_with_the_key_figures(run, grant, one_to_one_zip):
    token = grant(one_to_one_zip)
    result = run("analyse", str(one_to_one_zip), "--token", token, "--config", str(SAMPLE_CONFIG))
    assert result.code == 0, result.err
    assert "Messages (no system events):" in result.out and "26" in result.out
    assert "Bursts of messages (2)" in result.out
    assert "consent #1" in result.out


def test_reports_are_written_and_each_is_audited_with_its_hash(run, grant, one_to_one_zip,
                                                              tmp_path):
    token = grant(one_to_one_zip)
    paths = {kind: tmp_path / f"report.{kind}" for kind in ("json", "png", "pdf")}
    result = run("analyse", str(one_to_one_zip), "--token", token, "--config",
                 str(SAMPLE_CONFIG), "--quiet", *[a for k, p in paths.items()
                                                  for a in (f"--{k}", str(p))])
    assert result.code == 0, result.err
    written = {e["detail"]["kind"]: e["detail"] for e in audit_entries(run)
               if e["event"] == "output-written"}
    for kind, path in paths.items():
        assert written[kind]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert written[kind]["path"] == str(path)
    analysed = [e for e in audit_entries(run) if e["event"] == "analysed"]
    assert len(analysed) == 1 and analysed[0]["detail"]["consent_ids"] == [1]


def test_pdf_names_the_consent_and_the_full_sha256(run, grant, one_to_one_zip, tmp_path):
    token = grant(one_to_one_zip)
    pdf = tmp_path / "r.pdf"
    run("analyse", str(one_to_one_zip), "--token", token, "--pdf", str(pdf), "--quiet")
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    digest = hashlib.sha256(one_to_one_zip.read_bytes()).hexdigest()
    assert digest in text.replace("\n", "")
    assert "#1" in text


def test_png_is_an_a4_page_that_is_not_blank(run, grant, one_to_one_zip, tmp_path):
    token = grant(one_to_one_zip)
    png = tmp_path / "r.png"
    run("analyse", str(one_to_one_zip), "--token", token, "--png", str(png), "--quiet")
    image = Image.open(png).convert("L")
    assert image.size == (1240, 1754)
    histogram = image.histogram()
    assert sum(histogram[:200]) > 20_000  # ink: text, bars and heatmap cells


def test_several_chats_each_with_its_own_token(run, two_chats, tmp_path):
    out = tmp_path / "both.json"
    result = run("analyse", *chat_args(two_chats), "--json", str(out), "--quiet")
    assert result.code == 0, result.err
    payload = json.loads(out.read_text())
    assert [s["consent_id"] for s in payload["findings"]["sources"]] == [1, 2]
    assert [e["detail"]["consent_ids"] for e in audit_entries(run)
            if e["event"] == "analysed"] == [[1, 2]]


def test_swapped_tokens_are_refused_and_nothing_is_written(run, two_chats, tmp_path):
    (a, token_a), (b, token_b) = two_chats
    out = tmp_path / "r.pdf"
    result = run("analyse", "--chat", str(a), token_b, "--chat", str(b), token_a,
                 "--pdf", str(out))
    assert result.code == 3 and "not the file consent #2 was recorded for" in result.err
    assert not out.exists()
    assert not any(e["event"] == "analysed" for e in audit_entries(run))


def test_token_without_an_export_is_a_usage_error(run, two_chats):
    result = run("analyse", "--token", two_chats[0][1])
    assert result.code == 2 and "--chat EXPORT TOKEN" in result.err


def test_the_same_chat_twice_is_a_usage_error(run, two_chats):
    path, token = two_chats[0]
    result = run("analyse", "--chat", str(path), token, "--chat", str(path), token)
    assert result.code == 2 and "given twice" in result.err


def test_existing_report_is_refused_before_the_chat_is_read(run, grant, one_to_one_zip,
                                                            tmp_path):
    token = grant(one_to_one_zip)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"earlier report")
    result = run("analyse", str(one_to_one_zip), "--token", token, "--pdf", str(pdf))
    assert result.code == 2 and "--force" in result.err
    assert pdf.read_bytes() == b"earlier report"
    assert not any(e["event"] == "read" for e in audit_entries(run))


def test_staff_view_needs_a_name_from_the_roster(run, grant, one_to_one_zip):
    token = grant(one_to_one_zip)
    result = run("analyse", str(one_to_one_zip), "--token", token, "--config",
                 str(SAMPLE_CONFIG), "--staff", "Mr Nobody")
    assert result.code == 2 and "Adaeze Okafor" in result.err


def test_staff_view_accepts_an_alias(run, grant, one_to_one_zip):
    token = grant(one_to_one_zip)
    result = run("analyse", str(one_to_one_zip), "--token", token, "--config",
                 str(SAMPLE_CONFIG), "--staff", "Mrs Okafor")
    assert result.code == 0, result.err
    assert "Contact with Adaeze Okafor" in result.out


def test_bad_settings_file_is_refused_before_reading(run, grant, one_to_one_zip, tmp_path):
    token = grant(one_to_one_zip)
    bad = tmp_path / "bad.toml"
    bad.write_text('[hours]\nmonday = "25:00-17:00"\n')
    result = run("analyse", str(one_to_one_zip), "--token", token, "--config", str(bad))
    assert result.code == 2 and "monday" in result.err
    assert not any(e["event"] == "read" for e in audit_entries(run))


def test_window_with_no_messages_gives_a_report_that_says_so(run, grant, one_to_one_zip,
                                                             tmp_path):
    token = grant(one_to_one_zip, "--from", "01/01/2026", "--to", "31/01/2026")
    pdf, png = tmp_path / "r.pdf", tmp_path / "r.png"
    result = run("analyse", str(one_to_one_zip), "--token", token, "--pdf", str(pdf),
                 "--png", str(png))
    assert result.code == 0, result.err
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "No messages in the consented period" in text
    assert png.stat().st_size > 0


def test_pseudonymised_outputs_name_nobody(run, two_chats, tmp_path):
    outs = {k: tmp_path / f"p.{k}" for k in ("json", "pdf", "png")}
    result = run("analyse", *chat_args(two_chats), "--config", str(SAMPLE_CONFIG),
                 "--pseudonymise", *[a for k, p in outs.items() for a in (f"--{k}", str(p))])
    assert result.code == 0, result.err
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(outs["pdf"]).pages)
    png_meta = " ".join(str(v) for v in Image.open(outs["png"]).info.values())
    for name in ("Tom", "Aldridge", "Hannah", "Whitlock", "Grace", "Mensah", "Leo",
                 "Fairbairn", "Okafor", "Adaeze", "Bennett"):
        for where, text in (("summary", result.out), ("json", outs["json"].read_text()),
                            ("pdf", pdf_text), ("png", png_meta)):
            assert name not in text, f"{name} appears in the {where}"


def test_png_is_byte_identical_with_source_date_epoch(run, grant, one_to_one_zip, tmp_path):
    token = grant(one_to_one_zip)
    env = {"SOURCE_DATE_EPOCH": "1764000000"}
    first, second = tmp_path / "1.png", tmp_path / "2.png"
    for path in (first, second):
        assert run("analyse", str(one_to_one_zip), "--token", token, "--png", str(path),
                   "--quiet", env=env).code == 0
    assert first.read_bytes() == second.read_bytes()


def test_an_ambiguous_date_order_is_stated_in_every_output(run, grant, tmp_path):
    export = tmp_path / "ambiguous.txt"
    export.write_text("01/02/2026, 10:00 - Ann Example: one\n"
                      "01/03/2026, 10:00 - Ben Example: two\n"
                      "02/03/2026, 10:00 - Ann Example: three\n", encoding="utf-8")
    token = grant(export)
    out = {k: tmp_path / f"r.{k}" for k in ("json", "pdf")}
    result = run("analyse", str(export), "--token", token, "--json", str(out["json"]),
                 "--pdf", str(out["pdf"]))
    assert result.code == 0, result.err
    pdf_text = " ".join(p.extract_text() for p in PdfReader(out["pdf"]).pages)
    payload = json.loads(out["json"].read_text())
    assert payload["findings"]["sources"][0]["date_order_ambiguous"] is True
    for where, text in (("summary", result.out), ("json", out["json"].read_text()),
                        ("pdf", " ".join(pdf_text.split()))):
        assert "day-first" in text and "ambiguous" in text.lower(), where
