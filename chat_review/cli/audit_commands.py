"""`chat-review audit ...`: read and check the tamper-evident audit log."""

from __future__ import annotations

import json

import click

from .common import CONTEXT_SETTINGS, echo_table, settings


@click.group(context_settings=CONTEXT_SETTINGS)
def audit() -> None:
    """Read and verify the audit log (every consent, refusal, reading and report)."""


@audit.command("list", context_settings=CONTEXT_SETTINGS)
@click.option("--limit", type=click.IntRange(min=1), help="Only the most recent N entries.")
@click.option("--json", "as_json", is_flag=True, help="Write the entries as JSON lines.")
def list_command(limit: int | None, as_json: bool) -> None:
    """List audit entries, oldest first. Entries never contain message text."""
    from chat_review.consent import audit as audit_log
    from chat_review.consent.register import Register
    from chat_review.describe import audit_details

    with Register.open(settings().home, create=False) as register:
        entries = audit_log.rows(register.conn, limit=limit)
    if as_json:
        for entry in entries:
            click.echo(json.dumps(entry.to_dict(), ensure_ascii=False, sort_keys=True))
        return
    if not entries:
        click.echo("The audit log is empty.")
        return
    echo_table(
        ["#", "When (UTC)", "Event", "Consent", "By", "Details"],
        [
            [
                str(e.id),
                e.at[:19].replace("T", " "),
                e.event,
                "" if e.consent_id is None else f"#{e.consent_id}",
                e.actor or "",
                audit_details(e.detail),
            ]
            for e in entries
        ],
    )


@audit.command("verify", context_settings=CONTEXT_SETTINGS)
def verify_command() -> None:
    """Check that no audit entry was changed or deleted. Exit 0 if intact, 4 if not."""
    from chat_review.consent import audit as audit_log
    from chat_review.consent.register import Register

    with Register.open(settings().home, create=False) as register:
        result = audit_log.verify(register.conn, register.key)
    if result.ok:
        click.echo(f"Audit log intact: {result.rows} entries, every link checked.")
        return
    click.echo(
        f"Audit log BROKEN at entry {result.broken_row}: {result.problem}. "
        "Keep this register as evidence and restore a backup for further work.",
        err=True,
    )
    raise click.exceptions.Exit(4)
