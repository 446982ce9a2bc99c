"""From message tables to findings: counts, out-of-hours share, bursts, staff contact, flags.

Definitions (also written into ``Findings.settings`` so a report can quote them):

* **Messages** are rows written by a person: kinds text, media and deleted. System events
  (joins, "messages are end-to-end encrypted", ...) appear in ``counts_by_kind`` and the period
  but in no other count.
* **Out of hours**: not inside the working hours of `WorkingCalendar` (weekends, bank holidays,
  school holidays and INSET days are out of hours all day).
* **Late night**: time of day in ``[late_night_start, late_night_end)``, crossing midnight when
  start is after end (default 22:00-06:00: 22:00 counts, 06:00 does not).
* **Burst** (the policy's "frequent messages"): take one sender's messages in one chat in time
  order. Every run of N consecutive messages (N = ``burst_min_messages``) whose first and last
  are at most M minutes apart (M = ``burst_window_minutes``; exactly M counts) is a qualifying
  window. Qualifying windows that share at least one message join; each maximal chain is one
  burst. So a burst has at least N messages, every message in it belongs to a run of N that
  took at most M minutes, and two bursts never share a message (a long burst may go on for
  more than M minutes). Messages by other people in between do not break a burst.
* **One-to-one chat**: exactly two people wrote in it ("one-sender" when only one did: the
  other side is then unknown and a warning says so). In a one-to-one chat with a member of
  staff on the roster, every message by the other person is **direct** contact with that
  member of staff. A message by someone not on the roster that names a member of staff (any
  name or alias, whole words, any capitals; or ``@`` and their phone number) is a **mention**
  of them, except the member of staff a one-to-one chat is with (that is direct contact).
* **Review flags**: messages (text or media caption) containing a lexicon term, one flag per
  message and category, with the first matching term. With ``staff_named`` on, every
  mention (as defined above) is also flagged, category ``staff-named``, term the roster name.
  A flag is a prompt for a human to read the message, never a verdict. Excerpts (about 120
  characters around the term) only when asked for.

Everything is computed with pandas/numpy on whole columns; Python loops run only over
senders, sources, bursts, flags or staff, never over messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from chat_review.calendar import DAY_TYPES
from chat_review.reader.chat import KINDS, Chat

from .findings import (
    Burst,
    Findings,
    Participant,
    Period,
    ReviewFlag,
    SenderStats,
    SourceInfo,
    StaffContact,
)
from .lexicon import STAFF_CATEGORY, Entry, TermMatcher, excerpt

if TYPE_CHECKING:
    from chat_review.config import Config, StaffMember

_NS_DAY = 86_400 * 10**9
_NS_HOUR = 3_600 * 10**9
_NS_MIN = 60 * 10**9
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_WEEKEND = DAY_TYPES.index("weekend")
_BANK = DAY_TYPES.index("bank-holiday")
_SCHOOL = DAY_TYPES.index("school-holiday")
_SCANNED_KINDS = ("text", "media")

Progress = Callable[[str], Any] | None

STEPS = ["combine", "calendar", "senders", "timeline", "staff", "bursts", "flags", "done"]


def _step(progress: Progress, name: str) -> None:
    if progress is not None:
        progress(name)


def _dt(value: Any) -> datetime | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime()


def _pydatetimes(values: np.ndarray) -> list[datetime]:
    """datetime64 values as Python datetimes, converted in one C-level pass."""
    return list(pd.DatetimeIndex(values).to_pydatetime())


def _tod_ns(hhmm: str) -> int:
    t = time.fromisoformat(hhmm)
    return (t.hour * 60 + t.minute) * _NS_MIN


def _source_info(chat: Chat) -> SourceInfo:
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
        messages=len(chat.messages),
        window_dropped=m.window_dropped,
        warnings=list(m.warnings),
    )


def _source_warnings(chat: Chat) -> list[str]:
    m = chat.meta
    out = [f"{m.source_name}: {w}" for w in m.warnings]
    if m.date_order_ambiguous and not any("date order" in w.lower() for w in m.warnings):
        out.append(
            f"{m.source_name}: the date order could not be proved from the export and was "
            f"taken as {m.date_order} ({m.date_order_rule}); check a few dates against the phone."
        )
    return out


class _Rows:
    """All exports' rows as parallel numpy arrays (the analysis never needs a per-row object).

    ``sender`` holds codes into ``names`` (-1 for system events), ``kind`` codes into ``kinds``
    and ``src`` the index of the export each row came from.
    """

    def __init__(self, chats: Sequence[Chat]) -> None:
        ts, sender, kind, text, line, src = [], [], [], [], [], []
        names: dict[str, int] = {}
        kinds: dict[str, int] = {k: i for i, k in enumerate(KINDS)}
        for i, chat in enumerate(chats):
            df = chat.messages
            ts.append(df["timestamp"].to_numpy(dtype="datetime64[ns]"))
            # sender names: factorise per export, then map the few distinct names to one code
            codes, uniques = pd.factorize(df["sender"], use_na_sentinel=True)
            remap = np.array(
                [names.setdefault(str(u), len(names)) for u in uniques] + [-1], dtype=np.int64
            )
            sender.append(remap[codes])  # code -1 indexes the trailing -1
            k = df["kind"]
            if isinstance(k.dtype, pd.CategoricalDtype):
                cats = [kinds.setdefault(str(c), len(kinds)) for c in k.cat.categories]
                kc = np.array(cats + [-1], dtype=np.int64)[k.cat.codes.to_numpy()]
            else:
                kc_codes, kc_uniques = pd.factorize(k.astype(object))
                cats = [kinds.setdefault(str(c), len(kinds)) for c in kc_uniques]
                kc = np.array(cats + [-1], dtype=np.int64)[kc_codes]
            kind.append(kc)
            text.append(df["text"].to_numpy(dtype=object, na_value=""))
            line.append(df["line"].to_numpy(dtype=np.int64))
            src.append(np.full(len(df), i, dtype=np.int64))

        def cat(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
            return np.concatenate(parts) if parts else np.array([], dtype=dtype)

        self.ts = cat(ts, "datetime64[ns]")
        self.sender = cat(sender, np.int64)
        self.kind = cat(kind, np.int64)
        self.text = cat(text, object)
        self.line = cat(line, np.int64)
        self.src = cat(src, np.int64)
        self.names = list(names)
        self.kinds = list(kinds)

    def take(self, mask: np.ndarray) -> None:
        for attr in ("ts", "sender", "kind", "text", "line", "src"):
            setattr(self, attr, getattr(self, attr)[mask])


def _overlap_warnings(chats: Sequence[Chat], tab: _Rows) -> list[str]:
    """Warn when exports overlap: the same file twice, or the same messages in two exports
    (e.g. two parents each exported one group). Overlapping messages are counted once per
    export, which doubles them in every figure, so the reader of the report must know."""
    out = []
    first_by_sha: dict[str, str] = {}
    for c in chats:
        name, sha = c.meta.source_name, c.meta.sha256
        if sha not in first_by_sha:
            first_by_sha[sha] = name
            continue
        same = (
            "was given twice"
            if first_by_sha[sha] == name
            else (f"is the same file as {first_by_sha[sha]}")
        )
        out.append(f"{name}: {same}; its messages are counted twice, so analyse it once.")
    # cheap integer keys first; texts are compared only where time and sender coincide
    t_ns = tab.ts.astype(np.int64)
    key = t_ns * 7919 + tab.sender  # may collide; only narrows down, the exact check follows
    maybe = pd.Series(key).duplicated(keep=False).to_numpy()
    if maybe.any():
        frame = pd.DataFrame(
            {"t": t_ns[maybe], "s": tab.sender[maybe], "src": tab.src[maybe], "x": tab.text[maybe]}
        )
        per_key = frame.groupby(["t", "s", "x"], sort=False)["src"].nunique()
        shared = int((per_key > 1).sum())
        if shared:
            out.append(
                f"{shared} messages appear in more than one export (the same chat exported "
                "twice?); each copy is counted, so check the exports before relying on totals."
            )
    return out


# -- bursts -------------------------------------------------------------------------------------


def find_bursts(
    group: np.ndarray, ts_ns: np.ndarray, min_messages: int, window_minutes: int
) -> np.ndarray:
    """Burst id per row (-1 = not in a burst) for rows already sorted by (group, time).

    A window of ``min_messages`` consecutive rows of one group whose first and last timestamps
    are at most ``window_minutes`` apart qualifies; qualifying windows sharing a row join into
    one burst (see the module docstring). Pure numpy: shifts and a cumulative sum.
    """
    n = len(ts_ns)
    out = np.full(n, -1, dtype=np.int64)
    k = min_messages
    if n < k or k < 2:
        return out
    limit = window_minutes * _NS_MIN
    # valid[i]: the window i .. i+k-1 qualifies
    valid = np.zeros(n, dtype=bool)
    valid[: n - k + 1] = (group[k - 1 :] == group[: n - k + 1]) & (
        ts_ns[k - 1 :] - ts_ns[: n - k + 1] <= limit
    )
    # link[i] (i >= 1): some qualifying window contains rows i-1 and i,
    # i.e. a valid start s with i-k+1 <= s <= i-1.
    cs = np.concatenate(([0], np.cumsum(valid)))
    idx = np.arange(n)
    lo = np.maximum(idx - k + 1, 0)
    link = (cs[idx] - cs[lo]) > 0
    link[0] = False
    member = link | np.concatenate((link[1:], [False]))
    starts = member & ~link
    ids = np.cumsum(starts) - 1
    out[member] = ids[member]
    return out


# -- staff --------------------------------------------------------------------------------------


def _staff_entries(staff: Sequence[StaffMember]) -> list[Entry]:
    from chat_review.config import normalise_phone

    entries = []
    for m in staff:
        for name in m.names:
            entries.append(Entry(name, STAFF_CATEGORY, m.name))
        for phone in m.phones:
            national = normalise_phone(phone)
            variants = {national}
            if national.startswith("0"):
                variants |= {"44" + national[1:], "+44" + national[1:]}
            for v in variants:
                entries.append(Entry("@" + v, STAFF_CATEGORY, m.name))
    return entries


# -- the analysis -------------------------------------------------------------------------------


def _day(day_number: int) -> date:
    """A day number (days since 1970-01-01) as a date."""
    return date.fromordinal(_EPOCH_ORDINAL + int(day_number))


@dataclass
class _Prepared:
    """The messages written by people, as arrays, with everything the steps share."""

    tab: _Rows
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

    @property
    def n(self) -> int:
        return len(self.ts)

    @property
    def ndays(self) -> int:
        return self.period.days


def _prepare(
    chats: Sequence[Chat], config: Config, warnings: list[str]
) -> tuple[_Prepared, dict[str, int]]:
    """Combine the exports, keep what people wrote, and work the calendar out once."""
    tab = _Rows(chats)
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
        day0, day1 = first_ns // _NS_DAY, last_ns // _NS_DAY
        period = Period(
            _dt(np.datetime64(first_ns, "ns")),
            _dt(np.datetime64(last_ns, "ns")),
            int(day1 - day0 + 1),
        )

    tab.take((tab.kind != tab.kinds.index("system")) & (tab.sender >= 0) & ~nat)
    if len(chats) > 1:
        warnings += _overlap_warnings(chats, tab)

    ts = tab.ts
    ts_ns = ts.astype(np.int64)
    inside, day_code = config.calendar.classify(ts)
    days_abs = ts_ns // _NS_DAY
    tod = ts_ns - days_abs * _NS_DAY
    ln_start, ln_end = _tod_ns(config.late_night_start), _tod_ns(config.late_night_end)
    if ln_start > ln_end:  # the window crosses midnight
        late = (tod >= ln_start) | (tod < ln_end)
    else:
        late = (tod >= ln_start) & (tod < ln_end)

    # only people who wrote something in the analysed rows, numbered densely
    used = np.flatnonzero(np.bincount(tab.sender, minlength=len(tab.names)))
    dense = np.full(len(tab.names), -1, dtype=np.int64)
    dense[used] = np.arange(len(used))
    names = [tab.names[int(i)] for i in used]
    roster = {nm: config.staff_for_sender(nm) for nm in names}
    prepared = _Prepared(
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
        hour=tod // _NS_HOUR,
        weekday=(days_abs + 3) % 7,  # day 0 was a Thursday
        late=late,
        codes=dense[tab.sender],
        names=names,
        is_staff=np.array([roster[nm] is not None for nm in names], dtype=bool),
        roster=roster,
        src_names=[c.meta.source_name for c in chats],
    )
    return prepared, counts_by_kind


def _sender_grids(p: _Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Messages per sender and day (all, and out of hours): two senders x days matrices."""
    nsend, ndays = len(p.names), p.ndays
    key = p.codes * ndays + p.di
    grid = np.bincount(key, minlength=nsend * ndays).reshape(nsend, ndays)
    grid_out = np.bincount(key[p.outside], minlength=nsend * ndays).reshape(nsend, ndays)
    return grid, grid_out


