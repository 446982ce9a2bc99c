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
     or not the file the consent was recorded for)
  4  `audit verify` found an entry changed or deleted"""


@dataclass
class Settings:
    home_option: str | None

    @property
    def home(self) -> Path:
        from chat_review.consent.home import resolve_home

        return resolve_home(self.home_option)


def settings() -> Settings:
    return click.get_current_context().find_object(Settings)


def echo_table(headers: list[str], rows: list[list[str]]) -> None:
    """A plain, aligned text table (no dependency, reads well in any terminal)."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(str(c))) for w, c in zip(widths, row, strict=True)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in rows:
        click.echo("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
