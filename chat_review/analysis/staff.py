"""Contact with staff: messages *to* them (one-to-one chats) and *about* them (mentions).

* In a one-to-one chat with a member of staff on the roster (see `chat_type`), every message by
  the other person is sent **to** that member of staff (mode "direct").
* Anywhere else, a message by someone not on the roster that names a member of staff (any name
  or alias, whole words, any capitals; or ``@`` and their phone number) is **about** them
  (mode "mention"). A mention is counted and listed, never flagged for review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .chat_type import ChatTypes
from .findings import StaffContact, StaffMention
from .matcher import Entry
from .prepare import Prepared, day_of, pydatetimes, row_facts

if TYPE_CHECKING:
    from chat_review.config import StaffMember

STAFF_CATEGORY = "staff-named"


def staff_entries(staff: Sequence[StaffMember]) -> list[Entry]:
    """Every roster name, alias and "@phone" spelling as a matcher entry labelled by name."""
    from chat_review.config import normalise_phone

    entries = []
    for m in staff:
        for name in m.names:
            entries.append(Entry(name, STAFF_CATEGORY, m.name))
        for phone in m.phones:
            national = normalise_phone(phone)
            variants = {national}
            if national.startswith("0"):
                variants |= {"44" + national[1:], "+44" + national[1:]}
            for v in variants:
                entries.append(Entry("@" + v, STAFF_CATEGORY, m.name))
    return entries


@dataclass
class Contact:
    """Per-row facts the other steps share."""

    to_staff: np.ndarray  # object, per row: staff name the message was sent to, else None
    about: list[tuple[str, np.ndarray]]  # (staff name, per row: names them)
    mentions: pd.DataFrame  # columns row, label (staff), term, start


def contact_rows(p: Prepared, types: ChatTypes, hits: pd.DataFrame) -> Contact:
    """Which rows are sent to which staff member, and which name whom."""
    src = p.tab.src
    to_staff = np.full(p.n, None, dtype=object)
    for i, other in types.parent_of.items():
        to_staff[(src == i) & (p.codes == other)] = types.staff_of[i]
    m = hits[hits["category"] == STAFF_CATEGORY]
    rows = m["row"].to_numpy()
    keep = ~p.is_staff[p.codes[rows]] if len(rows) else np.zeros(0, bool)
    # naming the very person a one-to-one chat is with is already direct contact
    keep &= to_staff[rows] != m["label"].to_numpy(dtype=object) if len(rows) else keep
    m = m[keep].sort_values(["row", "start"], kind="stable").drop_duplicates(["row", "label"])
    about = []
    for name in sorted(set(m["label"].tolist())):
        mask = np.zeros(p.n, dtype=bool)
        mask[m.loc[m["label"] == name, "row"].to_numpy()] = True
        about.append((name, mask))
    return Contact(to_staff, about, m.reset_index(drop=True))


def staff_contacts(p: Prepared, contact: Contact) -> list[StaffContact]:
    """Contact per sender, staff member and mode, most contacts first."""
    direct = np.flatnonzero(contact.to_staff != None)  # noqa: E711 - elementwise on objects
    m_rows = contact.mentions["row"].to_numpy()
    rows = np.concatenate((direct, m_rows)).astype(np.int64)
    if not len(rows):
        return []
    ev = pd.DataFrame(
        {
            "sender": p.codes[rows],
            "staff": np.concatenate(
                (contact.to_staff[direct], contact.mentions["label"].to_numpy(dtype=object))
            ),
            "mode": ["direct"] * len(direct) + ["mention"] * len(m_rows),
            "out": p.outside[rows],
            "late": p.late[rows],
            "day": p.di[rows],
            "hour": p.hour[rows],
            "src": p.tab.src[rows],
        }
    )
    contacts = []
    for (sender, staff, mode), g in ev.groupby(["sender", "staff", "mode"], sort=True):
        per_day = g["day"].value_counts().sort_index()
        hours = g["hour"].to_numpy()
        contacts.append(
            StaffContact(
                sender=p.names[int(sender)],
                staff=str(staff),
                mode=str(mode),
                contacts=len(g),
                out_of_hours=int(g["out"].sum()),
                by_day={day_of(int(p.day0 or 0) + int(d)).isoformat(): int(c)
                        for d, c in per_day.items()},
                by_hour=[int(x) for x in np.bincount(hours, minlength=24)],
                sources=sorted({p.src_names[int(s)] for s in g["src"].unique()}),
                by_hour_out_of_hours=[
                    int(x) for x in np.bincount(hours[g["out"].to_numpy()], minlength=24)
                ],
                late_night=int(g["late"].sum()),
            )
        )
    contacts.sort(key=lambda c: (-c.contacts, c.staff, c.sender, c.mode))
    return contacts


def staff_mentions(p: Prepared, contact: Contact) -> list[StaffMention]:
    """Every message naming staff, in time order (a message naming two people: two rows)."""
    m = contact.mentions
    if not len(m):
        return []
    rows = m["row"].to_numpy()
    order = np.lexsort((m["label"].to_numpy(dtype=str), p.tab.line[rows], p.tab.src[rows],
                        p.ts_ns[rows]))
    m, rows = m.iloc[order], rows[order]
    times = pydatetimes(p.ts[rows])
    senders, lines, sources, outside = row_facts(p, rows)
    return [
        StaffMention(timestamp=t, sender=sender, staff=str(label), line=line, source=source,
                     out_of_hours=out, matched=str(term))
        for t, sender, line, source, out, label, term in zip(
            times, senders, lines, sources, outside, m["label"].tolist(), m["term"].tolist(),
            strict=True)
    ]
