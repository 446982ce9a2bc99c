"""The gated commands: `messages` (the table) and `analyse` (findings and reports)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import CONTEXT_SETTINGS, settings

DATE_ORDER = click.Choice(["day-first", "month-first", "year-first"])
EXPORT = click.Path(exists=True, dir_okay=False, path_type=Path)


def read_gated(export: Path, token: str | None, *, command: str, date_order: str | None):
    """Gate then read: the only path from a file on disk to a message table."""
    from chat_review.reader import read_export
    from consent.gate import open_export

    grant = open_export(settings().home, token, export, command=command)
    return grant, read_export(grant, date_order=date_order)


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("export", type=EXPORT)
@click.option("--token", help="The consent token printed by `consent grant`.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help="Output format.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of the screen.")
@click.option("--force", is_flag=True, help="Replace --output if it exists.")
@click.option("--date-order", type=DATE_ORDER,
              help="Override the date order detected from the file.")
def messages(export: Path, token: str | None, fmt: str, output: Path | None, force: bool,
             date_order: str | None) -> None:
    """Print the consented chat as a table, one row per message.

    Columns: timestamp (ISO 8601, the phone's local time), sender, kind (text, media,
    deleted, system), text, edited, attachment, line (where the message starts in the export).
    """
    from chat_review.output_files import check_destination, write_atomic
    from chat_review.table_export import messages_to_csv, messages_to_json

    if output is not None:
        check_destination(output, force=force, inputs=[export])
    grant, chat = read_gated(export, token, command="messages", date_order=date_order)
    data = messages_to_csv(chat) if fmt == "csv" else messages_to_json(chat)
    for warning in chat.meta.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    digest = write_atomic(output, data, force=force, inputs=[export])
    _log_output(grant.consent_id, output, digest, kind=fmt, command="messages")
    click.echo(f"Wrote {len(chat.messages)} messages to {output}.", err=True)


def _log_output(consent_ids, path: Path, digest: str, *, kind: str, command: str) -> None:
    from consent.register import Register

    ids = consent_ids if isinstance(consent_ids, list) else [consent_ids]
    with Register.open(settings().home, create=False) as register:
        register.log(
            "output-written",
            consent_id=ids[0] if len(ids) == 1 else None,
            detail={"command": command, "kind": kind, "path": str(path.resolve()),
                    "sha256": digest, "consent_ids": ids},
        )


@click.command(context_settings=CONTEXT_SETTINGS)
def analyse() -> None:
    """Analyse consented chats (being built)."""
    raise click.UsageError("analyse is not available yet")
