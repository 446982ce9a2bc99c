"""The complete lists behind the PDF's summaries, as one CSV: every burst and every flag.

The PDF stays short (bursts per sender, flags per sender and category with a few examples);
this file is where a reviewer finds each one, with the line numbers to look up in the export.
Written by `analyse --csv-details PATH`. One row per burst or flag, in time order; the columns
that do not apply to a row are empty. Times are the phone's clock as written in the export
(ISO 8601, as in the JSON), so a spreadsheet sorts them; cells that a spreadsheet would read
as a formula start with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from chat_review.table_export import excel_safe

from . import _common as c
from . import _words as w

if TYPE_CHECKING:
    from chat_review.analysis.findings import Findings

    from .context import ReportContext

COLUMNS = ["kind", "start", "end", "sender", "chat", "chat_number", "messages", "out_of_hours",
           "late_evening", "at_staff", "category", "matched", "lines"]


def render_details_csv(findings: Findings, ctx: ReportContext) -> bytes:
    """UTF-8 CSV (with a byte-order mark, so spreadsheets read names right) of every burst and
    every message flagged for review or naming staff. `ctx` is taken for a uniform renderer
    signature: the provenance is in the PDF and JSON this file sits beside."""
    window = w.late_window(findings)
    src = c.source_numbers(findings)
    rows: list[tuple] = []
    for b in findings.bursts:
        rows.append((b.start, 0, [
            "burst", b.start.isoformat(), b.end.isoformat(), b.sender, b.source,
            src.get(b.source, ""), str(b.count), str(b.out_of_hours),
            "yes" if w.is_late(b.start, window) else "no", "yes" if b.at_staff else "no",
            "", "", " ".join(str(n) for n in b.lines)]))
    for f in findings.flags:
        kind = "mention" if f.category == w.MENTION_CATEGORY else "review flag"
        rows.append((f.timestamp, 1, [
            kind, f.timestamp.isoformat(), "", f.sender or "", f.source,
            src.get(f.source, ""), "1", "", "yes" if w.is_late(f.timestamp, window) else "no",
            "", f.category, f.term, str(f.line)]))
    rows.sort(key=lambda r: (r[0], r[1]))
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(COLUMNS)
    for _when, _order, cells in rows:
        out.writerow(excel_safe(cells))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
