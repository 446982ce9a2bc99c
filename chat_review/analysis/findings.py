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
    # Added by analysis: "one-to-one" (exactly two people wrote), "group" (three or more),
    # "one-sender" (only one person wrote: the other side cannot be known), None (nobody wrote);
    # and, for a one-to-one chat with a member of staff on the roster, that member's name.
    chat_type: str | None = None
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
    late_night: int  # 22:00-06:00
    active_days: int
    busiest_day: date | None
    busiest_day_count: int
    median_per_active_day: float
    first: datetime | None
    last: datetime | None


@dataclass
class Burst:
    """The policy's "frequent messages": a run of messages by one sender in a short time."""

    sender: str
    start: datetime
    end: datetime
    count: int
    lines: list[int]
    source: str
    out_of_hours: int  # how many of the burst's messages were out of hours
    at_staff: bool  # in a 1:1 chat with staff, or naming staff


@dataclass
class StaffContact:
    """Contact with (1:1 chat) or about (group mention) one staff member by one sender."""

    sender: str
    staff: str
    mode: str  # "direct" (1:1 chat with the staff member) | "mention" (names them in a group)
    contacts: int
    out_of_hours: int
    by_day: dict[str, int]  # ISO date -> count
    by_hour: list[int]  # 24 counts
    sources: list[str]


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

    @property
    def out_of_hours_share(self) -> float:
        return self.out_of_hours_messages / self.total_messages if self.total_messages else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (dates as ISO strings, DataFrames as lists of records)."""
        from .serialise import findings_to_dict

        return findings_to_dict(self)
