"""The report's chart kinds drawn on `_svg.Svg`: bars over time, bars per hour, a weekday x
hour grid and horizontal bars per person, with their axes and legends.

One colour per meaning in every chart (`_common`): blue in working hours, vermillion out of
hours, greys for plain counts. Every size is in points at the page's text width, so a 7.5 pt
label is 7.5 pt on the printed page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from . import _common as c
from . import _ticks as t
from ._svg import MIDDLE, Svg, text_width

WIDTH = 176 / 25.4 * 72  # the text width of the A4 page (176 mm), in points
TICK = 7.5  # tick labels and legend
LABEL = 8.5  # axis titles
VALUE = 7.0  # numbers on or beside bars
GRID = "#E5E5E5"
AXIS = "#000000"
NOTE = "#333333"
SWATCH = 8.0
# Counts in grey, light to dark: the palette's colours each mean something else (blue in
# hours, vermillion out of hours), so the number of messages gets none of them.
HEAT = ["#FFFFFF", "#E3E3E3", "#B5B5B5", "#7F7F7F", "#4D4D4D", "#1F1F1F"]


@dataclass
class Frame:
    """The plot area (points) and the data range it shows; y grows upwards in the data."""

    left: float
    top: float
    right: float
    bottom: float
    x0: float = 0.0
    x1: float = 1.0
    y1: float = 1.0

    def x(self, v: float) -> float:
        return self.left + (v - self.x0) / (self.x1 - self.x0) * (self.right - self.left)

    def y(self, v: float) -> float:
        return self.bottom - v / self.y1 * (self.bottom - self.top)


def heat_colour(share: float) -> str:
    """The grid's grey for a cell holding `share` (0..1) of the busiest cell's messages,
    interpolated between the HEAT stops."""
    share = min(max(share, 0.0), 1.0) * (len(HEAT) - 1)
    i = min(int(share), len(HEAT) - 2)
    a, b = HEAT[i], HEAT[i + 1]
    mix = [round(int(a[k:k + 2], 16) * (1 - share + i) + int(b[k:k + 2], 16) * (share - i))
           for k in (1, 3, 5)]
    return "#" + "".join(f"{v:02X}" for v in mix)


def label_colour(background: str) -> str:
    """White or black text, whichever contrasts more with `background`: at least 4.58:1
    (WCAG AA for small text) on any grey, where near-black would fall to 4.46 mid-scale."""
    bg = c.luminance(background)
    return "#FFFFFF" if c.contrast(1.0, bg) >= c.contrast(0.0, bg) else "#000000"


def legend(svg: Svg, items: Sequence[tuple[str, str]], right: float, top: float,
           width: float) -> float:
    """Swatch + label pairs right-aligned in rows from `top`, wrapping at `width` points;
    returns the height used. Measured with the font's widths so labels never collide."""
    sizes = [SWATCH + 3 + text_width(label, TICK) for _, label in items]
    rows: list[list[int]] = [[]]
    for i, size in enumerate(sizes):
        used = sum(sizes[j] + 10 for j in rows[-1])
        if rows[-1] and used + size > width:
            rows.append([])
        rows[-1].append(i)
    svg.open("legend")
    for r, row in enumerate(rows):
        x = right - sum(sizes[j] for j in row) - 10 * (len(row) - 1)
        base = top + 10 * r + TICK
        for j in row:
            colour, label = items[j]
            svg.rect(x, base - SWATCH + 0.5, SWATCH, SWATCH, colour)
            svg.text(x + SWATCH + 3, base, label, TICK)
            x += sizes[j] + 10
    svg.close()
    return 10.0 * len(rows) + 2


def y_title(svg: Svg, x: float, frame: Frame, title: str) -> float:
    """A y-axis title (one or two lines), reading upwards, right of `x`; returns its width."""
    lines = title.split("\n")
    middle = (frame.top + frame.bottom) / 2
    for i, line in enumerate(lines):
        # turned, a line's letters rise leftwards from its baseline: one ascent in from x
        svg.text(x + 0.95 * LABEL + i * (LABEL + 2), middle, line, LABEL, "middle", rotate=True)
    return len(lines) * (LABEL + 2)


