"""Typeset a report with Typst (the `typst` package ships the compiler; no system packages).

The words come from `_document` as JSON, the layout from `templates/report.typ`, the charts
as SVG. Fonts: only the ones that ship inside pip packages (matplotlib's DejaVu Sans for text,
Typst's own DejaVu Sans Mono), never the machine's, so every machine gives the same bytes.
matplotlib is a dependency only as the source of those DejaVu files: nothing imports it (the
folder is found with `importlib.util.find_spec`, the character map read by `_font`).
Characters those fonts cannot draw (emoji, Chinese/Japanese/Korean script) are replaced by a
readable placeholder such as "[grinning face]" or "[U+738B]", never an empty box.
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

TEMPLATE = "report.typ"


@lru_cache(maxsize=1)
def font_dir() -> str:
    """matplotlib's bundled TrueType folder (DejaVu Sans and friends), found without importing
    matplotlib (its import costs about a quarter of a second)."""
    spec = importlib.util.find_spec("matplotlib")
    folder = (Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
              if spec is not None and spec.submodule_search_locations else None)
    if folder is None or not (folder / "DejaVuSans.ttf").is_file():
        from chat_review.errors import InstallError

        raise InstallError(
            "The report's fonts (DejaVu Sans, from the matplotlib package) are missing; "
            "reinstall chat-review with its dependencies (pip install chat-review) and try "
            "again."
        )
    return str(folder)


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    from ._font import dejavu

    return frozenset(dejavu().cmap)


def _placeholder(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if unicodedata.category(ch) == "So" or 0x1F000 <= ord(ch) <= 0x1FAFF:
        return f"[{name.lower()}]" if name else f"[U+{ord(ch):04X}]"
    return f"[U+{ord(ch):04X}]"


def printable(text: str) -> str:
    """`text` with every character the embedded fonts lack replaced by its name or code point.

    Joiners and emoji variation selectors are dropped (they only shape the emoji before them).
    """
    have = _covered()
    if all(ord(ch) in have or ch == "\n" for ch in text):
        return text
    out = []
    for ch in text:
        if ord(ch) in have or ch == "\n":
            out.append(ch)
        elif ch in "\u200d\u200c" or 0xFE00 <= ord(ch) <= 0xFE0F or 0x1F3FB <= ord(ch) <= 0x1F3FF:
            continue
        else:
            out.append(_placeholder(ch))
    return "".join(out)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: (v if k in ("kind", "input", "align", "widths") else _clean(v))
                for k, v in value.items()}
    return value


def _compile(data: dict[str, Any], charts: dict[str, str], **options: Any) -> Any:
    import typst

    template = resources.files("chat_review.reports").joinpath("templates", TEMPLATE)
    with resources.as_file(template) as path:
        return typst.compile(
            str(path),
            font_paths=[font_dir()],
            ignore_system_fonts=True,
            sys_inputs={"data": json.dumps(_clean(data), ensure_ascii=False), **charts},
            **options,
        )


def compile_png(data: dict[str, Any], charts: dict[str, str]) -> list[bytes]:
    """Each page of `data` as a PNG at 150 pixels per inch (A4: 1240 x 1754)."""
    out = _compile(data, charts, format="png", ppi=150)
    return out if isinstance(out, list) else [out]


def page_count(data: dict[str, Any], charts: dict[str, str]) -> int:
    """How many pages `data` takes (typeset as an untagged PDF: the quickest way to know).

    Typst writes its page tree uncompressed ("/Type/Pages/Count N"); if a later version does
    not, this says 1 and the caller keeps its first choice.
    """
    import re

    found = re.search(rb"/Type\s*/Pages\s*/Count\s+(\d+)", _compile(data, charts))
    return int(found.group(1)) if found else 1


def compile_pdf(data: dict[str, Any], charts: dict[str, str], when: datetime) -> bytes:
    """The PDF for `data` (see `_document`), charts as {input name: SVG text}.

    Tagged PDF/UA-1 with /Lang en-GB; creation date `when` (SOURCE_DATE_EPOCH through the
    report context), so equal inputs give equal bytes.
    """
    moment = when if when.tzinfo else when.replace(tzinfo=UTC)
    return _compile(data, charts, pdf_standards=["ua-1"], timestamp=int(moment.timestamp()))
