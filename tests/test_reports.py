"""Rendering: PNG, PDF, JSON and text summary of the incident report (and the staff view)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from findings_factory import (
    SHA_A,
    SHA_B,
    make_big_findings,
    make_context,
    make_empty_findings,
    make_findings,
)
from PIL import Image
from pypdf import PdfReader

from chat_review.reports.context import DEFAULT_TITLE, ReportContext
from chat_review.reports.json_report import render_json
from chat_review.reports.pdf import render_pdf
from chat_review.reports.png import render_png
from chat_review.reports.staff import render_staff_pdf, render_staff_png, render_staff_summary
from chat_review.reports.text import render_summary


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def alt_texts(data: bytes) -> list[str]:
    """Every /Alt in the PDF's structure tree (the charts' descriptions)."""
    found: list[str] = []

    def walk(node, depth=0):
        node = node.get_object() if hasattr(node, "get_object") else node
        if depth > 40:
            return
        if isinstance(node, dict):
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            kids = node.get("/K")
            if kids is not None:
                walk(kids, depth + 1)
        elif isinstance(node, list):
            for k in node:
                walk(k, depth + 1)

    walk(PdfReader(io.BytesIO(data)).trailer["/Root"]["/StructTreeRoot"])
    return found


def non_white_share(data: bytes) -> float:
    img = Image.open(io.BytesIO(data)).convert("L")
    hist = img.histogram()
    return 1 - sum(hist[245:]) / (img.width * img.height)


@pytest.fixture(scope="module")
def small():
    f = make_findings()
    return f, make_context(f)


@pytest.fixture(scope="module")
def small_pdf(small) -> bytes:
    return render_pdf(*small)


@pytest.fixture(scope="module")
def small_png(small) -> bytes:
    return render_png(*small)


@pytest.fixture(scope="module")
def big():
    """The big fixture, rendered once: 60 senders, two years, 100k messages, two chats."""
    f = make_big_findings()
    ctx = make_context(f, excerpts=True)
    return f, ctx, render_png(f, ctx), render_pdf(f, ctx)


@pytest.fixture(scope="module")
def empty():
    f = make_empty_findings()
    ctx = make_context(f)
    return f, ctx, render_png(f, ctx), render_pdf(f, ctx)


# --------------------------------------------------------------------------- import cost


def test_importing_reports_does_not_import_matplotlib():
    code = (
        "import sys, chat_review.reports, chat_review.reports.png, chat_review.reports.pdf, "
        "chat_review.reports.text, chat_review.reports.json_report, chat_review.reports.staff, "
        "chat_review.reports.context; print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- context


def test_context_defaults_title_and_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1736692200")
    ctx = ReportContext(generated_at=datetime(2030, 1, 1, tzinfo=UTC))
    assert ctx.title == DEFAULT_TITLE
    assert ctx.generated_at == datetime(2025, 1, 12, 14, 30, tzinfo=UTC)


def test_context_labels_missing_consent_visibly():
    assert ReportContext(consents=[]).consent_label == "none recorded"


# --------------------------------------------------------------------------- PNG


def test_png_is_a4_portrait_at_150_dpi(small_png):
    img = Image.open(io.BytesIO(small_png))
    assert img.size == (1240, 1754)
    assert img.info.get("dpi", (150, 150))[0] == pytest.approx(150, abs=1)


def test_png_is_not_blank(small_png):
    assert non_white_share(small_png) > 0.08


def test_png_carries_no_software_or_time_metadata(small_png):
    info = Image.open(io.BytesIO(small_png)).info
    assert "Software" not in info
    assert not any("time" in str(k).lower() for k in info)


# --------------------------------------------------------------------------- PDF


def test_pdf_text_has_consent_id_full_sha_and_key_figures(small, small_pdf):
    f, _ = small
    text = "\n".join(pdf_text(small_pdf))
    assert "#12" in text
    assert SHA_A in text.replace(" ", "").replace("\n", "")
    assert f"{f.total_messages:,}" in text
    assert f"{f.out_of_hours_messages:,}" in text
    assert "Bursts of messages" in text and "Messages flagged for review" in text


def test_pdf_summary_page_shows_short_sha_and_consent_footer(small_pdf):
    first = pdf_text(small_pdf)[0]
    assert SHA_A[:12] in first
    assert "Confidential — prepared under recorded parental consent (consent #12)" in first


def test_pdf_metadata_has_title_subject_and_creator(small, small_pdf):
    _, ctx = small
    meta = PdfReader(io.BytesIO(small_pdf)).metadata
    assert meta.title == ctx.title
    assert "#12" in meta.subject
    assert meta.author == f"chat-review {ctx.tool_version}"
    assert meta.creator.startswith("Typst")


def test_every_pdf_page_is_numbered_n_of_total(small_pdf):
    pages = pdf_text(small_pdf)
    assert len(pages) >= 5
    for n, text in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in text


def test_pdf_pages_are_a4_portrait(small_pdf):
    for page in PdfReader(io.BytesIO(small_pdf)).pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(w), round(h)) == (595, 842)


def test_pdf_method_page_has_working_hours_date_order_and_consent_record(small_pdf):
    method = " ".join("\n".join(pdf_text(small_pdf)[-2:]).split())
    assert "Working hours are Monday–Thursday 08:00–18:00 and Friday 08:00–16:30" in method
    assert "Autumn half term" in method
    assert "day above 12 on line 4" in method
    assert "R. Patel (headteacher)" in method
    assert "Audit entry" in method and "#57" in method


def test_pdf_leaves_excerpts_out_by_default(small, small_pdf):
    f, _ = small
    assert any(x.excerpt for x in f.flags)
    assert "Honestly" not in "\n".join(pdf_text(small_pdf))


def test_pdf_includes_excerpts_when_asked(small):
    f, ctx = small
    data = render_pdf(f, make_context(f, excerpts=True))
    assert "Honestly" in "\n".join(pdf_text(data))


def test_pdf_shows_warnings_on_the_summary_page(small_pdf):
    assert "truncated" in pdf_text(small_pdf)[0]


def test_outputs_are_byte_identical_with_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1736692200")
    f = make_findings(days=10, n_messages=120)
    runs = [(render_png(f, make_context(f)), render_pdf(f, make_context(f))) for _ in range(2)]
    assert runs[0][0] == runs[1][0]
    assert runs[0][1] == runs[1][1]
    assert PdfReader(io.BytesIO(runs[0][1])).metadata.creation_date.year == 2025


# --------------------------------------------------------------------------- empty


def test_empty_findings_pdf_says_no_messages(empty):
    _, _, _, pdf = empty
    assert "No messages in the consented period" in pdf_text(pdf)[0]


def test_empty_findings_png_renders_a4(empty):
    _, _, png, _ = empty
    assert Image.open(io.BytesIO(png)).size == (1240, 1754)
    assert non_white_share(png) > 0.01


def test_empty_findings_summary_says_no_messages(empty):
    f, ctx, _, _ = empty
    assert "No messages in the consented period" in render_summary(f, ctx)


# --------------------------------------------------------------------------- big fixture


def test_big_fixture_png_is_a4_and_busy(big):
    _, _, png, _ = big
    assert Image.open(io.BytesIO(png)).size == (1240, 1754)
    assert non_white_share(png) > 0.15


def test_big_fixture_lists_thirty_senders_and_sums_the_rest(big):
    f, _, _, pdf = big
    text = "\n".join(pdf_text(pdf)).replace("\n", " ")
    missing = [s.sender for s in f.senders[:30] if s.sender[:8] not in text]
    assert missing == []
    assert "Other (30 senders)" in text


def test_big_fixture_pdf_has_both_full_hashes(big):
    _, _, _, pdf = big
    text = "".join(pdf_text(pdf)[-3:]).replace(" ", "").replace("\n", "")
    assert SHA_A in text and SHA_B in text


def test_big_fixture_uses_weekly_bins_and_says_so(big):
    _, _, _, pdf = big
    assert any("messages per week" in a for a in alt_texts(pdf))


# --------------------------------------------------------------------------- JSON


def test_json_has_provenance_and_findings(small):
    f, ctx = small
    doc = json.loads(render_json(f, ctx))
    assert doc["chat_review_version"] == ctx.tool_version
    assert doc["consents"][0]["id"] == 12
    assert doc["audit_entry"]["id"] == 57
    assert doc["findings"]["total_messages"] == f.total_messages


def test_json_is_stable_and_sorted(small):
    f, ctx = small
    a, b = render_json(f, ctx), render_json(f, ctx)
    assert a == b
    keys = list(json.loads(a))
    assert keys == sorted(keys)


def test_json_drops_excerpts_unless_asked(small):
    f, ctx = small
    assert "Honestly" not in render_json(f, ctx).decode()
    assert "Honestly" in render_json(f, make_context(f, excerpts=True)).decode()


# --------------------------------------------------------------------------- text summary


def test_summary_lines_fit_in_100_columns(big):
    f, ctx, _, _ = big
    assert max(len(line) for line in render_summary(f, ctx).splitlines()) <= 100


def test_summary_gives_flags_with_line_numbers_as_prompts(small):
    f, ctx = small
    text = render_summary(f, ctx)
    assert f"line {f.flags[0].line}" in text
    assert "not findings of misconduct" in " ".join(text.split())


def test_summary_shows_warnings(small):
    f, ctx = small
    assert "truncated" in render_summary(f, ctx)


def test_summary_says_when_there_are_no_bursts_or_flags():
    f = make_findings(n_bursts=0, n_flags=0)
    text = render_summary(f, make_context(f))
    assert "None found." in text
    assert "No message matched a review rule." in text
    assert "not findings of misconduct" not in text


def test_summary_caps_long_lists_and_points_to_the_pdf(big):
    f, ctx, _, _ = big
    text = render_summary(f, ctx)
    assert (f"the 10 largest shown; the PDF summarises all {len(f.bursts):,} per sender, the "
            "JSON lists them.") in text
    assert f"{len(f.flags) - 10:,} more: grouped in the PDF report, listed in the JSON." in text


# --------------------------------------------------------------------------- staff view


def test_staff_png_is_a4(small):
    f, ctx = small
    png = render_staff_png(f, ctx, "Mrs Ellis")
    assert Image.open(io.BytesIO(png)).size == (1240, 1754)
    assert non_white_share(png) > 0.05


def test_staff_pdf_names_the_staff_member_and_each_parent(small):
    f, ctx = small
    text = "\n".join(pdf_text(render_staff_pdf(f, ctx, "Mrs Ellis")))
    assert "Contact with Mrs Ellis" in text
    for x in f.staff_contact:
        assert x.sender in text


def test_staff_focus_in_context_renders_the_staff_view(small):
    f, _ = small
    data = render_pdf(f, make_context(f, staff_focus="Mrs Ellis"))
    assert "Contact with Mrs Ellis" in pdf_text(data)[0]


def test_staff_view_without_contact_says_so(small):
    f, ctx = small
    text = pdf_text(render_staff_pdf(f, ctx, "Mr Nobody"))[0]
    assert "No contact with Mr Nobody" in text
    assert "No contact with Mr Nobody" in render_staff_summary(f, ctx, "Mr Nobody")


# --------------------------------------------------------------------------- shared rendering


def test_render_outputs_gives_the_same_bytes_as_each_renderer(small, small_png, small_pdf):
    from chat_review.reports import render_outputs

    f, ctx = small
    out = render_outputs(f, ctx, ["json", "png", "pdf"])
    assert out == {"json": render_json(f, ctx), "png": small_png, "pdf": small_pdf}
    assert render_outputs(f, ctx, {"png"}) == {"png": small_png}
    assert render_outputs(f, ctx, ("pdf",)) == {"pdf": small_pdf}


def test_render_outputs_follows_the_staff_focus(small):
    from chat_review.reports import render_outputs

    f, _ = small
    ctx = make_context(f, staff_focus="Mrs Ellis")
    out = render_outputs(f, ctx, {"png", "pdf"})
    assert out["png"] == render_staff_png(f, ctx, "Mrs Ellis")
    assert out["pdf"] == render_staff_pdf(f, ctx, "Mrs Ellis")


def test_render_outputs_refuses_an_unknown_kind(small):
    from chat_review.reports import render_outputs

    with pytest.raises(ValueError, match="svg"):
        render_outputs(*small, {"png", "svg"})


def test_summary_header_shows_every_consent_and_stays_on_the_page():
    f = make_big_findings()
    ctx = make_context(f)
    long = "Concerns about repeated late-evening messages to the class teacher and the TA, " \
           "raised by the parent governor after the autumn term review meeting"
    ctx.consents[0]["purpose"] = long
    ctx.consents[1]["purpose"] = long.replace("autumn", "spring")
    png = Image.open(io.BytesIO(render_png(f, ctx)))
    assert png.size == (1240, 1754)
    page1 = pdf_text(render_pdf(f, ctx))[0]
    flat = " ".join(page1.split())
    assert "#12 (Concerns about repeated" in flat and "#14 (Concerns about repeated" in flat
    assert "after the spring term review meeting" in flat  # wrapped, not cut
