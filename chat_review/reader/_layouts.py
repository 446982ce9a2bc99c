"""Fixed header layouts: the shortcut that reads most of a chat's headers with a few compares.

In a real export nearly every header is byte for byte the same but for its digits:
``02/09/2024, 01:11 - `` and ``13/10/2024, 19:45 - `` share one *layout* (digits as a class,
every other byte as written). The greedy matcher (`_matcher`) decides each element from
whether a byte is a digit and from the exact value of every other byte, reading nothing past
the header's end but an optional space after an iOS ``]``. So a line whose first bytes have
the layout of a header the matcher has read is a header with the same length and the same
digit runs, and its numbers are those digits: what cost the matcher some forty array passes
per block of lines costs a shape table look-up, a few 8-byte compares and one pass per digit.

Layouts are learnt from the lines the matcher reads, a block at a time (every line of the first
block, then whichever lines fit no layout yet), and each is checked on the line it was learnt
from: read by the layout, that line must give the matcher's own numbers, or the layout is not
kept. Only plain layouts are learnt (ASCII digits, the date before the time, no month names,
eras or time-of-day words); lines that fit none still go to the matcher.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._matcher import Read
from .headers import Signature

#: A digit's place in a shape (0xFF never occurs in UTF-8, so it stands for nothing else).
_DIGIT = 0xFF
_SHAPE = np.arange(256, dtype=np.uint8)
_SHAPE[0x30:0x3A] = _DIGIT
# SWAR constants: a byte is a digit when (byte ^ 0x30) is below 10
_ZEROS = np.uint64(0x3030303030303030)
_HIGH = np.uint64(0xF0F0F0F0F0F0F0F0)
_LOW = np.uint64(0x0F0F0F0F0F0F0F0F)
_SIXES = np.uint64(0x0606060606060606)
_SIXTEENS = np.uint64(0x1010101010101010)
#: The spaces the matcher takes after an iOS "]" (a layout must end with one: a line whose
#: "]" is followed by a name could have a space there that the matcher would take).
_SPACES_AFTER = (b" ", b"\xc2\xa0", b"\xe2\x80\xaf", b"\xe2\x80\x89")
#: Most layouts kept per chat (a chat has one or two: days and hours of one or two digits).
MAX_LAYOUTS = 8
#: A shape is learnt when at least this many of the lines read by the matcher have it.
_MIN_LINES = 8


def applies(sig: Signature) -> bool:
    """Whether ``sig``'s headers can be read by layout (see the module docstring)."""
    return not (sig.non_ascii_digits or sig.time_first or sig.month_name or sig.era
                or sig.period)


@dataclass(frozen=True)
class Layout:
    """One header layout: its length, its bytes as 8-byte words with which bytes are digits
    and which must be as written, and where its digit runs start and how long each is, in
    the order of the fields (day/month/year as written, hour, minute[, second])."""

    length: int
    words: tuple[int, ...]  # the header's bytes (digits as "0"), 8 a word
    digits: tuple[int, ...]  # 0xFF where a digit must be, per word
    literal: tuple[int, ...]  # 0xFF where the byte must be as written, per word
    runs: tuple[tuple[int, int], ...]
    ampm: int


