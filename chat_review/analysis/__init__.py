"""Analysis: message tables plus the school's settings in, `Findings` out.

Public API:

* `analyse(chats, config, *, excerpts=False, progress=None, chat_types=None, staff=None)
  -> Findings` (``staff``: the staff view, filtered at the data level)
* `Findings` and its parts (see `chat_review.analysis.findings`)
* `findings_to_dict(findings) -> dict` (what `Findings.to_dict()` returns)
* `Lexicon` (the review lexicon; `Lexicon.default()` is the shipped one)
"""

from __future__ import annotations

from .bursts import find_bursts
from .core import STEPS, DuplicateExportError, analyse
from .findings import (
    Burst,
    Findings,
    Participant,
    Period,
    ReviewFlag,
    SenderStats,
    SourceInfo,
    StaffContact,
    StaffMention,
)
from .lexicon import Lexicon
from .serialise import findings_to_dict

__all__ = [
    "STEPS",
    "Burst",
    "Findings",
    "Lexicon",
    "Participant",
    "Period",
    "ReviewFlag",
    "SenderStats",
    "SourceInfo",
    "StaffContact",
    "StaffMention",
    "DuplicateExportError",
    "analyse",
    "find_bursts",
    "findings_to_dict",
]
