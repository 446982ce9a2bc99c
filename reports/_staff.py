"""Staff view pages: one staff member's contact from parents, out of hours. Lazily imported."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from chat_review.analysis.findings import Burst, Findings, StaffContact

from . import _charts, _plot
from . import _common as c
from . import _document as doc
from . import _words as w
from ._method import method_blocks
from .context import ReportContext

# Parents get colours that are not the in-hours blue or out-of-hours vermillion.
# Okabe-Ito, the two colours the other charts give a meaning (in-hours blue, out-of-hours
# vermillion) left out, and the ones nearest them (sky, orange) last: the first parents, the
# ones most charts show, get green and purple, which no reader takes for "out of hours".
PARENT_COLOURS = [c.GREEN, c.PINK, c.YELLOW, c.SKY, c.ACCENT, "#999999"]
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
    """Contact with `staff`, and the bursts sent to them (1:1) or naming them."""
    contacts = sorted((x for x in findings.staff_contact if x.staff == staff),
                      key=lambda x: (-x.contacts, x.sender, x.mode))
    bursts = [b for b in findings.bursts if b.to_staff == staff or staff in b.about_staff]
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
        ("Bursts to or about them", c.fmt_int(len(sd.bursts))),
        (f"Busiest day ({busiest[1]} contacts)" if busiest else "Busiest day",
         w.day(busiest[0]) if busiest else "—"),
    ]


def _groups(sd: StaffData) -> list[tuple[str, list[StaffContact]]]:
    parents = sd.parents
    groups = [(c.truncate(s, 26), [x for x in sd.contacts if x.sender == s])
              for s in parents[:TOP_PARENTS]]
    rest = [x for x in sd.contacts if x.sender in set(parents[TOP_PARENTS:])]
    if rest:
        groups.append((f"Other ({len(parents) - TOP_PARENTS} parents)", rest))
    return groups


def _by_day(groups: list[tuple[str, list[StaffContact]]],
            period: tuple[pd.Timestamp, pd.Timestamp]) -> tuple[pd.DataFrame, str, int]:
    index = pd.date_range(*period, freq="D")
    cols = {}
    for label, xs in groups:
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


def subject(ctx: ReportContext, staff: str) -> str:
    """The staff view's PDF subject."""
    return f"Out-of-hours contact with {staff} under consent {ctx.consent_label}"


def over_time(findings: Findings, sd: StaffData,
              groups: list[tuple[str, list[StaffContact]]]) -> str:
    """Contacts per day (or week), stacked by parent (``groups``: the top five, then
    "Other", from `_groups`)."""
    colours = PARENT_COLOURS[: len(groups)]  # the sixth, grey, is the "Other" group's
    frame, ylabel, width = _by_day(groups, _period(findings, sd))
    series = [(f"parent-{i}", colour, _charts.safe(label), frame[label].tolist())
              for i, ((label, _), colour) in enumerate(zip(groups, colours, strict=True))]
    return _plot.time_bars([d.date() for d in frame.index], width, series, ylabel)


def hour_totals(sd: StaffData) -> tuple[list[int], list[int]]:
    """Contacts per hour of day in working hours and out of them, split by the calendar
    itself: a Saturday or half-term 10:00 is out of hours
    (`StaffContact.by_hour_out_of_hours`)."""
    hours, out = [0] * 24, [0] * 24
    for x in sd.contacts:
        for h in range(24):
            hours[h] += x.by_hour[h] if h < len(x.by_hour) else 0
            ooh = x.by_hour_out_of_hours
            out[h] += ooh[h] if ooh is not None and h < len(ooh) else 0
    return [a - b for a, b in zip(hours, out, strict=True)], out


def by_hour(inside: list[int], outside: list[int]) -> str:
    """Contacts by hour of day, each bar split into in and out of working hours (the two
    lists from `hour_totals`)."""
    return _plot.hour_bars(inside, outside, "Contacts (all days)",
                           "Hour of day (phone's clock); weekends and holidays are out of "
                           "hours at every hour")


