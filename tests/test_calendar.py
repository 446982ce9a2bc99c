"""The working-hours calendar: what counts as in hours, day by day and minute by minute."""

from __future__ import annotations

import json
from datetime import date, time

import pandas as pd
import pytest

from chat_review.calendar import DAY_TYPES, Closure, WorkingCalendar

HALF_TERM = Closure("Autumn half-term", date(2025, 10, 27), date(2025, 10, 31))
INSET = Closure("INSET day", date(2025, 9, 1), date(2025, 9, 1), kind="inset")


def in_hours(cal: WorkingCalendar, *stamps: str) -> list[bool]:
    return cal.in_hours(pd.Series(pd.to_datetime(list(stamps)))).tolist()


def day_types(cal: WorkingCalendar, *days: str) -> list[str]:
    return cal.day_type(pd.Series(pd.to_datetime(list(days)))).astype(str).tolist()


# -- minutes at the edges of the working day (Tuesday 2025-06-10) -------------------------------


def test_0759_is_out_of_hours() -> None:
    assert in_hours(WorkingCalendar(), "2025-06-10 07:59") == [False]


def test_0800_is_in_hours_because_start_is_inclusive() -> None:
    assert in_hours(WorkingCalendar(), "2025-06-10 08:00") == [True]


def test_1659_is_in_hours() -> None:
    assert in_hours(WorkingCalendar(), "2025-06-10 16:59") == [True]


def test_165959_is_still_in_hours() -> None:
    assert in_hours(WorkingCalendar(), "2025-06-10 16:59:59") == [True]


def test_1700_is_out_of_hours_because_end_is_exclusive() -> None:
    assert in_hours(WorkingCalendar(), "2025-06-10 17:00") == [False]


def test_midnight_is_out_of_hours() -> None:
    assert in_hours(WorkingCalendar(), "2025-06-10 00:00") == [False]


# -- days ---------------------------------------------------------------------------------------


def test_saturday_midday_is_out_of_hours_and_a_weekend() -> None:
    cal = WorkingCalendar()
    assert in_hours(cal, "2025-06-14 12:00") == [False]
    assert day_types(cal, "2025-06-14", "2025-06-15") == ["weekend", "weekend"]


def test_an_ordinary_weekday_is_a_working_day() -> None:
    assert day_types(WorkingCalendar(), "2025-06-10") == ["working"]


def test_easter_monday_2025_is_a_bank_holiday_in_england() -> None:
    cal = WorkingCalendar()
    assert day_types(cal, "2025-04-21") == ["bank-holiday"]
    assert in_hours(cal, "2025-04-21 10:00") == [False]


def test_early_may_bank_holiday_2025_is_out_of_hours() -> None:
    cal = WorkingCalendar()
    assert day_types(cal, "2025-05-05") == ["bank-holiday"]
    assert in_hours(cal, "2025-05-05 10:00") == [False]


def test_configured_half_term_is_a_school_holiday_and_out_of_hours() -> None:
    cal = WorkingCalendar(closures=[HALF_TERM])
    assert day_types(cal, "2025-10-27", "2025-10-31", "2025-11-03") == [
        "school-holiday",
        "school-holiday",
        "working",
    ]
    assert in_hours(cal, "2025-10-29 10:00", "2025-11-03 10:00") == [False, True]


def test_half_term_is_only_a_holiday_when_configured() -> None:
    assert in_hours(WorkingCalendar(), "2025-10-29 10:00") == [True]


def test_inset_day_is_out_of_hours() -> None:
    cal = WorkingCalendar(closures=[INSET])
    assert day_types(cal, "2025-09-01", "2025-09-02") == ["school-holiday", "working"]
    assert in_hours(cal, "2025-09-01 09:00", "2025-09-02 09:00") == [False, True]


def test_saturday_inside_a_school_holiday_counts_as_weekend() -> None:
    cal = WorkingCalendar(closures=[Closure("Summer", date(2025, 7, 23), date(2025, 9, 2))])
    assert day_types(cal, "2025-08-02", "2025-08-04") == ["weekend", "school-holiday"]


def test_bank_holiday_inside_school_holiday_is_a_bank_holiday() -> None:
    cal = WorkingCalendar(closures=[Closure("Easter", date(2025, 4, 7), date(2025, 4, 22))])
    assert day_types(cal, "2025-04-21", "2025-04-22") == ["bank-holiday", "school-holiday"]


