"""With pseudonymisation, no participant's name reaches any output."""

from __future__ import annotations

import io
import json
import re

import pytest
from findings_factory import make_context, make_findings
from PIL import Image
from pypdf import PdfReader

from chat_review.pseudonymise import pseudonymise_report
from chat_review.reports.json_report import render_json
from chat_review.reports.pdf import render_pdf
from chat_review.reports.png import render_png
from chat_review.reports.staff import render_staff_pdf, render_staff_summary
from chat_review.reports.text import render_summary

NAMES = ["Jane Doe", "Priya Sharma", "Tom O'Brien", "Mrs Ellis"]
# Every name and name word a leak could show up as (case-insensitive).
LEAKS = ["Jane", "Doe", "Priya", "Sharma", "O'Brien", "Ellis", "07700"]


@pytest.fixture(scope="module")
def pseudo():
    f = make_findings(names=NAMES, staff=["Mrs Ellis"], sources=2, excerpts=True)
    ctx = make_context(f, excerpts=True)
    return pseudonymise_report(f, ctx, ["Mrs Ellis"])


def leaks(text: str) -> list[str]:
    return [n for n in LEAKS if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.IGNORECASE)]


def test_no_name_in_pdf_text_or_metadata(pseudo):
    f, ctx = pseudo
    reader = PdfReader(io.BytesIO(render_pdf(f, ctx)))
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    assert "Parent A" in text
    assert leaks(text) == []
    assert leaks(" ".join(str(v) for v in reader.metadata.values())) == []


def test_no_name_in_png_metadata(pseudo):
    f, ctx = pseudo
    info = Image.open(io.BytesIO(render_png(f, ctx))).info
    assert leaks(" ".join(f"{k} {v}" for k, v in info.items())) == []


def test_no_name_in_json(pseudo):
    f, ctx = pseudo
    assert leaks(render_json(f, ctx).decode()) == []


def test_no_name_in_text_summary(pseudo):
    f, ctx = pseudo
    assert leaks(render_summary(f, ctx)) == []


def test_no_name_in_staff_view(pseudo):
    f, ctx = pseudo
    reader = PdfReader(io.BytesIO(render_staff_pdf(f, ctx, "Staff 1")))
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    assert "Contact with Staff 1" in text
    assert leaks(text + render_staff_summary(f, ctx, "Staff 1")) == []


def pdf_text(data: bytes, pages: slice = slice(None)) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages[pages])


def test_consent_header_says_once_that_the_purposes_are_withheld(pseudo):
    f, ctx = pseudo
    header = "#12, #14 (purposes withheld from this pseudonymised report)"
    assert header in pdf_text(render_pdf(f, ctx), slice(0, 1))
    assert f"Consent: {header}; names pseudonymised" in render_summary(f, ctx)
    assert f"Consent: {header}" in render_staff_summary(f, ctx, "Staff 1")


def test_consent_record_says_in_words_what_is_withheld(pseudo):
    f, ctx = pseudo
    text = " ".join(pdf_text(render_pdf(f, ctx)).split())
    assert "#12: purpose withheld from this pseudonymised report" in text
    assert "the recorder's name is withheld from this pseudonymised report" in text
    assert "Evidence withheld from this pseudonymised report" in text


def test_json_keeps_the_withheld_fields_as_one_plain_phrase(pseudo):
    f, ctx = pseudo
    consent = json.loads(render_json(f, ctx))["consents"][0]
    assert {consent[k] for k in ("purpose", "recorded_by", "evidence")} == {
        "withheld from this pseudonymised report"}
