"""What a report needs besides the findings: provenance, consent, audit and options."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DEFAULT_TITLE = "Chat review summary"


def report_time(now: datetime | None = None) -> datetime:
    """The time a report says it was generated.

    With `SOURCE_DATE_EPOCH` set (reproducible builds convention) that moment is used, in UTC,
    so the same inputs give byte-identical files. Otherwise `now` or the current UTC time.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            pass
    return now if now is not None else datetime.now(UTC).replace(microsecond=0)


def _tool_version() -> str:
    try:
        from importlib.metadata import version

        return version("chat-review")
    except Exception:  # noqa: BLE001 - not installed: still render
        return "unknown"


@dataclass
class ReportContext:
    """Provenance and options for one report run.

    consents: one dict per consent record used, keys id, parent, chat_name, purpose,
    recorded_by, recorded_at, expires_at, window_from, window_to, evidence (ISO strings or None).
    audit_entry: the audit row of this run (id, hash, at) or None.
    excerpts: print message excerpts in the PDF (off by default: data minimisation).
    staff_focus: render the staff view for this staff member instead of the chat review summary.
    pseudonymised: names were replaced (the report says so).
    """

    title: str = DEFAULT_TITLE
    generated_at: datetime = field(default_factory=report_time)
    tool_version: str = field(default_factory=_tool_version)
    consents: list[dict[str, Any]] = field(default_factory=list)
    audit_entry: dict[str, Any] | None = None
    excerpts: bool = False
    staff_focus: str | None = None
    pseudonymised: bool = False

    def __post_init__(self) -> None:
        # SOURCE_DATE_EPOCH wins over a caller's clock: reproducibility is the point of it.
        self.generated_at = report_time(self.generated_at)

    @property
    def consent_ids(self) -> list[str]:
        return [str(c.get("id")) for c in self.consents if c.get("id") is not None]

    @property
    def consent_label(self) -> str:
        """"#12" or "#12, #14"; "none recorded" makes a missing consent visible, not silent."""
        ids = self.consent_ids
        return ", ".join(f"#{i}" for i in ids) if ids else "none recorded"
