"""The whole-word matcher that finds many terms in many messages at once.

Term syntax (case-insensitive, whole words):

* a space between words matches any run of whitespace, including a line break;
* a trailing ``*`` matches any word ending: ``stupid*`` matches "stupid" and "stupidity";
* any other character, including an inner ``*``, is literal (``f*ck*`` matches "f*cking").

Two passes, neither a Python loop over messages:

1. **Candidate rows** (`chat_review.analysis.prefilter`): every term contains a run of three
   ASCII characters that any match must contain too ("kill" of "kill him"), or else a
   two-letter ASCII word ("ng" of "Ms Ng"); a numpy lookup over one UTF-8 buffer of all texts
   finds the rows holding one. This replaced a loose
   regular-expression pass over the same buffer that took about 6 s for 1M messages on a
   loaded machine; the lookup takes a fraction of a second.
2. **Exact matches** on the candidate rows only: one regular expression built as a prefix tree
   of every term (all categories, staff names and benign idioms at once); match positions are
   mapped back to rows with ``numpy.searchsorted``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from chat_review.reader.texts import MessageTexts

from .prefilter import Prefilter, pieces, short_words, term_words

_SEP = "\x00"  # between texts in the exact search (never in a chat)

_WORD = re.compile(r"\w")


def _atoms(term: str) -> list[str]:
    """A term as regex atoms: escaped characters, ``\\s+`` between words, ``\\w*`` wildcard."""
    atoms: list[str] = []
    for i, (word, wildcard) in enumerate(term_words(term)):
        if i:
            atoms.append(r"\s+")
        atoms += [re.escape(ch) for ch in word]
        if wildcard:
            atoms.append(r"\w*")
    return atoms


def _trie_regex(terms: Sequence[list[Any]]) -> Any:
    """One alternation shaped as a prefix tree: Python's ``re`` then tries each first
    character once instead of every term at every position. Atoms are all ``str`` or all
    ``bytes``; so is the result."""
    end = object()
    root: dict[Any, Any] = {}
    kind: Any = str
    for atoms in terms:
        node = root
        for a in atoms:
            kind = type(a)
            node = node.setdefault(a, {})
        node[end] = {}
    e = kind()

    def lit(text: str) -> Any:
        return text.encode() if kind is bytes else text

    def build(node: dict[Any, Any]) -> Any:
        ends = end in node
        alts = [a + build(node[a]) for a in sorted(k for k in node if k is not end)]
        # longer alternatives first so the longest term at a position wins
        alts.sort(key=len, reverse=True)
        if not alts:
            return e
        body = (
            alts[0] if len(alts) == 1 and not ends else lit("(?:") + lit("|").join(alts) + lit(")")
        )
        if ends:
            body = lit("(?:") + body + lit(")?") if len(alts) == 1 else body + lit("?")
        return body

    return build(root)


@dataclass(frozen=True)
class Entry:
    """One searchable term: what to match, which category it belongs to, what to report."""

    term: str
    category: str
    label: str


EXCLUDE = "\x00exclude"  # category of the benign idioms' entries (never reported)


class TermMatcher:
    """Finds every entry's term in many texts with one regex pass (see module docstring).

    ``exclude``: benign idioms searched in the same pass; a match that lies inside one of
    them ("die" in "to die for") is dropped.
    """

    def __init__(self, entries: Sequence[Entry], exclude: Sequence[str] = ()) -> None:
        idioms = [Entry(t, EXCLUDE, t) for t in exclude]
        self.entries = [e for e in [*entries, *idioms] if e.term.strip()]
        # each entry on its own, by first character: which entries match where the combined
        # search found a match (a shorter term at the same place counts too)
        # (compiled on first use: most entries never match, and compiling all ~300 of them
        # was a third of the fixed cost of a small chat's analysis)
        self._by_first: dict[str, list[tuple[str, str | None, Entry]]] = {}
        for e in self.entries:
            own = "".join(_atoms(e.term)) + r"(?!\w)"
            self._by_first.setdefault(_first_key(e.term.strip()), []).append(
                (own, _ascii_head(e.term), e))
        pattern = _trie_regex([_atoms(e.term) for e in self.entries])
        # The leading class makes the regex engine try the tree only just after a character
        # that cannot be part of an ASCII word (about one position in six), which more than
        # halves the time; a non-ASCII letter before a match is checked afterwards.
        self._rx = re.compile(f"[^A-Za-z0-9_](?:{pattern})(?!\\w)") if pattern else None
        # idioms only matter where a term matched: they need no place in the prefilter
        terms = [e.term for e in self.entries if e.category != EXCLUDE]
        runs = [pieces(t) for t in terms]
        words = [[] if r else short_words(t) for r, t in zip(runs, terms, strict=True)]
        usable = all(r or w for r, w in zip(runs, words, strict=True))
        self._prefilter = Prefilter(runs, words) if usable else None

    def _entries_for(self, matched: str) -> list[tuple[Entry, int]]:
        """Every entry whose term starts ``matched`` and ends at a word boundary in it, with
        the length of its match."""
        out = []
        low = matched.lower() if matched.isascii() else None
        for own, head, e in self._by_first.get(_first_key(matched), []):
            if low is not None and head is not None and not low.startswith(head):
                continue  # cannot match: spares compiling its pattern
            m = _compiled(own).match(matched)
            if m:
                out.append((e, m.end()))
        return out

    def scan(self, texts: MessageTexts | pd.Series | np.ndarray | Sequence[str]
             ) -> pd.DataFrame:
        """Every match in ``texts``: columns ``pos`` (positional row in ``texts``), ``start``
        (character offset in that text), ``category``, ``label``, ``term``. Missing texts never
        match. A row gets one record per match and entry; callers deduplicate as they need.
        ``end`` is the character offset just after the match. Matches inside a benign idiom
        (``exclude``) are left out, and the idioms themselves are never returned.

        Two passes: a loose search over the UTF-8 bytes of the texts (`prefilter`: each term's
        rarest ASCII piece, ASCII-only lower-casing, so it finds a superset) picks candidate
        rows; the exact search then runs on those rows only. This avoids ``str.lower()`` and
        four-byte characters over the whole chat when it contains a single emoji."""
        if self._rx is None or len(texts) == 0:
            return _frame(_empty_cols())
        if not isinstance(texts, MessageTexts):
            texts = MessageTexts.from_values(texts)
        return self._scan_texts(texts)

    def _scan_texts(self, texts: MessageTexts) -> pd.DataFrame:
        """`scan` of texts: only the candidate rows are decoded."""
        rows = self._candidates(texts)
        if rows is None:
            return _without_idioms(self._scan_exact(texts.strings()))
        hits = self._scan_exact(texts[rows].strings())
        hits["pos"] = rows[hits["pos"].to_numpy()]
        return _without_idioms(hits)

    def _candidates(self, texts: MessageTexts) -> np.ndarray | None:
        """Rows that may contain a term (sorted), or None if the prefilter cannot be used
        (a term with neither three ASCII characters in a row nor a two-letter ASCII word, or a
        text containing NUL)."""
        if self._prefilter is None:
            return None
        return self._prefilter.rows(texts)

    def _scan_exact(self, arr: np.ndarray) -> pd.DataFrame:
        cols = _empty_cols()
        if len(arr) == 0:
            return _frame(cols)
        joined = _SEP + _SEP.join(arr)  # a leading separator: every text starts after one
        low = joined.lower()
        rx = self._rx
        if len(low) != len(joined):  # a lower-case mapping changed lengths: search as-is
            low = joined
            rx = re.compile(rx.pattern, re.IGNORECASE)
        lengths = np.fromiter(map(len, arr), dtype=np.int64, count=len(arr))
        starts = np.concatenate(([1], 1 + np.cumsum(lengths + 1)[:-1]))
        positions: list[int] = []
        matches: list[str] = []
        search = rx.search
        at = 0
        while True:
            m = search(low, at)
            if m is None:
                break
            s = m.start() + 1  # the term starts after the leading character
            if _WORD.match(low, s - 1):  # a non-ASCII letter before it: not a word start
                at = s
                continue
            positions.append(s)
            matches.append(m.group()[1:])
            at = s  # look again from the next word: terms may overlap ("shut up", "up yours")
        if not positions:
            return _frame(cols)
        return self._records(np.asarray(positions, dtype=np.int64), matches, starts)

    def _records(self, pos: np.ndarray, matches: list[str], starts: np.ndarray) -> pd.DataFrame:
        """One record per match and entry, in match order (entries in roster/lexicon order):
        each distinct matched text is looked up once, the rest is numpy (a school's roster
        names match tens of thousands of times in a big chat)."""
        codes, uniques = pd.factorize(pd.Series(matches, dtype=object), sort=False)
        found = [self._entries_for(text) for text in uniques.tolist()]
        flat = [(e.category, e.label, e.term, length) for one in found for e, length in one]
        if not flat:
            return _frame(_empty_cols())
        per = np.array([len(one) for one in found], dtype=np.int64)
        first = np.concatenate(([0], np.cumsum(per)[:-1]))
        count = per[codes]
        which = np.repeat(np.arange(len(codes)), count)  # the match of each record
        offset = np.arange(len(which)) - np.repeat(np.cumsum(count) - count, count)
        entry = first[codes][which] + offset  # the record's entry in ``flat``
        cat, label, term, length = (np.array(col, dtype=object if i < 3 else np.int64)
                                    for i, col in enumerate(zip(*flat, strict=True)))
        rows = np.searchsorted(starts, pos, side="right") - 1
        start = (pos - starts[rows])[which]
        return _frame({"pos": rows[which], "start": start, "end": start + length[entry],
                       "category": cat[entry], "label": label[entry], "term": term[entry]})


def _ascii_head(term: str) -> str | None:
    """The literal start of a term (its first word, lower-cased, without a trailing ``*``),
    or None if it is not ASCII (then only the term's own pattern can tell, as IGNORECASE
    lets "ı" match "i")."""
    word, _ = term_words(term)[0]
    return word if word.isascii() else None


def _first_key(text: str) -> str:
    """The first character of ``text`` lower-cased, as one character: "İ" lower-cases to two
    ("i" and a combining dot), and the search (case-insensitive) matches it where a term has
    "i", so its key must be "i" too, or a match found would name no term and be dropped."""
    return text[:1].lower()[:1]


@functools.lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str]:
    """One entry's own pattern, compiled when first needed."""
    return re.compile(pattern, re.IGNORECASE)


