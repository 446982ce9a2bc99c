"""The one date style people read, and the school's clock (plain Python: no pandas).

The reports, the web pages and the command line all write a day as "29 Nov 2026" and a moment
as "29 Nov 2026, 05:42 UK time", so a headteacher never has to translate between them. The
register stores moments in UTC (`clock.to_iso`); a school lives by UK time, which is one hour
ahead in British Summer Time, so every moment is shown in Europe/London, and a day typed as an
expiry ends at midnight there (`end_of_uk_day`).

It lives here, in the lowest package, because the consent commands must start without pandas
(tests/test_startup_imports.py) while `reports._words` builds its own words on these.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

UK = "Europe/London"  # the school's time zone, named once
NOTHING = "—"


def uk_zone() -> ZoneInfo:
    """Europe/London. Looked up on use (ZoneInfo caches it): an import never needs tz data."""
    return ZoneInfo(UK)


def day(value: date) -> str:
    """"4 Sep 2026" (no leading zero: how people write it)."""
    return f"{value.day} {value:%b %Y}"


def clock(value: datetime) -> str:
    """"4 Sep 2026, 21:40" in `value`'s own clock (the caller decides which clock that is)."""
    return f"{day(value)}, {value:%H:%M}"


def in_uk(value: datetime) -> datetime:
    """A moment on the school's clock; a naive moment is the register's UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(uk_zone())


def uk_time(value: datetime) -> str:
    """"4 Sep 2026, 21:40 UK time": a moment of the tool's own clock, as the school reads it."""
    return f"{clock(in_uk(value))} UK time"


def uk_clock_seconds(value: Any) -> str:
    """"4 Sep 2026, 21:40:05" on the UK clock, for the audit table (its header names the clock):
    entries a few seconds apart must stay in order for the reader. Unreadable text as it is."""
    parsed = value if isinstance(value, datetime) else _parse(value)
    if not isinstance(parsed, datetime):
        return str(value)
    moment = in_uk(parsed)
    return f"{day(moment)}, {moment:%H:%M:%S}"


def _parse(value: Any) -> date | datetime | None:
    """A register value (ISO text, a date or a datetime) as a date or datetime; None if unreadable.

    ISO text holding only a day, or a naive midnight, is a day: that is how the register
    writes a consent's window ("2026-07-31"), which is a date in the chat's own clock.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return None
    if moment.tzinfo is None and moment.time() == time(0):
        return moment.date()
    return moment


def register_time(value: Any) -> str:
    """A consent-register value in words: a day as "4 Sep 2026", a moment in UK time."""
    if value in (None, ""):
        return NOTHING
    parsed = _parse(value)
    if parsed is None:
        return str(value)
    return uk_time(parsed) if isinstance(parsed, datetime) else day(parsed)


def register_day(value: Any) -> str:
    """Only the day of a register value, the day the school was in (for short tables).

    A moment at 23:30 UTC in summer is already the next day in the UK, and that is the day shown.
    """
    if value in (None, ""):
        return NOTHING
    parsed = _parse(value)
    if parsed is None:
        return str(value)
    return day(in_uk(parsed).date() if isinstance(parsed, datetime) else parsed)


def uk_today(now: datetime) -> date:
    """The school's date at `now` (in the first hour of a summer day, UTC still says yesterday)."""
    return in_uk(now).date()


def end_of_uk_day(value: date) -> datetime:
    """The last second (23:59:59) of a day on the school's clock, as an aware datetime.

    A consent "until 31/07/2026" means until that day ends where the school is: in summer
    that is 22:59:59 UTC, not 23:59:59 UTC (which would run an hour into 1 August).
    """
    return datetime.combine(value, time(23, 59, 59), tzinfo=uk_zone())
