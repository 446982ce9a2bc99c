"""Headers read by their fixed layout are exactly the headers the greedy matcher reads.

The layout shortcut (`chat_review.reader._layouts`) only ever stands in for the matcher, so
every test compares the two on the same lines; small blocks and a low learning threshold make
the shortcut run on small files.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest

from chat_review.reader import _layouts, _locate, headers
from chat_review.reader._byte_words import positions_of
from chat_review.reader._parse import _sample
from chat_review.reader.container import unwrap

FORMATS = Path(__file__).resolve().parent.parent / "sample_exports" / "formats"
EXPORTS = sorted(p for p in FORMATS.iterdir() if p.suffix in (".txt", ".zip"))


def _headers(buf: bytes, *, layouts: bool, rows: int, monkeypatch) -> tuple[
        _locate.Headers, list[_layouts.Layout]]:
    """`header_spans` of ``buf`` in blocks of ``rows`` lines, with or without layouts; and the
    layouts learnt."""
    sig, _ = headers.detect(_sample(buf))
    end = len(buf.rstrip(b"\n"))
    arr = np.frombuffer(buf, dtype=np.uint8)
    line_starts = np.concatenate(([0], positions_of(arr, 0x0A, 0, end) + 1)).astype(np.int64)
    pattern = re.compile(headers.header_pattern(sig, capture=True))
    learnt: list[_layouts.Layout] = []

    class Recording(_layouts.Layouts):
        def __init__(self, *args) -> None:
            super().__init__(*args)
            self.known = learnt

    with monkeypatch.context() as mp:
        mp.setattr(_locate, "_ROWS", rows)
        mp.setattr(_layouts, "_MIN_LINES", 1)
        mp.setattr(_layouts, "Layouts", Recording)
        if not layouts:
            mp.setattr(_layouts, "applies", lambda sig: False)
        return _locate.header_spans(buf, arr, line_starts, end, sig, pattern), learnt


def _same(a: _locate.Headers, b: _locate.Headers) -> None:
    for name in _locate._FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype, name
        assert np.array_equal(x, y), name


def _buf(path: Path) -> bytes:
    return unwrap(path.read_bytes(), path.name).data


@pytest.mark.parametrize("path", EXPORTS, ids=[p.name for p in EXPORTS])
@pytest.mark.parametrize("rows", [2, 5])
def test_every_sample_export_reads_the_same_by_layout(path: Path, rows: int,
                                                      monkeypatch) -> None:
    buf = _buf(path)
    sig, _ = headers.detect(_sample(buf))
    if not _locate.greedy_safe(sig):
        pytest.skip("read with the regex, line by line")
    by_matcher, _ = _headers(buf, layouts=False, rows=rows, monkeypatch=monkeypatch)
    by_layout, _ = _headers(buf, layouts=True, rows=rows, monkeypatch=monkeypatch)
    _same(by_matcher, by_layout)


def _mixed_chat(seed: int, n: int, *, ios: bool, ampm: bool) -> bytes:
    """Headers of every width (days, months and hours of one or two digits, two- and
    four-digit years), the spaces phones write, and continuation lines that start like one."""
    rng = random.Random(seed)
    lines = []
    for _ in range(n):
        d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.choice(["24", "2024"])
        day = str(d) if rng.random() < 0.3 else f"{d:02d}"
        month = str(m) if rng.random() < 0.3 else f"{m:02d}"
        hour = rng.randint(1, 12) if ampm else rng.randint(0, 23)
        clock = str(hour) if ampm else f"{hour:02d}"
        time = f"{clock}:{rng.randint(0, 59):02d}"
        if ios:
            time += f":{rng.randint(0, 59):02d}"
        if ampm:
            time += rng.choice(["\u202f", " ", "\u00a0"]) + rng.choice(["AM", "PM", "am"])
        date = f"{day}/{month}/{y}"
        if ios:
            after = rng.choice(["] ", "] ", "]\u00a0", "]"])
            head = f"[{date}, {time}{after}"
        else:
            head = f"{date}, {time} - "
        lines.append(head + "Sam Okafor: hello")
        if rng.random() < 0.2:
            lines.append(rng.choice(["2 o'clock then", f"{date}, {time} later", "12/01/2024,",
                                     "1/2/24, 9:05 -x", "[1/2/24, 9:05:00 extra"]))
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("ios", [False, True], ids=["android", "ios"])
@pytest.mark.parametrize("ampm", [False, True], ids=["24h", "12h"])
@pytest.mark.parametrize("seed", range(3))
def test_mixed_widths_and_spaces_read_the_same_by_layout(ios: bool, ampm: bool, seed: int,
                                                        monkeypatch) -> None:
    buf = _mixed_chat(seed, 600, ios=ios, ampm=ampm)
    by_matcher, _ = _headers(buf, layouts=False, rows=64, monkeypatch=monkeypatch)
    by_layout, learnt = _headers(buf, layouts=True, rows=64, monkeypatch=monkeypatch)
    assert learnt  # the shortcut did run
    _same(by_matcher, by_layout)


def test_a_chat_of_one_layout_learns_it_once_and_reads_every_later_header_by_it(
        monkeypatch) -> None:
    buf = b"".join(b"%02d/01/2024, 10:%02d - Sam: hi\n" % (1 + i % 28, i % 60)
                   for i in range(300))
    found, learnt = _headers(buf, layouts=True, rows=50, monkeypatch=monkeypatch)
    assert len(found.start) == 300
    assert [(x.length, x.runs) for x in learnt] == [(20, ((0, 2), (3, 2), (6, 4), (12, 2),
                                                          (15, 2)))]
    assert found.fields[:3].tolist() == [[1, 1, 2024], [2, 1, 2024], [3, 1, 2024]]
    assert found.minute[-1] == 299 % 60


def test_an_ios_header_with_no_space_after_its_bracket_is_left_to_the_matcher(
        monkeypatch) -> None:
    # the matcher takes one space after "]" when there is one: the line's next byte would
    # decide, and a layout looks no further than the header
    buf = b"".join(b"[%02d/01/2024, 10:00:00]Sam: hi\n" % (1 + i % 28) for i in range(40))
    found, learnt = _headers(buf, layouts=True, rows=8, monkeypatch=monkeypatch)
    assert learnt == []
    assert len(found.start) == 40


def test_at_night_is_left_to_the_matcher_whose_hour_decides_am_or_pm(monkeypatch) -> None:
    buf = b"".join(b"01/02/2024, %d:05 at night - Sam: hi\n" % h for h in [12, 2, 9, 11] * 10)
    by_matcher, _ = _headers(buf, layouts=False, rows=8, monkeypatch=monkeypatch)
    by_layout, learnt = _headers(buf, layouts=True, rows=8, monkeypatch=monkeypatch)
    assert learnt == []
    _same(by_matcher, by_layout)
    assert by_layout.ampm[:4].tolist() == [1, 1, 2, 2]


def test_layouts_are_kept_only_for_plain_headers() -> None:
    plain = headers.detect(["01/02/2024, 10:05 - Sam: hi"])[0]
    assert _layouts.applies(plain)
    for line in ["[2024/3/14 上午8:59:01] Sam: hi", "19:23, 28 Aug 2013 - Sam: hi",
                 "[3/14/R6, 08:59:01] Sam: hi", "١٢\u200f/١\u200f/٢٠٢٤، ٨:٥٩ ص - Sam: hi"]:
        found = headers.detect([line])
        assert found is not None, line
        assert not _layouts.applies(found[0]), line


def test_a_chat_of_one_block_learns_no_layout(monkeypatch) -> None:
    # a layout serves the blocks after the one it was learnt in: a small chat has none
    buf = b"".join(b"%02d/01/2024, 10:00 - Sam: hi\n" % (1 + i % 28) for i in range(300))
    found, learnt = _headers(buf, layouts=True, rows=300, monkeypatch=monkeypatch)
    assert learnt == []
    assert len(found.start) == 300
