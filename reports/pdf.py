"""The report as PDF (A4 portrait), typeset by Typst from `_document`'s blocks.

Page 1 in words (headlines per person, key figures, definitions); one page of charts; the
senders, bursts per sender and review flags per sender and category, each with a bounded number
of rows; the method and provenance. At most a dozen pages whatever the chat: the complete
lists are in the JSON and the details CSV. Tagged PDF/UA-1 with /Lang en-GB, the title shown
by viewers, alt text on every chart; CreationDate from `ctx.generated_at` (which follows
SOURCE_DATE_EPOCH), so equal inputs give byte-identical files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chat_review.analysis.findings import Findings

    from .context import ReportContext


def subject(findings: Findings, ctx: ReportContext) -> str:
    chats = ", ".join(s.name for s in findings.sources) or "no export"
    return f"Chat review summary for {chats} under consent {ctx.consent_label}"


Charts = dict[str, tuple[str, str, str]]


def render_pdf(findings: Findings, ctx: ReportContext, charts: Charts | None = None) -> bytes:
    """The report as PDF bytes; the staff view when `ctx.staff_focus` is set.

    `charts` are the SVG charts already drawn for the PNG (`render_outputs`), else drawn here.
    """
    if ctx.staff_focus:
        from .staff import render_staff_pdf

        return render_staff_pdf(findings, ctx, ctx.staff_focus, charts)
    from . import _charts, _typst
    from . import _common as c
    from . import _document as doc
    from ._method import method_blocks

    blocks = doc.summary_blocks(findings, ctx)
    if c.has_messages(findings):
        charts = charts if charts is not None else _charts.incident_charts(findings)
        blocks += [{"kind": "break"}, {"kind": "title", "text": "Charts"},
                   *_charts.figure_blocks(charts)]
        blocks += doc.sender_blocks(findings)
        blocks += doc.burst_blocks(findings)
        blocks += doc.flag_blocks(findings, ctx.excerpts)
    else:
        charts = {}
    blocks += method_blocks(findings, ctx)
    data = doc.document(ctx, subject(findings, ctx), blocks)
    return _typst.compile_pdf(data, _charts.chart_inputs(charts), ctx.generated_at)
