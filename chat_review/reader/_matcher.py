"""The vectorised greedy matcher behind `_locate.header_spans`: one header element (marks,
digits, a literal, a space, AM/PM, a word) tested at every candidate line start at once."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ._byte_words import _load8, _rows_view
from .headers import AMPM_WORDS, SPACES

#: Bytes of each candidate line the matcher looks at: a header with ASCII digits is at most
#: about 30 bytes (more only with several direction marks), one with Arabic-Indic digits about
#: 40. Longer headers are still found, by the regex (`header_spans_regex`).
WINDOW_ASCII, WINDOW_WIDE = 32, 64


@dataclass
class Read:
    """What the matcher (or a fixed layout, `_layouts`) read at each candidate line start of
    a block (every array has one entry per candidate): ``end`` is relative to the line start."""

    ok: np.ndarray
    overflow: np.ndarray
    end: np.ndarray
    fields: np.ndarray  # (n, 3)
    hour: np.ndarray
    minute: np.ndarray
    second: np.ndarray
    ampm: np.ndarray

    def put(self, rows: np.ndarray, other: Read) -> None:
        """Take ``other``'s entries (one per row of ``rows``) at ``rows``."""
        for f in fields(self):
            getattr(self, f.name)[rows] = getattr(other, f.name)


def windows(buf: bytes, w: np.ndarray, limit: int, pos: np.ndarray, window: int) -> np.ndarray:
    """The first ``window`` bytes of the line at each of ``pos``, one row each (bytes past
    ``limit``, the end of the chat text, read as 0): one small 2-D array that every header
    element then reads from instead of the whole file."""
    c = len(pos)
    rows = _rows_view(buf, window)
    if c and rows is not None and int(pos[-1]) < len(rows):  # one gather of whole rows
        win = rows[pos]
    else:
        packed = np.zeros((c, window // 8), dtype="<u8")
        for k in range(window // 8):
            packed[:, k] = _load8(buf, w, pos + 8 * k)
        win = packed.view(np.uint8).reshape(c, window)
    near = np.flatnonzero(pos + window > limit)
    for i in near.tolist():
        win[i, max(limit - int(pos[i]), 0) :] = 0
    return win


class _Matcher:
    """Vectorised greedy matcher over a block of candidate line starts.

    Each element reads from the candidates' `windows`; a candidate whose header would run
    past its window is flagged ``overflow`` and left to the regex.
    """

    def __init__(self, win: np.ndarray) -> None:
        """``win``: the first bytes of each candidate line (`windows`), one row each."""
        c, window = win.shape
        self.window = window
        self.flat = np.ascontiguousarray(win).reshape(-1)
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

    def _flag_overflow(self, k: int) -> None:
        """What reading byte ``k`` with `at` would flag, when the steps that skip that read
        (no row could use it) must still leave the same rows to the regex."""
        over = self.pos + k >= self.window
        if over.any():
            self.overflow |= over & self.ok

    def marks(self) -> None:
        """Any number of direction marks (3 UTF-8 bytes each)."""
        while True:
            b0 = self.at(0)
            if not (((b0 == 0xE2) | (b0 == 0xEF)) & self.ok).any():  # no mark starts here
                self._flag_overflow(2)
                return
            b1, b2 = self.at(1), self.at(2)
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
        if ((b0 == 0xC2) | (b0 == 0xE2)).any():
            two = (b0 == 0xC2) & (self.at(1) == 0xA0)
            b2 = self.at(2)
            three = (b0 == 0xE2) & (self.at(1) == 0x80) & ((b2 == 0xAF) | (b2 == 0x89))
            width = one * 1 + two * 2 + three * 3
        else:  # only plain spaces (or none): bytes 1 and 2 are not needed
            self._flag_overflow(2)
            width = one * 1
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