def count_axis_width(ticks: Sequence[int]) -> float:
    return max(text_width(c.fmt_int(v), TICK) for v in ticks) + 4


def y_axis(svg: Svg, frame: Frame, ticks: Sequence[int]) -> None:
    """Grid lines (under the bars drawn next) and count labels up the left side."""
    svg.open("y-axis")
    for v in ticks:
        y = frame.y(v)
        if v:
            svg.line(frame.left, y, frame.right, y, GRID)
        svg.text(frame.left - 3.5, y + MIDDLE * TICK, c.fmt_int(v), TICK, "end")
    svg.close()


def axis_lines(svg: Svg, frame: Frame) -> None:
    """The left and bottom axis lines, drawn after the bars so no bar covers them."""
    svg.line(frame.left, frame.top, frame.left, frame.bottom, AXIS, 0.8)
    svg.line(frame.left, frame.bottom, frame.right, frame.bottom, AXIS, 0.8)


def x_labels(svg: Svg, frame: Frame, ticks: Sequence[tuple[float, str]]) -> None:
    """Labels under the plot at data positions, with a short tick mark each."""
    svg.open("x-axis")
    for v, label in ticks:
        x = frame.x(v)
        svg.line(x, frame.bottom, x, frame.bottom + 3, AXIS, 0.8)
        # a label under the first or last bar may not run off the chart's edge
        half = text_width(label, TICK) / 2
        svg.text(min(max(x, half + 1), svg.width - half - 1), frame.bottom + 4 + TICK, label,
                 TICK, "middle")
    svg.close()


def columns(svg: Svg, frame: Frame, xs: Sequence[float], width: float,
            series: Sequence[tuple[str, str, Sequence[float]]]) -> None:
    """Stacked vertical bars: one group per series (id, colour, values), first at the bottom.
    Zero-height bars are left out."""
    base = [0.0] * len(xs)
    for name, colour, values in series:
        svg.open(name)
        for i, (x, v) in enumerate(zip(xs, values, strict=True)):
            if v:
                top, bottom = frame.y(base[i] + v), frame.y(base[i])
                a, b = frame.x(x - width / 2), frame.x(x + width / 2)
                svg.rect(a, top, b - a, bottom - top, colour)
            base[i] += v
        svg.close()


def date_axis(svg: Svg, frame: Frame, start: date, days: int) -> None:
    """Date labels under a plot whose x is days after `start` (see `_ticks.date_ticks`)."""
    x_labels(svg, frame, t.date_ticks(start, start + timedelta(days=days)))


def hbars(svg: Svg, rows: Sequence[tuple[str, int, int]], left: float, top: float,
          right: float, pitch: float, value_fill: str) -> Frame:
    """One horizontal bar per (label, out of hours, total) row, in the order given: out of
    hours in vermillion from zero, the rest in the in-hours blue after it, "n of N (p%)"
    after each bar. The scale leaves room for the widest of those labels."""
    values = [f"{c.fmt_int(o)} of {c.fmt_int(n)} ({c.fmt_pct(o / n if n else 0)})"
              for _, o, n in rows]
    span = right - left
    # points per message: the longest bar plus its label must fit in the plot
    scale = min([(span - 3 - text_width(v, VALUE)) / max(n, 1)
                 for v, (_, _, n) in zip(values, rows, strict=True)] or [1.0])
    frame = Frame(left, top, right, top + pitch * len(rows), 0.0, span / max(scale, 1e-9), 1)
    ticks = [v for v in t.count_ticks(frame.x1 * 0.8) if v <= frame.x1]
    svg.open("grid")
    for v in ticks:
        svg.line(frame.x(v), frame.top, frame.x(v), frame.bottom, GRID)
    svg.close()
    for name, colour, part in (("out-of-hours", c.OUT_HOURS, 0), ("in-hours", c.IN_HOURS, 1)):
        svg.open(name)
        for i, (_, o, n) in enumerate(rows):
            a, b = (0, o) if part == 0 else (o, n)
            if b > a:
                svg.rect(frame.x(a), top + pitch * (i + 0.1), frame.x(b) - frame.x(a),
                         pitch * 0.8, colour)
        svg.close()
    svg.open("labels")
    for i, ((label, _, n), value) in enumerate(zip(rows, values, strict=True)):
        middle = top + pitch * (i + 0.5) + MIDDLE * TICK
        svg.text(left - 4, middle, label, TICK, "end")
        svg.text(frame.x(n) + 3, top + pitch * (i + 0.5) + MIDDLE * VALUE, value, VALUE,
                 fill=value_fill)
    svg.close()
    axis_lines(svg, frame)
    x_labels(svg, frame, [(v, c.fmt_int(v)) for v in ticks])
    return frame


