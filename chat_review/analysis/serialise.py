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


def _frame(df: pd.DataFrame) -> list[dict[str, Any]]:
    frame = df.reset_index() if df.index.name is not None else df
    if "date" in frame.columns and pd.api.types.is_datetime64_any_dtype(frame["date"]):
        # calendar days, not instants: "2025-06-10"
        frame = frame.assign(date=frame["date"].dt.strftime("%Y-%m-%d"))
    cols = [str(c) for c in frame.columns]
    out = []
    for rec in frame.itertuples(index=False, name=None):
        out.append({c: to_jsonable(v) for c, v in zip(cols, rec, strict=True)})
    return out


def to_jsonable(value: Any) -> Any:
    """Any value found in findings as JSON-safe data (see the module docstring)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, pd.DataFrame):
        return _frame(value)
    if isinstance(value, pd.Series):
        return [to_jsonable(v) for v in value.tolist()]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
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
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(value, int):
        return value
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
