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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .dates import clean
from .headers import AMPM_WORDS, MONTHS, PERIOD_WORDS, SPACES, Signature, period_ampm

_CHUNK = 1 << 23
_U8_ONES = np.uint64(0x0101010101010101)
_U8_HIGH = np.uint64(0x8080808080808080)
_COLON = np.uint64(0x3A3A3A3A3A3A3A3A)
_NEWLINE = np.uint64(0x0A0A0A0A0A0A0A0A)


def positions_of(arr: np.ndarray, byte: int, start: int = 0, stop: int | None = None) -> np.ndarray:
    """Sorted positions of ``byte`` in ``arr[start:stop]`` (chunked: no full-size temporary)."""
    stop = len(arr) if stop is None else stop
    out = []
    for off in range(start, stop, _CHUNK):
        out.append(np.flatnonzero(arr[off : min(off + _CHUNK, stop)] == byte) + off)
    return np.concatenate(out) if out else np.empty(0, dtype=np.int64)


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


#: Bytes of each candidate line the matcher looks at: a header with ASCII digits is at most
#: about 30 bytes (more only with several direction marks), one with Arabic-Indic digits about
#: 40. Longer headers are still found, by the regex (`header_spans_regex`).
WINDOW_ASCII, WINDOW_WIDE = 32, 64
_ROWS = 1 << 14  # candidates matched per block (a block's window is 1 MiB)


