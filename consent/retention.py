"""Storage limitation (UK GDPR): which reports and consents are past keeping, from the log.

Reports are found through the audit log's 'output-written' rows, so nothing else needs to
remember them. A file is deleted only if it still has the digest that was logged: a file that
was replaced since is someone else's, and is left alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from . import audit
from .clock import from_iso
from .records import ConsentRecord
from .register import Register


@dataclass(frozen=True)
class DueReport:
    path: Path
    sha256: str
    written_at: str
    consent_ids: list[int]
    state: str  # "present" | "missing" | "changed"


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def due_reports(register: Register, older_than: timedelta) -> list[DueReport]:
    """Outputs logged more than `older_than` ago and not yet deleted under retention."""
    cutoff = register.clock() - older_than
    written: dict[tuple[str, str], audit.AuditRow] = {}
    for row in audit.rows(register.conn):
        key = (str(row.detail.get("path")), str(row.detail.get("sha256")))
        if row.event == "output-written":
            written[key] = row
        elif row.event == "retention-deleted":
            written.pop(key, None)
    due = []
    for (path_text, digest), row in written.items():
        if from_iso(row.at) > cutoff:
            continue
        path = Path(path_text)
        actual = _digest(path) if path.exists() else None
        state = "missing" if actual is None else ("present" if actual == digest else "changed")
        due.append(DueReport(path, digest, row.at, list(row.detail.get("consent_ids") or []),
                             state))
    return due


def inactive_consents(register: Register) -> list[ConsentRecord]:
    """Consents that no longer open anything: expired or revoked."""
    now = register.clock()
    return [r for r in register.consents().values() if r.status(now) != "active"]


def delete_reports(register: Register, reports: list[DueReport]) -> list[DueReport]:
    """Delete the present ones and log each deletion; return what was deleted."""
    deleted = []
    for report in reports:
        if report.state != "present":
            continue
        report.path.unlink()
        register.log("retention-deleted", detail={"path": str(report.path),
                                                  "sha256": report.sha256,
                                                  "consent_ids": report.consent_ids})
        deleted.append(report)
    return deleted
