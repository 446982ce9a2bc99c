"""Where a consent token comes from: the command line, a file, or standard input.

A token typed on the command line lands in the shell's history and in `ps` for other users
to see; `--token-file FILE` and `--token -` keep it off the command line.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import click

from chat_review.errors import ChatReviewError

STDIN = "-"


class TokenSource:
    """Reads tokens for one command; standard input can be read only once."""

    def __init__(self) -> None:
        self._stdin_used = False

    def resolve(self, value: str | None, token_file: Path | None = None) -> str | None:
        """The token from `--token VALUE` / `--token-file FILE` (at most one of the two)."""
        if value is not None and token_file is not None:
            raise click.UsageError("give --token or --token-file, not both.")
        if token_file is not None:
            return read_token_file(token_file)
        if value == STDIN:
            return self._from_stdin()
        return value

    def resolve_pair(self, value: str) -> str:
        """A `--chat EXPORT TOKEN` pair's TOKEN: the token, `-` (standard input) or `@FILE`."""
        if value == STDIN:
            return self._from_stdin()
        if value.startswith("@"):
            return read_token_file(Path(value[1:]))
        return value

    def _from_stdin(self) -> str:
        if self._stdin_used:
            raise click.UsageError("only one token can be read from standard input ('-'); "
                                   "give the others with @FILE.")
        self._stdin_used = True
        if sys.stdin is not None and sys.stdin.isatty():
            token = click.prompt("Consent token", hide_input=True, err=True)
        else:
            token = sys.stdin.readline() if sys.stdin is not None else ""
        token = token.strip()
        if not token:
            raise ChatReviewError(
                "No consent token was read from standard input ('--token -'); pipe the token "
                "in, or use --token-file FILE."
            )
        return token


def read_token_file(path: Path) -> str:
    """The one token in `path`, warning when other users could read the file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ChatReviewError(f"The token file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not a text file"
        raise ChatReviewError(f"Cannot read the token file {path} ({reason}).") from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise ChatReviewError(f"The token file {path} is empty; put the consent token in it.")
    if len(lines) > 1:
        raise ChatReviewError(
            f"The token file {path} has {len(lines)} lines; put only the one consent token in it."
        )
    if os.name == "posix" and stat.S_IMODE(mode) & 0o044:
        click.echo(
            f"Warning: the token file {path} can be read by other users of this computer; "
            f"make it private with `chmod 600 {path}`.",
            err=True,
        )
    return lines[0]
