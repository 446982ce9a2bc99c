"""Staff view pages: one staff member's contact from parents, out of hours. Lazily imported."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure

from chat_review.analysis.findings import Burst, Findings, StaffContact

from . import _common as c
from . import _draw as d
from . import _pages as p
from .context import ReportContext

# Parents get colours that are not the in-hours blue or out-of-hours vermillion.
PARENT_COLOURS = [c.ACCENT, c.SKY, c.GREEN, c.PINK, c.YELLOW, "#999999"]
TOP_PARENTS = 5


@dataclass
class StaffData:
    staff: str
    contacts: list[StaffContact]  # one per sender (and mode), most contacts first
    bursts: list[Burst]

    @property
    def total(self) -> int:
        return sum(x.contacts for x in self.contacts)

    @property
    def out_of_hours(self) -> int:
        return sum(x.out_of_hours for x in self.contacts)

    @property
    def parents(self) -> list[str]:
        seen: dict[str, int] = {}
        for x in self.contacts:
            seen[x.sender] = seen.get(x.sender, 0) + x.contacts
        return sorted(seen, key=lambda s: (-seen[s], s))


def staff_data(findings: Findings, staff: str) -> StaffData:
    """Contact with `staff`, and the bursts that were at staff in the same chats.

    A Burst records only that it was at staff, not at whom: a burst is counted here when it
    was at staff, by a sender who contacted this staff member, in a chat that contact came from.
    """
    contacts = sorted((x for x in findings.staff_contact if x.staff == staff),
                      key=lambda x: (-x.contacts, x.sender, x.mode))
    pairs = {(x.sender, s) for x in contacts for s in x.sources}
    bursts = [b for b in findings.bursts if b.at_staff and (b.sender, b.source) in pairs]
    return StaffData(staff, contacts, bursts)


def key_figures(sd: StaffData) -> list[tuple[str, str]]:
    share = sd.out_of_hours / sd.total if sd.total else 0.0
    days: dict[str, int] = {}
    for x in sd.contacts:
        for k, v in x.by_day.items():
            days[k] = days.get(k, 0) + v
    busiest = max(days.items(), key=lambda kv: (kv[1], kv[0])) if days else None
    return [
        ("Contacts", c.fmt_int(sd.total)),
        ("Out of working hours", f"{c.fmt_pct(share)} ({c.fmt_int(sd.out_of_hours)})"),
        ("Parents", c.fmt_int(len(sd.parents))),
        ("Bursts at staff", c.fmt_int(len(sd.bursts))),
        (f"Busiest day ({busiest[1]} contacts)" if busiest else "Busiest day",
         c.fmt_date(busiest[0]) if busiest else "—"),
    ]


def _groups(sd: StaffData) -> list[tuple[str, list[StaffContact]]]:
    parents = sd.parents
    groups = [(c.truncate(s, 26), [x for x in sd.contacts if x.sender == s])
              for s in parents[:TOP_PARENTS]]
    rest = [x for x in sd.contacts if x.sender in set(parents[TOP_PARENTS:])]
    if rest:
        groups.append((f"Other ({len(parents) - TOP_PARENTS} parents)", rest))
    return groups


def _by_day(sd: StaffData, period: tuple[pd.Timestamp, pd.Timestamp]
            ) -> tuple[pd.DataFrame, str, int]:
    index = pd.date_range(*period, freq="D")
    cols = {}
    for label, xs in _groups(sd):
        s = pd.Series(0, index=index, dtype="int64")
        for x in xs:
            if x.by_day:
                day = pd.Series(x.by_day, dtype="int64")
                day.index = pd.to_datetime(day.index)
                s = s.add(day.reindex(index, fill_value=0), fill_value=0)
        cols[label] = s
    frame = pd.DataFrame(cols, index=index)
    if len(frame) > c.WEEKLY_AFTER_DAYS:
        frame = frame.resample("W-MON", label="left", closed="left").sum()
        return frame, "Contacts per week\n(weeks start Monday)", 7
    return frame, "Contacts per day", 1


def _period(findings: Findings, sd: StaffData) -> tuple[pd.Timestamp, pd.Timestamp]:
    days = [pd.Timestamp(k) for x in sd.contacts for k in x.by_day]
    start = findings.period.start or (min(days) if days else pd.Timestamp("2000-01-01"))
    end = findings.period.end or (max(days) if days else start)
    return pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()


def _legend(ax: object) -> None:
    ax.legend(loc="lower right", bbox_to_anchor=(1, 1.0), ncol=3, frameon=False,  # type: ignore[attr-defined]
              fontsize=7, handlelength=1.2, borderaxespad=0.2)


def subject(ctx: ReportContext, staff: str) -> str:
    """The staff view's PDF subject."""
    return f"Out-of-hours contact with {staff} under consent {ctx.consent_label}"


