"""The report's charts as SVG for the PDF and the PNG summary, each with the alt text a
screen reader speaks. Drawn by `_plot` (plain SVG, no plotting library).
"""

from __future__ import annotations

import re
from typing import Any

from chat_review.analysis.findings import Findings

from . import _common as c
from . import _plot as p
from . import _words as w


def height_mm(svg_text: str) -> float:
    """The chart's height on the page (charts are drawn at the page's text width, 1:1)."""
    m = re.search(r'height="([\d.]+)pt"', svg_text[:2000])
    return float(m.group(1)) * 25.4 / 72 if m else 60.0


def safe(text: str) -> str:
    """Text the page font can draw: an emoji the font lacks becomes its name
    ("[grinning face]"), other missing characters their code point ("[U+738B]"), joiners
    vanish (as in the PDF), so a chart never shows an empty box."""
    from ._typst import printable

    return printable(str(text))


def timeline(findings: Findings) -> str:
    """Stacked in-hours / out-of-hours bars, daily, or weekly for a long period."""
    frame, ylabel, width = c.timeline_bins(findings.daily)
    starts = [d.date() for d in frame.index]
    return p.time_bars(starts, width, [
        ("in-hours", c.IN_HOURS, "In working hours", frame["in_hours"].tolist()),
        ("out-of-hours", c.OUT_HOURS, "Out of working hours", frame["out_of_hours"].tolist()),
    ], ylabel)


def heatmap(findings: Findings) -> str:
    m = findings.weekday_hour.reindex(index=range(7), columns=range(24), fill_value=0)
    return p.heatmap(m.to_numpy().tolist(), c.working_hours(findings.calendar),
                     holiday_total(findings))


def sender_bars(findings: Findings) -> str:
    rows = [(safe(r[0]), r[1], r[2]) for r in c.top_out_of_hours(findings.senders, 10)]
    return p.bar_chart(rows, "Messages (out of hours in vermillion, in working hours blue)",
                       "#222222")


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
    return {
        "chart-timeline": (timeline(findings), "Messages over time", timeline_alt(findings)),
        "chart-heatmap": (heatmap(findings), "When messages were sent", heatmap_alt(findings)),
        "chart-senders": (sender_bars(findings), "Out-of-hours messages per sender (top ten)",
                          senders_alt(findings)),
    }


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
