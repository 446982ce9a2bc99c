"""Per-sender figures and the timelines (daily, weekday x hour), all bincounts over arrays."""

from __future__ import annotations

import numpy as np
import pandas as pd

from chat_review.calendar import DAY_TYPES

from .findings import SenderStats
from .prepare import NS_DAY, Prepared, day_of, to_datetime

_WEEKEND = DAY_TYPES.index("weekend")
_BANK = DAY_TYPES.index("bank-holiday")
_SCHOOL = DAY_TYPES.index("school-holiday")


def sender_grids(p: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Messages per sender and day (all, and out of hours): two senders x days matrices."""
    nsend, ndays = len(p.names), p.ndays
    key = p.codes * ndays + p.di
    grid = np.bincount(key, minlength=nsend * ndays).reshape(nsend, ndays)
    grid_out = np.bincount(key[p.outside], minlength=nsend * ndays).reshape(nsend, ndays)
    return grid, grid_out


def sender_stats(p: Prepared, grid: np.ndarray) -> list[SenderStats]:
    """Per-sender figures, most messages first."""
    nsend = len(p.names)

    def per_sender(mask: np.ndarray | None = None) -> np.ndarray:
        c = p.codes if mask is None else p.codes[mask]
        return np.bincount(c, minlength=nsend).astype(np.int64)

    count = per_sender()
    ooh = per_sender(p.outside)
    weekend = per_sender(p.day_code == _WEEKEND)
    holiday = per_sender((p.day_code == _BANK) | (p.day_code == _SCHOOL))
    late = per_sender(p.late)
    first_last = pd.DataFrame({"c": p.codes, "t": p.ts}).groupby("c")["t"].agg(["min", "max"])
    senders = []
    for i, name in enumerate(p.names):
        row = grid[i]
        active = row[row > 0]
        busiest = int(row.argmax())  # the earliest of equally busy days
        senders.append(
            SenderStats(
                sender=name,
                is_staff=bool(p.is_staff[i]),
                messages=int(count[i]),
                out_of_hours=int(ooh[i]),
                out_of_hours_share=float(ooh[i] / count[i]) if count[i] else 0.0,
                weekend=int(weekend[i]),
                holiday=int(holiday[i]),
                late_night=int(late[i]),
                active_days=int(active.size),
                busiest_day=day_of(int(p.day0 or 0) + busiest),
                busiest_day_count=int(row[busiest]),
                median_per_active_day=float(np.median(active)),
                first=to_datetime(first_last.loc[i, "min"]),
                last=to_datetime(first_last.loc[i, "max"]),
            )
        )
    senders.sort(key=lambda s: (-s.messages, s.sender))
    return senders


def timelines(
    p: Prepared, grid: np.ndarray, grid_out: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """daily, daily_by_sender, weekday_hour, weekday_hour_by_sender, weekday_hour_split."""
    ndays, nsend = p.ndays, len(p.names)
    if ndays:
        dates = pd.date_range(pd.Timestamp(int(p.day0 or 0) * NS_DAY), periods=ndays,
                              freq="D", name="date", unit="ns")
    else:
        dates = pd.DatetimeIndex([], dtype="datetime64[ns]", name="date")
    daily = pd.DataFrame(
        {
            "in_hours": np.bincount(p.di[p.inside], minlength=ndays).astype(np.int64),
            "out_of_hours": np.bincount(p.di[p.outside], minlength=ndays).astype(np.int64),
        },
        index=dates,
    )
    sc, dc = np.nonzero(grid)
    daily_by_sender = pd.DataFrame(
        {
            "date": dates[dc] if len(dates) else pd.DatetimeIndex([], dtype="datetime64[ns]"),
            "sender": pd.Series([p.names[i] for i in sc], dtype=object),
            "in_hours": (grid - grid_out)[sc, dc].astype(np.int64),
            "out_of_hours": grid_out[sc, dc].astype(np.int64),
        }
    )
    daily_by_sender = daily_by_sender.sort_values(["date", "sender"], kind="stable")
    cell = p.weekday * 24 + p.hour
    all_cells = np.bincount(cell, minlength=168).astype(np.int64)
    weekday_hour = pd.DataFrame(
        all_cells.reshape(7, 24),
        index=pd.RangeIndex(7, name="weekday"),
        columns=pd.RangeIndex(24, name="hour"),
    )
    out_cells = np.bincount(cell[p.outside], minlength=168).astype(np.int64)
    weekday_hour_split = pd.DataFrame(
        {
            "weekday": np.repeat(np.arange(7), 24).astype(np.int64),
            "hour": np.tile(np.arange(24), 7).astype(np.int64),
            "in_hours": all_cells - out_cells,
            "out_of_hours": out_cells,
        }
    )
    wh = np.bincount(p.codes * 168 + cell, minlength=nsend * 168).reshape(nsend, 168)
    s_i, c_i = np.nonzero(wh)
    weekday_hour_by_sender = pd.DataFrame(
        {
            "sender": pd.Series([p.names[i] for i in s_i], dtype=object),
            "weekday": (c_i // 24).astype(np.int64),
            "hour": (c_i % 24).astype(np.int64),
            "count": wh[s_i, c_i].astype(np.int64),
        }
    )
    return (daily, daily_by_sender.reset_index(drop=True), weekday_hour,
            weekday_hour_by_sender, weekday_hour_split)
