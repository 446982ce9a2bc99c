"""What the report's font can draw and how wide its text is, read straight from the TrueType file.

The charts are SVG text that Typst draws with DejaVu Sans, so legends and margins need the
font's real advance widths; `printable` needs its character map. Reading the two tables
with `struct` takes a few milliseconds where fontTools' import alone takes about 40, and
matplotlib's `ft2font` (the old way) pulls in matplotlib.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Metrics:
    cmap: dict[int, int]  # code point -> glyph id
    advances: tuple[int, ...]  # glyph id -> advance width in font units
    units_per_em: int


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    """{tag: (offset, length)} from the font's table directory."""
    count = struct.unpack_from(">H", data, 4)[0]
    rows = (struct.unpack_from(">4sIII", data, 12 + 16 * i) for i in range(count))
    return {tag: (offset, length) for tag, _sum, offset, length in rows}


def _cmap_12(data: bytes, at: int) -> dict[int, int]:
    """Format 12: groups of consecutive code points (the whole of Unicode)."""
    groups = struct.unpack_from(">I", data, at + 12)[0]
    out: dict[int, int] = {}
    for i in range(groups):
        first, last, glyph = struct.unpack_from(">III", data, at + 16 + 12 * i)
        out.update(zip(range(first, last + 1), range(glyph, glyph + last - first + 1),
                       strict=True))
    return out


def _cmap_4(data: bytes, at: int) -> dict[int, int]:
    """Format 4: segments of the Basic Multilingual Plane, with deltas or a glyph array."""
    segs = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segs}H", data, at + 14)
    starts = struct.unpack_from(f">{segs}H", data, at + 16 + 2 * segs)
    deltas = struct.unpack_from(f">{segs}h", data, at + 16 + 4 * segs)
    range_at = at + 16 + 6 * segs
    offsets = struct.unpack_from(f">{segs}H", data, range_at)
    out: dict[int, int] = {}
    for i, (start, end, delta, offset) in enumerate(zip(starts, ends, deltas, offsets,
                                                        strict=True)):
        for code in range(start, min(end, 0xFFFE) + 1):
            if offset:
                where = range_at + 2 * i + offset + 2 * (code - start)
                glyph = struct.unpack_from(">H", data, where)[0]
                glyph = (glyph + delta) % 65536 if glyph else 0
            else:
                glyph = (code + delta) % 65536
            if glyph:
                out[code] = glyph
    return out


def _cmap(data: bytes, at: int) -> dict[int, int]:
    """The Unicode subtable: full repertoire (format 12) if there is one, else the BMP."""
    count = struct.unpack_from(">H", data, at + 2)[0]
    found: dict[int, int] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, at + 4 + 8 * i)
        fmt = struct.unpack_from(">H", data, at + offset)[0]
        if (platform, encoding) in ((3, 10), (0, 4), (0, 6)) and fmt == 12:
            return _cmap_12(data, at + offset)
        if (platform, encoding) in ((3, 1), (0, 3)) and fmt == 4:
            found = found or _cmap_4(data, at + offset)
    return found


def read_metrics(path: str | Path) -> Metrics:
    """The character map and advance widths of the TrueType font at `path`."""
    data = Path(path).read_bytes()
    tables = _tables(data)
    units = struct.unpack_from(">H", data, tables[b"head"][0] + 18)[0]
    n_metrics = struct.unpack_from(">H", data, tables[b"hhea"][0] + 34)[0]
    hmtx = tables[b"hmtx"][0]
    advances = struct.unpack_from(f">{2 * n_metrics}H", data, hmtx)[::2]
    return Metrics(_cmap(data, tables[b"cmap"][0]), advances, units)


@lru_cache(maxsize=1)
def dejavu() -> Metrics:
    """DejaVu Sans, the font every chart and page is set in (see `_typst.font_dir`)."""
    from ._typst import font_dir

    return read_metrics(Path(font_dir()) / "DejaVuSans.ttf")


def text_width(text: str, size: float) -> float:
    """Width in points of `text` set in DejaVu Sans at `size` points (no kerning: DejaVu's
    kerning moves a typical label by well under one per cent)."""
    m = dejavu()
    last = len(m.advances) - 1
    units = sum(m.advances[min(m.cmap.get(ord(ch), 0), last)] for ch in text)
    return units * size / m.units_per_em
