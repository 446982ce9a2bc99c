"""The one-page summary as PNG (A4 portrait at 150 dpi: 1240 x 1754 px), typeset by Typst.

The same words, style and charts as the PDF: the report's heading, the headline sentences, the
key figures and the three charts on one page. Charts are drawn once when PNG and PDF are asked
for together (`reports.render_outputs`). Deterministic: equal inputs give equal bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chat_review.analysis.findings import Findings

    from .context import ReportContext

Charts = dict[str, tuple[str, str, str]]
SCALES = (1.0, 0.85, 0.7, 0.55)


def render_png(findings: Findings, ctx: ReportContext, charts: Charts | None = None) -> bytes:
    """The summary page as PNG bytes; the staff view when `ctx.staff_focus` is set."""
    from . import _charts, _typst
    from . import _common as c
    from . import _document as doc

    if ctx.staff_focus:
        from . import _staff

        if charts is None:
            charts = _staff.staff_charts(findings, ctx.staff_focus)
        blocks = _staff.staff_card(findings, ctx, ctx.staff_focus, charts)
        title = f"Contact with {ctx.staff_focus}"
    else:
        if charts is None:
            charts = _charts.incident_charts(findings) if c.has_messages(findings) else {}
        blocks = doc.card_blocks(findings, ctx, charts)
        title = ctx.title
    data = doc.document(ctx, title, blocks)
    data["title"] = title
    data["card"] = True
    # The charts get what is left of the page: if the words above them are long (many
    # warnings, long names), the charts shrink until everything fits on the one page. Fitting
    # is tried as PDF (a tenth of the time of drawing pixels); the PNG is drawn once.
    inputs = _charts.chart_inputs(charts)
    for scale in SCALES:
        for block in blocks:
            if block["kind"] == "figure":
                block["height"] = round(_charts.height_mm(charts[block["input"]][0]) * scale, 1)
        if not charts or _typst.page_count(data, inputs) == 1:
            break
    return _typst.compile_png(data, inputs)[0]
