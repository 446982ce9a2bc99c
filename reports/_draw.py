"""Matplotlib drawing of the report's charts (Typst lays out the pages around them).

Imported lazily by the renderers only. Figures are built with `matplotlib.figure.Figure` (no
pyplot), so nothing global leaks between renders. One colour per meaning in every chart:
blue in working hours, vermillion out of hours, grey for plain counts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import ticker  # noqa: E402
from matplotlib.collections import LineCollection, PolyCollection  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from chat_review.analysis.findings import Findings  # noqa: E402

from . import _common as c  # noqa: E402

RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 8.5,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "pdf.fonttype": 42,  # TrueType: text stays selectable and extractable
    "ps.fonttype": 42,
    "svg.hashsalt": "chat-review",
    # Text stays text in the SVG; Typst draws it with the report's own DejaVu Sans (a third
    # faster to write than every glyph as a path).
    "svg.fonttype": "none",
    "path.simplify": True,
    "hatch.linewidth": 0.6,
}

# Counts in grey, light to dark: the palette's colours each mean something else (blue in
# hours, vermillion out of hours), so the number of messages gets none of them.
HEAT_CMAP = LinearSegmentedColormap.from_list(
    "chat_review_heat", ["#FFFFFF", "#E3E3E3", "#B5B5B5", "#7F7F7F", "#4D4D4D", "#1F1F1F"]
)



def safe(text: str) -> str:
    """Text the page font can draw: an emoji becomes its name ("[grinning face]"), other
    missing characters their code point ("[U+738B]"), joiners vanish (as in the PDF).

    Without this matplotlib draws empty boxes and warns once per glyph per page.
    """
    from ._typst import printable

    return printable(str(text))


@contextmanager
def style() -> Iterator[None]:
    with matplotlib.rc_context(RC):
        yield


# --------------------------------------------------------------------------- charts


class _UKDateFormatter(mdates.ConciseDateFormatter):
    """Tick labels in the report's one date style: "5 Sep", never "05 Sep".

    strftime's "%-d" (no leading zero) does not exist on Windows, so the zero is dropped
    from the formatted label instead.
    """

    def format_ticks(self, values: Any) -> list[str]:
        return [_day_without_zero(label) for label in super().format_ticks(values)]

    def __call__(self, x: float, pos: int | None = None) -> str:
        return _day_without_zero(super().__call__(x, pos))


def _day_without_zero(label: str) -> str:
    return label[1:] if len(label) > 1 and label[0] == "0" and label[1].isdigit() else label


def _date_axis(ax: Any) -> None:
    """At most ~9 date ticks, every one readable on its own ("5 Sep", "Oct 2024")."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    formatter = _UKDateFormatter(
        locator,
        formats=["%Y", "%b %Y", "%d %b", "%H:%M", "%H:%M", "%S"],
        zero_formats=["%Y", "%b %Y", "%d %b", "%d %b", "%H:%M", "%H:%M"],
        show_offset=False,
    )
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(formatter)


def bars(ax: Any, x: np.ndarray, heights: np.ndarray, width: float, color: str, label: str,
         bottom: np.ndarray | None = None) -> None:
    """Vertical bars as one collection (what `ax.bar` draws, without an artist per bar).

    A long timeline has hundreds of bars; one PolyCollection lays out and draws in a
    fraction of the time of as many Rectangles. Zero-height bars are left out.
    """
    base = np.zeros_like(heights) if bottom is None else np.asarray(bottom, float)
    keep = heights != 0
    x0, x1 = x[keep] - width / 2, x[keep] + width / 2
    y0, y1 = base[keep], base[keep] + heights[keep]
    verts = np.stack([np.column_stack(p) for p in
                      ((x0, y0), (x0, y1), (x1, y1), (x1, y0))], axis=1)
    coll = PolyCollection(verts, facecolors=color, linewidths=0, label=label)
    coll.sticky_edges.y.append(0)  # like ax.bar: no margin under zero
    ax.add_collection(coll, autolim=False)
    if len(x):
        ax.update_datalim([(x.min() - width / 2, 0), (x.max() + width / 2,
                                                      float((base + heights).max()))])
    ax.autoscale_view()


def timeline(fig: Figure, rect: Sequence[float], findings: Findings,
             title: str | None = "Messages over time") -> None:
    """Stacked in-hours / out-of-hours bars, daily, or weekly for a long period."""
    ax = fig.add_axes(rect)
    frame, ylabel, width = c.timeline_bins(findings.daily)
    x = mdates.date2num(frame.index.to_pydatetime()) + width / 2
    w = width * (0.85 if width > 1 else 0.9)
    inside = frame["in_hours"].to_numpy(float)
    bars(ax, x, inside, w, c.IN_HOURS, "In working hours")
    bars(ax, x, frame["out_of_hours"].to_numpy(float), w, c.OUT_HOURS, "Out of working hours",
         bottom=inside)
    ax.set_xlim(x.min() - width, x.max() + width) if len(x) else None
    _date_axis(ax)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_locator(ticker.MaxNLocator(5, integer=True))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: c.fmt_int(v)))
    ax.grid(axis="y", color="#E5E5E5", lw=0.6)
    ax.set_axisbelow(True)
    if title:
        ax.set_title(title, loc="left")
    ax.legend(loc="lower right", bbox_to_anchor=(1, 1.0), ncol=2, frameon=False, fontsize=7.5,
              handlelength=1.2, borderaxespad=0.2)


def _outline_hours(ax: Any, wh: dict[int, list[tuple[float, float]]]) -> bool:
    if not wh:
        return False
    for day, spans in wh.items():
        for a, b in spans:
            for lw, colour in ((3.2, "white"), (1.6, "#000000")):
                ax.add_patch(Rectangle((a - 0.5, day - 0.5), b - a, 1, fill=False, lw=lw,
                                       edgecolor=colour, zorder=3 if colour != "white" else 2.9))
    return True


