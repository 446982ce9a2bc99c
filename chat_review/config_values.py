"""One settings value read with its type checked, every problem one sentence naming the file
and the key (``chat-review.toml: [hours] monday: ...; write ...``).

Kept apart from `config`, which knows what each setting means; these know only how a value of
each type is written in TOML.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from chat_review.errors import ConfigError

_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


class Where:
    """Builds the one-sentence errors: ``file: [table] key: problem; what to do.``"""

    def __init__(self, file: str) -> None:
        self.file = file

    def error(self, key: str, problem: str, fix: str) -> ConfigError:
        return ConfigError(f"{self.file}: {key}: {problem}; {fix}.")


def check_keys(w: Where, table: Any, allowed: set[str], key: str) -> dict[str, Any]:
    """`table` itself, after refusing any key not in `allowed`: a misspelt key quietly
    skipped would change what a report means."""
    if not isinstance(table, dict):
        raise w.error(key, "should be a table", f"write it as {key} with keys under it")
    for k in table:
        if k not in allowed:
            raise w.error(
                f"{key} {k}" if key else k,
                "is not a setting chat-review knows",
                f"use one of {', '.join(sorted(allowed))} (check the spelling)",
            )
    return table


def text(w: Where, value: Any, key: str) -> str:
    """Non-empty text, trimmed."""
    if not isinstance(value, str) or not value.strip():
        raise w.error(key, f"{value!r} should be non-empty text", 'write it in quotes, e.g. "…"')
    return value.strip()


def whole_number(w: Where, value: Any, key: str, minimum: int) -> int:
    """An integer of at least `minimum` (TOML's true/false are not numbers here)."""
    if type(value) is not int or value < minimum:
        raise w.error(key, f"{value!r} should be a whole number", f"write {minimum} or more")
    return value


def flag(w: Where, value: Any, key: str) -> bool:
    """true or false, never 1/0 or "yes": the file says exactly what it means."""
    if type(value) is not bool:
        raise w.error(key, f"{value!r} should be true or false", "write true or false")
    return value


def text_list(w: Where, value: Any, key: str) -> list[str]:
    """A list of non-empty texts, each trimmed."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise w.error(key, "should be a list of non-empty texts", 'write e.g. ["one", "two"]')
    return [v.strip() for v in value]


def time_of_day(w: Where, value: Any, key: str) -> time:
    """"HH:MM" from 00:00 to 23:59."""
    m = _TIME.match(value) if isinstance(value, str) else None
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise w.error(
            key, f"{value!r} is not a time of day", 'write times as "HH:MM" from 00:00 to 23:59'
        )
    return time(int(m.group(1)), int(m.group(2)))


def calendar_date(w: Where, value: Any, key: str) -> date:
    """A TOML date or "YYYY-MM-DD" text (a date-time is refused: a day is meant)."""
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise w.error(key, f"{value!r} is not a date", "write dates as YYYY-MM-DD, e.g. 2025-10-27")
