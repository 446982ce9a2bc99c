"""Step one of analysis: all exports' rows as parallel arrays, with the calendar worked out once.

Only messages written by people (text, media, deleted) go on; system events are counted by
kind and kept aside for the chat-type evidence (`chat_review.analysis.chat_type`). Everything
is a numpy array over messages: no per-message Python object is ever built.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from chat_review.reader.chat import KINDS, Chat
from chat_review.reader.texts import MessageTexts

from .findings import Period, SourceInfo

if TYPE_CHECKING:
    from chat_review.config import Config, StaffMember

NS_DAY = 86_400 * 10**9
NS_HOUR = 3_600 * 10**9
NS_MIN = 60 * 10**9
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def to_datetime(value: Any) -> datetime | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime()


def pydatetimes(values: np.ndarray) -> list[datetime]:
    """datetime64 values as Python datetimes, converted in one C-level pass."""
    return list(pd.DatetimeIndex(values).to_pydatetime())


def day_of(day_number: int) -> date:
    """A day number (days since 1970-01-01) as a date."""
    return date.fromordinal(_EPOCH_ORDINAL + int(day_number))


def _tod_ns(hhmm: str) -> int:
    t = time.fromisoformat(hhmm)
    return (t.hour * 60 + t.minute) * NS_MIN


def late_mask(tod: np.ndarray, start: str, end: str) -> np.ndarray:
    """Inside the late-night window [start, end), crossing midnight when start > end
    (``tod``: nanoseconds since the day's midnight)."""
    lo, hi = _tod_ns(start), _tod_ns(end)
    if lo > hi:
        return (tod >= lo) | (tod < hi)
    return (tod >= lo) & (tod < hi)


def source_info(chat: Chat) -> SourceInfo:
    m = chat.meta
    return SourceInfo(
        name=m.source_name,
        sha256=m.sha256,
        consent_id=m.consent_id,
        platform=m.platform,
        date_order=m.date_order,
        date_order_rule=m.date_order_rule,
        date_order_ambiguous=m.date_order_ambiguous,
        encoding=m.encoding,
        messages=len(chat),
        window_dropped=m.window_dropped,
        warnings=list(m.warnings),
    )


def source_warnings(chat: Chat) -> list[str]:
    m = chat.meta
    out = [f"{m.source_name}: {w}" for w in m.warnings]
    if m.date_order_ambiguous and not any("date order" in w.lower() for w in m.warnings):
        out.append(
            f"{m.source_name}: the date order could not be proved from the export and was "
            f"taken as {m.date_order} ({m.date_order_rule}); check a few dates against the phone."
        )
    return out


class Rows:
    """All exports' rows as parallel numpy arrays (the analysis never needs a per-row object).

    ``sender`` holds codes into ``names`` (-1 for system events), ``kind`` codes into ``kinds``
    and ``src`` the index of the export each row came from.
    """

    def __init__(self, chats: Sequence[Chat]) -> None:
        ts, sender, kind, text, line, src = [], [], [], [], [], []
        names: dict[str, int] = {}
        kinds: dict[str, int] = {k: i for i, k in enumerate(KINDS)}
        for i, chat in enumerate(chats):
            col = chat.column
            ts.append(col("timestamp").to_numpy(dtype="datetime64[ns]"))
            # sender names: codes per export (the reader's own), then the few distinct names
            # of all exports mapped to one code
            codes, uniques = chat.sender_codes()
            remap = np.array(
                [names.setdefault(u, len(names)) for u in uniques] + [-1], dtype=np.int64
            )
            sender.append(remap[codes])  # code -1 indexes the trailing -1
            k = col("kind")
            if isinstance(k.dtype, pd.CategoricalDtype):
                cats = [kinds.setdefault(str(c), len(kinds)) for c in k.cat.categories]
                kc = np.array(cats + [-1], dtype=np.int64)[k.cat.codes.to_numpy()]
            else:
                kc_codes, kc_uniques = pd.factorize(k.astype(object))
                cats = [kinds.setdefault(str(c), len(kinds)) for c in kc_uniques]
                kc = np.array(cats + [-1], dtype=np.int64)[kc_codes]
            kind.append(kc)
            text.append(chat.texts)
            line.append(col("line").to_numpy(dtype=np.int64))
            src.append(np.full(len(chat), i, dtype=np.int64))

        def cat(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
            if len(parts) == 1:  # one export: no copy (nothing writes into these arrays)
                return parts[0]
            return np.concatenate(parts) if parts else np.array([], dtype=dtype)

        self.ts = cat(ts, "datetime64[ns]")
        self.sender = cat(sender, np.int64)
        self.kind = cat(kind, np.int64)
        self.text = MessageTexts.concat(text)  # decoded only for the rows that need it
        self.line = cat(line, np.int64)
        self.src = cat(src, np.int64)
        self.names = list(names)
        self.kinds = list(kinds)

    def take(self, mask: np.ndarray) -> None:
        for attr in ("ts", "sender", "kind", "text", "line", "src"):
            setattr(self, attr, getattr(self, attr)[mask])


@dataclass
class SystemRows:
    """The system events (for the chat-type evidence): export index, line, text."""

    src: np.ndarray
    line: np.ndarray
    text: np.ndarray


@dataclass
class Prepared:
    """The messages written by people, as arrays, with everything the steps share."""

    tab: Rows
    period: Period
    day0: int | None  # day number of the period's first day
    day1: int | None
    ts: np.ndarray  # datetime64[ns]
    ts_ns: np.ndarray
    inside: np.ndarray  # in working hours
    outside: np.ndarray
    day_code: np.ndarray  # index into DAY_TYPES
    di: np.ndarray  # day index within the period
    hour: np.ndarray
    weekday: np.ndarray
    late: np.ndarray
    codes: np.ndarray  # dense sender code, index into names
    names: list[str]
    is_staff: np.ndarray  # per sender code
    roster: dict[str, StaffMember | None]
    src_names: list[str]
    system: SystemRows

    @property
    def n(self) -> int:
        return len(self.ts)

    @property
    def ndays(self) -> int:
        return self.period.days

    def restrict(self, mask: np.ndarray) -> Prepared:
        """Only the rows in ``mask`` (same period and exports; senders renumbered densely)."""
        tab = Rows([])
        tab.names, tab.kinds = self.tab.names, self.tab.kinds
        for attr in ("ts", "sender", "kind", "text", "line", "src"):
            setattr(tab, attr, getattr(self.tab, attr)[mask])
        codes = self.codes[mask]
        used = np.flatnonzero(np.bincount(codes, minlength=len(self.names)))
        dense = np.full(len(self.names), -1, dtype=np.int64)
        dense[used] = np.arange(len(used))
        names = [self.names[int(i)] for i in used]
        return replace(
            self, tab=tab, ts=self.ts[mask], ts_ns=self.ts_ns[mask], inside=self.inside[mask],
            outside=self.outside[mask], day_code=self.day_code[mask], di=self.di[mask],
            hour=self.hour[mask], weekday=self.weekday[mask], late=self.late[mask],
            codes=dense[codes], names=names, is_staff=self.is_staff[used],
            roster={nm: self.roster[nm] for nm in names},
        )


def row_facts(p: Prepared, rows: np.ndarray) -> tuple[list[str], list[int], list[str], list[bool]]:
    """Sender, line, export name and out-of-hours of each of ``rows``, as Python lists: taken
    for all rows at once, not four numpy scalars per row (flags and mentions can number
    tens of thousands)."""
    senders = np.array(p.names, dtype=object)[p.codes[rows]].tolist() if p.names else []
    sources = np.array(p.src_names, dtype=object)[p.tab.src[rows]].tolist()
    return senders, p.tab.line[rows].tolist(), sources, p.outside[rows].tolist()


def overlap_warnings(chats: Sequence[Chat], tab: Rows) -> list[str]:
    """Warn when two exports share messages (e.g. two parents each exported one group):
    overlapping messages are counted once per export, which doubles them in every figure."""
    t_ns = tab.ts.astype(np.int64)
    key = t_ns * 7919 + tab.sender  # may collide; only narrows down, the exact check follows
    maybe = pd.Series(key).duplicated(keep=False).to_numpy()
    if not maybe.any():
        return []
    frame = pd.DataFrame(
        {"t": t_ns[maybe], "s": tab.sender[maybe], "src": tab.src[maybe],
         "x": tab.text[maybe].strings()}
    )
    per_key = frame.groupby(["t", "s", "x"], sort=False)["src"].nunique()
    shared = int((per_key > 1).sum())
    if not shared:
        return []
    return [
        f"{shared} messages appear in more than one export (the same chat exported twice?); "
        "each copy is counted, so check the exports before relying on totals."
    ]


def prepare(
    chats: Sequence[Chat], config: Config, warnings: list[str]
) -> tuple[Prepared, dict[str, int]]:
    """Combine the exports, keep what people wrote, and work the calendar out once."""
    tab = Rows(chats)
    kind_counts = np.bincount(tab.kind[tab.kind >= 0], minlength=len(tab.kinds))
    counts_by_kind = {k: int(kind_counts[i]) for i, k in enumerate(tab.kinds)}

    nat = np.isnat(tab.ts)
    if nat.any():
        warnings.append(
            f"{int(nat.sum())} messages had no readable time and were left out of the counts."
        )
    day0 = day1 = None
    period = Period(None, None, 0)
    if (~nat).any():
        stamps = tab.ts[~nat].astype(np.int64)
        first_ns, last_ns = int(stamps.min()), int(stamps.max())
        day0, day1 = first_ns // NS_DAY, last_ns // NS_DAY
        period = Period(
            to_datetime(np.datetime64(first_ns, "ns")),
            to_datetime(np.datetime64(last_ns, "ns")),
            int(day1 - day0 + 1),
        )

    is_system = tab.kind == tab.kinds.index("system")
    system = SystemRows(tab.src[is_system], tab.line[is_system],
                        tab.text[is_system].strings())
    tab.take(~is_system & (tab.sender >= 0) & ~nat)
    if len(chats) > 1:
        warnings += overlap_warnings(chats, tab)

    ts = tab.ts
    ts_ns = ts.view(np.int64)  # (the same memory: nothing writes to either)
    days_abs = ts_ns // NS_DAY
    tod = ts_ns - days_abs * NS_DAY
    inside, day_code = config.calendar.classify_days(days_abs, tod)

    # only people who wrote something in the analysed rows, numbered densely
    used = np.flatnonzero(np.bincount(tab.sender, minlength=len(tab.names)))
    dense = np.full(len(tab.names), -1, dtype=np.int64)
    dense[used] = np.arange(len(used))
    names = [tab.names[int(i)] for i in used]
    roster = {nm: config.staff_for_sender(nm) for nm in names}
    prepared = Prepared(
        tab=tab,
        period=period,
        day0=day0,
        day1=day1,
        ts=ts,
        ts_ns=ts_ns,
        inside=inside,
        outside=~inside,
        day_code=day_code,
        di=days_abs - (day0 if day0 is not None else 0),
        hour=tod // NS_HOUR,
        weekday=(days_abs + 3) % 7,  # day 0 was a Thursday
        late=late_mask(tod, config.late_night_start, config.late_night_end),
        codes=dense[tab.sender],
        names=names,
        is_staff=np.array([roster[nm] is not None for nm in names], dtype=bool),
        roster=roster,
        src_names=[c.meta.source_name for c in chats],
        system=system,
    )
    return prepared, counts_by_kind
