"""The verified grant: the only key that opens an export for reading.

Only `consent.gate.open_export` can make one (the constructor checks a private token), after
the consent record's signature, status, expiry and the export's SHA-256 have all been checked.
It carries the export's bytes, read once, so nothing can swap the file between the check and
the parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

_MINT = object()  # private: only this package can mint grants


@dataclass(frozen=True)
class VerifiedGrant:
    consent_id: int
    parent: str
    chat_name: str | None
    purpose: str
    export_name: str
    sha256: str
    window_from: date | None
    window_to: date | None
    data: bytes = field(repr=False)
    audit_id: int | None = None
    record: Any = field(default=None, repr=False, compare=False)  # the ConsentRecord
    _mint: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._mint is not _MINT:
            raise TypeError("a VerifiedGrant can only be created by consent.gate.open_export")

    def in_window(self, day: date) -> bool:
        """True when `day` falls inside the consent's date window (inclusive)."""
        if self.window_from is not None and day < self.window_from:
            return False
        return not (self.window_to is not None and day > self.window_to)