def _sender_stats(p: _Prepared, grid: np.ndarray) -> list[SenderStats]:
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
                busiest_day=_day(int(p.day0 or 0) + busiest),
                busiest_day_count=int(row[busiest]),
                median_per_active_day=float(np.median(active)),
                first=_dt(first_last.loc[i, "min"]),
                last=_dt(first_last.loc[i, "max"]),
            )
        )
    senders.sort(key=lambda s: (-s.messages, s.sender))
    return senders


def _timelines(
    p: _Prepared, grid: np.ndarray, grid_out: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """daily, daily_by_sender, weekday_hour, weekday_hour_by_sender (see `Findings`)."""
    ndays, nsend = p.ndays, len(p.names)
    if ndays:
        dates = pd.date_range(
            pd.Timestamp(int(p.day0 or 0) * _NS_DAY),
            periods=ndays,
            freq="D",
            name="date",
            unit="ns",
        )
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
    weekday_hour = pd.DataFrame(
        np.bincount(cell, minlength=168).astype(np.int64).reshape(7, 24),
        index=pd.RangeIndex(7, name="weekday"),
        columns=pd.RangeIndex(24, name="hour"),
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
    return daily, daily_by_sender.reset_index(drop=True), weekday_hour, weekday_hour_by_sender


def _chat_types(p: _Prepared, sources: list[SourceInfo], warnings: list[str]) -> dict[int, int]:
    """Set each source's chat type and staff member; return {source index: sender code of
    the other person} for one-to-one chats with exactly one member of staff."""
    nsend = max(len(p.names), 1)
    src = p.tab.src
    pairs = np.unique(src * nsend + p.codes) if p.n else np.array([], dtype=np.int64)
    members_of: dict[int, list[int]] = {}
    for pair in pairs.tolist():
        members_of.setdefault(pair // nsend, []).append(pair % nsend)
    other_of: dict[int, int] = {}
    for i, info in enumerate(sources):
        members = members_of.get(i, [])
        info.chat_type = {0: None, 1: "one-sender", 2: "one-to-one"}.get(len(members), "group")
        if len(members) == 1 and not p.is_staff[members[0]]:
            warnings.append(
                f"{info.name}: only {p.names[members[0]]} wrote in this chat, so chat-review "
                "cannot tell whether it is a one-to-one chat with a member of staff; their "
                "messages are not counted as direct contact with staff."
            )
        staff_side = [c for c in members if p.is_staff[c]]
        if len(members) == 2 and len(staff_side) == 1:
            member = p.roster[p.names[staff_side[0]]]
            assert member is not None
            info.staff = member.name
            other_of[i] = members[0] if members[1] == staff_side[0] else members[1]
    return other_of


def _term_hits(p: _Prepared, config: Config) -> pd.DataFrame:
    """Lexicon terms and staff names/phones found in text and media messages; column ``row``
    is the message's position in the prepared arrays."""
    tab = p.tab
    scan_pos = np.flatnonzero(np.isin(tab.kind, [tab.kinds.index(k) for k in _SCANNED_KINDS]))
    lex = config.lexicon
    entries = [Entry(t, cat, t) for cat, terms in lex.categories.items() for t in terms]
    matcher = TermMatcher(entries + _staff_entries(config.staff))
    hits = matcher.scan(tab.text[scan_pos])
    hits["row"] = scan_pos[hits["pos"].to_numpy()] if len(hits) else np.array([], np.int64)
    return hits


def _staff_contact(
    p: _Prepared, sources: list[SourceInfo], other_of: dict[int, int], hits: pd.DataFrame
) -> tuple[list[StaffContact], np.ndarray, pd.DataFrame]:
    """Direct contact (one-to-one chats with staff) and mentions (naming staff elsewhere).

    Returns the contacts, a per-message "is contact with staff" mask (for bursts), and the
    mention hits (for staff-named flags)."""
    src = p.tab.src
    mentions = hits[hits["category"] == STAFF_CATEGORY]
    mentions = mentions[~p.is_staff[p.codes[mentions["row"].to_numpy()]]]
    mentions = mentions.drop_duplicates(["row", "label"])
    # a mention of the very person a one-to-one chat is with is already direct contact
    direct_by_src = np.array(
        [s.staff if i in other_of else None for i, s in enumerate(sources)] + [None], dtype=object
    )
    m_rows = mentions["row"].to_numpy()
    m_staff = mentions["label"].to_numpy(dtype=object)
    keep = direct_by_src[src[m_rows]] != m_staff if len(m_rows) else np.zeros(0, bool)
    mentions = mentions[keep]

    rows_parts = [m_rows[keep]]
    staff_parts = [m_staff[keep]]
    mode_parts = [np.full(int(keep.sum()), "mention", dtype=object)]
    for i, other in other_of.items():
        rows = np.flatnonzero((src == i) & (p.codes == other))
        rows_parts.append(rows)
        staff_parts.append(np.full(len(rows), sources[i].staff, dtype=object))
        mode_parts.append(np.full(len(rows), "direct", dtype=object))
    rows = np.concatenate(rows_parts).astype(np.int64)
    contact_row = np.zeros(p.n, dtype=bool)
    contact_row[rows] = True
    if not len(rows):
        return [], contact_row, mentions

    ev = pd.DataFrame(
        {
            "sender": p.codes[rows],
            "staff": np.concatenate(staff_parts),
            "mode": np.concatenate(mode_parts),
            "out": p.outside[rows],
            "day": p.di[rows],
            "hour": p.hour[rows],
            "src": src[rows],
        }
    )
    contacts = []
    for (sender, staff, mode), g in ev.groupby(["sender", "staff", "mode"], sort=True):
        per_day = g["day"].value_counts().sort_index()
        contacts.append(
            StaffContact(
                sender=p.names[int(sender)],
                staff=str(staff),
                mode=str(mode),
                contacts=len(g),
                out_of_hours=int(g["out"].sum()),
                by_day={
                    _day(int(p.day0 or 0) + int(d)).isoformat(): int(c) for d, c in per_day.items()
                },
                by_hour=[int(x) for x in np.bincount(g["hour"], minlength=24)],
                sources=sorted({p.src_names[int(s)] for s in g["src"].unique()}),
            )
        )
    contacts.sort(key=lambda c: (-c.contacts, c.staff, c.sender, c.mode))
    return contacts, contact_row, mentions


def _bursts(p: _Prepared, contact_row: np.ndarray, config: Config) -> list[Burst]:
    """Bursts per sender and chat (see `find_bursts`), in time order."""
    if not p.n:
        return []
    src, lines = p.tab.src, p.tab.line
    group = src * len(p.names) + p.codes
    order = np.lexsort((lines, p.ts_ns, group))
    bid = find_bursts(
        group[order], p.ts_ns[order], config.burst_min_messages, config.burst_window_minutes
    )
    inb = bid >= 0
    if not inb.any():
        return []
    rows = order[inb]
    ids = bid[inb]
    nb = int(ids.max()) + 1
    count = np.bincount(ids, minlength=nb)
    out = np.bincount(ids, weights=p.outside[rows], minlength=nb).astype(np.int64)
    at_staff = np.bincount(ids, weights=contact_row[rows], minlength=nb) > 0
    bounds = np.concatenate(([0], np.cumsum(count)))
    line_chunks = np.split(lines[rows], bounds[1:-1])
    first_rows = rows[bounds[:-1]]
    starts = _pydatetimes(p.ts[first_rows])
    ends = _pydatetimes(p.ts[rows[bounds[1:] - 1]])
    bursts = [
        Burst(
            sender=p.names[int(p.codes[fr])],
            start=starts[b],
            end=ends[b],
            count=int(count[b]),
            lines=[int(x) for x in line_chunks[b]],
            source=p.src_names[int(src[fr])],
            out_of_hours=int(out[b]),
            at_staff=bool(at_staff[b]),
        )
        for b, fr in enumerate(first_rows.tolist())
    ]
    bursts.sort(key=lambda b: (b.start, b.source, b.lines[0]))
    return bursts


def _flags(
    p: _Prepared, hits: pd.DataFrame, mentions: pd.DataFrame, config: Config, excerpts: bool
) -> list[ReviewFlag]:
    """One flag per message and category (the first term in it), in time order."""
    chosen = hits[hits["category"] != STAFF_CATEGORY]
    if config.lexicon.staff_named and len(mentions):
        chosen = pd.concat([chosen, mentions], ignore_index=True)
    chosen = chosen.sort_values(["row", "start"], kind="stable").drop_duplicates(
        ["row", "category"]
    )
    if not len(chosen):
        return []
    rows = chosen["row"].to_numpy()
    lines, src = p.tab.line, p.tab.src
    # time order, then export, line and category (a numpy sort, no Python key)
    order = np.lexsort(
        (chosen["category"].to_numpy(dtype=str), lines[rows], src[rows], p.ts_ns[rows])
    )
    chosen, rows = chosen.iloc[order], rows[order]
    times = _pydatetimes(p.ts[rows])
    texts = p.tab.text[rows] if excerpts else None
    return [
        ReviewFlag(
            timestamp=times[j],
            sender=p.names[int(p.codes[r])],
            line=int(lines[r]),
            source=p.src_names[int(src[r])],
            category=str(category),
            term=str(term),
            excerpt=excerpt(str(texts[j]), int(start)) if texts is not None else None,
        )
        for j, (r, category, term, start) in enumerate(
            zip(
                rows.tolist(),
                chosen["category"].tolist(),
                chosen["label"].tolist(),
                chosen["start"].tolist(),
                strict=True,
            )
        )
    ]


def _settings(config: Config, excerpts: bool) -> dict[str, Any]:
    """The rules applied, in words a report can quote."""
    lex = config.lexicon
    nmin, mwin = config.burst_min_messages, config.burst_window_minutes
    return {
        "burst": {
            "min_messages": nmin,
            "within_minutes": mwin,
            "rule": (
                f"{nmin} or more messages in a row by one sender in one chat, the first and "
                f"last of them at most {mwin} minutes apart; runs that share a message join "
                "into one burst"
            ),
        },
        "late_night": [config.late_night_start, config.late_night_end],
        "lexicon": lex.source,
        "lexicon_categories": sorted(lex.categories)
        + ([STAFF_CATEGORY] if lex.staff_named and config.staff else []),
        "staff": [m.name for m in config.staff],
        "config": config.source,
        "excerpts": bool(excerpts),
        "counted": (
            "messages written by people (text, media, deleted); system events are left out"
        ),
        "mention_rule": (
            "a message by someone not on the staff roster that names a member of staff (any "
            "name or alias as a whole word, or @ and their phone number), outside a one-to-one "
            "chat with that person"
        ),
        "flags_note": "a flag is a prompt for a human to read the message, never a verdict",
    }


def analyse(
    chats: list[Chat],
    config: Config,
    *,
    excerpts: bool = False,
    progress: Progress = None,
) -> Findings:
    """Turn one or more parsed exports into `Findings` under the given settings.

    Several exports (e.g. one member of staff's one-to-one chats) are combined into one set of
    findings; every burst, flag and staff contact keeps the export it came from. ``excerpts``
    adds short message excerpts to review flags (off by default: data minimisation).
    ``progress`` is called with each name in ``STEPS``, in order, as the step starts.
    An empty input, or exports with no messages, gives valid empty findings.
    """
    chats = list(chats)
    _step(progress, "combine")
    sources = [_source_info(c) for c in chats]
    warnings = [w for c in chats for w in _source_warnings(c)]
    p, counts_by_kind = _prepare(chats, config, warnings)

    _step(progress, "calendar")
    if p.day0 is not None:
        calendar = config.calendar.describe(_day(p.day0), _day(int(p.day1 or p.day0)))
    else:
        calendar = config.calendar.describe(date.today(), date.today())
        calendar.update({"from": None, "to": None, "bank_holidays": [], "closures": []})

    _step(progress, "senders")
    grid, grid_out = _sender_grids(p)
    senders = _sender_stats(p, grid)

    _step(progress, "timeline")
    daily, daily_by_sender, weekday_hour, weekday_hour_by_sender = _timelines(p, grid, grid_out)

    _step(progress, "staff")
    other_of = _chat_types(p, sources, warnings)
    hits = _term_hits(p, config)
    staff_contact, contact_row, mentions = _staff_contact(p, sources, other_of, hits)

    _step(progress, "bursts")
    bursts = _bursts(p, contact_row, config)

    _step(progress, "flags")
    flags = _flags(p, hits, mentions, config, excerpts)

    _step(progress, "done")
    return Findings(
        sources=sources,
        period=p.period,
        counts_by_kind=counts_by_kind,
        participants=[Participant(s.sender, s.is_staff, s.messages) for s in senders],
        senders=senders,
        daily_by_sender=daily_by_sender,
        daily=daily,
        weekday_hour=weekday_hour,
        weekday_hour_by_sender=weekday_hour_by_sender,
        bursts=bursts,
        staff_contact=staff_contact,
        flags=flags,
        calendar=calendar,
        settings=_settings(config, excerpts),
        warnings=warnings,
        total_messages=p.n,
        out_of_hours_messages=int(p.outside.sum()),
    )
