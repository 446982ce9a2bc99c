"""The multi-page incident summary as PDF (A4 portrait).

Pages: 1 summary (as the PNG); per-sender table; bursts; messages flagged for a human look
(excerpts only when `ctx.excerpts`); method and provenance. Every page carries the consent
footer and "Page n of N". Metadata: Title, Subject, Creator "chat-review VERSION", and
CreationDate/ModDate from `ctx.generated_at` (which follows SOURCE_DATE_EPOCH), so equal
inputs give byte-identical files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chat_review.analysis.findings import Findings

    from .context import ReportContext


def render_pdf(findings: Findings, ctx: ReportContext) -> bytes:
    """The incident summary as PDF bytes; the staff view when `ctx.staff_focus` is set."""
    from . import _pages

    pages, subject = _pages.report_pages(findings, ctx)
    return _pages.write_pdf(pages, ctx, subject)
