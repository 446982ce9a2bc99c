"""Review flags: messages that contain a lexicon term, worded as a prompt, never a verdict.

One flag per message and category, with the first matching term. Naming a member of staff is
never a flag (it is a mention, see `chat_review.analysis.staff`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .findings import ReviewFlag
from .matcher import Entry, TermMatcher, excerpt
from .prepare import Prepared, pydatetimes, row_facts
from .staff import staff_entries

if TYPE_CHECKING:
    from chat_review.config import Config

_SCANNED_KINDS = ("text", "media")


def term_hits(p: Prepared, config: Config) -> pd.DataFrame:
    """Lexicon terms and staff names/phones found in text and media messages (one scan);
    column ``row`` is the message's position in the prepared arrays. Matches inside a benign
    idiom of the lexicon ("to die for", "killing me") are already left out."""
    tab = p.tab
    scan_pos = np.flatnonzero(np.isin(tab.kind, [tab.kinds.index(k) for k in _SCANNED_KINDS]))
    lex = config.lexicon
    entries = [Entry(t, cat, t) for cat, terms in lex.categories.items() for t in terms]
    matcher = TermMatcher(entries + staff_entries(config.staff), exclude=lex.exclude)
    hits = matcher.scan(tab.text[scan_pos])
    hits["row"] = scan_pos[hits["pos"].to_numpy()] if len(hits) else np.array([], np.int64)
    return hits


def review_flags(p: Prepared, hits: pd.DataFrame, config: Config, excerpts: bool,
                 rows_kept: np.ndarray | None = None) -> list[ReviewFlag]:
    """One flag per message and category (the first term in it), in time order.
    ``rows_kept``: only flag these rows (the staff view)."""
    chosen = hits[hits["category"].isin(list(config.lexicon.categories))]
    if rows_kept is not None:
        chosen = chosen[rows_kept[chosen["row"].to_numpy()]]
    chosen = chosen.sort_values(["row", "start"], kind="stable").drop_duplicates(
        ["row", "category"]
    )
    if not len(chosen):
        return []
    rows = chosen["row"].to_numpy()
    lines, src = p.tab.line, p.tab.src
    order = np.lexsort(
        (chosen["category"].to_numpy(dtype=str), lines[rows], src[rows], p.ts_ns[rows])
    )
    chosen, rows = chosen.iloc[order], rows[order]
    times = pydatetimes(p.ts[rows])
    texts = p.tab.text[rows].strings() if excerpts else None
    senders, row_lines, sources, _ = row_facts(p, rows)
    return [
        ReviewFlag(
            timestamp=times[j],
            sender=senders[j],
            line=row_lines[j],
            source=sources[j],
            category=str(category),
            term=str(term),
            excerpt=excerpt(str(texts[j]), int(start)) if texts is not None else None,
        )
        for j, (category, term, start) in enumerate(
            zip(chosen["category"].tolist(), chosen["label"].tolist(),
                chosen["start"].tolist(), strict=True)
        )
    ]
