"""What the PDF says, page by page, as blocks for the Typst template (`templates/report.typ`).

Length is bounded whatever the chat: page 1 in words, one page of charts, then tables with a
fixed number of rows (senders, bursts per sender, review flags per sender and category with a
few examples each), then the method. The complete lists are in the JSON (and the details
CSV), and the PDF says so where it stops listing.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from chat_review.analysis.findings import Findings

from . import _common as c
from . import _words as w
from .context import ReportContext

MAX_SENDER_ROWS = 30
MAX_BURST_ROWS = 20
MAX_FLAG_GROUPS = 20
EXAMPLES_PER_GROUP = 3

Block = dict[str, Any]
KIND = {"one-to-one": "one-to-one chat", "group": "group chat",
        "unknown": "chat type not proven"}


def p(text: str) -> Block:
    return {"kind": "p", "text": text}


def lead(text: str) -> Block:
    """A paragraph that stays on the page of what follows it (a table's introduction)."""
    return {"kind": "lead", "text": text}


def note(text: str) -> Block:
    return {"kind": "note", "text": text}


def h2(text: str) -> Block:
    return {"kind": "h2", "text": text}


def table(columns: list[str], widths: list[Any], align: str, rows: list[list[str]],
          shade: list[bool] | None = None) -> Block:
    """A table block; `align` is one letter per column, "l" or "r"."""
    return {"kind": "table", "columns": columns, "widths": widths,
            "align": ["right" if a == "r" else "left" for a in align], "rows": rows,
            "shade": shade or []}


def more(shown: int, total: int, what: str) -> list[Block]:
    """Said before a cut table (a note after it could be left alone on a page)."""
    if total <= shown:
        return []
    return [note(f"The table shows the first {c.fmt_int(shown)} of {c.fmt_int(total)} {what}; "
                 "the complete list is in the JSON report and the details CSV "
                 "(the analyse options --json and --csv-details).")]


# --------------------------------------------------------------------------- page 1


def meta_rows(findings: Findings, ctx: ReportContext) -> list[list[str]]:
    chats = [f"{i}. {s.name}" + (f" ({KIND[s.chat_type]})" if s.chat_type in KIND else "")
             for i, s in enumerate(findings.sources, 1)] or ["—"]
    shown = chats[:4] + ([f"and {c.fmt_int(len(chats) - 4)} more (see the method section)"]
                         if len(chats) > 4 else [])
    return [
        ["Chat" + ("s" if len(chats) > 1 else ""), "\n".join(shown)],
        ["Period", w.period(findings)],
        ["Consent", w.consents_text(ctx.consents)],
        ["Export SHA-256", (", ".join(c.sha_short(s.sha256) for s in findings.sources[:4])
                            or "—") + " (first 12 hex digits; in full in the method section)"],
        ["Generated", f"{w.uk_time(ctx.generated_at)} by chat-review {ctx.tool_version}"
         + ("; names pseudonymised" if ctx.pseudonymised else "")],
    ]


def warnings_block(findings: Findings) -> list[Block]:
    warnings = c.all_warnings(findings)
    if not warnings:
        return []
    shown = warnings[:5]
    if len(warnings) > 5:
        shown.append(f"{w.plural(len(warnings), 'warning')} in all: see the method section.")
    return [{"kind": "warnings", "items": shown}]


def summary_blocks(findings: Findings, ctx: ReportContext) -> list[Block]:
    blocks: list[Block] = [{"kind": "title", "text": ctx.title},
                           {"kind": "meta", "rows": meta_rows(findings, ctx)}]
    blocks += warnings_block(findings)
    if not c.has_messages(findings):
        return [*blocks, h2("No messages in the consented period"),
                p("The export was read under the recorded consent, but no message falls inside "
                  "the consent's date window, so there is nothing to count. Check the window on "
                  "the consent record if this is unexpected.")]
    parents, staff, more_parents, more_staff = w.headlines(findings, limit=4)
    blocks.append(h2("In brief"))
    if parents:
        blocks += [p("Parents (everyone not on the staff roster):"),
                   {"kind": "list", "items": parents}]
        if more_parents:
            blocks.append(note(f"And {w.plural(more_parents, 'more parent')} with out-of-hours "
                               "messages, bursts or review flags: see the tables."))
    else:
        blocks.append(p("No parent sent messages out of hours, in bursts or matching a "
                        "review rule."))
    if staff:
        blocks += [p("Staff:"), {"kind": "list", "items": staff}]
        if more_staff:
            blocks.append(note(f"And {w.plural(more_staff, 'more member')} of staff."))
    blocks += [{"kind": "figures", "items": w.key_figures(findings)},
               note(w.counted_note(findings)),
               h2("What the words mean here"),
               {"kind": "terms", "items": w.definitions(findings)},
               note("These figures count messages; they do not judge them. Bursts and flags "
                    "are prompts to read the messages in the export at the lines given.")]
    return blocks


def card_blocks(findings: Findings, ctx: ReportContext,
                charts: dict[str, tuple[str, str, str]]) -> list[Block]:
    """The PNG: heading, a few headlines, the key figures in one row, the three charts."""
    blocks: list[Block] = [{"kind": "title", "text": ctx.title},
                           {"kind": "meta", "rows": meta_rows(findings, ctx)}]
    warnings = c.all_warnings(findings)
    if warnings:
        blocks.append({"kind": "warnings", "items": [c.brief(x, 170) for x in warnings[:2]]
                       + ([f"{w.plural(len(warnings), 'warning')} in all: see the PDF."]
                          if len(warnings) > 2 else [])})
    if not c.has_messages(findings):
        return [*blocks, h2("No messages in the consented period"),
                p("The export was read under the recorded consent, but no message falls inside "
                  "the consent's date window, so there is nothing to chart.")]
    parents, staff, _more_p, _more_s = w.headlines(findings, limit=2)
    items = [*parents, *(f"Staff: {x}" for x in staff[:1])]
    if items:
        blocks.append({"kind": "small-list", "items": items})
    blocks.append({"kind": "figures", "columns": 6, "items": w.key_figures(findings)})
    from . import _charts

    return blocks + _charts.figure_blocks(charts)


# --------------------------------------------------------------------------- tables


def sender_blocks(findings: Findings) -> list[Block]:
    a, b = w.late_window(findings)
    senders = [s for s in findings.senders if s.messages > 0]
    rows, shade = [], []
    for s in senders[:MAX_SENDER_ROWS]:
        rows.append([s.sender, w.sender_role(s), c.fmt_int(s.messages),
                     f"{c.fmt_int(s.out_of_hours)} ({c.fmt_pct(s.out_of_hours_share)})",
                     c.fmt_int(s.late_night), c.fmt_int(s.active_days),
                     f"{w.day(s.busiest_day)} ({c.fmt_int(s.busiest_day_count)})"
                     if s.busiest_day else "—",
                     w.span(s.first, s.last) if s.first else "—"])
        shade.append(s.is_staff)
    rest = senders[MAX_SENDER_ROWS:]
    if rest:
        rows.append([f"Other ({w.plural(len(rest), 'sender')})", "",
                     c.fmt_int(sum(s.messages for s in rest)),
                     c.fmt_int(sum(s.out_of_hours for s in rest)),
                     c.fmt_int(sum(s.late_night for s in rest)), "", "", ""])
        shade.append(False)
    return [
        {"kind": "title", "text": "Messages per sender"},
        lead(f"Every sender in the consented period ({c.fmt_int(len(senders))}), most messages "
          f"first; staff rows are shaded. Late evening is {a}–{b}. System events are not "
          "counted."),
        table(["Sender", "Role", "Messages", "Out of hours", "Late evening", "Active days",
               "Busiest day", "First – last message"],
              [2.4, 1, 1.2, 1.5, 1.35, 0.9, 1.8, 2.25], "llrrrrll", rows, shade),
    ]


def _burst_when(b: Any) -> str:
    end = f"{b.end:%H:%M}" if b.start.date() == b.end.date() else w.when(b.end)
    return f"{w.when(b.start)}–{end}"


def burst_blocks(findings: Findings, title: str = "Bursts of messages") -> list[Block]:
    window = w.late_window(findings)
    src = c.source_numbers(findings)
    by_sender: dict[str, list[Any]] = defaultdict(list)
    for b in findings.bursts:
        by_sender[b.sender].append(b)
    ranked = sorted(by_sender.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    rows = []
    for sender, bursts in ranked[:MAX_BURST_ROWS]:
        bursts.sort(key=lambda b: b.start)
        longest = max(bursts, key=lambda b: (b.count, -b.start.timestamp()))
        late = sum(1 for b in bursts if w.is_late(b.start, window))
        ooh = sum(1 for b in bursts if b.out_of_hours)
        to_staff = sum(1 for b in bursts if b.to_staff)
        about = sum(1 for b in bursts if b.about_staff and not b.to_staff)
        staff_cell = ", ".join(x for x in (f"{c.fmt_int(to_staff)} to" if to_staff else "",
                                           f"{c.fmt_int(about)} about" if about else "") if x)
        named = longest.staff_text()
        rows.append([
            sender, c.fmt_int(len(bursts)), c.fmt_int(ooh), c.fmt_int(late), staff_cell or "—",
            w.span(bursts[0].start, bursts[-1].start),
            f"{w.plural(longest.count, 'message')}, {_burst_when(longest)} "
            f"(chat {src.get(longest.source, '?')}, from line "
            f"{longest.lines[0] if longest.lines else '?'})" + (f"; {named}" if named else ""),
        ])
    blocks: list[Block] = [{"kind": "title", "text": title}]
    if not findings.bursts:
        return [*blocks, p("No bursts were found.")]
    blocks += [
        lead(f"{w.plural(len(findings.bursts), 'burst')} by {w.plural(len(by_sender), 'sender')}, "
          "summarised per sender. A burst counts as out of hours when any of its messages was; "
          "to staff when it is in a one-to-one chat with them, about staff when its messages "
          "name them (the longest burst says how many do); "
          f"as late evening when it began between {window[0]} and {window[1]}. Chat numbers "
          "refer to the list of exports in the method section."),
        *more(min(len(ranked), MAX_BURST_ROWS), len(ranked), "senders with bursts"),
        table(["Sender", "Bursts", "Out of hours", "Late evening", "To / about staff",
               "First – last",
               "Longest"], [2.2, 0.9, 1.1, 1.35, 0.9, 2, 3.15], "lrrrrll", rows),
    ]
    return blocks


def flag_blocks(findings: Findings, excerpts: bool) -> list[Block]:
    src = c.source_numbers(findings)
    flags = w.review_flags(findings)
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for f in flags:
        groups[(f.sender or "(system)", f.category)].append(f)
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    rows = []
    for (sender, category), items in ranked[:MAX_FLAG_GROUPS]:
        items.sort(key=lambda f: f.timestamp)
        examples = []
        for f in items[:EXAMPLES_PER_GROUP]:
            line = (f"{w.when(f.timestamp)}, chat {src.get(f.source, '?')} line {f.line} "
                    f"(“{c.truncate(f.term, 24)}”)")
            if excerpts and f.excerpt:
                line += f": “{c.truncate(f.excerpt, 90)}”"
            examples.append(line)
        if len(items) > EXAMPLES_PER_GROUP:
            examples.append(f"and {c.fmt_int(len(items) - EXAMPLES_PER_GROUP)} more")
        rows.append([sender, category, c.fmt_int(len(items)), "\n".join(examples)])
    blocks: list[Block] = [{"kind": "title", "text": "Messages flagged for a human look"}]
    if not flags:
        return [*blocks, p("No messages were flagged.")]
    blocks += [
        lead(f"{w.plural(len(flags), 'message')} matched a review rule: "
          f"{w.plural(len(groups), 'group')} of sender and category, most messages first, with "
          f"at most {EXAMPLES_PER_GROUP} examples each (the matched word in quotes). These are "
          "prompts for a person to read the message in the export at the line given, not "
          "findings of misconduct."),
        note("Message text is included because excerpts were asked for." if excerpts else
             "Message text is left out (data minimisation); the analyse option --excerpts "
             "includes it."),
        *more(min(len(ranked), MAX_FLAG_GROUPS), len(ranked), "groups of flagged messages"),
        table(["Sender", "Category", "Messages", "Examples"], [2, 1.5, 1, 5], "llrl",
              rows),
    ]
    return blocks


# --------------------------------------------------------------------------- method


def document(ctx: ReportContext, subject: str, blocks: list[Block]) -> dict[str, Any]:
    return {
        "title": ctx.title,
        "subject": subject,
        "keywords": [f"consent {i}" for i in ctx.consent_ids],
        "author": f"chat-review {ctx.tool_version}",
        "footer": c.footer_text(ctx.consent_label),
        "colours": {"shade": "#FCE8DC", "warning": c.ACCENT},
        "blocks": blocks,
    }
