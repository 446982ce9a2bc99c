"""`chat-review schema NAME`: print the JSON Schema of a JSON output, for other tools."""

from __future__ import annotations

import click

from .common import CONTEXT_SETTINGS


@click.command("schema", context_settings=CONTEXT_SETTINGS)
@click.argument("name", type=click.Choice(["report", "messages"]))
def schema_command(name: str) -> None:
    """Print the JSON Schema (draft 2020-12) of `analyse --json` (report) or of
    `messages --format json` (messages)."""
    import sys

    from chat_review.schemas import schema_text

    sys.stdout.buffer.write(schema_text(name).encode("utf-8"))
    sys.stdout.flush()