class _Matcher:
    """Vectorised greedy matcher over a block of candidate line starts.

    The first ``window`` bytes of every candidate are copied into one small 2-D array (8 bytes per
    gather), so each element reads from there instead of the whole file. A candidate whose
    header would run past the window is flagged ``overflow`` and left to the regex.
    """

    def __init__(self, buf: bytes, w: np.ndarray, limit: int, pos: np.ndarray,
                 window: int) -> None:
        c = len(pos)
        self.window = window
        rows = _rows_view(buf, window)
        if c and rows is not None and int(pos[-1]) < len(rows):  # one gather of whole rows
            flat = rows[pos]
        else:
            win = np.zeros((c, window // 8), dtype="<u8")
            for k in range(window // 8):
                win[:, k] = _load8(buf, w, pos + 8 * k)
            flat = win.view(np.uint8).reshape(c, window)
        near = np.flatnonzero(pos + window > limit)
        for i in near.tolist():  # bytes past the end of the chat text read as 0
            flat[i, max(limit - int(pos[i]), 0) :] = 0
        self.flat = flat.reshape(-1)
        self.base = np.arange(c, dtype=np.int64) * window
        self.pos = np.zeros(c, dtype=np.int64)  # relative to the line start
        self.ok = np.ones(c, dtype=bool)
        self.overflow = np.zeros(c, dtype=bool)

    def at(self, k: int = 0) -> np.ndarray:
        q = self.pos + k
        over = q >= self.window
        if over.any():
            self.overflow |= over & self.ok
            q = np.minimum(q, self.window - 1)
            v = self.flat[self.base + q]
            v[over] = 0
            return v
        return self.flat[self.base + q]

    def _peek(self, k: int, live: np.ndarray) -> np.ndarray:
        """Like `at`, but only the ``live`` rows that run past the window are left to the
        regex (a word that stopped matching earlier does not matter)."""
        q = self.pos + k
        over = q >= self.window
        if over.any():
            self.overflow |= over & live
            v = self.flat[self.base + np.minimum(q, self.window - 1)]
            v[over] = 0
            return v
        return self.flat[self.base + q]

    def marks(self) -> None:
        """Any number of direction marks (3 UTF-8 bytes each)."""
        while True:
            b0, b1, b2 = self.at(0), self.at(1), self.at(2)
            e2 = b0 == 0xE2
            m = (
                (e2 & (b1 == 0x80) & ((b2 == 0x8E) | (b2 == 0x8F) | ((b2 >= 0xAA) & (b2 <= 0xAE))))
                | (e2 & (b1 == 0x81) & (b2 >= 0xA6) & (b2 <= 0xA9))
                | ((b0 == 0xEF) & (b1 == 0xBB) & (b2 == 0xBF))
            )
            m &= self.ok
            if not m.any():
                return
            self.pos += 3 * m

    def space(self, *, optional: bool = False) -> None:
        """One of U+0020, U+00A0, U+202F, U+2009."""
        b0 = self.at(0)
        one = b0 == 0x20
        two = (b0 == 0xC2) & (self.at(1) == 0xA0)
        b2 = self.at(2)
        three = (b0 == 0xE2) & (self.at(1) == 0x80) & ((b2 == 0xAF) | (b2 == 0x89))
        width = one * 1 + two * 2 + three * 3
        if not optional:
            self.ok &= width > 0
        self.pos += width

    def literal(self, text: str) -> None:
        for ch in text:
            if ch in SPACES:
                self.space()
                continue
            for k, byte in enumerate(ch.encode()):
                self.ok &= self.at(k) == byte
            self.pos += len(ch.encode())

    def digit(self, non_ascii: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | int]:
        """(is a digit, its value, its width in bytes) at the current position; does not
        move."""
        b0 = self.at(0)
        val = b0.astype(np.int64) - 0x30
        isd = (val >= 0) & (val <= 9)
        if non_ascii:
            b1 = self.at(1).astype(np.int64)
            a = (b0 == 0xD9) & (b1 >= 0xA0) & (b1 <= 0xA9)
            e = (b0 == 0xDB) & (b1 >= 0xB0) & (b1 <= 0xB9)
            val = np.where(a, b1 - 0xA0, np.where(e, b1 - 0xB0, val))
            width = np.where(a | e, 2, 1)
            return isd | a | e, val, width
        return isd, val, 1

    def digits(self, lo: int, hi: int, non_ascii: bool, *, step: int = 1) -> np.ndarray:
        """``lo`` required digits, then greedily up to ``hi`` in groups of ``step``."""
        value = np.zeros(len(self.pos), dtype=np.int64)
        for _ in range(lo):
            isd, val, width = self.digit(non_ascii)
            self.ok &= isd
            value = value * 10 + np.where(isd, val, 0)
            self.pos += width
        extra = hi - lo
        while extra > 0:
            # an optional group of `step` digits is taken only when all of them are there
            saved = self.pos.copy()
            take = self.ok.copy()
            v = value
            for _ in range(step):
                isd, val, width = self.digit(non_ascii)
                take &= isd
                v = v * 10 + np.where(isd, val, 0)
                self.pos += width
            value = np.where(take, v, value)
            self.pos = np.where(take, self.pos, saved)
            extra -= step
            if step == 1 and not take.any():
                break
        return value

    def ampm(self) -> np.ndarray:
        """Optional space, then AM/PM (a.m., a. m., ص, م, ق.ظ., ب.ظ., "in the morning"...);
        returns 1 for AM, 2 for PM, 3 for "at night" (which needs the hour)."""
        self.space(optional=True)
        start, ok0 = self.pos.copy(), self.ok.copy()
        words = tuple(AMPM_WORDS)
        idx = self.word(words)
        by_word = idx >= 0
        word_end = self.pos.copy()
        codes = np.array(list(AMPM_WORDS.values()), dtype=np.int8)
        word_code = codes[np.maximum(idx, 0)]
        self.pos, self.ok = start, ok0.copy()
        code = self._ampm_marker()
        self.pos = np.where(by_word, word_end, self.pos)
        self.ok = np.where(by_word, ok0, self.ok)
        return np.where(by_word, word_code, code).astype(np.int8)

    def _ampm_marker(self) -> np.ndarray:
        b0, b1 = self.at(0), self.at(1)
        arab_am = (b0 == 0xD8) & (b1 == 0xB5)
        arab_pm = (b0 == 0xD9) & (b1 == 0x85)
        lower = b0 | 0x20
        letter = (lower == ord("a")) | (lower == ord("p"))
        pm = (lower == ord("p")) & letter
        # letter path: [AaPp] \.? SP? [Mm] \.?
        lp = self.pos + 1
        saved = self.pos
        self.pos = lp
        self.pos += self.at(0) == ord(".")
        self.space(optional=True)
        m_ok = (self.at(0) | 0x20) == ord("m")
        self.pos += 1
        self.pos += self.at(0) == ord(".")
        letter_end = self.pos
        # Persian ق.ظ. (a.m.) / ب.ظ. (p.m.): letter, '.', ظ, optional '.'
        qaf = (b0 == 0xD9) & (b1 == 0x82)
        beh = (b0 == 0xD8) & (b1 == 0xA8)
        self.pos = saved
        pers = (qaf | beh) & (self.at(2) == 0x2E) & (self.at(3) == 0xD8) & (self.at(4) == 0xB8)
        pers_end = saved + 5 + (self.at(5) == 0x2E)
        self.pos = np.where(letter, letter_end, np.where(pers, pers_end, saved + 2))
        self.ok &= (letter & m_ok) | arab_am | arab_pm | pers
        return np.where(pm | arab_pm | (pers & beh), 2, 1).astype(np.int8)

    def word(self, words: tuple[str, ...]) -> np.ndarray:
        """One of ``words`` (longest first); returns its index, -1 where none is there."""
        found = np.full(len(self.pos), -1, dtype=np.int64)
        width = np.zeros(len(self.pos), dtype=np.int64)
        for j in sorted(range(len(words)), key=lambda k: -len(words[k].encode())):
            raw = words[j].encode()
            hit = (found < 0) & self.ok
            for k, byte in enumerate(raw):
                hit &= self._peek(k, hit) == byte
            found = np.where(hit, j, found)
            width = np.where(hit, len(raw), width)
        self.ok &= found >= 0
        self.pos += width
        return found


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
    parts: list[Headers] = []
    for lo in range(0, len(cand), _ROWS):
        idx = cand[lo : lo + _ROWS]
        parts.append(_match_block(buf, w, line_starts[idx], idx, limit, sig, pattern))
    return _concat(parts)


def _match_block(buf: bytes, w: np.ndarray, starts: np.ndarray, line_index: np.ndarray,
                 limit: int, sig: Signature, pattern: re.Pattern[bytes]) -> Headers:
    m = _Matcher(buf, w, limit, starts, WINDOW_WIDE if sig.non_ascii_digits else WINDOW_ASCII)
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
    end = starts + m.pos
    ok = m.ok & ~m.overflow & (end <= limit)
    got = Headers(
        line_index=line_index[ok],
        start=starts[ok],
        end=end[ok],
        fields=np.stack([a[ok], b[ok], c[ok]], axis=1).astype(np.int32),
        hour=hour[ok].astype(np.int16),
        minute=minute[ok].astype(np.int16),
        second=second[ok].astype(np.int16),
        ampm=ampm[ok],
    )
    over = np.flatnonzero(m.overflow)
    if not len(over):
        return got
    slow = header_spans_regex(buf, starts[over], limit, pattern)
    slow.line_index = line_index[over][slow.line_index]
    both = _concat([got, slow])
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


def _take(h: Headers, idx: np.ndarray) -> Headers:
    return Headers(*(getattr(h, f)[idx] for f in _FIELDS))


def _concat(parts: list[Headers]) -> Headers:
    if not parts:
        e = np.empty(0, dtype=np.int64)
        t = np.empty(0, dtype=np.int16)
        return Headers(e, e, e, np.empty((0, 3), dtype=np.int32), t, t, t,
                       np.empty(0, dtype=np.int8))
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


def words8(buf: bytes) -> np.ndarray:
    """An unaligned little-endian uint64 view: ``w[i]`` is ``buf[i:i+8]`` (i <= len - 8)."""
    if len(buf) < 8:
        return np.empty(0, dtype="<u8")
    return np.ndarray(shape=(len(buf) - 7,), dtype="<u8", buffer=buf, strides=(1,))


def _load8(buf: bytes, w: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """The 8 bytes at each position (zero-padded past the end of ``buf``)."""
    if not len(pos):
        return np.zeros(0, dtype="<u8")
    if len(w) and int(pos.max()) < len(w):
        return w[pos]
    out = w[np.minimum(pos, max(len(w) - 1, 0))] if len(w) else np.zeros(len(pos), "<u8")
    tail = np.flatnonzero(pos > len(buf) - 8)
    for i in tail.tolist():
        p = int(pos[i])
        out[i] = int.from_bytes(buf[p : p + 8].ljust(8, b"\x00"), "little")
    return out


def _rows_view(buf: bytes, width: int) -> np.ndarray | None:
    """A read-only (len - width + 1, width) view: row ``i`` is ``buf[i:i+width]``."""
    if len(buf) < width:
        return None
    arr = np.frombuffer(buf, dtype=np.uint8)
    return np.lib.stride_tricks.as_strided(
        arr, shape=(len(buf) - width + 1, width), strides=(1, 1), writeable=False
    )


def _first_byte(x: np.ndarray) -> np.ndarray:
    """Index of the lowest flagged byte in a SWAR mask (x != 0)."""
    low = x & (~x + np.uint64(1))
    return (np.log2(low.astype(np.float64)).astype(np.int64)) >> 3


def find_colon(buf: bytes, w: np.ndarray, pos: np.ndarray, limit: int) -> np.ndarray:
    """Per start position, the first ':' before the end of its line (or -1), 8 bytes a step.

    Done per block of positions: each step makes a dozen temporary arrays, 8 MiB each per
    million positions at once (the largest transient of the reader's memory)."""
    out = np.empty(len(pos), dtype=np.int64)
    for lo in range(0, len(pos), _ROWS):
        out[lo : lo + _ROWS] = _find_colon_block(buf, w, pos[lo : lo + _ROWS], limit)
    return out


def _find_colon_block(buf: bytes, w: np.ndarray, pos: np.ndarray, limit: int) -> np.ndarray:
    n = len(pos)
    out = np.full(n, -1, dtype=np.int64)
    active = np.arange(n)
    p = pos.copy()
    for _ in range(32):
        if not len(active):
            return out
        v = _load8(buf, w, p)
        xc = v ^ _COLON
        xn = v ^ _NEWLINE
        hc = (xc - _U8_ONES) & ~xc & _U8_HIGH
        hn = (xn - _U8_ONES) & ~xn & _U8_HIGH
        hit = (hc | hn) != 0
        past = p + 8 >= limit
        idx = np.flatnonzero(hit | past)
        if len(idx):
            h = hc[idx] | hn[idx]
            k = np.where(h != 0, _first_byte(np.where(h != 0, h, np.uint64(1))), 8)
            q = p[idx] + k
            is_colon = (hc[idx] != 0) & (k == _first_byte(np.where(hc[idx] != 0, hc[idx],
                                                                     np.uint64(1))))
            found = is_colon & (q < limit)
            out[active[idx[found]]] = q[found]
            done = np.zeros(len(active), dtype=bool)
            done[idx] = True
            keep = ~done
            active = active[keep]
            p = p[keep] + 8
        else:
            p = p + 8
    for j, s in zip(active.tolist(), p.tolist(), strict=True):  # very long lines: plain find
        nl = buf.find(b"\n", s, limit)
        stop = limit if nl < 0 else nl
        c = buf.find(b":", s, stop)
        out[j] = c
    return out


def factorize_spans(buf: bytes, w: np.ndarray, start: np.ndarray, length: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Exact codes for the byte strings ``buf[start:start+length]`` without making them.

    Strings are compared 8 bytes at a time: each round pairs the codes so far with the next
    word's codes and renumbers, so equal codes mean equal bytes. Returns (codes, index of the
    first string with each code).
    """
    import pandas as pd

    n = len(start)
    if not n:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    codes = pd.factorize(length)[0].astype(np.int64, copy=False)
    k = 0
    rows = np.flatnonzero(length > 0)
    while len(rows):
        rem = length[rows] - 8 * k
        v = _load8(buf, w, start[rows] + 8 * k)
        shift = (np.minimum(rem, 8) * 8).astype(np.uint64)
        mask = np.where(rem >= 8, np.uint64(0xFFFFFFFFFFFFFFFF),
                        (np.uint64(1) << np.minimum(shift, np.uint64(63))) - np.uint64(1))
        v &= mask
        del rem, shift, mask
        wc = pd.factorize(v)[0].astype(np.int64, copy=False)
        del v
        key = codes[rows] * (int(wc.max()) + 1) + wc
        del wc
        new = pd.factorize(key)[0]
        del key
        codes[rows] = new + int(codes.max()) + 1
        del new
        k += 1
        rows = rows[length[rows] > 8 * k]
    codes, _ = pd.factorize(codes)
    codes = codes.astype(np.int64, copy=False)
    return codes, first_of_codes(codes)


def first_of_codes(codes: np.ndarray) -> np.ndarray:
    """Index of the first occurrence of each code, for codes numbered in order of appearance
    (as ``pd.factorize`` numbers them): where the running maximum goes up."""
    if not len(codes):
        return np.empty(0, dtype=np.int64)
    run = np.maximum.accumulate(codes)
    up = np.empty(len(codes), dtype=bool)
    up[0] = True
    np.greater(run[1:], run[:-1], out=up[1:])
    return np.flatnonzero(up)
