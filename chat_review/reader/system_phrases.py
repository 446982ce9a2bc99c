"""Name the system event a notice line is ("created", "added", "left"...) in any language.

Every system phrase of ``system_phrases.tsv`` becomes a str pattern, compiled the first time a
line contains the phrase's longest word; the event categories are the table's ``event`` column.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import numpy as np
import pandas as pd

from .headers import MARKS, SPACES
from .phrase_book import _QUOTES, _TOKEN, _read_table

#: The system-event categories a system row can have (the ``event`` column of
#: ``system_phrases.tsv``), with what each means; every language's rows use these names, so
#: evidence built on them (e.g. "a group was created" -> group chat) works in every language.
EVENT_CATEGORIES: dict[str, str] = {
    "encryption": "the end-to-end encryption notice at the top of a chat",
    "created": "a participant created the group",
    "added": "a participant added someone to the group",
    "removed": "a participant removed someone from the group",
    "left": "a participant left the group",
    "joined": "someone joined with an invite link or from a community",
    "subject": "the group's name (subject) was changed",
    "icon": "the group's icon (photo) was changed or removed",
    "description": "the group's description was changed",
}


def event_categories(kinds: pd.Series, texts: pd.Series) -> pd.Series:
    """The system-event category of each row: a value of `EVENT_CATEGORIES` for a system row
    whose text is a known phrase, <NA> for every other row (messages and unknown notices).

    Only system rows are looked at (a chat has few), so this costs nothing per message.
    """
    out = pd.Series(pd.NA, index=texts.index, dtype=object)
    rows = np.flatnonzero((kinds == "system").to_numpy())
    for i in rows.tolist():
        t = texts.iat[i]
        if isinstance(t, str):
            out.iat[i] = system_event(t)
    return out.astype(pd.CategoricalDtype(list(EVENT_CATEGORIES)))


@lru_cache(maxsize=1)
def _system_events() -> list[tuple[tuple[str, bool], str, str]]:
    """Every system phrase as (a word it must contain, the phrase, the event), in the order
    tried: most literal text first, so "{name} removed the group photo" (icon) is tried before
    "{name} removed {name}" (removed); each phrase is tried only when its longest word is in
    the text (a plain substring test), so a line costs a few regex matches, not hundreds."""
    system = _read_table("system_phrases.tsv")
    by_detail = sorted(system, key=lambda r: -len(_TOKEN.sub("", r.phrase)))
    return [(_index_word(row.phrase), row.phrase, row.kind) for row in by_detail]


def _str_pattern(phrase: str) -> str:
    out: list[str] = []
    for part in _TOKEN.split(phrase):
        if not part:
            continue
        if part in ("{name}", "{file}"):
            out.append(r".+?")
        elif part == "{any}":
            out.append(r".*?")
        elif part == "{'}":
            out.append("['\u2019]")
        elif part == '{"}':
            out.append(f"[{re.escape(_QUOTES)}]")
        else:
            out.append(
                "".join(f"[{SPACES}][{MARKS}]*" if ch in SPACES else re.escape(ch) for ch in part)
            )
    return "".join(out)


def _index_word(phrase: str) -> tuple[str, bool]:
    """The phrase's longest word, and whether it stands alone between spaces (then a line can
    only match if that word is one of its space-separated tokens); words glued to a placeholder
    or in scripts written without spaces are looked for as substrings."""
    parts = _TOKEN.split(phrase)
    best, alone = "", False
    for j, part in enumerate(parts):
        if not part or _TOKEN.fullmatch(part):
            continue
        pieces = re.split(f"[{SPACES}]", part)
        for k, w in enumerate(pieces):
            if len(w) <= len(best):
                continue
            left = k > 0 or j == 0
            right = k < len(pieces) - 1 or j == len(parts) - 1
            best, alone = w, left and right
    return best, alone


@lru_cache(maxsize=1)
def _event_index() -> tuple[dict[str, list[int]], list[tuple[str, list[int]]]]:
    """System phrases by word: {token: phrase numbers} and [(substring, phrase numbers)]."""
    tokens: dict[str, list[int]] = {}
    subs: dict[str, list[int]] = {}
    for n, ((word, alone), _phrase, _ev) in enumerate(_system_events()):
        (tokens if alone else subs).setdefault(word.lower() if alone else word, []).append(n)
    return tokens, list(subs.items())


_MARK_TABLE = str.maketrans("", "", MARKS)


@lru_cache(maxsize=4096)
def system_event(text: str) -> str | None:
    """Which system event a (decoded) line is, or None when no phrase matches.

    Only the phrases whose longest word the line contains are tried (a dictionary look-up
    per word of the line), in the tables' most-detailed-first order.
    """
    text = text.lstrip(MARKS)  # never matched by the patterns: no backtracking over a mark run
    tokens, subs = _event_index()
    cand: set[int] = set()
    for tok in text.translate(_MARK_TABLE).lower().split():
        cand.update(tokens.get(tok, ()))
    for word, rows in subs:
        if word in text:
            cand.update(rows)
    events = _system_events()
    for n in sorted(cand):
        _word, phrase, event = events[n]
        if _compiled(phrase).match(text):
            return event
    return None


@cache
def _compiled(phrase: str) -> re.Pattern[str]:
    """A system phrase's pattern, compiled the first time a line contains its word."""
    return re.compile(_str_pattern(phrase) + r"[.]?$", re.DOTALL | re.IGNORECASE)
