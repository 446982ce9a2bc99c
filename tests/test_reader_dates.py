"""Date order rules, 12/24 h times, header edge cases and warnings."""

from __future__ import annotations

import pandas as pd
import pytest

from chat_review.errors import ExportError
from chat_review.reader._parse import parse_export_bytes
from chat_review.reader.synthetic import render_synthetic


def parse(text: str, **kw):
    return parse_export_bytes(text.encode("utf-8"), "chat.txt", sha256="0" * 64, **kw)


def android(*dates: str) -> str:
    return "".join(f"{d}, 10:00 - Bob: m{i}\n" for i, d in enumerate(dates))


def test_first_field_above_12_proves_day_first_and_cites_the_line() -> None:
    chat = parse(android("01/02/2024", "13/02/2024"))
    assert chat.meta.date_order == "day-first"
    assert "line 2: 13/02/2024" in chat.meta.date_order_rule
    assert chat.messages["timestamp"].iat[0] == pd.Timestamp("2024-02-01 10:00")


def test_second_field_above_12_proves_month_first() -> None:
    chat = parse(android("02/01/2024", "02/13/2024"))
    assert chat.meta.date_order == "month-first"
    assert chat.messages["timestamp"].iat[0] == pd.Timestamp("2024-02-01 10:00")


def test_four_digit_first_field_is_year_first() -> None:
    chat = parse("2024/02/01 10:00 - Bob: hi\n")
    assert chat.meta.date_order == "year-first"
    assert chat.messages["timestamp"].iat[0] == pd.Timestamp("2024-02-01 10:00")


def test_forward_running_dates_decide_the_order() -> None:
    # read month-first: 1 May, 1 Jun, 2 Jan, 2 Feb, 2 Mar, 3 Jan -- two steps back
    chat = parse(android("05/01/2024", "06/01/2024", "01/02/2024", "02/02/2024", "03/02/2024",
                         "01/03/2024"))
    assert chat.meta.date_order == "day-first"
    assert "run forward" in chat.meta.date_order_rule
    assert not chat.meta.date_order_ambiguous


def test_forward_running_dates_can_prove_month_first() -> None:
    chat = parse(android("01/05/2024", "01/06/2024", "02/01/2024", "02/02/2024", "02/03/2024",
                         "03/01/2024"))
    assert chat.meta.date_order == "month-first"
    assert not chat.meta.date_order_ambiguous


def test_one_step_back_is_not_proof_of_the_order() -> None:
    # read month-first the dates step back once (1 Jun -> 2 Jan); one step proves nothing
    chat = parse(android("01/05/2024", "01/06/2024", "02/01/2024"))
    assert chat.meta.date_order == "day-first"
    assert chat.meta.date_order_ambiguous
    assert chat.meta.date_order_rule.startswith("not proven (")
    assert "1 read day-first" in chat.meta.date_order_rule
    assert any("could not be proven" in w for w in chat.meta.warnings)


def test_field_that_changes_more_often_is_the_day() -> None:
    chat = parse(android("01/03/2024", "02/03/2024", "03/03/2024", "04/03/2024"))
    assert chat.meta.date_order == "day-first"
    assert "changes more often" in chat.meta.date_order_rule
    assert not chat.meta.date_order_ambiguous
    chat = parse(android("03/01/2024", "03/02/2024", "03/03/2024", "03/04/2024"))
    assert chat.meta.date_order == "month-first"
    assert not chat.meta.date_order_ambiguous


def test_a_field_changing_twice_against_once_is_not_proof() -> None:
    # the case: the second field changes twice, the first once
    chat = parse(android("03/01/2024", "03/02/2024", "04/02/2024", "04/03/2024"))
    assert chat.meta.date_order == "day-first"
    assert chat.meta.date_order_ambiguous
    assert "2 against 1 changes" in chat.meta.date_order_rule
    assert chat.messages["timestamp"].iat[1] == pd.Timestamp("2024-02-03 10:00")


def test_undecidable_order_defaults_to_day_first_with_warning() -> None:
    chat = parse(android("03/04/2024", "03/04/2024"))
    assert chat.meta.date_order == "day-first"
    assert chat.meta.date_order_ambiguous
    assert any("date order" in w for w in chat.meta.warnings)


def test_override_is_used_when_consistent() -> None:
    chat = parse(android("03/04/2024"), date_order="month-first")
    assert chat.meta.date_order == "month-first"
    assert chat.messages["timestamp"].iat[0] == pd.Timestamp("2024-03-04 10:00")
    assert not chat.meta.date_order_ambiguous


def test_override_contradicted_by_file_is_refused() -> None:
    with pytest.raises(ExportError, match="month field is above 12"):
        parse(android("13/01/2024"), date_order="month-first")
    with pytest.raises(ExportError, match="contradicts"):
        parse(android("01/13/2024"), date_order="day-first")
    with pytest.raises(ExportError, match="contradict"):
        parse(android("01/12/2024"), date_order="year-first")


def test_unknown_date_order_is_refused() -> None:
    with pytest.raises(ExportError, match="Unknown date order 'sideways'; use day-first"):
        parse(android("13/01/2024"), date_order="sideways")


