"""`chat-review config init` and `chat-review calendar` (being built)."""

from __future__ import annotations

import click

from .common import CONTEXT_SETTINGS


@click.group(context_settings=CONTEXT_SETTINGS)
def config() -> None:
    """Working hours, holidays, staff and review words (being built)."""


@click.command("calendar", context_settings=CONTEXT_SETTINGS)
def calendar_command() -> None:
    """Show working days and hours (being built)."""
    raise click.UsageError("calendar is not available yet")
