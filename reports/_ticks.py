"""Axis ticks for the charts: round counts, and dates in the report's UK style.

A date axis gets at most MAX_DATE_TICKS labels, each readable on its own ("5 Sep", "Oct 2026",
"2027"), at the finest step that fits: days, then weeks, months, years.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

MAX_DATE_TICKS = 9
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def count_ticks(top: float, most: int = 5) -> list[int]:
    """0, step, 2 step, ... up to the first multiple of a round step (1, 2, 2.5 or 5 times a
    power of ten, whole numbers only) at or above `top`: at most `most` + 1 ticks, so the
    axis ends on a labelled line above the tallest bar."""
    top = max(float(top), 1.0)
    power = 1
    while True:
        for mult in (1, 2, 5, 10) if power == 1 else (1, 2, 2.5, 5):
            step = mult * power
            if step == int(step) and -(-top // step) <= most:
                n = int(-(-top // step))
                return [int(i * step) for i in range(n + 1)]
        power *= 10


def day_label(d: date) -> str:
    """"5 Sep": the report's day style, no leading zero (strftime's "%-d" is not portable)."""
    return f"{d.day} {MONTHS[d.month - 1]}"


def month_label(d: date) -> str:
    return f"{MONTHS[d.month - 1]} {d.year}"


def _every_day(start: date, end: date, step: int) -> Iterator[date]:
    """Every `step`-th day from the first: a short period reads best day by day."""
    d = start
    while d <= end:
        yield d
        d += timedelta(days=step)


def _mondays(start: date, end: date, step: int) -> Iterator[date]:
    """Every `step`-th Monday: weeks start on Monday, as the weekly bins do."""
    yield from _every_day(start + timedelta(days=-start.weekday() % 7), end, 7 * step)


def _half_months(start: date, end: date, step: int) -> Iterator[date]:
    """The 1st and 15th of each month: for a term or two, where every Monday is too many,
    dates a reader places at once without counting weeks."""
    for d in _month_starts(date(start.year, start.month, 1), end, 1):
        for day in (d, d.replace(day=15)):
            if start <= day <= end:
                yield day


def _month_starts(start: date, end: date, step: int) -> Iterator[date]:
    """The 1st of January, and of every `step`-th month after it: a school year reads in
    months, and steps that divide the year keep the same months from year to year."""
    y, m = start.year, start.month
    while (d := date(y, m, 1)) <= end:
        if d >= start and (m - 1) % step == 0:
            yield d
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _year_starts(start: date, end: date, step: int) -> Iterator[date]:
    """1 January of years divisible by `step`: only for chats longer than a few years."""
    for y in range(start.year, end.year + 1):
        if y % step == 0 and date(y, 1, 1) >= start:
            yield date(y, 1, 1)


# Finest first; (tick dates, step, label, whether a tick names a whole day).
_STEPS: list[tuple[Callable[[date, date, int], Iterator[date]], int,
                   Callable[[date], str], bool]] = [
    *((_every_day, n, day_label, True) for n in (1, 2, 3)),
    (_mondays, 1, day_label, True),
    (_half_months, 1, day_label, True),
    *((_month_starts, n, month_label, False) for n in (1, 2, 3, 6)),
    *((_year_starts, n, lambda d: str(d.year), False) for n in (1, 2, 5, 10, 20, 50, 100)),
]


def date_ticks(start: date, end: date, most: int = MAX_DATE_TICKS) -> list[tuple[float, str]]:
    """(position in days after `start`, label) for an axis from `start` to `end` (the day
    after the last one drawn). A day's label sits in the middle of that day, so under its
    bar; a month's or year's at its first moment, where it begins."""
    last = end - timedelta(days=1)
    for ticks, step, label, whole_day in _STEPS:
        days = list(ticks(start, last, step))
        if len(days) <= most:
            return [((d - start).days + (0.5 if whole_day else 0.0), label(d)) for d in days]
    return []
