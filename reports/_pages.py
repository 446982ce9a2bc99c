"""The PDF's pages after the summary: senders, bursts and flags, method and provenance."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC
from typing import Any

from chat_review.analysis.findings import Burst, Findings

from . import _common as c
from . import _draw as d
from .context import ReportContext


def _d(value: Any) -> str:
    return "—" if value is None else f"{value:%d/%m/%y}"


def sender_pages(findings: Findings) -> list[d.PageFn]:
    cols = [
        d.Column("#", 3, "right"),
        d.Column("Sender", 25, flex=True),
        d.Column("Staff", 4.5),
        d.Column("Messages", 7, "right"),
        d.Column("Out of\nhours", 6, "right"),
        d.Column("Out of\nhours %", 6.5, "right"),
        d.Column("Week-\nend", 5, "right"),
        d.Column("Holi-\nday", 4.5, "right"),
        d.Column("Late\nnight", 4.5, "right"),
        d.Column("Active\ndays", 5, "right"),
        d.Column("Busiest day\n(messages)", 12.5),
        d.Column("First – last\nmessage", 14),
    ]
    rows = []
    for i, s in enumerate(findings.senders, 1):
        busiest = f"{_d(s.busiest_day)} ({s.busiest_day_count})" if s.busiest_day else "—"
        rows.append(d.Row([
            str(i), c.truncate(s.sender, 32), "staff" if s.is_staff else "",
            c.fmt_int(s.messages), c.fmt_int(s.out_of_hours), c.fmt_pct(s.out_of_hours_share),
            c.fmt_int(s.weekend), c.fmt_int(s.holiday), c.fmt_int(s.late_night),
            c.fmt_int(s.active_days), busiest, f"{_d(s.first)}–{_d(s.last)}",
        ], shade=s.is_staff))
    late = findings.settings.get("late_night")
    late_txt = f"{late[0]}–{late[1]}" if isinstance(late, list | tuple) and len(late) == 2 \
        else "22:00–06:00"
    intro = [
        f"Every sender in the consented period ({len(findings.senders)}), most messages first. "
        "Staff rows are shaded.",
        "Out of hours = outside the working hours on the method page, including weekends and "
        f"holidays. Late night = {late_txt}. Dates dd/mm/yy.",
    ]
    return d.table_pages("Messages per sender", intro, cols, rows, "No senders.")


def _lines(lines: Sequence[int]) -> str:
    """Line numbers to look up: all of a short run, else the first two, the last and a count."""
    if not lines:
        return "—"
    if len(lines) <= 3:
        return ", ".join(str(n) for n in lines)
    return f"{lines[0]}, {lines[1]} … {lines[-1]} ({len(lines)} lines)"


def _when(b: Burst) -> str:
    same_day = b.start.date() == b.end.date()
    end = f"{b.end:%H:%M}" if same_day else f"{b.end:%d/%m/%y %H:%M}"
    return f"{b.start:%a %d/%m/%y %H:%M}–{end}"


def burst_pages(findings: Findings, title: str = "Bursts of messages",
                shade_at_staff: bool = True) -> list[d.PageFn]:
    src = c.source_numbers(findings)
    cols = [
        d.Column("When", 23), d.Column("Sender", 22, flex=True), d.Column("Messages", 7, "right"),
        d.Column("Out of\nhours", 6, "right"), d.Column("At\nstaff", 5),
        d.Column("Chat", 4, "right"), d.Column("Lines in the export", 20),
    ]
    rows = [
        d.Row([_when(b), c.truncate(b.sender, 30), str(b.count), str(b.out_of_hours),
               "yes" if b.at_staff else "", src.get(b.source, "?"), _lines(b.lines)],
              shade=b.at_staff and shade_at_staff)
        for b in findings.bursts
    ]
    rule = findings.settings.get("burst")
    rule_txt = c._plain(rule) if rule else "see the method page"
    intro = [
        f"{len(rows)} bursts: runs of messages by one sender in a short time (rule: {rule_txt}).",
        ("Bursts at staff are shaded. " if shade_at_staff else "")
        + "Chat numbers refer to the export list on the method page.",
    ]
    return d.table_pages(title, intro, cols, rows, "No bursts were found.")


def flag_pages(findings: Findings, excerpts: bool) -> list[d.PageFn]:
    src = c.source_numbers(findings)
    cols = [
        d.Column("When", 16), d.Column("Sender", 22, flex=True), d.Column("Line", 5, "right"),
        d.Column("Chat", 4, "right"), d.Column("Category", 18), d.Column("Matched", 13),
    ]
    rows = []
    for f in findings.flags:
        extra: list[str] = []
        if excerpts and f.excerpt:
            extra = [f"“{' '.join(f.excerpt.split())}”"]  # wrapped to the page by table_pages
        rows.append(d.Row([
            f"{f.timestamp:%a %d/%m/%y %H:%M}", c.truncate(f.sender or "(system)", 30),
            str(f.line), src.get(f.source, "?"), c.truncate(f.category, 26),
            c.truncate(f.term, 18)], extra=extra))
    intro = [
        f"{len(rows)} messages matched a review rule. These are prompts for a human to read the "
        "message in the export at the line given — not findings of misconduct.",
        ("Excerpts are shown because they were asked for." if excerpts else
         "Message text is left out (data minimisation); it can be included on request."),
    ]
    return d.table_pages("Messages flagged for a human look", intro, cols, rows,
                         "No messages were flagged.")


def method_blocks(findings: Findings, ctx: ReportContext) -> list[d.Block]:
    B = d.Block
    blocks: list[d.Block] = [B("h", "Working hours applied")]
    blocks += [B("p", line) for line in c.working_hours_text(findings.calendar)]
    blocks += [B("p", line) for line in c.calendar_lines(findings.calendar)]
    blocks += [B("p", "A message counts as out of hours when it was sent outside these hours, "
                      "on a weekend, a bank holiday or a school holiday, by the phone's clock.")]
    if findings.settings:
        blocks.append(B("h", "Rules used"))
        blocks += [B("kv", c._plain(v), k.replace("_", " ").capitalize())
                   for k, v in sorted(findings.settings.items())]
    blocks.append(B("h", "Exports read"))
    for i, s in enumerate(findings.sources, 1):
        blocks += [
            B("kv", s.name, f"Chat {i}"),
            B("mono", s.sha256, "SHA-256"),
            B("kv", f"{s.platform}, {s.encoding}; {c.fmt_int(s.messages)} messages in the "
                    f"window, {c.fmt_int(s.window_dropped)} outside it left out", "Read as"),
            B("kv", f"{s.date_order} — {s.date_order_rule}"
                    + (" (AMBIGUOUS: the export does not prove the order)"
                       if s.date_order_ambiguous else ""), "Date order"),
            B("kv", f"#{s.consent_id}" if s.consent_id is not None else "none", "Consent"),
            B("gap"),
        ]
    blocks.append(B("h", "Consent record" + ("s" if len(ctx.consents) > 1 else "")))
    if not ctx.consents:
        blocks.append(B("p", "No consent record was passed to the report."))
    for k in ctx.consents:
        blocks += [
            B("kv", f"#{k.get('id')}", "Consent"),
            B("kv", str(k.get("parent") or "—")
                    + (f" (in the chat as {k['chat_name']})"
                       if k.get("chat_name") and k.get("chat_name") != k.get("parent") else ""),
              "Parent"),
            B("kv", str(k.get("purpose") or "—"), "Purpose"),
            B("kv", f"{k.get('recorded_by') or '—'}, {c.fmt_iso(k.get('recorded_at'))}",
              "Recorded by"),
            B("kv", f"{c.fmt_iso(k.get('window_from')) if k.get('window_from') else 'start'} – "
                    f"{c.fmt_iso(k.get('window_to')) if k.get('window_to') else 'end'}"
                    + ("" if k.get("window_from") or k.get("window_to") else " (whole chat)"),
              "Window"),
            B("kv", c.fmt_iso(k.get("expires_at")) if k.get("expires_at") else "no expiry",
              "Expires"),
            B("kv", str(k.get("evidence") or "—"), "Evidence"),
            B("gap"),
        ]
    blocks.append(B("h", "This report"))
    blocks += [
        B("kv", f"chat-review {ctx.tool_version}", "Tool"),
        B("kv", f"{ctx.generated_at:%d %b %Y %H:%M %Z}".strip(), "Generated"),
        B("kv", "yes — names replaced by labels; the key is not kept" if ctx.pseudonymised
          else "no", "Pseudonymised"),
        B("kv", "included" if ctx.excerpts else "left out (data minimisation)",
          "Message excerpts"),
    ]
    if ctx.audit_entry:
        a = ctx.audit_entry
        blocks += [B("kv", f"#{a.get('id')} at {c.fmt_iso(a.get('at'))}", "Audit entry"),
                   B("mono", str(a.get("hash", "")), "Audit hash")]
    else:
        blocks.append(B("kv", "not given", "Audit entry"))
    warnings = c.all_warnings(findings)
    if warnings:
        blocks.append(B("h", "Warnings"))
        blocks += [B("p", "• " + w) for w in warnings]
    blocks += [
        B("h", "How to read this report"),
        B("p", "The figures count messages; they do not judge them. Flags and bursts are "
               "prompts to read the messages in the export at the line numbers given. Times are "
               "the sending phone's local time as written in the export."),
    ]
    return blocks


def write_pdf(pages: Sequence[d.PageFn], ctx: ReportContext, subject: str) -> bytes:
    """Draw each page with its footer and "Page n of N" into one deterministic PDF."""
    return render_pages(pages, ctx, subject, png=False)[1]


def render_pages(pages: Sequence[d.PageFn], ctx: ReportContext, subject: str, *,
                 png: bool = False) -> tuple[bytes | None, bytes]:
    """(PNG of page 1 when `png`, else None; the PDF): page 1 is laid out once for both.

    The PNG is page 1 with the footer but without "Page 1 of N", exactly as `render_png`
    draws it; the page number is added after the PNG is saved, so the PDF is unchanged too.
    """
    png_out: bytes | None = None
    from matplotlib.backends.backend_pdf import PdfPages

    when = ctx.generated_at if ctx.generated_at.tzinfo else ctx.generated_at.replace(tzinfo=UTC)
    meta = {
        "Title": ctx.title,
        "Subject": subject,
        "Creator": f"chat-review {ctx.tool_version}",
        "Author": None,
        "Keywords": f"consent {ctx.consent_label}",
        "CreationDate": when,
        "ModDate": when,
    }
    buf = io.BytesIO()
    with d.style(), d.lean_font_subsets(), PdfPages(buf, metadata=meta) as out:
        for n, page in enumerate(pages, 1):
            fig = d.new_page()
            page(fig)
            d.footer(fig, ctx)
            if n == 1 and png:
                png_out = d.png_bytes(fig)
            d.page_number(fig, n, len(pages))
            out.savefig(fig)
    return png_out, buf.getvalue()


def incident_pages(findings: Findings, ctx: ReportContext) -> list[d.PageFn]:
    pages: list[d.PageFn] = [lambda fig: d.summary_page(fig, findings, ctx)]
    if c.has_messages(findings):
        pages += sender_pages(findings)
        pages += burst_pages(findings)
        pages += flag_pages(findings, ctx.excerpts)
    pages += d.text_pages("Method and provenance", method_blocks(findings, ctx))
    return pages



def report_pages(findings: Findings, ctx: ReportContext) -> tuple[list[d.PageFn], str]:
    """The pages (page 1 is also the PNG) and PDF subject: staff view or incident summary."""
    if ctx.staff_focus:
        from . import _staff

        staff = ctx.staff_focus
        return _staff.staff_pages(findings, ctx, staff), _staff.subject(ctx, staff)
    chats = ", ".join(s.name for s in findings.sources) or "no export"
    subject = f"Incident summary for {chats} under consent {ctx.consent_label}"
    return incident_pages(findings, ctx), subject
