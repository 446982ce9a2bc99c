"""Rendering findings into PNG, PDF, JSON and a terminal summary.

`reports` draws what analysis decided; it never parses exports or judges messages. Importing
this package does not import matplotlib (the CLI starts fast); the renderers import it lazily
and always use the non-interactive Agg backend.

Public API (every renderer returns bytes, or str for the terminal summary; the caller writes
files atomically and audits them):

- `reports.context.ReportContext`
- `reports.png.render_png(findings, ctx) -> bytes`
- `reports.pdf.render_pdf(findings, ctx) -> bytes`
- `reports.json_report.render_json(findings, ctx) -> bytes`
- `reports.text.render_summary(findings, ctx) -> str`
- `reports.staff.render_staff_png / render_staff_pdf / render_staff_summary(findings, ctx,
  staff_name)` (also reached through `ctx.staff_focus` in `render_png` / `render_pdf`)
"""

from __future__ import annotations

from .context import ReportContext

__all__ = ["ReportContext"]
