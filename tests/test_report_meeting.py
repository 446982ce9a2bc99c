"""Issue 12: a report for the meeting table — short, plain, tagged, one style.

The busy chat (20,000 messages, 30 senders, a school year, bursts and hundreds of review hits)
goes through the installed console script once; the other tests use the findings factory.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import pytest
from busy_chat import make_busy_chat
from conftest import SAMPLE_CONFIG, console_script
from findings_factory import make_big_findings, make_context, make_findings
from pypdf import PdfReader

from chat_review.reports.pdf import render_pdf
from chat_review.reports.staff import render_staff_pdf, render_staff_summary
from chat_review.reports.text import render_summary

EPOCH = "1788550000"  # 4 Sep 2026


def pages(data: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def busy(tmp_path_factory) -> dict:
    """The busy chat analysed through the console script: PDF, PNG, JSON and the summary."""
    tmp = tmp_path_factory.mktemp("busy")
    export = tmp / "Year 4 Parents.txt"
    export.write_bytes(make_busy_chat(20_000))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAT_REVIEW")}
    env["SOURCE_DATE_EPOCH"] = EPOCH
    base = [console_script(), "--home", str(tmp / "home")]

    def cr(*args: str) -> subprocess.CompletedProcess:
        proc = subprocess.run([*base, *args], capture_output=True, text=True, env=env,
                              cwd=tmp, timeout=300)
        assert proc.returncode == 0, proc.stderr
        return proc

    token = cr("consent", "grant", str(export), "--parent", "Tom Aldridge", "--purpose",
               "Group chat conduct", "--recorded-by", "Ms Head").stdout.strip().splitlines()[-1]
    out = cr("analyse", str(export), "--token", token, "--config", str(SAMPLE_CONFIG),
             "--json", "r.json", "--png", "r.png", "--pdf", "r.pdf")
    return {"pdf": (tmp / "r.pdf").read_bytes(), "summary": out.stdout, "tmp": tmp}


# --------------------------------------------------------------------------- length


def test_a_busy_year_long_chat_fits_in_twelve_pages(busy):
    assert len(pages(busy["pdf"])) <= 12


def test_a_hundred_thousand_messages_with_excerpts_fit_in_twelve_pages():
    f = make_big_findings()
    assert len(pages(render_pdf(f, make_context(f, excerpts=True)))) <= 12


def test_no_page_carries_a_single_orphaned_line(busy):
    for n, text in enumerate(pages(busy["pdf"]), 1):
        body = [line for line in text.splitlines()
                if line.strip() and not line.startswith("Confidential")]
        assert len(body) > 1, f"page {n} holds only {body}"


@pytest.mark.parametrize("extra_words", range(0, 96, 6))
def test_the_audit_hash_is_never_split_from_this_report(extra_words):
    # a longer purpose moves the method section's end across a page boundary, step by step
    f = make_findings()
    ctx = make_context(f)
    ctx.consents[0]["purpose"] += " and more" * extra_words
    where = {}
    for n, text in enumerate(pages(render_pdf(f, ctx)), 1):
        for line in text.splitlines():
            if line.startswith(("This report", "Audit hash")):
                where[line.split()[0] + line.split()[1]] = n
    assert where["Thisreport"] == where["Audithash"], where


def test_commands_in_the_pdf_are_set_whole_without_backticks(run, grant, group_chat, tmp_path):
    # no settings file: the defaults warning names `chat-review config init` and --config
    pdf = tmp_path / "r.pdf"
    token = grant(group_chat)
    assert run("analyse", str(group_chat), "--token", token, "--pdf", str(pdf)).code == 0
    text = pages(pdf.read_bytes())[0]
    assert "chat-review config init" in text and "`" not in text
    assert re.search(r"(?<!-)--config\b", text)  # never "--" at a line's end, "config" below


def test_bursts_are_summarised_per_sender_not_one_per_row(busy):
    text = flat("\n".join(pages(busy["pdf"])))
    assert re.search(r"[\d,]+ bursts by [\d,]+ senders, summarised per sender", text)


def test_flags_are_grouped_by_sender_and_category_with_a_few_examples(busy):
    text = flat("\n".join(pages(busy["pdf"])))
    assert re.search(r"[\d,]+ messages matched a review rule: [\d,]+ groups of sender and "
                     r"category", text)
    assert "the complete list is in the JSON report" in text


# --------------------------------------------------------------------------- page 1


def test_page_one_is_titled_and_opens_with_headline_sentences(busy):
    first = flat(pages(busy["pdf"])[0])
    assert first.startswith("Chat review summary")
    assert re.search(r"Tom \w+ sent [\d,]+ of [\d,]+ messages outside working hours "
                     r"\(\d+%\), with [\d,]+ (late-evening )?bursts?", first)
    assert first.index("Parents (everyone not on the staff roster)") < first.index("Staff:")


def test_page_one_defines_its_words(busy):
    first = flat(pages(busy["pdf"])[0])
    for term in ("Working hours Monday–Thursday 08:00–17:00 and Friday 08:00–16:00",
                 "Out of hours Sent outside working hours", "Late evening Sent between 22:00 "
                 "and 06:00", "Burst 5 or more messages", "Mention A message by someone not "
                 "on the staff roster", "Review flag A message containing"):
        assert term in first


def test_headline_for_one_person_reads_as_a_sentence():
    from chat_review.reports import _words as w

    p = w.Person("Tom Aldridge", False, 38, 36, 9, [object()] * 4, 4, w.Counter(), 0)
    assert w.headline(p) == ("Tom Aldridge sent 36 of 38 messages outside working hours "
                             "(95%), with 4 late-evening bursts.")


def test_key_figures_say_system_events_are_not_counted(busy):
    first = flat(pages(busy["pdf"])[0])
    assert "Messages (no system events)" in first
    assert re.search(r"[\d,]+ system events? \(joins, leaves, changes\) are left out", first)


# --------------------------------------------------------------------------- accessibility


def test_pdf_is_tagged_with_a_language_and_shows_its_title(busy):
    reader = PdfReader(io.BytesIO(busy["pdf"]))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == "Chat review summary"


def test_every_chart_has_alt_text():
    from test_reports import alt_texts

    f = make_findings()
    alts = alt_texts(render_pdf(f, make_context(f)))
    assert len(alts) == 3
    assert all(len(a) > 40 for a in alts)


def test_an_emoji_in_a_name_is_written_as_its_name_not_a_box():
    f = make_big_findings()  # one sender is "… (Year 4 class rep) 🌻"
    text = "\n".join(pages(render_pdf(f, make_context(f))))
    assert "[sunflower]" in text
    assert "□" not in text


# --------------------------------------------------------------------------- one style

FORBIDDEN_DATES = [
    (r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", "dd/mm/yy"),
    (r"\b\d{4}-\d{2}-\d{2}\b", "ISO date"),
    (r"\b0\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}", "zero-padded day"),
    (r"\bUTC\b", "UTC instead of UK time"),
    (r"\b1 (contacts|messages|bursts|senders|days|working days)\b", "singular with plural"),
]


def _without_quoted_rules(text: str, f) -> str:
    """The date-order rule quotes the export's own line (its dates as the file writes them)."""
    for s in f.sources:
        text = text.replace(s.date_order_rule, "")
    return flat(text)


