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

`Chat.messages` is this whole table. Code that reads many rows but few texts (the analysis,
the chunked tables) uses `Chat.texts`, `Chat.sender_codes` and `Chat.column` instead, which
never make the text, sender and attachment columns of a chat the reader read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

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


class SenderCodes(NamedTuple):
    """The sender column as codes: ``names[codes[i]]``, code -1 for no sender (system
    events); names numbered in order of first appearance, as ``pd.factorize`` numbers them."""

    codes: np.ndarray
    names: list[str]

    @classmethod
    def numbered(cls, codes: np.ndarray, names: Sequence[str | None]) -> SenderCodes:
        """Codes into ``names`` (-1 or a None name: no sender) renumbered: equal names merged
        ("~ Sam" and "Sam" once cleaned), numbered by first appearance among ``codes``."""
        dense: dict[str, int] = {}
        merged = np.array([-1 if nm is None else dense.setdefault(nm, len(dense))
                           for nm in names] + [-1], dtype=np.int64)[codes]
        order = pd.unique(merged)
        order = order[order >= 0]
        renumber = np.full(len(dense) + 1, -1, dtype=np.int64)
        renumber[order] = np.arange(len(order))
        by_code = list(dense)
        return cls(renumber[merged], [by_code[i] for i in order.tolist()])

    def column(self) -> pd.arrays.StringArray:
        values = np.array([*self.names, pd.NA], dtype=object)
        return pd.arrays.StringArray(values[self.codes])


class Chat:
    """A parsed chat: the message table and what the reader learnt about the export.

    The reader keeps the texts as spans of the export's bytes (`MessageTexts`), the senders as
    codes (`SenderCodes`) and the few attachment names apart: those columns are made when
    `messages` is first read (or one by `column`), while `texts`, `sender_codes` and ``len()``
    never make them. Analysis needs a few percent of the texts and only the sender codes; a
    million strs and a million-row factorisation are spared (see ``texts.py``)."""

    def __init__(self, messages: pd.DataFrame, meta: ChatMetadata, *,
                 texts: MessageTexts | None = None, senders: SenderCodes | None = None,
                 attachments: dict[int, str] | None = None) -> None:
        """``messages``: the whole table; or the table without the columns given apart
        (``attachments``: row -> file name, <NA> elsewhere)."""
        self._table = messages
        self._texts = texts
        self._senders = senders
        self._attachments = attachments
        self.meta = meta

    @property
    def messages(self) -> pd.DataFrame:
        """The message table (see the module docstring), every column in its place."""
        missing = [c for c in MESSAGE_COLUMNS if c not in self._table.columns]
        if missing:
            table = self._table.copy(deep=False)
            for name in missing:
                table.insert(MESSAGE_COLUMNS.index(name), name, self._made(name))
            self._table = table
        return self._table

    @messages.setter
    def messages(self, table: pd.DataFrame) -> None:
        self._table = table
        self._texts = self._senders = self._attachments = None

    @property
    def texts(self) -> MessageTexts:
        """Each row's text, decoded only for the rows asked for."""
        if self._texts is None:
            self._texts = MessageTexts.from_values(self._table["text"])
        return self._texts

    def sender_codes(self) -> SenderCodes:
        """The senders as codes (see `SenderCodes`), without making the sender column."""
        if self._senders is None:
            codes, uniques = pd.factorize(self._table["sender"].to_numpy(dtype=object),
                                          use_na_sentinel=True)
            self._senders = SenderCodes(codes.astype(np.int64, copy=False),
                                        [str(u) for u in uniques])
        return self._senders

    def column(self, name: str) -> pd.Series:
        """One column of the table other than ``text`` (read that through `texts`)."""
        if name == "text":
            raise ValueError("read the texts through Chat.texts")
        if name in self._table.columns:
            return self._table[name]
        return pd.Series(self._made(name), name=name, copy=False)

    def _made(self, name: str) -> Any:
        """A column the reader kept apart, made now."""
        if name == "text":
            return pd.arrays.StringArray(self.texts.strings())
        if name == "sender" and self._senders is not None:
            return self._senders.column()
        if name != "attachment":
            raise KeyError(f"the chat has no column {name!r}")
        values = np.full(len(self._table), pd.NA, dtype=object)
        for row, file_name in (self._attachments or {}).items():
            values[row] = file_name
        return pd.arrays.StringArray(values)

    def __len__(self) -> int:
        return len(self._table)

    def keep(self, rows: np.ndarray) -> None:
        """Keep only the rows where the boolean mask ``rows`` is true (renumbered from 0)."""
        if self._texts is not None:
            self._texts = self._texts[rows]
        if self._senders is not None:
            self._senders = SenderCodes.numbered(self._senders.codes[rows], self._senders.names)
        if self._attachments is not None:
            new_row = np.cumsum(rows) - 1
            self._attachments = {int(new_row[r]): name for r, name in self._attachments.items()
                                 if rows[r]}
        self._table = self._table.loc[rows].reset_index(drop=True)


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
