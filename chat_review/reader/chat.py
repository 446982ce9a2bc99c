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

import numpy as np
import pandas as pd

from .texts import MessageTexts

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


class Chat:
    """A parsed chat: the message table and what the reader learnt about the export.

    The reader keeps the texts as spans of the export's bytes (`MessageTexts`): the ``text``
    column is made when `messages` is first read; `column`, `texts` and ``len()`` never make
    it (the analysis needs a few percent of the texts, see ``texts.py``)."""

    def __init__(self, messages: pd.DataFrame, meta: ChatMetadata,
                 texts: MessageTexts | None = None) -> None:
        """``messages``: the whole table; or, with ``texts``, the table without ``text``."""
        self._table = messages
        self._texts = texts
        self.meta = meta

    @property
    def messages(self) -> pd.DataFrame:
        """The message table (see the module docstring), ``text`` column included."""
        if "text" not in self._table.columns:
            texts = self.texts.strings()
            table = self._table.copy(deep=False)
            table.insert(MESSAGE_COLUMNS.index("text"), "text", pd.arrays.StringArray(texts))
            self._table = table
        return self._table

    @messages.setter
    def messages(self, table: pd.DataFrame) -> None:
        self._table = table
        self._texts = None

    @property
    def texts(self) -> MessageTexts:
        """Each row's text, decoded only for the rows asked for."""
        if self._texts is None:
            self._texts = MessageTexts.from_values(self._table["text"])
        return self._texts

    def column(self, name: str) -> pd.Series:
        """One column of the table other than ``text``, without making the texts."""
        if name == "text":
            raise ValueError("read the texts through Chat.texts")
        return self._table[name]

    def __len__(self) -> int:
        return len(self._table)

    def keep(self, rows: np.ndarray) -> None:
        """Keep only the rows where the boolean mask ``rows`` is true (renumbered from 0)."""
        texts = self.texts[rows] if self._texts is not None else None
        self._table = self._table.loc[rows].reset_index(drop=True)
        self._texts = texts


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
