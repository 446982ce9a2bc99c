"""The rules applied, in words a report can quote (``Findings.settings``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .bursts import burst_rule

if TYPE_CHECKING:
    from chat_review.config import Config

DEFAULTS_WARNING = (
    "No settings file was used, so chat-review's built-in defaults applied: Monday to Friday "
    "08:00–17:00 and the region's bank holidays only. They have no school holidays or INSET "
    "days (those days counted as working days) and no staff roster (so no contact with staff "
    "could be found). Write a settings file with `chat-review config init` and save it in the "
    "chat-review home as chat-review.toml, or pass it with --config."
)
NO_ROSTER_WARNING = (
    "The settings have no staff roster ([[staff]]), so no message could be counted as sent to "
    "or naming a member of staff."
)


def late_night_rule(config: Config) -> str:
    start, end = config.late_night_start, config.late_night_end
    return (f"sent from {start} to {end} by the phone's clock ({start} counts, {end} does not); "
            "the same window in every table and chart")


def settings(config: Config, excerpts: bool, staff: list[str]) -> dict[str, Any]:
    """The rules applied, in words a report can quote. ``staff``: the roster names shown."""
    lex = config.lexicon
    nmin, mwin = config.burst_min_messages, config.burst_window_minutes
    return {
        "burst": {
            "min_messages": nmin,
            "within_minutes": mwin,
            "replies_end_a_burst": config.burst_replies_end,
            "rule": burst_rule(nmin, mwin, config.burst_replies_end),
        },
        "late_night": [config.late_night_start, config.late_night_end],
        "late_night_rule": late_night_rule(config),
        "lexicon": lex.source,
        "lexicon_categories": sorted(lex.categories),
        "staff": staff,
        "config": config.source,
        "excerpts": bool(excerpts),
        "counted": (
            "messages written by people (text, media, deleted); system events are left out"
        ),
        "chat_type_rule": (
            "one-to-one or group from the export's own evidence (group events such as created, "
            "added, left or subject changed; three or more writers; the export's name naming the "
            "other person) or the reviewer's --chat-type; otherwise unknown, and nothing in an "
            "unknown chat counts as direct contact with staff"
        ),
        "mention_rule": (
            "a message by someone not on the staff roster that names a member of staff (any "
            "name or alias as a whole word, or @ and their phone number) outside a one-to-one "
            "chat with that person; counted as a mention, never flagged for review"
        ),
        "staff_rule": (
            "a message in a one-to-one chat with a member of staff is sent to them; a message "
            "elsewhere by someone not on the staff roster that names them (any name or alias as "
            "a whole word, or @ and their phone number) is about them, a mention; mentions are "
            "counted, never flagged"
        ),
        "flags_note": (
            "a flag is a prompt for a human to read the message, never a verdict; benign "
            "idioms such as \"to die for\" or \"killing me\" are not flagged"
        ),
    }


def config_warnings(config: Config) -> list[str]:
    """What a reader must know about the settings themselves (built-in defaults, no roster)."""
    if built_in(config):
        return [DEFAULTS_WARNING]
    if not config.staff:
        return [NO_ROSTER_WARNING]
    return []


def built_in(config: Config) -> bool:
    """No settings file was used: the built-in defaults applied."""
    from chat_review.config import DEFAULTS_SOURCE

    return config.source == DEFAULTS_SOURCE
