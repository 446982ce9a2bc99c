"""The message texts of a chat, kept as spans of the export's UTF-8 bytes until a row's text
is asked for.

Reading a million-message chat used to make one Python str per message (0.3 s, about 100 MiB,
and 0.1 s more to free them at exit) although `analyse` reads the text of a few percent of
the rows: its term search runs over the bytes (`MessageTexts.lowered_blocks`) and only the
candidate rows, the excerpts and the system events are decoded. `chat-review messages`
decodes one chunk of rows at a time. A text is exactly the bytes the export holds for it
(continuation lines joined by ``\\n``), so both ways give the same str.

A table built from strs (tests, a hand-made `Chat`) keeps them as they are: `from_values`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from chat_review.errors import ExportError

_BLOCK = 1 << 20  # bytes of texts decoded at a time (a block stays in the cache)
_SPARSE = 8  # rows whose bytes are under 1/8 of the stretch they span are decoded one by one
_JOIN = 4096  # strs joined and encoded at a time (see `_value_blocks`)
SEP = b"\x00"  # never in a chat: the container refuses a NUL byte
PAD = 8  # NULs after a search block's last text: an 8-byte read at any of its bytes stays inside


class MessageTexts:
    """The text of each row: ``data[starts[i]:ends[i]]`` decoded as UTF-8, or ``values[i]``.

    Indexing with a boolean mask or an array of rows gives the texts of those rows (no text
    is decoded); `strings` decodes them."""

    __slots__ = ("data", "starts", "ends", "values")

    def __init__(self, data: bytes, starts: np.ndarray, ends: np.ndarray,
                 values: np.ndarray | None = None) -> None:
        self.data = data
        self.starts = starts
        self.ends = ends
        self.values = values  # an object array of str: the texts were given as strs

    @classmethod
    def from_values(cls, values: pd.Series | np.ndarray | Sequence[Any]) -> MessageTexts:
        """Texts given as strs; a missing one (None, NaN, <NA>) is read as ""."""
        if isinstance(values, pd.Series):
            arr = values.to_numpy(dtype=object, na_value="")
        else:
            arr = np.asarray(values, dtype=object)
            if len(arr):
                arr = np.where(pd.isna(arr), "", arr)
        empty = np.zeros(0, dtype=np.int64)
        return cls(b"", empty, empty, arr.astype(object, copy=False))

    @classmethod
    def concat(cls, parts: Sequence[MessageTexts]) -> MessageTexts:
        """The rows of several chats one after another (their bytes joined, spans moved)."""
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return cls.from_values([])
        if any(p.values is not None for p in parts):
            return cls.from_values(np.concatenate([p.strings() for p in parts]))
        shift = np.cumsum([0] + [len(p.data) for p in parts[:-1]])
        return cls(b"".join(p.data for p in parts),
                   np.concatenate([p.starts + s for p, s in zip(parts, shift, strict=True)]),
                   np.concatenate([p.ends + s for p, s in zip(parts, shift, strict=True)]))

    def __len__(self) -> int:
        return len(self.values) if self.values is not None else len(self.starts)

    def __getitem__(self, rows: np.ndarray | slice) -> MessageTexts:
        if self.values is not None:
            return MessageTexts(b"", self.starts, self.ends, self.values[rows])
        return MessageTexts(self.data, self.starts[rows], self.ends[rows])

    def strings(self) -> np.ndarray:
        """The texts as an object array of str, in row order."""
        if self.values is not None:
            return self.values
        if _in_file_order(self.starts, self.ends):
            return _decode(self.data, self.starts, self.ends)
        # rows out of file order, or repeated: decode each distinct span once, in file order
        uniq, first, back = np.unique(self.starts, return_index=True, return_inverse=True)
        return _decode(self.data, uniq, self.ends[first])[back.reshape(-1)]

    def tolist(self) -> list[str]:
        return self.strings().tolist()  # type: ignore[no-any-return]

    def byte_lengths(self) -> np.ndarray:
        """Each text's length in UTF-8 bytes (in characters for texts given as strs: enough
        to pick a sample by)."""
        if self.values is None:
            return self.ends - self.starts
        return np.fromiter(map(len, self.values), dtype=np.int64, count=len(self.values))

    def lowered_blocks(self) -> Iterator[SearchBlock]:
        """The texts a block of about 1 MiB at a time, as the term prefilter reads them: NUL,
        text, NUL, text, ... then `PAD` NULs, ASCII letters lower-cased (``bytes.lower``
        changes nothing else). From spans the bytes are gathered with numpy, never decoded,
        and each block is searched while it is still in the cache."""
        if self.values is not None or not _in_file_order(self.starts, self.ends):
            yield from _value_blocks(self.strings())
            return
        arr = np.frombuffer(self.data, dtype=np.uint8)
        i, n = 0, len(self.starts)
        while i < n:
            j = _block_end(self.starts, self.ends, i)
            s, e = self.starts[i:j], self.ends[i:j]
            seps = np.zeros(j - i, dtype=np.int64)
            np.cumsum(e[:-1] - s[:-1] + 1, out=seps[1:])
            low = SEP + _gather(arr, s, e).tobytes().lower() + SEP * (PAD - 1)
            yield SearchBlock(low, seps, i)
            i = j


class SearchBlock(NamedTuple):
    """Some texts joined for the term search: ``low`` (see `MessageTexts.lowered_blocks`),
    ``seps`` the offset of the NUL before each of its texts (None when a text holds a NUL
    itself, so rows cannot be told apart), ``first`` the row of its first text."""

    low: bytes
    seps: np.ndarray | None
    first: int


def _value_blocks(values: np.ndarray) -> Iterator[SearchBlock]:
    """`MessageTexts.lowered_blocks` of strs, `_JOIN` texts a block (one joined string of a
    whole chat with a single emoji in it would be four bytes a character)."""
    sep = SEP.decode()
    for i in range(0, len(values), _JOIN):
        part = values[i : i + _JOIN].tolist()
        low = (sep + sep.join(part)).encode("utf-8", "replace").lower() + SEP * PAD
        seps = np.flatnonzero(np.frombuffer(low, dtype=np.uint8) == 0)[:-PAD]
        yield SearchBlock(low, seps if len(seps) == len(part) else None, i)


def _in_file_order(starts: np.ndarray, ends: np.ndarray) -> bool:
    """Each span ends at least a byte before the next one starts (as the reader makes them:
    a header lies between two texts), which the NUL after each text needs."""
    return bool(len(starts) < 2 or (starts[1:] > ends[:-1]).all())


def _block_end(starts: np.ndarray, ends: np.ndarray, i: int) -> int:
    """The first row after ``i`` not in ``i``'s block of about ``_BLOCK`` bytes (at least one)."""
    j = int(np.searchsorted(ends, starts[i] + _BLOCK, side="right"))
    return min(max(j, i + 1), len(starts))


