"""Classify message bodies (spans of the export's bytes) by the phrase tables.

Scanning is vectorised: numpy compares a few bytes at each body's start or end with the
phrases' own (`phrase_book.PhraseBook`), and the compiled patterns (bounded by the body's span)
run only on the few bodies that agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from ._byte_words import _load8, factorize_spans, words8
from .headers import MARKS
from .phrase_book import PhraseBook, _compile_bytes, _fold_keys, phrasebook


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
    raw = ((head >> shift) & np.uint64(0xFFFFFF)).astype(np.int64)
    del head, shift
    # start keys: the body's first 3 bytes (after U+200E), case folded, are a phrase's first 3;
    # the first two as written rule out most bodies by one look-up, the rest by a search
    cand = np.flatnonzero((starts + 3 * marked + 3 <= ends) & book.start_first2[raw & 0xFFFF])
    key = _fold_keys(raw[cand])
    del raw
    keys = book.start_keys  # sorted
    at = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
    line_len = first_line_ends[cand] - starts[cand]
    ok = (keys[at] == key) & (line_len >= book.start_min[at]) & (line_len <= book.start_max[at])
    # and the first line's last 3 bytes (before a final full stop or mark) end some phrase
    word = _words_before(buf, w, first_line_ends)
    tail = _trimmed_tail4(buf, w, starts, first_line_ends, word)
    end3 = tail[cand] >> 8
    pair = (key << 24) | _fold_keys(np.where(end3 >= 0, end3, 0))
    pairs = book.start_pairs
    known = pairs[np.minimum(np.searchsorted(pairs, pair), max(len(pairs) - 1, 0))] == pair
    ok &= known | book.start_anytail[at]
    _match_starts(book, buf, w, starts, ends, cand[ok], key[ok], targets, attachment)
    del cand, key, at, line_len, ok, end3, pair, known
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
    """Run the start-key patterns on the bodies `rows` that passed the prefilter (`key`: their
    start keys, one per row).

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
    for i, k in zip(sr[first].tolist(), key[short][first].tolist(), strict=True):
        found.append(_match_start(book, buf, int(starts[i]), int(ends[i]), k))
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
    for i, k in zip(rows[~short].tolist(), key[~short].tolist(), strict=True):
        s = int(starts[i])
        cat, a, b = _match_start(book, buf, s, int(ends[i]), k)
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
    """``np.isin(values, table)`` for a short sorted `table` (isin sorts `values` with the
    table: most of the scan's time on a million bodies). A look-up of each value's low 16 bits
    rules out nearly every value; binary search checks the rest (searching all of them took
    0.02 s of 0.16 s on a million bodies)."""
    out = np.zeros(len(values), dtype=bool)
    if not len(table):
        return out
    low = np.zeros(1 << 16, dtype=bool)
    low[table & 0xFFFF] = True
    maybe = np.flatnonzero(low[values & 0xFFFF])
    v = values[maybe]
    out[maybe] = table[np.minimum(np.searchsorted(table, v), len(table) - 1)] == v
    return out


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
