"""Phrase tables (``chat_review/data/*_phrases.tsv``) compiled into scanners.

A new language is added by adding rows to the tables, not code. Phrases are plain text with
placeholders: ``{name}`` (a person or phone number), ``{any}`` (any text), ``{file}`` (an
attachment's file name), ``{'}`` (either apostrophe) and ``{"}`` (any quotation mark). Spaces
match any of the four space characters WhatsApp uses, and direction marks are ignored.

Scanning is vectorised: the bodies are spans of the export's bytes; numpy compares a few bytes
at each body's start or end with the phrases' own, and the compiled patterns (bounded by the
body's span) run only on the few bodies that agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from ._locate import _load8, words8
from .headers import MARKS, MK_B, SP_B, SPACES

_TOKEN = re.compile(r"(\{name\}|\{any\}|\{file\}|\{'\}|\{\"\})")
_QUOTES = "\"“”„«»‘’‚"


@dataclass(frozen=True)
class Row:
    lang: str
    kind: str  # media form, marker, or system event
    scope: str
    phrase: str


def _read_table(name: str) -> list[Row]:
    text = resources.files("chat_review").joinpath("data", name).read_text(encoding="utf-8")
    rows: list[Row] = []
    header_seen = False
    for raw in text.splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        cols = raw.split("\t")
        if not header_seen:
            header_seen = True
            continue
        if len(cols) == 3:
            rows.append(Row(cols[0], cols[1], "", cols[2]))
        elif len(cols) == 4:
            rows.append(Row(cols[0], cols[1], cols[2], cols[3]))
        else:
            raise ValueError(f"{name}: bad row {raw!r}")
    return rows


def _bytes_pattern(phrase: str, *, file_group: bool) -> bytes:
    """The phrase as a bytes pattern (no anchors); {file} becomes a group when asked."""
    out: list[bytes] = []
    for part in _TOKEN.split(phrase):
        if not part:
            continue
        if part in ("{name}", "{any}"):
            out.append(rb"[^\x00\n]*?" if part == "{any}" else rb"[^\x00\n]+?")
        elif part == "{file}":
            out.append(rb"([^\x00\n]+?)" if file_group else rb"[^\x00\n]+?")
        elif part == "{'}":
            out.append(b"(?:'|\xe2\x80\x99)")
        elif part == '{"}':
            out.append(b"(?:" + b"|".join(re.escape(q.encode()) for q in _QUOTES) + b")")
        else:
            for ch in part:
                if ch in SPACES:
                    out.append(SP_B + MK_B + b"*")
                else:
                    out.append(re.escape(ch.encode()))
    return b"".join(out)


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


@dataclass
class PhraseBook:
    """Compiled scanners for the three tables."""

    # media prefixes, deleted markers, 'anywhere' system phrases: per 3-byte key (the phrases'
    # first bytes as a little-endian int), one pattern of the phrases with that key and, per
    # group of that pattern, (category, kind, has_file)
    start: dict[int, tuple[re.Pattern[bytes], list[tuple[str, str, bool]]]]
    start_keys: np.ndarray  # the keys, sorted, for prefiltering
    suffix_media: list[tuple[bytes, re.Pattern[bytes]]]  # "{file} (file attached)" and friends
    edited: list[bytes]  # markers at the end of a body
    # every system phrase as (a word it must contain, its pattern's source, the event), in the
    # order tried; a pattern is compiled the first time a line contains its word
    system_events: list[tuple[str, str, str]]


@lru_cache(maxsize=1)
def phrasebook() -> PhraseBook:
    """Load and compile the phrase tables once per process."""
    media = _read_table("media_phrases.tsv")
    markers = _read_table("marker_phrases.tsv")
    system = _read_table("system_phrases.tsv")
    alts: list[tuple[int, bytes, tuple[str, str, bool]]] = []
    suffix: list[tuple[bytes, re.Pattern[bytes]]] = []
    # Longest phrases first so "This message was deleted." wins over its prefix.
    for row in media:
        if row.kind == "file_attached":
            tail = _TOKEN.split(row.phrase)[-1]
            full = MK_B + b"*" + _bytes_pattern(row.phrase, file_group=True)
            suffix.append((tail.encode(), re.compile(full)))
            continue
        has_file = "{file}" in row.phrase
        pat = _bytes_pattern(row.phrase, file_group=has_file)
        if not has_file:
            pat = b"(" + pat + b")"
        alts.append((_key(row.phrase), pat + rb"(?=\n|\Z)", ("media", row.kind, has_file)))
    for row in markers:
        if row.kind == "deleted":
            pat = b"(" + _bytes_pattern(row.phrase, file_group=False) + rb")\Z"
            alts.append((_key(row.phrase), pat, ("deleted", row.kind, False)))
    for row in system:
        if row.scope == "anywhere":
            pat = b"(" + _bytes_pattern(row.phrase, file_group=False) + rb")\Z"
            alts.append((_key(row.phrase), pat, ("system", row.kind, False)))
    start: dict[int, tuple[re.Pattern[bytes], list[tuple[str, str, bool]]]] = {}
    for key in sorted({k for k, _, _ in alts}):
        mine = [(p, r) for k, p, r in alts if k == key]  # table order within a key
        pat = re.compile(MK_B + b"*(?:" + b"|".join(p for p, _ in mine) + b")")
        start[key] = (pat, [r for _, r in mine])
    edited = [r.phrase.encode() for r in markers if r.kind == "edited"]
    for tail in [t for t, _ in suffix] + edited:
        if len(tail) < 4:  # the scan compares the last 4 bytes first
            raise ValueError(f"phrase ending {tail!r} must end with at least 4 bytes of text")
    # most literal text first, so "{name} removed the group photo" (icon) is tried before
    # "{name} removed {name}" (removed); each phrase is tried only when its longest word is in
    # the text (a plain substring test), so a line costs a few regex matches, not hundreds
    by_detail = sorted(system, key=lambda r: -len(_TOKEN.sub("", r.phrase)))
    events = []
    for row in by_detail:
        words = [w for part in _TOKEN.split(row.phrase) if not _TOKEN.fullmatch(part)
                 for w in re.split(f"[{SPACES}]", part)]
        events.append((max(words, key=len, default=""),
                       _str_pattern(row.phrase) + r"[.]?$", row.kind))
    key_arr = np.array(sorted(start), dtype=np.int64)
    return PhraseBook(start, key_arr, suffix, edited, events)


KEY_BYTES = 3


def _key(phrase: str) -> int:
    """The first KEY_BYTES bytes of a phrase as a little-endian int (it must start with text)."""
    head = phrase.encode()[:KEY_BYTES]
    if len(head) < KEY_BYTES or b"{" in head:
        raise ValueError(f"phrase {phrase!r} must start with at least {KEY_BYTES} bytes of text")
    return int.from_bytes(head, "little")


@dataclass
class Classified:
    """Kinds and attachments found by the phrase scan (indices into the body list)."""

    media: np.ndarray  # bool
    deleted: np.ndarray  # bool
    system: np.ndarray  # bool ('anywhere' system phrases)
    attachment: dict[int, bytes]
    edited: np.ndarray  # bool
    new_body: dict[int, str]  # bodies with the edited marker removed
    marked: np.ndarray  # bool: the body starts with U+200E (iOS system lines and placeholders)


def _tail4(buf: bytes, w: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The last 4 bytes before each end as a little-endian int (-1 where the span is shorter)."""
    v = _load8(buf, w, np.maximum(ends - 4, 0)) & np.uint64(0xFFFFFFFF)
    return np.where(ends - starts >= 4, v.astype(np.int64), -1)


