"""Realistic `Findings` built directly, so `reports` can be tested before analysis exists.

The data are generated per message (timestamps, senders) and then aggregated the way the
analysis is specified to, so daily, weekday x hour, per-sender and burst figures agree with
each other. Everything is seeded: the same call always gives the same findings.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from chat_review.analysis.findings import (
    Burst,
    Findings,
    Participant,
    Period,
    ReviewFlag,
    SenderStats,
    SourceInfo,
    StaffContact,
)

SHA_A = "3f5a9c0e7b1d2468ace0fdb97531eca86420bdf13579ace02468bdf13579ace0"
SHA_B = "9b8a7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9"

SMALL_NAMES = ["Jane Doe", "Priya Sharma", "Tom O'Brien", "Mrs Ellis"]
STAFF_SMALL = ["Mrs Ellis"]

# The shape of chat_review.calendar.WorkingCalendar.describe() (Friday shortened to show it).
CALENDAR: dict[str, Any] = {
    "region": "england",
    "region_name": "England",
    "hours": {
        "monday": "08:00-18:00",
        "tuesday": "08:00-18:00",
        "wednesday": "08:00-18:00",
        "thursday": "08:00-18:00",
        "friday": "08:00-16:30",
        "saturday": None,
        "sunday": None,
    },
    "rule": (
        "A message is in working hours when it was sent on a working day at or after the start "
        "time and before the end time; weekends, bank holidays, school holidays and INSET days "
        "have no working hours."
    ),
    "from": "2024-09-02",
    "to": "2025-08-30",
    "bank_holidays": [
        {"date": "2024-12-25", "name": "Christmas Day"},
        {"date": "2024-12-26", "name": "Boxing Day"},
    ],
    "closures": [
        {"name": "INSET day", "kind": "inset", "from": "2024-09-02", "to": "2024-09-02"},
        {"name": "Autumn half term", "kind": "school-holiday", "from": "2024-10-28",
         "to": "2024-11-01"},
        {"name": "Christmas holidays", "kind": "school-holiday", "from": "2024-12-23",
         "to": "2025-01-03"},
    ],
    "bank_holiday_source": "holidays 0.60, GB subdivision ENG",
}

SETTINGS: dict[str, Any] = {
    "burst": {"min_messages": 5, "within_minutes": 10},
    "late_night": ["22:00", "06:00"],
    "lexicon": "built-in (en-GB, 2024-06)",
}

CATEGORIES = ["possibly abusive", "mentions staff", "threat or ultimatum", "personal data"]


def _is_working(ts: pd.DatetimeIndex, holidays: set[date]) -> np.ndarray:
    """In-hours mask for the factory's calendar (Mon-Thu 08-18, Fri 08-16:30)."""
    minutes = ts.hour * 60 + ts.minute
    wd = ts.day_of_week
    end = np.where(wd == 4, 16 * 60 + 30, 18 * 60)
    ok = (wd < 5) & (minutes >= 8 * 60) & (minutes < end)
    hol = np.array([d in holidays for d in ts.date]) if holidays else np.zeros(len(ts), bool)
    return np.asarray(ok & ~hol)


def _holidays(start: date, days: int) -> set[date]:
    out: set[date] = set()
    for h in CALENDAR["closures"]:
        d = date.fromisoformat(h["from"])
        while d <= date.fromisoformat(h["to"]):
            out.add(d)
            d += timedelta(days=1)
    return {d for d in out if start <= d < start + timedelta(days=days)}


def _names(n: int) -> list[str]:
    firsts = ["Jane", "Priya", "Tom", "Aisha", "Oluwaseun", "Zoë", "Marek", "Siobhan", "Wei",
              "Fatima", "Kwame", "Ingrid", "Rhys", "Léa", "Mohammed", "Grace"]
    lasts = ["Doe", "Sharma", "O'Brien", "Khan", "Adeyemi", "Novak", "Murphy", "Chen", "Ali",
             "Mensah", "Larsen", "Evans", "Dubois", "Hussain", "Okafor"]
    names = ["Alexandra Montgomery-Fitzwilliam (Year 4 class rep) 🌻", "+44 7700 900123"]
    i = 0
    while len(names) < n:
        names.append(f"{firsts[i % len(firsts)]} {lasts[(i * 7) % len(lasts)]}"
                     + (f" {i // 40}" if i >= 40 else ""))
        i += 1
    return names[:n]


