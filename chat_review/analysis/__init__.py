"""Analysis: message tables plus the school's settings in, `Findings` out.

Public API:

* `analyse(chats, config, *, excerpts=False, progress=None) -> Findings`
* `Findings` and its parts (see `chat_review.analysis.findings`)
* `findings_to_dict(findings) -> dict` (what `Findings.to_dict()` returns)
* `Lexicon` (the review lexicon; `Lexicon.default()` is the shipped one)
"""

from __future__ import annotations

from .core import STEPS, analyse, find_bursts
from .findings import (
    Burst,
    Findings,
    Participant,
    Period,
    ReviewFlag,
    SenderStats,
    SourceInfo,
    StaffContact,
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
    "analyse",
    "find_bursts",
    "findings_to_dict",
]