def time_bars(starts: Sequence[date], width: int, series: Sequence[tuple[str, str, str,
              Sequence[float]]], y_label: str, height: float = 148.0) -> str:
    """Stacked bars per day (`width` 1) or week (7) from `starts` (each bin's first day):
    series are (id, colour, legend label, values), bottom first. A day's bar fills 90% of
    its day, a week's 85% of its week, so neighbours stay apart."""
    svg = Svg(WIDTH, height)
    totals = [sum(vs) for vs in zip(*(s[3] for s in series), strict=True)] or [0]
    ticks = t.count_ticks(max(totals))
    left = 2 + (LABEL + 2) * (y_label.count("\n") + 1) + count_axis_width(ticks)
    top = 4 + legend(svg, [(s[1], s[2]) for s in series], WIDTH - 2, 1, WIDTH - left)
    days = (starts[-1] - starts[0]).days + width if starts else 1
    pad = width * 0.5
    frame = Frame(left, top, WIDTH - 4, height - 18, -pad, days + pad, ticks[-1])
    y_title(svg, 1, frame, y_label)
    y_axis(svg, frame, ticks)
    first = starts[0] if starts else date(2000, 1, 1)
    xs = [(d - first).days + width / 2 for d in starts]
    columns(svg, frame, xs, width * (0.85 if width > 1 else 0.9),
            [(name, colour, values) for name, colour, _label, values in series])
    axis_lines(svg, frame)
    date_axis(svg, frame, first, days)
    return svg.render()


def hour_bars(inside: Sequence[float], outside: Sequence[float], y_label: str,
              x_label: str, height: float = 158.0) -> str:
    """24 bars, one per hour of the day: in hours (blue) under out of hours (vermillion)."""
    svg = Svg(WIDTH, height)
    ticks = t.count_ticks(max((a + b for a, b in zip(inside, outside, strict=True)),
                              default=0))
    left = 2 + (LABEL + 2) + count_axis_width(ticks)
    top = 4 + legend(svg, [(c.IN_HOURS, "In working hours"),
                           (c.OUT_HOURS, "Out of working hours")], WIDTH - 2, 1, WIDTH - left)
    frame = Frame(left, top, WIDTH - 4, height - 32, -0.6, 23.6, ticks[-1])
    y_title(svg, 1, frame, y_label)
    y_axis(svg, frame, ticks)
    columns(svg, frame, list(range(24)), 0.8, [("in-hours", c.IN_HOURS, inside),
                                                ("out-of-hours", c.OUT_HOURS, outside)])
    axis_lines(svg, frame)
    x_labels(svg, frame, [(h, f"{h:02d}") for h in range(24)])
    svg.text((frame.left + frame.right) / 2, height - 4, x_label, LABEL, "middle")
    return svg.render()


def bar_chart(rows: Sequence[tuple[str, int, int]], x_label: str, value_fill: str) -> str:
    """Horizontal out-of-hours bars per person (`hbars`) with legend and axis title; the
    names' column is as wide as the widest name."""
    pitch = 11.0
    svg = Svg(WIDTH, 0)  # as tall as the rows need, set below
    left = 4 + max((text_width(r[0], TICK) for r in rows), default=0) + 6
    top = 4 + legend(svg, [(c.IN_HOURS, "In working hours"),
                           (c.OUT_HOURS, "Out of working hours")], WIDTH - 2, 1, WIDTH - left)
    frame = hbars(svg, rows, left, top + 4, WIDTH - 4, pitch, value_fill)
    svg.text((frame.left + frame.right) / 2, frame.bottom + 24, x_label, LABEL, "middle")
    svg.height = frame.bottom + 29
    return svg.render()