def _without_idioms(hits: pd.DataFrame) -> pd.DataFrame:
    """Drop matches that lie inside a benign idiom in the same text, and the idioms."""
    is_idiom = (hits["category"] == EXCLUDE).to_numpy()
    if not is_idiom.any():
        return hits
    idioms = hits[is_idiom]
    terms = hits[~is_idiom]
    pair = terms.reset_index().merge(idioms[["pos", "start", "end"]], on="pos",
                                     suffixes=("", "_idiom"))
    inside = (pair["start"] >= pair["start_idiom"]) & (pair["end"] <= pair["end_idiom"])
    drop = set(pair.loc[inside, "index"].tolist())
    return terms[~terms.index.isin(drop)].reset_index(drop=True)


def _empty_cols() -> dict[str, Any]:
    return {"pos": [], "start": [], "end": [], "category": [], "label": [], "term": []}


def _frame(cols: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pos": pd.Series(cols["pos"], dtype="int64"),
            "start": pd.Series(cols["start"], dtype="int64"),
            "end": pd.Series(cols["end"], dtype="int64"),
            "category": pd.Series(cols["category"], dtype=object),
            "label": pd.Series(cols["label"], dtype=object),
            "term": pd.Series(cols["term"], dtype=object),
        }
    )


def excerpt(text: str, start: int, width: int = 120) -> str:
    """About ``width`` characters of ``text`` around ``start``, on one line, with an ellipsis
    where it was cut: enough to decide whether to open the export, no more."""
    flat = text.replace("\r", " ").replace("\n", " ")
    lo = max(0, start - width // 3)
    hi = min(len(flat), lo + width)
    lo = max(0, hi - width)
    out = flat[lo:hi].strip()
    return ("…" if lo > 0 else "") + out + ("…" if hi < len(flat) else "")
