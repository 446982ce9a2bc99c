"""The parsed chat: the message table plus what the reader learnt about the export.

Message table (one row per message, in file order) — the contract every later stage relies on:

| column       | dtype            | meaning                                                    |
|--------------|------------------|------------------------------------------------------------|
| `timestamp`  | datetime64[ns]   | naive, the phone's local time                              |
| `sender`     | string (<NA> for system events) | name as exported, direction marks removed   |
| `kind`       | category         | text, media, deleted, system                               |
| `text`       | string           | body exactly as exported, continuation lines joined by \\n |
| `edited`     | bool             | WhatsApp marked the message edited (marker removed)        |
| `attachment` | string (<NA>)    | attached file name for media, where the export gives one   |
| `line`       | int64            | 1-based line of the message header in the export           |

What kind of system event a system row is (group created, member added or left, subject or
icon changed, the encryption notice...) is not a column: ``chat_review.reader.system_events``
maps the rows to the categories in ``EVENT_CATEGORIES``, whatever the export's language.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

MESSAGE_COLUMNS = ["timestamp", "sender", "kind", "text", "edited", "attachment", "line"]
KINDS = ["text", "media", "deleted", "system"]


@dataclass
class ChatMetadata:
    source_name: str
    sha256: str
    platform: str  # "android" | "ios"
    date_order: str  # "day-first" | "month-first" | "year-first"
    date_order_rule: str  # which rule decided (see reader docs), e.g. "day above 12 on line 4"
    date_order_ambiguous: bool
    encoding: str  # e.g. "utf-8", "utf-8-sig", "utf-16"
    container: str  # "txt" | "zip"
    inner_name: str | None = None  # the chat file's name inside a zip
    counts_by_kind: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    consent_id: int | None = None
    window_dropped: int = 0  # messages dropped because they fall outside the consent window

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Chat:
    messages: pd.DataFrame
    meta: ChatMetadata


def empty_messages() -> pd.DataFrame:
    """An empty message table with the right dtypes."""
    return pd.DataFrame(
        {
            "timestamp": pd.Series([], dtype="datetime64[ns]"),
            "sender": pd.Series([], dtype="string"),
            "kind": pd.Categorical([], categories=KINDS),
            "text": pd.Series([], dtype="string"),
            "edited": pd.Series([], dtype="bool"),
            "attachment": pd.Series([], dtype="string"),
            "line": pd.Series([], dtype="int64"),
        }
    )
