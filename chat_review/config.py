"""The school's settings: working hours, holidays, the staff roster, the burst rule, the lexicon.

Read from one TOML file (``chat-review.toml``; ``chat-review config init`` writes a commented
template). Every setting has a default, so no file is needed to start. Anything the tool does
not recognise is refused rather than ignored, because a misspelt ``[hours]`` key that was quietly
skipped would change what "out of hours" means in a report a headteacher relies on. Each
problem is reported as one sentence naming the file, the key and what to write instead.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import time
from importlib import resources
from pathlib import Path
from typing import Any

from chat_review.analysis.lexicon import Lexicon
from chat_review.calendar import REGIONS, WEEKDAYS, Closure, WorkingCalendar
from chat_review.config_values import (
    Where,
    calendar_date,
    check_keys,
    flag,
    text,
    text_list,
    time_of_day,
    whole_number,
)
from chat_review.errors import ConfigError
from chat_review.roster import StaffMember, normalise_phone

__all__ = ["CONFIG_NAME", "DEFAULTS_SOURCE", "Config", "StaffMember", "load_config",
           "normalise_phone", "parse_config"]

CONFIG_NAME = "chat-review.toml"
DEFAULTS_SOURCE = "built-in defaults"
_SPAN = re.compile(r"^\s*(\S+)\s*(?:-|–|to)\s*(\S+)\s*$")


# -- the config ---------------------------------------------------------------------------------


@dataclass
class Config:
    """Everything analysis needs besides the messages. ``source`` is the file it was read
    from, or ``"built-in defaults"``."""

    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    staff: list[StaffMember] = field(default_factory=list)
    burst_min_messages: int = 5
    burst_window_minutes: int = 10
    # another sender's message ends a burst (the policy's plain reading); False: the older
    # reading, one sender's messages whatever others wrote in between
    burst_replies_end: bool = True
    late_night_start: str = "22:00"
    late_night_end: str = "06:00"
    lexicon: Lexicon = field(default_factory=Lexicon.default)
    source: str = DEFAULTS_SOURCE
    school_name: str | None = None
    retention_days: int = 365
    # extra names --pseudonymise must hide (children, partners...): [pseudonymise] hide
    hide_names: list[str] = field(default_factory=list)

    def staff_for_sender(self, sender: str) -> StaffMember | None:
        """The roster entry a chat sender name belongs to, or None."""
        for member in self.staff:
            if member.is_sender(sender):
                return member
        return None


def load_config(path: Path | None, home: Path | None) -> Config:
    """Load the settings: ``path`` if given (it must exist); else ``home/chat-review.toml`` if
    it exists; else the built-in defaults. Raises `ConfigError` (one sentence) when the file is
    unreadable or any key is unknown or invalid."""
    if path is None:
        if home is None or not (Path(home) / CONFIG_NAME).is_file():
            return Config()
        path = Path(home) / CONFIG_NAME
    path = Path(path)
    where = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"{where}: no such file; check the path, or run `chat-review config init` to "
            "write a template."
        ) from None
    except OSError as exc:
        raise ConfigError(f"{where}: cannot be read ({exc.strerror}); check the path.") from None
    return config_from_bytes(raw, where)


def config_from_bytes(raw: bytes, where: str) -> Config:
    """Settings from a file's bytes (the web app checks an edit with this before saving it);
    ``where`` names the file in the one-sentence errors."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: is not UTF-8 text; save it as UTF-8 and try again.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{where}: is not valid TOML ({exc}); compare it with `chat-review config init`."
        ) from None
    return parse_config(data, where)


def config_template() -> str:
    """The commented TOML template that ``chat-review config init`` writes."""
    return resources.files("chat_review").joinpath("data/config-template.toml").read_text("utf-8")


# -- parsing ------------------------------------------------------------------------------------

_TOP = {
    "retention",
    "school",
    "calendar",
    "hours",
    "school_holidays",
    "inset_days",
    "staff",
    "bursts",
    "late_night",
    "lexicon",
    "pseudonymise",
}


