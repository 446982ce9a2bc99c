"""The report's sentences: one date style, plurals, headlines and definitions (plain Python).

Every renderer (PDF, PNG, terminal) takes its words from here, so the numbers, the date style
and the definitions read the same wherever a reviewer looks. No charts, no Typst.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from chat_review.analysis.findings import Burst, Findings, SenderStats
from chat_review.consent import date_words as dw
from chat_review.pseudonymise import WITHHELD

from . import _common as c

# The school's time zone, named once, with the plain (pandas-free) date style the consent
# commands share: these functions only turn pandas' many inputs into its datetimes.
# A flag in this category only says a member of staff was named: that is a mention, not
# something to review, so it is counted with the mentions.
MENTION_CATEGORY = "staff-named"


def plural(n: int, one: str, many: str | None = None) -> str:
    """"1 message", "2 messages", "1,234 replies" (thousands separated)."""
    return f"{c.fmt_int(n)} {one if n == 1 else (many or one + 's')}"


def day(value: date | datetime | pd.Timestamp | str | None) -> str:
    """"4 Sep 2026": the one date style of every report."""
    if value is None or value == "":
        return dw.NOTHING
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        return str(value)
    return dw.day(ts)


def when(value: datetime | pd.Timestamp | None) -> str:
    """"4 Sep 2026, 21:40" (the phone's clock, as written in the export)."""
    if value is None:
        return dw.NOTHING
    return dw.clock(pd.Timestamp(value))


def uk_time(value: datetime | pd.Timestamp | str | None) -> str:
    """A moment of the tool's own clock (UTC inside) as "4 Sep 2026, 21:40 UK time"."""
    if value in (None, ""):
        return dw.NOTHING
    return dw.uk_time(pd.Timestamp(value).to_pydatetime())


# A consent-register value: a date alone as "4 Sep 2026", a moment in UK time. The same
# function as the consent commands and the web pages use.
register_time = dw.register_time


def span(start: Any, end: Any) -> str:
    """"4 Sep 2026" for one day, else "4 Sep 2026 – 9 Sep 2026"."""
    a, b = day(start), day(end)
    return a if a == b else f"{a} – {b}"


def period(findings: Findings) -> str:
    p = findings.period
    if p.start is None or p.end is None:
        return "no messages"
    return f"{span(p.start, p.end)} ({plural(p.days, 'day')})"


def late_window(findings: Findings) -> tuple[str, str]:
    late = findings.settings.get("late_night")
    if isinstance(late, list | tuple) and len(late) == 2:
        return str(late[0]), str(late[1])
    return "22:00", "06:00"


def _minutes(hhmm: str) -> int:
    h, m = (hhmm.split(":") + ["0"])[:2]
    return int(h) * 60 + int(m)


def is_late(ts: datetime, window: tuple[str, str]) -> bool:
    """Whether a moment falls in the late-evening window (which may run past midnight)."""
    a, b = _minutes(window[0]), _minutes(window[1])
    t = ts.hour * 60 + ts.minute
    return (a <= t < b) if a < b else (t >= a or t < b)


# --------------------------------------------------------------------------- per person


@dataclass
class Person:
    """What one sender did, for headlines and the summary tables."""

    sender: str
    is_staff: bool
    messages: int
    out_of_hours: int
    late: int
    bursts: list[Burst]
    late_bursts: int
    flags: Counter[str]  # review category -> messages
    mentions: int  # messages naming a member of staff

    @property
    def flagged(self) -> int:
        return sum(self.flags.values())

    @property
    def concern(self) -> tuple[int, ...]:
        """Sort key: bursts, review flags, out-of-hours messages (most first)."""
        return (-len(self.bursts), -self.flagged, -self.out_of_hours, -self.messages)


def review_flags(findings: Findings) -> list[Any]:
    """Flags that ask for a human look (a mere mention of staff is not one)."""
    return [f for f in findings.flags if f.category != MENTION_CATEGORY]


def mention_count(findings: Findings) -> int:
    """Messages naming a member of staff: the analysis lists them (`staff_mentions`); older
    findings only had per-sender contact counts or "staff-named" flags."""
    mentions = getattr(findings, "staff_mentions", None)
    if mentions:
        return len(mentions)
    contact = sum(x.contacts for x in findings.staff_contact if x.mode == "mention")
    named = sum(1 for f in findings.flags if f.category == MENTION_CATEGORY)
    return max(contact, named)


def people(findings: Findings) -> list[Person]:
    """Every sender with messages, most concerning first (bursts, flags, out of hours)."""
    window = late_window(findings)
    bursts: dict[str, list[Burst]] = {}
    for b in findings.bursts:
        bursts.setdefault(b.sender, []).append(b)
    flags: dict[str, Counter[str]] = {}
    for f in review_flags(findings):
        flags.setdefault(f.sender or "", Counter())[f.category] += 1
    mentions: Counter[str] = Counter()
    for x in findings.staff_contact:
        if x.mode == "mention":
            mentions[x.sender] += x.contacts
    out = []
    for s in findings.senders:
        if s.messages <= 0:
            continue
        mine = sorted(bursts.get(s.sender, []), key=lambda b: b.start)
        out.append(Person(
            s.sender, s.is_staff, s.messages, s.out_of_hours, s.late_night, mine,
            sum(1 for b in mine if is_late(b.start, window)), flags.get(s.sender, Counter()),
            mentions[s.sender]))
    return sorted(out, key=lambda p: (p.concern, p.sender))


def of_concern(p: Person) -> bool:
    return bool(p.out_of_hours or p.bursts or p.flagged)


def headline(p: Person) -> str:
    """"Tom Aldridge sent 36 of 38 messages outside working hours, with 4 late-evening bursts;
    3 messages matched a review rule." Counts only: never a verdict."""
    name = p.sender
    if p.out_of_hours:
        text = (f"{name} sent {c.fmt_int(p.out_of_hours)} of {plural(p.messages, 'message')} "
                f"outside working hours ({c.fmt_pct(p.out_of_hours / p.messages)})")
    else:
        text = f"{name} sent {plural(p.messages, 'message')}, all in working hours"
    n = len(p.bursts)
    if n:
        if p.late_bursts == n:
            text += f", with {plural(n, 'late-evening burst')}"
        elif p.late_bursts:
            text += f", with {plural(n, 'burst')} ({c.fmt_int(p.late_bursts)} late in the evening)"
        else:
            text += f", with {plural(n, 'burst')}"
    if p.flagged:
        top, n_top = max(p.flags.items(), key=lambda kv: (kv[1], kv[0]))
        cats = (f"all {top}" if n_top == p.flagged and p.flagged > 1 else top
                if p.flagged == 1 else f"most often {top}")
        text += f"; {plural(p.flagged, 'message')} matched a review rule ({cats})"
    return text + "."


def headlines(findings: Findings, limit: int = 6) -> tuple[list[str], list[str], int, int]:
    """(parent sentences, staff sentences, parents not shown, staff not shown).

    "Parents" are every sender not on the staff roster (the export cannot prove more).
    """
    ranked = [p for p in people(findings) if of_concern(p)]
    parents = [p for p in ranked if not p.is_staff]
    staff = [p for p in ranked if p.is_staff]
    staff_limit = max(limit // 2, 1)
    return ([headline(p) for p in parents[:limit]], [headline(p) for p in staff[:staff_limit]],
            max(len(parents) - limit, 0), max(len(staff) - staff_limit, 0))


# --------------------------------------------------------------------------- figures, terms


def system_events(findings: Findings) -> int:
    return int(findings.counts_by_kind.get("system", 0))


def key_figures(findings: Findings) -> list[tuple[str, str]]:
    """(label, value) pairs; the message count says system events are left out."""
    parents = sum(1 for s in findings.senders if not s.is_staff and s.messages)
    staff = sum(1 for s in findings.senders if s.is_staff and s.messages)
    ooh = findings.out_of_hours_messages
    return [
        ("Messages (no system events)", c.fmt_int(findings.total_messages)),
        (f"Senders: {c.fmt_int(parents)} parent{'s' if parents != 1 else ''}, "
         f"{c.fmt_int(staff)} staff", c.fmt_int(parents + staff)),
        ("Out of working hours", f"{c.fmt_int(ooh)} ({c.fmt_pct(findings.out_of_hours_share)})"),
        ("Bursts of messages", c.fmt_int(len(findings.bursts))),
        ("Messages flagged for review", c.fmt_int(len(review_flags(findings)))),
        ("Messages naming staff (mentions)", c.fmt_int(mention_count(findings))),
    ]


def hours_sentence(calendar: dict[str, Any]) -> str:
    """"Monday–Thursday 08:00–17:00 and Friday 08:00–16:00, on school days in England"."""
    lines = [x for x in c.working_hours_text(calendar) if not x.endswith("not working")]
    if not lines or lines[0].startswith("Working hours: not stated"):
        return "not stated in the settings"
    parts = [x.replace(": ", " ") for x in lines]
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    region = calendar.get("region_name") or calendar.get("region")
    return text + (f", on school days in {region}" if region else ", on school days")


def definitions(findings: Findings) -> list[tuple[str, str]]:
    """The terms page 1 uses, each in one or two sentences, from the settings applied."""
    a, b = late_window(findings)
    burst = findings.settings.get("burst") or {}
    if isinstance(burst, dict) and burst.get("rule"):
        burst_text = str(burst["rule"])
    elif isinstance(burst, dict) and burst.get("min_messages"):
        burst_text = (f"{burst['min_messages']} or more messages in a row by one sender in one "
                      f"chat, the first and last at most {burst.get('within_minutes', '?')} "
                      "minutes apart")
    else:
        burst_text = "a run of messages by one sender in a short time"
    mention = findings.settings.get("mention_rule") or (
        "a message by someone not on the staff roster that names a member of staff")
    cats = findings.settings.get("lexicon_categories")
    cats = [x for x in cats if x != MENTION_CATEGORY] if isinstance(cats, list) else []
    lexicon = str(findings.settings.get("lexicon") or "the word list in the settings")
    flag = (f"a message containing a word or phrase from the word list in use ({lexicon})"
            + (f" (categories: {', '.join(cats)})" if cats else "")
            + ". It is a prompt for a person to read the message, never a verdict.")
    return [
        ("Working hours", hours_sentence(findings.calendar)
         + ". Weekends, bank holidays, school holidays and INSET days have none."),
        ("Out of hours", "Sent outside working hours, by the clock of the phone that sent it."),
        ("Late evening", f"Sent between {a} and {b} (a part of out of hours)."),
        ("Burst", burst_text[0].upper() + burst_text[1:] + "."),
        ("Mention", mention[0].upper() + mention[1:] + "."),
        ("Review flag", flag[0].upper() + flag[1:]),
    ]


def counted_note(findings: Findings) -> str:
    n = system_events(findings)
    return ("Counts are of messages written by people (text, media, deleted messages); "
            + (f"{plural(n, 'system event')} (joins, leaves, changes) are left out."
               if n else "there were no system events."))


def consents_text(consents: list[dict[str, Any]]) -> str:
    """"#1 (purpose); #2 (purpose)": ids in order, each with its own purpose.

    A pseudonymised report withholds every purpose, so that is said once, without brackets
    inside brackets: "#1, #2 (purposes withheld from this pseudonymised report)".
    """
    if not consents:
        return "none recorded"
    ordered = sorted(consents, key=lambda k: (str(k.get("id")).zfill(12)))
    if all(k.get("purpose") == WITHHELD for k in ordered):
        ids = ", ".join(f"#{k.get('id')}" for k in ordered)
        return f"{ids} (purpose{'s' if len(ordered) > 1 else ''} {WITHHELD})"
    return "; ".join(f"#{k.get('id')} ({consent_purpose(k)})" for k in ordered)


def consent_purpose(k: dict[str, Any]) -> str:
    """A consent record's purpose, or why there is none to show."""
    purpose = k.get("purpose")
    if purpose == WITHHELD:
        return f"purpose {WITHHELD}"
    return str(purpose or "purpose not recorded")


def consent_recorded(k: dict[str, Any]) -> str:
    """"by Ms Patel, 4 Sep 2026, 09:00 UK time"; a withheld recorder is said in words."""
    at = register_time(k.get("recorded_at"))
    if k.get("recorded_by") == WITHHELD:
        return f"{at}; the recorder's name is {WITHHELD}"
    return f"by {k.get('recorded_by') or '—'}, {at}"


def sender_role(s: SenderStats) -> str:
    return "staff" if s.is_staff else "parent"
