"""Machine-readable report: the findings plus the provenance a reader needs to trust them."""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chat_review.analysis.findings import Findings

    from .context import ReportContext


def _default(value: Any) -> Any:
    """Last-resort conversion for values findings.to_dict() left as Python/numpy objects."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _clean(value: Any) -> Any:
    """NaN/inf become null: strict JSON, readable by any tool."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def render_json(findings: Findings, ctx: ReportContext) -> bytes:
    """Pretty, UTF-8, keys sorted: equal inputs give equal bytes, and diffs stay readable.

    Message excerpts are dropped unless `ctx.excerpts` (data minimisation, as in the PDF).
    """
    if not ctx.excerpts and any(f.excerpt for f in findings.flags):
        findings = dataclasses.replace(
            findings, flags=[dataclasses.replace(f, excerpt=None) for f in findings.flags]
        )
    payload = {
        "chat_review_version": ctx.tool_version,
        "generated_at": ctx.generated_at.isoformat(),
        "title": ctx.title,
        "pseudonymised": ctx.pseudonymised,
        "excerpts": ctx.excerpts,
        "staff_focus": ctx.staff_focus,
        "consents": ctx.consents,
        "audit_entry": ctx.audit_entry,
        "findings": findings.to_dict(),
    }
    payload = _clean(payload)
    text = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True, default=_default,
                      allow_nan=False)
    return (text + "\n").encode("utf-8")
