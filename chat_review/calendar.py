"""The working-hours calendar: when a member of staff may reasonably be contacted.

The policy says staff "should never be contacted outside of working hours". This module turns
that sentence into a definition a headteacher can read back and check:

* each weekday has its own working hours, or none (defaults: Monday-Friday 08:00-17:00;
  Saturday and Sunday none). A time is *in hours* when ``start <= time < end``: 07:59 is out,
  08:00 is in, 16:59 is in, 17:00 is out;
* bank holidays (from the ``holidays`` package, ``GB`` with the region's subdivision) are not
  working days;
* school holidays and INSET days (named date ranges, both ends inclusive, from the config) are
  not working days.

Every day has exactly one *day type*, decided in this order:

1. ``weekend``        Saturday or Sunday, unless the config gives that day working hours;
2. ``bank-holiday``   a bank holiday in the region;
3. ``school-holiday`` inside a configured school holiday or INSET range;
4. ``non-working``    a weekday the config sets to ``none`` (e.g. a part-time member of staff);
5. ``working``        everything else; only these days have working hours.

So a bank holiday that falls on a Sunday counts as ``weekend`` and its substitute Monday as
``bank-holiday``; a Saturday in the summer holiday is ``weekend``.

Timestamps are naive local times exactly as the phone wrote them. No time zone is ever
applied, so the two daylight-saving change days need no special handling: 01:30 on the day the
clocks go back simply occurs twice, and is out of hours both times.

Everything that touches messages is vectorised: the calendar is worked out once per distinct
calendar day in the range, then looked up for every timestamp with numpy indexing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
DAY_TYPES = ["working", "weekend", "bank-holiday", "school-holiday", "non-working"]
REGIONS = {
    "england": ("ENG", "England"),
    "wales": ("WLS", "Wales"),
    "scotland": ("SCT", "Scotland"),
    "northern-ireland": ("NIR", "Northern Ireland"),
}
_NS_PER_DAY = 86_400 * 10**9
_NS_PER_MIN = 60 * 10**9
# numpy day 0 (1970-01-01) was a Thursday.
_EPOCH_WEEKDAY = 3

_WORKING, _WEEKEND, _BANK, _SCHOOL, _NONWORKING = range(5)


def _default_hours() -> dict[int, tuple[time, time] | None]:
    week = {d: (time(8, 0), time(17, 0)) for d in range(5)}
    week.update({5: None, 6: None})
    return week


@dataclass(frozen=True)
class Closure:
    """A named school holiday or INSET day range; ``start`` and ``end`` are both inclusive."""

    name: str
    start: date
    end: date
    kind: str = "school-holiday"  # "school-holiday" | "inset"

    def to_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "kind": self.kind,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
        }


@lru_cache(maxsize=32)
def _bank_holidays(subdiv: str, first_year: int, last_year: int) -> dict[date, str]:
    years = range(first_year, last_year + 1)
    uk = _united_kingdom()
    if uk is not None:
        return dict(uk(subdiv=subdiv, years=years).items())
    import holidays

    return dict(holidays.country_holidays("GB", subdiv=subdiv, years=years).items())


def _united_kingdom() -> Any:
    """The ``holidays`` package's UnitedKingdom class, imported on its own: the package's
    ``holidays.countries`` imports all ~250 countries' modules, 0.06 s CPU of every run
    (a third of the analysis of a 20,000-message chat). None if that fails (any other
    ``holidays`` layout): then the ordinary ``country_holidays`` path is taken. The lock
    keeps another thread (the web app) from seeing the bare package meanwhile."""
    import importlib
    import importlib.util
    import sys

    name = "holidays.countries.united_kingdom"
    with _IMPORT_LOCK:
        try:
            if name not in sys.modules and "holidays.countries" not in sys.modules:
                spec = importlib.util.find_spec("holidays.countries")  # located, not run
                if spec is None:
                    return None
                sys.modules["holidays.countries"] = importlib.util.module_from_spec(spec)
                try:
                    importlib.import_module(name)
                finally:  # a later `import holidays.countries` runs the real package
                    del sys.modules["holidays.countries"]
            return sys.modules[name].UnitedKingdom
        except (ImportError, AttributeError, KeyError):
            return None


_IMPORT_LOCK = threading.Lock()


def _to_day_numbers(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers (days since 1970-01-01, int64) and a NaT mask for dates or timestamps."""
    arr = pd.to_datetime(pd.Series(values) if not isinstance(values, pd.Series) else values)
    raw = arr.to_numpy(dtype="datetime64[ns]")
    nat = np.isnat(raw)
    days = raw.astype("datetime64[D]").astype(np.int64)
    return days, nat


