"""Issue 15: lines real phones write that once refused a whole file or were misread.

Each expectation was checked by hand against the line it reads.
"""

from __future__ import annotations

import pytest

from chat_review.errors import ExportError
from chat_review.reader._parse import parse_export_bytes

LRM = "\u200e"


def parse(text: str):
    return parse_export_bytes(text.encode("utf-8"), "chat.txt", sha256="0" * 64)


# -- a 24-hour time with a 12-hour marker --------------------------------------------------


@pytest.mark.parametrize(
    ("first", "odd", "expected"),
    [
        ("[3/18/22, 10:00:00 PM]", "[3/18/22, 23:59:00 PM]", "2022-03-18 23:59:00"),
        ("[18/3/22, 1:00:00 AM]", "[18/3/22, 00:04:03 AM]", "2022-03-18 00:04:03"),
        ("18/3/22, 1:00 a. m. -", "18/3/22, 00:08 a. m. -", "2022-03-18 00:08:00"),
        ("[18/3/22, 1:00:00 p.m.]", "[18/3/22, 13:37:00 p.m.]", "2022-03-18 13:37:00"),
    ],
)
def test_a_24_hour_time_with_a_marker_that_agrees_is_read_and_warned(first, odd, expected):
    chat = parse(f"{first} Ann Lee: one\n{odd} Ann Lee: two\n")
    assert str(chat.messages["timestamp"].iat[1]) == expected
    assert len(chat.messages) == 2
    warn = [w for w in chat.meta.warnings if "24-hour form with an AM/PM marker" in w]
    assert len(warn) == 1 and "line 2" in warn[0]


@pytest.mark.parametrize("odd", ["13:00 AM", "00:30 PM"])
def test_a_time_whose_marker_contradicts_the_hour_is_refused(odd: str) -> None:
    with pytest.raises(ExportError, match="Line 2 has the impossible time"):
        parse(f"18/3/22, 1:00 AM - Ann Lee: one\n18/3/22, {odd} - Ann Lee: two\n")


# -- attachments ---------------------------------------------------------------------------

IOS = "[13/01/2024, 09:00:00] Ann Lee: hi\n[13/01/2024, 09:01:00] Ben Ode: {}\n"


@pytest.mark.parametrize(
    ("body", "attachment"),
    [
        (f"Some file.txt {LRM}document omitted", "Some file.txt"),
        (f"Report.pdf \u2022 {LRM}2 pages {LRM}document omitted", "Report.pdf"),
        (f"{LRM}<attached: 00000012-PHOTO-2024-01-13-09-01-00.jpg>",
         "00000012-PHOTO-2024-01-13-09-01-00.jpg"),
        (f"{LRM}<{LRM}attached: {LRM}00000012-PHOTO-2024-01-13-09-01-00.jpg{LRM}>",
         "00000012-PHOTO-2024-01-13-09-01-00.jpg"),
        (f"Template.docx {LRM}<attached: 00000048-Template.docx>", "00000048-Template.docx"),
        (f"2015-08-04-PHOTO-00004762.jpg <{LRM}attached>", "2015-08-04-PHOTO-00004762.jpg"),
    ],
)
def test_ios_attachment_forms_are_media_with_their_file(body: str, attachment: str) -> None:
    m = parse(IOS.format(body)).messages
    assert m["kind"].iat[1] == "media"
    assert m["sender"].iat[1] == "Ben Ode"
    assert m["attachment"].iat[1] == attachment


@pytest.mark.parametrize(
    "body",
    ["<media omitted>", "<Media omitted>", "<MEDIA OMITTED>", f"{LRM}video omitido",
     "Video omitido", "Tarjeta de contacto omitida.", f"image omitted{LRM}"],
)
def test_placeholders_match_whatever_the_case_final_stop_or_marks(body: str) -> None:
    m = parse(IOS.format(body)).messages
    assert m["kind"].iat[1] == "media"


# -- phrases in languages the first tables missed --------------------------------------------


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("Kontaktkarte ausgelassen", "media"),
        ("Fiche contact manquante", "media"),
        ("sticker omis", "media"),
        ("document manquant", "media"),
        ("GIF retiré", "media"),
        ("Video omitido", "media"),
        ("Tarjeta de contacto omitida", "media"),
        ("Scheda contatto omessa", "media"),
        ("sticker non incluso", "media"),
        ("documento omesso", "media"),
        ("GIF esclusa", "media"),
        ("Questo messaggio è stato eliminato.", "deleted"),
        ("imagem não revelada", "media"),
        ("Apagou esta mensagem.", "deleted"),
        ("U hebt dit bericht verwijderd", "deleted"),
        ("<رسانه حذف شد>", "media"),
        ("изображение отсутствует", "media"),
        ("Данное сообщение удалено.", "deleted"),
        ("画像は含まれていません", "media"),
        ("このメッセージは削除されました。", "deleted"),
        ("gambar tidak disertakan", "media"),
        ("Tin nhắn này đã bị xóa.", "deleted"),
        ("ไม่มีรูปภาพ", "media"),
        ("لم يتم إدراج الصورة", "media"),
        ("Tato zpráva byla smazána.", "deleted"),
        ("зображення відсутнє", "media"),
    ],
)
def test_phrases_from_real_exports_are_recognised(body: str, kind: str) -> None:
    m = parse(IOS.format(LRM + body)).messages
    assert m["kind"].iat[1] == kind
    assert m["sender"].iat[1] == "Ben Ode"


