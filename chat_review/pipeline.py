"""The steps of a gated review, each one call from a front end: open, analyse, log, render, write.

Kept out of the CLI and the web app so both doors are a list of the same steps (there is no
second path to the reader), and so the benchmark and tests can drive the path the headteacher
does.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chat_review.consent.grant import VerifiedGrant
from chat_review.consent.upload import ExportUpload
from chat_review.reader.chat import Chat


@dataclass
class OpenedChat:
    grant: VerifiedGrant
    chat: Chat
    path: Path | ExportUpload


def open_chats(
    home: Path,
    pairs: Sequence[tuple[Path | ExportUpload, str | None]],
    *,
    command: str,
    date_order: str | None = None,
    show_progress: bool = False,
    stated_by: str | None = None,
) -> list[OpenedChat]:
    """Gate and read each (export, token) pair; the first refusal stops everything.

    The gate decides the date order (a consent with a window binds it) and the reader uses it.
    """
    from chat_review.consent.gate import open_export
    from chat_review.reader import read_export

    def one(pair: tuple[Path | ExportUpload, str | None]) -> OpenedChat:
        export, token = pair
        grant = open_export(home, token, export, command=command, date_order=date_order,
                            stated_by=stated_by)
        return OpenedChat(grant, read_export(grant, date_order=grant.date_order), export)

    if not show_progress:
        return [one(pair) for pair in pairs]
    import click

    with click.progressbar(pairs, label="Reading chats", file=sys.stderr) as bar:
        return [one(pair) for pair in bar]


def consent_dicts(opened: Sequence[OpenedChat]) -> list[dict[str, Any]]:
    """The consent records behind a report, as the report's provenance section shows them."""
    keys = ("id", "parent", "chat_name", "purpose", "recorded_by", "recorded_at", "expires_at",
            "window_from", "window_to", "evidence", "export_name", "export_sha256")
    seen: dict[int, dict[str, Any]] = {}
    for item in opened:
        record = item.grant.record
        seen.setdefault(record.id, {k: getattr(record, k) for k in keys})
    return list(seen.values())


@dataclass
class Review:
    """What one analysis run produced: the findings and the context every report shows."""

    findings: Any
    ctx: Any


def analyse_opened(
    home: Path,
    opened: Sequence[OpenedChat],
    config: Any,
    *,
    excerpts: bool = False,
    pseudonymise: bool = False,
    staff_name: str | None = None,
    chat_types: dict[int, str] | None = None,
    log_options: dict[str, Any] | None = None,
    stated_by: str | None = None,
) -> Review:
    """Analyse gated chats with the school's settings, pseudonymise if asked, and log the run.

    `staff_name` must already be a roster name. The audit entry of the run goes into the
    report context, so every report written from it names its entry.
    """
    from chat_review.analysis import analyse as analyse_chats
    from chat_review.reports.context import ReportContext

    findings = analyse_chats([o.chat for o in opened], config, excerpts=excerpts,
                             chat_types=chat_types, staff=staff_name)
    consents = consent_dicts(opened)
    if staff_name is not None:  # the staff view: only the consents behind what it shows
        shown = {s.consent_id for s in findings.sources}
        consents = [k for k in consents if k.get("id") in shown]
    ctx = ReportContext(consents=consents, excerpts=excerpts, staff_focus=staff_name)
    if pseudonymise:
        from chat_review.pseudonymise import pseudonymise_report

        findings, ctx = pseudonymise_report(findings, ctx, config.staff, config.hide_names)
    ctx.audit_entry = log_analysis(
        home, opened, messages=findings.total_messages,
        options={"excerpts": excerpts, "pseudonymised": pseudonymise,
                 "staff_view": staff_name is not None, "config": config.source,
                 **(log_options or {})},
        stated_by=stated_by,
    )
    return Review(findings, ctx)


def render(review: Review, kinds: Sequence[str]) -> dict[str, bytes]:
    """The requested outputs of a run as {kind: bytes} (see `reports.render_outputs`)."""
    from chat_review.reports import render_outputs

    return render_outputs(review.findings, review.ctx, list(kinds))


def read_with(opened: OpenedChat) -> dict[str, str]:
    """The date order a chat was read with and the rule that decided it, for audit entries."""
    return {"date_order": opened.chat.meta.date_order,
            "date_order_rule": opened.chat.meta.date_order_rule}


def log_analysis(home: Path, opened: Sequence[OpenedChat], *, messages: int,
                 options: dict[str, Any], stated_by: str | None = None) -> dict[str, Any]:
    """One audit row for the analysis run; its id and hash go into every report."""
    from chat_review.consent.register import Register

    ids = sorted({o.grant.consent_id for o in opened})
    with Register.open(home, create=False) as register:
        row = register.log(
            "analysed",
            consent_id=ids[0] if len(ids) == 1 else None,
            stated_by=stated_by,
            detail={
                "command": "analyse",
                "consent_ids": ids,
                "exports": [{"name": o.grant.export_name, "sha256": o.grant.sha256,
                             "messages": len(o.chat),
                             **read_with(o)} for o in opened],
                "messages": messages,
                **options,
            },
        )
    return {"id": row.id, "hash": row.hash, "at": row.at}


def write_outputs(
    home: Path,
    consent_ids: list[int],
    files: Sequence[tuple[str, Path, bytes | Iterable[bytes]]],
    *,
    command: str,
    force: bool,
    inputs: Sequence[Path],
    stated_by: str | None = None,
    extra: dict[str, Any] | None = None,
) -> list[tuple[Path, str]]:
    """Write each (kind, path, bytes or byte chunks) atomically, logging it (absolute path,
    SHA-256) before it gets its final name: a crash can never leave a complete output there
    without its entry.

    `extra` goes into each entry (e.g. the date order the chat was read with).
    """
    from chat_review.consent.register import Register
    from chat_review.output_files import write_atomic

    written = []
    with Register.open(home, create=False) as register:
        for kind, path, data in files:
            detail = {"command": command, "kind": kind, "path": str(path.resolve()),
                      "consent_ids": consent_ids, **(extra or {})}

            def log_before_rename(digest: str, detail: dict = detail) -> None:
                register.log("output-written",
                             consent_id=consent_ids[0] if len(consent_ids) == 1 else None,
                             stated_by=stated_by, detail={**detail, "sha256": digest})

            digest = write_atomic(path, data, force=force, inputs=inputs, home=home,
                                  before_rename=log_before_rename)
            written.append((path, digest))
    return written