def _fmt(t: time) -> str:
    return t.strftime("%H:%M")


@dataclass
class WorkingCalendar:
    """Working hours per weekday, the region's bank holidays and the school's closures.

    ``hours`` maps weekday (0=Monday .. 6=Sunday) to ``(start, end)`` or ``None`` for no
    working hours; ``start`` is inclusive and ``end`` exclusive. ``region`` is one of
    england, wales, scotland, northern-ireland. ``closures`` are the school holidays and INSET
    days (named, inclusive date ranges).
    """

    hours: dict[int, tuple[time, time] | None] = field(default_factory=_default_hours)
    region: str = "england"
    closures: list[Closure] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.region not in REGIONS:
            raise ValueError(f"unknown region {self.region!r}; use one of {', '.join(REGIONS)}")
        full = _default_hours()
        full.update(self.hours)
        self.hours = full
        for day, span in self.hours.items():
            if span is not None and not span[0] < span[1]:
                raise ValueError(f"{WEEKDAYS[day]}: end must be after start")

    # -- per-day table -------------------------------------------------------------------------

    @property
    def subdiv(self) -> str:
        return REGIONS[self.region][0]

    def bank_holidays(self, start: date, end: date) -> dict[date, str]:
        """Bank holidays in the region between ``start`` and ``end`` inclusive, with names."""
        table = _bank_holidays(self.subdiv, start.year, end.year)
        return {d: n for d, n in sorted(table.items()) if start <= d <= end}

    def _table(self, first: int, last: int) -> dict[str, np.ndarray]:
        """Day type, working start/end (ns after midnight; -1 = none) for day numbers
        ``first..last``: one entry per calendar day, computed once and then indexed."""
        n = last - first + 1
        day_nums = np.arange(first, last + 1, dtype=np.int64)
        weekday = (day_nums + _EPOCH_WEEKDAY) % 7
        start_ns = np.full(7, -1, dtype=np.int64)
        end_ns = np.full(7, -1, dtype=np.int64)
        for d, span in self.hours.items():
            if span is not None:
                start_ns[d] = (span[0].hour * 60 + span[0].minute) * _NS_PER_MIN
                end_ns[d] = (span[1].hour * 60 + span[1].minute) * _NS_PER_MIN
        has_hours = start_ns[weekday] >= 0

        kind = np.full(n, _WORKING, dtype=np.int8)
        kind[~has_hours] = _NONWORKING
        d0 = date(1970, 1, 1) + timedelta(days=int(first))
        d1 = date(1970, 1, 1) + timedelta(days=int(last))
        school = np.zeros(n, dtype=bool)
        for c in self.closures:
            lo = (c.start - date(1970, 1, 1)).days
            hi = (c.end - date(1970, 1, 1)).days
            school |= (day_nums >= lo) & (day_nums <= hi)
        kind[school] = _SCHOOL
        bank = self.bank_holidays(d0, d1)
        if bank:
            idx = np.array([(d - d0).days for d in bank], dtype=np.int64)
            kind[idx] = _BANK
        kind[(weekday >= 5) & ~has_hours] = _WEEKEND

        working = kind == _WORKING
        return {
            "kind": kind,
            "start": np.where(working, start_ns[weekday], -1),
            "end": np.where(working, end_ns[weekday], -1),
            "weekday": weekday,
        }

    # -- vectorised lookups --------------------------------------------------------------------

    def classify(self, timestamps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For a ``datetime64[ns]`` array: (in-hours bool array, day-type code array).

        Day-type codes index `DAY_TYPES` (-1 for NaT). This is what `in_hours` and `day_type`
        use; analysis calls it directly to work the calendar out once for both.
        """
        raw = np.asarray(timestamps, dtype="datetime64[ns]")
        ok = ~np.isnat(raw)
        if len(raw) and ok.all():  # (analysis has left NaT out already: no masked copies)
            return self._classify_ns(raw.view(np.int64))
        inside = np.zeros(len(raw), dtype=bool)
        codes = np.full(len(raw), -1, dtype=np.int8)
        if ok.any():
            inside[ok], codes[ok] = self._classify_ns(raw[ok].view(np.int64))
        return inside, codes

    def _classify_ns(self, ns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`classify` of nanoseconds since 1970 (no NaT among them)."""
        days = ns // _NS_PER_DAY
        return self.classify_days(days, ns - days * _NS_PER_DAY)

    def classify_days(self, days: np.ndarray, tod: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`classify` of times given as day numbers (days since 1970-01-01) and nanoseconds
        since midnight, for a caller that has them already (the analysis does)."""
        if not len(days):
            return np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int8)
        first, last = int(days.min()), int(days.max())
        table = self._table(first, last)
        pos = days - first
        start, end = table["start"][pos], table["end"][pos]
        return (start >= 0) & (tod >= start) & (tod < end), table["kind"][pos]

    def in_hours(self, timestamps: pd.Series) -> pd.Series:
        """True where a naive local timestamp falls inside working hours (start <= t < end).

        Vectorised: one calendar row per distinct day, then numpy indexing. NaT gives False.
        The result has the input's index.
        """
        ts = timestamps if isinstance(timestamps, pd.Series) else pd.Series(timestamps)
        inside, _ = self.classify(pd.to_datetime(ts).to_numpy(dtype="datetime64[ns]"))
        return pd.Series(inside, index=ts.index, name="in_hours")

    def day_type(self, dates: Any) -> pd.Series:
        """The day type of each date or timestamp, as a categorical Series.

        Categories: working, weekend, bank-holiday, school-holiday, non-working (see the module
        docstring for the order in which they are decided). NaT gives a missing value.
        """
        index = dates.index if isinstance(dates, pd.Series) else None
        days, nat = _to_day_numbers(dates)
        codes = np.full(len(days), -1, dtype=np.int8)
        ok = ~nat
        if ok.any():
            first, last = int(days[ok].min()), int(days[ok].max())
            table = self._table(first, last)
            codes[ok] = table["kind"][days[ok] - first]
        cat = pd.Categorical.from_codes(codes, categories=DAY_TYPES)
        return pd.Series(cat, index=index, name="day_type")

    # -- human-readable ------------------------------------------------------------------------

    def hours_text(self, weekday: int) -> str | None:
        """``"08:00-17:00"`` for a weekday, or ``None`` when it has no working hours."""
        span = self.hours.get(weekday)
        return None if span is None else f"{_fmt(span[0])}-{_fmt(span[1])}"

    def closures_in(self, start: date, end: date) -> list[Closure]:
        """School holidays and INSET days that overlap ``start..end``, in date order."""
        return sorted(
            (c for c in self.closures if c.start <= end and c.end >= start),
            key=lambda c: c.start,
        )

    def describe(self, start: date, end: date) -> dict[str, Any]:
        """The definition applied over ``start..end`` as a JSON-safe dict, for the method page.

        Keys: ``region``, ``region_name``, ``hours`` (weekday name -> "HH:MM-HH:MM" or None),
        ``rule`` (one sentence), ``from``, ``to``, ``bank_holidays`` (list of {date, name}),
        ``closures`` (list of {name, kind, from, to}), ``bank_holiday_source``.
        """
        import holidays

        if end < start:
            start, end = end, start
        return {
            "region": self.region,
            "region_name": REGIONS[self.region][1],
            "hours": {WEEKDAYS[d]: self.hours_text(d) for d in range(7)},
            "rule": (
                "A message is in working hours when it was sent on a working day at or after "
                "the start time and before the end time; weekends, bank holidays, school "
                "holidays and INSET days have no working hours."
            ),
            "from": start.isoformat(),
            "to": end.isoformat(),
            "bank_holidays": [
                {"date": d.isoformat(), "name": n}
                for d, n in self.bank_holidays(start, end).items()
            ],
            "closures": [c.to_dict() for c in self.closures_in(start, end)],
            "bank_holiday_source": (
                f"holidays {holidays.__version__}, GB subdivision {self.subdiv}"
            ),
        }

    def days(self, start: date, end: date) -> list[dict[str, str]]:
        """One row per day ``start..end`` for the ``chat-review calendar`` table.

        Each row: ``date`` (ISO), ``weekday`` (e.g. "Monday"), ``type`` (a day type),
        ``hours`` ("08:00-17:00" on working days, "" otherwise), ``holiday`` (the bank holiday,
        school holiday or INSET name, "" if none).
        """
        if end < start:
            start, end = end, start
        first = (start - date(1970, 1, 1)).days
        last = (end - date(1970, 1, 1)).days
        table = self._table(first, last)
        bank = self.bank_holidays(start, end)
        closures = self.closures_in(start, end)
        rows = []
        for i in range(last - first + 1):
            d = start + timedelta(days=i)
            kind = DAY_TYPES[table["kind"][i]]
            wd = int(table["weekday"][i])
            names = []
            if d in bank:
                names.append(bank[d])
            names += [c.name for c in closures if c.start <= d <= c.end]
            rows.append(
                {
                    "date": d.isoformat(),
                    "weekday": WEEKDAYS[wd].capitalize(),
                    "type": kind,
                    "hours": (self.hours_text(wd) or "") if kind == "working" else "",
                    "holiday": "; ".join(names),
                }
            )
        return rows
