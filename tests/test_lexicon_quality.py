"""The built-in lexicon measured on a labelled set of invented school-chat messages.

`tests/data/labelled_messages.tsv` holds several hundred invented messages labelled by hand:
benign idioms ("to die for", "killing me", "had a blast", "batteries"), ordinary messages,
and rude, threatening and discriminatory ones. A flag in an abuse category (insult, threat,
discriminatory) on a rude/threatening/discriminatory message is a true positive; on any other
message a false positive. The figures are printed (pytest -s) for the closing note.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from chat_review.analysis import Lexicon
from chat_review.analysis.matcher import Entry, TermMatcher

DATA = Path(__file__).parent / "data" / "labelled_messages.tsv"
HOLDOUT = Path(__file__).parent / "data" / "labelled_messages_holdout.tsv"
ABUSIVE = {"rude", "threatening", "discriminatory"}
ABUSE_CATEGORIES = {"insult", "threat", "discriminatory"}


def labelled(path: Path = DATA) -> tuple[np.ndarray, np.ndarray]:
    rows = [line.split("\t") for line in path.read_text("utf-8").splitlines()
            if line and not line.startswith("#")][1:]
    return np.array([r[0] for r in rows]), np.array([r[1] for r in rows], dtype=object)


def flagged(categories: set[str] | None = None, path: Path = DATA
            ) -> tuple[np.ndarray, np.ndarray]:
    """(labels, per message: flagged by the built-in lexicon in ``categories``)."""
    labels, texts = labelled(path)
    lex = Lexicon.default()
    entries = [Entry(t, c, t) for c, terms in lex.categories.items() for t in terms
               if categories is None or c in categories]
    hits = TermMatcher(entries, exclude=lex.exclude).scan(texts)
    out = np.zeros(len(texts), dtype=bool)
    out[hits["pos"].to_numpy()] = True
    return labels, out


def measure(path: Path) -> dict[str, float]:
    labels, hit = flagged(ABUSE_CATEGORIES, path)
    positive = np.isin(labels, list(ABUSIVE))
    tp, fp = int((hit & positive).sum()), int((hit & ~positive).sum())
    fn = int((~hit & positive).sum())
    _, any_hit = flagged(None, path)
    benign = labels == "benign-idiom"
    out = {
        "messages": len(labels),
        "precision": tp / (tp + fp),
        "recall": tp / (tp + fn),
        "benign_idioms": int(benign.sum()),
        "benign_flagged": int(any_hit[benign].sum()),
        "ordinary_flagged": int(any_hit[labels == "ordinary"].sum()),
    }
    for label in sorted(ABUSIVE):
        out[f"recall_{label}"] = float(hit[labels == label].mean())
    print(f"\nlexicon on {path.name}:", out)
    return out


@pytest.fixture(scope="module")
def figures() -> dict[str, float]:
    return measure(DATA)


@pytest.fixture(scope="module")
def holdout() -> dict[str, float]:
    return measure(HOLDOUT)


def test_the_labelled_set_has_several_hundred_messages_of_every_kind() -> None:
    labels, _ = labelled()
    counts = {k: int((labels == k).sum()) for k in np.unique(labels)}
    assert len(labels) >= 300
    assert set(counts) == {"benign-idiom", "ordinary", "rude", "threatening", "discriminatory"}
    assert min(counts.values()) >= 40


def test_benign_idioms_are_flagged_at_most_one_in_fifty(figures) -> None:
    assert figures["benign_flagged"] / figures["benign_idioms"] <= 1 / 50


def test_precision_is_at_least_ninety_percent(figures) -> None:
    assert figures["precision"] >= 0.9


def test_recall_is_at_least_eighty_five_percent(figures) -> None:
    assert figures["recall"] >= 0.85


def test_each_kind_of_abuse_is_mostly_found(figures) -> None:
    for label in ABUSIVE:
        assert figures[f"recall_{label}"] >= 0.75, label


def test_on_the_held_out_set_precision_and_recall_stay_reasonable(holdout) -> None:
    # written after the lexicon was tuned and never used to tune it: the honest estimate
    assert holdout["messages"] >= 90
    assert holdout["precision"] >= 0.85
    assert holdout["recall"] >= 0.4  # measured 0.44: a word list generalises poorly


def test_benign_idioms_over_both_sets_are_flagged_at_most_one_in_fifty(figures, holdout) -> None:
    flagged_ = figures["benign_flagged"] + holdout["benign_flagged"]
    assert flagged_ / (figures["benign_idioms"] + holdout["benign_idioms"]) <= 1 / 50