class Layouts:
    """The layouts learnt so far for one chat (see the module docstring)."""

    def __init__(self, sig: Signature, window: int) -> None:
        self.sig = sig
        self.window = window
        self.known: list[Layout] = []

    def fit(self, win: np.ndarray) -> np.ndarray:
        """Per row of ``win`` (`_matcher.windows`), the index of the layout its first bytes
        have, or -1. Eight bytes at a time: a byte of ``other`` is 0 where it is a digit."""
        which = np.full(len(win), -1, dtype=np.int64)
        if not self.known or not len(win):
            return which
        words = np.ascontiguousarray(win).view("<u8")  # (rows, window / 8)
        x = words ^ _ZEROS  # digits become 0x00-0x09
        other = (x & _HIGH) | (((x & _LOW) + _SIXES) & _SIXTEENS)
        for i, layout in enumerate(self.known):
            hit = which < 0
            for k in range(len(layout.words)):
                digits, literal = np.uint64(layout.digits[k]), np.uint64(layout.literal[k])
                hit &= ((other[:, k] & digits) | ((words[:, k] ^ np.uint64(layout.words[k]))
                                                   & literal)) == 0
            which[hit] = i
        return which

    def read(self, win: np.ndarray, which: np.ndarray) -> Read:
        """What every row of ``win`` holds by its layout (`fit`'s ``which``; ``ok`` is False
        where it has none). The first layout, nearly every line's, is read on all rows at
        once, with no copy of them; the others on their own rows."""
        got = _by_layout(win, self.known[0])
        got.ok = which == 0
        for i in range(1, len(self.known)):
            mine = np.flatnonzero(which == i)
            if len(mine):
                got.put(mine, _by_layout(win[mine], self.known[i]))
        return got

    def learn(self, win: np.ndarray, got: Read) -> None:
        """Keep the common layouts of the headers the matcher read (``got``, one entry per row
        of ``win``), each checked on a line that has it."""
        room = MAX_LAYOUTS - len(self.known)
        rows = np.flatnonzero(got.ok & ~got.overflow & (got.end + 3 <= self.window))
        if room <= 0 or len(rows) < _MIN_LINES:
            return
        shape = _SHAPE[win[rows]]
        shape[np.arange(self.window) >= got.end[rows, None]] = 0
        keys = np.ascontiguousarray(shape).view(f"V{self.window}").reshape(-1)
        _, first, counts = np.unique(keys, return_index=True, return_counts=True)
        for j in np.argsort(-counts, kind="stable")[:room].tolist():
            if counts[j] < _MIN_LINES:
                break
            row = int(rows[first[j]])
            layout = self._layout(win[row], got, row)
            if layout is not None and layout not in self.known:
                self.known.append(layout)

    def _layout(self, line: np.ndarray, got: Read, row: int) -> Layout | None:
        """The layout of ``line`` (a header the matcher read as ``got``'s ``row``), or None
        when it cannot stand for the matcher (see the module docstring)."""
        length = int(got.end[row])
        raw = line[:length].tobytes()
        if self.sig.bracket and not raw.endswith(_SPACES_AFTER):
            return None
        if int(got.ampm[row]) and b"night" in raw:  # "at night": a.m. or p.m. by the hour
            return None
        digit = _SHAPE[line[:length]] == _DIGIT
        edges = np.flatnonzero(np.diff(np.concatenate(([0], digit.astype(np.int8), [0]))))
        runs = tuple((int(a), int(b - a)) for a, b in zip(edges[::2], edges[1::2], strict=True))
        if len(runs) != (6 if self.sig.seconds else 5):
            return None
        values = [int(v[0]) for v in _run_values(line[None, :], runs)]
        said = [*got.fields[row].tolist(), int(got.hour[row]), int(got.minute[row])]
        if self.sig.seconds:
            said.append(int(got.second[row]))
        if values != said:  # the runs are not the fields in this order: leave it to the matcher
            return None
        digit_at = np.zeros(self.window, dtype=bool)
        digit_at[:length] = digit
        literal_at = np.zeros(self.window, dtype=bool)
        literal_at[:length] = ~digit
        used = -(-length // 8)

        def packed(a: np.ndarray) -> tuple[int, ...]:
            return tuple(a.astype(np.uint8).view("<u8")[:used].tolist())

        return Layout(length, packed(np.where(digit_at, 0x30, np.where(literal_at, line, 0))),
                      packed(digit_at * 0xFF), packed(literal_at * 0xFF), runs,
                      int(got.ampm[row]))


def _by_layout(win: np.ndarray, layout: Layout) -> Read:
    """Every row of ``win`` read as a header of ``layout`` (in the types `_locate.Headers`
    keeps)."""
    n = len(win)
    values = _run_values(win, layout.runs)
    second = values[5] if len(values) > 5 else np.zeros(n, dtype=np.int32)
    return Read(np.ones(n, dtype=bool), np.zeros(n, dtype=bool),
                np.full(n, layout.length, dtype=np.int64), np.stack(values[:3], axis=1),
                values[3].astype(np.int16), values[4].astype(np.int16),
                second.astype(np.int16), np.full(n, layout.ampm, dtype=np.int8))


def _run_values(win: np.ndarray, runs: tuple[tuple[int, int], ...]) -> list[np.ndarray]:
    """The number in each digit run of every row of ``win``."""
    out = []
    for start, width in runs:
        value = win[:, start].astype(np.int32) - 0x30
        for k in range(1, width):
            value *= 10
            value += win[:, start + k]
            value -= 0x30
        out.append(value)
    return out
