"""Basic behaviour of parse_export_bytes on Android and iOS exports."""

from __future__ import annotations

import pandas as pd

from chat_review.reader._parse import parse_export_bytes
from chat_review.reader.chat import MESSAGE_COLUMNS


def parse(text: str, **kw):
    return parse_export_bytes(text.encode("utf-8"), "chat.txt", sha256="0" * 64, **kw)


ANDROID = (
    "31/12/2024, 23:59 - Alice Smith: Hello: there\n"
    "second line 01/01/2025 not a header\n"
    "Bob: pasted\n"
    "01/01/2025, 00:01 - Bob: Happy new year\n"
)

IOS = (
    "[31/12/2024, 23:59:01] Alice Smith: Hello\n"
    "line two\n"
    "[01/01/2025, 00:01:02] Bob: Happy new year\n"
)


def test_android_24h_day_first_multiline() -> None:
    chat = parse(ANDROID)
    m = chat.messages
    assert list(m.columns) == MESSAGE_COLUMNS
    assert list(m["sender"]) == ["Alice Smith", "Bob"]
    assert m["text"].iat[0] == "Hello: there\nsecond line 01/01/2025 not a header\nBob: pasted"
    assert m["timestamp"].iat[0] == pd.Timestamp("2024-12-31 23:59")
    assert m["timestamp"].iat[1] == pd.Timestamp("2025-01-01 00:01")
    assert list(m["line"]) == [1, 4]
    assert chat.meta.platform == "android"
    assert chat.meta.date_order == "day-first"


def test_ios_bracketed_multiline_with_seconds() -> None:
    chat = parse(IOS)
    m = chat.messages
    assert list(m["sender"]) == ["Alice Smith", "Bob"]
    assert m["text"].iat[0] == "Hello\nline two"
    assert m["timestamp"].iat[1] == pd.Timestamp("2025-01-01 00:01:02")
    assert chat.meta.platform == "ios"


def test_column_dtypes_match_contract() -> None:
    m = parse(ANDROID).messages
    assert str(m["timestamp"].dtype) == "datetime64[ns]"
    assert m["sender"].dtype == "string"
    assert m["kind"].dtype == "category"
    assert m["text"].dtype == "string"
    assert m["edited"].dtype == bool
    assert m["attachment"].dtype == "string"
    assert m["line"].dtype == "int64"


def test_an_edited_ios_message_ending_in_a_bracket_is_text_not_an_attachment() -> None:
    chat = parse(
        "[31/12/2024, 23:59:01] Alice Smith: see <the note> \u200e<This message was edited>\n"
        "[31/12/2024, 23:59:30] Bob: \u200e<attached: 00000012-PHOTO-2024-12-31.jpg>\n"
    )
    m = chat.messages
    assert list(m["kind"]) == ["text", "media"]
    assert bool(m["edited"].iat[0]) and not bool(m["edited"].iat[1])
    assert m["text"].iat[0] == "see <the note>"
