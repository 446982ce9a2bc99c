"""`chat-review audit ...`: read and check the tamper-evident audit log."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import CONTEXT_SETTINGS, echo_table, printable, settings


def _who(account: str | None, detail: dict) -> str:
    """The OS account, and the name the person gave beside it."""
    stated = detail.get("stated_by")
    if stated and stated != account:
        return f"{account or '?'} ({stated})"
    return account or ""


@click.group(context_settings=CONTEXT_SETTINGS)
def audit() -> None:
    """Read and verify the audit log (every consent, refusal, reading and report)."""


@audit.command("list", context_settings=CONTEXT_SETTINGS)
@click.option("--limit", type=click.IntRange(min=1, max=10**9),
              help="Only the most recent N entries.")
@click.option("--json", "as_json", is_flag=True, help="Write the entries as JSON lines.")
def list_command(limit: int | None, as_json: bool) -> None:
    """List audit entries, oldest first. Entries never contain message text."""
    from chat_review.consent import audit as audit_log
    from chat_review.consent.date_words import uk_clock_seconds
    from chat_review.consent.register import Register
    from chat_review.describe import audit_details

    with Register.open(settings().home, create=False) as register:
        entries = audit_log.rows(register.conn, limit=limit)
    if as_json:  # UTF-8 bytes whatever the terminal's encoding: JSON Lines are data
        lines = [json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) for e in entries]
        sys.stdout.buffer.write("".join(line + "\n" for line in lines).encode("utf-8"))
        sys.stdout.flush()
        return
    if not entries:
        click.echo("The audit log is empty.")
        return
    echo_table(
        ["#", "When (UK time)", "Event", "Consent", "By", "Details"],
        [
            [
                str(e.id),
                uk_clock_seconds(e.at),
                e.event,
                "" if e.consent_id is None else f"#{e.consent_id}",
                _who(e.actor, e.detail),
                audit_details(e.detail),
            ]
            for e in entries
        ],
    )


@audit.command("verify", context_settings=CONTEXT_SETTINGS)
@click.option("--report", "reports", multiple=True, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Also check that FILE (a PDF, PNG, JSON or CSV chat-review wrote) is the "
              "file the log recorded; repeat for several.")
def verify_command(reports: tuple[Path, ...]) -> None:
    """Check that no audit entry was changed, forged or removed. Exit 0 if intact, 4 if not.

    Every entry carries a MAC made with the register key over its content and the entry
    before it, and the log's head is kept outside the database as well, so a rolled-back or
    wiped register is found too. With --report, a report given to someone is checked against
    the log: its SHA-256 must be the one logged when it was written.
    """
    from chat_review.consent.date_words import register_time
    from chat_review.consent.register import Register
    from chat_review.consent.reports import find_report

    with Register.open(settings().home, create=False) as register:
        result = register.verify()
        if result.ok:
            found = [(path, find_report(register, path)) for path in reports]
    if not result.ok:
        where = f" at entry {result.broken_row}" if result.broken_row else ""
        click.echo(
            f"Audit log BROKEN{where}: {printable(result.problem)}. Keep this register as "
            "evidence and restore a backup for further work (see SECURITY.md, 'Recovery').",
            err=True,
        )
        raise click.exceptions.Exit(4)
    click.echo(f"Audit log intact: {result.rows} entries, every link checked.")
    missing = False
    for path, entry in found:
        if entry is None:
            missing = True
            click.echo(
                f"{printable(path)} is NOT in the audit log: no file with its SHA-256 was written "
                "by this register (it was changed after it was written, comes from another "
                "register, or the register was rolled back).", err=True)
        else:
            ids = ", ".join(f"#{c}" for c in entry.detail.get("consent_ids") or [])
            click.echo(
                f"{printable(path)} matches audit entry {entry.id}: {entry.detail.get('kind')} "
                f"written {register_time(entry.at)} by "
                f"{printable(_who(entry.actor, entry.detail))}, consent {ids} "
                f"(SHA-256 {entry.detail.get('sha256', '')[:12]}).")
    if missing:
        raise click.exceptions.Exit(4)
