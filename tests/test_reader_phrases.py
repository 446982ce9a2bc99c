"""One test per phrase-table row: system events, media forms, deleted and edited markers."""

from __future__ import annotations

import pandas as pd
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


def _langs(rows) -> list[str]:
    return sorted({r.lang for r in rows})


def _of(rows, lang: str) -> list:
    return [r for r in rows if r.lang == lang]


# One export per language holds every row of that language, one message each, so a failure
# names the phrases that were misread (the lists are compared whole).


@pytest.mark.parametrize("lang", _langs(SYSTEM))
def test_android_system_phrases_are_system_without_sender(lang: str) -> None:
    rows = _of(SYSTEM, lang)
    body = "".join(f"13/01/2024, 09:00 - {fill(r.phrase)}\n" for r in rows)
    m = parse(FIRST + body).messages.iloc[1:]
    assert list(m["text"]) == [fill(r.phrase) for r in rows]
    assert [p for p, k in zip(m["text"], m["kind"], strict=True) if k != "system"] == []
    assert m["sender"].isna().all()


@pytest.mark.parametrize("row", SYSTEM, ids=[_id(r) for r in SYSTEM])
def test_system_phrase_is_recognised_as_its_own_event(row) -> None:
    assert system_event(LRM + fill(row.phrase)) == row.kind


@pytest.mark.parametrize("lang", _langs(SYSTEM))
def test_ios_system_phrases_attributed_to_group_are_system(lang: str) -> None:
    rows = _of(SYSTEM, lang)
    body = "".join(f"[13/01/2024, 09:00:00] Class 3 Parents: {LRM}{fill(r.phrase)}\n"
                   for r in rows)
    m = parse(FIRST_IOS + body).messages
    got = m.iloc[1:]
    assert [p for p, k in zip(got["text"], got["kind"], strict=True) if k != "system"] == []
    assert got["sender"].isna().all()
    assert list(m["sender"].dropna()) == ["Ben Okafor"]


@pytest.mark.parametrize(
    "row", [r for r in SYSTEM if r.scope == "anywhere"], ids=lambda r: _id(r)
)
def test_encryption_notice_with_a_sender_is_system(row) -> None:
    m = parse(FIRST_IOS + f"[13/01/2024, 09:00:00] Ben Okafor: {fill(row.phrase)}\n").messages
    assert m["kind"].iat[1] == "system"
    assert m["sender"].isna().iat[1]


@pytest.mark.parametrize("lang", _langs(MEDIA))
@pytest.mark.parametrize("prefix", ["", LRM], ids=["plain", "lrm"])
def test_media_forms_are_media_with_attachment(lang: str, prefix: str) -> None:
    rows = _of(MEDIA, lang)
    body = "".join(f"13/01/2024, 09:00 - Ben Okafor: {prefix}{fill(r.phrase)}\n" for r in rows)
    m = parse(FIRST + body).messages.iloc[1:]
    assert [r.phrase for r, k in zip(rows, m["kind"], strict=True) if k != "media"] == []
    assert (m["sender"] == "Ben Okafor").all()
    expected = [FILE if "{file}" in r.phrase else None for r in rows]
    assert [None if pd.isna(a) else a for a in m["attachment"]] == expected


def test_media_caption_on_next_line_is_kept() -> None:
    text = FIRST + f"13/01/2024, 09:00 - Ben Okafor: {FILE} (file attached)\nOur trip\n"
    m = parse(text).messages
    assert m["kind"].iat[1] == "media"
    assert m["text"].iat[1] == f"{FILE} (file attached)\nOur trip"


@pytest.mark.parametrize("lang", _langs([r for r in MARKERS if r.kind == "deleted"]))
def test_deleted_placeholders_are_deleted(lang: str) -> None:
    rows = [r for r in _of(MARKERS, lang) if r.kind == "deleted"]
    body = "".join(f"13/01/2024, 09:00 - Ben Okafor: {r.phrase}\n" for r in rows)
    m = parse(FIRST + body).messages.iloc[1:]
    assert [r.phrase for r, k in zip(rows, m["kind"], strict=True) if k != "deleted"] == []
    assert (m["sender"] == "Ben Okafor").all()


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


def test_a_chat_without_media_or_notices_compiles_no_phrase_pattern() -> None:
    # compiling every table's patterns cost a quarter of a second per process; a pattern is
    # compiled only when a body's first and last bytes agree with one of its phrases
    from chat_review.reader import phrases

    phrases.phrasebook.cache_clear()
    parse(FIRST + "13/01/2024, 08:01 - Alice Hart: see you at 5\n")
    book = phrases.phrasebook()
    assert book._start_compiled == {}
    parse(FIRST + "13/01/2024, 08:01 - Alice Hart: <Media omitted>\n")
    assert list(book._start_compiled) == [phrases._key("<Media omitted>")]


def test_repeated_attachment_lines_each_keep_their_own_file_name() -> None:
    # equal short bodies are matched once and share the result; different names must not
    names = ["IMG-20240113-WA0001.jpg", "IMG-20240113-WA0002.jpg", "IMG-20240113-WA0001.jpg"]
    body = "".join(f"[13/01/2024, 09:0{k}:00] Ben Okafor: {LRM}<attached: {n}>\n"
                   for k, n in enumerate(names))
    m = parse_export_bytes((FIRST_IOS + body).encode(), "chat.txt", sha256="0" * 64).messages
    assert list(m["kind"].iloc[1:]) == ["media"] * 3
    assert list(m["attachment"].iloc[1:]) == names


def test_an_edited_marker_after_marks_and_a_line_break_leaves_the_text_before_them() -> None:
    marker = next(r.phrase for r in MARKERS if r.kind == "edited")
    line = f"13/01/2024, 09:00 - Ben Okafor: two\nlines\n{LRM}{LRM}{marker}\n"
    m = parse(FIRST + line).messages
    assert bool(m["edited"].iat[1]) is True
    assert m["text"].iat[1] == "two\nlines"
