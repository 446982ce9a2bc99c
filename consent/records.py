"""A consent record as stored in the register, and its canonical (signed) form."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from .clock import from_iso

SIGNED_FIELDS = (
    "id",
    "parent",
    "chat_name",
    "purpose",
    "export_name",
    "export_sha256",
    "window_from",
    "window_to",
    "recorded_by",
    "recorded_at",
    "expires_at",
    "evidence",
)


@dataclass(frozen=True)
class ConsentRecord:
    id: int
    parent: str
    chat_name: str | None
    purpose: str
    export_name: str
    export_sha256: str
    window_from: str | None  # ISO date
    window_to: str | None  # ISO date
    recorded_by: str
    recorded_at: str  # ISO datetime, UTC
    expires_at: str  # ISO datetime, UTC
    evidence: str | None
    revoked_at: str | None = None
    revoked_by: str | None = None
    revoked_reason: str | None = None
    date_order: str | None = None  # bound at grant: "day-first" | "month-first" | "year-first"
    date_order_rule: str | None = None  # how it was decided ("given at grant", "detected: ...")

    def canonical(self, register_id: str) -> bytes:
        """The bytes the token's HMAC covers: every field that defines what was consented to."""
        fields = [register_id] + [getattr(self, name) for name in SIGNED_FIELDS]
        return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @property
    def expires(self) -> datetime:
        return from_iso(self.expires_at)

    @property
    def window(self) -> tuple[date | None, date | None]:
        start = date.fromisoformat(self.window_from) if self.window_from else None
        end = date.fromisoformat(self.window_to) if self.window_to else None
        return start, end

    def status(self, now: datetime) -> str:
        """'active', 'revoked' or 'expired' at `now`."""
        if self.revoked_at:
            return "revoked"
        if now >= self.expires:
            return "expired"
        return "active"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
