"""The staff view: findings about one member of staff only, filtered here, at the data level,
so that every renderer (PNG, PDF, JSON, terminal) can only show that person.

What stays: messages sent to them in their one-to-one chats and messages that name them
(counted per sender, by day and hour), bursts that were sent to them or name them (with how
many of the burst's messages do), flags on those messages, the mentions of them, and the
exports those came from. What goes: other staff members (names, contacts, bursts, mentions),
other senders' figures and flags, and exports with no contact with them.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .findings import Findings
from .prepare import Prepared
from .staff import Contact


def rows_about(contact: Contact, staff: str) -> np.ndarray:
    """Per row: sent to ``staff`` in a one-to-one chat, or names them."""
    keep = np.asarray(contact.to_staff == staff, dtype=bool)
    for name, mask in contact.about:
        if name == staff:
            keep = keep | mask
    return keep


def kind_counts(p: Prepared) -> dict[str, int]:
    """Messages per kind among the kept rows (system events are never about anyone)."""
    counts = np.bincount(p.tab.kind[p.tab.kind >= 0], minlength=len(p.tab.kinds))
    return {k: int(counts[i]) for i, k in enumerate(p.tab.kinds)}


def focus(f: Findings, staff: str, p: Prepared) -> Findings:
    """``f`` with everything not about ``staff`` removed (see the module docstring)."""
    r = dataclasses.replace
    bursts = []
    for b in f.bursts:
        to = b.to_staff if b.to_staff == staff else None
        about = {staff: b.about_staff[staff]} if staff in b.about_staff else {}
        if to is not None or about:
            bursts.append(r(b, to_staff=to, about_staff=about))
    contacts = [x for x in f.staff_contact if x.staff == staff]
    mentions = [m for m in f.staff_mentions if m.staff == staff]
    kept_sources = {p.src_names[int(s)] for s in np.unique(p.tab.src)}
    dropped = {s.name for s in f.sources} - kept_sources
    warnings = [w for w in f.warnings if not any(w.startswith(f"{d}:") for d in dropped)]
    sources = []
    for s in f.sources:
        if s.name in kept_sources:
            sources.append(r(s, staff=s.staff if s.staff == staff else None))
    settings = dict(f.settings, staff=[staff])
    return r(
        f,
        sources=sources,
        bursts=bursts,
        staff_contact=contacts,
        staff_mentions=mentions,
        warnings=warnings,
        settings=settings,
        staff_view=staff,
    )
