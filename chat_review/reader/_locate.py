"""Find message headers with numpy instead of a per-line regex.

`headers.header_pattern` describes a header for one `Signature` as a sequence of elements:
optional direction marks, digit runs of fixed or bounded width, literal text (any of the four
space characters matching any other), the AM/PM marker. Every element stops at a byte the next
element cannot start with (a digit run is never followed by a digit, a mark run never by a
mark), so matching each element greedily, left to right, accepts exactly the lines the
regex accepts. That lets every line start of the file be tested at once, one element at a
time, with array operations — and the digit values fall out of the same pass, so dates and
times never exist as strings.

The one signature where greedy matching could differ from the regex (the year runs straight
into the hour, no separator) is matched with the regex, line by line (`header_spans_regex`).

Most lines never reach the matcher: once it has read a block, the layouts of its headers
(`_layouts`) read every later line that has one, with a few compares (0.16 -> 0.11 s on a
million-message chat).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from . import _byte_words, _layouts
from ._byte_words import words8
from ._matcher import WINDOW_ASCII, WINDOW_WIDE, Read, _Matcher, windows
from .dates import clean
from .headers import AMPM_WORDS, MONTHS, PERIOD_WORDS, Signature, period_ampm


@dataclass
class Headers:
    """The header lines found, in file order (arrays of one entry per message)."""

    line_index: np.ndarray  # 0-based line number of the header
    start: np.ndarray  # byte offset of the header's line
    end: np.ndarray  # byte offset just after the header (where "Name:" would start)
    fields: np.ndarray  # (n, 3) the three date numbers as written
    hour: np.ndarray
    minute: np.ndarray
    second: np.ndarray
    ampm: np.ndarray  # int8: 0 none, 1 AM, 2 PM


_ROWS = _byte_words.ROWS  # candidates matched per block (a 1-2 MiB window)


def greedy_safe(sig: Signature) -> bool:
    """False when the year may run straight into the hour (then only the regex is exact)."""
    return bool(sig.trailing_dot or sig.mid or sig.time_first or sig.era)


def header_spans(buf: bytes, arr: np.ndarray, line_starts: np.ndarray, limit: int,
                 sig: Signature, pattern: re.Pattern[bytes]) -> Headers:
    """Test every line start for a header of ``sig`` at once (``pattern`` is the same header as
    a regex, used for the rare line whose header does not fit the matcher's window)."""
    # a header starts with a digit, '[', a direction mark or an Arabic-Indic digit
    first = arr[np.minimum(line_starts, len(arr) - 1)]
    maybe = ((first >= 0x30) & (first <= 0x39)) | (first == 0x5B) | (first == 0xE2)
    maybe |= (first == 0xEF) | (first == 0xD9) | (first == 0xDB)
    maybe &= line_starts < limit
    cand = np.flatnonzero(maybe)
    w = words8(buf)
    window = WINDOW_WIDE if sig.non_ascii_digits else WINDOW_ASCII
    # layouts learnt in a block serve the blocks after it: a chat of one block has none
    # (learning cost 0.5 ms a chat, 0.03 s over fifty small exports)
    many = len(cand) > _ROWS
    layouts = _layouts.Layouts(sig, window) if many and _layouts.applies(sig) else None
    # every header is a candidate line: each block's headers go straight into arrays of that
    # many rows (blocks kept for one concatenation at the end made the reader's peak 43 MiB
    # higher on a million messages, all of it fresh pages)
    out = _blank(len(cand))
    n = 0
    for lo in range(0, len(cand), _ROWS):
        idx = cand[lo : lo + _ROWS]
        starts = line_starts[idx]
        got = _read_block(windows(buf, w, limit, starts, window), sig, layouts)
        found = _headers(buf, got, starts, idx, limit, pattern)
        k = len(found.start)
        for name in _FIELDS:
            getattr(out, name)[n : n + k] = getattr(found, name)
        n += k
    return _take(out, slice(0, n))


def _read_block(win: np.ndarray, sig: Signature, layouts: _layouts.Layouts | None
                ) -> Read:
    """What each candidate line's first bytes (``win``) hold: lines with a known layout are
    read by it, the others by the greedy matcher, whose headers then teach ``layouts``."""
    if layouts is None:
        return _match(win, sig)
    which = layouts.fit(win)
    rest = np.flatnonzero(which < 0)
    if len(rest) == len(win):
        got = _match(win, sig)
        layouts.learn(win, got)
        return got
    out = layouts.read(win, which)
    if len(rest):
        rest_win = win[rest]
        matched = _match(rest_win, sig)
        out.put(rest, matched)
        layouts.learn(rest_win, matched)
    return out


def _match(win: np.ndarray, sig: Signature) -> Read:
    """The greedy matcher on every row of ``win`` (see the module docstring)."""
    m = _Matcher(win)
    na = sig.non_ascii_digits
    m.marks()
    if sig.bracket:
        m.literal("[")
        m.marks()
    if sig.time_first:
        hour, minute, second, ampm = _time(m, sig, na)
        m.marks()
        m.literal(sig.mid)
        a, b, c = _date(m, sig, na)
    else:
        a, b, c = _date(m, sig, na)
        before, _, after = sig.mid.partition("{p}")
        m.literal(before)
        word = m.word(PERIOD_WORDS) if sig.period else None
        m.literal(after)
        hour, minute, second, ampm = _time(m, sig, na)
        if word is not None:
            ampm = _period_codes(word, hour)
    m.marks()
    if sig.bracket:
        m.literal("]")
        m.space(optional=True)
    else:
        m.literal(sig.close)
    return Read(m.ok, m.overflow, m.pos, np.stack([a, b, c], axis=1), hour, minute,
                         second, ampm)


def _headers(buf: bytes, got: Read, starts: np.ndarray, line_index: np.ndarray,
             limit: int, pattern: re.Pattern[bytes]) -> Headers:
    """The headers of one block (``got``: what its candidate lines hold), in file order; lines
    whose header ran past the window are matched with the regex. (The types are those of
    ``got``: `header_spans` writes them into its own arrays.)"""
    end = starts + got.end
    ok = got.ok & ~got.overflow & (end <= limit)
    every = bool(ok.all())  # (a block of headers only: no copies)
    found = Headers(*(a if every else a[ok] for a in (
        line_index, starts, end, got.fields, got.hour, got.minute, got.second, got.ampm)))
    over = np.flatnonzero(got.overflow)
    if not len(over):
        return found
    slow = header_spans_regex(buf, starts[over], limit, pattern)
    slow.line_index = line_index[over][slow.line_index]
    both = _concat([found, slow])
    order = np.argsort(both.start, kind="stable")
    return _take(both, order)


def _date(m: _Matcher, sig: Signature, na: bool) -> tuple[np.ndarray, ...]:
    """The three date fields (a Japanese-era letter or " BE" around the year is consumed)."""
    a = m.digits(4, 4, na) if sig.year_first else m.digits(1, 2, na)
    m.marks()
    m.literal(sig.s1)
    m.marks()
    b = m.word(MONTHS) + 1 if sig.month_name else m.digits(1, 2, na)
    m.marks()
    m.literal(sig.s2)
    m.marks()
    if sig.month_name:
        c = m.digits(4, 4, na)
    elif sig.year_first:
        c = m.digits(1, 2, na)
    elif sig.era == "BE":
        c = m.digits(4, 4, na)
        m.literal(" BE")
    elif sig.era:
        m.literal(sig.era)
        c = m.digits(1, 2, na)
    else:
        c = m.digits(2, 4, na, step=2)
    m.marks()
    if sig.trailing_dot:
        m.literal(".")
    return a, b, c


def _time(m: _Matcher, sig: Signature, na: bool) -> tuple[np.ndarray, ...]:
    hour = m.digits(1, 2, na)
    m.literal(sig.time_sep)
    minute = m.digits(2, 2, na)
    if sig.seconds:
        m.literal(sig.time_sep)
        second = m.digits(2, 2, na)
    else:
        second = np.zeros(len(m.pos), dtype=np.int64)
    ampm = m.ampm() if sig.ampm else np.zeros(len(m.pos), dtype=np.int8)
    night = ampm == 3  # "12:05 at night" is a.m., "9:30 at night" p.m.
    ampm[night] = np.where((hour[night] == 12) | (hour[night] < 6), 1, 2)
    return hour, minute, second, ampm


def _period_codes(word: np.ndarray, hour: np.ndarray) -> np.ndarray:
    """AM/PM codes (1/2) from the index of the time-of-day word before each hour."""
    table = np.array([period_ampm(w, 1) for w in PERIOD_WORDS], dtype=np.int8)
    at11 = np.array([period_ampm(w, 11) for w in PERIOD_WORDS], dtype=np.int8)
    idx = np.maximum(word, 0)
    return np.where(hour == 11, at11[idx], table[idx]).astype(np.int8)


def _take(h: Headers, idx: np.ndarray | slice) -> Headers:
    return Headers(*(getattr(h, f)[idx] for f in _FIELDS))


def _blank(n: int) -> Headers:
    """Room for ``n`` headers (not yet written)."""
    return Headers(*(np.empty(n, dtype=np.int64) for _ in range(3)),
                   np.empty((n, 3), dtype=np.int32), *(np.empty(n, dtype=np.int16)
                                                        for _ in range(3)),
                   np.empty(n, dtype=np.int8))


def _concat(parts: list[Headers]) -> Headers:
    if not parts:
        return _blank(0)
    if len(parts) == 1:
        return parts[0]
    cols = []
    for f in _FIELDS:  # one field at a time, so only one column is ever held twice
        cols.append(np.concatenate([getattr(p, f) for p in parts]))
        for p in parts:
            setattr(p, f, None)
    return Headers(*cols)


_FIELDS = ("line_index", "start", "end", "fields", "hour", "minute", "second", "ampm")

_NUM = re.compile(r"[0-9]+")


def header_spans_regex(buf: bytes, line_starts: np.ndarray, limit: int,
                       pattern: re.Pattern[bytes]) -> Headers:
    """The same result as `header_spans`, one regex match per line (exact, slow)."""
    rows = []
    for i, p in enumerate(line_starts.tolist()):
        mt = pattern.match(buf, p, limit)
        if mt is None:
            continue
        d = clean(mt.group(1))
        t = clean(mt.group(2))
        f = [int(x) for x in _NUM.findall(d)[:3]]
        month = next((k for k, x in enumerate(MONTHS, 1) if x in d), None)
        if month is not None and len(f) == 2:  # "28 Aug 2013"
            f.insert(1, month)
        tn = [int(x) for x in _NUM.findall(t)[:3]]
        tail = _NUM.sub("", t).strip(" :.\u00a0\u202f\u2009")
        word = next((w for w in PERIOD_WORDS if tail.startswith(w)), None)
        said = " ".join(tail.split())
        if word is not None:
            ap = period_ampm(word, tn[0])
        elif said in AMPM_WORDS:
            ap = AMPM_WORDS[said]
            if ap == 3:
                ap = 1 if tn[0] == 12 or tn[0] < 6 else 2
        else:
            ap = 0 if not tail else (2 if tail[0] in "Pp\u0645\u0628" else 1)
        rows.append((i, p, mt.end(), f, tn[0], tn[1], tn[2] if len(tn) > 2 else 0, ap))
    if not rows:
        return _concat([])
    cols = list(zip(*rows, strict=True))
    return Headers(
        line_index=np.array(cols[0], dtype=np.int64),
        start=np.array(cols[1], dtype=np.int64),
        end=np.array(cols[2], dtype=np.int64),
        fields=np.array(cols[3], dtype=np.int32),
        hour=np.array(cols[4], dtype=np.int16),
        minute=np.array(cols[5], dtype=np.int16),
        second=np.array(cols[6], dtype=np.int16),
        ampm=np.array(cols[7], dtype=np.int8),
    )