def _hours(w: Where, day: str, value: Any) -> tuple[time, time] | None:
    key = f"[hours] {day}"
    if isinstance(value, str) and value.strip().lower() in {"none", "off", ""}:
        return None
    m = _SPAN.match(value) if isinstance(value, str) else None
    if m:
        start, end = time_of_day(w, m.group(1), key), time_of_day(w, m.group(2), key)
    elif isinstance(value, dict):
        check_keys(w, value, {"start", "end"}, key)
        if "start" not in value or "end" not in value:
            raise w.error(
                key, "needs both start and end", 'write { start = "08:00", end = "17:00" }'
            )
        start, end = time_of_day(w, value["start"], key), time_of_day(w, value["end"], key)
    else:
        raise w.error(key, f"{value!r} is not a range of hours", 'write "08:00-17:00", or "none"')
    if not start < end:
        word = "is the same as" if start == end else "is before"
        raise w.error(
            key,
            f"end {end:%H:%M} {word} start {start:%H:%M}",
            "write times as HH:MM with end after start",
        )
    return start, end


def _closures(w: Where, value: Any, table: str, kind: str) -> list[Closure]:
    if not isinstance(value, list):
        raise w.error(
            f"[[{table}]]",
            "should be a list of tables",
            f"write each one under its own [[{table}]]",
        )
    out = []
    for i, item in enumerate(value, 1):
        key = f"[[{table}]] number {i}"
        check_keys(w, item, {"name", "from", "to", "date"}, key)
        default_name = "INSET day" if kind == "inset" else None
        if "name" in item:
            name = text(w, item["name"], f"{key} name")
        elif default_name:
            name = default_name
        else:
            raise w.error(key, "has no name", 'add e.g. name = "Autumn half-term"')
        if "date" in item:
            if "from" in item or "to" in item:
                raise w.error(
                    key, "has both date and from/to", "use date for one day, or from and to"
                )
            start = end = calendar_date(w, item["date"], f"{key} date")
        else:
            if "from" not in item or "to" not in item:
                raise w.error(
                    f"{key} ({name})",
                    "needs from and to",
                    "write from = 2025-10-27 and to = 2025-10-31",
                )
            start = calendar_date(w, item["from"], f"{key} ({name}) from")
            end = calendar_date(w, item["to"], f"{key} ({name}) to")
            if end < start:
                raise w.error(
                    f"{key} ({name})",
                    f"to {end} is before from {start}",
                    "write the first day as from and the last day as to",
                )
        out.append(Closure(name, start, end, kind))
    return out


def _check_overlaps(w: Where, closures: list[Closure]) -> None:
    ordered = sorted(closures, key=lambda c: (c.start, c.end))
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.start <= a.end:
            raise w.error(
                "[[school_holidays]]/[[inset_days]]",
                f"{a.name} ({a.start} to {a.end}) overlaps {b.name} ({b.start} to {b.end})",
                "make the date ranges separate (each day belongs to one holiday)",
            )


def _staff(w: Where, value: Any) -> list[StaffMember]:
    if not isinstance(value, list):
        raise w.error(
            "[[staff]]", "should be a list of tables", "write each person under [[staff]]"
        )
    out = []
    for i, item in enumerate(value, 1):
        key = f"[[staff]] number {i}"
        check_keys(w, item, {"name", "aliases", "phones"}, key)
        if "name" not in item:
            raise w.error(key, "has no name", 'add name = "…" as it appears in the chat')
        name = text(w, item["name"], f"{key} name")
        aliases = text_list(w, item.get("aliases", []), f"{key} ({name}) aliases")
        phones = text_list(w, item.get("phones", []), f"{key} ({name}) phones")
        for p in phones:
            if len(normalise_phone(p)) < 6:
                raise w.error(
                    f"{key} ({name}) phones",
                    f"{p!r} is not a phone number",
                    'write it with its digits, e.g. "+44 7700 900123"',
                )
        out.append(StaffMember(name, aliases, phones))
    return out


