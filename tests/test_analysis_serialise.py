"""findings_to_dict: plain JSON types only, so any tool can read the JSON report."""

from __future__ import annotations

import json
from datetime import date, datetime

import numpy as np
import pandas as pd

from chat_review.analysis.serialise import findings_to_dict, to_jsonable


def only_json_types(value) -> bool:
    if isinstance(value, dict):
        return all(type(k) is str and only_json_types(v) for k, v in value.items())
    if isinstance(value, list):
        return all(only_json_types(v) for v in value)
    return value is None or type(value) in (str, int, float, bool)


def test_factory_findings_serialise_to_plain_json_types() -> None:
    from findings_factory import make_findings

    d = findings_to_dict(make_findings(sources=2))
    assert only_json_types(d)
    assert json.loads(json.dumps(d)) == d


def test_empty_factory_findings_serialise() -> None:
    from findings_factory import make_empty_findings

    d = findings_to_dict(make_empty_findings())
    assert only_json_types(d)
    assert d["daily"] == [] and d["out_of_hours_share"] == 0.0


def test_numpy_numbers_become_python_numbers() -> None:
    assert to_jsonable({"a": np.int64(3), "b": np.float32(0.5), "c": np.bool_(True)}) == {
        "a": 3,
        "b": 0.5,
        "c": True,
    }


def test_missing_values_become_null() -> None:
    assert to_jsonable([float("nan"), pd.NaT, pd.NA, None, np.datetime64("NaT")]) == [None] * 5


def test_dates_and_times_become_iso_strings() -> None:
    assert to_jsonable([date(2025, 6, 10), datetime(2025, 6, 10, 20, 5),
                        pd.Timestamp("2025-06-10 20:05")]) == [
        "2025-06-10",
        "2025-06-10T20:05:00",
        "2025-06-10T20:05:00",
    ]


def test_a_frame_with_a_named_index_becomes_records_with_that_key() -> None:
    frame = pd.DataFrame(
        {"in_hours": [1, 0]},
        index=pd.DatetimeIndex(["2025-06-10", "2025-06-11"], name="date"),
    )
    assert to_jsonable(frame) == [
        {"date": "2025-06-10", "in_hours": 1},
        {"date": "2025-06-11", "in_hours": 0},
    ]


def test_a_list_of_records_converts_each_field_like_a_single_record() -> None:
    # lists of one dataclass are converted field by field: every value type must come out
    # as it does for a record on its own (pandas Timestamp, NaN, numpy ints, nested lists)
    from chat_review.analysis.findings import Burst, ReviewFlag

    flags = [
        ReviewFlag(datetime(2025, 6, 9, 21, 5), "Ann", 3, "a.txt", "insult", "idiot"),
        ReviewFlag(pd.Timestamp("2025-06-10 07:00:00.000001"), None, np.int64(4), "a.txt",
                   "threat", "kill*", excerpt="…x…"),
    ]
    bursts = [Burst("Ann", datetime(2025, 6, 9, 21), datetime(2025, 6, 9, 21, 4), 5,
                    [1, 2, np.int64(3)], "a.txt", 5, about_staff={"Mr B": 1})]
    for items in (flags, bursts):
        assert to_jsonable(items) == [to_jsonable(x) for x in items]
    assert to_jsonable(flags)[1]["timestamp"] == "2025-06-10T07:00:00.000001"
    assert to_jsonable(flags)[1]["line"] == 4 and type(to_jsonable(flags)[1]["line"]) is int
    assert to_jsonable(bursts)[0]["lines"] == [1, 2, 3]
