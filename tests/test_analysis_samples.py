"""Findings on the two fictional sample exports, with sample_exports/chat-review.toml.

Every number below was worked out by hand from the export text. The calendar that applies
(England, Mon-Thu 08:00-17:00, Fri 08:00-16:00):
  2026-08-31 Mon  Late Summer Bank Holiday (also inside the configured summer holidays)
  2026-10-26..30  Autumn half-term (school holiday)
  2026-11-02 Mon  INSET day
Weekdays: 09-02 Wed, 09-04 Fri, 09-05 Sat, 09-07 Mon, 09-12 Sat, 09-13 Sun, 09-17 Thu,
10-02 Fri, 10-03 Sat, 10-05 Mon, 10-22 Thu, 10-28 Wed, 11-06 Fri, 11-07 Sat, 11-13 Fri.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from pathlib import Path

import pytest

from chat_review.analysis import analyse
from chat_review.config import load_config
from chat_review.reader._parse import parse_export_bytes

SAMPLES = Path(__file__).resolve().parent.parent / "sample_exports"
GROUP = SAMPLES / "class-group-android.txt"
DIRECT = SAMPLES / "WhatsApp Chat - Tom Aldridge.zip"
OKAFOR = "Adaeze Okafor"
BENNETT = "Daniel Bennett"


def read(path: Path):
    data = path.read_bytes()
    return parse_export_bytes(data, path.name, sha256=hashlib.sha256(data).hexdigest())


@pytest.fixture(scope="module")
def cfg():
    return load_config(SAMPLES / "chat-review.toml", None)


@pytest.fixture(scope="module")
def group(cfg):
    return analyse([read(GROUP)], cfg)


@pytest.fixture(scope="module")
def direct(cfg):
    return analyse([read(DIRECT)], cfg)


@pytest.fixture(scope="module")
def both(cfg):
    return analyse([read(GROUP), read(DIRECT)], cfg)


def stats(findings, name):
    s = next(s for s in findings.senders if s.sender == name)
    return {
        "messages": s.messages,
        "out_of_hours": s.out_of_hours,
        "weekend": s.weekend,
        "holiday": s.holiday,
        "late_night": s.late_night,
        "active_days": s.active_days,
        "busiest": (s.busiest_day, s.busiest_day_count),
        "median": s.median_per_active_day,
    }


# -- the sample settings ------------------------------------------------------------------------


def test_sample_config_loads_with_roster_hours_and_closures(cfg) -> None:
    assert [m.name for m in cfg.staff] == [OKAFOR, BENNETT]
    assert cfg.calendar.hours_text(4) == "08:00-16:00"
    assert [c.name for c in cfg.calendar.closures] == [
        "Summer holidays",
        "Autumn half-term",
        "INSET day",
    ]


# -- the class group (Android) ------------------------------------------------------------------


def test_group_counts_by_kind(group) -> None:
    assert group.counts_by_kind == {"text": 32, "media": 2, "deleted": 1, "system": 4}
    assert group.total_messages == 35
    # everyone's out-of-hours messages: Tom 16 + Hannah 6 + Grace 5 + Leo 3
    assert group.out_of_hours_messages == 30


def test_group_is_a_group_chat(group) -> None:
    assert group.sources[0].chat_type == "group"
    assert group.sources[0].staff is None


def test_group_tom_wrote_everything_out_of_hours(group) -> None:
    # 08-31 bank holiday; 09-04 Fri evening x6; 09-12 Sat; 10-02 Fri 22:47-22:52 x6;
    # 10-28 half-term 23:15; 11-13 Fri 20:05
    assert stats(group, "Tom Aldridge") == {
        "messages": 16,
        "out_of_hours": 16,
        "weekend": 1,
        "holiday": 2,  # bank holiday 08-31 and half-term 10-28
        "late_night": 7,  # six on 10-02 after 22:00, one on 10-28 at 23:15
        "active_days": 6,
        "busiest": (date(2026, 9, 4), 6),  # ties with 10-02; the earlier day is reported
        "median": 1.0,  # daily counts 1, 6, 1, 6, 1, 1
    }


def test_group_other_parents(group) -> None:
    hannah, grace, leo = (stats(group, n) for n in ("Hannah Whitlock", "Grace Mensah",
                                                    "Leo Fairbairn"))
    # Hannah: only 10-22 16:05 (Thu) is in hours; 11-06 18:30 is after Friday's 16:00
    assert (hannah["messages"], hannah["out_of_hours"], hannah["weekend"], hannah["holiday"]) \
        == (7, 6, 1, 2)
    # Grace: 09-02 15:32, 15:33 and 09-17 12:41 in hours; INSET 11-02 08:20 is a holiday
    assert (grace["messages"], grace["out_of_hours"], grace["weekend"], grace["holiday"]) \
        == (8, 5, 1, 3)
    # Leo: 07:45 is before 08:00; two Saturdays; the deleted message still counts
    assert (leo["messages"], leo["out_of_hours"], leo["weekend"], leo["holiday"]) == (4, 3, 2, 0)


def test_group_senders_order_and_first_last(group) -> None:
    assert [s.sender for s in group.senders] == [
        "Tom Aldridge",
        "Grace Mensah",
        "Hannah Whitlock",
        "Leo Fairbairn",
    ]
    tom = group.senders[0]
    assert (tom.first, tom.last) == (datetime(2026, 8, 31, 20, 40), datetime(2026, 11, 13, 20, 5))


def test_group_two_bursts_by_tom_naming_the_teacher(group) -> None:
    assert [(b.sender, b.start, b.end, b.count, b.lines, b.out_of_hours, b.at_staff)
            for b in group.bursts] == [
        ("Tom Aldridge", datetime(2026, 9, 4, 21, 14), datetime(2026, 9, 4, 21, 19), 6,
         [11, 12, 13, 14, 15, 16], 6, True),
        ("Tom Aldridge", datetime(2026, 10, 2, 22, 47), datetime(2026, 10, 2, 22, 52), 6,
         [26, 27, 28, 29, 30, 31], 6, True),
    ]


def test_group_mentions_of_staff(group) -> None:
    got = {(c.sender, c.staff, c.mode): (c.contacts, c.out_of_hours, c.by_day)
           for c in group.staff_contact}
    assert got == {
        # lines 11 and 16 (09-04, one as "@Mrs Okafor"), 26 (10-02), 37 (10-28)
        ("Tom Aldridge", OKAFOR, "mention"): (
            4, 4, {"2026-09-04": 2, "2026-10-02": 1, "2026-10-28": 1}),
        # line 41: "Mr Bennett said the trip money is due Monday"
        ("Tom Aldridge", BENNETT, "mention"): (1, 1, {"2026-11-13": 1}),
    }


def test_group_review_flags(group) -> None:
    assert [(f.line, f.category, f.term) for f in group.flags] == [
        (27, "insult", "disgrace"),  # "This is a disgrace"
        (28, "insult", "useless"),  # "She is useless"
    ]


def test_group_mentions_of_staff_are_counted_not_flagged(group) -> None:
    assert [(m.line, m.staff) for m in group.staff_mentions] == [
        (11, OKAFOR), (16, OKAFOR), (26, OKAFOR), (37, OKAFOR), (41, BENNETT)]
    assert all(f.excerpt is None for f in group.flags)


def test_group_daily_timeline_covers_every_day(group) -> None:
    d = group.daily
    assert len(d) == 75  # 2026-08-31 .. 2026-11-13
    assert d.loc["2026-09-04"].tolist() == [0, 7]  # Tom x6 and Hannah, Friday evening
    assert d.loc["2026-09-02"].tolist() == [2, 1]  # Grace 15:32, 15:33 in; Leo 07:45 out
    assert int(d.values.sum()) == 35


def test_group_calendar_names_the_holidays_in_the_period(group) -> None:
    assert group.calendar["bank_holidays"] == [
        {"date": "2026-08-31", "name": "Late Summer Bank Holiday"}
    ]
    assert [c["name"] for c in group.calendar["closures"]] == [
        "Summer holidays",
        "Autumn half-term",
        "INSET day",
    ]


# -- the one-to-one chat (iPhone zip) -----------------------------------------------------------


def test_direct_chat_is_one_to_one_with_the_teacher(direct) -> None:
    src = direct.sources[0]
    assert (src.chat_type, src.staff, src.platform, src.messages) == (
        "one-to-one", OKAFOR, "ios", 27)


def test_direct_parent_figures(direct) -> None:
    # in hours only 09-07 08:06 and 10-05 08:20 (Mondays); 11-07 06:40 is not late night
    assert stats(direct, "Tom Aldridge") == {
        "messages": 22,
        "out_of_hours": 20,
        "weekend": 5,  # 09-12 x2, 09-13, 11-07 x2
        "holiday": 2,  # half-term 10-28 x2
        "late_night": 9,  # 10-02 from 22:30 x7, 10-28 after 23:00 x2
        "active_days": 9,
        "busiest": (date(2026, 10, 2), 7),
        "median": 2.0,  # daily counts 5,1,2,1,7,1,2,2,1
    }


def test_direct_teacher_figures(direct) -> None:
    okafor = stats(direct, OKAFOR)
    # replies on three Mondays in hours, and 07:55 on the INSET day (out, holiday)
    assert (okafor["messages"], okafor["out_of_hours"], okafor["holiday"]) == (4, 1, 1)
    assert next(s for s in direct.senders if s.sender == OKAFOR).is_staff


def test_direct_contact_counts_every_parent_message(direct) -> None:
    assert len(direct.staff_contact) == 1
    c = direct.staff_contact[0]
    assert (c.sender, c.staff, c.mode, c.contacts, c.out_of_hours) == (
        "Tom Aldridge", OKAFOR, "direct", 22, 20)
    assert c.by_hour[22] == 7 and c.by_hour[21] == 5 and c.by_hour[23] == 2


def test_direct_bursts_stop_where_the_window_stops(direct) -> None:
    # 10-02: 22:30:15 .. 22:38:21 (6 messages) qualify; the window from 22:32:48 to the
    # deleted message at 22:44:07 spans 11 min 19 s, so that message is not in the burst.
    assert [(b.start, b.end, b.count, b.lines, b.out_of_hours, b.at_staff)
            for b in direct.bursts] == [
        (datetime(2026, 9, 4, 21, 40, 12), datetime(2026, 9, 4, 21, 45, 2), 5,
         [2, 3, 4, 5, 6], 5, True),
        (datetime(2026, 10, 2, 22, 30, 15), datetime(2026, 10, 2, 22, 38, 21), 6,
         [13, 14, 15, 16, 17, 18], 6, True),
    ]


def test_direct_chat_has_no_flags_naming_the_teacher_it_is_with(direct) -> None:
    # "Hello Mrs Okafor" in her own one-to-one chat is direct contact, not a mention
    assert direct.flags == []


# -- both together ------------------------------------------------------------------------------


def test_both_exports_combine(both) -> None:
    assert both.total_messages == 35 + 26
    assert both.out_of_hours_messages == 30 + 21  # Tom 20 + Okafor 1 in the direct chat
    tom = stats(both, "Tom Aldridge")
    assert (tom["messages"], tom["out_of_hours"]) == (16 + 22, 16 + 20)
    assert [s.name for s in both.sources] == [GROUP.name, DIRECT.name]
    assert [b.source for b in both.bursts] == [GROUP.name, DIRECT.name, DIRECT.name, GROUP.name]


def test_both_exports_give_direct_and_mention_contact(both) -> None:
    got = {(c.staff, c.mode): c.contacts for c in both.staff_contact}
    assert got == {(OKAFOR, "direct"): 22, (OKAFOR, "mention"): 4, (BENNETT, "mention"): 1}


def test_sample_findings_are_json_safe(both) -> None:
    text = json.dumps(both.to_dict())
    assert json.loads(text)["total_messages"] == 61


def test_excerpts_on_the_sample_quote_the_message(cfg) -> None:
    f = analyse([read(GROUP)], cfg, excerpts=True)
    assert next(x for x in f.flags if x.line == 28).excerpt == "She is useless"