def _short(n: int) -> str:
    return f"{n / 1000:.1f}k" if n >= 1000 else str(n)


def heatmap(matrix: Sequence[Sequence[float]], hours: dict[int, list[tuple[float, float]]] | None,
            holiday_messages: int = 0) -> str:
    """Messages per weekday (rows, Monday first) and hour (columns), in greys, numbers in the
    cells, weekday working hours outlined (`hours`: spans per weekday, None when unknown).

    The outline is the hours of a school day: messages on bank holidays, school holidays and
    INSET days are counted in their cells but are out of hours, and the note under the grid
    says how many there are, so no one reads them as sent in working hours.
    """
    height = 156.0 if holiday_messages else 144.0
    svg = Svg(WIDTH, height)
    left = 4 + max(text_width(d[:3], TICK) for d in c.WEEKDAYS) + 5
    cell_w, cell_h, top = (WIDTH - 4 - left) / 24, 16.0, 16.0
    note = ("Black outline = working hours on school days" if hours
            else "Working hours not stated in the settings: no outline drawn")
    svg.text(WIDTH - 4, 10, note + "  ·  hour of day, phone's clock", TICK, "end", NOTE)
    busiest = max((v for row in matrix for v in row), default=0) or 1
    svg.open("cells")
    for r, row in enumerate(matrix):
        for h, v in enumerate(row):
            svg.rect(left + h * cell_w, top + r * cell_h, cell_w, cell_h,
                     heat_colour(v / busiest), "#FFFFFF", 0.6)
    svg.close()
    if hours:
        # white under black, so the outline shows on the darkest cells too
        for colour, width in (("#FFFFFF", 3.2), ("#000000", 1.6)):
            svg.open("working-hours" if colour == "#000000" else "working-hours-halo")
            for day, spans in sorted(hours.items()):
                for a, b in spans:
                    svg.rect(left + a * cell_w, top + day * cell_h, (b - a) * cell_w, cell_h,
                             "none", colour, width)
            svg.close()
    # A working-hours edge through the middle of a cell (a half-hour start or end) would run
    # through its number: those numbers get a patch of the cell's colour, drawn above it.
    edges = {(day, x) for day, spans in (hours or {}).items() for span in spans for x in span}
    svg.open("numbers")
    for r, row in enumerate(matrix):
        for h, v in enumerate(row):
            if not v:
                continue
            colour = heat_colour(v / busiest)
            x, y = left + (h + 0.5) * cell_w, top + (r + 0.5) * cell_h
            label = _short(int(v))
            if any(day == r and abs(e - h - 0.5) < 0.3 for day, e in edges):
                w = text_width(label, VALUE) + 2
                svg.rect(x - w / 2, y - VALUE * 0.55, w, VALUE * 1.1, colour)
            svg.text(x, y + MIDDLE * VALUE, label, VALUE, "middle", label_colour(colour))
    svg.close()
    svg.open("axes")
    for r, day in enumerate(c.WEEKDAYS):
        svg.text(left - 4, top + (r + 0.5) * cell_h + MIDDLE * TICK, day[:3], TICK, "end")
    for h in range(24):
        svg.text(left + (h + 0.5) * cell_w, top + 7 * cell_h + 3 + TICK, f"{h:02d}", TICK,
                 "middle")
    svg.close()
    if holiday_messages:
        svg.text(left, top + 7 * cell_h + 26, f"{c.fmt_int(holiday_messages)} message"
                 f"{'s' if holiday_messages != 1 else ''} on bank holidays, school holidays "
                 "or INSET days: out of hours even inside the outline.", TICK, fill=NOTE)
    return svg.render()
