"""Plain-Python helpers shared by every renderer (no matplotlib here: imported at start-up)."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from chat_review.analysis.findings import Findings, SenderStats

# Okabe-Ito: distinguishable with every common colour-vision deficiency and in greyscale print.
IN_HOURS = "#0072B2"  # blue
OUT_HOURS = "#D55E00"  # vermillion
ACCENT = "#E69F00"  # orange (warnings)
GREEN = "#009E73"
SKY = "#56B4E9"
PINK = "#CC79A7"
YELLOW = "#F0E442"

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKLY_AFTER_DAYS = 120  # a longer period is drawn in weekly bins

_DAY_KEYS = {
    **{d.lower(): i for i, d in enumerate(WEEKDAYS)},
    **{d[:3].lower(): i for i, d in enumerate(WEEKDAYS)},
    **{str(i): i for i in range(7)},
}


def luminance(colour: Any) -> float:
    """WCAG relative luminance of "#RRGGBB" or an (r, g, b[, a]) tuple of 0..1 floats."""
    if isinstance(colour, str):
        colour = tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    r, g, b = (x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4
               for x in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: float, b: float) -> float:
    """WCAG contrast ratio of two luminances (1 to 21; 4.5 is the floor for body text)."""
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def truncate(text: Any, width: int) -> str:
    """One line of at most `width` characters, an ellipsis showing what was cut."""
    s = " ".join(str(text if text is not None else "").split())
    return s if len(s) <= width else s[: max(width - 1, 1)].rstrip() + "…"


def brief(text: Any, width: int, rest: str = "the PDF") -> str:
    """About `width` characters that end where a sentence or a word does, saying where the
    rest is: the one-page summary shows a warning's opening and the PDF the whole of it, never
    a cut such as "the r…"."""
    s = " ".join(str(text if text is not None else "").split())
    if len(s) <= width:
        return s
    cut = s[:width]
    stop = max(cut.rfind(". "), cut.rfind("; "))
    if stop >= width // 3:
        return f"{cut[: stop + 1].rstrip(';')} More in {rest}."
    space = cut.rfind(" ")
    return f"{(cut[:space] if space >= width // 3 else cut).rstrip(',;:')}… (more in {rest})"


def fmt_int(n: int | float) -> str:
    return f"{int(n):,}"


def fmt_pct(share: float) -> str:
    return f"{share * 100:.0f}%" if share >= 0.01 or share == 0 else "<1%"








def sha_short(sha: str) -> str:
    return sha[:12]


def has_messages(findings: Findings) -> bool:
    return findings.total_messages > 0 or any(s.messages for s in findings.senders)




def source_numbers(findings: Findings) -> dict[str, str]:
    """Chat name -> its number in the method page's export list ("1", "2", ...)."""
    return {s.name: str(i) for i, s in enumerate(findings.sources, 1)}


def all_warnings(findings: Findings) -> list[str]:
    """Every warning a reader must see: findings-level, per export, and ambiguous date order."""
    out: list[str] = []
    for w in findings.warnings:
        if w not in out:
            out.append(w)
    for s in findings.sources:
        for w in s.warnings:
            if w not in out and not any(w in o for o in out):
                out.append(w)
        if s.date_order_ambiguous and not any(
            "ambiguous" in o.lower() and s.name in o for o in out
        ):
            out.append(
                f"{s.name}: the date order could not be proven from the export; "
                f"read as {s.date_order} ({s.date_order_rule})."
            )
    return out


def chat_type_text(s: Any) -> str:
    """A source's chat type and why, in words: "One-to-one chat with Mrs X (the export's name
    says ...)", "Group chat (line 2: the group was created)", "Chat type unknown (...)"."""
    why = f" ({s.chat_type_evidence})" if getattr(s, "chat_type_evidence", None) else ""
    if s.chat_type == "one-to-one":
        who = f" with {s.staff}" if s.staff else ""
        return f"One-to-one chat{who}{why}"
    if s.chat_type == "group":
        return f"Group chat{why}"
    if s.chat_type == "unknown":
        return f"Chat type unknown{why}; see the warnings"
    return "No messages in the consented period"


def sender_label(s: SenderStats | str, is_staff: bool = False, width: int = 28) -> str:
    name, staff = (s.sender, s.is_staff) if isinstance(s, SenderStats) else (s, is_staff)
    suffix = " (staff)" if staff else ""
    return truncate(name, width - len(suffix)) + suffix


