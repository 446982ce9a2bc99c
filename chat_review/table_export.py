"""The message table as CSV, JSON or XLSX for `chat-review messages`, produced in chunks.

Each format is a generator of byte chunks (`CHUNK_ROWS` messages at a time), so a chat of a
million messages is never held as one string: the caller hashes and writes each chunk as it
comes (`output_files.write_atomic` accepts the generator). Columns are converted column-wise;
the only per-row Python step is joining a row's ready-made cells (measured in bench/notes.md:
pandas `to_csv` took 4.4 s for 1M rows, the csv module 2.2 s CPU, this 1.2 s).

CSV is written for Excel as much as for scripts (OWASP "CSV injection"): UTF-8 with a byte
order mark and CRLF line ends, so Excel shows "Zoë Ångström" as written; a text cell (sender,
text, attachment) that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
leading apostrophe, so a spreadsheet shows it as text and never runs it as a formula. JSON and
XLSX carry every text exactly as exported.
"""

from __future__ import annotations

import functools
import json
import re
import tempfile
from collections.abc import Iterator
from json.encoder import encode_basestring  # the C encoder, same bytes as json.dumps
from pathlib import Path
from typing import TYPE_CHECKING

from chat_review.errors import OutputError
from chat_review.reader.chat import MESSAGE_COLUMNS

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from chat_review.reader.chat import Chat

CHUNK_ROWS = 65_536
BOM = "\ufeff".encode()
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTES = re.compile(r'[,"\r\n]').search
XLSX_MAX_ROWS = 1_048_576 - 1  # Excel's sheet limit, less the header row
XLSX_MAX_CELL = 32_767  # Excel's limit on the characters in one cell


@functools.lru_cache(maxsize=4)
def _clock_table(end: str) -> np.ndarray:
    """"HH:MM:SS" + `end` for every second of a day, built once: a table look-up per value."""
    import numpy as np

    h, rest = np.divmod(np.arange(86_400), 3600)
    m, s = np.divmod(rest, 60)
    cells = [f"{a:02d}:{b:02d}:{c:02d}{end}" for a, b, c in zip(h.tolist(), m.tolist(),
                                                                 s.tolist(), strict=True)]
    return np.array(cells, dtype=object)


def iso_timestamps(values: pd.Series, end: str = "") -> list[str]:
    """datetime64 values as "YYYY-MM-DDTHH:MM:SS" (+ `end`), vectorised: the date of each
    distinct day by `np.datetime_as_string`, the time of day from a table (2x faster than
    formatting every value, 4x faster than `strftime`). Missing values become `end` alone."""
    import numpy as np

    raw = values.to_numpy(dtype="datetime64[ns]")
    missing = np.isnat(raw)
    secs = raw.astype("datetime64[s]").astype(np.int64)
    secs[missing] = 0
    day, second = np.divmod(secs, 86_400)
    days, which = np.unique(day, return_inverse=True)
    dates = np.datetime_as_string(days.astype("datetime64[D]"), unit="D").astype(object) + "T"
    out = list(map(str.__add__, dates[which].tolist(), _clock_table(end)[second].tolist()))
    if missing.any():
        for i in np.flatnonzero(missing).tolist():
            out[i] = end
    return out


def _texts(values: pd.Series, na: str | None) -> list:
    """A string column as a list, missing values as `na`."""
    return values.to_numpy(dtype=object, na_value=na).tolist()


def excel_safe(cells: list[str]) -> list[str]:
    """Prefix an apostrophe to every cell a spreadsheet would read as a formula (OWASP)."""
    return [("'" + v) if v.startswith(FORMULA_START) else v for v in cells]


def _csv_cell(value: str) -> str:
    """One text cell for Excel: an apostrophe before a formula start (OWASP), then quoted
    (quotes doubled) when it holds a comma, quote or line break, as QUOTE_MINIMAL does."""
    if value.startswith(FORMULA_START):
        value = "'" + value
    return ('"' + value.replace('"', '""') + '"') if _NEEDS_QUOTES(value) else value


def _csv_texts(cells: list[str]) -> list[str]:
    starts, quote = FORMULA_START, _NEEDS_QUOTES
    return [_csv_cell(v) if v.startswith(starts) or quote(v) else v for v in cells]


