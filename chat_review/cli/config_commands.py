"""`chat-review config ...` and `chat-review calendar`: what "working hours" means here."""

from __future__ import annotations

from pathlib import Path

import click

from .common import CONTEXT_SETTINGS, JSON_OPTION, echo_json, echo_table, settings

CONFIG_OPTION = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Settings file (default: chat-review.toml in the home, else built-in defaults).",
)


def load(config_path: Path | None):
    from chat_review.config import load_config

    return load_config(config_path, settings().home)


@click.group(context_settings=CONTEXT_SETTINGS)
def config() -> None:
    """Settings: working hours, holidays, staff roster, bursts and review words."""


@config.command("init", context_settings=CONTEXT_SETTINGS)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the template (default: chat-review.toml in the home).",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def init_command(output: Path | None, force: bool) -> None:
    """Write a commented settings template to edit (defaults suit an English primary school)."""
    from chat_review.config import CONFIG_NAME, config_template
    from chat_review.consent.home import ensure_home
    from chat_review.output_files import write_atomic

    if output is None:
        output = ensure_home(settings().home) / CONFIG_NAME
    write_atomic(output, config_template().encode("utf-8"), force=force, home=settings().home)
    click.echo(f"Wrote {output}. Edit it, then check it with `chat-review calendar`.")


@config.command("check", context_settings=CONTEXT_SETTINGS)
@CONFIG_OPTION
def check_command(config_path: Path | None) -> None:
    """Check a settings file and summarise what it defines."""
    cfg = load(config_path)
    from chat_review.describe import settings_rows

    click.echo(f"Settings from {cfg.source}: OK")
    rows = settings_rows(cfg)
    for label, value in rows[:7]:  # the weekdays, as a table
        click.echo(f"  {label:<10} {value}")
    for label, value in rows[7:]:
        click.echo(f"  {label}: {value}")


@click.command("calendar", context_settings=CONTEXT_SETTINGS)
@click.option(
    "--from", "start", required=True, metavar="DATE", help="First day to show (31/12/2026)."
)
@click.option("--to", "end", required=True, metavar="DATE", help="Last day to show.")
@CONFIG_OPTION
@JSON_OPTION
def calendar_command(start: str, end: str, config_path: Path | None, as_json: bool) -> None:
    """Show each day's working hours, so the definition can be checked before relying on it."""
    from chat_review.consent.dates import parse_day

    first, last = parse_day(start, what="--from date"), parse_day(end, what="--to date")
    if last < first:
        raise click.BadParameter("--to is before --from; swap them.")
    if (last - first).days > 800:
        raise click.BadParameter("show at most about two years at a time.")
    cfg = load(config_path)
    rows = cfg.calendar.days(first, last)
    if as_json:
        echo_json({"settings": str(cfg.source), "days": rows})
        return
    echo_table(
        ["Date", "Day", "Type", "Working hours", "Holiday"],
        [[r["date"], r["weekday"], r["type"], r["hours"] or "-", r["holiday"]] for r in rows],
    )
    working = sum(1 for r in rows if r["hours"])
    click.echo(f"{working} working days of {len(rows)}; settings from {cfg.source}.")
