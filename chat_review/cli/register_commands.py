"""`chat-review register ...`: look after the register file itself."""

from __future__ import annotations

from pathlib import Path

import click

from .common import CONTEXT_SETTINGS, settings


@click.group(context_settings=CONTEXT_SETTINGS)
def register() -> None:
    """Look after the consent register itself (backups)."""


@register.command("backup", context_settings=CONTEXT_SETTINGS)
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace DESTINATION if it exists.")
def backup_command(destination: Path, force: bool) -> None:
    """Copy the register consistently, even while others use it (SQLite backup API).

    The key file is NOT copied: back it up separately and keep it apart from the register
    copy, so a stolen backup alone cannot make tokens.
    """
    from consent.backup import backup_register

    rows = backup_register(settings().home, destination, force=force)
    click.echo(f"Register backed up to {destination} ({rows} consents). "
               "Back up the key file register.key separately.")
