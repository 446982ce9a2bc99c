"""Turn header date and time strings into timestamps, deciding the date order from the file.

The header scanner (``_locate``) hands over the date and time *numbers* of every message as
arrays; dates are checked and converted once per distinct date (a chat has one per day), then
spread over the messages with numpy, so a million messages cost a few array operations.

The date order is decided from the whole file, in this order of rules:

1. a 4-digit first field means year-first (``2024-01-31``);
2. a first field above 12 proves day-first; a second field above 12 proves month-first;
3. else the reading under which the dates run forward in file order (fewer steps back), when
   the other reading steps back at least MIN_STEPS_BACK times more;
4. else the field that changes clearly more often between consecutive messages is the day;
5. else, or when rules 3-4 only hint (one step back, two changes against one), the order is
   "not proven": day-first, the documented default for a UK school, flagged as ambiguous
   with the hint recorded in the rule.

The calendar is decided from the years alone, before the order (see `solar_hijri`): when every
year is 1300-1419 the dates are Solar Hijri (Persian) and are converted, with a note in the
rule and a warning; years of the Islamic lunar calendar (1420-1500) are refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from chat_review.consent.date_words import day as day_words
from chat_review.errors import ExportError

from . import solar_hijri
from .headers import DIGIT_TABLE, MARK_TABLE

DATE_ORDERS = ("day-first", "month-first", "year-first")
NS_PER_S = 1_000_000_000
#: Years a datetime64[ns] timestamp can hold (whole years only; it spans 1677-09-21..2262-04-11).
MIN_YEAR, MAX_YEAR = 1678, 2261


@dataclass
class Resolved:
    """Timestamps (datetime64[ns]) per message plus how the date order was decided."""

    timestamps: np.ndarray
    order: str
    rule: str
    ambiguous: bool
    #: When the dates were converted from another calendar: a note for the reader's warnings,
    #: and words for the recorded date rule (kept apart from ``rule``, whose "not proven" form
    #: the reader's warning quotes).
    calendar_note: str | None = None
    calendar_rule: str = ""


def clean(raw: bytes) -> str:
    """A header fragment as text: marks removed, Arabic-Indic digits as ASCII."""
    return raw.decode("utf-8").translate(MARK_TABLE).translate(DIGIT_TABLE)


def time_seconds(
    hour: np.ndarray,
    minute: np.ndarray,
    second: np.ndarray,
    ampm: np.ndarray,
    lines: np.ndarray,
    time_text: Callable[[int], str],
    warnings: list[str] | None = None,
) -> np.ndarray:
    """Seconds since midnight per message (12 AM = 0 h, 12 PM = 12 h); ExportError naming the
    first line with an impossible time. ``ampm`` is 0 (24 h clock), 1 (AM) or 2 (PM).

    A 24-hour time carrying a 12-hour marker that agrees with it (``23:59 PM``, ``13:37:00
    p.m.``, ``00:04:03 AM``: some phones and fixtures write both) has only one reading, the
    24-hour one: it is read so and named in a warning. ``13:00 AM`` or ``00:30 PM`` contradict
    themselves and are refused.
    """
    hour, minute, second = (x.astype(np.int64) for x in (hour, minute, second))
    twelve = ampm > 0
    both = twelve & (((hour > 12) & (hour <= 23) & (ampm == 2)) | ((hour == 0) & (ampm == 1)))
    bad = (twelve & ~both & ((hour < 1) | (hour > 12))) | (hour > 23) | (minute > 59)
    bad |= second > 59
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ExportError(
            f"Line {lines[i]} has the impossible time {time_text(i)!r}; the export is "
            "damaged or in a format chat-review does not know, so please report it."
        )
    if both.any():
        idx = np.flatnonzero(both)
        shown = ", ".join(str(int(lines[i])) for i in idx[:5]) + (" ..." if len(idx) > 5 else "")
        if warnings is not None:
            warnings.append(
                f"{len(idx)} time(s) are written in 24-hour form with an AM/PM marker (line "
                f"{shown}, e.g. {time_text(int(idx[0]))!r}); they were read as 24-hour times."
            )
    twelve &= ~both
    h = np.where(twelve, (hour % 12) + np.where(ampm == 2, 12, 0), hour)
    return (h * 60 + minute) * 60 + second


def _ymd(fields: np.ndarray, order: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a, b, c = fields[:, 0], fields[:, 1], fields[:, 2]
    if order == "year-first":
        return a, b, c
    year = np.where(c < 100, c + 2000, c)
    if order == "day-first":
        return year, b, a
    return year, a, b


def _day_numbers(
    fields: np.ndarray,
    order: str,
    raws: Callable[[int], str],
    lines: np.ndarray,
    *,
    strict: bool,
    solar: bool = False,
) -> np.ndarray | None:
    """Days since 1970 for each distinct date under ``order``; None (or an error) if impossible.
    ``solar``: the fields are Solar Hijri dates (see `solar_hijri`), converted to Gregorian."""
    y, m, d = _ymd(fields, order)
    if solar:
        return _solar_day_numbers(y, m, d, order, raws, lines, strict=strict)
    out = np.empty(len(fields), dtype=np.int64)
    epoch = date(1970, 1, 1).toordinal()
    for i in range(len(fields)):
        try:
            out[i] = date(int(y[i]), int(m[i]), int(d[i])).toordinal() - epoch
        except ValueError:
            if not strict:
                return None
            raise ExportError(
                f"Line {lines[i]} has the date {raws(i)!r}, which is impossible when "
                f"read {order}; check the --date-order option or report the export."
            ) from None
    far = np.flatnonzero((y < MIN_YEAR) | (y > MAX_YEAR))
    if len(far):
        if not strict:
            return None
        i = int(far[np.argmin(lines[far])])
        raise ExportError(
            f"Line {lines[i]} has the date {raws(i)!r}, in the year {int(y[i])}; chat-review "
            f"reads dates from {MIN_YEAR} to {MAX_YEAR} only, so the export is damaged or the "
            "phone's clock was wrong — please report the export."
        )
    return out


def _solar_day_numbers(
    y: np.ndarray,
    m: np.ndarray,
    d: np.ndarray,
    order: str,
    raws: Callable[[int], str],
    lines: np.ndarray,
    *,
    strict: bool,
) -> np.ndarray | None:
    """`_day_numbers` for Solar Hijri dates, all at once: a day the Persian calendar does not
    have (31 Mehr, 30 Esfand 1402) is refused naming its line, never rolled over."""
    y, m, d = (np.asarray(x, dtype=np.int64) for x in (y, m, d))
    bad = solar_hijri.invalid_rows(y, m, d)
    if len(bad):
        if not strict:
            return None
        i = int(bad[np.argmin(lines[bad])])
        why = solar_hijri.impossible_text(int(y[i]), int(m[i]))
        raise ExportError(
            f"Line {lines[i]} has the date {raws(i)!r}, which is impossible in the Solar Hijri "
            f"(Persian) calendar when read {order} ({why}); the export is damaged, or check "
            "the --date-order option."
        )
    return solar_hijri.day_numbers(y, m, d)


def _year_fields(fields: np.ndarray, year_first: bool) -> np.ndarray:
    """The year of every distinct date, before any order is decided: the first field of a
    year-first date, else the last (2-digit years are 20xx, as `_ymd` reads them)."""
    c = fields[:, 0] if year_first else fields[:, 2]
    c = c.astype(np.int64)
    return c if year_first else np.where(c < 100, c + 2000, c)


def _refuse_lunar_hijri(years: np.ndarray, raws: Callable[[int], str], lines: np.ndarray) -> None:
    """Islamic (lunar) Hijri years are refused before any order is tried: their months follow
    the moon, so reading them as Gregorian or converting them by arithmetic would both be
    wrong, and the usual 'damaged export' message would send the user the wrong way."""
    rows = solar_hijri.lunar_hijri_rows(years)
    if len(rows):
        i = int(rows[np.argmin(lines[rows])])
        raise ExportError(
            f"Line {lines[i]} has the date {raws(i)!r}, in the year {int(years[i])}: the dates "
            "look like the Islamic (Hijri) calendar, which chat-review does not read; set the "
            "phone's calendar to Gregorian and export the chat again."
        )


def _solar_note(order: str, days: np.ndarray, raws: Callable[[int], str],
                lines: np.ndarray) -> str:
    """The warning that says the dates were converted, with the export's first date as the
    example, so nobody compares the report with the phone and thinks the dates are wrong."""
    i = int(np.argmin(lines))
    day = date(1970, 1, 1) + timedelta(days=int(days[i]))
    return (
        "Dates are written in the Solar Hijri (Persian) calendar; they were converted to the "
        f"Gregorian calendar (e.g. {raws(i)} is {day_words(day)}), read {order}."
    )


def resolve(
    date_codes: np.ndarray,
    fields: np.ndarray,
    uniq_dates: Callable[[int], str],
    date_lines: np.ndarray,
    seconds: np.ndarray,
    *,
    year_first: bool,
    override: str | None,
    gregorian: bool = False,
) -> Resolved:
    """Decide the date order (see module docstring) and build the timestamps.

    ``date_codes`` index each message into the distinct dates, whose three numbers are the rows
    of ``fields``; ``uniq_dates(j)`` is distinct date j as written and ``date_lines[j]`` the
    first line it appears on (for messages that cite evidence). ``seconds`` is each message's
    time of day. ``gregorian``: the layout itself names its calendar (English month names,
    Buddhist or Japanese era years, already made Gregorian), so no other calendar is considered.
    """
    years = _year_fields(fields, year_first)
    solar = False
    if not gregorian:
        _refuse_lunar_hijri(years, uniq_dates, date_lines)
        solar = solar_hijri.is_solar_hijri(years)
    a_hi = np.flatnonzero(fields[:, 0] > 12)
    b_hi = np.flatnonzero(fields[:, 1] > 12)

    def cite(idx: np.ndarray) -> str:
        # the earliest line among the distinct dates in idx
        j = idx[np.argmin(date_lines[idx])]
        return f"line {date_lines[j]}: {uniq_dates(j)}"

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
        order, rule, ambiguous = _by_sequence(fields, date_codes, uniq_dates, date_lines,
                                              solar=solar)

    days = _day_numbers(fields, order, uniq_dates, date_lines, strict=True, solar=solar)
    total = days[date_codes] * 86400 + seconds
    ts = (total * NS_PER_S).astype("datetime64[ns]")
    if not solar:
        return Resolved(ts, order, rule, ambiguous)
    return Resolved(
        ts, order, rule, ambiguous, _solar_note(order, days, uniq_dates, date_lines),
        "; the years are Solar Hijri (Persian), converted to the Gregorian calendar",
    )


#: Rule 3 decides only when the other reading steps back at least this many times more.
MIN_STEPS_BACK = 2
#: Rule 4 decides only when the busier field changes at least this many times, and at least
#: twice as often (plus one) as the other.
MIN_CHANGES = 3


def _fewer_steps_back(
    fields: np.ndarray, codes: np.ndarray, raws: Callable[[int], str], lines: np.ndarray,
    *, solar: bool = False,
) -> tuple[str, str, bool] | None:
    """Rule 3: dates run forward in a chat, so the reading with fewer steps back in file order
    is the order; one step back is too little (a phone's clock, a forwarded export), so the
    other reading must step back at least MIN_STEPS_BACK times more. Returns (order, rule,
    proven), or None when both readings step back equally often."""
    back = {}
    for order in ("day-first", "month-first"):
        days = _day_numbers(fields, order, raws, lines, strict=False, solar=solar)
        if days is None:  # cannot happen with both fields <= 12, kept for safety
            back[order] = len(codes) + 1
            continue
        back[order] = int(np.count_nonzero(np.diff(days[codes]) < 0))
    if back["day-first"] == back["month-first"]:
        return None
    win = min(back, key=back.__getitem__)
    lose = "month-first" if win == "day-first" else "day-first"
    evidence = f"{back[win]} steps back read {win}, against {back[lose]} read {lose}"
    if back[lose] - back[win] >= MIN_STEPS_BACK:
        return win, f"the dates run forward in file order only when read {win} ({evidence})", True
    return win, f"the dates run forward slightly better read {win} ({evidence})", False


def _busier_field(fields: np.ndarray, codes: np.ndarray) -> tuple[str, str, bool] | None:
    """Rule 4: the day changes more often than the month from one message to the next (as in
    whatsapp-chat-parser's change-frequency check), but two changes against one prove
    nothing: the busier field must change MIN_CHANGES times and twice as often (plus one)."""
    if len(codes) < 2:
        return None
    ca = int(np.count_nonzero(np.diff(fields[codes, 0])))
    cb = int(np.count_nonzero(np.diff(fields[codes, 1])))
    if ca == cb:
        return None
    order = "day-first" if ca > cb else "month-first"
    hi, lo = max(ca, cb), min(ca, cb)
    which = "first" if ca > cb else "second"
    evidence = f"{hi} against {lo} changes"
    if hi >= MIN_CHANGES and hi >= 2 * lo + 1:
        return order, f"the {which} field changes more often ({evidence}), so it is the day: " \
            f"{order}", True
    return order, f"the {which} field changes a little more often ({evidence})", False


def _by_sequence(
    fields: np.ndarray, codes: np.ndarray, raws: Callable[[int], str], lines: np.ndarray,
    *, solar: bool = False,
) -> tuple[str, str, bool]:
    """Rules 3-5 for files whose day and month fields are all 12 or below. Thin evidence (a
    hint, not a proof) is recorded in the rule but leaves the order "not proven": the UK
    default, flagged as ambiguous so the reader warns and every output says so."""
    hints = []
    steps = _fewer_steps_back(fields, codes, raws, lines, solar=solar)
    for rule in (steps, _busier_field(fields, codes)):
        if rule is None:
            continue
        order, text, proven = rule
        if proven:
            return order, text, False
        hints.append(text)
    why = "; ".join(hints) if hints else "the dates give no clue"
    return "day-first", f"not proven ({why}); assumed day-first, the UK default", True