@pytest.mark.parametrize("pattern,what", FORBIDDEN_DATES, ids=[w for _, w in FORBIDDEN_DATES])
def test_one_date_style_in_every_text_output(pattern, what):
    f = make_findings()
    ctx = make_context(f)
    outputs = {
        "pdf": "\n".join(pages(render_pdf(f, ctx))),
        "staff pdf": "\n".join(pages(render_staff_pdf(f, ctx, "Mrs Ellis"))),
        "summary": render_summary(f, ctx),
        "staff summary": render_staff_summary(f, ctx, "Mrs Ellis"),
    }
    for name, text in outputs.items():
        found = re.search(pattern, _without_quoted_rules(flat(text).replace(" \n", " "), f))
        assert found is None, f"{what} in the {name}: {found.group(0)!r}"


def test_busy_chat_outputs_use_uk_dates(busy):
    text = flat("\n".join(pages(busy["pdf"])) + busy["summary"])
    assert re.search(r"\b\d{1,2} (Sep|Oct) 2025\b", text)
    assert re.search(r"\d{1,2} Sep 2026, \d{2}:\d{2} UK time", text)  # the report's own time
    for pattern, what in FORBIDDEN_DATES[1:4]:
        assert re.search(pattern, text) is None, what


# --------------------------------------------------------------------------- reproducible


