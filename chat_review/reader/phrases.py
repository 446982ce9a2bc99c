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
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from ._locate import _load8, factorize_spans, words8
from .headers import MARKS, MK_B, SP_B, SPACES

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
                      suffix, edited)


@lru_cache(maxsize=1)
def _system_events() -> list[tuple[tuple[str, bool], str, str]]:
    """Every system phrase as (a word it must contain, the phrase, the event), in the order
    tried: most literal text first, so "{name} removed the group photo" (icon) is tried before
    "{name} removed {name}" (removed); each phrase is tried only when its longest word is in
    the text (a plain substring test), so a line costs a few regex matches, not hundreds."""
    system = _read_table("system_phrases.tsv")
    by_detail = sorted(system, key=lambda r: -len(_TOKEN.sub("", r.phrase)))
    return [(_index_word(row.phrase), row.phrase, row.kind) for row in by_detail]


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


@dataclass
class Classified:
    """Kinds and attachments found by the phrase scan (indices into the body list)."""

    media: np.ndarray  # bool
    deleted: np.ndarray  # bool
    system: np.ndarray  # bool ('anywhere' system phrases)
    attachment: dict[int, bytes]
    edited: np.ndarray  # bool
    text_end: np.ndarray  # where each body's text ends: before an edited marker and its space
    marked: np.ndarray  # bool: the body starts with U+200E (iOS system lines and placeholders)