# -- daylight saving: naive local time, nothing is shifted --------------------------------------


def test_clocks_go_forward_day_does_not_break_even_for_a_time_that_never_existed() -> None:
    cal = WorkingCalendar()
    # 2025-03-30 01:30 never happened in the UK; the phone cannot write it, but we must cope.
    stamps = ["2025-03-30 00:59", "2025-03-30 01:30", "2025-03-30 02:30", "2025-03-31 08:00"]
    assert in_hours(cal, *stamps) == [False, False, False, True]
    assert day_types(cal, "2025-03-30") == ["weekend"]


def test_clocks_go_back_day_counts_a_repeated_0130_twice_without_error() -> None:
    cal = WorkingCalendar()
    stamps = ["2025-10-26 01:30", "2025-10-26 01:30", "2025-10-27 16:59", "2025-10-27 17:00"]
    assert in_hours(cal, *stamps) == [False, False, True, False]


# -- regions ------------------------------------------------------------------------------------


def test_second_of_january_is_a_bank_holiday_in_scotland_only() -> None:
    assert day_types(WorkingCalendar(region="scotland"), "2025-01-02") == ["bank-holiday"]
    assert day_types(WorkingCalendar(region="england"), "2025-01-02") == ["working"]


def test_easter_monday_is_a_working_day_in_scotland() -> None:
    assert day_types(WorkingCalendar(region="scotland"), "2025-04-21") == ["working"]


def test_scottish_summer_bank_holiday_is_early_august() -> None:
    cal = WorkingCalendar(region="scotland")
    assert day_types(cal, "2025-08-04", "2025-08-25") == ["bank-holiday", "working"]


def test_st_patricks_day_is_a_bank_holiday_in_northern_ireland() -> None:
    assert day_types(WorkingCalendar(region="northern-ireland"), "2025-03-17") == ["bank-holiday"]


def test_unknown_region_is_refused() -> None:
    with pytest.raises(ValueError, match="region"):
        WorkingCalendar(region="cornwall")


# -- per-weekday hours --------------------------------------------------------------------------


def test_friday_can_finish_earlier() -> None:
    cal = WorkingCalendar(hours={4: (time(8, 0), time(16, 0))})
    # Friday 2025-06-13 and Thursday 2025-06-12
    assert in_hours(cal, "2025-06-13 15:59", "2025-06-13 16:00", "2025-06-12 16:30") == [
        True,
        False,
        True,
    ]


def test_a_weekday_set_to_none_has_no_hours_and_is_a_non_working_day() -> None:
    cal = WorkingCalendar(hours={2: None})  # Wednesday off
    assert in_hours(cal, "2025-06-11 10:00") == [False]
    assert day_types(cal, "2025-06-11") == ["non-working"]


def test_a_saturday_with_configured_hours_is_a_working_day() -> None:
    cal = WorkingCalendar(hours={5: (time(9, 0), time(12, 0))})
    assert day_types(cal, "2025-06-14") == ["working"]
    assert in_hours(cal, "2025-06-14 11:59", "2025-06-14 12:00") == [True, False]


# -- vectorised shape ---------------------------------------------------------------------------


def test_in_hours_keeps_the_input_index_and_treats_nat_as_out() -> None:
    s = pd.Series(pd.to_datetime(["2025-06-10 09:00", None]), index=[10, 20])
    result = WorkingCalendar().in_hours(s)
    assert result.index.tolist() == [10, 20]
    assert result.tolist() == [True, False]


def test_day_type_is_categorical_with_all_day_types() -> None:
    result = WorkingCalendar().day_type(pd.Series(pd.to_datetime(["2025-06-10"])))
    assert isinstance(result.dtype, pd.CategoricalDtype)
    assert list(result.cat.categories) == DAY_TYPES


def test_in_hours_of_an_empty_series_is_empty() -> None:
    result = WorkingCalendar().in_hours(pd.Series([], dtype="datetime64[ns]"))
    assert result.tolist() == []


def test_day_type_accepts_python_dates() -> None:
    assert WorkingCalendar().day_type([date(2025, 12, 25)]).tolist() == ["bank-holiday"]


