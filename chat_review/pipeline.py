"""The steps of a gated review, each one call from the CLI: open, analyse, log, render, write.

Kept out of the CLI so the command stays a list of steps, and so the benchmark and tests can
drive the same path the headteacher does.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chat_review.consent.grant import VerifiedGrant
from chat_review.reader.chat import Chat


@dataclass
class OpenedChat:
    grant: VerifiedGrant
    chat: Chat
    path: Path


def open_chats(
    home: Path,
    pairs: Sequence[tuple[Path, str | None]],
    *,
    command: str,
    date_order: str | None = None,
    show_progress: bool = False,
) -> list[OpenedChat]:
    """Gate and read each (export, token) pair; the first refusal stops everything."""
    from chat_review.consent.gate import open_export
    from chat_review.reader import read_export

    def one(pair: tuple[Path, str | None]) -> OpenedChat:
        export, token = pair
        grant = open_export(home, token, export, command=command)
        return OpenedChat(grant, read_export(grant, date_order=date_order), export)

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


def log_analysis(home: Path, opened: Sequence[OpenedChat], *, messages: int,
                 options: dict[str, Any]) -> dict[str, Any]:
    """One audit row for the analysis run; its id and hash go into every report."""
    from chat_review.consent.register import Register

    ids = sorted({o.grant.consent_id for o in opened})
    with Register.open(home, create=False) as register:
        row = register.log(
            "analysed",
            consent_id=ids[0] if len(ids) == 1 else None,
            detail={
                "command": "analyse",
                "consent_ids": ids,
                "exports": [{"name": o.grant.export_name, "sha256": o.grant.sha256,
                             "messages": int(len(o.chat.messages))} for o in opened],
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
) -> list[tuple[Path, str]]:
    """Write each (kind, path, bytes or byte chunks) atomically and log it (absolute path,
    SHA-256) at once.

    One register connection for all of them; each file is logged right after it is written,
    so a crash can never leave a written report without its audit row for long.
    """
    from chat_review.consent.register import Register
    from chat_review.output_files import write_atomic

    written = []
    with Register.open(home, create=False) as register:
        for kind, path, data in files:
            digest = write_atomic(path, data, force=force, inputs=inputs)
            register.log(
                "output-written",
                consent_id=consent_ids[0] if len(consent_ids) == 1 else None,
                detail={"command": command, "kind": kind, "path": str(path.resolve()),
                        "sha256": digest, "consent_ids": consent_ids},
            )
            written.append((path, digest))
    return written