def _int4(b: bytes) -> int:
    return int.from_bytes(b[-4:], "little")


def scan_spans(
    buf: bytes, starts: np.ndarray, ends: np.ndarray, first_line_ends: np.ndarray
) -> Classified:
    """Classify every body ``buf[starts[i]:ends[i]]`` by the phrase tables.

    Each table is first narrowed with numpy (the first 3 bytes of a body, the last 4 bytes of
    its first line or of the body); the regexes then run, bounded by the body's span, only on the
    few bodies that can match.
    """
    book = phrasebook()
    n = len(starts)
    media = np.zeros(n, dtype=bool)
    deleted = np.zeros(n, dtype=bool)
    system = np.zeros(n, dtype=bool)
    edited = np.zeros(n, dtype=bool)
    attachment: dict[int, bytes] = {}
    new_body: dict[int, str] = {}
    targets = {"media": media, "deleted": deleted, "system": system}
    if not n or not buf:
        return Classified(media, deleted, system, attachment, edited, new_body,
                          np.zeros(n, dtype=bool))

    w = words8(buf)
    size = ends - starts
    head = _load8(buf, w, starts)
    marked = (size >= 3) & ((head & np.uint64(0xFFFFFF)) == np.uint64(0x8E80E2))  # U+200E
    shift = np.where(marked, np.uint64(24), np.uint64(0))
    key = ((head >> shift) & np.uint64(0xFFFFFF)).astype(np.int64)
    key = np.where(starts + 3 * marked + 3 <= ends, key, -1)
    keys = book.start_keys  # sorted
    hit = keys[np.minimum(np.searchsorted(keys, key), len(keys) - 1)] == key
    for i, k in zip(np.flatnonzero(hit).tolist(), key[hit].tolist(), strict=True):
        pat, rows = book.start[k]
        m = pat.match(buf, int(starts[i]), int(ends[i]))
        if m is None:
            continue
        g = m.lastindex or 0
        cat, _kind, has_file = rows[g - 1]
        targets[cat][i] = True
        if has_file:
            attachment[i] = m.group(g)
    tail = _tail4(buf, w, starts, first_line_ends)
    for suffix, full in book.suffix_media:
        for i in np.flatnonzero(tail == _int4(suffix)).tolist():
            s, e = int(starts[i]), int(first_line_ends[i])
            if not buf.endswith(suffix, s, e):
                continue
            m = full.fullmatch(buf, s, e)
            if m is not None:
                media[i] = True
                attachment[i] = m.group(1)
    tail = _tail4(buf, w, starts, ends)
    for marker in book.edited:
        for i in np.flatnonzero(tail == _int4(marker)).tolist():
            s, e = int(starts[i]), int(ends[i])
            if not buf.endswith(marker, s, e):
                continue
            edited[i] = True
            new_body[i] = _strip_tail(buf[s : e - len(marker)].decode())
    return Classified(media, deleted, system, attachment, edited, new_body, marked)


def _strip_tail(body: str) -> str:
    """Remove the direction marks and the one space (or newline) WhatsApp puts before an
    'edited' marker."""
    body = body.rstrip(MARKS)
    if body.endswith((" ", "\n")):
        body = body[:-1]
    return body


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


def system_event(text: str) -> str | None:
    """Which system event a (decoded) line is, or None when no phrase matches."""
    text = text.lstrip(MARKS)  # never matched by the patterns: no backtracking over a mark run
    for word, source, event in phrasebook().system_events:
        if word in text and _compiled(source).match(text):
            return event
    return None


@cache
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source, re.DOTALL)