def staff_page(fig: Figure, findings: Findings, ctx: ReportContext, staff: str,
               sd: StaffData | None = None) -> None:
    if sd is None:
        sd = staff_data(findings, staff)
    title = f"Out-of-hours contact with {c.truncate(staff, 40)}"
    cur = d.header(fig, findings, ctx, title)
    if not sd.contacts:
        d.notice(fig, cur, f"No contact with {c.truncate(staff, 40)} in the consented period",
                 "None of the consented messages was sent to this member of staff in a 1:1 chat "
                 "or named them in a group. Check the spelling of the staff name if this is "
                 "unexpected.")
        return
    d.figure_boxes(fig, cur, key_figures(sd))
    bands = d._charts_area(cur, [1.0, 0.8, 1.1], gaps=0.072)
    groups = _groups(sd)
    colours = PARENT_COLOURS[: len(groups)]  # the sixth, grey, is the "Other" group's

    # 1. over time, stacked by parent
    (b0, h0) = bands[0]
    ax = fig.add_axes([d.LEFT + 0.05, b0, d.RIGHT - d.LEFT - 0.05, h0])
    frame, ylabel, width = _by_day(sd, _period(findings, sd))
    x = d.mdates.date2num(frame.index.to_pydatetime()) + width / 2
    bottom = np.zeros(len(frame))
    for (label, _), colour in zip(groups, colours, strict=True):
        d.bars(ax, x, frame[label].to_numpy(float), width * 0.85, colour, d.safe(label),
               bottom=bottom)
        bottom += frame[label].to_numpy()
    if len(x):
        ax.set_xlim(x.min() - width, x.max() + width)
    d._date_axis(ax)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_locator(ticker.MaxNLocator(5, integer=True))
    ax.grid(axis="y", color="#E5E5E5", lw=0.6)
    ax.set_axisbelow(True)
    ax.set_title("Contacts over time", loc="left")
    _legend(ax)

    # 2. by hour of day, working hours shaded
    (b1, h1) = bands[1]
    ax = fig.add_axes([d.LEFT + 0.05, b1, d.RIGHT - d.LEFT - 0.05, h1])
    wh = c.working_hours(findings.calendar) or {}
    spans = [s for day in range(5) for s in wh.get(day, [])]
    if spans:
        a = min(s[0] for s in spans)
        b = max(s[1] for s in spans)
        ax.axvspan(a - 0.5, b - 0.5, color="#E8F1F8", zorder=0, lw=0)
        ax.text(a - 0.4, 1.0, "weekday working hours", transform=ax.get_xaxis_transform(),
                va="top", fontsize=7, color=c.IN_HOURS)
    bottom = np.zeros(24)
    for (_label, xs), colour in zip(groups, colours, strict=True):
        hours = np.sum([np.asarray(xx.by_hour[:24], float) for xx in xs], axis=0)
        ax.bar(np.arange(24), hours, bottom=bottom, color=colour, width=0.8, lw=0)
        bottom += hours
    ax.set_xticks(range(24), [f"{h:02d}" for h in range(24)])
    ax.set_xlim(-0.6, 23.6)
    ax.yaxis.set_major_locator(ticker.MaxNLocator(5, integer=True))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: c.fmt_int(v)))
    ax.set_ylabel("Contacts (all days)")
    ax.set_xlabel("Hour of day (phone's local time); weekends and holidays count as out of "
                  "hours at any hour")
    ax.set_title("Contacts by hour of day", loc="left")

    # 3. per parent, out of hours vs in hours
    (b2, h2) = bands[2]
    ax = fig.add_axes([d.LEFT + 0.25, b2, d.RIGHT - d.LEFT - 0.25, h2])
    per: dict[str, list[int]] = {}
    for xx in sd.contacts:
        tot = per.setdefault(xx.sender, [0, 0])
        tot[0] += xx.out_of_hours
        tot[1] += xx.contacts
    ranked = sorted(per.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
    rows = [(c.truncate(k, 30), v[0], v[1]) for k, v in ranked[:10]]
    if len(ranked) > 10:
        rows.append((f"Other ({len(ranked) - 10} parents)", sum(v[0] for _, v in ranked[10:]),
                     sum(v[1] for _, v in ranked[10:])))
    d.out_of_hours_bars(ax, rows)
    ax.set_xlabel("Contacts")
    ax.set_title("Out-of-hours contacts per parent", loc="left",
                 x=-(0.25 - 0.0) / (d.RIGHT - d.LEFT - 0.25))
    _legend(ax)


def contact_pages(findings: Findings, sd: StaffData) -> list[d.PageFn]:
    src = c.source_numbers(findings)
    cols = [
        d.Column("Parent", 24, flex=True), d.Column("How", 7), d.Column("Contacts", 7, "right"),
        d.Column("Out of\nhours", 6, "right"), d.Column("Out of\nhours %", 6, "right"),
        d.Column("Days with\ncontact", 7, "right"), d.Column("Busiest day", 12),
        d.Column("Late evening\n(20:00–07:00)", 9, "right"), d.Column("Chats", 6),
    ]
    rows = []
    for x in sd.contacts:
        busiest = max(x.by_day.items(), key=lambda kv: (kv[1], kv[0])) if x.by_day else None
        late = sum(x.by_hour[h] for h in (*range(20, 24), *range(0, 7)) if h < len(x.by_hour))
        rows.append(d.Row([
            c.truncate(x.sender, 32),
            "1:1 chat" if x.mode == "direct" else "named in group" if x.mode == "mention"
            else x.mode,
            c.fmt_int(x.contacts), c.fmt_int(x.out_of_hours),
            c.fmt_pct(x.out_of_hours / x.contacts if x.contacts else 0),
            c.fmt_int(len(x.by_day)),
            f"{c.fmt_date(busiest[0])} ({busiest[1]})" if busiest else "—",
            c.fmt_int(late), ", ".join(src.get(s, "?") for s in x.sources),
        ]))
    intro = [
        f"Every parent who wrote to {c.truncate(sd.staff, 40)} in a 1:1 chat, or named them in a "
        "group chat, in the consented period; most contacts first.",
        "Chat numbers refer to the export list on the method page.",
    ]
    return d.table_pages(f"Contact with {c.truncate(sd.staff, 40)} per parent", intro, cols,
                         rows, "No contact.")


def staff_pages(findings: Findings, ctx: ReportContext, staff: str) -> list[d.PageFn]:
    sd = staff_data(findings, staff)
    pages: list[d.PageFn] = [lambda fig: staff_page(fig, findings, ctx, staff, sd)]
    if sd.contacts:
        pages += contact_pages(findings, sd)
        sub = dataclasses.replace(findings, bursts=sd.bursts)
        pages += p.burst_pages(sub, f"Bursts at staff in chats with {c.truncate(staff, 30)}",
                               shade_at_staff=False)
    pages += d.text_pages("Method and provenance", p.method_blocks(findings, ctx))
    return pages
