"""Rendering findings into PNG, PDF, JSON and a terminal summary.

`reports` draws what analysis decided; it never parses exports or judges messages. Importing
this package imports no renderer (the CLI starts fast); the renderers import what they need
lazily. None imports matplotlib: the charts are plain SVG (`_plot`), and matplotlib is
installed only for its DejaVu fonts (`_typst.font_dir`).

Public API (every renderer returns bytes, or str for the terminal summary; the caller writes
files atomically and audits them):

- `reports.context.ReportContext`
- `reports.png.render_png(findings, ctx) -> bytes`
- `reports.pdf.render_pdf(findings, ctx) -> bytes`
- `reports.json_report.render_json(findings, ctx) -> bytes`
- `reports.text.render_summary(findings, ctx) -> str`
- `reports.staff.render_staff_png / render_staff_pdf / render_staff_summary(findings, ctx,
  staff_name)` (also reached through `ctx.staff_focus` in `render_png` / `render_pdf`)
- `reports.details.render_details_csv(findings, ctx) -> bytes`: every burst and flag (CSV)
- `reports.render_outputs(findings, ctx, kinds) -> dict[str, bytes]`: several of "json", "png",
  "pdf", "csv" (the details CSV) at once. Same bytes as the single renderers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .context import ReportContext

if TYPE_CHECKING:
    from chat_review.analysis.findings import Findings

__all__ = ["ReportContext", "render_outputs"]

KINDS = frozenset({"json", "png", "pdf", "csv"})


def render_outputs(findings: Findings, ctx: ReportContext, kinds: Iterable[str]
                   ) -> dict[str, bytes]:
    """The asked-for outputs as {kind: bytes}; kinds from "json", "png", "pdf", "csv".

    Honours `ctx.staff_focus` like `render_png` and
    `render_pdf`; the bytes equal theirs.
    """
    wanted = set(kinds)
    unknown = wanted - KINDS
    if unknown:
        raise ValueError(f"unknown output kind(s): {', '.join(sorted(unknown))}")
    out: dict[str, bytes] = {}
    if "json" in wanted:
        from .json_report import render_json

        out["json"] = render_json(findings, ctx)
    charts = None
    if {"png", "pdf"} <= wanted:  # both show the same charts: draw them once
        from . import _charts
        from . import _common as c

        if ctx.staff_focus:
            from . import _staff

            charts = _staff.staff_charts(findings, ctx.staff_focus)
        elif c.has_messages(findings):
            charts = _charts.incident_charts(findings)
    if "png" in wanted:
        from .png import render_png

        out["png"] = render_png(findings, ctx, charts)
    if "pdf" in wanted:
        from .pdf import render_pdf

        out["pdf"] = render_pdf(findings, ctx, charts)
    if "csv" in wanted:
        from .details import render_details_csv

        out["csv"] = render_details_csv(findings, ctx)
    return out
