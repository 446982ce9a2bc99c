"""The review lexicon and the whole-word matcher that finds its terms in many messages at once.

A lexicon is a set of named categories (insult, threat, confidential, ...), each a list of words
or phrases. A message containing a term is listed *for a human look*: a match is a prompt to
read the message in context, never a verdict.

Term syntax (case-insensitive, whole words):

* a space between words matches any run of whitespace, including a line break;
* a trailing ``*`` matches any word ending: ``stupid*`` matches "stupid" and "stupidity";
* any other character, including an inner ``*``, is literal (``f*ck*`` matches "f*cking").

Matching is done without a Python loop over messages. All texts are joined into one string
(separated by NUL) and searched with one regular expression built as a prefix tree of every
term (all categories and staff names at once); match positions are mapped back to rows with
``numpy.searchsorted``. A first, looser pass over the UTF-8 bytes picks the candidate rows, and
the exact pass runs on those only. Without pyarrow, pandas keeps strings as Python objects and
``Series.str.contains`` calls the regex engine once per message: one combined regex per
category that way took about 3 s per category for 1M messages, against about 1 s for this scan
of all categories together.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

STAFF_CATEGORY = "staff-named"
_WORD = re.compile(r"\w")
_SEP = "\x00"


@dataclass
class Lexicon:
    """Review categories -> terms, with a one-line description per category.

    ``staff_named``: also flag messages (by non-staff senders) that name a member of staff on
    the roster, as category ``staff-named``. ``source`` says where the terms came from.
    """

    categories: dict[str, list[str]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    source: str = "built-in lexicon"
    staff_named: bool = True

    @classmethod
    def default(cls) -> Lexicon:
        """The lexicon shipped as package data (``chat_review/data/lexicon.toml``)."""
        return _default_lexicon()

    def combined(
        self, categories: dict[str, list[str]], *, mode: str, source: str, staff_named: bool
    ) -> Lexicon:
        """This lexicon extended by (``mode="extend"``) or replaced by (``"replace"``) a
        config's categories; extending adds terms to a category of the same name."""
        if mode == "replace":
            cats = {k: list(v) for k, v in categories.items()}
            src = f"{source} (replaces the built-in lexicon)"
        else:
            cats = {k: list(v) for k, v in self.categories.items()}
            for k, terms in categories.items():
                known = cats.setdefault(k, [])
                known += [t for t in terms if t not in known]
            src = f"{self.source} extended by {source}" if categories else self.source
        desc = {k: self.descriptions.get(k, "") for k in cats}
        return Lexicon(cats, desc, src, staff_named)


_default_cache: Lexicon | None = None


def _default_lexicon() -> Lexicon:
    global _default_cache
    if _default_cache is None:
        raw = resources.files("chat_review").joinpath("data/lexicon.toml").read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
        cats = {k: [str(t) for t in v["terms"]] for k, v in data.items()}
        desc = {k: str(v.get("description", "")) for k, v in data.items()}
        _default_cache = Lexicon(cats, desc, "built-in lexicon")
    # hand out a copy: callers may extend it
    return Lexicon(
        {k: list(v) for k, v in _default_cache.categories.items()},
        dict(_default_cache.descriptions),
        _default_cache.source,
        _default_cache.staff_named,
    )


# -- matching -----------------------------------------------------------------------------------


def _atoms(term: str) -> list[str]:
    """A term as regex atoms: escaped characters, ``\\s+`` between words, ``\\w*`` wildcard."""
    words = term.lower().split()
    atoms: list[str] = []
    for i, word in enumerate(words):
        if i:
            atoms.append(r"\s+")
        wildcard = len(word) > 1 and word.endswith("*")
        atoms += [re.escape(ch) for ch in (word[:-1] if wildcard else word)]
        if wildcard:
            atoms.append(r"\w*")
    return atoms


def _byte_atoms(term: str) -> list[bytes]:
    """A term as atoms of the loose bytes search: ASCII letters lower-case (the bytes are
    lower-cased ASCII-only), other characters as any of their case variants in UTF-8, the
    ``*`` ending dropped (so ``kill*`` looks for "kill")."""
    atoms: list[bytes] = []
    for i, word in enumerate(term.split()):
        if i:
            atoms.append(rb"\s+")
        if len(word) > 1 and word.endswith("*"):
            word = word[:-1]
        for ch in word:
            if ch.isascii():
                atoms.append(re.escape(ch.lower().encode()))
            else:
                variants = sorted({ch, ch.lower(), ch.upper(), ch.casefold()})
                alts = b"|".join(re.escape(v.encode("utf-8")) for v in variants)
                atoms.append(b"(?:" + alts + b")")
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


