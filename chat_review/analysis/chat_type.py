"""Is an export a one-to-one chat or a group? Decided from the export's own evidence.

Counting the people who wrote is not enough: a group where only two people wrote in the
consented period looks like a one-to-one chat, and calling its welcome posts "direct contact
with a teacher" is exactly the mis-attribution a parent can dispute. So, per export:

1. the reviewer's ``--chat-type`` (recorded as such in every output);
2. **group** when three or more people wrote, or the export holds a group event: the group was
   created, someone was added, removed, left or joined, the subject, icon or description
   changed, admin rights changed. The event's *category* comes from the reader's phrase tables
   (`chat_review.reader.phrases.system_event`), so every language the reader knows counts;
3. **one-to-one** when the export's own name (WhatsApp names a one-to-one export after the
   other person: "WhatsApp Chat with Jane Doe", "WhatsApp Chat - Jane Doe") names someone
   who wrote in it or a member of staff on the roster, or the export says a contact was
   blocked, and nothing above says group;
4. otherwise **unknown**: said in a warning that asks for ``--chat-type``; nothing in an
   unknown chat counts as direct contact with staff.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .findings import SourceInfo
from .prepare import Prepared, SystemRows

if TYPE_CHECKING:
    from chat_review.config import Config

CHAT_TYPES = ("one-to-one", "group")
# System-event categories of the reader's phrase tables that only a group chat has.
GROUP_EVENTS = {
    "created": "the group was created",
    "added": "someone was added to the group",
    "removed": "someone was removed from the group",
    "left": "someone left the group",
    "joined": "someone joined the group",
    "subject": "the group's subject changed",
    "icon": "the group's icon changed",
    "description": "the group's description changed",
    "admin": "admin rights in the group changed",
}
ONE_TO_ONE_EVENTS = {"blocked": "a contact was blocked or unblocked (only possible 1:1)"}
# The export names WhatsApp gives a chat "with" someone, in the languages the reader knows.
_TITLE = re.compile(
    r"^(?:WhatsApp Chat with|WhatsApp Chat -|WhatsApp-Chat mit|Chat de WhatsApp con|"
    r"Discussion WhatsApp avec|Chat WhatsApp con|Chat WhatsApp com|Conversa do WhatsApp com|"
    r"WhatsApp-chat met|WhatsApp Sohbeti:?)\s+(?P<name>.+?)(?:\s*\(\d+\))?"
    r"(?:\.(?:txt|zip))?$",
    re.IGNORECASE,
)


def chat_title(source_name: str) -> str | None:
    """The other person's name from a WhatsApp export's file name, or None."""
    m = _TITLE.match(source_name.strip())
    return " ".join(m.group("name").split()) if m else None


def system_event_category(text: str) -> str | None:
    """The reader's category for a system line ("created", "added", ...), or None."""
    from chat_review.reader.phrases import system_event

    return system_event(text)


@dataclass
class ChatTypes:
    """Per export: the staff member of a one-to-one chat, and the other person's code."""

    staff_of: dict[int, str]  # export index -> roster name, for one-to-one chats with staff
    parent_of: dict[int, int]  # export index -> sender code writing to that staff member


def _events(p: Prepared, wanted_src: list[int]) -> dict[int, tuple[str, int]]:
    """Export index -> (category, line) of its first group or one-to-one event, for the
    exports in ``wanted_src`` only (those whose type `decide` reads from events): each
    distinct system line is matched against the phrase tables of every language (the first
    match compiles its patterns, ~0.015 s), which an export with three or more writers, or a
    type the reviewer gave, never needs."""
    sysrows = p.system
    keep = np.isin(sysrows.src, wanted_src)
    if not keep.any():
        return {}
    sysrows = SystemRows(sysrows.src[keep], sysrows.line[keep], sysrows.text[keep])
    texts = np.asarray(sysrows.text, dtype=object)
    uniq, inverse = np.unique(texts.astype(str), return_inverse=True)
    cats = np.array([system_event_category(t) for t in uniq.tolist()], dtype=object)[inverse]
    wanted = np.isin(cats, [*GROUP_EVENTS, *ONE_TO_ONE_EVENTS])
    found: dict[int, tuple[str, int]] = {}
    for s, line, cat in zip(sysrows.src[wanted].tolist(), sysrows.line[wanted].tolist(),
                            cats[wanted].tolist(), strict=True):
        prev = found.get(s)
        # group evidence outranks one-to-one evidence; the first line of each wins
        if prev is None or (prev[0] in ONE_TO_ONE_EVENTS and cat in GROUP_EVENTS):
            found[s] = (cat, line)
    return found


