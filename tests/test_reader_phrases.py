"""One test per phrase-table row: system events, media forms, deleted and edited markers."""

from __future__ import annotations

import pytest

from chat_review.reader._parse import parse_export_bytes
from chat_review.reader.phrases import _read_table, system_event

LRM = "\u200e"
FILE = "IMG-20240113-WA0001.jpg"


def fill(phrase: str) -> str:
    return (
        phrase.replace("{name}", "Alice Hart")
        .replace("{any}", "3 pages")
        .replace("{file}", FILE)
        .replace("{'}", "'")
        .replace('{"}', '"')
    )


def parse(text: str):
    return parse_export_bytes(text.encode("utf-8"), "chat.txt", sha256="0" * 64)


SYSTEM = _read_table("system_phrases.tsv")
MEDIA = _read_table("media_phrases.tsv")
MARKERS = _read_table("marker_phrases.tsv")
FIRST = "13/01/2024, 08:00 - Ben Okafor: hello\n"
FIRST_IOS = "[13/01/2024, 08:00:00] Ben Okafor: hello\n"


def _id(row) -> str:
    return f"{row.lang}-{row.kind}-{row.phrase[:40]}"


@pytest.mark.parametrize("row", SYSTEM, ids=[_id(r) for r in SYSTEM])
def test_android_system_phrase_is_system_without_sender(row) -> None:
    m = parse(FIRST + f"13/01/2024, 09:00 - {fill(row.phrase)}\n").messages
    assert m["kind"].iat[1] == "system"
    assert m["sender"].isna().iat[1]
    assert m["text"].iat[1] == fill(row.phrase)


@pytest.mark.parametrize("row", SYSTEM, ids=[_id(r) for r in SYSTEM])
def test_system_phrase_is_recognised_as_its_own_event(row) -> None:
    assert system_event(LRM + fill(row.phrase)) == row.kind


@pytest.mark.parametrize("row", SYSTEM, ids=[_id(r) for r in SYSTEM])
def test_ios_system_phrase_attributed_to_group_is_system(row) -> None:
    text = FIRST_IOS + f"[13/01/2024, 09:00:00] Class 3 Parents: {LRM}{fill(row.phrase)}\n"
    m = parse(text).messages
    assert m["kind"].iat[1] == "system"
    assert m["sender"].isna().iat[1]
    assert list(m["sender"].dropna()) == ["Ben Okafor"]


@pytest.mark.parametrize(
    "row", [r for r in SYSTEM if r.scope == "anywhere"], ids=lambda r: _id(r)
)
def test_encryption_notice_with_a_sender_is_system(row) -> None:
    m = parse(FIRST_IOS + f"[13/01/2024, 09:00:00] Ben Okafor: {fill(row.phrase)}\n").messages
    assert m["kind"].iat[1] == "system"
    assert m["sender"].isna().iat[1]


@pytest.mark.parametrize("row", MEDIA, ids=[_id(r) for r in MEDIA])
@pytest.mark.parametrize("prefix", ["", LRM], ids=["plain", "lrm"])
def test_media_form_is_media_with_attachment(row, prefix: str) -> None:
    m = parse(FIRST + f"13/01/2024, 09:00 - Ben Okafor: {prefix}{fill(row.phrase)}\n").messages
    assert m["kind"].iat[1] == "media"
    assert m["sender"].iat[1] == "Ben Okafor"
    if "{file}" in row.phrase:
        assert m["attachment"].iat[1] == FILE
    else:
        assert m["attachment"].isna().iat[1]


def test_media_caption_on_next_line_is_kept() -> None:
    text = FIRST + f"13/01/2024, 09:00 - Ben Okafor: {FILE} (file attached)\nOur trip\n"
    m = parse(text).messages
    assert m["kind"].iat[1] == "media"
    assert m["text"].iat[1] == f"{FILE} (file attached)\nOur trip"


@pytest.mark.parametrize(
    "row", [r for r in MARKERS if r.kind == "deleted"], ids=lambda r: _id(r)
)
def test_deleted_placeholder_is_deleted(row) -> None:
    m = parse(FIRST + f"13/01/2024, 09:00 - Ben Okafor: {row.phrase}\n").messages
    assert m["kind"].iat[1] == "deleted"
    assert m["sender"].iat[1] == "Ben Okafor"


@pytest.mark.parametrize("row", [r for r in MARKERS if r.kind == "edited"], ids=lambda r: _id(r))
@pytest.mark.parametrize("sep", [" ", f" {LRM}"], ids=["space", "space-lrm"])
def test_edited_marker_sets_flag_and_is_removed(row, sep: str) -> None:
    m = parse(FIRST + f"13/01/2024, 09:00 - Ben Okafor: See you{sep}{row.phrase}\n").messages
    assert bool(m["edited"].iat[1]) is True
    assert m["text"].iat[1] == "See you"
    assert m["kind"].iat[1] == "text"


def test_deleted_phrase_inside_a_longer_message_is_text() -> None:
    m = parse(FIRST + "13/01/2024, 09:00 - Ben Okafor: This message was deleted by me?\n").messages
    assert m["kind"].iat[1] == "text"


def test_user_text_like_a_system_event_stays_text_on_ios() -> None:
    m = parse(FIRST_IOS + "[13/01/2024, 09:00:00] Ben Okafor: Alice Hart left\n").messages
    assert m["kind"].iat[1] == "text"
    assert m["sender"].iat[1] == "Ben Okafor"


def test_android_subject_change_with_colon_in_quotes_is_system() -> None:
    m = parse(FIRST + '13/01/2024, 09:00 - Alice Hart changed the subject to "Trip: Fri"\n')
    assert m.messages["kind"].iat[1] == "system"
    assert m.messages["text"].iat[1] == 'Alice Hart changed the subject to "Trip: Fri"'


def test_empty_body_is_kept_as_empty_text() -> None:
    m = parse(FIRST + "13/01/2024, 09:00 - Ben Okafor: \n13/01/2024, 09:01 - Ben Okafor: x\n")
    assert len(m.messages) == 3
    assert m.messages["text"].iat[1] == ""
    assert m.messages["kind"].iat[1] == "text"


def test_system_events_names_each_system_rows_category() -> None:
    from chat_review.reader import system_events

    text = (
        "[13/01/2024, 08:00:00] Class 3: \u200eMessages and calls are end-to-end encrypted. "
        "No one outside of this chat can read them.\n"
        "[13/01/2024, 08:01:00] Class 3: \u200eAlice Hart created group \u201cClass 3\u201d\n"
        "[13/01/2024, 08:02:00] Class 3: \u200eAlice Hart added Ben Okafor\n"
        "[13/01/2024, 08:03:00] Ben Okafor: Alice Hart left\n"
        "[13/01/2024, 08:04:00] Class 3: \u200eBen Okafor left\n"
        "[13/01/2024, 08:05:00] Class 3: \u200eAlice Hart changed this group\u2019s icon\n"
    )
    m = parse(text).messages
    got = system_events(m)
    assert list(got.astype(object).where(got.notna(), None)) == [
        "encryption", "created", "added", None, "left", "icon"
    ]
    assert list(got.cat.categories)[:3] == ["encryption", "created", "added"]
