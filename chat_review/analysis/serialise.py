"""Findings as plain JSON-safe data: what ``Findings.to_dict()`` returns and reports write.

Dates and datetimes become ISO 8601 strings (naive local time, as in the export), DataFrames
become lists of records (the index, when named, becomes a column), numpy numbers become Python
numbers and NaN becomes null. The result round-trips through ``json.dumps`` with no custom
encoder, so the JSON report is readable by anything.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime, time
from typing import Any

import numpy as np
import pandas as pd

from .findings import Findings


def _column(col: pd.Series) -> list[Any]:
    """One DataFrame column as JSON-safe Python values, converted column-wise (fast)."""
    if pd.api.types.is_datetime64_any_dtype(col):
        text = col.dt.strftime("%Y-%m-%dT%H:%M:%S")
        return [None if pd.isna(v) else v for v in text.tolist()]
    numeric = pd.api.types.is_bool_dtype(col) or pd.api.types.is_integer_dtype(col)
    if numeric and col.dtype != object and not col.isna().any():
        return col.tolist()  # numpy ints and bools become Python ints and bools
    return _json_column(col.tolist())


def _frame(df: pd.DataFrame) -> list[dict[str, Any]]:
    frame = df.reset_index() if df.index.name is not None else df
    if "date" in frame.columns and pd.api.types.is_datetime64_any_dtype(frame["date"]):
        # calendar days, not instants: "2025-06-10"
        frame = frame.assign(date=frame["date"].dt.strftime("%Y-%m-%d"))
    cols = [str(c) for c in frame.columns]
    values = [_column(frame.iloc[:, i]) for i in range(frame.shape[1])]
    return [dict(zip(cols, rec, strict=True)) for rec in zip(*values, strict=True)]


_FIELDS: dict[type, tuple[str, ...]] = {}
_PLAIN = frozenset({str, int, bool, type(None)})  # JSON-safe as they are


def _fields(t: type) -> tuple[str, ...]:
    names = _FIELDS.get(t)
    if names is None:
        names = _FIELDS[t] = tuple(f.name for f in dataclasses.fields(t))
    return names


def _json_column(values: list[Any]) -> list[Any]:
    """One field of many records as JSON-safe values, the common types without a call each."""
    kinds = set(map(type, values))
    if kinds <= _PLAIN:
        return list(values)
    if kinds <= {datetime, date}:  # exact types: a pd.Timestamp goes through to_jsonable
        return [v.isoformat() for v in values]
    return [to_jsonable(v) for v in values]


def _records(items: list[Any]) -> list[dict[str, Any]]:
    """Many dataclasses of one type (flags, bursts, mentions...) as dicts, field by field:
    one value at a time, the 89,000 staff mentions of a million-message chat took 1.5x as long."""
    names = _fields(type(items[0]))
    cols = [_json_column([getattr(o, n) for o in items]) for n in names]
    return [dict(zip(names, rec, strict=True)) for rec in zip(*cols, strict=True)]


def to_jsonable(value: Any) -> Any:
    """Any value found in findings as JSON-safe data (see the module docstring)."""
    t = type(value)
    if value is None or t is str or t is int or t is bool:
        return value
    if t is float:
        return None if math.isnan(value) or math.isinf(value) else value
    if t is datetime or t is date:
        return value.isoformat()
    if t is list or t is tuple:
        if value and dataclasses.is_dataclass(value[0]) and not isinstance(value[0], type):
            first = type(value[0])
            if all(type(v) is first for v in value):
                return _records(list(value))
        return _json_column(list(value))
    if t is dict:
        return {str(k): to_jsonable(v) for k, v in value.items()}
    names = _FIELDS.get(t)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _fields(t)
    if names is not None:
        return {n: to_jsonable(getattr(value, n)) for n in names}
    if isinstance(value, pd.DataFrame):
        return _frame(value)
    if isinstance(value, pd.Series):
        return [to_jsonable(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | np.ndarray):
        return [to_jsonable(v) for v in value]
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().isoformat()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).to_pydatetime().isoformat()
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if value is pd.NA:
        return None
    return str(value)


def findings_to_dict(f: Findings) -> dict[str, Any]:
    """`Findings` as a JSON-safe dict: every dataclass field, plus ``out_of_hours_share``.

    ``daily`` becomes records with a ``date`` key ("YYYY-MM-DD"), as does ``daily_by_sender``;
    ``weekday_hour`` becomes 7 records with a ``weekday`` key and keys "0".."23".
    """
    out = to_jsonable(f)
    out["out_of_hours_share"] = f.out_of_hours_share
    return out
