"""The verified grant: the only key that opens an export for reading.

Only `chat_review.consent.gate.open_export` can make one (the constructor checks a private
token), after
the consent record's signature, status, expiry and the export's SHA-256 have all been checked.
It carries the export's bytes, read once, so nothing can swap the file between the check and
the parse. What was consented to (parent, purpose, date window) is read from the record itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .records import ConsentRecord

_MINT = object()  # private: only this package can mint grants


@dataclass(frozen=True)
class VerifiedGrant:
    record: ConsentRecord
    export_name: str  # the name of the file that was opened (the consent may name it otherwise)
    sha256: str
    data: bytes = field(repr=False)
    audit_id: int | None = None
    date_order: str | None = None  # the order the read must use; None: detect from the file
    date_order_rule: str = "detected from the file"
    _mint: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._mint is not _MINT:
            raise TypeError(
                "a VerifiedGrant can only be created by chat_review.consent.gate.open_export"
            )

    @property
    def consent_id(self) -> int:
        return self.record.id

    @property
    def window_from(self) -> date | None:
        return self.record.window[0]

    @property
    def window_to(self) -> date | None:
        return self.record.window[1]
