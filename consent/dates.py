"""Dates typed by people: UK day-first, refused when they could mean something else.

How dates are written back to people is `date_words` (one style for every output).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .date_words import day as day_words
from .date_words import end_of_uk_day
from .errors import RegisterError

_RELATIVE = re.compile(r"^\s*(\d{1,4})\s*(d|day|days|w|week|weeks)\s*$", re.IGNORECASE)
_HAS_YEAR = re.compile(r"\d{4}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}\b")


def parse_day(text: str, *, what: str) -> date:
    """Parse a calendar date the way a UK school writes it (31/12/2026, 2026-12-31, 3 Jan 2027).

    A date with no year ("4/5"), or words dateutil would have to guess at, is refused: a
    consent's limits must mean exactly what the head meant.
    """
    from dateutil import parser

    cleaned = text.strip()
    if not cleaned:
        raise RegisterError(f"The {what} is empty; write a date such as 31/12/2026.")
    if not _HAS_YEAR.search(cleaned):
        raise RegisterError(
            f"The {what} '{text}' has no year, so it is ambiguous; "
            "write the full date, such as 31/12/2026."
        )
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        parsed = parser.parse(cleaned, dayfirst=True, fuzzy=False)
    except (ValueError, OverflowError, parser.ParserError):
        raise RegisterError(
            f"The {what} '{text}' is not a date chat-review can read; "
            "write it day first, such as 31/12/2026."
        ) from None
    if parsed.time() != datetime.min.time():
        raise RegisterError(
            f"The {what} '{text}' includes a time; give only the date, such as 31/12/2026."
        )
    return parsed.date()


def typed_day(day: date) -> str:
    """A day as a UK school types it (31/12/2026): what a form offers, `parse_day` reads back."""
    return f"{day:%d/%m/%Y}"


def parse_expiry(text: str | None, now: datetime, *, default_days: int = 30) -> datetime:
    """The moment a consent ends, from what the person typed.

    - nothing: `default_days` days from `now`;
    - "Nd" / "Nw" (30d, 2w): exactly N days (or weeks) of 24 hours from `now`, the moment of
      granting, so "30d" granted at 14:05 ends at 14:05 thirty days later (one hour earlier or
      later on the school's clock if the clocks changed in between);
    - a day (31/07/2026): the end of that day in UK time (23:59:59 Europe/London), because a
      school means its own day: in summer, 23:59:59 UTC would last an hour into the next one.

    Consents recorded before the UK day was used keep their stored moment (the register's
    entries are MAC'd and never rewritten).
    """
    if text is None:
        return now + timedelta(days=default_days)
    match = _RELATIVE.match(text)
    if match:
        count = int(match.group(1))
        days = count * (7 if match.group(2).lower().startswith("w") else 1)
        if days <= 0:
            raise RegisterError(
                f"The expiry '{text}' is not in the future; give a number of days such as 30d."
            )
        return now + timedelta(days=days)
    day = parse_day(text, what="expiry date")
    moment = end_of_uk_day(day)
    if moment <= now:
        raise RegisterError(
            f"The expiry date {day_words(day)} is in the past; give a future date or a number "
            "of days such as 30d."
        )
    return moment
