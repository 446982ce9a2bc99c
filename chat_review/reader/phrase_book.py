"""Phrase tables (``chat_review/data/*_phrases.tsv``) loaded into a `PhraseBook`.

A new language is added by adding rows to the tables, not code. Phrases are plain text with
placeholders: ``{name}`` (a person or phone number), ``{any}`` (any text), ``{file}`` (an
attachment's file name), ``{'}`` (either apostrophe) and ``{"}`` (any quotation mark). Spaces
match any of the four space characters WhatsApp uses, and direction marks are ignored.

The book holds the numpy prefilters (`phrase_scan` uses them) and the pattern sources; a pattern
is compiled the first time a body gets past the prefilter to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import numpy as np

from .headers import MK_B, SP_B, SPACES

_TOKEN = re.compile(r"(\{name\}|\{any\}|\{file\}|\{'\}|\{\"\})")

_QUOTES = "\"“”„«»‘’‚"

_PUNCT = "<>:()•"

#: Tolerated after a placeholder or marker: a final full stop and direction marks.
_END = rb"\.?" + MK_B + b"*"


@dataclass(frozen=True)
class Row:
    lang: str
    kind: str  # media form, marker, or system event
    scope: str
    phrase: str


@cache
def _read_table(name: str) -> tuple[Row, ...]:
    """The rows of one phrase table; columns are found by the header line (lang, the kind
    column, optional scope, phrase; source and seen_in are documentation only)."""
    text = resources.files("chat_review").joinpath("data", name).read_text(encoding="utf-8")
    rows: list[Row] = []
    cols: list[str] = []
    for raw in text.splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if not cols:
            cols = cells
            continue
        if len(cells) > len(cols) or len(cells) < cols.index("phrase") + 1:
            raise ValueError(f"{name}: bad row {raw!r}")
        get = dict(zip(cols, cells, strict=False))
        rows.append(Row(get["lang"], cells[1], get.get("scope", ""), get["phrase"]))
    return tuple(rows)


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
                elif ch in _PUNCT:  # exports put direction marks around brackets and colons
                    out.append(MK_B + b"*" + re.escape(ch.encode()) + MK_B + b"*")
                else:
                    out.append(re.escape(ch.encode()))
    return b"".join(out)


@dataclass
class PhraseBook:
    """The three tables as pattern sources and numpy prefilters.

    Patterns are kept as sources and compiled the first time the prefilter lets a body through
    to them (`start_pattern`, `_compile_bytes`): compiling all of them took 0.24 s per process,
    and a chat needs only a handful.
    """

    # media prefixes, deleted markers, 'anywhere' system phrases: per 3-byte key (the phrases'
    # first bytes as a little-endian int), the phrases with that key in the order tried, each
    # with (category, kind, has_file); one pattern of them all has a group per phrase
    start: dict[int, list[tuple[tuple[str, str, bool], str]]]
    start_keys: np.ndarray  # the keys, sorted, for prefiltering
    start_min: np.ndarray  # per key, the shortest first line one of its phrases can match
    start_max: np.ndarray  # ... and the longest
    start_pairs: np.ndarray  # sorted (key << 24 | last 3 bytes, case folded) of fixed phrases
    start_anytail: np.ndarray  # per key: some phrase ends with a placeholder (no tail check)
    # by a body's first 2 bytes as written (any ASCII case): could a key start with them
    start_first2: np.ndarray
    # "{file} (file attached)" and friends: (last text, pattern source, number of groups)
    suffix_media: list[tuple[bytes, bytes, int]]
    edited: list[bytes]  # markers at the end of a body
    _start_compiled: dict[int, re.Pattern[bytes]] = field(default_factory=dict)

    def start_pattern(self, key: int) -> re.Pattern[bytes]:
        """The compiled pattern of the phrases starting with `key` (compiled on first use)."""
        pat = self._start_compiled.get(key)
        if pat is None:
            alts = b"|".join(_alternative(r[0], phrase, r[2]) for r, phrase in self.start[key])
            pat = re.compile(MK_B + b"*(?:" + alts + b")", re.IGNORECASE)
            self._start_compiled[key] = pat
        return pat


def _alternative(category: str, phrase: str, has_file: bool) -> bytes:
    """One phrase's part of its start key's pattern: one group (the file name, or the whole
    phrase), then what may follow (a final stop and marks; the end of the line or body)."""
    pat = _bytes_pattern(phrase, file_group=has_file)
    if category == "media":
        return (pat if has_file else b"(" + pat + b")") + _END + rb"(?=\n|\Z)"
    if category == "deleted":
        return b"(" + pat + b")" + _END + rb"\Z"
    return b"(" + pat + rb")\Z"  # an 'anywhere' system phrase


@cache
def _compile_bytes(source: bytes) -> re.Pattern[bytes]:
    """A suffix form's pattern, compiled the first time a body's ending points at it."""
    return re.compile(source, re.IGNORECASE)


@lru_cache(maxsize=1)
def phrasebook() -> PhraseBook:
    """Load the phrase tables once per process (patterns are compiled when first needed)."""
    media = _read_table("media_phrases.tsv")
    markers = _read_table("marker_phrases.tsv")
    system = _read_table("system_phrases.tsv")
    alts: list[tuple[int, tuple[str, str, bool], str]] = []
    suffix: list[tuple[bytes, bytes, int]] = []
    # Longest phrases first so "This message was deleted." wins over its prefix.
    for row in media:
        # a phrase that does not start with text ("<{file} eklendi>") is found by its ending
        if row.kind == "file_attached" or "{" in row.phrase.encode()[:KEY_BYTES].decode(
                "utf-8", "ignore"):
            tail = _TOKEN.split(row.phrase)[-1].encode()
            full = MK_B + b"*" + _bytes_pattern(row.phrase, file_group=True) + _END
            suffix.append((tail.strip(b"."), full, row.phrase.count("{file}")))
            continue
        has_file = "{file}" in row.phrase
        alts.append((_key(row.phrase), ("media", row.kind, has_file), row.phrase))
    for row in markers:
        if row.kind == "deleted":
            alts.append((_key(row.phrase), ("deleted", row.kind, False), row.phrase))
    for row in system:
        if row.scope == "anywhere":
            alts.append((_key(row.phrase), ("system", row.kind, False), row.phrase))
    # a phrase starting with "<" is also looked for after "<" and a direction mark
    alts += [(k, r, t) for key, r, t in alts if (key & 0xFF) == 0x3C for k in _MARKED_KEYS]
    by_key: dict[int, list[tuple[tuple[str, str, bool], str]]] = {}
    for k, r, t in alts:  # table order within a key
        by_key.setdefault(k, []).append((r, t))
    lengths: dict[int, tuple[int, int]] = {}
    pairs: set[int] = set()
    anytail: set[int] = set()
    for key in sorted(by_key):
        mine = by_key[key]
        spans = [_byte_span(t) for _, t in mine]
        lengths[key] = (min(lo for lo, _ in spans), max(hi for _, hi in spans))
        for _, t in mine:
            last = _TOKEN.split(t)[-1].rstrip(".").encode()
            if len(last) < KEY_BYTES:
                anytail.add(key)
            else:
                pairs.add(key << 24 | _fold(int.from_bytes(last[-KEY_BYTES:], "little")))
    start = by_key  # in table order within a key
    edited = [r.phrase.encode() for r in markers if r.kind == "edited"]
    # most literal text first ("{file} • {any} document omitted" before "{file} document
    # omitted"): a body takes the first suffix form that matches it
    suffix.sort(key=lambda tp: -len(_TOKEN.sub("", tp[1].decode("utf-8", "ignore"))))
    for tail in [t for t, _, _ in suffix] + edited:
        if not tail:  # the scan compares the last (up to 4) bytes first
            raise ValueError("a suffix phrase must end with text")
    key_arr = np.array(sorted(start), dtype=np.int64)
    span = np.array([lengths[k] for k in sorted(start)], dtype=np.int64).reshape(-1, 2)
    return PhraseBook(start, key_arr, span[:, 0], span[:, 1],
                      np.array(sorted(pairs), dtype=np.int64),
                      np.array([k in anytail for k in sorted(start)], dtype=bool),
                      _first2_table(sorted(start)), suffix, edited)


def _first2_table(keys: list[int]) -> np.ndarray:
    """65,536 flags: whether a body whose first two bytes are ``i`` (little-endian, as written,
    before case folding) may start with one of the (folded) keys; most bodies are ruled out by
    this one look-up, before any folding or search."""
    table = np.zeros(1 << 16, dtype=bool)
    for key in keys:
        b0, b1 = key & 0xFF, (key >> 8) & 0xFF
        for x in _cases(b0):
            for y in _cases(b1):
                table[x | y << 8] = True
    return table


def _cases(byte: int) -> tuple[int, ...]:
    """The bytes `_fold` turns into ``byte`` (a folded byte: lower case ASCII or other)."""
    return (byte, byte - 0x20) if 0x61 <= byte <= 0x7A else (byte,)


#: Bytes a phrase's first line may grow by: direction marks, wide spaces, a final full stop.
_SLACK = 12


def _byte_span(phrase: str) -> tuple[int, int]:
    """The shortest and longest first line (in bytes) a phrase can match: its literal text,
    and that plus slack, or no limit when it has a placeholder."""
    literal = len(_TOKEN.sub("", phrase).encode())
    if _TOKEN.search(phrase):
        return literal, 1 << 40
    return literal, literal + 2 * phrase.count(" ") + _SLACK


KEY_BYTES = 3

#: "<" followed by the first two bytes of a direction mark (U+200E/F, U+202A-E; U+2066-9).
_MARKED_KEYS = (int.from_bytes(b"<\xe2\x80", "little"), int.from_bytes(b"<\xe2\x81", "little"))


def _fold(key: int) -> int:
    """A 3-byte key with ASCII capitals made lower case (matching ignores ASCII case)."""
    out = 0
    for i in range(KEY_BYTES):
        b = (key >> (8 * i)) & 0xFF
        out |= (b | 0x20 if 0x41 <= b <= 0x5A else b) << (8 * i)
    return out


def _key(phrase: str) -> int:
    """The first KEY_BYTES bytes of a phrase as a little-endian int, ASCII case folded (it
    must start with text)."""
    head = phrase.encode()[:KEY_BYTES]
    if len(head) < KEY_BYTES or b"{" in head:
        raise ValueError(f"phrase {phrase!r} must start with at least {KEY_BYTES} bytes of text")
    return _fold(int.from_bytes(head, "little"))


def _fold_keys(key: np.ndarray) -> np.ndarray:
    """`_fold` on an array of keys."""
    out = key.copy()
    for i in range(KEY_BYTES):
        b = (key >> (8 * i)) & 0xFF
        upper = (b >= 0x41) & (b <= 0x5A)
        out |= np.where(upper, 0x20 << (8 * i), 0)
    return out


@cache
def colon_prefixes() -> frozenset[bytes]:
    """Literal text before ": " in system phrases ("Dodałeś(-aś): {name}"): on Android such a
    line looks like a message from a sender of that name, so that "sender" is not a name."""
    out = set()
    for row in _read_table("system_phrases.tsv"):
        head, sep, _ = row.phrase.partition(": ")
        if sep and head and not _TOKEN.search(head):
            out.add(head.encode())
    return frozenset(out)
