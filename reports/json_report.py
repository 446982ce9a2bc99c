"""Machine-readable report: the findings plus the provenance a reader needs to trust them."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chat_review.analysis.findings import Findings

    from .context import ReportContext

# The version of chat_review/data/schemas/report.schema.json this report follows: raised when
# a field is renamed or removed or changes meaning (new fields may appear within a version).
SCHEMA_VERSION = 1

# No indent: only then does `json` use its C encoder (indent=2 took 0.84 s CPU of 1.47 s for a
# million-message chat; this layout 0.2 s). sort_keys and allow_nan=False as before.
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, allow_nan=False).encode


def _lines(payload: dict[str, Any], nested: str) -> list[str]:
    """One line per key (keys sorted); `nested` (a dict) gets one line per key of its own."""
    lines = []
    for key in sorted(payload):
        value = payload[key]
        if key == nested:
            inner = _lines(value, "")
            inner[0] = "{" + inner[0]
            inner[-1] += "}"
            lines.append(f"{_ENCODE(key)}: " + ",\n".join(inner))
        else:
            lines.append(f"{_ENCODE(key)}: {_ENCODE(value)}")
    return lines or [""]


def render_json(findings: Findings, ctx: ReportContext) -> bytes:
    """UTF-8, keys sorted, one line per top-level key and per key of `findings` (each value
    compact): equal inputs give equal bytes, and a diff shows which part changed.

    `Findings.to_dict()` is already JSON-safe (NaN/inf as null, dates as ISO strings), so the
    payload is encoded as it is; `allow_nan=False` would refuse anything that slipped through.
    Message excerpts are dropped unless `ctx.excerpts` (data minimisation, as in the PDF).
    """
    from chat_review.analysis.serialise import to_jsonable

    if not ctx.excerpts and any(f.excerpt for f in findings.flags):
        findings = dataclasses.replace(
            findings, flags=[dataclasses.replace(f, excerpt=None) for f in findings.flags]
        )
    payload = to_jsonable({
        "schema_version": SCHEMA_VERSION,
        "chat_review_version": ctx.tool_version,
        "generated_at": ctx.generated_at,
        "title": ctx.title,
        "pseudonymised": ctx.pseudonymised,
        "excerpts": ctx.excerpts,
        "staff_focus": ctx.staff_focus,
        "consents": ctx.consents,
        "audit_entry": ctx.audit_entry,
    })
    payload["findings"] = findings.to_dict()
    return ("{" + ",\n".join(_lines(payload, "findings")) + "}\n").encode("utf-8")
