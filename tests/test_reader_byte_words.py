"""The byte-level helpers the reader builds on give the same answers as plain Python."""

from __future__ import annotations

import random

import numpy as np
import pytest

from chat_review.reader import _byte_words
from chat_review.reader._byte_words import factorize_spans, find_colon, words8


def _spans(seed: int, n: int) -> tuple[bytes, np.ndarray, np.ndarray]:
    """Spans of a buffer cut from a few names with shared prefixes, of lengths 0-40."""
    rng = random.Random(seed)
    names = [b"", b"Sam", b"Sam Okafor", b"Sam Okafor-Hart (school office)", b"Sa", b"S\xc3\xa9",
             b"07700 900123", b"07700 900124", b"\xe2\x80\x8eSam", b"x" * 40, b"x" * 39 + b"y"]
    parts, start, length, pos = [], [], [], 0
    for _ in range(n):
        name = rng.choice(names)
        pad = rng.randint(0, 9)
        parts.append(b"-" * pad + name)
        start.append(pos + pad)
        length.append(len(name))
        pos += pad + len(name)
    return b"".join(parts), np.array(start, dtype=np.int64), np.array(length, dtype=np.int64)


@pytest.mark.parametrize("rows", [1 << 15, 7])  # the words of a step made in one go or in parts
def test_equal_codes_exactly_for_equal_bytes_numbered_by_first_appearance(
        rows: int, monkeypatch) -> None:
    monkeypatch.setattr(_byte_words, "ROWS", rows)
    buf, start, length = _spans(7, 3000)
    codes, first = factorize_spans(buf, words8(buf), start, length)
    texts = [buf[s : s + n] for s, n in zip(start.tolist(), length.tolist(), strict=True)]
    order: dict[bytes, int] = {}
    expected = [order.setdefault(t, len(order)) for t in texts]
    assert codes.tolist() == expected
    assert [texts[i] for i in first.tolist()] == list(order)


def test_the_first_colon_of_each_line_or_none() -> None:
    buf = b"12/01/2024, 10:00 - Sam: hi\n12/01/2024, 10:01 - no colon here\nx" + b"y" * 300 + b":"
    w = words8(buf)
    pos = np.array([18, 47, 62], dtype=np.int64)
    got = find_colon(buf, w, pos, len(buf)).tolist()
    want = []
    for p in pos.tolist():
        line_end = buf.find(b"\n", p)
        c = buf.find(b":", p, len(buf) if line_end < 0 else line_end)
        want.append(c)
    assert got == want and got[0] == buf.index(b"Sam:") + 3 and got[1] == -1
