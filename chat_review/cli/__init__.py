"""The command line: options in, one call per step, errors out as one sentence.

Exit codes: 0 done; 1 unexpected failure; 2 bad input or usage; 3 consent refused, or no
register or key in the home; 4 the register's audit log or head does not verify.
Heavy libraries (pandas, numpy, Typst) are imported only by the commands that need them.
"""

from __future__ import annotations

import os
import sys
import warnings

import click

from chat_review import __version__

from .common import CONTEXT_SETTINGS, EXIT_CODES_HELP, Settings, printable

HELP = f"""Review a WhatsApp chat export under a parent's recorded consent.

\b
The school's code of conduct lets the headteacher view parents' messages
only with the parent's permission. chat-review will not open a chat until
that consent is recorded here for that exact file, and it keeps a
tamper-evident log of every consent, refusal, reading and report.

\b
Typical use:
  1. chat-review consent grant EXPORT --parent ... --purpose ... --recorded-by ...
     (prints a consent token on its last line)
  2. chat-review analyse EXPORT --token TOKEN --pdf report.pdf
  3. chat-review audit verify
Or do all of it in the browser: chat-review ui

{EXIT_CODES_HELP}
"""


@click.group(help=HELP, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=str),
    envvar=None,
    help="Folder holding the consent register (default: $CHAT_REVIEW_HOME, "
    "else your user data folder, e.g. ~/.local/share/chat-review).",
)
@click.version_option(__version__, prog_name="chat-review")
@click.pass_context
def cli(ctx: click.Context, home: str | None) -> None:
    ctx.obj = Settings(home_option=home)


def _register_commands() -> None:
    from .audit_commands import audit
    from .config_commands import calendar_command, config
    from .consent_commands import consent
    from .read_commands import analyse, messages
    from .register_commands import register, retention
    from .schema_command import schema_command
    from .ui_command import ui

    for command in (
        consent,
        messages,
        analyse,
        audit,
        config,
        calendar_command,
        register,
        retention,
        schema_command,
        ui,
    ):
        cli.add_command(command)


_register_commands()


def one_line(message: str) -> str:
    """Escape control characters (a file name may hold any), so an error stays one line."""
    return printable(message)


def _safe_stdio() -> None:
    """Never fail on a character the terminal cannot show (cp1252 and an emoji sender).

    Text that the stream's encoding cannot hold is written as a backslash escape
    (\\U0001f600), so two different names stay different; UTF-8 streams are unchanged.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings from the consent package (old home, network share...) as one 'Warning:' line."""
    from chat_review.consent.errors import StorageWarning

    if issubclass(category, StorageWarning):
        click.echo(f"Warning: {one_line(str(message))}", err=True)
    else:
        _default_showwarning(message, category, filename, lineno, file, line)


_default_showwarning = warnings.showwarning


def _usage_error(exc: click.UsageError) -> None:
    """Click's three-line usage error as the README promises: one sentence, then a pointer."""
    message = one_line(exc.format_message()).strip()
    if message and not message.endswith((".", "?", "!", "?)")):
        message += "."
    click.echo(f"Error: {message[:1].upper()}{message[1:]}", err=True)
    path = exc.ctx.command_path if exc.ctx is not None else "chat-review"
    click.echo(f"Run '{path} --help' for usage.", err=True)


#: chat-review multiplies no matrices, yet numpy's BLAS starts a thread per core when it is
#: imported, and those threads spin: 0.2 s of CPU in a million-message `analyse` (user time
#: 1.91 -> 1.68 s with one thread), taken from the run itself on a busy machine. Set before
#: numpy is imported; a value the user set is kept.
BLAS_THREADS = {"OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def main() -> None:
    """Console-script entry point: `command_line`, then leave the process at once (see
    `process_exit`: the interpreter's teardown cost 0.1-0.18 s after every command)."""
    from .process_exit import exit_status, leave

    for name, value in BLAS_THREADS.items():
        os.environ.setdefault(name, value)

    try:
        command_line()
    except SystemExit as exc:
        leave(exit_status(exc.code))


def command_line() -> None:
    """Run the command in ``sys.argv``: map known errors to one sentence and an exit code,
    always ending with `SystemExit` (embedding and tests call this one)."""
    from chat_review.consent.errors import ConsentError
    from chat_review.errors import ChatReviewError

    _safe_stdio()
    warnings.showwarning = _show_warning
    try:
        code = cli.main(standalone_mode=False, prog_name="chat-review")
        if isinstance(code, int) and code:  # click returns Exit codes in this mode
            sys.exit(code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Stopped.", err=True)
        sys.exit(1)
    except click.UsageError as exc:
        _usage_error(exc)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"Error: {one_line(exc.format_message())}", err=True)
        sys.exit(2 if exc.exit_code == 2 else exc.exit_code)
    except (ConsentError, ChatReviewError) as exc:
        click.echo(f"Error: {one_line(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Stopped; nothing was written.", err=True)
        sys.exit(1)
    except Exception as exc:  # the last line of defence: one sentence, no traceback
        if os.environ.get("CHAT_REVIEW_DEBUG"):
            raise
        click.echo(
            f"Error: chat-review failed unexpectedly ({type(exc).__name__}: {exc}); "
            "nothing was lost — run again with CHAT_REVIEW_DEBUG=1 for details and report it.",
            err=True,
        )
        sys.exit(1)
    sys.exit(0)