@pytest.mark.parametrize(
    "notice",
    [
        "As mensagens e as chamadas são encriptadas ponto a ponto. Ninguém fora desta conversa "
        "pode lê-las ou ouvi-las.",
        "Сообщения и звонки защищены сквозным шифрованием. Никто за пределами этого чата не "
        "может их прочитать.",
        "メッセージと通話はエンドツーエンド暗号化されています。",
        "Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini "
        "dapat membacanya.",
    ],
)
def test_ios_encryption_notice_is_not_a_message_from_the_contact(notice: str) -> None:
    m = parse(IOS.format(LRM + notice)).messages
    assert m["kind"].iat[1] == "system"
    assert m["sender"].isna().iat[1]
    assert list(m["sender"].dropna()) == ["Ann Lee"]


def test_polish_android_notice_with_a_colon_is_a_system_event_not_a_sender() -> None:
    text = "13.01.2024, 09:00 - Ann Lee: hi\n13.01.2024, 09:01 - Dodałeś(-aś): Ben Ode\n"
    m = parse(text).messages
    assert m["kind"].iat[1] == "system"
    assert m["text"].iat[1] == "Dodałeś(-aś): Ben Ode"


# -- layouts once refused -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "rule"),
    [
        ("[3/18/2565 BE, 14:56:01] Ann Lee: hi\n", "2022-03-18 14:56:01", "Buddhist-era"),
        ("[3/18/R4, 14:56:01] Ann Lee: hi\n", "2022-03-18 14:56:01", "Japanese-era R years"),
        ("[3/18/H30, 14:56:01] Ann Lee: hi\n", "2018-03-18 14:56:01", "Japanese-era H years"),
        ("[14:56:01, 3/18/22] Ann Lee: hi\n", "2022-03-18 14:56:01", "time is written before"),
        ("2022/12/14, 13:34. - Ann Lee: hi\n", "2022-12-14 13:34:00", "proves year-first"),
        ("13/01/2021, 9:15 in the morning - Ann Lee: hi\n", "2021-01-13 09:15:00", "day-first"),
        ("13/01/2021, 9:15 in the evening - Ann Lee: hi\n", "2021-01-13 21:15:00", "day-first"),
        ("13/01/2021, 3:15 in the afternoon - Ann Lee: hi\n", "2021-01-13 15:15:00", "day-first"),
        ("13/01/2021, 12:05 at night - Ann Lee: hi\n", "2021-01-13 00:05:00", "day-first"),
        ("13/01/2021, 10:30 at night - Ann Lee: hi\n", "2021-01-13 22:30:00", "day-first"),
        ("13/01/2021, 11:59 ب.ظ. - Ann Lee: hi\n", "2021-01-13 23:59:00", "day-first"),
        ("13/01/2021, 11:59 ق.ظ. - Ann Lee: hi\n", "2021-01-13 11:59:00", "day-first"),
    ],
)
def test_a_layout_is_read_as_a_person_would_with_its_rule(text, expected, rule) -> None:
    chat = parse(text)
    assert str(chat.messages["timestamp"].iat[0]) == expected
    assert chat.messages["sender"].iat[0] == "Ann Lee"
    assert rule in chat.meta.date_order_rule


@pytest.mark.parametrize(
    ("word_time", "expected"),
    [
        ("오전 12:01", "00:01"), ("오후 12:01", "12:01"), ("오후 11:59", "23:59"),
        ("午前0:05", "00:05"), ("午後0:30", "12:30"), ("午後11:59", "23:59"),
        ("上午8:00", "08:00"), ("下午1:01", "13:01"), ("中午12:30", "12:30"), ("中午1:30", "13:30"),
        ("中午11:45", "11:45"), ("凌晨12:30", "00:30"), ("晚上9:00", "21:00"),
        ("半夜12:10", "00:10"), ("半夜11:50", "23:50"),
        ("ก่อนเที่ยง 9:00", "09:00"), ("หลังเที่ยง 9:00", "21:00"),
    ],
)
def test_a_time_of_day_word_before_the_hour_sets_the_half_of_the_day(word_time, expected):
    chat = parse(f"2024/12/31 {word_time} - Ann Lee: hi\n")
    assert str(chat.messages["timestamp"].iat[0]) == f"2024-12-31 {expected}:00"
    assert chat.meta.warnings == []


def test_a_file_without_a_year_is_still_refused() -> None:
    with pytest.raises(ExportError):
        parse("13/01 09:00 - Ann Lee: hi\n14/01 09:01 - Ben Ode: yo\n")


def test_legacy_time_then_day_month_name_year_is_read_day_first_by_the_month_word() -> None:
    chat = parse("19:23, 28 Aug 2013 - Ann Lee: hi\n07:05, 1 Sep 2013 - Ben Ode: yo\n")
    assert chat.messages["timestamp"].astype(str).tolist() == [
        "2013-08-28 19:23:00", "2013-09-01 07:05:00"]
    assert chat.meta.date_order == "day-first"
    assert not chat.meta.date_order_ambiguous
    assert "month is written as a word" in chat.meta.date_order_rule


def test_a_month_name_date_without_a_year_is_refused() -> None:
    with pytest.raises(ExportError):
        parse("9 Sep 15:43 - Ann Lee: hi\n10 Sep 15:44 - Ben Ode: yo\n")
