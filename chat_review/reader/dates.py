"""Turn header date and time strings into timestamps, deciding the date order from the file.

Dates are parsed once per *distinct* string (a chat has one date string per day and at most
86,400 time strings), then spread over the messages with numpy, so a million messages cost a few
array operations.

The date order is decided from the whole file, in this order of rules:

1. a 4-digit first field means year-first (``2024-01-31``);
2. a first field above 12 proves day-first; a second field above 12 proves month-first;
3. else the reading under which the dates run forward in file order (fewer steps back);
4. else the field that changes more often between consecutive messages is the day;
5. else day-first, the documented default for a UK school (flagged as ambiguous).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from chat_review.errors import ExportError

from .headers import MARK_TABLE

DATE_ORDERS = ("day-first", "month-first", "year-first")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NUM = re.compile(r"[0-9]+")
_PM = re.compile(r"[Pp]|\u0645")
_AM = re.compile(r"[Aa]|\u0635")
NS_PER_S = 1_000_000_000


@dataclass
class Resolved:
    """Timestamps (datetime64[ns]) per message plus how the date order was decided."""

    timestamps: np.ndarray
    order: str
    rule: str
    ambiguous: bool


def _clean(raw: bytes) -> str:
    return raw.decode("utf-8").translate(MARK_TABLE).translate(_DIGITS)


def _fields(uniq_dates: list[bytes]) -> np.ndarray:
    out = np.empty((len(uniq_dates), 3), dtype=np.int64)
    for i, raw in enumerate(uniq_dates):
        nums = _NUM.findall(_clean(raw))
        out[i] = [int(x) for x in nums[:3]]
    return out


_TIME = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})(?:[:.]([0-9]{2}))?([^\n]*)")


def seconds_of_day(uniq_times: list[bytes], lines: np.ndarray) -> np.ndarray:
    """Seconds since midnight for each distinct time string (12 AM = 0 h, 12 PM = 12 h).

    Vectorised: the distinct strings are joined and parsed by one ``findall``.
    """
    if not uniq_times:
        return np.empty(0, dtype=np.int64)
    joined = _clean(b"\n".join(uniq_times))
    rows = _TIME.findall(joined)
    if len(rows) != len(uniq_times):  # pragma: no cover - the header regex guarantees the shape
        raise ExportError("A message time could not be read; please report the export.")
    hs, ms, ss, tails = zip(*rows, strict=True)
    h = np.array(hs, dtype=np.int64)
    m = np.array(ms, dtype=np.int64)
    s = np.array([x or "0" for x in ss], dtype=np.int64)
    tail_codes, tail_uniq = pd.factorize(np.array(tails, dtype=object))
    is12 = np.zeros(len(tail_uniq), dtype=bool)
    pm = np.zeros(len(tail_uniq), dtype=bool)
    for j, tail in enumerate(tail_uniq):
        if tail.strip():
            is12[j] = True
            pm[j] = bool(_PM.search(tail))
            if not pm[j] and not _AM.search(tail):  # pragma: no cover - regex guarantees it
                raise ExportError(f"The time marker {tail!r} cannot be read as AM or PM.")
    twelve = is12[tail_codes]
    bad = (twelve & ((h < 1) | (h > 12))) | (h > 23) | (m > 59) | (s > 59)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ExportError(
            f"Line {lines[i]} has the impossible time {_clean(uniq_times[i])!r}; the export is "
            "damaged or in a format chat-review does not know, so please report it."
        )
    h = np.where(twelve, (h % 12) + np.where(pm[tail_codes], 12, 0), h)
    return (h * 60 + m) * 60 + s


def _ymd(fields: np.ndarray, order: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a, b, c = fields[:, 0], fields[:, 1], fields[:, 2]
    if order == "year-first":
        return a, b, c
    year = np.where(c < 100, c + 2000, c)
    if order == "day-first":
        return year, b, a
    return year, a, b


def _day_numbers(
    fields: np.ndarray, order: str, raws: list[bytes], lines: np.ndarray, *, strict: bool
) -> np.ndarray | None:
    """Days since 1970 for each distinct date under ``order``; None (or an error) if impossible."""
    y, m, d = _ymd(fields, order)
    out = np.empty(len(fields), dtype=np.int64)
    epoch = date(1970, 1, 1).toordinal()
    for i in range(len(fields)):
        try:
            out[i] = date(int(y[i]), int(m[i]), int(d[i])).toordinal() - epoch
        except ValueError:
            if not strict:
                return None
            raise ExportError(
                f"Line {lines[i]} has the date {_clean(raws[i])!r}, which is impossible when "
                f"read {order}; check the --date-order option or report the export."
            ) from None
    return out


def resolve(
    date_codes: np.ndarray,
    uniq_dates: list[bytes],
    date_lines: np.ndarray,
    time_codes: np.ndarray,
    uniq_times: list[bytes],
    time_lines: np.ndarray,
    *,
    year_first: bool,
    override: str | None,
) -> Resolved:
    """Decide the date order (see module docstring) and build the timestamps.

    ``*_codes`` index each message into the distinct strings; ``*_lines`` give, per distinct
    string, the first line it appears on (for messages that cite evidence).
    """
    fields = _fields(uniq_dates)
    a_hi = np.flatnonzero(fields[:, 0] > 12)
    b_hi = np.flatnonzero(fields[:, 1] > 12)

    def cite(idx: np.ndarray) -> str:
        # the earliest line among the distinct dates in idx
        j = idx[np.argmin(date_lines[idx])]
        return f"line {date_lines[j]}: {_clean(uniq_dates[j])}"

    ambiguous = False
    if override is not None:
        if override not in DATE_ORDERS:
            raise ExportError(
                f"Unknown date order {override!r}; use day-first, month-first or year-first."
            )
        if year_first != (override == "year-first"):
            shape = "starts with a 4-digit year" if year_first else "does not start with a year"
            raise ExportError(
                f"The export's dates contradict --date-order {override}: the date {shape} "
                f"({cite(np.arange(len(fields)))}); remove the option or choose another order."
            )
        if override == "month-first" and len(a_hi):
            raise ExportError(
                f"The export contradicts --date-order month-first: the month field is above 12 "
                f"({cite(a_hi)}); remove the option or use day-first."
            )
        if override == "day-first" and len(b_hi):
            raise ExportError(
                f"The export contradicts --date-order day-first: the month field is above 12 "
                f"({cite(b_hi)}); remove the option or use month-first."
            )
        order, rule = override, f"set by the date-order option ({override})"
    elif year_first:
        order = "year-first"
        rule = f"a 4-digit first field ({cite(np.arange(len(fields)))}) proves year-first"
    elif len(a_hi) and len(b_hi):
        raise ExportError(
            f"The export's dates mix day-first ({cite(a_hi)}) and month-first ({cite(b_hi)}) "
            "orders, so they cannot be read reliably; export the chat again from one phone."
        )
    elif len(a_hi):
        order, rule = "day-first", f"a first field above 12 ({cite(a_hi)}) proves day-first"
    elif len(b_hi):
        order, rule = "month-first", f"a second field above 12 ({cite(b_hi)}) proves month-first"
    else:
        order, rule, ambiguous = _by_sequence(fields, date_codes, uniq_dates, date_lines)

    days = _day_numbers(fields, order, uniq_dates, date_lines, strict=True)
    secs = seconds_of_day(uniq_times, time_lines)
    total = days[date_codes] * 86400 + secs[time_codes]
    ts = (total * NS_PER_S).astype("datetime64[ns]")
    return Resolved(ts, order, rule, ambiguous)


def _by_sequence(
    fields: np.ndarray, codes: np.ndarray, raws: list[bytes], lines: np.ndarray
) -> tuple[str, str, bool]:
    """Rules 3-5 for files whose day and month fields are all 12 or below."""
    back = {}
    for order in ("day-first", "month-first"):
        days = _day_numbers(fields, order, raws, lines, strict=False)
        if days is None:  # cannot happen with both fields <= 12, kept for safety
            back[order] = len(codes) + 1
            continue
        seq = days[codes]
        back[order] = int(np.count_nonzero(np.diff(seq) < 0))
    if back["day-first"] != back["month-first"]:
        win = min(back, key=back.__getitem__)
        lose = "month-first" if win == "day-first" else "day-first"
        return (
            win,
            f"the dates run forward in file order only when read {win} "
            f"({back[win]} steps back, against {back[lose]} read {lose})",
            False,
        )
    if len(codes) > 1:
        a = fields[codes, 0]
        b = fields[codes, 1]
        ca = int(np.count_nonzero(np.diff(a)))
        cb = int(np.count_nonzero(np.diff(b)))
        if ca != cb:
            order = "day-first" if ca > cb else "month-first"
            return (
                order,
                f"the {'first' if ca > cb else 'second'} field changes more often "
                f"({max(ca, cb)} against {min(ca, cb)} changes), so it is the day: {order}",
                False,
            )
    return (
        "day-first",
        "nothing in the file decides between day-first and month-first (every day and month "
        "field is 12 or below and the dates give no other clue); assumed day-first, the UK "
        "default",
        True,
    )
