"""The plain-text summary the `analyse` command prints (<= 100 columns, no colour codes)."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from . import _common as c
from . import _words as w

if TYPE_CHECKING:
    from chat_review.analysis.findings import Findings

    from .context import ReportContext

WIDTH = 100
LIST_LIMIT = 10  # a terminal is not the place for 300 rows: the PDF has them all


def _wrap(text: str, indent: str = "  ", hang: str = "  ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + hang)


def _rule(title: str) -> list[str]:
    return ["", title, "-" * len(title)]


def render_summary(findings: Findings, ctx: ReportContext) -> str:
    """Key figures, who writes most out of hours, bursts, flags with line numbers, warnings.

    Flags and bursts are worded as prompts to look at the export, never as verdicts.
    """
    out: list[str] = [c.truncate(ctx.title, WIDTH), "=" * min(len(ctx.title), WIDTH)]
    chat_no = c.source_numbers(findings)
    for i, s in enumerate(findings.sources, 1):
        out += _wrap(f"Chat {i}: {s.name} (SHA-256 {c.sha_short(s.sha256)}…, consent "
                     f"#{s.consent_id})", "", "    ")
        if s.chat_type:
            out += _wrap(c.chat_type_text(s), "    ", "  ")
    out.append(f"Period: {w.period(findings)}")
    out += _wrap(f"Consent: {w.consents_text(ctx.consents)}"
                 + ("; names pseudonymised" if ctx.pseudonymised else ""), "", "    ")
    limits = findings.settings.get("pseudonymisation")
    if ctx.pseudonymised and limits:
        out += _wrap(f"Pseudonymisation: {limits}", "", "  ")
    warnings = c.all_warnings(findings)
    if warnings:
        out += _rule("Warnings")
        for warning in warnings:
            out += _wrap("! " + warning)
    if not c.has_messages(findings):
        out += ["", "No messages in the consented period: nothing to analyse.",
                "Check the date window on the consent record if this is unexpected."]
        return "\n".join(out) + "\n"

    parents, staff, more_parents, more_staff = w.headlines(findings, limit=4)
    if parents or staff:
        out += _rule("In brief")
        for line in parents:
            out += _wrap("• " + line)
        if more_parents:
            out += _wrap(f"… and {w.plural(more_parents, 'more parent')} (see the PDF report).")
        for line in staff:
            out += _wrap("• Staff: " + line)

    out += _rule("Key figures")
    for label, value in w.key_figures(findings):
        out.append(f"  {label + ':':<38}{value}")
    a, b = w.late_window(findings)
    out += ["", *_wrap(f"Working hours: {w.hours_sentence(findings.calendar)}. Late evening: "
                       f"{a}–{b}.", "", "  ")]

    out += _rule("Most messages out of working hours (top ten, as in the charts)")
    rows = c.top_out_of_hours(findings.senders, 10)
    name_w = min(max(len(r[0]) for r in rows), 44)
    for label, ooh, total, _staff in rows:
        share = c.fmt_pct(ooh / total) if total else "0%"
        out.append(f"  {c.truncate(label, name_w):<{name_w}}  {c.fmt_int(ooh):>7} of "
                   f"{c.fmt_int(total):>7} ({share})")

    out += _rule(f"Bursts of messages ({c.fmt_int(len(findings.bursts))})")
    rule = (findings.settings.get("burst") or {}).get("rule")
    if rule:
        out += _wrap(f"Rule: {rule}.", "  ", "")
    if not findings.bursts:
        out.append("  None found.")
    ranked = sorted(findings.bursts, key=lambda b: (-b.count, b.start))[:LIST_LIMIT]
    for b in sorted(ranked, key=lambda b: b.start):
        who = b.staff_text(findings.staff_view)
        at = f", {who}" if who else ""
        first = (f"chat {chat_no.get(b.source, '?')}, line {b.lines[0]}" if b.lines
                 else f"chat {chat_no.get(b.source, '?')}")
        minutes = max(int((b.end - b.start).total_seconds() // 60), 1)
        out += _wrap(f"{w.when(b.start)}  {c.truncate(b.sender, 30)}: "
                     f"{w.plural(b.count, 'message')} in {w.plural(minutes, 'minute')}"
                     f" ({c.fmt_int(b.out_of_hours)} out of hours{at}) — from {first}")
    if len(findings.bursts) > LIST_LIMIT:
        out.append(f"  … the {LIST_LIMIT} largest shown; the PDF summarises all "
                   f"{c.fmt_int(len(findings.bursts))} per sender, the JSON lists them.")

    flags = w.review_flags(findings)
    out += _rule(f"Messages to look at ({c.fmt_int(len(flags))})")
    if not flags:
        out.append("  No message matched a review rule.")
    for f in flags[:LIST_LIMIT]:
        out += _wrap(f"{w.when(f.timestamp)}  chat {chat_no.get(f.source, '?')}, "
                     f"line {f.line}: {c.truncate(f.sender or 'system', 30)} — {f.category} "
                     f"(matched “{c.truncate(f.term, 30)}”)")
    if len(flags) > LIST_LIMIT:
        out.append(f"  … {c.fmt_int(len(flags) - LIST_LIMIT)} more: grouped in the PDF report, "
                   "listed in the JSON.")
    if flags or findings.bursts:
        out += ["", *_wrap("These are prompts for a person to read the messages at the lines "
                           "given; they are not findings of misconduct.", "", "")]
    return "\n".join(out) + "\n"
