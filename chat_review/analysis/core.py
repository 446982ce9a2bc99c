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
  burst. So a burst has at least N messages, every N consecutive messages in it span at most M
  minutes, and two bursts never share a message. Messages by other people in between do not
  break a burst.
* **One-to-one chat**: exactly two people wrote in it. In a one-to-one chat with a member of
  staff on the roster, every message by the other person is **direct** contact with that
  member of staff. In any other chat, a message by someone not on the roster that names a
  member of staff (any name or alias, whole words, any capitals; or ``@`` and their phone
  number) is a **mention** of them.
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
        same = "was given twice" if first_by_sha[sha] == name else (
            f"is the same file as {first_by_sha[sha]}"
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
    ``progress`` is called with a step name (see ``STEPS``) between the major steps.
    An empty input, or exports with no messages, gives valid empty findings.
    """
    chats = list(chats)
    cal = config.calendar
    _step(progress, "combine")
    sources = [_source_info(c) for c in chats]
    src_names = [c.meta.source_name for c in chats]
    warnings = [w for c in chats for w in _source_warnings(c)]
    tab = _Rows(chats)

    kind_counts = np.bincount(tab.kind[tab.kind >= 0], minlength=len(tab.kinds))
    counts_by_kind = {k: int(kind_counts[i]) for i, k in enumerate(tab.kinds)}

    nat = np.isnat(tab.ts)
    if nat.any():
        warnings.append(
            f"{int(nat.sum())} messages had no readable time and were left out of the counts."
        )
    if (~nat).any():
        first_ns = int(tab.ts[~nat].astype(np.int64).min())
        last_ns = int(tab.ts[~nat].astype(np.int64).max())
        day0, day1 = first_ns // _NS_DAY, last_ns // _NS_DAY
        period = Period(
            _dt(np.datetime64(first_ns, "ns")),
            _dt(np.datetime64(last_ns, "ns")),
            int(day1 - day0 + 1),
        )
    else:
        day0 = day1 = None
        period = Period(None, None, 0)

    system = tab.kinds.index("system")
    tab.take((tab.kind != system) & (tab.sender >= 0) & ~nat)
    n = len(tab.ts)
    ts = tab.ts
    ts_ns = ts.astype(np.int64)
    if len(chats) > 1:
        warnings += _overlap_warnings(chats, tab)

    # -- calendar, once per message ------------------------------------------------------------
    _step(progress, "calendar")
    inside, day_code = cal.classify(ts)
    outside = ~inside
    days_abs = ts_ns // _NS_DAY
    tod = ts_ns - days_abs * _NS_DAY
    di = days_abs - (day0 if day0 is not None else 0)
    ndays = period.days
    weekday = (days_abs + 3) % 7
    hour = tod // _NS_HOUR
    ln_start, ln_end = _tod_ns(config.late_night_start), _tod_ns(config.late_night_end)
    if ln_start > ln_end:
        late = (tod >= ln_start) | (tod < ln_end)
    else:
        late = (tod >= ln_start) & (tod < ln_end)
    weekend = day_code == _WEEKEND
    holiday = (day_code == _BANK) | (day_code == _SCHOOL)

    # -- senders ------------------------------------------------------------------------------
    _step(progress, "senders")
    # only people who wrote something in the analysed rows, numbered densely
    used = np.flatnonzero(np.bincount(tab.sender, minlength=len(tab.names)))
    dense = np.full(len(tab.names), -1, dtype=np.int64)
    dense[used] = np.arange(len(used))
    codes = dense[tab.sender]
    names = [tab.names[int(i)] for i in used]
    nsend = len(names)
    roster = {nm: config.staff_for_sender(nm) for nm in names}
    is_staff = np.array([roster[nm] is not None for nm in names], dtype=bool)

    def per_sender(mask: np.ndarray | None = None) -> np.ndarray:
        c = codes if mask is None else codes[mask]
        return np.bincount(c, minlength=nsend).astype(np.int64)

    count = per_sender()
    ooh = per_sender(outside)
    wknd = per_sender(weekend)
    hol = per_sender(holiday)
    latec = per_sender(late)
    grid = np.bincount(codes * ndays + di, minlength=nsend * ndays).reshape(nsend, max(ndays, 0))
    grid_out = np.bincount(
        codes[outside] * ndays + di[outside], minlength=nsend * ndays
    ).reshape(nsend, max(ndays, 0))
    first_last = pd.DataFrame({"c": codes, "t": ts}).groupby("c")["t"].agg(["min", "max"])

    senders: list[SenderStats] = []
    for i, nm in enumerate(names):
        row = grid[i]
        active = row[row > 0]
        busiest = int(row.argmax())
        senders.append(
            SenderStats(
                sender=nm,
                is_staff=bool(is_staff[i]),
                messages=int(count[i]),
                out_of_hours=int(ooh[i]),
                out_of_hours_share=float(ooh[i] / count[i]) if count[i] else 0.0,
                weekend=int(wknd[i]),
                holiday=int(hol[i]),
                late_night=int(latec[i]),
                active_days=int(active.size),
                busiest_day=(
                    date.fromordinal(date(1970, 1, 1).toordinal() + int(day0) + busiest)
                ),
                busiest_day_count=int(row[busiest]),
                median_per_active_day=float(np.median(active)),
                first=_dt(first_last.loc[i, "min"]),
                last=_dt(first_last.loc[i, "max"]),
            )
        )
    senders.sort(key=lambda s: (-s.messages, s.sender))
    participants = [Participant(s.sender, s.is_staff, s.messages) for s in senders]

    # -- timelines and the weekday x hour matrix ----------------------------------------------
    _step(progress, "timeline")
    dates = (
        pd.date_range(
            pd.Timestamp(int(day0) * _NS_DAY), periods=ndays, freq="D", name="date", unit="ns"
        )
        if ndays
        else pd.DatetimeIndex([], dtype="datetime64[ns]", name="date")
    )
    daily = pd.DataFrame(
        {
            "in_hours": np.bincount(di[inside], minlength=ndays).astype(np.int64),
            "out_of_hours": np.bincount(di[outside], minlength=ndays).astype(np.int64),
        },
        index=dates,
    )
    sc, dc = np.nonzero(grid)
    daily_by_sender = pd.DataFrame(
        {
            "date": dates[dc] if len(dates) else pd.DatetimeIndex([], dtype="datetime64[ns]"),
            "sender": pd.Series([names[i] for i in sc], dtype=object),
            "in_hours": (grid - grid_out)[sc, dc].astype(np.int64),
            "out_of_hours": grid_out[sc, dc].astype(np.int64),
        }
    )
    daily_by_sender = daily_by_sender.sort_values(["date", "sender"], kind="stable").reset_index(
        drop=True
    )
    cell = weekday * 24 + hour
    weekday_hour = pd.DataFrame(
        np.bincount(cell, minlength=168).astype(np.int64).reshape(7, 24),
        index=pd.RangeIndex(7, name="weekday"),
        columns=pd.RangeIndex(24, name="hour"),
    )
    wh = np.bincount(codes * 168 + cell, minlength=nsend * 168).reshape(nsend, 168)
    s_i, c_i = np.nonzero(wh)
    weekday_hour_by_sender = pd.DataFrame(
        {
            "sender": pd.Series([names[i] for i in s_i], dtype=object),
            "weekday": (c_i // 24).astype(np.int64),
            "hour": (c_i % 24).astype(np.int64),
            "count": wh[s_i, c_i].astype(np.int64),
        }
    )

    # -- staff: one-to-one chats and mentions -------------------------------------------------
    _step(progress, "staff")
    src = tab.src
    pairs = np.unique(src * max(nsend, 1) + codes) if n else np.array([], dtype=np.int64)
    senders_in: dict[int, list[int]] = {}
    for p in pairs.tolist():
        senders_in.setdefault(p // max(nsend, 1), []).append(p % max(nsend, 1))
    direct_staff: dict[int, str] = {}  # source index -> roster name
    direct_other: dict[int, int] = {}  # source index -> sender code of the other person
    for i, info in enumerate(sources):
        members = senders_in.get(i, [])
        info.chat_type = {0: None, 1: "one-sender", 2: "one-to-one"}.get(len(members), "group")
        if len(members) == 1 and not is_staff[members[0]]:
            warnings.append(
                f"{info.name}: only {names[members[0]]} wrote in this chat, so chat-review "
                "cannot tell whether it is a one-to-one chat with a member of staff; their "
                "messages are not counted as direct contact with staff."
            )
        if len(members) == 2:
            staff_side = [c for c in members if is_staff[c]]
            if len(staff_side) == 1:
                other = members[0] if members[1] == staff_side[0] else members[1]
                member = roster[names[staff_side[0]]]
                assert member is not None
                direct_staff[i] = member.name
                direct_other[i] = other
                info.staff = member.name

    scanned = np.isin(tab.kind, [tab.kinds.index(k) for k in _SCANNED_KINDS])
    scan_pos = np.flatnonzero(scanned)
    lex = config.lexicon
    entries = [
        Entry(term, cat, term) for cat, terms in lex.categories.items() for term in terms
    ] + _staff_entries(config.staff)
    matcher = TermMatcher(entries)
    texts = tab.text
    hits = matcher.scan(texts[scan_pos])
    hits["row"] = scan_pos[hits["pos"].to_numpy()] if len(hits) else np.array([], np.int64)
    staff_hits = hits[hits["category"] == STAFF_CATEGORY]
    staff_hits = staff_hits[~is_staff[codes[staff_hits["row"].to_numpy()]]]
    staff_hits = staff_hits.drop_duplicates(["row", "label"])

    # contact events: (row, staff, mode)
    ev_rows: list[np.ndarray] = []
    ev_staff: list[np.ndarray] = []
    ev_mode: list[str] = []
    for s_idx, staff_name in direct_staff.items():
        rows = np.flatnonzero((src == s_idx) & (codes == direct_other[s_idx]))
        ev_rows.append(rows)
        ev_staff.append(np.full(len(rows), staff_name, dtype=object))
        ev_mode += ["direct"] * len(rows)
    if len(staff_hits):
        m_rows = staff_hits["row"].to_numpy()
        m_staff = staff_hits["label"].to_numpy(dtype=object)
        # a mention of the very person a one-to-one chat is with is already direct contact
        direct_by_src = np.array([direct_staff.get(i) for i in range(len(sources))], dtype=object)
        d_of_row = direct_by_src[src[m_rows]]
        keep = d_of_row != m_staff
        staff_hits = staff_hits[keep]  # the staff-named review flags are these mentions
        ev_rows.append(m_rows[keep])
        ev_staff.append(m_staff[keep])
        ev_mode += ["mention"] * int(keep.sum())
    contact_row = np.zeros(n, dtype=bool)
    staff_contact: list[StaffContact] = []
    if ev_rows and sum(len(r) for r in ev_rows):
        rows = np.concatenate(ev_rows)
        contact_row[rows] = True
        ev = pd.DataFrame(
            {
                "row": rows,
                "sender": codes[rows],
                "staff": np.concatenate(ev_staff),
                "mode": np.array(ev_mode, dtype=object),
                "out": outside[rows],
                "day": di[rows],
                "hour": hour[rows],
                "src": src[rows],
            }
        )
        for (sc_, st_, mode_), g in ev.groupby(["sender", "staff", "mode"], sort=True):
            by_day_counts = g["day"].value_counts().sort_index()
            staff_contact.append(
                StaffContact(
                    sender=names[int(sc_)],
                    staff=str(st_),
                    mode=str(mode_),
                    contacts=len(g),
                    out_of_hours=int(g["out"].sum()),
                    by_day={
                        date.fromordinal(
                            date(1970, 1, 1).toordinal() + int(day0) + int(d)
                        ).isoformat(): int(c)
                        for d, c in by_day_counts.items()
                    },
                    by_hour=[int(x) for x in np.bincount(g["hour"], minlength=24)],
                    sources=sorted({src_names[int(s)] for s in g["src"].unique()}),
                )
            )
        staff_contact.sort(key=lambda c: (-c.contacts, c.staff, c.sender, c.mode))

    # -- bursts -------------------------------------------------------------------------------
    _step(progress, "bursts")
    lines = tab.line
    bursts: list[Burst] = []
    if n:
        group = src * nsend + codes
        order = np.lexsort((lines, ts_ns, group))
        bid = find_bursts(
            group[order], ts_ns[order], config.burst_min_messages, config.burst_window_minutes
        )
        inb = bid >= 0
        if inb.any():
            rows_b = order[inb]
            ids = bid[inb]
            nb = int(ids.max()) + 1
            b_count = np.bincount(ids, minlength=nb)
            b_out = np.bincount(ids, weights=outside[rows_b], minlength=nb).astype(np.int64)
            b_staff = np.bincount(ids, weights=contact_row[rows_b], minlength=nb) > 0
            bounds = np.concatenate(([0], np.cumsum(b_count)))
            line_chunks = np.split(lines[rows_b], bounds[1:-1])
            first_rows = rows_b[bounds[:-1]]
            last_rows = rows_b[bounds[1:] - 1]
            b_start = _pydatetimes(ts[first_rows])
            b_end = _pydatetimes(ts[last_rows])
            for b in range(nb):
                fr = int(first_rows[b])
                bursts.append(
                    Burst(
                        sender=names[int(codes[fr])],
                        start=b_start[b],
                        end=b_end[b],
                        count=int(b_count[b]),
                        lines=[int(x) for x in line_chunks[b]],
                        source=src_names[int(src[fr])],
                        out_of_hours=int(b_out[b]),
                        at_staff=bool(b_staff[b]),
                    )
                )
            bursts.sort(key=lambda b: (b.start, b.source, b.lines[0]))

    # -- review flags -------------------------------------------------------------------------
    _step(progress, "flags")
    flag_hits = hits
    if not lex.staff_named or not len(flag_hits):
        flag_hits = flag_hits[flag_hits["category"] != STAFF_CATEGORY]
    else:
        flag_hits = pd.concat(
            [flag_hits[flag_hits["category"] != STAFF_CATEGORY], staff_hits], ignore_index=True
        )
    flag_hits = flag_hits.sort_values(["row", "start"], kind="stable").drop_duplicates(
        ["row", "category"]
    )
    flags: list[ReviewFlag] = []
    if len(flag_hits):
        f_rows = flag_hits["row"].to_numpy()
        # time order, then export, line and category (a stable numpy sort, no Python key)
        order_f = np.lexsort(
            (
                flag_hits["category"].to_numpy(dtype=str),
                lines[f_rows],
                src[f_rows],
                ts_ns[f_rows],
            )
        )
        flag_hits = flag_hits.iloc[order_f]
        f_rows = f_rows[order_f]
        f_time = _pydatetimes(ts[f_rows])
        f_text = texts[f_rows] if excerpts else None
        for j, (r, cat, term, start) in enumerate(
            zip(
                f_rows.tolist(),
                flag_hits["category"].tolist(),
                flag_hits["label"].tolist(),
                flag_hits["start"].tolist(),
                strict=True,
            )
        ):
            flags.append(
                ReviewFlag(
                    timestamp=f_time[j],
                    sender=names[int(codes[r])],
                    line=int(lines[r]),
                    source=src_names[int(src[r])],
                    category=str(cat),
                    term=str(term),
                    excerpt=excerpt(str(f_text[j]), int(start)) if f_text is not None else None,
                )
            )

    # -- settings and calendar ------------------------------------------------------------------
    if day0 is not None:
        d_first = date.fromordinal(date(1970, 1, 1).toordinal() + int(day0))
        d_last = date.fromordinal(date(1970, 1, 1).toordinal() + int(day1))
        calendar = cal.describe(d_first, d_last)
    else:
        calendar = cal.describe(date.today(), date.today())
        calendar.update({"from": None, "to": None, "bank_holidays": [], "closures": []})
    nmin, mwin = config.burst_min_messages, config.burst_window_minutes
    settings: dict[str, Any] = {
        "burst": {
            "min_messages": nmin,
            "within_minutes": mwin,
            "rule": (
                f"at least {nmin} messages by one sender in one chat with every {nmin} in a row "
                f"sent within {mwin} minutes (first to last); overlapping runs join into one "
                "burst"
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
    _step(progress, "done")
    return Findings(
        sources=sources,
        period=period,
        counts_by_kind=counts_by_kind,
        participants=participants,
        senders=senders,
        daily_by_sender=daily_by_sender,
        daily=daily,
        weekday_hour=weekday_hour,
        weekday_hour_by_sender=weekday_hour_by_sender,
        bursts=bursts,
        staff_contact=staff_contact,
        flags=flags,
        calendar=calendar,
        settings=settings,
        warnings=warnings,
        total_messages=int(n),
        out_of_hours_messages=int(outside.sum()),
    )