def _tail4(buf: bytes, w: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The last 4 bytes before each end as a little-endian int (-1 where the span is shorter)."""
    v = _load8(buf, w, np.maximum(ends - 4, 0)) & np.uint64(0xFFFFFFFF)
    return np.where(ends - starts >= 4, v.astype(np.int64), -1)


def _int4(b: bytes) -> int:
    return int.from_bytes(b[-4:], "little")


def _ends_with(tail: np.ndarray, text: bytes) -> np.ndarray:
    """Where the last 4 bytes (`_tail4`) end with the last (up to 4) bytes of ``text``."""
    t = text[-4:]
    shift = 8 * (4 - len(t))
    return (tail >= 0) & ((tail >> shift) == int.from_bytes(t, "little"))


def _trim_end(buf: bytes, w: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Each end moved back over a final full stop and direction marks (twice: ``.\u200e``)."""
    ends = ends.copy()
    for _ in range(2):
        last = _load8(buf, w, np.maximum(ends - 3, 0)) & np.uint64(0xFFFFFF)
        final = last >> np.uint64(16)
        lrm_rlm = (final == np.uint64(0x8E)) | (final == np.uint64(0x8F))
        mark = (ends - starts >= 3) & ((last & np.uint64(0xFFFF)) == np.uint64(0x80E2)) & lrm_rlm
        dot = (ends - starts >= 1) & (final == np.uint64(0x2E))
        ends -= np.where(mark, 3, np.where(dot, 1, 0))
    return ends


#: Bodies classified per block: the prefilter's dozen temporary arrays stay a few MiB each
#: instead of 8 MiB per million messages each (they were a third of the reader's peak memory).
_SCAN_ROWS = 1 << 16


def scan_spans(
    buf: bytes, starts: np.ndarray, ends: np.ndarray, first_line_ends: np.ndarray
) -> Classified:
    """Classify every body ``buf[starts[i]:ends[i]]`` by the phrase tables.

    Each table is first narrowed with numpy (the first 3 bytes of a body, the last 4 bytes of
    its first line or of the body); the regexes then run, bounded by the body's span, only on the
    few bodies that can match.
    """
    n = len(starts)
    out = Classified(*(np.zeros(n, dtype=bool) for _ in range(3)), {}, np.zeros(n, dtype=bool),
                     ends.copy(), np.zeros(n, dtype=bool))
    if not n or not buf:
        return out
    book = phrasebook()
    w = words8(buf)
    for lo in range(0, n, _SCAN_ROWS):
        hi = min(lo + _SCAN_ROWS, n)
        part = _scan_block(book, buf, w, starts[lo:hi], ends[lo:hi], first_line_ends[lo:hi])
        for name in ("media", "deleted", "system", "edited", "text_end", "marked"):
            getattr(out, name)[lo:hi] = getattr(part, name)
        out.attachment.update((lo + i, v) for i, v in part.attachment.items())
    return out


def _scan_block(book: PhraseBook, buf: bytes, w: np.ndarray, starts: np.ndarray,
                ends: np.ndarray, first_line_ends: np.ndarray) -> Classified:
    """`scan_spans` on one block of bodies (indices in the result are the block's)."""
    n = len(starts)
    media = np.zeros(n, dtype=bool)
    deleted = np.zeros(n, dtype=bool)
    system = np.zeros(n, dtype=bool)
    edited = np.zeros(n, dtype=bool)
    attachment: dict[int, bytes] = {}
    targets = {"media": media, "deleted": deleted, "system": system}
    size = ends - starts
    head = _load8(buf, w, starts)
    marked = (size >= 3) & ((head & np.uint64(0xFFFFFF)) == np.uint64(0x8E80E2))  # U+200E
    shift = np.where(marked, np.uint64(24), np.uint64(0))
    key = ((head >> shift) & np.uint64(0xFFFFFF)).astype(np.int64)
    del head, shift
    key = np.where(starts + 3 * marked + 3 <= ends, _fold_keys(key), -1)
    keys = book.start_keys  # sorted
    at = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
    line_len = first_line_ends - starts
    hit = (keys[at] == key) & (line_len >= book.start_min[at]) & (line_len <= book.start_max[at])
    # and the first line's last 3 bytes (before a final full stop or mark) end some phrase
    word = _words_before(buf, w, first_line_ends)
    tail = _trimmed_tail4(buf, w, starts, first_line_ends, word)
    end3 = tail >> 8
    pair = (key << 24) | _fold_keys(np.where(end3 >= 0, end3, 0))
    del end3
    pairs = book.start_pairs
    known = pairs[np.minimum(np.searchsorted(pairs, pair), max(len(pairs) - 1, 0))] == pair
    hit &= known | book.start_anytail[at]
    del pair, known, at
    _match_starts(book, buf, w, starts, ends, np.flatnonzero(hit), key, targets, attachment)
    del hit, key
    # suffix forms: prefilter on the phrase's last (up to 4) bytes, looked for before a final
    # full stop or direction mark; the regex then checks the whole first line
    by_tail: dict[int, list[int]] = {}
    short: list[tuple[bytes, int]] = []
    for j, (t, _src, _groups) in enumerate(book.suffix_media):  # most literal text first
        if len(t) >= 4:
            by_tail.setdefault(_int4(t), []).append(j)
        else:
            short.append((t, j))
    maybe = _member(tail, np.array(sorted(by_tail), dtype=np.int64))
    short_hit = {t: _ends_with(tail, t) for t in {t for t, _ in short}}
    for hit_t in short_hit.values():
        maybe |= hit_t
    for i in np.flatnonzero(maybe & ~media).tolist():
        s, e = int(starts[i]), int(first_line_ends[i])
        # a line that ends with an 'edited' marker ("... <This message was edited>") is a text
        # message: its final ">" would otherwise try every "<attached: {file}>" form, each a
        # slow lazy match (a tenth of the reader's time on realistic iPhone chats)
        if any(buf.endswith(marker, s, e) for marker in book.edited):
            continue
        tried = by_tail.get(int(tail[i]), []) + [f for t, f in short if short_hit[t][i]]
        found, name = _first_match(tuple(tried), buf, s, e)
        if found:
            media[i] = True
            attachment[i] = name
    del maybe, short_hit
    # the body's last 4 bytes: those of its first line's 8-byte word where it has one line
    one_line = (first_line_ends == ends) & (ends >= 8)
    tail = np.where(size >= 4, (word >> np.uint64(32)).astype(np.int64), -1)
    del word
    multi = np.flatnonzero(~one_line)
    tail[multi] = _tail4(buf, w, starts[multi], ends[multi])
    text_end = ends.copy()
    for marker in book.edited:  # (a later marker wins where one ends another)
        rows = np.flatnonzero(tail == _int4(marker))
        rows = rows[_ends_with_bytes(buf, w, starts[rows], ends[rows], marker)]
        edited[rows] = True
        text_end[rows] = _strip_tail(buf, w, starts[rows], ends[rows] - len(marker))
    return Classified(media, deleted, system, attachment, edited, text_end, marked)


#: Bodies up to this long are matched once per distinct text; longer ones one by one.
_SHORT_BODY = 64


def _match_starts(book: PhraseBook, buf: bytes, w: np.ndarray, starts: np.ndarray,
                  ends: np.ndarray, rows: np.ndarray, key: np.ndarray,
                  targets: dict[str, np.ndarray], attachment: dict[int, bytes]) -> None:
    """Run the start-key patterns on the bodies `rows` that passed the prefilter.

    A pattern reads nothing outside the body's span, so equal bodies get equal results: short
    bodies ("<Media omitted>", "This message was deleted", tens of thousands in a big chat) are
    grouped by their bytes and each distinct text is matched once.
    """
    length = ends[rows] - starts[rows]
    short = length <= _SHORT_BODY
    sr = rows[short]
    codes, first = factorize_spans(buf, w, starts[sr], length[short])
    # per distinct text: (category or "", group start and end relative to the body's start)
    found: list[tuple[str, int, int]] = []
    for i in sr[first].tolist():
        found.append(_match_start(book, buf, int(starts[i]), int(ends[i]), int(key[i])))
    for cat, target in targets.items():
        mine = np.array([f[0] == cat for f in found], dtype=bool)
        if mine.any():
            target[sr[mine[codes]]] = True
    named = np.array([f[1] >= 0 for f in found], dtype=bool)
    with_file = np.flatnonzero(named[codes])
    for i, c in zip(sr[with_file].tolist(), codes[with_file].tolist(), strict=True):
        _cat, a, b = found[c]
        s = int(starts[i])
        attachment[i] = buf[s + a : s + b]
    for i in rows[~short].tolist():
        s = int(starts[i])
        cat, a, b = _match_start(book, buf, s, int(ends[i]), int(key[i]))
        if cat:
            targets[cat][i] = True
            if a >= 0:
                attachment[i] = buf[s + a : s + b]


def _match_start(book: PhraseBook, buf: bytes, s: int, e: int, k: int) -> tuple[str, int, int]:
    """(category, start and end of the file name relative to `s` or -1) of the body
    buf[s:e] by the phrases starting with key `k`; ("", -1, -1) when none matches."""
    m = book.start_pattern(k).match(buf, s, e)
    if m is None:
        return "", -1, -1
    g = m.lastindex or 0
    cat, _kind, has_file = book.start[k][g - 1][0]
    if not has_file:
        return cat, -1, -1
    a, b = m.span(g)
    return cat, a - s, b - s


def _member(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    """``np.isin(values, table)`` for a short sorted `table`, by binary search (isin sorts
    `values` with the table: most of the scan's time on a million bodies)."""
    if not len(table):
        return np.zeros(len(values), dtype=bool)
    return table[np.minimum(np.searchsorted(table, values), len(table) - 1)] == values


def _words_before(buf: bytes, w: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The 8 bytes before each end as a little-endian uint64 (byte ``end - 1`` highest); where
    an end is below 8, whatever `_load8` gives at 0 (`_trimmed_tail4` redoes those)."""
    return _load8(buf, w, np.maximum(ends - 8, 0))


def _trimmed_tail4(buf: bytes, w: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                   word: np.ndarray) -> np.ndarray:
    """``_tail4(..., _trim_end(buf, w, starts, ends))`` from the 8 bytes before each end
    (`_words_before`), one gather instead of three; an end moved back by more than 4 bytes
    (two marks) or below 8 is done the long way."""
    back = np.zeros(len(ends), dtype=np.int64)
    for _ in range(2):
        last = (word >> (40 - 8 * back).astype(np.uint64)) & np.uint64(0xFFFFFF)
        final = last >> np.uint64(16)
        lrm_rlm = (final == np.uint64(0x8E)) | (final == np.uint64(0x8F))
        span = ends - back - starts
        mark = (span >= 3) & ((last & np.uint64(0xFFFF)) == np.uint64(0x80E2)) & lrm_rlm
        dot = (span >= 1) & (final == np.uint64(0x2E))
        back += np.where(mark, 3, np.where(dot, 1, 0))
    v = (word >> (32 - 8 * np.minimum(back, 4)).astype(np.uint64)) & np.uint64(0xFFFFFFFF)
    tail = np.where(ends - back - starts >= 4, v.astype(np.int64), -1)
    redo = np.flatnonzero((back > 4) | (ends < 8))
    if len(redo):
        s, e = starts[redo], ends[redo]
        tail[redo] = _tail4(buf, w, s, _trim_end(buf, w, s, e))
    return tail


def _ends_with_bytes(buf: bytes, w: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                     text: bytes) -> np.ndarray:
    """``buf.endswith(text, starts[i], ends[i])`` for every i, 8 bytes a step."""
    n = len(text)
    ok = ends - starts >= n
    for k in range(0, n, 8):
        part = text[k : k + 8]
        v = _load8(buf, w, np.maximum(ends - n + k, 0))
        mask = np.uint64((1 << (8 * len(part))) - 1)
        ok &= (v & mask) == np.uint64(int.from_bytes(part, "little"))
    return ok


#: Direction marks (`headers.MARKS`) as little-endian 3-byte ints (each is 3 bytes in UTF-8).
_MARK_INTS = np.array(sorted(int.from_bytes(m.encode(), "little") for m in MARKS),
                      dtype=np.uint64)


def _strip_tail(buf: bytes, w: np.ndarray, starts: np.ndarray, ends: np.ndarray
                     ) -> np.ndarray:
    """Each end moved back over the direction marks and the one space (or newline) WhatsApp
    puts before an 'edited' marker."""
    ends = ends.copy()
    while len(ends):
        last = _load8(buf, w, np.maximum(ends - 3, 0)) & np.uint64(0xFFFFFF)
        mark = (ends - starts >= 3) & np.isin(last, _MARK_INTS)
        if not mark.any():
            break
        ends -= 3 * mark
    last = _load8(buf, w, np.maximum(ends - 1, 0)) & np.uint64(0xFF)
    ends -= (ends - starts >= 1) & ((last == np.uint64(0x20)) | (last == np.uint64(0x0A)))
    return ends


@cache
def _alternation(forms: tuple[int, ...]) -> re.Pattern[bytes] | None:
    """The suffix forms `forms` (one group each) as one alternation: a full match tries them in
    order, like a loop over them, in one call (an edited message's "...>" was tried against
    28 "<attached: {file}>" forms one by one: a third of the reader's time on 1M messages)."""
    suffix = phrasebook().suffix_media
    if len(forms) < 2 or any(suffix[j][2] != 1 for j in forms):
        return None
    body = b"|".join(b"(?:" + suffix[j][1] + b")" for j in forms)
    return re.compile(body, re.IGNORECASE)


def _first_match(forms: tuple[int, ...], buf: bytes, s: int, e: int
                 ) -> tuple[bool, bytes | None]:
    """Whether one of the suffix forms `forms` fully matches buf[s:e], and the first such
    one's group."""
    combined = _alternation(forms)
    if combined is not None:
        m = combined.fullmatch(buf, s, e)
        if m is None:
            return False, None
        if m.lastindex is not None:
            return True, m.group(m.lastindex)
    suffix = phrasebook().suffix_media
    for j in forms:  # one pattern, or the group did not take part: find which matched
        m = _compile_bytes(suffix[j][1]).fullmatch(buf, s, e)
        if m is not None:
            return True, m.group(1)
    return False, None


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
