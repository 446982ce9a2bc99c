"""The reader never silently mis-reads: mixed layouts, iOS direction marks, impossible dates."""

from __future__ import annotations

import pytest

from chat_review.errors import ExportError
from chat_review.reader._parse import parse_export_bytes

LRM = "\u200e"


def parse(text: str):
    return parse_export_bytes(text.encode("utf-8"), "chat.txt", sha256="0" * 64)


def android_lines(n: int, start: int = 0) -> str:
    return "".join(f"13/01/2024, 10:{(start + i) % 60:02d} - Bob: m{start + i}\n" for i in range(n))


# --- (a) a second header layout inside the messages ------------------------------------------


def test_one_pasted_header_in_another_layout_warns_and_stays_text() -> None:
    text = android_lines(3) + "[13/01/2024, 10:05:00] Alice: forwarded\n" + android_lines(3, 3)
    chat = parse(text)
    assert len(chat.messages) == 6
    assert chat.messages["text"].iat[2] == "m2\n[13/01/2024, 10:05:00] Alice: forwarded"
    mixed = [w for w in chat.meta.warnings if "another layout" in w]
    assert len(mixed) == 1 and "1 line(s)" in mixed[0] and "line 4" in mixed[0]


def test_many_headers_in_another_layout_refuse_the_file() -> None:
    ios = "".join(f"[14/01/2024, 09:{i:02d}:00] Alice: i{i}\n" for i in range(20))
    with pytest.raises(ExportError, match="mixes two message layouts.*20 line"):
        parse(android_lines(30) + ios)


PASTED_HEADERS = [
    "[13/01/2024, 10:05:00] Alice: forwarded",
    f"{LRM}[13/01/2024, 10:05:00] Alice: forwarded",
    "13.01.24, 10:05 - Alice: forwarded",
    "1/13/24, 10:05\u202fAM - Alice: forwarded",
    "[10:05:00, 13/01/2024] Alice: forwarded",
    "\u0661\u0663/\u0660\u0661/\u0662\u0660\u0662\u0664, \u0661\u0660:\u0660\u0665 - Alice: x",
]


@pytest.mark.parametrize("pasted", PASTED_HEADERS)
def test_a_pasted_header_among_lines_starting_with_digits_and_bullets_is_found(pasted) -> None:
    # continuation lines that start like a header but cannot be one are skipped before the
    # regex; the pasted header must still be seen
    noise = "\u2022 Monday: PE\n2 tickets\n10am?\n1999 was\n12:3\n\u0661 \u0627\n"
    chat = parse(android_lines(3) + noise + pasted + "\n" + noise + android_lines(3, 3))
    mixed = [w for w in chat.meta.warnings if "another layout" in w]
    assert len(mixed) == 1 and "1 line(s)" in mixed[0] and "line 10" in mixed[0]


def test_a_date_like_line_that_is_no_real_date_is_not_a_layout() -> None:
    chat = parse(android_lines(2) + "[99/99/9999, 10:00:00] looks odd\n" + android_lines(1, 2))
    assert not [w for w in chat.meta.warnings if "another layout" in w]


# --- (b) iOS bodies starting with U+200E --------------------------------------------------------


IOS_HEAD = "[13/01/2024, 08:00:00] Ben Okafor: hello\n"


def test_ios_message_starting_with_lrm_but_no_notice_stays_the_senders() -> None:
    chat = parse(IOS_HEAD + f"[13/01/2024, 09:00:00] Ben Okafor: {LRM}See you at 3\n")
    m = chat.messages
    assert m["kind"].iat[1] == "text"
    assert m["sender"].iat[1] == "Ben Okafor"
    warned = [w for w in chat.meta.warnings if "invisible mark" in w]
    assert len(warned) == 1 and "1 message(s)" in warned[0] and "line 2" in warned[0]


def test_ios_known_notice_with_lrm_is_system() -> None:
    chat = parse(IOS_HEAD + f"[13/01/2024, 09:00:00] Ben Okafor: {LRM}Missed voice call\n")
    assert chat.messages["kind"].iat[1] == "system"
    assert chat.messages["sender"].isna().iat[1]
    assert not [w for w in chat.meta.warnings if "invisible mark" in w]