def test_in_hours_across_two_years_matches_day_by_day_reasoning() -> None:
    cal = WorkingCalendar()
    stamps = pd.Series(pd.date_range("2024-01-01 10:00", "2025-12-31 10:00", freq="D"))
    hits = cal.in_hours(stamps)
    types = cal.day_type(stamps)
    assert (hits == (types == "working")).all()
    # 2024 has 262 weekdays minus 8 England bank holidays on weekdays; 2025 261 minus 8.
    assert int(hits.sum()) == (262 - 8) + (261 - 8)


# -- describe() and days() ----------------------------------------------------------------------


def test_describe_lists_hours_region_and_holidays_in_range_and_is_json_safe() -> None:
    cal = WorkingCalendar(closures=[HALF_TERM, INSET])
    d = cal.describe(date(2025, 8, 1), date(2025, 10, 31))
    json.dumps(d)
    assert d["region"] == "england"
    assert d["hours"]["monday"] == "08:00-17:00"
    assert d["hours"]["saturday"] is None
    assert d["bank_holidays"] == [{"date": "2025-08-25", "name": "Late Summer Bank Holiday"}]
    assert [c["name"] for c in d["closures"]] == ["INSET day", "Autumn half-term"]


def test_describe_leaves_out_closures_outside_the_range() -> None:
    d = WorkingCalendar(closures=[HALF_TERM]).describe(date(2025, 1, 1), date(2025, 3, 1))
    assert d["closures"] == []


def test_days_gives_one_row_per_date_with_type_hours_and_holiday_name() -> None:
    cal = WorkingCalendar(closures=[INSET])
    rows = cal.days(date(2025, 8, 29), date(2025, 9, 1))
    assert rows == [
        {"date": "2025-08-29", "weekday": "Friday", "type": "working", "hours": "08:00-17:00",
         "holiday": ""},
        {"date": "2025-08-30", "weekday": "Saturday", "type": "weekend", "hours": "",
         "holiday": ""},
        {"date": "2025-08-31", "weekday": "Sunday", "type": "weekend", "hours": "",
         "holiday": ""},
        {"date": "2025-09-01", "weekday": "Monday", "type": "school-holiday", "hours": "",
         "holiday": "INSET day"},
    ]


def test_days_names_the_bank_holiday() -> None:
    rows = WorkingCalendar().days(date(2025, 5, 5), date(2025, 5, 5))
    assert rows[0]["type"] == "bank-holiday"
    assert rows[0]["holiday"] == "May Day"


def test_bank_holidays_equal_the_holidays_packages_own_table_in_every_region() -> None:
    # calendar imports holidays' UnitedKingdom on its own (not all ~250 countries): the
    # table must be exactly what holidays.country_holidays gives
    import holidays

    from chat_review.calendar import REGIONS, _bank_holidays

    for subdiv, _ in REGIONS.values():
        own = holidays.country_holidays("GB", subdiv=subdiv, years=range(2019, 2031))
        assert _bank_holidays(subdiv, 2019, 2030) == dict(own.items())


def test_without_the_lone_uk_module_the_bank_holidays_come_from_the_package_alike(monkeypatch):
    # the fallback when holidays' layout changes and UnitedKingdom cannot be imported alone
    from chat_review import calendar as cal

    fast = cal._bank_holidays.__wrapped__("ENG", 2024, 2027)
    monkeypatch.setattr(cal, "_united_kingdom", lambda: None)
    assert cal._bank_holidays.__wrapped__("ENG", 2024, 2027) == fast
    assert fast[date(2025, 12, 25)] == "Christmas Day"


def test_times_as_day_numbers_and_time_of_day_are_classified_as_timestamps_are() -> None:
    import numpy as np

    cal = WorkingCalendar(closures=[Closure("Half term", date(2025, 2, 17), date(2025, 2, 21))])
    rng = np.random.default_rng(3)
    ns = np.sort(rng.integers(np.datetime64("2024-12-20").astype("datetime64[ns]").astype(int),
                              np.datetime64("2025-06-01").astype("datetime64[ns]").astype(int),
                              5000))
    day = 86_400 * 10**9
    inside, kinds = cal.classify(ns.view("datetime64[ns]"))
    by_day = cal.classify_days(ns // day, ns % day)
    assert inside.tolist() == by_day[0].tolist()
    assert kinds.tolist() == by_day[1].tolist()
    seen = {DAY_TYPES[k] for k in kinds.tolist()}
    assert seen == {"working", "weekend", "bank-holiday", "school-holiday"}
    empty = cal.classify_days(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    assert [len(a) for a in empty] == [0, 0]