def make_findings(
    n_senders: int = 4,
    days: int = 30,
    n_messages: int = 600,
    *,
    start: datetime = datetime(2024, 9, 2),
    names: list[str] | None = None,
    staff: list[str] | None = None,
    n_bursts: int = 6,
    n_flags: int = 5,
    excerpts: bool = True,
    seed: int = 7,
    sources: int = 1,
) -> Findings:
    """Findings for `n_messages` random messages by `n_senders` over `days` days."""
    rng = np.random.default_rng(seed)
    names = list(names) if names else (SMALL_NAMES if n_senders <= 4 else _names(n_senders))
    names = names[:n_senders]
    staff = list(staff) if staff is not None else [n for n in names if n in STAFF_SMALL]
    if not staff and n_senders > 4:
        staff = [names[5], names[11]]
    weights = 1.0 / np.arange(1, n_senders + 1) ** 0.9
    weights /= weights.sum()
    who = rng.choice(n_senders, size=n_messages, p=weights)
    # Evening-heavy day profile, fewer messages at weekends.
    hour_p = np.array([1, .5, .3, .2, .2, .4, 2, 5, 7, 6, 5, 5, 6, 5, 5, 6, 7, 8, 9, 10, 10, 8,
                       5, 3], float)
    hour_p /= hour_p.sum()
    day = rng.integers(0, days, size=n_messages)
    hour = rng.choice(24, size=n_messages, p=hour_p)
    minute = rng.integers(0, 60, size=n_messages)
    ts = pd.DatetimeIndex(
        pd.Timestamp(start) + pd.to_timedelta(day, "D") + pd.to_timedelta(hour, "h")
        + pd.to_timedelta(minute, "min")
    )
    order = np.argsort(ts.values, kind="stable")
    ts, who = ts[order], who[order]
    holidays = _holidays(start.date(), days)
    inside = _is_working(ts, holidays)
    src_names = [f"WhatsApp Chat with {names[0]}.txt", "WhatsApp Chat - Year 4 Parents.zip"]
    src_names = src_names[:sources]
    msgs = pd.DataFrame({
        "timestamp": ts, "sender": [names[i] for i in who], "in_hours": inside,
        "line": np.arange(1, n_messages + 1) * 2 + 3,
        "source": [src_names[i % len(src_names)] for i in range(n_messages)],
    })
    msgs["date"] = msgs["timestamp"].dt.normalize()
    msgs["out_hours"] = ~msgs["in_hours"]

    all_days = pd.date_range(start, periods=days, freq="D", name="date")
    daily = (
        msgs.groupby("date")[["in_hours", "out_hours"]].sum()
        .rename(columns={"out_hours": "out_of_hours"})
        .reindex(all_days, fill_value=0).astype("int64")
    )
    dbs = (
        msgs.groupby(["date", "sender"])[["in_hours", "out_hours"]].sum()
        .rename(columns={"out_hours": "out_of_hours"}).reset_index().astype(
            {"in_hours": "int64", "out_of_hours": "int64"})
    )
    wh = (
        pd.crosstab(msgs["timestamp"].dt.day_of_week, msgs["timestamp"].dt.hour)
        .reindex(index=range(7), columns=range(24), fill_value=0).astype("int64")
    )
    wh.index.name, wh.columns.name = "weekday", "hour"
    whs = (
        msgs.assign(weekday=msgs["timestamp"].dt.day_of_week, hour=msgs["timestamp"].dt.hour)
        .groupby(["sender", "weekday", "hour"]).size().rename("count").reset_index()
    )

    senders: list[SenderStats] = []
    for name, g in msgs.groupby("sender", sort=False):
        per_day = g.groupby("date").size()
        wd = g["timestamp"].dt.day_of_week
        hr = g["timestamp"].dt.hour
        senders.append(SenderStats(
            sender=str(name), is_staff=name in staff, messages=len(g),
            out_of_hours=int(g["out_hours"].sum()),
            out_of_hours_share=float(g["out_hours"].mean()),
            weekend=int((wd >= 5).sum()),
            holiday=int(g["date"].dt.date.isin(holidays).sum()),
            late_night=int(((hr >= 22) | (hr < 6)).sum()),
            active_days=int(per_day.size),
            busiest_day=per_day.idxmax().date(), busiest_day_count=int(per_day.max()),
            median_per_active_day=float(per_day.median()),
            first=g["timestamp"].iloc[0].to_pydatetime(),
            last=g["timestamp"].iloc[-1].to_pydatetime(),
        ))
    senders.sort(key=lambda s: (-s.messages, s.sender))

    bursts: list[Burst] = []
    for k in range(n_bursts):
        i = int(rng.integers(0, n_messages))
        count = int(rng.integers(5, 14))
        b_start = ts[i].to_pydatetime()
        bursts.append(Burst(
            sender=names[int(who[i])], start=b_start,
            end=b_start + timedelta(minutes=int(rng.integers(3, 10))), count=count,
            lines=[int(msgs["line"].iloc[i]) + 2 * j for j in range(count)],
            source=src_names[k % len(src_names)],
            out_of_hours=int(rng.integers(0, count + 1)),
            to_staff=staff[0] if staff and k % 4 == 0 else None,
            about_staff={staff[-1]: 1 + k % 3} if staff and k % 4 == 2 else {},
        ))
    bursts.sort(key=lambda b: b.start)

    flags: list[ReviewFlag] = []
    for k in range(n_flags):
        i = int(rng.integers(0, n_messages))
        cat = CATEGORIES[k % len(CATEGORIES)]
        other = names[(int(who[i]) + 1) % n_senders]
        text = (f"Honestly {other} this is the {k + 1}th time I've asked, the school keeps "
                f"ignoring us and somebody needs to answer tonight, not tomorrow. "
                f"Call me on 07700 900456 if you have to.")
        flags.append(ReviewFlag(
            timestamp=ts[i].to_pydatetime(), sender=names[int(who[i])],
            line=int(msgs["line"].iloc[i]), source=src_names[k % len(src_names)],
            category=cat, term=["ignoring", "tonight", "answer", "call me"][k % 4],
            excerpt=text if excerpts else None,
        ))
    flags.sort(key=lambda f: (f.timestamp, f.line))

    staff_contact: list[StaffContact] = []
    parents = [n for n in names if n not in staff]
    for si, s in enumerate(staff):
        for pi, p in enumerate(parents[: 3 + 4 * si]):
            g = msgs[msgs["sender"] == p].iloc[:: (2 + pi % 3)]
            if g.empty:
                continue
            by_day = {str(d.date()): int(c) for d, c in g.groupby("date").size().items()}
            by_hour = np.bincount(g["timestamp"].dt.hour, minlength=24).tolist()
            staff_contact.append(StaffContact(
                sender=p, staff=s, mode="direct" if pi % 2 == 0 else "mention",
                contacts=len(g), out_of_hours=int(g["out_hours"].sum()),
                by_day=by_day, by_hour=[int(x) for x in by_hour],
                sources=sorted(set(g["source"])),
            ))

    warnings = []
    source_infos = []
    for k, nm in enumerate(src_names):
        n_here = int((msgs["source"] == nm).sum())
        w = []
        if k == 0:
            w.append("The last message ends mid-sentence: the export may be truncated.")
        source_infos.append(SourceInfo(
            name=nm, sha256=[SHA_A, SHA_B][k], consent_id=[12, 14][k], platform="android",
            date_order="day-first",
            date_order_rule="day above 12 on line 4 (13/09/2024)" if k == 0 else
            "no day above 12: assumed day-first from the phone's locale (en-GB)",
            date_order_ambiguous=k == 1, encoding="utf-8", messages=n_here,
            window_dropped=3 if k == 0 else 0, warnings=w,
            purpose="Concerns about out-of-hours messages to the class teacher",
            parent=names[0],
        ))
        warnings.extend(w)
        if k == 1:
            warnings.append(f"{nm}: date order is ambiguous (assumed day-first).")

    participants = [Participant(s.sender, s.is_staff, s.messages) for s in senders]
    return Findings(
        sources=source_infos,
        period=Period(ts[0].to_pydatetime(), ts[-1].to_pydatetime(),
                      (ts[-1].normalize() - ts[0].normalize()).days + 1),
        counts_by_kind={"text": int(n_messages * 0.9), "media": n_messages - int(
            n_messages * 0.9), "deleted": 0, "system": 4},
        participants=participants, senders=senders, daily_by_sender=dbs, daily=daily,
        weekday_hour=wh, weekday_hour_by_sender=whs, bursts=bursts,
        staff_contact=staff_contact, flags=flags, calendar=dict(CALENDAR),
        settings=dict(SETTINGS), warnings=warnings, total_messages=n_messages,
        out_of_hours_messages=int(msgs["out_hours"].sum()),
    )


