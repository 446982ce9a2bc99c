"""A small SVG writer for the report's charts: rectangles, lines and text, nothing else.

Why not a plotting library: the charts are a few hundred rectangles and some labels, and
importing matplotlib and drawing them with it took about 0.55 s of the 1.9 s `analyse --png
--pdf` spends on a 20,000-message chat (issue 12).
Numbers are written with a fixed precision, so the same findings give the same bytes.
Text stays text: Typst draws it with the report's own DejaVu Sans (`font_paths`).
"""

from __future__ import annotations

import re

from ._font import text_width

FONT = "DejaVu Sans"
# Where the middle of a digit or capital sits below its baseline, as a share of the font
# size (DejaVu's cap height is 0.73 em): used to centre a label on a point.
MIDDLE = 0.36
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

__all__ = ["FONT", "MIDDLE", "Svg", "esc", "num", "text_width"]


def num(x: float) -> str:
    """`x` with at most two decimals, no trailing zeros, never "-0": 12, 12.5, 0.33."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def esc(text: str) -> str:
    """`text` safe inside an XML element or a double-quoted attribute. Control characters
    (which XML cannot hold at all) become U+FFFD rather than breaking the whole chart."""
    text = _CONTROL.sub("\ufffd", text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


class Svg:
    """One chart: elements in drawing order (later ones on top), sized in points."""

    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = width, height
        self.parts: list[str] = []

    def open(self, name: str) -> None:
        """Start a group; `name` (its id) says what the shapes in it mean."""
        self.parts.append(f'<g id="{esc(name)}">')

    def close(self) -> None:
        self.parts.append("</g>")

    def rect(self, x: float, y: float, w: float, h: float, fill: str = "none",
             stroke: str | None = None, stroke_width: float = 1.0) -> None:
        edge = (f' stroke="{stroke}" stroke-width="{num(stroke_width)}"' if stroke else "")
        self.parts.append(f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" '
                          f'height="{num(h)}" fill="{fill}"{edge}/>')

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str,
             width: float = 0.6) -> None:
        self.parts.append(f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" '
                          f'stroke="{stroke}" stroke-width="{num(width)}"/>')

    def text(self, x: float, y: float, text: str, size: float, anchor: str = "start",
             fill: str = "#000000", bold: bool = False, rotate: bool = False) -> None:
        """`text` with its baseline at `y`; `anchor` start, middle or end; `rotate` turns it
        to read bottom to top (a y-axis label), (x, y) then being its anchor point."""
        place = (f'transform="translate({num(x)} {num(y)}) rotate(-90)"' if rotate
                 else f'x="{num(x)}" y="{num(y)}"')
        weight = ' font-weight="bold"' if bold else ""
        middle = "" if anchor == "start" else f' text-anchor="{anchor}"'
        self.parts.append(f'<text {place} font-size="{num(size)}"{middle}{weight} '
                          f'fill="{fill}">{esc(text)}</text>')

    def render(self) -> str:
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}pt" '
                f'height="{num(self.height)}pt" viewBox="0 0 {num(self.width)} '
                f'{num(self.height)}" font-family="{FONT}">')
        return "\n".join([head, *self.parts, "</svg>\n"])