class TermMatcher:
    """Finds every entry's term in many texts with one regex pass (see module docstring)."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = [e for e in entries if e.term.strip()]
        # each entry on its own, by first character: which entries match where the combined
        # search found a match (a shorter term at the same place counts too)
        self._by_first: dict[str, list[tuple[re.Pattern[str], Entry]]] = {}
        for e in self.entries:
            own = re.compile("".join(_atoms(e.term)) + r"(?!\w)", re.IGNORECASE)
            self._by_first.setdefault(e.term.strip()[0].lower(), []).append((own, e))
        pattern = _trie_regex([_atoms(e.term) for e in self.entries])
        # The leading class makes the regex engine try the tree only just after a character
        # that cannot be part of an ASCII word (about one position in six), which more than
        # halves the time; a non-ASCII letter before a match is checked afterwards.
        self._rx = re.compile(f"[^A-Za-z0-9_](?:{pattern})(?!\\w)") if pattern else None
        loose = _trie_regex([_byte_atoms(e.term) for e in self.entries])
        self._loose = re.compile(b"[^A-Za-z0-9_](?:" + loose + b")") if loose else None

    def _entries_for(self, matched: str) -> list[Entry]:
        """Every entry whose term starts ``matched`` and ends at a word boundary in it."""
        return [e for own, e in self._by_first.get(matched[:1].lower(), []) if own.match(matched)]

    def scan(self, texts: pd.Series | np.ndarray | Sequence[str]) -> pd.DataFrame:
        """Every match in ``texts``: columns ``pos`` (positional row in ``texts``), ``start``
        (character offset in that text), ``category``, ``label``, ``term``. Missing texts never
        match. A row gets one record per match and entry; callers deduplicate as they need.

        Two passes: a loose search over the UTF-8 bytes of all texts (ASCII-only lower-casing,
        no end-of-word check, ``*`` endings dropped, so it finds a superset) picks candidate
        rows; the exact search then runs on those rows only. This avoids ``str.lower()`` and
        four-byte characters over the whole chat when it contains a single emoji."""
        if self._rx is None or len(texts) == 0:
            return _frame(_empty_cols())
        if isinstance(texts, pd.Series):
            arr = texts.to_numpy(dtype=object, na_value="")
        else:
            arr = np.asarray(texts, dtype=object)
            missing = pd.isna(arr)
            if missing.any():
                arr = np.where(missing, "", arr)
        rows = self._candidates(arr)
        if rows is None:
            return self._scan_exact(arr)
        hits = self._scan_exact(arr[rows])
        hits["pos"] = rows[hits["pos"].to_numpy()]
        return hits

    def _candidates(self, arr: np.ndarray) -> np.ndarray | None:
        """Rows that may contain a term (sorted), or None if the bytes pass cannot be used."""
        if self._loose is None:
            return None
        data = (_SEP + _SEP.join(arr)).encode("utf-8", "replace").lower()
        seps = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0)
        if len(seps) != len(arr):  # a text contains NUL itself: rows cannot be told apart
            return None
        at = np.fromiter((m.start() for m in self._loose.finditer(data)), dtype=np.int64)
        return np.unique(np.searchsorted(seps, at, side="right") - 1)

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
        pos_arr = np.asarray(positions, dtype=np.int64)
        rows = np.searchsorted(starts, pos_arr, side="right") - 1
        memo: dict[str, list[Entry]] = {}
        for r, p, text in zip(rows.tolist(), pos_arr.tolist(), matches, strict=True):
            found = memo.get(text)
            if found is None:
                found = memo[text] = self._entries_for(text)
            for e in found:
                cols["pos"].append(r)
                cols["start"].append(p - int(starts[r]))
                cols["category"].append(e.category)
                cols["label"].append(e.label)
                cols["term"].append(e.term)
        return _frame(cols)


def _empty_cols() -> dict[str, list[Any]]:
    return {"pos": [], "start": [], "category": [], "label": [], "term": []}


def _frame(cols: dict[str, list[Any]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pos": pd.Series(cols["pos"], dtype="int64"),
            "start": pd.Series(cols["start"], dtype="int64"),
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
