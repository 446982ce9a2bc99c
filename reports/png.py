"""The one-page incident summary as PNG (A4 portrait, 150 dpi: 1240 x 1754 px)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chat_review.analysis.findings import Findings

    from .context import ReportContext


def render_png(findings: Findings, ctx: ReportContext) -> bytes:
    """The summary page as PNG bytes; the staff view when `ctx.staff_focus` is set.

    Deterministic: no timestamp or software chunk, so equal inputs give equal bytes.
    """
    if ctx.staff_focus:
        from .staff import render_staff_png

        return render_staff_png(findings, ctx, ctx.staff_focus)
    from . import _draw as d

    with d.style():
        fig = d.new_page()
        d.summary_page(fig, findings, ctx)
        d.footer(fig, ctx)
        return d.png_bytes(fig)