def parse_config(data: dict[str, Any], where: str = CONFIG_NAME) -> Config:
    """Build a `Config` from already-parsed TOML; ``where`` names the file in errors."""
    w = Where(where)
    check_keys(w, data, _TOP, "")
    cfg = Config(source=where)

    if "school" in data:
        school = check_keys(w, data["school"], {"name"}, "[school]")
        if "name" in school:
            cfg.school_name = text(w, school["name"], "[school] name")

    region = "england"
    if "calendar" in data:
        cal = check_keys(w, data["calendar"], {"region"}, "[calendar]")
        if "region" in cal:
            raw = text(w, cal["region"], "[calendar] region")
            region = raw.lower().replace(" ", "-").replace("_", "-")
            if region not in REGIONS:
                raise w.error(
                    "[calendar] region",
                    f"{raw!r} is not a UK region chat-review knows",
                    f"use one of {', '.join(REGIONS)}",
                )

    hours: dict[int, tuple[time, time] | None] = {}
    if "hours" in data:
        table = check_keys(w, data["hours"], set(WEEKDAYS), "[hours]")
        for day, value in table.items():
            hours[WEEKDAYS.index(day)] = _hours(w, day, value)

    closures: list[Closure] = []
    if "school_holidays" in data:
        closures += _closures(w, data["school_holidays"], "school_holidays", "school-holiday")
    if "inset_days" in data:
        closures += _closures(w, data["inset_days"], "inset_days", "inset")
    _check_overlaps(w, closures)
    cfg.calendar = WorkingCalendar(hours=hours, region=region, closures=closures)

    if "staff" in data:
        cfg.staff = _staff(w, data["staff"])

    if "bursts" in data:
        b = check_keys(w, data["bursts"], {"min_messages", "window_minutes",
                                            "replies_end_a_burst"}, "[bursts]")
        if "replies_end_a_burst" in b:
            cfg.burst_replies_end = flag(w, b["replies_end_a_burst"],
                                          "[bursts] replies_end_a_burst")
        if "min_messages" in b:
            cfg.burst_min_messages = whole_number(w, b["min_messages"], "[bursts] min_messages", 2)
        if "window_minutes" in b:
            cfg.burst_window_minutes = whole_number(w, b["window_minutes"],
                                                    "[bursts] window_minutes", 1)

    if "retention" in data:
        rt = check_keys(w, data["retention"], {"report_days"}, "[retention]")
        if "report_days" in rt:
            cfg.retention_days = whole_number(w, rt["report_days"], "[retention] report_days", 0)

    if "late_night" in data:
        ln = check_keys(w, data["late_night"], {"start", "end"}, "[late_night]")
        start = time_of_day(w, ln.get("start", cfg.late_night_start), "[late_night] start")
        end = time_of_day(w, ln.get("end", cfg.late_night_end), "[late_night] end")
        if start == end:
            raise w.error(
                "[late_night]",
                f"start and end are both {start:%H:%M}",
                'write a window such as start = "22:00", end = "06:00"',
            )
        cfg.late_night_start, cfg.late_night_end = f"{start:%H:%M}", f"{end:%H:%M}"

    if "lexicon" in data:
        if "staff_named" in data["lexicon"]:
            raise w.error(
                "[lexicon] staff_named",
                "is no longer a setting: naming a member of staff is counted as a mention, "
                "never flagged for review",
                "remove the line",
            )
        lx = check_keys(w, data["lexicon"], {"mode", "categories", "exclude"}, "[lexicon]")
        mode = lx.get("mode", "extend")
        if mode not in ("extend", "replace"):
            raise w.error(
                "[lexicon] mode", f"{mode!r} is not a mode", 'write "extend" or "replace"'
            )
        exclude = text_list(w, lx.get("exclude", []), "[lexicon] exclude")
        cats: dict[str, list[str]] = {}
        if "categories" in lx:
            table = lx["categories"]
            if not isinstance(table, dict):
                raise w.error(
                    "[lexicon.categories]", "should be a table", 'write e.g. insult = ["word"]'
                )
            for name, terms in table.items():
                if name == "staff-named":
                    raise w.error(
                        f"[lexicon.categories] {name}",
                        "is filled from the [[staff]] roster",
                        "add names as aliases under [[staff]], or pick another category name",
                    )
                cats[name] = text_list(w, terms, f"[lexicon.categories] {name}")
        if mode == "replace" and not cats:
            raise w.error(
                "[lexicon] mode",
                '"replace" needs at least one category',
                'add [lexicon.categories] or use mode = "extend"',
            )
        cfg.lexicon = Lexicon.default().combined(
            cats, mode=mode, source=where, exclude=exclude
        )
    if "pseudonymise" in data:
        ps = check_keys(w, data["pseudonymise"], {"hide"}, "[pseudonymise]")
        cfg.hide_names = text_list(w, ps.get("hide", []), "[pseudonymise] hide")
    return cfg
