"""`chat-review register ...`: look after the register file itself."""

from __future__ import annotations

from pathlib import Path

import click

from .common import (
    CONTEXT_SETTINGS,
    JSON_OPTION,
    YES_OPTION,
    confirm,
    echo_json,
    printable,
    settings,
)


@click.group(context_settings=CONTEXT_SETTINGS)
def register() -> None:
    """Look after the consent register itself: backups and recovery (each needs the key and
    is logged)."""


@register.command("backup", context_settings=CONTEXT_SETTINGS)
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace DESTINATION if it exists.")
def backup_command(destination: Path, force: bool) -> None:
    """Copy the register consistently, even while others use it (SQLite backup API).

    The key file is NOT copied: back it up separately and keep it apart from the register
    copy, so a stolen backup alone cannot make tokens.
    """
    from chat_review.consent.backup import backup_register
    from chat_review.output_files import check_destination

    check_destination(destination, force=force, home=settings().home)
    rows = backup_register(settings().home, destination, force=force)
    click.echo(
        f"Register backed up to {destination} ({rows} consents). "
        "Back up the key file register.key separately."
    )


@register.command("restore", context_settings=CONTEXT_SETTINGS)
@click.argument("backup", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--by", metavar="NAME", help="Your name, recorded beside your computer account.")
def restore_command(backup: Path, by: str | None) -> None:
    """Put a backup made by `register backup` back in place (after `audit verify` failed).

    The backup's whole audit log is checked with the key first; the replaced register is kept
    beside it (register.sqlite3.replaced-DATE) as evidence; the restore is logged, with how
    many entries the replaced register's head named. Run it while nobody else uses chat-review.
    """
    from chat_review.consent.recovery import restore

    done = restore(settings().home, backup, stated_by=by)
    kept = f"; the replaced register is kept as {printable(done.kept_as)}" if done.kept_as else ""
    click.echo(f"Restored {printable(backup)}: {done.entries} audit entries and {done.consents} "
               f"consents, every link checked (the replaced register had {done.superseded})"
               f"{kept}.")


@register.command("clock-reset", context_settings=CONTEXT_SETTINGS)
@click.option("--by", metavar="NAME", help="Your name, recorded beside your computer account.")
def clock_reset_command(by: str | None) -> None:
    """Recover from a clock that was once set far ahead.

    If the computer's clock was wrong (ahead) when entries were logged, every reading is
    refused as "the clock is behind the register's last event". Correct the clock first, then
    run this: it logs the correction (and the far-ahead time it overrides); later readings
    compare the clock only with entries from then on.
    """
    from chat_review.consent.date_words import register_time
    from chat_review.consent.recovery import clock_reset
    from chat_review.consent.register import Register

    with Register.open(settings().home, create=False) as reg:
        latest, now = clock_reset(reg, stated_by=by)
    click.echo(f"Logged a clock correction: the register's latest entry "
               f"({register_time(latest)}) was ahead of the clock ({register_time(now)}); "
               "readings compare with entries from now on.")


@click.command("retention", context_settings=CONTEXT_SETTINGS)
@click.option(
    "--days",
    type=click.IntRange(min=0),
    metavar="DAYS",
    help="Keep reports for this many days after they were written "
    "(default: [retention] report_days in the settings, else 365).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Settings file (default: chat-review.toml in the home).",
)
@click.option(
    "--delete", is_flag=True, help="Delete the listed report files (only if unchanged) and log it."
)
@YES_OPTION
@JSON_OPTION
def retention(days: int | None, config_path: Path | None, delete: bool, assume_yes: bool,
              as_json: bool) -> None:
    """List reports older than the retention period, and expired or revoked consents.

    Reports are found in the audit log. With --delete, it shows what would go and asks; each
    report file that is unchanged since it was written (same SHA-256 fingerprint as logged)
    is then deleted, and the deletion is logged. --yes skips the question (for scripts).
    Consent records themselves are kept as evidence of what was authorised.
    """
    from datetime import timedelta

    from chat_review.consent import retention as policy
    from chat_review.consent.register import Register

    if days is None:
        from chat_review.config import load_config

        days = load_config(config_path, settings().home).retention_days

    with Register.open(settings().home, create=False) as reg:
        due = policy.due_reports(reg, timedelta(days=days))
        inactive = policy.inactive_consents(reg)
        now = reg.clock()
        present = [r for r in due if r.state == "present"]
        if not as_json:
            _show_due(days, due, inactive, now)
        deleted = []
        if delete:
            question = (f"Delete the {len(present)} report file(s) listed above? "
                        "This cannot be undone")
            if present and not confirm(question, assume_yes=assume_yes,
                                       command="retention --delete"):
                if not as_json:
                    click.echo("Nothing was deleted.")
            else:
                deleted = policy.delete_reports(reg, due)
                if not as_json:
                    click.echo(f"Deleted {len(deleted)} report files; "
                               "each deletion is in the audit log.")
        elif present and not as_json:
            click.echo("Run again with --delete to remove them.")
    if as_json:
        deleted_paths = {str(d.path) for d in deleted}
        echo_json({
            "days": days,
            "reports": [{"path": str(r.path), "sha256": r.sha256, "written_at": r.written_at,
                         "consent_ids": list(r.consent_ids), "state": r.state,
                         "deleted": str(r.path) in deleted_paths} for r in due],
            "inactive_consents": [{"id": c.id, "parent": c.parent,
                                   "export_name": c.export_name, "status": c.status(now)}
                                  for c in inactive],
        })


def _show_due(days: int, due: list, inactive: list, now) -> None:
    from chat_review.consent.date_words import register_day

    click.echo(f"Reports written more than {days} days ago: {len(due)}")
    notes = {"present": "", "missing": " (already gone)",
             "changed": " (file changed since; left alone)"}
    for report in due:
        click.echo(f"  {register_day(report.written_at)}  {report.path}{notes[report.state]}")
    click.echo(f"Expired or revoked consents: {len(inactive)}")
    for record in inactive:
        click.echo(printable(
            f"  #{record.id}  {record.parent}  {record.export_name}  {record.status(now)}"))