def make_big_findings(excerpts: bool = True) -> Findings:
    """60 senders, two years, 100k messages, many bursts and flags, two chats."""
    return make_findings(60, 730, 100_000, start=datetime(2023, 9, 1), n_bursts=240,
                         n_flags=320, excerpts=excerpts, sources=2, seed=11)


def make_empty_findings() -> Findings:
    """A consent window with no messages in it."""
    wh = pd.DataFrame(0, index=pd.RangeIndex(7, name="weekday"),
                      columns=pd.RangeIndex(24, name="hour"), dtype="int64")
    return Findings(
        sources=[SourceInfo("WhatsApp Chat with Jane Doe.txt", SHA_A, 12, "ios", "day-first",
                            "no messages in the window", False, "utf-8", 0, 412, [],
                            "Concerns about messages", "Jane Doe")],
        period=Period(None, None, 0), counts_by_kind={}, participants=[], senders=[],
        daily_by_sender=pd.DataFrame(columns=["date", "sender", "in_hours", "out_of_hours"]),
        daily=pd.DataFrame(columns=["in_hours", "out_of_hours"],
                           index=pd.DatetimeIndex([], name="date")),
        weekday_hour=wh,
        weekday_hour_by_sender=pd.DataFrame(columns=["sender", "weekday", "hour", "count"]),
        bursts=[], staff_contact=[], flags=[], calendar=dict(CALENDAR), settings=dict(SETTINGS),
    )


