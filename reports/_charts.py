"""The report's charts as SVG for the PDF, each with the alt text a screen reader speaks.

Drawn by the same functions as the PNG summary (`_draw`), so both show the same picture.
"""

from __future__ import annotations

import io
import re
from typing import Any

from matplotlib.figure import Figure

from chat_review.analysis.findings import Findings

from . import _common as c
from . import _draw as d
from . import _words as w

WIDTH_IN = 7.0  # drawn at about the text width of an A4 page with the template's margins
TEXT_WIDTH_MM = 176.0


def svg(fig: Figure) -> str:
    buf = io.BytesIO()
    # No date and a fixed hash salt (RC): the same findings give the same SVG.
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue().decode("utf-8")


def height_mm(svg_text: str) -> float:
    """The chart's height on the page at the text width (its SVG is WIDTH_IN wide)."""
    m = re.search(r'height="([\d.]+)pt"', svg_text[:2000])
    return float(m.group(1)) / 72 * 25.4 * TEXT_WIDTH_MM / (WIDTH_IN * 25.4) if m else 60.0


def _figure(height_in: float) -> Figure:
    return Figure(figsize=(WIDTH_IN, height_in), dpi=100, facecolor="white")


def timeline_alt(findings: Findings) -> str:
    frame, _label, width = c.timeline_bins(findings.daily)
    if frame.empty:
        return "Bar chart of messages over time: no messages."
    totals = frame.sum(axis=1)
    peak = totals.idxmax()
    unit = "week" if width == 7 else "day"
    return (f"Bar chart of messages per {unit} from {w.day(frame.index.min())} to "
            f"{w.day(frame.index.max())}, in and out of working hours. The busiest {unit} "
            f"({'starting ' if unit == 'week' else ''}{w.day(peak)}) had "
            f"{w.plural(int(totals.max()), 'message')}, "
            f"{c.fmt_int(frame.loc[peak, 'out_of_hours'])} of them out of hours.")


def heatmap_alt(findings: Findings) -> str:
    m = findings.weekday_hour.reindex(index=range(7), columns=range(24), fill_value=0)
    if not m.to_numpy().sum():
        return "Grid of messages by weekday and hour: no messages."
    day, hour = divmod(int(m.to_numpy().argmax()), 24)
    return (f"Grid of messages by weekday (rows) and hour of day (columns), working hours "
            f"outlined. The busiest hour is {c.WEEKDAYS[day]} {hour:02d}:00–{hour:02d}:59 with "
            f"{w.plural(int(m.to_numpy().max()), 'message')}.")


def senders_alt(findings: Findings) -> str:
    rows = c.top_out_of_hours(findings.senders, 10)
    if not rows:
        return "Bar chart of out-of-hours messages per sender: no messages."
    text = "; ".join(f"{r[0]} {c.fmt_int(r[1])} of {c.fmt_int(r[2])}" for r in rows[:5])
    return (f"Bar chart of out-of-hours messages per sender, most first. Top five: {text}. "
            "The table on the next page gives every sender.")


def incident_charts(findings: Findings) -> dict[str, tuple[str, str, str]]:
    """{input name: (svg, caption, alt text)} for the charts page."""
    out: dict[str, tuple[str, str, str]] = {}
    with d.style():
        fig = _figure(2.05)
        d.timeline(fig, [0.085, 0.17, 0.9, 0.66], findings, title=None)
        out["chart-timeline"] = (svg(fig), "Messages over time", timeline_alt(findings))
        fig = _figure(2.2)
        d.heatmap(fig, [0.07, 0.17, 0.92, 0.72], findings.weekday_hour, findings.calendar,
                  title=None, holiday_messages=holiday_total(findings))
        out["chart-heatmap"] = (svg(fig), "When messages were sent", heatmap_alt(findings))
        n = len(c.top_out_of_hours(findings.senders, 10))
        h = 0.75 + 0.15 * n
        fig = _figure(h)
        d.sender_bars(fig, [0.3, 0.45 / h, 0.62, 1 - 0.72 / h], findings, title=None)
        out["chart-senders"] = (svg(fig), "Out-of-hours messages per sender (top ten)",
                                senders_alt(findings))
    return out


def holiday_total(findings: Findings) -> int:
    """Out-of-hours messages drawn inside the working-hours outline: those sent on bank
    holidays, school holidays and INSET days at working-day hours.

    From the weekday x hour split the analysis gives (`weekday_hour_split`); without it, every
    message on such a day (an upper bound)."""
    split = getattr(findings, "weekday_hour_split", None)
    wh = c.working_hours(findings.calendar)
    if split is not None and len(split) and wh:
        inside = [(day, hour) for day, spans in wh.items() for a, b in spans
                  for hour in range(int(a), int(-(-b // 1)))]
        keys = set(inside)
        mask = [(int(d), int(h)) in keys for d, h in zip(split["weekday"], split["hour"],
                                                           strict=True)]
        return int(split.loc[mask, "out_of_hours"].sum())
    return int(sum(s.holiday for s in findings.senders))


def chart_inputs(charts: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    return {k: v[0] for k, v in charts.items()}


def figure_blocks(charts: dict[str, tuple[str, str, str]]) -> list[dict[str, Any]]:
    return [{"kind": "figure", "input": k, "caption": cap, "alt": alt}
            for k, (_svg, cap, alt) in charts.items()]
