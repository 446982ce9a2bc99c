"""Staff view: one staff member's out-of-hours contact from parents, over one or more chats.

Built from `findings.staff_contact` (per sender and staff: by_day, by_hour, out_of_hours) and
the bursts sent to them (`Burst.to_staff`) or naming them (`Burst.about_staff`); the CLI
passes findings already filtered to that person (`analyse(staff=...)`). Same page size,
palette, footer and provenance as the chat review summary; the PDF adds a per-parent table, the
bursts and the method page. Reached directly, or through `ctx.staff_focus` in `render_png` /
`render_pdf`.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from . import _common as c
from . import _words as w

if TYPE_CHECKING:
    from chat_review.analysis.findings import Findings

    from .context import ReportContext


def render_staff_png(findings: Findings, ctx: ReportContext, staff_name: str) -> bytes:
    """One A4 page (1240 x 1754 px) about contact with `staff_name`."""
    from dataclasses import replace

    from .png import render_png

    return render_png(findings, replace(ctx, staff_focus=staff_name))


def render_staff_pdf(findings: Findings, ctx: ReportContext, staff_name: str,
                     charts: dict[str, tuple[str, str, str]] | None = None) -> bytes:
    """Page 1 in words, the charts, a per-parent table, bursts at staff, the method."""
    from . import _charts, _staff, _typst
    from . import _document as doc

    if charts is None:
        charts = _staff.staff_charts(findings, staff_name)
    blocks = _staff.staff_blocks(findings, ctx, staff_name, charts)
    data = doc.document(ctx, _staff.subject(ctx, staff_name), blocks)
    data["title"] = f"Contact with {staff_name}"
    return _typst.compile_pdf(data, _charts.chart_inputs(charts), ctx.generated_at)


def render_staff_summary(findings: Findings, ctx: ReportContext, staff_name: str) -> str:
    """Terminal text for the staff view (<= 100 columns)."""
    contacts = sorted((x for x in findings.staff_contact if x.staff == staff_name),
                      key=lambda x: (-x.out_of_hours, -x.contacts, x.sender))
    title = f"Contact with {staff_name}"
    out = [c.truncate(title, 100), "=" * min(len(title), 100),
           f"Period: {w.period(findings)}",
           c.truncate(f"Consent: {w.consents_text(ctx.consents)}", 100)]
    for warning in c.all_warnings(findings):
        out.append(c.truncate("! " + warning, 100))
    if not contacts:
        out += ["", f"No contact with {staff_name} in the consented period."]
        return "\n".join(out) + "\n"
    total = sum(x.contacts for x in contacts)
    ooh = sum(x.out_of_hours for x in contacts)
    out += ["", f"Contacts: {c.fmt_int(total)}, of which out of working hours: "
                f"{c.fmt_int(ooh)} ({c.fmt_pct(ooh / total if total else 0)})", ""]
    late_from, late_to = w.late_window(findings)
    for x in contacts[:15]:
        how = "to them, 1:1" if x.mode == "direct" else "about them"
        out.append(f"  {c.truncate(x.sender, 30):<30}  {how:<13} "
                   f"{w.plural(x.contacts, 'contact'):>13}, "
                   f"{c.fmt_int(x.out_of_hours):>5} out of hours, {c.fmt_int(x.late_night):>4} "
                   "late evening")
    if len(contacts) > 15:
        out.append(f"  … {c.fmt_int(len(contacts) - 15)} more in the PDF report.")
    out.append(f"  (Late evening: {late_from}–{late_to}, from the settings.)")
    bursts = [b for b in findings.bursts
              if b.to_staff == staff_name or staff_name in b.about_staff]
    out += ["", f"Bursts to or about {staff_name}: {c.fmt_int(len(bursts))}"]
    for b in bursts[:10]:
        out += textwrap.wrap(f"{w.when(b.start)}  {b.sender}: {w.plural(b.count, 'message')}, "
                             f"{b.staff_text(staff_name)}", 100, initial_indent="  ",
                             subsequent_indent="    ")
    rule = (findings.settings.get("burst") or {}).get("rule")
    if rule:
        out += textwrap.wrap(f"Burst rule: {rule}.", 100, initial_indent="  ",
                             subsequent_indent="  ")
    return "\n".join(out) + "\n"
