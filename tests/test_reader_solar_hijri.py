"""Exports dated in the Solar Hijri (Persian) calendar are converted to Gregorian, with the
conversion recorded; Islamic (lunar) Hijri years are refused with one sentence."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chat_review.errors import ExportError
from chat_review.reader import solar_hijri
from chat_review.reader._parse import parse_export_bytes

RLM = "\u200f"
CONVERTED = "Dates are written in the Solar Hijri (Persian) calendar"
LUNAR = (
    "the dates look like the Islamic (Hijri) calendar, which chat-review does not read; set the "
    "phone's calendar to Gregorian and export the chat again."
)


def parse(text: str, **kw):
    return parse_export_bytes(text.encode("utf-8"), "chat.txt", sha256="0" * 64, **kw)


def android(*dates: str, time: str = "21:40") -> str:
    return "".join(f"{d}, {time} - Dara Kian: m{i}\n" for i, d in enumerate(dates))


def stamps(chat) -> list[str]:
    return [str(t) for t in chat.messages["timestamp"]]


@pytest.mark.parametrize(
    ("persian", "gregorian"),
    [
        ((1403, 1, 1), "2024-03-20"),
        ((1404, 1, 1), "2025-03-21"),
        ((1403, 12, 30), "2025-03-20"),  # 1403 is a leap year
        ((1402, 12, 29), "2024-03-19"),
        ((1402, 8, 15), "2023-11-06"),
        ((1402, 10, 1), "2023-12-22"),
        ((1399, 12, 30), "2021-03-20"),  # 1399 is a leap year too
        ((1300, 1, 1), "1921-03-21"),
    ],
)
def test_known_solar_hijri_dates_convert_to_their_gregorian_day(persian, gregorian) -> None:
    y, m, d = (np.array([x]) for x in persian)
    day = pd.Timestamp("1970-01-01") + pd.Timedelta(days=int(solar_hijri.day_numbers(y, m, d)[0]))
    assert str(day.date()) == gregorian


def test_esfand_has_30_days_only_in_leap_years() -> None:
    years = np.arange(1395, 1410)
    esfand = solar_hijri.month_lengths(years, np.full(len(years), 12))
    leap = [int(y) for y, n in zip(years, esfand, strict=True) if n == 30]
    assert leap == [1395, 1399, 1403, 1408]


def test_latin_digit_year_first_export_is_converted_and_the_conversion_recorded() -> None:
    chat = parse(android("1402/8/15", "1402/8/16", "1402/10/1"))
    assert stamps(chat) == ["2023-11-06 21:40:00", "2023-11-07 21:40:00", "2023-12-22 21:40:00"]
    assert chat.meta.date_order == "year-first"
    assert "Solar Hijri (Persian), converted to the Gregorian calendar" in \
        chat.meta.date_order_rule
    note = next(w for w in chat.meta.warnings if w.startswith(CONVERTED))
    assert "e.g. 1402/8/15 is 6 Nov 2023" in note


def test_persian_digits_and_persian_am_pm_markers_on_an_iphone() -> None:
    text = (
        "[۱۴۰۲/۸/۱۵، ۹:۴۰:۰۰ ب.ظ.] Dara Kian: سلام\n"
        "[۱۴۰۲/۸/۱۶، ۱۲:۰۵:۳۰ ق.ظ.] Mina Rostami: hi\n"
        "[۱۴۰۲/۸/۱۶، ۱۲:۱۰:۰۰ ب.ظ.] Dara Kian: lunch\n"
    )
    chat = parse(text)
    assert chat.meta.platform == "ios"
    assert stamps(chat) == ["2023-11-06 21:40:00", "2023-11-07 00:05:30", "2023-11-07 12:10:00"]
    assert list(chat.messages["sender"]) == ["Dara Kian", "Mina Rostami", "Dara Kian"]


def test_android_persian_header_with_a_right_to_left_mark_after_the_comma() -> None:
    text = (
        f"۱۴۰۲/۸/۱۵،{RLM} ۲۱:۴۰ - Dara Kian: سلام\n"
        f"۱۴۰۲/۸/۱۶،{RLM} ۰۹:۰۵ - Mina Rostami: hi\nsecond line\n"
    )
    chat = parse(text)
    assert stamps(chat) == ["2023-11-06 21:40:00", "2023-11-07 09:05:00"]
    assert chat.messages["text"].iat[1] == "hi\nsecond line"


@pytest.mark.parametrize(
    ("dates", "order", "first"),
    [
        (("15/8/1402", "16/8/1402"), "day-first", "2023-11-06 21:40:00"),
        (("8/15/1402", "8/16/1402"), "month-first", "2023-11-06 21:40:00"),
        # 31 Shahrivar exists (months 1-6 have 31 days) though 31 June does not
        (("31/6/1402",), "day-first", "2023-09-22 21:40:00"),
    ],
)
def test_year_last_persian_dates_use_the_usual_order_rules(dates, order, first) -> None:
    chat = parse(android(*dates))
    assert chat.meta.date_order == order
    assert stamps(chat)[0] == first
    assert any(w.startswith(CONVERTED) for w in chat.meta.warnings)


def test_year_last_order_from_the_busier_field_and_forward_running_dates() -> None:
    dates = ("2/2/1402", "3/2/1402", "4/2/1402", "5/2/1402", "1/3/1402", "2/3/1402")
    chat = parse(android(*dates))
    assert chat.meta.date_order == "day-first" and not chat.meta.date_order_ambiguous
    assert stamps(chat)[-1] == "2023-05-23 21:40:00"  # 2 Khordad 1402


def test_leap_year_edge_30_esfand_1403_is_read() -> None:
    chat = parse(android("1403/12/29", "1403/12/30", "1404/1/1"))
    assert stamps(chat) == ["2025-03-19 21:40:00", "2025-03-20 21:40:00", "2025-03-21 21:40:00"]


@pytest.mark.parametrize(
    ("dates", "why"),
    [
        (("1402/12/29", "1402/12/30"), "(Esfand 1402 has 29 days)"),
        (("1402/7/31",), "(Mehr 1402 has 30 days)"),
        (("1402/13/1",), "(there is no such month)"),
    ],
)
def test_a_day_the_persian_calendar_does_not_have_is_refused_naming_the_line(dates, why):
    with pytest.raises(ExportError) as err:
        parse(android(*dates))
    msg = str(err.value)
    assert msg.startswith(f"Line {len(dates)} has the date '{dates[-1]}', which is impossible in "
                          "the Solar Hijri (Persian) calendar")
    assert why in msg and msg.count(". ") == 0


@pytest.mark.parametrize("dates", [("1445/3/12", "1445/3/13"), ("12/3/1445",),
                                   ("1402/3/12", "1445/3/12")])
def test_islamic_lunar_hijri_years_are_refused_with_one_sentence(dates) -> None:
    with pytest.raises(ExportError) as err:
        parse(android(*dates))
    assert str(err.value).endswith(LUNAR)
    assert "1445" in str(err.value)


@pytest.mark.parametrize("dates", [("1600/3/12",), ("2024/3/12", "2024/3/13", "1450/3/12")])
def test_other_impossible_years_keep_the_damaged_export_message(dates) -> None:
    with pytest.raises(ExportError, match="reads dates from 1678 to 2261 only"):
        parse(android(*dates))


def test_layouts_that_name_their_calendar_never_read_as_hijri() -> None:
    with pytest.raises(ExportError, match="in the year 1402; chat-review reads dates from 1678"):
        parse("19:23, 28 Aug 1402 - Ann Lee: hi\n")
    with pytest.raises(ExportError, match="in the year 1445; chat-review reads dates from 1678"):
        parse("19:23, 28 Aug 1445 - Ann Lee: hi\n")
    with pytest.raises(ExportError, match="in the year 1402; chat-review reads dates from 1678"):
        parse("[3/18/1945 BE, 14:56:01] Ann Lee: hi\n")  # Buddhist 1945 is Gregorian 1402


def test_a_gregorian_export_is_unaffected() -> None:
    chat = parse(android("2023/11/06", "2023/11/07"))
    assert stamps(chat) == ["2023-11-06 21:40:00", "2023-11-07 21:40:00"]
    assert "Solar Hijri" not in chat.meta.date_order_rule
    assert not any("Solar Hijri" in w for w in chat.meta.warnings)
    arabic = parse(f"13/01/2021،{RLM} 11:59 ب.ظ. - Ann Lee: hi\n")
    assert stamps(arabic) == ["2021-01-13 23:59:00"]


# -- end to end through the installed console script --------------------------------------------


def _export(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "exports" / "WhatsApp Chat with Dara Kian.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_persian_export_reads_end_to_end_with_gregorian_timestamps(run, grant, tmp_path):
    export = _export(tmp_path, (
        "[۱۴۰۳/۱۲/۳۰، ۹:۴۰:۰۰ ب.ظ.] Dara Kian: سلام\n"
        "[۱۴۰۴/۱/۱، ۸:۰۵:۰۰ ق.ظ.] Mina Rostami: Happy Nowruz, call 07700 900123\n"
    ))
    token = grant(export)
    out = tmp_path / "x.csv"
    result = run("messages", str(export), "--token", token, "--output", str(out))
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["timestamp"] for r in rows] == ["2025-03-20T21:40:00", "2025-03-21T08:05:00"]
    shown = run("messages", str(export), "--token", token, "--format", "json")
    chat = json.loads(shown.out)["chat"]
    assert "Solar Hijri" in chat["date_order_rule"]
    assert any(w.startswith(CONVERTED) for w in chat["warnings"])


def test_lunar_hijri_export_is_refused_by_the_cli_with_exit_2(run, grant, tmp_path):
    export = _export(tmp_path, android("1445/3/12", "1445/3/13"))
    token = grant(export)  # recording consent does not read the dates; reading them refuses
    result = run("messages", str(export), "--token", token, "--output", str(tmp_path / "x.csv"))
    assert result.code == 2
    assert LUNAR in result.err
    assert not (tmp_path / "x.csv").exists()