def top_out_of_hours(
    senders: list[SenderStats], n: int = 10
) -> list[tuple[str, int, int, bool]]:
    """(label, out-of-hours, messages, is_staff) for the top n, the rest as one "Other" row."""
    ranked = sorted(senders, key=lambda s: (-s.out_of_hours, -s.messages, s.sender))
    ranked = [s for s in ranked if s.messages > 0]
    rows = [(sender_label(s), s.out_of_hours, s.messages, s.is_staff) for s in ranked[:n]]
    rest = ranked[n:]
    if rest:
        rows.append(
            (
                f"Other ({len(rest)} senders)",
                sum(s.out_of_hours for s in rest),
                sum(s.messages for s in rest),
                False,
            )
        )
    return rows


def timeline_bins(daily: pd.DataFrame) -> tuple[pd.DataFrame, str, int]:
    """Daily totals, or weekly sums (weeks starting Monday) for a long period.

    Returns the frame (index = bin start), a y-axis label and the bin width in days.
    """
    frame = daily[["in_hours", "out_of_hours"]].astype("int64")
    frame.index = pd.DatetimeIndex(frame.index)
    if len(frame) > WEEKLY_AFTER_DAYS:
        weekly = frame.resample("W-MON", label="left", closed="left").sum()
        return weekly, "Messages per week\n(weekly bins, weeks start Monday)", 7
    return frame, "Messages per day", 1


def _hours(value: Any) -> float:
    """"08:30" / "8" / 8.5 / "08:30:00" -> 8.5."""
    if isinstance(value, int | float):
        return float(value)
    m = re.fullmatch(r"\s*(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*", str(value))
    if not m:
        raise ValueError(value)
    return int(m.group(1)) + int(m.group(2) or 0) / 60


def _intervals(value: Any) -> list[tuple[float, float]]:
    if value in (None, False, "", [], "closed", "off"):
        return []
    if isinstance(value, dict):
        return [(_hours(value["start"]), _hours(value["end"]))]
    if isinstance(value, str):
        out = []
        for part in value.split(","):
            a, b = re.split(r"\s*[-–]\s*", part.strip(), maxsplit=1)
            out.append((_hours(a), _hours(b)))
        return out
    if isinstance(value, list | tuple):
        if len(value) == 2 and not isinstance(value[0], list | tuple | dict):
            return [(_hours(value[0]), _hours(value[1]))]
        return [iv for v in value for iv in _intervals(v)]
    raise ValueError(value)


def working_hours(calendar: dict[str, Any]) -> dict[int, list[tuple[float, float]]] | None:
    """Working intervals per weekday (0=Monday) from the calendar the analysis applied.

    Accepts the shapes a TOML calendar naturally takes: {"monday": ["08:00", "18:00"]},
    {"mon": "08:00-18:00"}, a list of seven entries, or start/end/days at the top level.
    None when the calendar does not say (the heatmap then draws no outline, and says so).
    """
    try:
        for key in ("working_hours", "weekday_hours", "hours", "weekdays"):
            spec = calendar.get(key)
            if isinstance(spec, dict) and spec:
                if {"start", "end"} <= set(spec):
                    days = spec.get("days", range(5))
                    return {
                        _DAY_KEYS[str(d).lower()]: [(_hours(spec["start"]), _hours(spec["end"]))]
                        for d in days
                    }
                out = {i: [] for i in range(7)}
                for day, value in spec.items():
                    out[_DAY_KEYS[str(day).lower()]] = _intervals(value)
                return out
            if isinstance(spec, list | tuple) and len(spec) == 7:
                return {i: _intervals(v) for i, v in enumerate(spec)}
        if {"start", "end"} <= set(calendar):
            days = calendar.get("days", range(5))
            return {
                _DAY_KEYS[str(d).lower()]: [(_hours(calendar["start"]), _hours(calendar["end"]))]
                for d in days
            }
    except (KeyError, ValueError, TypeError, AttributeError):
        return None
    return None


def _hhmm(h: float) -> str:
    return f"{int(h):02d}:{round((h % 1) * 60):02d}"


def working_hours_text(calendar: dict[str, Any]) -> list[str]:
    """"Monday–Thursday 08:00–18:00" style lines; consecutive equal days are grouped."""
    wh = working_hours(calendar)
    if wh is None:
        return ["Working hours: not stated in the findings."]
    groups: list[tuple[int, int, str]] = []
    for d in range(7):
        spans = ", ".join(f"{_hhmm(a)}–{_hhmm(b)}" for a, b in wh.get(d, [])) or "not working"
        if groups and groups[-1][2] == spans and groups[-1][1] == d - 1:
            groups[-1] = (groups[-1][0], d, spans)
        else:
            groups.append((d, d, spans))
    out = []
    for a, b, spans in groups:
        days = WEEKDAYS[a] if a == b else f"{WEEKDAYS[a]}–{WEEKDAYS[b]}"
        out.append(f"{days}: {spans}")
    return out






def footer_text(consent_label: str) -> str:
    return f"Confidential — prepared under recorded parental consent (consent {consent_label})"
