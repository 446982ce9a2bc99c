"""Matplotlib drawing for every report page. Imported lazily by the renderers only.

Pages are A4 portrait at 150 dpi (1240 x 1754 px). Positions are figure fractions laid out by
hand from a top-down cursor: the page size never changes, and a fixed grid (with long labels
truncated to a known width) is the one way to guarantee that nothing overlaps, whether the
chat has 3 senders or 60. Figures are built with `matplotlib.figure.Figure` (no pyplot), so
nothing global leaks between renders.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
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
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import FancyBboxPatch, Rectangle  # noqa: E402

from chat_review.analysis.findings import Findings  # noqa: E402

from . import _common as c  # noqa: E402
from . import _words as words  # noqa: E402
from .context import ReportContext  # noqa: E402

PageFn = Callable[[Figure], None]

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
    "path.simplify": True,
    "hatch.linewidth": 0.6,
}

# Counts in grey, light to dark: the palette's colours each mean something else (blue in
# hours, vermillion out of hours), so the number of messages gets none of them.
HEAT_CMAP = LinearSegmentedColormap.from_list(
    "chat_review_heat", ["#FFFFFF", "#E3E3E3", "#B5B5B5", "#7F7F7F", "#4D4D4D", "#1F1F1F"]
)

LEFT, RIGHT = 0.06, 0.94  # page margins (figure fraction)
BOTTOM = 0.05  # above the footer
PT = 1 / (c.A4_INCHES[1] * 72)  # one typographic point as a fraction of page height


def safe(text: str) -> str:
    """Text the page font can draw: an emoji becomes its name ("[grinning face]"), other
    missing characters their code point ("[U+738B]"), joiners vanish (as in the PDF).

    Without this matplotlib draws empty boxes and warns once per glyph per page.
    """
    from ._typst import printable

    return printable(str(text))


# No "fi"/"fl" ligature glyphs: each font is then embedded in the PDF as one subset, not two
# (ligatures go in a second subset: a second, slow font subsetting), and copied text is plain.
NO_LIGATURES = ("-liga",)


def _t(fig: Figure, x: float, y: float, text: str, **kw: Any) -> Any:
    kw.setdefault("fontfeatures", NO_LIGATURES)
    return fig.text(x, y, safe(text), **kw)


@contextmanager
def style() -> Iterator[None]:
    with matplotlib.rc_context(RC):
        yield


def new_page() -> Figure:
    return Figure(figsize=c.A4_INCHES, dpi=c.A4_DPI, facecolor="white")


def footer(fig: Figure, ctx: ReportContext, page: int | None = None, pages: int | None = None
           ) -> None:
    fig.add_artist(
        Line2D([LEFT, RIGHT], [0.032, 0.032], color="#BBBBBB", lw=0.6,
                                transform=fig.transFigure)
    )
    _t(fig, LEFT, 0.02, c.footer_text(ctx.consent_label), fontsize=7.5, color="#333333",
             va="center")


def png_bytes(fig: Figure) -> bytes:
    buf = io.BytesIO()
    # No Software/time chunks: the same findings give the same bytes.
    fig.savefig(buf, format="png", dpi=c.A4_DPI, metadata={"Software": None})
    return buf.getvalue()


# --------------------------------------------------------------------------- header


class Cursor:
    """Top-down y position on a page, in figure fraction."""

    def __init__(self, y: float = 0.975) -> None:
        self.y = y

    def take(self, points: float) -> float:
        y = self.y
        self.y -= points * PT
        return y


def header(fig: Figure, findings: Findings, ctx: ReportContext, title: str,
           extra: Sequence[str] = ()) -> Cursor:
    """Title, chats, period, consent, export hash, generated date; then warnings."""
    cur = Cursor()
    _t(fig, LEFT, cur.take(24), c.truncate(title, 70), fontsize=16, fontweight="bold",
             va="top")
    chats = [f"{c.truncate(s.name, 60)}" for s in findings.sources] or ["—"]
    shas = ", ".join(c.sha_short(s.sha256) for s in findings.sources) or "—"
    lines = [
        ("Chat" + ("s" if len(chats) > 1 else ""), "; ".join(chats)),
        ("Period", words.period(findings)),
        ("Consent", words.consents_text(ctx.consents)),
        ("Export SHA-256", f"{shas} (first 12 hex digits; full value in the PDF's method "
                           "section)"),
        ("Generated", f"{words.uk_time(ctx.generated_at)} by chat-review {ctx.tool_version}"
         + ("  ·  names pseudonymised" if ctx.pseudonymised else "")),
        *[(k, v) for k, v in (e.split(": ", 1) for e in extra)],
    ]
    value_px = (RIGHT - LEFT - 0.16) * c.A4_PX[0]
    for label, value in lines:
        # Chats and consents wrap to a second line (every consent id stays visible: the ids
        # come first, and only the purposes are cut); the rest are cut to the page width.
        two = label.startswith(("Chat", "Consent"))
        value = " ".join(str(value).split())
        parts = wrap_px(value, value_px, 2, 8.5) if two else [fit_px(value, value_px, 8.5)]
        y = cur.take(13)
        _t(fig, LEFT, y, label, fontsize=8.5, color=c.GREY, va="top")
        _t(fig, LEFT + 0.16, y, parts[0] if parts else "", fontsize=8.5, va="top")
        for part in parts[1:]:
            _t(fig, LEFT + 0.16, cur.take(12), part, fontsize=8.5, va="top")
    warnings = c.all_warnings(findings)
    if warnings:
        cur.take(4)
        wrapped: list[str] = []
        for w in warnings:
            wrapped.extend(textwrap.wrap("⚠ " + w, 125, subsequent_indent="   "))
        if len(wrapped) > 6:
            wrapped = wrapped[:5] + [f"   … {len(warnings)} warnings in all: see the method "
                                     "and provenance section."]
        h = (len(wrapped) * 11.5 + 8) * PT
        top = cur.y
        fig.add_artist(FancyBboxPatch(
            (LEFT, top - h), RIGHT - LEFT, h, boxstyle="round,pad=0,rounding_size=0.004",
            transform=fig.transFigure, facecolor="#FFF4E0", edgecolor=c.ACCENT, lw=1))
        cur.take(4)
        for line in wrapped:
            _t(fig, LEFT + 0.01, cur.take(11.5), line, fontsize=8, va="top", color="#5A3A00")
        cur.y = top - h
    cur.take(8)
    return cur


def figure_boxes(fig: Figure, cur: Cursor, figures: Sequence[tuple[str, str]]) -> None:
    """The key figures as boxes, three to a row: big number, label underneath."""
    h = 40 * PT
    gap = 0.012
    per_row = 3
    w = (RIGHT - LEFT - gap * (per_row - 1)) / per_row
    for i, (label, value) in enumerate(figures):
        x = LEFT + (i % per_row) * (w + gap)
        top = cur.y - (i // per_row) * (h + gap * 0.7)
        fig.add_artist(FancyBboxPatch(
            (x, top - h), w, h, boxstyle="round,pad=0,rounding_size=0.006",
            transform=fig.transFigure, facecolor="#F2F5F8", edgecolor="#C9D3DD", lw=0.8))
        _t(fig, x + 0.012, top - 7 * PT, value, fontsize=14, fontweight="bold", va="top")
        room = w * c.A4_PX[0] - 24
        _t(fig, x + 0.012, top - h + 6 * PT, fit_px(label, room, 8.5), fontsize=8.5,
           color="#333333", va="bottom")
    rows = (len(figures) + per_row - 1) // per_row
    cur.y -= rows * h + (rows - 1) * gap * 0.7 + 14 * PT


def headline_lines(fig: Figure, cur: Cursor, findings: Findings) -> None:
    """Up to three parents' and one staff headline sentences (the PDF's page 1 has more)."""
    parents, staff, more_parents, _more_staff = words.headlines(findings, limit=3)
    items = [*parents, *(f"Staff: {x}" for x in staff[:1])]
    if not items:
        return
    _t(fig, LEFT, cur.take(15), "In brief", fontsize=10.5, fontweight="bold", va="top",
       color="#1F3B57")
    width = (RIGHT - LEFT - 0.02) * c.A4_PX[0]
    for item in items:
        lines = wrap_px(item, width, 2, 8.5)
        _t(fig, LEFT, cur.take(12), "•", fontsize=8.5, va="top")
        _t(fig, LEFT + 0.015, cur.y + 12 * PT, lines[0], fontsize=8.5, va="top")
        for line in lines[1:]:
            _t(fig, LEFT + 0.015, cur.take(12), line, fontsize=8.5, va="top")
    cur.take(6)


def notice(fig: Figure, cur: Cursor, headline: str, body: str) -> None:
    """A large boxed statement instead of empty axes."""
    h = 90 * PT
    top = cur.y - 20 * PT
    fig.add_artist(FancyBboxPatch(
        (LEFT, top - h), RIGHT - LEFT, h, boxstyle="round,pad=0,rounding_size=0.008",
        transform=fig.transFigure, facecolor="#F2F5F8", edgecolor="#8A99A8", lw=1))
    _t(fig, 0.5, top - 22 * PT, headline, fontsize=18, fontweight="bold", ha="center",
             va="top")
    _t(fig, 0.5, top - 52 * PT, "\n".join(textwrap.wrap(body, 100)), fontsize=9,
             ha="center", va="top", color="#333333")
    cur.y = top - h - 20 * PT


# --------------------------------------------------------------------------- charts


def _date_axis(ax: Any) -> None:
    """At most ~9 date ticks, every one readable on its own ("05 Sep", "Oct 2024")."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    formatter = mdates.ConciseDateFormatter(
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
            dark = v / vmax > 0.55
            crossed = any(day == r and abs(x - col) < 0.3 for day, x in edges)
            ax.text(col, r, _short(int(v)), ha="center", va="center", fontsize=7,
                    color="white" if dark else "#222222",
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
        ax.set_title(title, loc="left", x=-(rect[0] - LEFT) / rect[2])
    ax.legend(loc="lower right", bbox_to_anchor=(1, 1.0), ncol=2, frameon=False, fontsize=7.5,
              handlelength=1.2, borderaxespad=0.2)


def _charts_area(cur: Cursor, parts: Sequence[float], gaps: float = 0.055
                 ) -> list[tuple[float, float]]:
    """Split what is left of the page into (bottom, height) bands for the charts."""
    top, bottom = cur.y - 0.02, BOTTOM + 0.03
    room = top - bottom - gaps * (len(parts) - 1)
    total = sum(parts)
    bands = []
    y = top
    for p in parts:
        h = room * p / total
        bands.append((y - h, h))
        y -= h + gaps
    return bands


def summary_page(fig: Figure, findings: Findings, ctx: ReportContext) -> None:
    """Page 1 of the PDF and the whole PNG."""
    cur = header(fig, findings, ctx, ctx.title)
    if not c.has_messages(findings):
        notice(fig, cur, "No messages in the consented period",
               "The export was read under the recorded consent, but no message falls inside "
               "the consent's date window, so there is nothing to chart. Check the window on "
               "the consent record if this is unexpected.")
        figure_boxes(fig, cur, words.key_figures(findings))
        return
    headline_lines(fig, cur, findings)
    figure_boxes(fig, cur, words.key_figures(findings))
    (t0, th), (h0, hh), (b0, bh) = _charts_area(cur, [1.0, 0.95, 1.25])
    timeline(fig, [LEFT + 0.05, t0, RIGHT - LEFT - 0.05, th], findings)
    heatmap(fig, [LEFT + 0.05, h0, RIGHT - LEFT - 0.05, hh], findings.weekday_hour,
            findings.calendar, holiday_messages=int(sum(s.holiday for s in findings.senders)))
    sender_bars(fig, [LEFT + 0.25, b0, RIGHT - LEFT - 0.25, bh], findings)


# --------------------------------------------------------------------------- measuring


TEXT_PT = 8.5


# Agg measures hinted glyphs, a little wider than their advances; never under-estimate.
WIDTH_SAFETY = 1.045


@lru_cache(maxsize=8)
def _advance_table(size: float, bold: bool) -> tuple[Any, dict[str, float]]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    prop = font_manager.FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")
    font = FT2Font(font_manager.findfont(prop))
    font.set_size(size, c.A4_DPI)
    return font, {}


def _advance(ch: str, size: float, bold: bool) -> float:
    font, table = _advance_table(size, bold)
    px = table.get(ch)
    if px is None:
        from matplotlib.ft2font import LoadFlags

        px = table[ch] = font.load_char(ord(ch), flags=LoadFlags.NO_HINTING
                                        ).linearHoriAdvance / 65536
    return px


@lru_cache(maxsize=65536)
def text_px(text: str, size: float = TEXT_PT, bold: bool = False) -> float:
    """Width in pixels of the widest line of `text` as the page will draw it.

    Summed glyph advances (cached per character) with a small safety margin: close to what
    matplotlib measures, never narrower, and a hundred times faster than laying the text out.
    """
    return max(sum(_advance(ch, size, bold) for ch in safe(line)) * WIDTH_SAFETY + 1
               for line in text.split("\n"))


def fit_px(text: str, max_px: float, size: float = TEXT_PT) -> str:
    """One line no wider than `max_px`, ending in "…" when it had to be cut."""
    if text_px(text, size) <= max_px:
        return text
    cut = text
    while cut and text_px(cut + "…", size) > max_px:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def wrap_px(text: str, max_px: float, max_lines: int = 3, size: float = TEXT_PT
            ) -> list[str]:
    """Lines of `text` no wider than `max_px` as drawn; the last ends in "…" if cut."""
    words = text.split()
    lines: list[str] = []
    line = ""
    for word in words:
        trial = f"{line} {word}".strip()
        if line and text_px(trial, size) > max_px:
            lines.append(line)
            line = word
            if len(lines) == max_lines:
                cut = lines[-1]
                while cut and text_px(cut + " …", size) > max_px:
                    cut = cut.rsplit(" ", 1)[0] if " " in cut else cut[:-1]
                lines[-1] = cut + " …"
                return lines
        else:
            line = trial
    if line:
        lines.append(line)
    return [fit_px(x, max_px, size) for x in lines]
