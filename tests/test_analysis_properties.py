"""Bursts and the calendar, checked against slow one-message-at-a-time definitions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from chat_review.analysis import find_bursts
from chat_review.calendar import Closure, WorkingCalendar

MIN = 60 * 10**9


def slow_bursts(group: list[int], minutes: list[int], k: int, m: int) -> list[int]:
    """The written definition: windows of k consecutive rows of one group spanning <= m
    minutes qualify; rows of windows that share a row belong to one burst."""
    n = len(group)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    covered = [False] * n
    for i in range(n - k + 1):
        j = i + k - 1
        if group[i] == group[j] and minutes[j] - minutes[i] <= m:
            for r in range(i, j + 1):
                covered[r] = True
                parent[find(r)] = find(i)
    labels: dict[int, int] = {}
    out = []
    for r in range(n):
        if not covered[r]:
            out.append(-1)
        else:
            out.append(labels.setdefault(find(r), len(labels)))
    return out


@settings(max_examples=300, deadline=None)
@given(
    gaps=st.lists(st.integers(0, 15), min_size=0, max_size=60),
    groups=st.lists(st.integers(0, 2), min_size=60, max_size=60),
    k=st.integers(2, 6),
    m=st.integers(1, 20),
)
def test_vectorised_bursts_match_the_written_definition(gaps, groups, k, m) -> None:
    n = len(gaps)
    minutes = np.cumsum(gaps).tolist()
    group = sorted(groups[:n])  # rows sorted by group, then time
    got = find_bursts(
        np.array(group, dtype=np.int64), np.array(minutes, dtype=np.int64) * MIN, k, m
    ).tolist()
    assert got == slow_bursts(group, minutes, k, m)


CAL = WorkingCalendar(
    hours={4: (time(8, 0), time(16, 0)), 2: None},
    closures=[Closure("Half-term", date(2025, 10, 27), date(2025, 10, 31))],
)
BANK = {date(2025, 1, 1), date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 5),
        date(2025, 5, 26), date(2025, 8, 25), date(2025, 12, 25), date(2025, 12, 26)}


def slow_in_hours(ts: datetime) -> bool:
    d = ts.date()
    if d in BANK or date(2025, 10, 27) <= d <= date(2025, 10, 31):
        return False
    span = {0: (8, 17), 1: (8, 17), 3: (8, 17), 4: (8, 16)}.get(d.weekday())
    return span is not None and time(span[0]) <= ts.time() < time(span[1])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 365 * 24 * 60 - 1), min_size=1, max_size=200))
def test_vectorised_in_hours_matches_a_message_by_message_check(minutes) -> None:
    stamps = [datetime(2025, 1, 1) + timedelta(minutes=x) for x in minutes]
    got = CAL.in_hours(pd.Series(pd.to_datetime(stamps))).tolist()
    assert got == [slow_in_hours(t) for t in stamps]
