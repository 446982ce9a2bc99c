"""Words for the register's records, shared by both front ends (the CLI and the web app).

One place decides how a consent, an audit entry and the settings are put into words, so a
headteacher reads the same thing at the terminal and in the page.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from chat_review.consent.date_words import register_time
from chat_review.errors import ChatReviewError

CALENDAR_MAX_DAYS = 800  # about two years: the table stays readable


def window(record: Any) -> str:
    """The consent's date window in words."""
    if not record.window_from and not record.window_to:
        return "the whole chat"
    start = register_time(record.window_from) if record.window_from else "the start"
    end = register_time(record.window_to) if record.window_to else "the end"
    return f"{start} to {end} (messages outside are never read into any output)"


def consent_rows(record: Any, now: datetime) -> list[tuple[str, str]]:
    """(label, value) pairs describing one consent record, in reading order; dates in the
    reports' style (`consent.date_words.register_time`), so the terminal, the pages and the
    PDF agree."""
    chat_name = f' (in the chat as "{record.chat_name}")' if record.chat_name else ""
    rows = [
        ("Parent", f"{record.parent}{chat_name}"),
        ("Purpose", record.purpose),
        ("Export", record.export_name),
        ("SHA-256", record.export_sha256),
        ("Window", window(record)),
        ("Recorded by", f"{record.recorded_by}, {register_time(record.recorded_at)}"),
        ("Expires", register_time(record.expires_at)),
        ("Evidence", record.evidence or "-"),
        ("Status", record.status(now)),
    ]
    if record.revoked_at:
        rows.append(("Revoked", f"{register_time(record.revoked_at)} by {record.revoked_by}: "
                                f"{record.revoked_reason}"))
    return rows


def audit_details(detail: dict[str, Any]) -> str:
    """The parts of an audit entry's detail worth a glance (never message text)."""
    keys = ("reason", "command", "reviewer", "export_name", "path", "kind", "messages")
    return ", ".join(f"{k}={detail[k]}" for k in keys if detail.get(k) is not None)


def settings_rows(cfg: Any) -> list[tuple[str, str]]:
    """What a settings file defines, as `config check` and the settings page show it."""
    from chat_review.calendar import REGIONS, WEEKDAYS

    cal = cfg.calendar
    rows = [(WEEKDAYS[d].capitalize(), cal.hours_text(d) or "no working hours")
            for d in range(7)]
    rows += [
        ("Bank holidays", REGIONS[cal.region][1]),
        ("Staff", ", ".join(m.name for m in cfg.staff) or "none listed"),
        ("Bursts", f"{cfg.burst_min_messages} messages within {cfg.burst_window_minutes} "
                   "minutes"),
    ]
    return rows


def check_calendar_range(first: date, last: date) -> None:
    """Refuse a calendar request that is backwards or too long to read."""
    if last < first:
        raise ChatReviewError("The end date is before the start date; swap them.")
    if (last - first).days > CALENDAR_MAX_DAYS:
        raise ChatReviewError("Show at most about two years at a time.")