def _csv_few(values: pd.Series, end: str) -> list[str]:
    """A column with few distinct values (sender, kind, attachment): each distinct value is
    made a cell once, then spread by code (`pd.factorize`); missing values are empty."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values)
    cells = [_csv_cell(str(u)) + end for u in uniques.tolist()] + [end]  # code -1: missing
    return np.array(cells, dtype=object)[codes].tolist()


def _chunks(chat: Chat) -> Iterator[tuple[dict[str, pd.Series], list[str]]]:
    """Per `CHUNK_ROWS` rows: the columns other than ``text``, and the texts decoded for
    those rows only (a million texts are never all held as strs at once)."""
    columns = {c: chat.column(c) for c in MESSAGE_COLUMNS if c != "text"}
    for start in range(0, len(chat), CHUNK_ROWS):
        stop = start + CHUNK_ROWS
        yield ({c: col.iloc[start:stop] for c, col in columns.items()},
               chat.texts[start:stop].tolist())


def messages_csv_chunks(chat: Chat) -> Iterator[bytes]:
    """The table as Excel-safe CSV (see the module docstring), header row first.

    Each chunk is one `str.join` over the cells of all its rows, the commas and line ends
    folded into the cells of the columns that have few distinct values."""
    yield BOM + (",".join(MESSAGE_COLUMNS) + "\r\n").encode("utf-8")
    for part, texts in _chunks(chat):
        n = len(texts)
        flat: list[str | None] = [None] * (n * 8)
        flat[0::8] = iso_timestamps(part["timestamp"], end=",")
        flat[1::8] = _csv_few(part["sender"], ",")
        flat[2::8] = _csv_few(part["kind"], ",")
        flat[3::8] = _csv_texts(texts)
        flat[4::8] = [",True," if e else ",False," for e in part["edited"].tolist()]
        flat[5::8] = _csv_few(part["attachment"], ",")
        flat[6::8] = map(str, part["line"].tolist())
        flat[7::8] = ["\r\n"] * n
        yield "".join(flat).encode("utf-8")  # type: ignore[arg-type]


def _json_strings(values: pd.Series) -> list[str]:
    return [encode_basestring(v) if v is not None else "null" for v in _texts(values, None)]


_JSON_ROW = ('{{"timestamp": "{}", "sender": {}, "kind": "{}", "text": {}, "edited": {}, '
             '"attachment": {}, "line": {}}}').format


def messages_json_chunks(chat: Chat) -> Iterator[bytes]:
    """`{"chat": metadata, "messages": [rows]}`, one message per line; the metadata says how
    the file was read. Same document as `json.loads` of the old one-string output."""
    head = json.dumps(chat.meta.to_dict(), ensure_ascii=False)
    yield f'{{"chat": {head},\n"messages": [\n'.encode()
    first = True
    for part, texts in _chunks(chat):
        rows = map(
            _JSON_ROW,
            iso_timestamps(part["timestamp"]),
            _json_strings(part["sender"]),
            part["kind"].astype(str).tolist(),
            map(encode_basestring, texts),
            ["true" if e else "false" for e in part["edited"].tolist()],
            _json_strings(part["attachment"]),
            map(str, part["line"].tolist()),
        )
        body = ",\n".join(rows)
        yield (body if first else ",\n" + body).encode("utf-8")
        first = False
    yield b"\n]}\n"


def check_xlsx(chat: Chat) -> None:
    """Refuse, before anything is written, a table Excel cannot hold."""
    if len(chat) > XLSX_MAX_ROWS:
        raise OutputError(
            f"This chat has {len(chat):,} messages; an Excel sheet holds at most "
            f"{XLSX_MAX_ROWS:,}: use --format csv or json."
        )


def long_texts(chat: Chat) -> int:
    """How many messages are longer than an Excel cell holds (they are cut in the XLSX)."""
    return sum(len(t) > XLSX_MAX_CELL for t in chat.texts.tolist())


def _excel_serials(values: pd.Series) -> tuple[list[float], list[bool]]:
    """Excel date serials (days since 1899-12-30) and which values Excel cannot show as a
    date (before 1 March 1900, where Excel's calendar is wrong, or missing)."""
    import numpy as np

    raw = values.to_numpy(dtype="datetime64[ns]")
    base = np.datetime64("1899-12-30T00:00:00", "ns")
    serial = (raw - base) / np.timedelta64(86_400, "s")
    odd = np.isnat(raw) | (raw < np.datetime64("1900-03-01", "ns"))
    return serial.tolist(), odd.tolist()


def messages_xlsx_chunks(chat: Chat, folder: Path | None = None) -> Iterator[bytes]:
    """The table as an XLSX workbook (XlsxWriter): every text cell is a string cell (never a
    formula, a link or a number), timestamps are Excel dates, `edited` is a boolean; a second
    sheet says how the export was read. Built in a temporary file in `folder` (deleted on
    close), then yielded in chunks."""
    import xlsxwriter

    check_xlsx(chat)
    with tempfile.TemporaryFile(dir=folder) as handle:
        book = xlsxwriter.Workbook(handle, {
            "constant_memory": True, "tmpdir": str(folder) if folder else None,
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        })
        _write_sheets(book, chat)
        book.close()
        handle.seek(0)
        while block := handle.read(1 << 20):
            yield block


def _write_sheets(book, chat: Chat) -> None:
    bold = book.add_format({"bold": True})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("Messages")
    for col, (name, width) in enumerate(zip(MESSAGE_COLUMNS, (19, 24, 8, 70, 7, 24, 8),
                                            strict=True)):
        sheet.set_column(col, col, width, wrap if name == "text" else None)
        sheet.write_string(0, col, name, bold)
    sheet.freeze_panes(1, 0)
    row = 1
    for part, texts in _chunks(chat):
        serials, odd = _excel_serials(part["timestamp"])
        iso = iso_timestamps(part["timestamp"])
        cells = zip(serials, odd, iso, _texts(part["sender"], None),
                    part["kind"].astype(str).tolist(), texts,
                    part["edited"].tolist(), _texts(part["attachment"], None),
                    part["line"].tolist(), strict=True)
        for serial, bad, stamp, sender, kind, text, edited, attachment, line in cells:
            if bad:
                sheet.write_string(row, 0, stamp)
            else:
                sheet.write_number(row, 0, serial, when)
            if sender is not None:
                sheet.write_string(row, 1, sender)
            sheet.write_string(row, 2, kind)
            sheet.write_string(row, 3, text[:XLSX_MAX_CELL])
            sheet.write_boolean(row, 4, edited)
            if attachment is not None:
                sheet.write_string(row, 5, attachment)
            sheet.write_number(row, 6, line)
            row += 1
    sheet.autofilter(0, 0, max(row - 1, 1), len(MESSAGE_COLUMNS) - 1)
    about = book.add_worksheet("About this table")
    about.set_column(0, 0, 24)
    about.set_column(1, 1, 80)
    for r, (key, value) in enumerate(chat.meta.to_dict().items()):
        about.write_string(r, 0, key, bold)
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        about.write_string(r, 1, text[:XLSX_MAX_CELL])