def _gather(arr: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The bytes of spans in file order, each followed by a NUL: one copy of the block and
    one boolean selection, no Python code per span."""
    a = int(starts[0])
    s = starts - a
    e = ends - a
    seg = np.zeros(int(e[-1]) + 1, dtype=np.uint8)
    stop = min(a + len(seg), len(arr))
    seg[: stop - a] = arr[a:stop]
    seg[e] = 0  # the byte after each text (its newline, or the next header) becomes the NUL
    # runs: text 0 and its NUL, the bytes up to text 1, text 1 and its NUL, ...
    runs = np.empty(2 * len(s), dtype=np.int64)
    runs[0::2] = e - s + 1
    runs[1:-1:2] = s[1:] - e[:-1] - 1
    runs[-1] = 0
    keep = np.repeat(np.tile(np.array([True, False]), len(s)), runs)
    return seg[keep]


def _decode(data: bytes, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Spans in file order as strs: per block the bytes are gathered with NULs between,
    decoded once and split, so no Python code runs per message."""
    n = len(starts)
    out = np.empty(n, dtype=object)
    if n and (ends[-1] - starts[0]) > _SPARSE * int((ends - starts).sum() + n):
        # a few rows spread over the chat (candidates, excerpts, system events): slicing each
        # is cheaper than copying every block they lie in (14,000 candidate rows of a
        # million-message chat: 0.004 s against 0.04 s)
        out[:] = [data[a:b].decode() for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
        return out
    arr = np.frombuffer(data, dtype=np.uint8)
    i = 0
    while i < n:
        j = _block_end(starts, ends, i)
        parts = _gather(arr, starts[i:j], ends[i:j]).tobytes().decode().split("\x00")
        if len(parts) != j - i + 1:  # pragma: no cover - a NUL is refused by the container
            raise ExportError("The chat text contains a NUL byte; please report the export.")
        parts.pop()
        out[i:j] = parts
        i = j
    return out
