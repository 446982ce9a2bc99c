"""Reading WhatsApp exports — only through a verified grant.

`read_export` is the one public entry point. It takes the `VerifiedGrant` that
`chat_review.consent.gate.open_export` returns (which already holds the export's bytes,
hashed and checked),
parses those same bytes, and drops every message outside the consent's date window before
anything else can see it.
"""

from __future__ import annotations

import pandas as pd

from chat_review.consent.grant import VerifiedGrant
from chat_review.errors import ExportError

from .chat import MESSAGE_COLUMNS, Chat, ChatMetadata
from .phrases import EVENT_CATEGORIES

__all__ = [
    "EVENT_CATEGORIES", "MESSAGE_COLUMNS", "Chat", "ChatMetadata", "detect_date_order",
    "read_export", "system_events",
]


def system_events(messages: pd.DataFrame) -> pd.Series:
    """Each row's system-event category (see `EVENT_CATEGORIES`), <NA> where it has none.

    A categorical Series aligned with ``messages``: "created", "added", "left", "subject",
    "icon", "encryption"... in whatever language the export is written, so evidence such as
    "this chat is a group" can be read from system rows without knowing the language.
    """
    from .phrases import event_categories

    return event_categories(messages["kind"], messages["text"])


WINDOWED_REFUSAL = (
    "The export cannot be read faithfully, and as the consent covers only part of the chat "
    "the reason is not shown (it may concern messages outside the consented period); ask the "
    "parent for a fresh export of the chat."
)


def read_export(grant: VerifiedGrant, *, date_order: str | None = None) -> Chat:
    """Parse the export a consent was verified for, limited to the consent's window."""
    if not isinstance(grant, VerifiedGrant):
        raise TypeError(
            "read_export needs a VerifiedGrant from chat_review.consent.gate.open_export"
        )
    from ._parse import parse_export_bytes

    windowed = grant.window_from is not None or grant.window_to is not None
    try:
        chat = parse_export_bytes(
            grant.data, grant.export_name, sha256=grant.sha256, date_order=date_order
        )
    except ExportError:
        if not windowed:
            raise
        raise ExportError(WINDOWED_REFUSAL) from None  # its reason may quote outside messages
    chat.meta.consent_id = grant.consent_id
    if windowed:
        ts = chat.column("timestamp")
        keep = pd.Series(True, index=ts.index)
        if grant.window_from is not None:
            keep &= ts >= pd.Timestamp(grant.window_from)
        if grant.window_to is not None:
            keep &= ts < pd.Timestamp(grant.window_to) + pd.Timedelta(days=1)
        chat.keep(keep.to_numpy())
        chat.meta.counts_by_kind = {
            k: int(v) for k, v in chat.column("kind").value_counts(sort=False).items()
        }
        # Nothing about messages outside the window may reach an output: not how many were
        # left out, nor the reader's notes and date-order rule (they count and cite lines of
        # the whole file). The order itself is the consent's, bound at grant.
        chat.meta.window_dropped = 0
        chat.meta.warnings = []
        chat.meta.date_order_rule = grant.date_order_rule
        if grant.date_order is not None:
            chat.meta.date_order_ambiguous = False
    return chat


def detect_date_order(data: bytes, name: str, *, date_order: str | None = None
                      ) -> tuple[str, str, bool]:
    """(order, deciding rule, ambiguous) of an export's dates, for binding to a consent at grant.

    Returns nothing of the messages. With `date_order`, checks that order against the file
    (ExportError if the file contradicts it).
    """
    from ._parse import parse_export_bytes

    meta = parse_export_bytes(data, name, sha256="", date_order=date_order).meta
    return meta.date_order, meta.date_order_rule, meta.date_order_ambiguous
