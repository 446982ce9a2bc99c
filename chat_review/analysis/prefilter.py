"""Candidate rows for the term matcher: the rows that may contain a term, with no Python loop
over messages (the exact search in `chat_review.analysis.matcher` then runs on those only).

Every term has *pieces*: runs of three or more ASCII characters inside one of its words, which
any match must contain (capitals aside). Per term, the piece whose rarest three-character
*gram* ("kil" of "kill") is rarest in a sample of the chat is chosen, with that gram. All
texts are read as UTF-8 a block at a time (ASCII lower-cased, `MessageTexts.lowered_blocks`);
every byte position's three-byte code is read through a strided numpy view and looked up in a
16-million-entry table of the chosen grams; where a gram is found, the whole piece is compared
at its offset. So "coming for you" costs
the rows that contain "coming", not every row with "com" (on a realistic million-message chat
this cut the candidates from 12% of the rows to about 3%).

Four non-ASCII characters match an ASCII letter in the exact search (lower-cased, or with
IGNORECASE): the Kelvin sign as k, "İ" and "ı" as i, "ſ" as s. A row containing one of them
is always a candidate, so the prefilter never drops a match the exact search would find.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from chat_review.reader.texts import PAD, MessageTexts

_CHUNK = 1 << 18  # bytes per step of the gram lookup (the codes stay in cache)
_SLICES, _SLICE = 8, 1 << 13  # the sample: 8 slices of 8 KiB spread over the chat
_ASCII_RUN = re.compile(r"[\x01-\x7f]{3,}")
_ASCII = re.compile(r"[\x01-\x7f]+")
# UTF-8 of the characters that match an ASCII letter in the exact search; the two-byte ones
# stand for every code that starts with them.
_ODD2 = [ch.encode() for ch in ("\u0130", "\u0131", "\u017f")]
_ODD3 = "\u212a".encode()
# ASCII letters, digits and "_" (the buffer is lower-cased; capitals listed all the same)
_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[list(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")] = True


def term_words(term: str) -> list[tuple[str, bool]]:
    """The term's words, lower-cased, each without its trailing ``*`` wildcard and with
    whether it had one ("bull*" matches "bully", "bullied"; a lone "*" is a literal
    asterisk). The term syntax in one place: the exact pattern (`matcher`) and the prefilter
    must read a term alike, or the prefilter could drop a row the pattern matches."""
    out = []
    for word in term.lower().split():
        wildcard = len(word) > 1 and word.endswith("*")
        out.append((word[:-1] if wildcard else word, wildcard))
    return out


def pieces(term: str) -> list[str]:
    """Every run of three or more ASCII characters inside one word of ``term``, lower-cased
    (a trailing ``*`` wildcard dropped): a match of the term contains each of them. Empty for
    a term of one- or two-letter words or non-ASCII letters (see `short_words`)."""
    out: list[str] = []
    for word, _ in term_words(term):
        out += _ASCII_RUN.findall(word)
    return list(dict.fromkeys(out))


def short_words(term: str) -> list[tuple[str, bool, bool]]:
    """The term's two-character ASCII runs inside a word ("ng" of "Ms Ng", "zo" of "zoë"),
    lower-cased, each with whether it starts its word and whether it ends it (never before a
    ``*`` wildcard). For a term with no longer run a match holds one of them, with no ASCII
    letter, digit or _ on a side where its word starts or ends, so the prefilter can stay on.
    """
    out: list[tuple[str, bool, bool]] = []
    for word, wildcard in term_words(term):
        for m in _ASCII.finditer(word):
            if m.end() - m.start() == 2:
                out.append((m.group(), m.start() == 0, m.end() == len(word) and not wildcard))
    return list(dict.fromkeys(out))


def _sample(texts: MessageTexts) -> bytes:
    """About 64 KiB of the chat's texts from eight places, to rank pieces and grams by how
    common they are in this chat ("ack" is everywhere in a chat about packed lunches)."""
    ends = np.cumsum(texts.byte_lengths() + 1)
    total = int(ends[-1]) if len(ends) else 0
    if total <= _SLICES * _SLICE:
        rows = np.arange(len(ends))
    else:
        step = (total - _SLICE) // (_SLICES - 1)
        at = np.arange(_SLICES) * step
        lo = np.searchsorted(ends, at, side="right")
        hi = np.searchsorted(ends, at + _SLICE, side="right") + 1
        rows = np.unique(np.concatenate([np.arange(a, min(b, len(ends)))
                                         for a, b in zip(lo.tolist(), hi.tolist(), strict=True)]))
    return b"".join(block.low for block in texts[rows].lowered_blocks())


def _code(gram: bytes) -> int:
    return gram[0] | gram[1] << 8 | gram[2] << 16


class Prefilter:
    """Rows whose text may contain one of the terms (see the module docstring)."""

    def __init__(self, term_pieces: Sequence[list[str]],
                 term_words: Sequence[list[tuple[str, bool, bool]]] = ()) -> None:
        """``term_pieces``: per term its `pieces`; a term without any is looked up by its
        `short_words` (``term_words``, same order) instead."""
        words = list(term_words) or [[] for _ in term_pieces]
        self.terms = [[p.encode() for p in ps] for ps in term_pieces if ps]
        self.short = [[(w.encode(), start, end) for w, start, end in ws]
                      for ps, ws in zip(term_pieces, words, strict=True) if not ps]

    def _choose(self, sample: bytes) -> tuple[np.ndarray, dict[int, list[tuple[bytes, int]]]]:
        """The lookup table and, per gram code, the (piece, offset of the gram) to verify.

        A piece is ranked by its rarest gram's count in the sample (an upper bound of its own
        count), longer pieces first among equals; the counts of every gram of the sample come
        from one numpy sort (counting each piece with ``bytes.count`` took 0.05 s)."""
        n = len(sample) - 2
        codes = np.ndarray((max(n, 0),), dtype="<u4", buffer=sample + b"\x00", strides=(1,))
        seen, counts = np.unique(codes & 0xFFFFFF, return_counts=True)
        wanted = sorted({_code(p[i : i + 3]) for ps in self.terms for p in ps
                         for i in range(len(p) - 2)})
        at = np.searchsorted(seen, wanted).clip(max=max(len(seen) - 1, 0))
        found = len(seen) > 0
        count = {w: int(counts[a]) if found and seen[a] == w else 0
                 for w, a in zip(wanted, at.tolist(), strict=True)}

        def rarest_gram(piece: bytes) -> tuple[int, bytes]:
            return min((count[_code(piece[i : i + 3])], piece[i : i + 3])
                       for i in range(len(piece) - 2))

        grams: dict[int, list[tuple[bytes, int]]] = {}
        for options in self.terms:
            ranked = [(rarest_gram(p), p) for p in options]
            (_, gram), piece = min(ranked, key=lambda r: (r[0][0], -len(r[1]), r[1]))
            entry = (piece, piece.index(gram))
            if entry not in grams.setdefault(_code(gram), []):
                grams[_code(gram)].append(entry)
        table = np.zeros(1 << 24, dtype=bool)
        table[list(grams)] = True
        for options in self.short:  # two bytes: every code that starts with them
            word, start, end = min(options, key=lambda o: (sample.count(o[0]), o))
            key = -(word[0] | word[1] << 8) - 1  # negative: apart from the gram codes
            grams.setdefault(key, []).append((word, int(start) | int(end) << 1))
            table[(word[0] | word[1] << 8) + (np.arange(256) << 16)] = True
        for odd in _ODD2:
            table[_code(odd + b"\x00") + (np.arange(256) << 16)] = True
        table[_code(_ODD3)] = True
        return table, grams

    def rows(self, texts: MessageTexts | np.ndarray) -> np.ndarray | None:
        """Sorted candidate rows of ``texts``, or None when a text contains NUL.

        Each search block is scanned while it is in the cache; what a hit needs to be checked
        (its row, its code and the bytes around it) is kept, and all hits are checked at once
        at the end (checking block by block cost a numpy call per gram and block)."""
        if not isinstance(texts, MessageTexts):
            texts = MessageTexts.from_values(texts)
        table, grams = self._choose(_sample(texts))
        width = max([len(p) for ps in self.terms for p in ps] + [3])
        rows, codes, windows = [], [], []
        for block in texts.lowered_blocks():
            if block.seps is None:  # a text contains NUL itself: rows cannot be told apart
                return None
            at, code, window = _hits(block.low, table, width)
            rows.append(np.searchsorted(block.seps, at, side="right") - 1 + block.first)
            codes.append(code)
            windows.append(window)
        if not rows:
            return np.zeros(0, dtype=np.int64)
        keep = _verified(np.concatenate(windows), np.concatenate(codes), width, grams)
        return np.unique(np.concatenate(rows)[keep])


def _hits(low: bytes, table: np.ndarray, width: int) -> tuple[np.ndarray, ...]:
    """Offsets in ``low`` (a search block) where a chosen gram, short word or odd character
    starts, their codes, and the ``2 * width`` bytes around each (the offset at ``width``).
    Every offset's code is its next eight bytes read as one little-endian int64 (a strided
    view: no copy, and already the index type, which a 4-byte read was not)."""
    codes = np.ndarray((len(low) - PAD + 1,), dtype="<i8", buffer=low, strides=(1,))
    found = []
    for start in range(0, len(codes), _CHUNK):
        hit = np.flatnonzero(table[codes[start : start + _CHUNK] & 0xFFFFFF])
        if len(hit):
            found.append(hit + start)
    hits = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    buf = np.frombuffer(low, dtype=np.uint8)
    around = (hits[:, None] + np.arange(-width, width)).clip(0, len(buf) - 1)
    return hits, codes[hits] & 0xFFFFFF, buf[around]


def _verified(windows: np.ndarray, codes: np.ndarray, width: int,
              grams: dict[int, list[tuple[bytes, int]]]) -> np.ndarray:
    """Which hits have a whole piece around their gram (``windows``: the bytes around each
    hit, the hit at ``width``), plus every odd character's hit."""
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    keep = np.zeros(len(codes), dtype=bool)
    keep[(codes & 0xFF) >= 0x80] = True  # only odd characters start with a non-ASCII byte
    keys = np.fromiter((k for k in grams if k >= 0), dtype=np.int64)
    los = np.searchsorted(sorted_codes, keys, side="left")
    his = np.searchsorted(sorted_codes, keys, side="right")
    for key, lo, hi in zip(keys.tolist(), los.tolist(), his.tolist(), strict=True):
        if lo == hi:
            continue
        at = order[lo:hi]
        ok = np.zeros(len(at), dtype=bool)
        for piece, offset in grams[key]:
            if len(piece) == 3:  # the gram is the piece
                ok[:] = True
                break
            begin = width - offset
            span = windows[at, begin : begin + len(piece)]
            ok |= (span == np.frombuffer(piece, dtype=np.uint8)).all(axis=1)
        keep[at[ok]] = True
    for key in (k for k in grams if k < 0):  # two-byte runs: at a word's start or end
        at = np.flatnonzero((codes & 0xFFFF) == -key - 1)
        sides = [flags for _, flags in grams[key]]  # bit 0: starts a word, bit 1: ends one
        ok = np.ones(len(at), dtype=bool)
        if all(f & 1 for f in sides):
            ok &= ~_WORD_BYTE[windows[at, width - 1]]
        if all(f & 2 for f in sides):
            ok &= ~_WORD_BYTE[windows[at, width + 2]]
        keep[at[ok]] = True
    return keep