def test_mixed_orders_are_refused() -> None:
    with pytest.raises(ExportError, match="mix"):
        parse(android("13/01/2024", "01/13/2024"))


@pytest.mark.parametrize(
    ("clock", "expected"),
    [
        ("12:00 AM", "00:00"),
        ("12:30 am", "00:30"),
        ("12:00 PM", "12:00"),
        ("1:55 p.m.", "13:55"),
        ("1:55 P.M.", "13:55"),
        ("11:05 a. m.", "11:05"),
        ("1:55\u00a0pm", "13:55"),
        ("1:55\u202fPM", "13:55"),
        ("1:55\u2009PM", "13:55"),
    ],
)
def test_twelve_hour_clock(clock: str, expected: str) -> None:
    chat = parse(f"13/01/2024, {clock} - Bob: hi\n")
    assert chat.messages["timestamp"].iat[0] == pd.Timestamp(f"2024-01-13 {expected}")


def test_time_with_dots_and_seconds() -> None:
    chat = parse("[13.01.24, 18.30.15] Bob: hi\n")
    assert chat.messages["timestamp"].iat[0] == pd.Timestamp("2024-01-13 18:30:15")


def test_impossible_hour_is_refused() -> None:
    with pytest.raises(ExportError, match="impossible time"):
        parse("13/01/2024, 24:30 - Bob: hi\n")


def test_impossible_date_is_refused() -> None:
    with pytest.raises(ExportError, match="impossible"):
        parse(android("13/01/2024", "31/02/2024"))


def test_two_digit_year_is_this_century() -> None:
    chat = parse(android("13/01/24"))
    assert chat.messages["timestamp"].iat[0] == pd.Timestamp("2024-01-13 10:00")


def test_dst_change_day_is_naive_local_time() -> None:
    text = android("31/03/2024") + "31/03/2024, 01:30 - Bob: a\n31/03/2024, 02:30 - Bob: b\n"
    ts = parse(text).messages["timestamp"]
    assert ts.iat[2] == pd.Timestamp("2024-03-31 02:30")


def test_out_of_order_messages_stay_in_file_order_and_warn() -> None:
    text = (
        "13/01/2024, 10:00 - Bob: a\n13/01/2024, 09:00 - Bob: b\n"
        "13/01/2024, 10:30 - Bob: c\n13/01/2024, 10:29 - Bob: d\n"
    )
    chat = parse(text)
    assert list(chat.messages["text"]) == ["a", "b", "c", "d"]
    backwards = [w for w in chat.meta.warnings if "backwards" in w]
    assert len(backwards) == 1 and "1 time(s)" in backwards[0] and "line 2" in backwards[0]


def test_ios_tilde_marker_is_removed_from_sender() -> None:
    text = "[13/01/2024, 10:00:00] ~\u202fSam Reed: hi\n[13/01/2024, 10:01:00] ~ Sam Reed: x\n"
    chat = parse(text)
    assert list(chat.messages["sender"]) == ["Sam Reed", "Sam Reed"]


def test_direction_marks_removed_from_sender_and_kept_in_text() -> None:
    body = "\u200fשלום 👩\u200d👩\u200d👧 \u202aok\u202c e\u0301"
    chat = parse(f"\u200e13/01/2024, 10:00 - \u202a+44 7700 900123\u202c: {body}\n")
    assert chat.messages["sender"].iat[0] == "+44 7700 900123"
    assert chat.messages["text"].iat[0] == body


@pytest.mark.parametrize(
    "line",
    [
        "13/01/2024",
        "13/01/2024 we met",
        "Alice: pasted text",
        "Re: a: b",
        "13/01/2024, 10:00 Bob: no dash",
        "[13/01/2024, 10:00] Bob: other format",
        "- 13/01/2024, 10:00 - Bob: indented",
    ],
)
def test_header_lookalike_continuation_stays_text(line: str) -> None:
    chat = parse(f"13/01/2024, 09:00 - Bob: first\n{line}\n13/01/2024, 10:00 - Bob: last\n")
    assert len(chat.messages) == 2
    assert chat.messages["text"].iat[0] == f"first\n{line}"


def test_missing_space_after_sender_colon() -> None:
    chat = parse("13/01/2024, 09:00 - Bob:hi there\n")
    assert chat.messages["sender"].iat[0] == "Bob"
    assert chat.messages["text"].iat[0] == "hi there"


def test_truncated_large_export_warns() -> None:
    data = render_synthetic(39_500, "android", seed=3)
    cut = data[data.index(b"\n") + 1 :]  # drop the encryption notice that opens the chat
    chat = parse_export_bytes(cut, "chat.txt", sha256="0")
    assert any("earlier messages may be missing" in w for w in chat.meta.warnings)


def test_complete_large_export_does_not_warn() -> None:
    chat = parse_export_bytes(render_synthetic(39_500, "ios", seed=3), "chat.txt", sha256="0")
    assert not any("missing" in w for w in chat.meta.warnings)
    assert chat.meta.counts_by_kind["system"] > 0


def test_lines_before_first_header_warn() -> None:
    chat = parse("hello\n13/01/2024, 09:00 - Bob: x\n")
    assert chat.messages["line"].iat[0] == 2
    assert any("before the first message" in w for w in chat.meta.warnings)