def make_context(findings: Findings | None = None, **overrides: Any):  # noqa: ANN201
    """A ReportContext matching the factory's consents (12, and 14 for a second chat)."""
    from chat_review.reports.context import ReportContext

    consents = [
        {"id": 12, "parent": "Jane Doe", "chat_name": "Jane Doe",
         "purpose": "Concerns about out-of-hours messages to the class teacher",
         "recorded_by": "R. Patel (headteacher)", "recorded_at": "2025-01-10T09:12:00+00:00",
         "expires_at": "2025-04-10T00:00:00+00:00", "window_from": "2024-09-01",
         "window_to": None, "evidence": "Signed declaration form, Jane Doe, 10 Jan 2025"},
    ]
    if findings is not None and len(findings.sources) > 1:
        consents.append({
            "id": 14, "parent": "Priya Sharma", "chat_name": "Priya Sharma",
            "purpose": "Group chat conduct", "recorded_by": "R. Patel (headteacher)",
            "recorded_at": "2025-01-11T10:00:00+00:00", "expires_at": None,
            "window_from": None, "window_to": None, "evidence": None,
        })
    values: dict[str, Any] = {
        "generated_at": datetime(2025, 1, 12, 14, 30),
        "tool_version": "0.1.0",
        "consents": consents,
        "audit_entry": {"id": 57, "hash": "c0ffee" + "ab" * 29, "at": "2025-01-12T14:30:00+00:00"},
        "excerpts": False,
    }
    values.update(overrides)
    return ReportContext(**values)

