"""Findings: the plain-data result of analysis, drawn by `reports` and written as JSON.

This module is the contract between `chat_review.analysis` (which fills it) and `reports`
(which renders it). Add fields freely; rename or remove one only together with `reports/`.
Everything here serialises with `Findings.to_dict()` to JSON-safe types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd


@dataclass
class SourceInfo:
    """One export that went into the findings, with the consent it was read under."""

    name: str
    sha256: str
    consent_id: int | None
    platform: str
    date_order: str
    date_order_rule: str
    date_order_ambiguous: bool
    encoding: str
    messages: int
    window_dropped: int = 0
    warnings: list[str] = field(default_factory=list)
    purpose: str | None = None
    parent: str | None = None
    # Added by analysis (see `chat_review.analysis.chat_type`): "one-to-one", "group" or
    # "unknown", decided from the export's own evidence or the reviewer's --chat-type, never
    # from a head count alone; None when nobody wrote. ``chat_type_evidence`` says why in plain
    # words; ``chat_type_source`` is "export" (the export proves it), "reviewer" (--chat-type)
    # or "none" (unknown). ``writers``: people who wrote in the consented period. ``staff``: in
    # a one-to-one chat with a member of staff on the roster, that member's roster name.
    chat_type: str | None = None
    chat_type_evidence: str | None = None
    chat_type_source: str | None = None
    writers: int = 0
    staff: str | None = None


@dataclass
class Period:
    start: datetime | None
    end: datetime | None
    days: int  # calendar days from the first to the last message, inclusive (0 when empty)


@dataclass
class Participant:
    name: str
    is_staff: bool
    messages: int


@dataclass
class SenderStats:
    sender: str
    is_staff: bool
    messages: int
    out_of_hours: int
    out_of_hours_share: float  # 0..1
    weekend: int
    holiday: int  # bank holidays and school holidays / INSET days
    late_night: int  # inside the settings' late-night window (``settings["late_night"]``)
    active_days: int
    busiest_day: date | None
    busiest_day_count: int
    median_per_active_day: float
    first: datetime | None
    last: datetime | None


@dataclass
class Burst:
    """The policy's "frequent messages": a run of messages by one sender in a short time
    (the rule in words is ``Findings.settings["burst"]["rule"]``).

    ``to_staff``: the burst is in a one-to-one chat with this member of staff, so every one of
    its messages was sent *to* them. ``about_staff``: roster name -> how many of the burst's
    messages name or @mention that member of staff (a message in a group is *about* the people
    it names, never *to* them).
    """

    sender: str
    start: datetime
    end: datetime
    count: int
    lines: list[int]
    source: str
    out_of_hours: int  # how many of the burst's messages were out of hours
    to_staff: str | None = None
    about_staff: dict[str, int] = field(default_factory=dict)

    @property
    def at_staff(self) -> bool:
        """Sent to a member of staff, or naming one in at least one message."""
        return self.to_staff is not None or bool(self.about_staff)

    def staff_text(self, staff: str | None = None) -> str:
        """In words: "to Mrs Okafor (1:1 chat, all 6 messages)", "about Mr Bennett (2 of 6
        messages name them)"; only ``staff`` when given; "" when it concerns no staff."""
        parts = []
        if self.to_staff is not None and staff in (None, self.to_staff):
            parts.append(f"to {self.to_staff} (1:1 chat, all {self.count} messages)")
        for name, n in sorted(self.about_staff.items()):
            if staff in (None, name):
                parts.append(f"about {name} ({n} of {self.count} messages name them)")
        return "; ".join(parts)


@dataclass
class StaffContact:
    """Messages to (one-to-one chat) or about (naming them) one staff member by one sender."""

    sender: str
    staff: str
    # "direct": messages *to* the member of staff in a one-to-one chat with them;
    # "mention": messages that name or @mention them in any other chat (*about* them)
    mode: str
    contacts: int
    out_of_hours: int
    by_day: dict[str, int]  # ISO date -> count
    by_hour: list[int]  # 24 counts, all messages
    sources: list[str]
    by_hour_out_of_hours: list[int] = field(default_factory=lambda: [0] * 24)  # 24 counts
    late_night: int = 0  # inside the settings' late-night window

    @property
    def relation(self) -> str:
        """"to" (one-to-one chat) or "about" (named in a message)."""
        return "to" if self.mode == "direct" else "about"


@dataclass
class StaffMention:
    """One message that names or @mentions a member of staff (outside a one-to-one chat with
    them). A mention is counted and listed; it is never a review flag."""

    timestamp: datetime
    sender: str
    staff: str
    line: int
    source: str
    out_of_hours: bool
    matched: str  # the roster name, alias or "@phone" found


@dataclass
class ReviewFlag:
    """A message worth a human look. Worded as a prompt, never a verdict."""

    timestamp: datetime
    sender: str | None
    line: int
    source: str
    category: str
    term: str
    excerpt: str | None = None  # filled only when excerpts were asked for


@dataclass
class Findings:
    sources: list[SourceInfo]
    period: Period
    counts_by_kind: dict[str, int]
    participants: list[Participant]
    senders: list[SenderStats]  # most messages first
    # Long-form daily timeline: columns date (datetime64), sender, in_hours, out_of_hours;
    # one row per sender and day on which that sender wrote (days with no message are left out).
    daily_by_sender: pd.DataFrame
    # Daily totals: index date (every day of the period), columns in_hours, out_of_hours.
    daily: pd.DataFrame
    # 7 x 24 counts, index weekday 0=Monday..6=Sunday, columns hour 0..23.
    weekday_hour: pd.DataFrame
    # Long form: columns sender, weekday, hour, count (non-zero cells only).
    weekday_hour_by_sender: pd.DataFrame
    bursts: list[Burst]
    staff_contact: list[StaffContact]
    flags: list[ReviewFlag]
    calendar: dict[str, Any]  # the working-hours definition applied (see calendar.describe())
    settings: dict[str, Any]  # burst rule, lexicon source, late-night window...
    warnings: list[str] = field(default_factory=list)
    total_messages: int = 0
    out_of_hours_messages: int = 0
    # Every message naming staff (see `StaffMention`), in time order.
    staff_mentions: list[StaffMention] = field(default_factory=list)
    # Long form, 168 rows: columns weekday (0=Monday), hour, in_hours, out_of_hours. The
    # weekday x hour counts split by the calendar (holidays and INSET days are out of hours at
    # every hour), so a heatmap can show what the working-hours outline alone cannot.
    weekday_hour_split: pd.DataFrame = field(default_factory=pd.DataFrame)
    # The member of staff these findings were filtered for (the staff view), else None:
    # then every part of the findings concerns that person only.
    staff_view: str | None = None
    # True when no settings file was used (built-in defaults; see ``warnings``).
    built_in_defaults: bool = False

    @property
    def out_of_hours_share(self) -> float:
        return self.out_of_hours_messages / self.total_messages if self.total_messages else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (dates as ISO strings, DataFrames as lists of records)."""
        from .serialise import findings_to_dict

        return findings_to_dict(self)
