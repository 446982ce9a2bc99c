"""Dates written in the Solar Hijri (Persian) calendar, and Islamic (lunar) Hijri years.

A phone set to the Persian calendar writes ``1402/8/15`` for 6 November 2023. Such a year can
be told from a Gregorian one by its size alone: Solar Hijri years 1300-1419 are Gregorian
March 1921 to March 2041, and the Islamic lunar years 1300-1419 (Gregorian 1882-1999) all
predate WhatsApp, so an export whose every year lies in that span is read as Solar Hijri,
without guessing. Lunar Hijri years of WhatsApp's time (1420-1500, Gregorian 1999-2077) are
refused: their months follow the moon sighting, so no arithmetic converts them faithfully.

The conversion is the standard arithmetic one (Borkowski's, as in jalaali-js and jdatetime):
the Gregorian day of each Nowruz (1 Farvardin) from the table of breaks in the 33-year leap
cycle; it agrees with the astronomical calendar for every year this module accepts. A year's
length follows from the next Nowruz, so the leap year (Esfand 30) needs no rule of its own.
"""

from __future__ import annotations

from datetime import date

import numpy as np

#: Solar Hijri years read (Gregorian 21 Mar 1921 - 19 Mar 2041); the module docstring says why.
SOLAR_MIN, SOLAR_MAX = 1300, 1419
#: Islamic lunar Hijri years of WhatsApp's time (Gregorian 1999-2077): refused, not read.
LUNAR_MIN, LUNAR_MAX = 1420, 1500
MONTHS = ("Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban",
          "Azar", "Dey", "Bahman", "Esfand")
#: Years in which the 33-year cycle of leap years shifts (Borkowski; jalaali-js ``breaks``).
_BREAKS = (-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192,
           2262, 2324, 2394, 2456, 3178)
#: Days before each month: months 1-6 have 31 days, 7-11 have 30, Esfand 29 or 30.
_MONTH_START = np.array([0, 31, 62, 93, 124, 155, 186, 216, 246, 276, 306, 336], dtype=np.int64)
_EPOCH = date(1970, 1, 1).toordinal()


def nowruz_march_day(year: int) -> int:
    """The day of March (Gregorian) on which Solar Hijri ``year`` begins. Kept as the published
    integer algorithm (jalaali-js ``jalCal``) so it can be checked line by line against it."""
    leap_j, jp, jump = -14, _BREAKS[0], 0
    for jm in _BREAKS[1:]:
        jump = jm - jp
        if year < jm:
            break
        leap_j += (jump // 33) * 8 + (jump % 33) // 4
        jp = jm
    n = year - jp
    leap_j += (n // 33) * 8 + (n % 33 + 3) // 4
    if jump % 33 == 4 and jump - n == 4:
        leap_j += 1
    gy = year + 621
    leap_g = gy // 4 - ((gy // 100 + 1) * 3) // 4 - 150
    return 20 + leap_j - leap_g


def _nowruz_table() -> np.ndarray:
    """Days since 1970 of 1 Farvardin for every year read, plus the year after the last (so
    each year's length is a difference). Built once: 121 small integer computations."""
    years = range(SOLAR_MIN, SOLAR_MAX + 2)
    return np.array(
        [date(y + 621, 3, nowruz_march_day(y)).toordinal() - _EPOCH for y in years],
        dtype=np.int64,
    )


_NOWRUZ = _nowruz_table()


def is_solar_hijri(years: np.ndarray) -> bool:
    """True when every year field lies in SOLAR_MIN..SOLAR_MAX: only then is the reading
    unambiguous (a single Gregorian year among them means the file is something else)."""
    return bool(len(years)) and bool(((years >= SOLAR_MIN) & (years <= SOLAR_MAX)).all())


def lunar_hijri_rows(years: np.ndarray) -> np.ndarray:
    """Rows whose year is a lunar Hijri year of WhatsApp's time, when every year of the file is
    Hijri-sized (1300-1500) but not all are Solar Hijri. Empty otherwise: a Gregorian export with
    one damaged year keeps the message about a damaged export."""
    hijri_sized = (years >= SOLAR_MIN) & (years <= LUNAR_MAX)
    if not len(years) or not hijri_sized.all():
        return np.empty(0, dtype=np.int64)
    return np.flatnonzero(years >= LUNAR_MIN)


def month_lengths(y: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Days in month ``m`` of year ``y`` (years within SOLAR_MIN..SOLAR_MAX, months 1-12)."""
    k = y - SOLAR_MIN
    esfand = _NOWRUZ[k + 1] - _NOWRUZ[k] - 336  # 29, or 30 in a leap year
    return np.where(m <= 6, 31, np.where(m <= 11, 30, esfand))


def invalid_rows(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Rows that are not a day of the Solar Hijri calendar (month 13, 31 Mehr, 30 Esfand of a
    common year): refused rather than rolled into the next month."""
    ok_month = (m >= 1) & (m <= 12)
    length = month_lengths(y, np.where(ok_month, m, 1))
    return np.flatnonzero(~ok_month | (d < 1) | (d > length))


def day_numbers(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970 (Gregorian) of valid Solar Hijri dates, for all rows at once."""
    return _NOWRUZ[y - SOLAR_MIN] + _MONTH_START[m - 1] + d - 1


def impossible_text(y: int, m: int) -> str:
    """Why a month cannot hold the day, for the refusal sentence."""
    if not 1 <= m <= 12:
        return "there is no such month"
    days = int(month_lengths(np.array([y]), np.array([m]))[0])
    return f"{MONTHS[m - 1]} {y} has {days} days"