def test_ios_unknown_notice_from_the_group_name_is_system() -> None:
    text = (
        f"[13/01/2024, 07:00:00] Class 3 Parents: {LRM}Alice Hart created group “Class 3”\n"
        + IOS_HEAD
        + f"[13/01/2024, 09:00:00] Class 3 Parents: {LRM}Alice Hart did a new thing\n"
    )
    chat = parse(text)
    m = chat.messages
    assert list(m["kind"]) == ["system", "text", "system"]
    assert list(m["sender"].dropna()) == ["Ben Okafor"]
    assert not [w for w in chat.meta.warnings if "invisible mark" in w]


def test_ios_participant_with_one_unmarked_line_is_not_the_group() -> None:
    text = (
        IOS_HEAD
        + f"[13/01/2024, 09:00:00] Ben Okafor: {LRM}Missed voice call\n"
        + f"[13/01/2024, 09:01:00] Ben Okafor: {LRM}call me back\n"
    )
    m = parse(text).messages
    assert list(m["kind"]) == ["text", "system", "text"]
    assert m["sender"].iat[2] == "Ben Okafor"


def test_ios_participant_text_that_reads_like_a_notice_stays_text() -> None:
    text = (
        IOS_HEAD
        + f"[13/01/2024, 09:00:00] Ana Lima: {LRM}Chamada de voz perdida\n"
        + "[13/01/2024, 09:01:00] Ana Lima: A reunião saiu\n"
    )
    m = parse(text).messages
    assert list(m["kind"]) == ["text", "system", "text"]
    assert m["sender"].iat[2] == "Ana Lima"


# --- (c) impossible dates and times name the line ----------------------------------------------


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("31/02/2024, 10:00 - Bob: x", "date '31/02/2024'"),
        ("13/01/2024, 24:00 - Bob: x", "time '24:00'"),
        ("13/01/2024, 10:60 - Bob: x", "time '10:60'"),
        ("13/01/3000, 10:00 - Bob: x", "year 3000"),
    ],
)
def test_impossible_date_or_time_is_refused_naming_the_line(line: str, words: str) -> None:
    with pytest.raises(ExportError, match="Line 2 ") as err:
        parse("13/01/2024, 09:00 - Bob: first\n" + line + "\n")
    assert words in str(err.value)


def test_impossible_time_on_ios_names_the_line() -> None:
    with pytest.raises(ExportError, match="Line 3 has the impossible time '09:00:61'"):
        parse(IOS_HEAD + "text\n[13/01/2024, 09:00:61] Ben Okafor: x\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024. 12. 31. 오후 11:59 - 이름: 텍스트\n2025. 1. 1. 오전 12:01 - 다른: 더\n",
         ["2024-12-31 23:59:00", "2025-01-01 00:01:00"]),
        ("2024/12/31 午後 11:59 - 名前: テキスト\n", ["2024-12-31 23:59:00"]),
        ("[2024/12/31 下午 11:59:01] 名字: 文本\n", ["2024-12-31 23:59:01"]),
    ],
)
def test_a_time_of_day_word_before_the_hour_is_read_as_a_person_would(text, expected):
    chat = parse_export_bytes(text.encode("utf-8"), "chat.txt", sha256="0" * 64)
    assert chat.messages["timestamp"].astype(str).tolist() == expected
    assert "time-of-day word" in chat.meta.date_order_rule


def test_an_unknown_word_between_date_and_time_that_changes_is_refused():
    text = "31/12/2024 xa 11:59 - A: one\n01/01/2025 yb 00:01 - B: two\n"
    with pytest.raises(ExportError, match="does not know between the date and the hour"):
        parse_export_bytes(text.encode("utf-8"), "chat.txt", sha256="0" * 64)


def test_a_constant_word_between_date_and_time_is_read():
    text = "31/12/2024 à 23:59 - A: one\n01/01/2025 à 00:01 - B: two\n"
    chat = parse_export_bytes(text.encode("utf-8"), "chat.txt", sha256="0" * 64)
    assert chat.messages["timestamp"].astype(str).tolist() == [
        "2024-12-31 23:59:00", "2025-01-01 00:01:00"]
