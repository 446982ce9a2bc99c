"""`chat-review consent ...`: record, list, show and revoke parents' consent."""

from __future__ import annotations

from pathlib import Path

import click

from .common import (
    CONTEXT_SETTINGS,
    JSON_OPTION,
    YES_OPTION,
    confirm,
    echo_json,
    echo_table,
    printable,
    settings,
)

DATE_ORDER = click.Choice(["day-first", "month-first", "year-first"])


def _open_register(create: bool = False):
    from chat_review.consent.register import Register

    return Register.open(settings().home, create=create)


def _day(text: str | None, what: str):
    if text is None:
        return None
    from chat_review.consent.dates import parse_day

    return parse_day(text, what=what)


def _describe(record, now, *, err: bool = False) -> None:
    from chat_review.describe import consent_rows

    for label, value in consent_rows(record, now):
        click.echo(f"  {label + ':':<13}{printable(value)}", err=err)
    if getattr(record, "date_order", None):
        rule = printable(record.date_order_rule)
        click.echo(f"  {'Dates read:':<13}{record.date_order} ({rule})", err=err)


@click.group(context_settings=CONTEXT_SETTINGS)
def consent() -> None:
    """Record, list, show and revoke parents' consent to review a chat export."""


@consent.command("grant", context_settings=CONTEXT_SETTINGS)
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--parent", metavar="NAME", required=True, help="The parent giving consent (full name)."
)
@click.option("--purpose", required=True, help="Why the chat is being reviewed, in a sentence.")
@click.option(
    "--recorded-by", metavar="NAME", required=True, help="Who is recording the consent (you)."
)
@click.option(
    "--chat-name", metavar="NAME", help="The parent's name as it appears in the chat, if different."
)
@click.option(
    "--expires",
    metavar="DATE|DAYS",
    help="When consent ends: a date (31/12/2026: to the end of that day, UK time) or days "
    "(30d: from now). Default: 30 days.",
)
@click.option(
    "--from", "window_from", metavar="DATE", help="Only messages from this date (31/12/2026)."
)
@click.option(
    "--to", "window_to", metavar="DATE", help="Only messages up to and including this date."
)
@click.option(
    "--evidence",
    metavar="REF",
    help="Reference to the signed consent form, e.g. 'Form PD-2026-014'.",
)
@click.option(
    "--date-order",
    type=DATE_ORDER,
    help="How the export writes dates. Kept with the consent; with --from/--to it is "
    "detected from the file if not given, and every reading must use it.",
)
def grant_command(
    export: Path,
    parent: str,
    purpose: str,
    recorded_by: str,
    chat_name: str | None,
    expires: str | None,
    window_from: str | None,
    window_to: str | None,
    evidence: str | None,
    date_order: str | None,
) -> None:
    """Record a parent's consent for exactly this export file and print its token.

    The export is identified by its SHA-256: if the file changes later, the consent no longer
    opens it. The token is printed on the last line; keep it with the case file.
    """
    from chat_review.consent import consents
    from chat_review.consent.dates import parse_expiry

    start, end = _day(window_from, "--from date"), _day(window_to, "--to date")
    from chat_review.date_binding import grant_date_order

    date_order, rule = grant_date_order(export, date_order, windowed=bool(start or end))
    register = _open_register(create=True)
    with register:
        expires_at = parse_expiry(expires, register.clock())
        record, token = consents.grant(
            register,
            export,
            parent=parent,
            purpose=purpose,
            recorded_by=recorded_by,
            chat_name=chat_name,
            expires_at=expires_at,
            window_from=start,
            window_to=end,
            evidence=evidence,
            date_order=date_order,
            date_order_rule=rule,
        )
        now = register.clock()
        others = [r for r in register.all() if r.export_sha256 == record.export_sha256
                  and r.id != record.id and r.status(now) == "active"]
        click.echo(f"Consent #{record.id} recorded.")
        _describe(record, now)
    from chat_review.consent.date_words import register_time

    for other in others:
        click.echo(
            f"Note: this export already had active consent #{other.id} ({other.parent}, until "
            f"{register_time(other.expires_at)}); both now open it. If the new consent replaces "
            f"it, revoke the old one: chat-review consent revoke {other.id} --reason ... --by ...",
            err=True,
        )
    click.echo("Keep this consent token with the case file; it is needed to read the chat:")
    click.echo(token)


@consent.command("list", context_settings=CONTEXT_SETTINGS)
@JSON_OPTION
def list_command(as_json: bool) -> None:
    """List every consent in the register with its status (active, expired, revoked)."""
    register = _open_register(create=False)
    with register:
        now = register.clock()
        records = list(register.consents().values())  # from the verified log: else exit 4
    if as_json:
        echo_json([{**r.to_dict(), "status": r.status(now)} for r in records])
        return
    if not records:
        click.echo("No consents recorded yet.")
        return
    from chat_review.consent.date_words import register_day

    # Days only, as the school's calendar has them (`consent show` gives the moments).
    echo_table(
        ["#", "Parent", "Export", "Recorded", "Expires", "Status"],
        [
            [
                str(r.id),
                r.parent,
                r.export_name,
                register_day(r.recorded_at),
                register_day(r.expires_at),
                r.status(now),
            ]
            for r in records
        ],
    )


@consent.command("show", context_settings=CONTEXT_SETTINGS)
@click.argument("ref", metavar="TOKEN|ID")
def show_command(ref: str) -> None:
    """Show one consent in full, and its token while it is active."""
    from chat_review.consent import consents

    register = _open_register()
    with register:
        record = consents.find(register, ref)
        now = register.clock()
        click.echo(f"Consent #{record.id}")
        _describe(record, now)
        if record.status(now) == "active":
            click.echo("Token:")
            click.echo(consents.token_for(register, record))


@consent.command("revoke", context_settings=CONTEXT_SETTINGS)
@click.argument("ref", metavar="TOKEN|ID")
@click.option("--reason", required=True, help="Why consent is withdrawn (kept in the audit log).")
@click.option("--by", "by", metavar="NAME", required=True, help="Who is revoking it (you).")
@YES_OPTION
def revoke_command(ref: str, reason: str, by: str, assume_yes: bool) -> None:
    """Withdraw a consent: its token stops opening the chat at once. The record is kept.

    Shows the consent and asks first; --yes skips the question (for scripts).
    """
    from chat_review.consent import consents

    register = _open_register(create=False)
    with register:
        record = consents.find(register, ref)
        now = register.clock()
        if not record.revoked_at:  # (revoking twice is refused below, with its date)
            click.echo(f"Consent #{record.id}", err=True)
            _describe(record, now, err=True)
            question = (f"Revoke consent #{record.id}? Its token will stop opening "
                        f"{record.export_name} at once; this cannot be undone")
            if not confirm(question, assume_yes=assume_yes, command="consent revoke"):
                click.echo("Nothing was revoked.", err=True)
                return
        record = consents.revoke(register, ref, reason=reason, by=by)
    click.echo(f"Consent #{record.id} revoked; its token no longer opens {record.export_name}.")