def test_pdf_bytes_are_reproducible_with_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    f = make_big_findings()
    first, second = (render_pdf(f, make_context(f)) for _ in range(2))
    assert first == second
    assert PdfReader(io.BytesIO(first)).metadata.creation_date.strftime("%Y-%m-%d") == \
        "2026-09-04"


# --------------------------------------------------------------------------- details CSV


def test_details_csv_lists_every_burst_and_flag_the_pdf_summarises(run, grant, one_to_one_zip,
                                                                   tmp_path):
    import csv
    import json

    token = grant(one_to_one_zip)
    result = run("analyse", str(one_to_one_zip), "--token", token, "--config",
                 str(SAMPLE_CONFIG), "--json", str(tmp_path / "r.json"), "--csv-details",
                 str(tmp_path / "r.csv"), "--quiet")
    assert result.code == 0, result.err
    findings = json.loads((tmp_path / "r.json").read_text())["findings"]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text("utf-8-sig"))))
    assert sum(r["kind"] == "burst" for r in rows) == len(findings["bursts"])
    assert sum(r["kind"] != "burst" for r in rows) == len(findings["flags"])
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
    assert "Wrote" in result.err and "r.csv" in result.err


def test_details_csv_cannot_run_a_formula():
    from chat_review.analysis.findings import ReviewFlag
    from chat_review.reports.details import render_details_csv

    f = make_findings()
    f.flags.append(ReviewFlag(f.flags[0].timestamp, "=HYPERLINK(\"x\")", 9, "chat.txt",
                              "insult", "useless"))
    text = render_details_csv(f, make_context(f)).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


# --------------------------------------------------------------------------- contrast

TEMPLATE = Path(__file__).resolve().parent.parent / "reports" / "templates" / "report.typ"


def _template_colours() -> dict[str, str]:
    return dict(re.findall(r'#let ([\w-]+) = rgb\("(#[0-9a-fA-F]{6})"\)', TEMPLATE.read_text()))


@pytest.mark.parametrize("text", ["ink", "muted", "heading-ink"])
def test_template_text_colours_contrast_with_every_background(text):
    from chat_review.reports._common import ACCENT, contrast, luminance

    colours = _template_colours()
    backgrounds = ["#ffffff", colours["head-fill"], colours["zebra"], colours["warn-fill"],
                   "#FCE8DC", "#f2f5f8"]  # page, table heading, zebra rows, warning, shade, boxes
    for bg in backgrounds:
        ratio = contrast(luminance(colours[text]), luminance(bg))
        assert ratio >= 4.5, f"{text} on {bg}: {ratio:.1f}"
    assert ACCENT  # the warning box's edge is decoration, not text


def test_heatmap_numbers_contrast_with_their_cell_at_every_shade():
    from chat_review.reports import _plot as p
    from chat_review.reports._common import contrast, luminance

    for i in range(101):
        cell = p.heat_colour(i / 100)
        ratio = contrast(luminance(p.label_colour(cell)), luminance(cell))
        assert ratio >= 4.5, f"shade {i}%: {ratio:.1f}"


# --------------------------------------------------------------------------- the one-page card


def test_a_long_warning_on_the_card_ends_with_its_sentence_and_points_to_the_pdf():
    from chat_review.analysis.rules import DEFAULTS_WARNING
    from chat_review.reports._common import brief

    shown = brief(DEFAULTS_WARNING, 170)
    assert shown.endswith("bank holidays only. More in the PDF.")
    assert len(shown) <= 170 + len(" More in the PDF.")


def test_a_warning_without_a_full_stop_is_cut_between_words():
    from chat_review.reports._common import brief

    shown = brief("several words " * 20, 50)
    assert shown == "several words several words several words several… (more in the PDF)"


def test_a_short_warning_is_shown_whole():
    from chat_review.reports._common import brief

    assert brief("The export has 3 unreadable lines.", 170) == "The export has 3 unreadable lines."
