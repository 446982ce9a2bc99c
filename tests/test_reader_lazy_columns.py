"""The columns the reader keeps apart until asked for: the texts as spans of the export's bytes
(`chat_review.reader.texts`), the senders as codes, the attachment names. Every way of
reading them gives what the export holds, and the term search sees the same bytes whether
the texts came from an export or were given as strs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chat_review.analysis.prefilter import Prefilter, pieces
from chat_review.reader._parse import parse_export_bytes
from chat_review.reader.chat import MESSAGE_COLUMNS, Chat
from chat_review.reader.texts import PAD, MessageTexts

EXPORT = (
    "12/03/2025, 09:00 - Ana: Morning 🌞\n"
    "second line, ÇA VA?\n"
    "12/03/2025, 09:01 - Ben: \n"
    "12/03/2025, 09:02 - Ana: <Media omitted>\n"
    "12/03/2025, 09:03 - Ben: Zoë said: kill the lights <This message was edited>\n"
    "12/03/2025, 09:04 - Ana: last one\n"
)
TEXTS = ["Morning 🌞\nsecond line, ÇA VA?", "", "<Media omitted>", "Zoë said: kill the lights",
         "last one"]


def read(text: str = EXPORT) -> Chat:
    return parse_export_bytes(text.encode(), "chat.txt", sha256="0" * 64)


def test_the_texts_of_a_read_export_are_the_bytes_it_holds_for_each_message() -> None:
    assert read().texts.tolist() == TEXTS


def test_the_message_table_gets_its_text_column_in_its_place_when_first_read() -> None:
    chat = read()
    assert list(chat.messages.columns) == MESSAGE_COLUMNS
    assert chat.messages["text"].tolist() == TEXTS
    assert chat.messages["text"].dtype == "string"


def test_columns_and_length_are_read_without_the_texts() -> None:
    chat = read()
    assert len(chat) == 5
    assert chat.column("sender").tolist() == ["Ana", "Ben", "Ana", "Ben", "Ana"]
    with pytest.raises(ValueError, match="Chat.texts"):
        chat.column("text")


def test_rows_taken_by_mask_by_position_or_slice_keep_their_own_texts() -> None:
    texts = read().texts
    assert texts[np.array([True, False, False, True, False])].tolist() == [TEXTS[0], TEXTS[3]]
    assert texts[np.array([4, 0, 4])].tolist() == [TEXTS[4], TEXTS[0], TEXTS[4]]
    assert texts[1:3].tolist() == TEXTS[1:3]
    assert texts[np.array([], dtype=np.int64)].tolist() == []


def test_keeping_rows_of_a_chat_keeps_texts_and_table_aligned() -> None:
    chat = read()
    chat.keep(np.array([False, True, False, True, True]))
    assert chat.messages["text"].tolist() == TEXTS[1:2] + TEXTS[3:]
    assert chat.messages["line"].tolist() == [3, 5, 6]


def test_texts_given_as_strs_read_a_missing_one_as_empty() -> None:
    texts = MessageTexts.from_values(pd.Series(["a", None, "c"], dtype="string"))
    assert texts.tolist() == ["a", "", "c"]
    assert texts[np.array([2, 0])].tolist() == ["c", "a"]


def test_a_chat_made_from_a_table_with_texts_reads_them_from_the_table() -> None:
    table = read().messages.copy()
    chat = Chat(table, read().meta)
    assert chat.texts.tolist() == TEXTS


def joined(texts: MessageTexts) -> tuple[bytes, list[int]]:
    """The search blocks as one buffer, and the offset of the NUL before each text in it."""
    low, seps = b"", []
    for block in texts.lowered_blocks():
        seps += (block.seps + len(low)).tolist()
        low += block.low
    return low, seps


@pytest.mark.parametrize("rows", [slice(None), np.array([0, 3, 4]), np.array([3, 0])])
def test_the_search_blocks_are_the_same_from_spans_and_from_strs(rows) -> None:
    spans = read().texts[rows]
    strs = MessageTexts.from_values(spans.tolist())
    assert joined(spans) == joined(strs)


def test_a_search_block_is_lower_cased_ascii_between_nuls_then_padding() -> None:
    low, seps = joined(read().texts[np.array([0, 3])])
    assert low == ("\x00morning 🌞\nsecond line, Ça va?\x00zoë said: kill the lights"
                   + "\x00" * PAD).encode()
    assert seps == [0, low.index(b"\x00zo")]


def test_a_long_chat_is_searched_in_blocks_with_each_text_whole_in_one(monkeypatch) -> None:
    monkeypatch.setattr("chat_review.reader.texts._BLOCK", 64)
    texts = read(EXPORT * 20).texts
    blocks = list(texts.lowered_blocks())
    assert len(blocks) > 5
    assert [b.first for b in blocks] == sorted(b.first for b in blocks)
    searched = [low[a + 1 : b] for low, seps, _ in blocks
                for a, b in zip(seps.tolist(), [*seps[1:].tolist(), len(low) - PAD],
                                strict=True)]
    assert searched == [t.encode().lower() for t in texts.tolist()]
    assert Prefilter([pieces("kill")]).rows(texts).tolist() == list(range(3, 100, 5))


def test_texts_of_several_chats_follow_one_another() -> None:
    first, second = read().texts, read(EXPORT.replace("Ana", "Cy")).texts
    both = MessageTexts.concat([first, second[np.array([0, 4])]])
    assert both.tolist() == TEXTS + [TEXTS[0], TEXTS[4]]
    assert Prefilter([pieces("kill")]).rows(both).tolist() == [3]


def test_a_text_holding_nul_turns_the_prefilter_off_rather_than_miscount_rows() -> None:
    assert Prefilter([pieces("kill")]).rows(np.array(["a\x00b", "kill"], dtype=object)) is None


IOS = (
    "[12/03/2025, 09:00:00] Class 4B: \u200eMessages and calls are end-to-end encrypted.\n"
    "[12/03/2025, 09:01:00] ~\u202fSam Roy: hello\n"
    "[12/03/2025, 09:02:00] Ana: <attached: 00000012-PHOTO-2025-03-12-09-02-00.jpg>\n"
    "[12/03/2025, 09:03:00] Sam Roy: again\n"
)


def read_ios() -> Chat:
    return parse_export_bytes(IOS.encode(), "chat.txt", sha256="0" * 64)


def test_sender_codes_merge_names_that_read_the_same_and_leave_system_rows_out() -> None:
    codes, names = read_ios().sender_codes()
    assert names == ["Sam Roy", "Ana"]
    assert codes.tolist() == [-1, 0, 1, 0]


def test_the_sender_column_made_from_codes_has_no_sender_for_system_rows() -> None:
    sender = read_ios().messages["sender"]
    assert sender.dtype == "string"
    assert sender.isna().tolist() == [True, False, False, False]
    assert sender.tolist()[1:] == ["Sam Roy", "Ana", "Sam Roy"]


def test_sender_codes_of_a_table_are_its_factorised_sender_column() -> None:
    table = read_ios().messages.copy()
    codes, names = Chat(table, read_ios().meta).sender_codes()
    assert (codes.tolist(), names) == ([-1, 0, 1, 0], ["Sam Roy", "Ana"])


def test_keeping_rows_renumbers_senders_by_their_first_kept_message() -> None:
    chat = read_ios()
    chat.keep(np.array([True, False, True, True]))
    assert chat.sender_codes().names == ["Ana", "Sam Roy"]
    assert chat.sender_codes().codes.tolist() == [-1, 0, 1]
    assert chat.messages["sender"].tolist()[1:] == ["Ana", "Sam Roy"]


def test_attachment_names_are_on_media_rows_only_and_follow_kept_rows() -> None:
    chat = read_ios()
    assert chat.column("attachment").isna().tolist() == [True, True, False, True]
    chat.keep(np.array([False, False, True, True]))
    assert chat.messages["attachment"].tolist()[0] == "00000012-PHOTO-2025-03-12-09-02-00.jpg"
    assert chat.messages["attachment"].isna().tolist() == [False, True]


@pytest.mark.parametrize("rows", [np.arange(100), np.arange(0, 100, 37), np.array([99, 3])],
                         ids=["every row", "a few rows spread out", "out of order"])
def test_dense_and_sparse_selections_decode_the_same_texts(rows) -> None:
    texts = read(EXPORT * 20).texts
    assert texts[rows].tolist() == [TEXTS[i % 5] for i in rows.tolist()]


def test_a_column_the_table_does_not_have_is_refused_by_name() -> None:
    with pytest.raises(KeyError, match="no column 'colour'"):
        read().column("colour")