def label_colour(background: Any) -> str:
    """White or black text, whichever contrasts more with `background`: at least 4.58:1
    (WCAG AA for small text) on any grey, where near-black would fall to 4.46 mid-scale."""
    bg = c.luminance(background)
    return "#FFFFFF" if c.contrast(1.0, bg) >= c.contrast(0.0, bg) else "#000000"


def _short(n: int) -> str:
    return f"{n / 1000:.1f}k" if n >= 1000 else str(n)


def heatmap(fig: Figure, rect: Sequence[float], matrix: pd.DataFrame,
            calendar: dict[str, Any], title: str | None = "When messages were sent",
            holiday_messages: int = 0) -> None:
    """Messages per weekday and hour, weekday working hours outlined.

    The outline is the hours of a school day: messages on bank holidays, school holidays and
    INSET days are counted in their cells but are out of hours, and the note under the grid
    says how many there are, so no one reads them as sent in working hours.
    """
    m = matrix.reindex(index=range(7), columns=range(24), fill_value=0).to_numpy(float)
    ax = fig.add_axes(rect)
    vmax = max(m.max(), 1)
    ax.imshow(m, cmap=HEAT_CMAP, vmin=0, vmax=vmax, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(24), [f"{h:02d}" for h in range(24)])
    ax.set_yticks(range(7), [d[:3] for d in c.WEEKDAYS])
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    # Cell borders as one collection of white lines: cheaper than 33 minor ticks.
    ax.add_collection(LineCollection(
        [[(x, -0.5), (x, 6.5)] for x in np.arange(-0.5, 24, 1)]
        + [[(-0.5, y), (23.5, y)] for y in np.arange(-0.5, 7, 1)],
        colors="white", linewidths=0.6, zorder=1.5), autolim=False)
    # A working-hours edge through the middle of a cell (a half-hour start or end) would run
    # through its number: those numbers get a patch of the cell's colour, drawn above it.
    wh = c.working_hours(calendar) or {}
    edges = {(day, x - 0.5) for day, spans in wh.items() for span in spans for x in span}
    for (r, col), v in np.ndenumerate(m):
        if v:
            crossed = any(day == r and abs(x - col) < 0.3 for day, x in edges)
            ax.text(col, r, _short(int(v)), ha="center", va="center", fontsize=7,
                    color=label_colour(HEAT_CMAP(v / vmax)),
                    **({"zorder": 4, "bbox": {"boxstyle": "square,pad=0.15", "lw": 0,
                                              "fc": HEAT_CMAP(v / vmax)}} if crossed else {}))
    outlined = _outline_hours(ax, wh)
    note = ("Black outline = working hours on school days" if outlined
            else "Working hours not stated in the settings: no outline drawn")
    if title:
        ax.set_title(title, loc="left")
    ax.text(1.0, 1.02, note + "  ·  hour of day, phone's clock", transform=ax.transAxes,
            ha="right", va="bottom", fontsize=7.5, color="#333333")
    if holiday_messages:
        ax.text(0.0, -0.16, f"{c.fmt_int(holiday_messages)} message"
                f"{'s' if holiday_messages != 1 else ''} on bank holidays, school holidays or "
                "INSET days: out of hours even inside the outline.", transform=ax.transAxes,
                ha="left", va="top", fontsize=7.5, color="#333333")


def out_of_hours_bars(ax: Any, rows: Sequence[tuple[Any, ...]], **value_kw: Any) -> None:
    """One horizontal bar per (label, out of hours, total, ...) row, largest first.

    Out of hours in vermillion, the rest in the in-hours blue of every chart, "n of N (p%)"
    after each bar.
    `value_kw` styles those value labels (e.g. their colour).
    """
    y = np.arange(len(rows))
    ooh = np.array([r[1] for r in rows], float)
    total = np.array([r[2] for r in rows], float)
    ax.barh(y, total - ooh, left=ooh, color=c.IN_HOURS, lw=0, label="In working hours")
    ax.barh(y, ooh, color=c.OUT_HOURS, lw=0, label="Out of working hours")
    ax.set_yticks(y, [safe(r[0]) for r in rows])
    ax.invert_yaxis()
    ax.tick_params(axis="y", length=0)
    xmax = max(total.max() if len(total) else 1, 1)
    ax.set_xlim(0, xmax * 1.32)
    for yi, (o, t) in enumerate(zip(ooh, total, strict=True)):
        share = o / t if t else 0
        ax.text(t + xmax * 0.01, yi, f"{c.fmt_int(o)} of {c.fmt_int(t)} ({c.fmt_pct(share)})",
                va="center", fontsize=7, **value_kw)
    ax.xaxis.set_major_locator(ticker.MaxNLocator(5, integer=True))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: c.fmt_int(v)))
    ax.grid(axis="x", color="#E5E5E5", lw=0.6)
    ax.set_axisbelow(True)


def sender_bars(fig: Figure, rect: Sequence[float], findings: Findings,
                title: str | None = "Out-of-hours messages per sender (top ten)") -> None:
    ax = fig.add_axes(rect)
    out_of_hours_bars(ax, c.top_out_of_hours(findings.senders, 10), color="#222222")
    ax.set_xlabel("Messages (out of hours in vermillion, in working hours blue)")
    if title:
        ax.set_title(title, loc="left", x=-rect[0] / rect[2])
    ax.legend(loc="lower right", bbox_to_anchor=(1, 1.0), ncol=2, frameon=False, fontsize=7.5,
              handlelength=1.2, borderaxespad=0.2)