def decide(
    p: Prepared,
    sources: list[SourceInfo],
    config: Config,
    overrides: Mapping[int, str],
    warnings: list[str],
) -> ChatTypes:
    """Set each source's chat type, evidence, writers and staff member (see module doc)."""
    nsend = max(len(p.names), 1)
    pairs = np.unique(p.tab.src * nsend + p.codes) if p.n else np.array([], dtype=np.int64)
    members_of: dict[int, list[int]] = {}
    for pair in pairs.tolist():
        members_of.setdefault(pair // nsend, []).append(pair % nsend)
    events = _events(p, [i for i in range(len(sources))
                         if i not in overrides and 0 < len(members_of.get(i, [])) < 3])
    out = ChatTypes({}, {})
    for i, info in enumerate(sources):
        members = members_of.get(i, [])
        info.writers = len(members)
        title = chat_title(info.name)
        title_member = config.staff_for_sender(title) if title else None
        title_writer = title is not None and any(
            " ".join(p.names[c].split()).casefold() == title.casefold() for c in members
        )
        ev = events.get(i)
        if i in overrides:
            info.chat_type, info.chat_type_source = overrides[i], "reviewer"
            info.chat_type_evidence = f"set by the reviewer with --chat-type {i + 1}={overrides[i]}"
        elif not members:
            info.chat_type = None
            info.chat_type_source = "none"
            info.chat_type_evidence = "nobody wrote in the consented period"
            continue
        elif len(members) >= 3:
            info.chat_type, info.chat_type_source = "group", "export"
            info.chat_type_evidence = f"{len(members)} people wrote in it"
        elif ev is not None and ev[0] in GROUP_EVENTS:
            info.chat_type, info.chat_type_source = "group", "export"
            info.chat_type_evidence = f"line {ev[1]}: {GROUP_EVENTS[ev[0]]}"
        elif title_writer or title_member is not None:
            info.chat_type, info.chat_type_source = "one-to-one", "export"
            info.chat_type_evidence = (
                f"the export's name says it is a chat with {title}"
                + (", who wrote in it" if title_writer else ", a member of staff")
            )
        elif ev is not None:
            info.chat_type, info.chat_type_source = "one-to-one", "export"
            info.chat_type_evidence = f"line {ev[1]}: {ONE_TO_ONE_EVENTS[ev[0]]}"
        else:
            info.chat_type, info.chat_type_source = "unknown", "none"
            info.chat_type_evidence = (
                "the export holds no group event and its name does not say whom the chat is with"
            )
            who = " and ".join(p.names[c] for c in members)
            warnings.append(
                f"{info.name}: chat-review cannot tell whether this is a one-to-one chat or a "
                f"group (only {who} wrote in the consented period, and the export holds no "
                "group event); nothing in it is counted as direct contact with staff. If you "
                f"know, run again with --chat-type {i + 1}=one-to-one or --chat-type "
                f"{i + 1}=group."
            )
            continue
        if info.chat_type != "one-to-one":
            continue
        staff_side = {p.roster[p.names[c]].name for c in members  # type: ignore[union-attr]
                      if p.is_staff[c]}
        if title_member is not None:
            staff_side.add(title_member.name)
        parents = [c for c in members if not p.is_staff[c]]
        if len(staff_side) == 1 and len(parents) <= 1:
            info.staff = next(iter(staff_side))
            out.staff_of[i] = info.staff
            if parents:
                out.parent_of[i] = parents[0]
        if len(members) > 2:
            warnings.append(
                f"{info.name}: was set as a one-to-one chat, but {len(members)} people wrote in "
                "it; no message in it is counted as direct contact with staff."
            )
            out.staff_of.pop(i, None)
            out.parent_of.pop(i, None)
            info.staff = None
    return out
