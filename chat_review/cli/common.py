"""Shared CLI plumbing: settings object, help text, small helpers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

EXIT_CODES_HELP = """\b
Exit codes:
  0  done
  1  unexpected failure (nothing is lost; please report it)
  2  bad input or usage (the message says what to change)
  3  consent refused (no, unknown, forged, revoked or expired consent,
     not the file the consent was recorded for, or another date order
     than the consent's), or no register or key in the home
  4  the register's audit log or its head does not verify (an entry
     changed, forged or removed, the register rolled back or edited):
     nothing is read or logged until it is restored"""


@dataclass
class Settings:
    home_option: str | None

    @property
    def home(self) -> Path:
        from chat_review.consent.home import resolve_home

        return resolve_home(self.home_option)


def settings() -> Settings:
    return click.get_current_context().find_object(Settings)


def printable(text: object) -> str:
    """`text` safe for a terminal: control characters (escape sequences, carriage returns,
    direction overrides, line breaks) shown as escapes, so a name in a chat or a file name can
    never move the cursor, recolour the screen or hide what is printed beside it."""
    return "".join(
        ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in str(text)
    )


def printable_lines(text: str) -> str:
    """Like `printable`, for text of several lines: the line breaks are kept."""
    return "\n".join(printable(line) for line in text.split("\n"))


def echo_table(headers: list[str], rows: list[list[str]]) -> None:
    """A plain, aligned text table (no dependency, reads well in any terminal)."""
    rows = [[printable(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(str(c))) for w, c in zip(widths, row, strict=True)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in rows:
        click.echo("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


YES_OPTION = click.option(
    "--yes", "assume_yes", is_flag=True, help="Do it without asking (for scripts)."
)


def confirm(question: str, *, assume_yes: bool, command: str) -> bool:
    """Ask before an irreversible step; `--yes` answers for scripts.

    The question goes to standard error so standard output stays data. With no answer to
    read (standard input closed or empty, as in a script or CI), it refuses rather than guess.
    """
    if assume_yes:
        return True
    import sys

    if sys.stdin is not None and sys.stdin.isatty():
        return click.confirm(question, default=False, err=True)
    click.echo(f"{question} [y/N]: ", nl=False, err=True)
    answer = sys.stdin.readline() if sys.stdin is not None else ""
    if not answer:
        click.echo("", err=True)
        raise click.UsageError(
            f"nothing was done: `chat-review {command}` asks before it acts and no answer "
            "could be read; add --yes to go ahead without asking."
        )
    click.echo(answer.strip(), err=True)
    return answer.strip().lower() in ("y", "yes")


JSON_OPTION = click.option(
    "--json", "as_json", is_flag=True, help="Write the result as one JSON document."
)


def echo_json(value: object) -> None:
    """One JSON document on standard output as UTF-8 bytes (RFC 8259), whatever the terminal's
    encoding: JSON is data, like the CSV of `messages`. Keys sorted, for scripts and jq."""
    import json
    import sys

    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