def per_parent(sd: StaffData) -> str:
    per: dict[str, list[int]] = {}
    for xx in sd.contacts:
        tot = per.setdefault(xx.sender, [0, 0])
        tot[0] += xx.out_of_hours
        tot[1] += xx.contacts
    ranked = sorted(per.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
    rows = [(_charts.safe(c.truncate(k, 30)), v[0], v[1]) for k, v in ranked[:10]]
    if len(ranked) > 10:
        rows.append((f"Other ({len(ranked) - 10} parents)", sum(v[0] for _, v in ranked[10:]),
                     sum(v[1] for _, v in ranked[10:])))
    return _plot.bar_chart(rows, "Contacts", "#000000")


def contact_blocks(findings: Findings, sd: StaffData) -> list[doc.Block]:
    src = c.source_numbers(findings)
    a, b = w.late_window(findings)
    rows = []
    for x in sd.contacts[:doc.MAX_SENDER_ROWS]:
        busiest = max(x.by_day.items(), key=lambda kv: (kv[1], kv[0])) if x.by_day else None
        late = x.late_night  # the settings' window, counted per message
        rows.append([
            x.sender, HOW.get(x.mode, x.mode), c.fmt_int(x.contacts),
            f"{c.fmt_int(x.out_of_hours)} "
            f"({c.fmt_pct(x.out_of_hours / x.contacts if x.contacts else 0)})",
            c.fmt_int(late), c.fmt_int(len(x.by_day)),
            f"{w.day(busiest[0])} ({c.fmt_int(busiest[1])})" if busiest else "—",
            ", ".join(src.get(s, "?") for s in x.sources),
        ])
    staff = sd.staff
    return [
        {"kind": "title", "text": f"Contact with {staff} per parent"},
        doc.lead(f"Every parent who wrote to {staff} in a one-to-one chat (to them, 1:1), or "
              "named them in a group chat (about them, group), in the consented period; most "
              "contacts first. Late evening is "
              f"{a}–{b}. Chat numbers refer to the list of exports in the "
              "method section."),
        *doc.more(min(len(sd.contacts), doc.MAX_SENDER_ROWS), len(sd.contacts), "parents"),
        doc.table(["Parent", "How", "Contacts", "Out of hours", "Late evening", "Days",
                   "Busiest day", "Chats"], [2.4, 1.6, 1, 1.4, 1.35, 0.8, 1.5, 0.8], "llrrrrll",
                  rows),
    ]


HOW = {"direct": "to them (1:1)", "mention": "about them (group)"}


def headline(x: list[StaffContact], staff: str) -> str:
    """"Parent A sent 12 of 15 messages to Mrs Okafor outside working hours (80%)."""
    sender = x[0].sender
    parts = []
    for mode in ("direct", "mention"):
        mine = [y for y in x if y.mode == mode]
        if not mine:
            continue
        total = sum(y.contacts for y in mine)
        ooh = sum(y.out_of_hours for y in mine)
        what = (f"messages to {staff} in a one-to-one chat" if mode == "direct" else
                f"group messages naming {staff}")
        what = what.replace("messages", "message", 1) if total == 1 else what
        parts.append(f"{c.fmt_int(ooh)} of {c.fmt_int(total)} {what} were sent outside "
                     f"working hours ({c.fmt_pct(ooh / total if total else 0)})")
    return f"{sender}: " + "; ".join(parts) + "."


def headlines(sd: StaffData, limit: int) -> tuple[list[str], int]:
    """Headline sentences for the parents with most out-of-hours contact, and how many more."""
    by_sender: dict[str, list[StaffContact]] = {}
    for x in sd.contacts:
        by_sender.setdefault(x.sender, []).append(x)
    ranked = sorted(by_sender.values(),
                    key=lambda xs: (-sum(y.out_of_hours for y in xs), xs[0].sender))
    return [headline(xs, sd.staff) for xs in ranked[:limit]], max(len(ranked) - limit, 0)


def _no_contact(staff: str) -> list[doc.Block]:
    return [doc.h2(f"No contact with {staff} in the consented period"),
            doc.p("None of the consented messages was sent to this member of staff in a "
                  "one-to-one chat or named them in a group. Check the spelling of the staff "
                  "name if this is unexpected.")]


def staff_card(findings: Findings, ctx: ReportContext, staff: str,
               charts: dict[str, tuple[str, str, str]]) -> list[doc.Block]:
    """The staff view's PNG: heading, headlines, key figures, the three charts."""
    sd = staff_data(findings, staff)
    blocks: list[doc.Block] = [{"kind": "title", "text": f"Contact with {staff}"},
                               {"kind": "meta", "rows": doc.meta_rows(findings, ctx)}]
    if not sd.contacts:
        return blocks + _no_contact(staff)
    lines, _more = headlines(sd, 3)
    return [*blocks, {"kind": "small-list", "items": lines},
            {"kind": "figures", "columns": 5, "items": key_figures(sd)},
            *_charts.figure_blocks(charts)]


def staff_blocks(findings: Findings, ctx: ReportContext, staff: str,
                 charts: dict[str, tuple[str, str, str]]) -> list[doc.Block]:
    sd = staff_data(findings, staff)
    blocks: list[doc.Block] = [{"kind": "title", "text": f"Contact with {staff}"},
                               {"kind": "meta", "rows": doc.meta_rows(findings, ctx)}]
    blocks += doc.warnings_block(findings)
    if not sd.contacts:
        return blocks + _no_contact(staff) + method_blocks(findings, ctx)
    lines, more = headlines(sd, 5)
    blocks += [doc.h2("In brief"), {"kind": "list", "items": lines}]
    if more:
        blocks.append(doc.note(f"And {w.plural(more, 'more parent')}: see the table."))
    blocks += [
        {"kind": "figures", "items": key_figures(sd)},
        doc.note("Only messages to or about this member of staff are counted here: messages "
                 "in a one-to-one chat with them (to them) and group messages that name them "
                 "(about them). System events are not counted."),
        doc.h2("What the words mean here"),
        {"kind": "terms", "items": w.definitions(findings)[:5]},
        {"kind": "break"}, {"kind": "title", "text": "Charts"},
    ]
    blocks += _charts.figure_blocks(charts)
    blocks += contact_blocks(findings, sd)
    sub = dataclasses.replace(findings, bursts=sd.bursts)
    blocks += doc.burst_blocks(sub, f"Bursts to or about {staff}")
    return blocks + method_blocks(findings, ctx)


def staff_charts(findings: Findings, staff: str) -> dict[str, tuple[str, str, str]]:
    sd = staff_data(findings, staff)
    if not sd.contacts:
        return {}
    groups = _groups(sd)
    parents = ", ".join(label for label, _ in groups)
    inside, outside = hour_totals(sd)
    hours = [a + b for a, b in zip(inside, outside, strict=True)]
    busiest = max(range(24), key=lambda h: (hours[h], -h))
    return {
        "chart-over-time": (over_time(findings, sd, groups), "Contacts over time",
                            f"Bar chart of contacts with {staff} over time, stacked by "
                            f"parent ({parents})."),
        "chart-by-hour": (by_hour(inside, outside), "Contacts by hour of day",
                          f"Bar chart of contacts with {staff} by hour of day; the busiest "
                          f"hour is {busiest:02d}:00 with "
                          f"{w.plural(hours[busiest], 'contact')}."),
        "chart-per-parent": (per_parent(sd), "Out-of-hours contacts per parent",
                             f"Bar chart of out-of-hours contacts with {staff} per parent, "
                             "most first; the table gives the numbers."),
    }
