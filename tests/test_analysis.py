"""Findings from hand-built message tables; every expected number is worked out by hand below.

Calendar for all tests: the defaults (England, Monday-Friday 08:00-17:00). Week used:
Monday 2025-06-09 .. Sunday 2025-06-15, no bank holidays.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from chat_review.analysis import STEPS, analyse, find_bursts
from chat_review.config import Config, StaffMember
from chat_review.reader.chat import KINDS, Chat, ChatMetadata, empty_messages

PATEL = StaffMember("Mrs Patel", ["Anita Patel"], ["+44 7700 900123"])
JONES = StaffMember("Miss Jones", ["Mrs J"], [])


def chat(rows: list[tuple], name: str = "chat.txt", warnings: list[str] | None = None) -> Chat:
    """rows: (timestamp, sender or None, text[, kind]); lines are 1, 2, 3, ... in row order."""
    ts, senders, texts, kinds = [], [], [], []
    for r in rows:
        ts.append(pd.Timestamp(r[0]))
        senders.append(r[1])
        texts.append(r[2])
        kinds.append(r[3] if len(r) > 3 else ("system" if r[1] is None else "text"))
    df = pd.DataFrame(
        {
            "timestamp": pd.Series(ts, dtype="datetime64[ns]"),
            "sender": pd.Series(senders, dtype="string"),
            "kind": pd.Categorical(kinds, categories=KINDS),
            "text": pd.Series(texts, dtype="string"),
            "edited": pd.Series([False] * len(rows), dtype="bool"),
            "attachment": pd.Series([None] * len(rows), dtype="string"),
            "line": pd.Series(range(1, len(rows) + 1), dtype="int64"),
        }
    )
    meta = ChatMetadata(
        source_name=name,
        sha256=hashlib.sha256(name.encode()).hexdigest(),  # differs per export name
        platform="android",
        date_order="day-first",
        date_order_rule="day above 12 on line 1",
        date_order_ambiguous=False,
        encoding="utf-8",
        container="txt",
        warnings=list(warnings or []),
    )
    return Chat(df, meta)


def config(**kw) -> Config:
    """Settings as if read from a file (no built-in-defaults warning), with a roster."""
    return Config(staff=kw.pop("staff", [PATEL, JONES]), source=kw.pop("source", "test.toml"),
                  **kw)


# A one-to-one chat between a parent and Mrs Patel.
DIRECT = [
    ("2025-06-09 07:00", None, "Messages and calls are end-to-end encrypted."),  # system
    ("2025-06-09 07:59", "Jane Doe", "Morning, quick question"),  # out (before 08:00)
    ("2025-06-09 08:00", "Jane Doe", "Is PE today?"),  # in
    ("2025-06-09 12:00", "Mrs Patel", "Yes it is"),  # in, staff
    ("2025-06-09 17:00", "Jane Doe", "Thanks"),  # out (17:00 is not in hours)
    ("2025-06-09 22:30", "Jane Doe", "Sorry one more thing"),  # out, late night
    ("2025-06-14 10:00", "Jane Doe", "You are useless"),  # out, Saturday, insult
]


@pytest.fixture
def direct():
    return analyse([chat(DIRECT, "WhatsApp Chat with Mrs Patel.txt")], config())


def sender(findings, name):
    return next(s for s in findings.senders if s.sender == name)


# -- counts and per-sender figures --------------------------------------------------------------


def test_counts_by_kind_include_system_rows(direct) -> None:
    assert direct.counts_by_kind == {"text": 6, "media": 0, "deleted": 0, "system": 1}


def test_total_messages_leave_out_system_rows(direct) -> None:
    assert direct.total_messages == 6
    assert direct.out_of_hours_messages == 4  # 07:59, 17:00, 22:30, Saturday 10:00


def test_period_runs_from_first_to_last_row_inclusive(direct) -> None:
    assert direct.period.start == datetime(2025, 6, 9, 7, 0)
    assert direct.period.end == datetime(2025, 6, 14, 10, 0)
    assert direct.period.days == 6


def test_participants_are_marked_staff_from_the_roster(direct) -> None:
    assert [(p.name, p.is_staff, p.messages) for p in direct.participants] == [
        ("Jane Doe", False, 5),
        ("Mrs Patel", True, 1),
    ]


def test_per_sender_figures_for_the_parent(direct) -> None:
    jane = sender(direct, "Jane Doe")
    assert jane.messages == 5
    assert jane.out_of_hours == 4
    assert jane.out_of_hours_share == pytest.approx(0.8)
    assert jane.weekend == 1
    assert jane.holiday == 0
    assert jane.late_night == 1
    assert jane.active_days == 2
    assert jane.busiest_day == date(2025, 6, 9)
    assert jane.busiest_day_count == 4
    assert jane.median_per_active_day == 2.5  # median of 4 and 1
    assert jane.first == datetime(2025, 6, 9, 7, 59)
    assert jane.last == datetime(2025, 6, 14, 10, 0)


def test_senders_are_listed_most_messages_first(direct) -> None:
    assert [s.sender for s in direct.senders] == ["Jane Doe", "Mrs Patel"]
    assert sender(direct, "Mrs Patel").out_of_hours == 0


def test_bank_and_school_holidays_count_as_holiday_not_weekend() -> None:
    from chat_review.calendar import Closure, WorkingCalendar

    cal = WorkingCalendar(closures=[Closure("Half-term", date(2025, 5, 26), date(2025, 5, 30))])
    rows = [
        ("2025-05-05 10:00", "A", "bank holiday Monday"),
        ("2025-05-27 10:00", "A", "half-term Tuesday"),
        ("2025-05-31 10:00", "A", "Saturday"),
        ("2025-06-02 10:00", "A", "school day"),
    ]
    a = sender(analyse([chat(rows)], Config(calendar=cal)), "A")
    assert (a.holiday, a.weekend, a.out_of_hours) == (2, 1, 3)


def test_late_night_window_includes_start_and_excludes_end() -> None:
    rows = [
        ("2025-06-10 21:59", "A", "x"),
        ("2025-06-10 22:00", "A", "x"),  # late
        ("2025-06-11 03:00", "A", "x"),  # late
        ("2025-06-11 05:59", "A", "x"),  # late
        ("2025-06-11 06:00", "A", "x"),
    ]
    assert sender(analyse([chat(rows)], Config()), "A").late_night == 3


def test_late_night_window_is_configurable() -> None:
    rows = [("2025-06-10 21:30", "A", "x"), ("2025-06-10 22:30", "A", "x")]
    cfg = Config(late_night_start="21:00", late_night_end="22:00")
    assert sender(analyse([chat(rows)], cfg), "A").late_night == 1


# -- timelines ----------------------------------------------------------------------------------


def test_daily_timeline_has_every_date_with_zeros(direct) -> None:
    d = direct.daily
    assert list(d.index.date) == [date(2025, 6, day) for day in range(9, 15)]
    assert d.loc["2025-06-09"].tolist() == [2, 3]  # in: 08:00, 12:00; out: 07:59, 17:00, 22:30
    assert d.loc["2025-06-11"].tolist() == [0, 0]
    assert d.loc["2025-06-14"].tolist() == [0, 1]
    assert list(d.columns) == ["in_hours", "out_of_hours"]


def test_daily_by_sender_is_long_form_with_non_zero_days(direct) -> None:
    rows = direct.daily_by_sender.assign(date=direct.daily_by_sender["date"].dt.date)
    assert rows.values.tolist() == [
        [date(2025, 6, 9), "Jane Doe", 1, 3],
        [date(2025, 6, 9), "Mrs Patel", 1, 0],
        [date(2025, 6, 14), "Jane Doe", 0, 1],
    ]


def test_weekday_hour_matrix_is_7_by_24_and_counts_people_only(direct) -> None:
    m = direct.weekday_hour
    assert m.shape == (7, 24)
    assert int(m.values.sum()) == 6
    assert m.loc[0, 7] == 1  # Monday 07:59 (the 07:00 system row is not counted)
    assert m.loc[0, 8] == 1
    assert m.loc[0, 12] == 1
    assert m.loc[5, 10] == 1  # Saturday 10:00


def test_weekday_hour_by_sender_lists_non_zero_cells(direct) -> None:
    jane = direct.weekday_hour_by_sender.query("sender == 'Jane Doe'")
    assert sorted(map(tuple, jane[["weekday", "hour", "count"]].values.tolist())) == [
        (0, 7, 1),
        (0, 8, 1),
        (0, 17, 1),
        (0, 22, 1),
        (5, 10, 1),
    ]


# -- staff contact ------------------------------------------------------------------------------


def test_one_to_one_chat_with_staff_is_direct_contact(direct) -> None:
    assert len(direct.staff_contact) == 1
    c = direct.staff_contact[0]
    assert (c.sender, c.staff, c.mode) == ("Jane Doe", "Mrs Patel", "direct")
    assert c.contacts == 5
    assert c.out_of_hours == 4
    assert c.by_day == {"2025-06-09": 4, "2025-06-14": 1}
    expected_hours = [0] * 24
    for h in (7, 8, 17, 22, 10):
        expected_hours[h] = 1
    assert c.by_hour == expected_hours
    assert c.sources == ["WhatsApp Chat with Mrs Patel.txt"]


def test_source_info_says_one_to_one_and_with_whom(direct) -> None:
    s = direct.sources[0]
    assert (s.chat_type, s.staff, s.messages) == ("one-to-one", "Mrs Patel", 7)


def test_a_one_to_one_chat_between_two_parents_is_not_direct_contact() -> None:
    rows = [("2025-06-10 20:00", "A", "hello"), ("2025-06-10 20:01", "B", "hi")]
    f = analyse([chat(rows)], config())
    assert f.staff_contact == []
    assert f.sources[0].staff is None


GROUP = [
    ("2025-06-10 19:00", "Priya", "Has anyone asked Mrs Patel about the trip?"),  # mention
    ("2025-06-10 19:05", "Tom", "MRS PATEL never replies after school"),  # mention
    ("2025-06-10 19:06", "Tom", "@447700900123 can you check the list"),  # mention by phone
    ("2025-06-10 19:07", "Priya", "Mrs Patelson is new this year"),  # not a whole word
    ("2025-06-10 19:08", "Mrs Patel", "Mrs Patel here, I will check"),  # staff: not counted
    ("2025-06-11 10:00", "Jane Doe", "Mrs J and Anita Patel both said yes"),  # 2 staff
    ("2025-06-11 10:05", "Jane Doe", "thanks all"),
]


@pytest.fixture
def group():
    return analyse([chat(GROUP, "Year 4 Parents.txt")], config())


def contacts(findings) -> dict[tuple[str, str, str], int]:
    return {(c.sender, c.staff, c.mode): c.contacts for c in findings.staff_contact}


def test_group_messages_naming_staff_are_mentions(group) -> None:
    assert contacts(group) == {
        ("Priya", "Mrs Patel", "mention"): 1,
        ("Tom", "Mrs Patel", "mention"): 2,
        ("Jane Doe", "Mrs Patel", "mention"): 1,
        ("Jane Doe", "Miss Jones", "mention"): 1,
    }


def test_mentions_out_of_hours_and_by_hour(group) -> None:
    tom = next(c for c in group.staff_contact if c.sender == "Tom")
    assert tom.out_of_hours == 2  # 19:05 and 19:06 on a Tuesday
    assert tom.by_hour[19] == 2
    assert tom.by_day == {"2025-06-10": 2}


def test_a_group_chat_is_marked_group(group) -> None:
    assert group.sources[0].chat_type == "group"
    assert group.sources[0].staff is None


def test_staff_phone_written_as_sender_is_recognised_as_staff() -> None:
    rows = [("2025-06-10 20:00", "Jane", "hello"), ("2025-06-10 20:01", "07700 900123", "hi")]
    f = analyse([chat(rows, "WhatsApp Chat with Jane.txt")], config())
    assert contacts(f) == {("Jane", "Mrs Patel", "direct"): 1}


# -- bursts -------------------------------------------------------------------------------------


def burst_summary(findings) -> list[tuple[str, str, str, int]]:
    return [(b.sender, f"{b.start:%H:%M}", f"{b.end:%H:%M}", b.count) for b in findings.bursts]


def at(*times: str, who: str = "A", day: str = "2025-06-10") -> list[tuple]:
    return [(f"{day} {t}", who, f"message at {t}") for t in times]


def test_five_messages_spanning_exactly_ten_minutes_are_a_burst() -> None:
    f = analyse([chat(at("20:00", "20:02", "20:05", "20:08", "20:10"))], Config())
    assert burst_summary(f) == [("A", "20:00", "20:10", 5)]


def test_five_messages_spanning_eleven_minutes_are_not_a_burst() -> None:
    f = analyse([chat(at("20:00", "20:02", "20:05", "20:08", "20:11"))], Config())
    assert f.bursts == []


def test_four_messages_are_not_a_burst() -> None:
    assert analyse([chat(at("20:00", "20:01", "20:02", "20:03"))], Config()).bursts == []


def test_a_steady_run_is_one_burst_not_several() -> None:
    times = [f"20:{m:02d}" for m in range(10)]  # ten messages a minute apart
    f = analyse([chat(at(*times))], Config())
    assert burst_summary(f) == [("A", "20:00", "20:09", 10)]
    assert f.bursts[0].lines == list(range(1, 11))


def test_a_late_straggler_outside_every_window_is_not_part_of_the_burst() -> None:
    f = analyse([chat(at("20:00", "20:01", "20:02", "20:03", "20:04", "20:12"))], Config())
    # window 20:01..20:12 spans 11 minutes, so the 20:12 message stays out
    assert burst_summary(f) == [("A", "20:00", "20:04", 5)]


def test_windows_that_share_no_message_make_two_bursts() -> None:
    times = ["20:00", "20:01", "20:02", "20:03", "20:04", "20:15", "20:16", "20:17", "20:18",
             "20:19"]
    # every window across the gap spans more than 10 minutes (e.g. 20:01..20:15 = 14)
    f = analyse([chat(at(*times))], Config())
    assert burst_summary(f) == [("A", "20:00", "20:04", 5), ("A", "20:15", "20:19", 5)]


def test_overlapping_windows_join_even_if_the_whole_burst_is_longer_than_the_window() -> None:
    times = ["20:00", "20:03", "20:06", "20:09", "20:10", "20:13", "20:16", "20:19", "20:20"]
    # windows 20:00-20:10, 20:03-20:13, 20:06-20:16, 20:09-20:19, 20:10-20:20 all qualify
    f = analyse([chat(at(*times))], Config())
    assert burst_summary(f) == [("A", "20:00", "20:20", 9)]


def test_another_persons_message_ends_a_burst() -> None:
    # A asks, B replies, A says "great" and "thanks": not 6 messages in a row by A
    rows = at("20:00", "20:01", "20:02", "20:03") + at("20:04", who="B") + at("20:05", "20:06")
    f = analyse([chat(rows)], Config())
    assert f.bursts == []


def test_a_system_event_does_not_end_a_burst() -> None:
    rows = at("20:00", "20:01", "20:02") + [("2025-06-10 20:02", None, "Tom joined")]
    rows += at("20:03", "20:04")
    f = analyse([chat(rows)], Config())
    assert burst_summary(f) == [("A", "20:00", "20:04", 5)]
    assert f.bursts[0].lines == [1, 2, 3, 5, 6]


def test_replies_ending_a_burst_is_a_named_setting() -> None:
    rows = at("20:00", "20:02", "20:04", "20:06", "20:08") + at("20:03", "20:05", who="B")
    rows.sort()
    f = analyse([chat(rows)], Config(burst_replies_end=False))
    assert burst_summary(f) == [("A", "20:00", "20:08", 5)]
    assert f.bursts[0].lines == [1, 2, 4, 6, 7]
    assert "whatever other people wrote in between" in f.settings["burst"]["rule"]
    assert f.settings["burst"]["replies_end_a_burst"] is False


def test_the_burst_rule_is_stated_in_plain_words() -> None:
    rule = analyse([chat(at("20:00"))], Config()).settings["burst"]["rule"]
    assert rule.startswith("5 or more messages in a row by one sender in one chat, with nobody "
                           "else writing in between")
    assert "another person's message ends a burst, a system event" in rule


def test_bursts_do_not_cross_between_exports() -> None:
    one = chat(at("20:00", "20:01", "20:02"), "one.txt")
    two = chat(at("20:03", "20:04"), "two.txt")
    assert analyse([one, two], Config()).bursts == []


def test_burst_rule_is_configurable() -> None:
    cfg = Config(burst_min_messages=3, burst_window_minutes=2)
    f = analyse([chat(at("20:00", "20:01", "20:02", "20:10"))], cfg)
    assert burst_summary(f) == [("A", "20:00", "20:02", 3)]


def test_burst_counts_its_out_of_hours_messages() -> None:
    # Tuesday: 16:55, 16:57, 16:59 in hours; 17:00, 17:03 out
    f = analyse([chat(at("16:55", "16:57", "16:59", "17:00", "17:03"))], Config())
    assert f.bursts[0].out_of_hours == 2


def test_burst_in_a_one_to_one_chat_with_staff_is_to_them() -> None:
    rows = at("20:00", "20:01", "20:02", "20:03", "20:04", who="Jane")
    rows.append(("2025-06-11 09:00", "Mrs Patel", "Please call the office"))
    f = analyse([chat(rows, "direct.txt")], config(), chat_types={0: "one-to-one"})
    (b,) = f.bursts
    assert (b.sender, b.to_staff, b.about_staff, b.source) == ("Jane", "Mrs Patel", {},
                                                                "direct.txt")
    assert b.staff_text() == "to Mrs Patel (1:1 chat, all 5 messages)"


def test_burst_in_a_group_is_about_staff_and_says_how_many_messages_name_them() -> None:
    quiet = at("20:00", "20:01", "20:02", "20:03", "20:04", who="Jane")
    naming = [(t, "Tom", ("Mrs Patel " if i < 2 else "") + x)
              for i, (t, _, x) in enumerate(at("21:00", "21:01", "21:02", "21:03", "21:04"))]
    rows = quiet + naming + [("2025-06-10 22:00", "Priya", "night all")]
    f = analyse([chat(rows)], config())
    assert [(b.sender, b.to_staff, b.about_staff) for b in f.bursts] == [
        ("Jane", None, {}), ("Tom", None, {"Mrs Patel": 2})]
    assert f.bursts[1].staff_text() == "about Mrs Patel (2 of 5 messages name them)"


def test_find_bursts_on_arrays_gives_burst_ids() -> None:
    minutes = np.array([0, 1, 2, 3, 4, 30, 31, 32, 33, 34, 60], dtype=np.int64)
    ids = find_bursts(np.zeros(11, dtype=np.int64), minutes * 60 * 10**9, 5, 10)
    assert ids.tolist() == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, -1]


# -- review flags -------------------------------------------------------------------------------

FLAGGED = [
    ("2025-06-10 20:00", "Tom", "You're an IDIOT, honestly"),  # insult (idiot*)
    ("2025-06-10 20:05", "Tom", "I know where you live"),  # threat (phrase)
    ("2025-06-10 20:06", "Priya", "What was the complaint outcome?"),  # confidential
    ("2025-06-10 20:07", "Priya", "Great skill at sports day"),  # 'kill' inside a word: no
    ("2025-06-10 20:08", "Priya", "This heat is killing me"),  # a benign idiom: no
    ("2025-06-10 20:09", "Jane", "IMG-0001.jpg (file attached)", "media"),
    ("2025-06-10 20:10", "Jane", "This message was deleted", "deleted"),
    ("2025-06-10 20:11", "Jane", "Ask Mrs Patel, she is useless"),  # insult; a mention, no flag
    ("2025-06-10 20:12", "Tom", "I'll kill him if he does that again"),  # threat
]


@pytest.fixture
def flagged():
    return analyse([chat(FLAGGED, "group.txt")], config())


def flag_summary(findings) -> list[tuple[int, str, str]]:
    return [(f.line, f.category, f.term) for f in findings.flags]


def test_lexicon_terms_flag_messages_for_review(flagged) -> None:
    assert flag_summary(flagged) == [
        (1, "insult", "idiot"),
        (2, "threat", "i know where you live"),
        (3, "confidential", "complaint outcome"),
        (8, "insult", "useless"),
        (9, "threat", "kill him"),
    ]


def test_naming_staff_is_a_mention_never_a_flag(flagged) -> None:
    assert [(m.line, m.sender, m.staff, m.matched) for m in flagged.staff_mentions] == [
        (8, "Jane", "Mrs Patel", "Mrs Patel")]
    assert "staff-named" not in {x.category for x in flagged.flags}
    assert "staff-named" not in flagged.settings["lexicon_categories"]


def test_flags_carry_sender_time_and_source(flagged) -> None:
    f = flagged.flags[0]
    assert (f.sender, f.timestamp, f.source) == ("Tom", datetime(2025, 6, 10, 20, 0), "group.txt")


def test_flags_have_no_excerpt_unless_asked(flagged) -> None:
    assert all(f.excerpt is None for f in flagged.flags)


def test_excerpts_when_asked_are_short_and_show_the_term() -> None:
    long = "word " * 60 + "you are an idiot " + "word " * 60
    f = analyse([chat([("2025-06-10 20:00", "Tom", long)])], Config(), excerpts=True)
    ex = f.flags[0].excerpt
    assert "idiot" in ex
    assert len(ex) <= 122
    assert ex.startswith("…") and ex.endswith("…")


def test_configured_lexicon_terms_are_flagged() -> None:
    cfg = Config()
    cfg.lexicon = cfg.lexicon.combined(
        {"nits": ["head lice"]}, mode="extend", source="test.toml"
    )
    f = analyse([chat([("2025-06-10 20:00", "A", "HEAD\nLICE again in class")])], cfg)
    assert flag_summary(f) == [(1, "nits", "head lice")]


# -- several exports, warnings, settings --------------------------------------------------------


def test_two_exports_combine_and_keep_their_sources() -> None:
    a = chat(DIRECT, "WhatsApp Chat with Mrs Patel.txt",
             warnings=["The export may be truncated."])
    b = chat(GROUP, "b.txt")
    f = analyse([a, b], config())
    assert [s.name for s in f.sources] == ["WhatsApp Chat with Mrs Patel.txt", "b.txt"]
    assert f.total_messages == 6 + 7
    assert sender(f, "Jane Doe").messages == 5 + 2
    assert f.warnings == ["WhatsApp Chat with Mrs Patel.txt: The export may be truncated."]
    assert {c.sources[0] for c in f.staff_contact if c.mode == "direct"} == {
        "WhatsApp Chat with Mrs Patel.txt"}


def test_an_ambiguous_date_order_becomes_a_warning() -> None:
    c = chat(DIRECT, "WhatsApp Chat with Mrs Patel.txt")
    c.meta.date_order_ambiguous = True
    (w,) = analyse([c], config()).warnings
    assert w.startswith("WhatsApp Chat with Mrs Patel.txt: ") and "day-first" in w


def test_settings_state_the_rules_applied(direct) -> None:
    s = direct.settings
    assert s["burst"]["min_messages"] == 5 and s["burst"]["within_minutes"] == 10
    assert s["late_night"] == ["22:00", "06:00"]
    assert s["lexicon"] == "built-in lexicon"
    assert "never a verdict" in s["flags_note"]


def test_calendar_describes_the_period(direct) -> None:
    assert direct.calendar["from"] == "2025-06-09"
    assert direct.calendar["to"] == "2025-06-14"


def test_progress_is_called_for_every_step(direct) -> None:
    seen: list[str] = []
    analyse([chat(DIRECT)], config(), progress=seen.append)
    assert seen == STEPS


# -- empty input and JSON -----------------------------------------------------------------------


def test_no_exports_give_valid_empty_findings() -> None:
    f = analyse([], Config())
    assert f.total_messages == 0 and f.senders == [] and f.bursts == [] and f.flags == []
    assert f.period.days == 0
    assert f.weekday_hour.shape == (7, 24)
    json.dumps(f.to_dict())


def test_an_export_with_no_messages_in_the_window_gives_empty_findings() -> None:
    c = Chat(empty_messages(), chat([]).meta)
    f = analyse([c], Config())
    assert f.total_messages == 0 and len(f.daily) == 0
    assert f.sources[0].messages == 0
    json.dumps(f.to_dict())


def test_only_system_rows_give_no_senders_but_a_period() -> None:
    f = analyse([chat([("2025-06-10 20:00", None, "You created group")])], Config())
    assert f.senders == [] and f.period.days == 1
    assert f.daily.values.tolist() == [[0, 0]]
    json.dumps(f.to_dict())


def test_to_dict_round_trips_through_json_without_a_custom_encoder(group) -> None:
    d = group.to_dict()
    again = json.loads(json.dumps(d))
    assert again == d
    assert again["period"]["start"] == "2025-06-10T19:00:00"
    assert again["daily"][0] == {"date": "2025-06-10", "in_hours": 0, "out_of_hours": 5}
    assert again["out_of_hours_share"] == pytest.approx(group.out_of_hours_share)
    assert again["staff_contact"][0]["by_hour"][19] >= 1


def test_to_dict_of_direct_findings_has_iso_dates_everywhere(direct) -> None:
    d = direct.to_dict()
    assert d["senders"][0]["busiest_day"] == "2025-06-09"
    assert d["flags"][0]["timestamp"] == "2025-06-14T10:00:00"


def test_the_same_export_twice_under_two_names_is_refused() -> None:
    from chat_review.analysis import DuplicateExportError

    a, b = chat(DIRECT, "a.txt"), chat(DIRECT, "a copy.txt")
    b.meta.sha256 = a.meta.sha256
    with pytest.raises(DuplicateExportError, match=r"given twice, as a.txt and a copy.txt; "
                                                  r"give each chat once\.$"):
        analyse([a, b], config())


def test_messages_shared_by_two_exports_are_warned_about() -> None:
    a = chat(GROUP, "mine.txt")
    b = chat(GROUP[:3], "hers.txt")
    f = analyse([a, b], config(), chat_types={1: "group"})
    assert f.warnings == [
        "3 messages appear in more than one export (the same chat exported twice?); each copy "
        "is counted, so check the exports before relying on totals."
    ]


def test_separate_exports_give_no_overlap_warning() -> None:
    f = analyse([chat(DIRECT, "WhatsApp Chat with Mrs Patel.txt"), chat(GROUP, "b.txt")],
                config())
    assert f.warnings == []


def test_a_chat_where_only_one_parent_wrote_is_unknown_with_a_warning() -> None:
    f = analyse([chat(at("20:00", "20:01", who="Jane"), "x.txt")], config())
    assert f.sources[0].chat_type == "unknown"
    assert f.staff_contact == []
    assert f.warnings == [
        "x.txt: chat-review cannot tell whether this is a one-to-one chat or a group (only "
        "Jane wrote in the consented period, and the export holds no group event); nothing in "
        "it is counted as direct contact with staff. If you know, run again with --chat-type "
        "1=one-to-one or --chat-type 1=group."
    ]


def test_a_chat_with_nobody_writing_has_no_chat_type() -> None:
    f = analyse([chat([("2025-06-10 20:00", None, "You created group")])], Config())
    assert f.sources[0].chat_type is None


def test_an_empty_lexicon_and_no_staff_give_no_flags() -> None:
    from chat_review.analysis import Lexicon

    f = analyse([chat(FLAGGED)], Config(lexicon=Lexicon({}, {}, "none")))
    assert f.flags == [] and f.staff_contact == []


def test_analyse_leaves_the_input_tables_unchanged() -> None:
    c = chat(FLAGGED + DIRECT)
    before = c.messages.copy()
    analyse([c], config(), excerpts=True)
    pd.testing.assert_frame_equal(c.messages, before)


def test_messages_out_of_file_order_are_handled_by_time() -> None:
    rows = at("20:04", "20:00", "20:03", "20:01", "20:02")  # e.g. a phone clock corrected
    f = analyse([chat(rows)], Config())
    assert burst_summary(f) == [("A", "20:00", "20:04", 5)]
    assert f.bursts[0].lines == [2, 4, 5, 3, 1]  # in time order
    a = f.senders[0]
    assert (a.first, a.last) == (datetime(2025, 6, 10, 20, 0), datetime(2025, 6, 10, 20, 4))
