"""The gated commands: `messages` (the table) and `analyse` (findings and reports)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .common import CONTEXT_SETTINGS, printable, printable_lines, settings
from .tokens import TokenSource

if TYPE_CHECKING:
    from chat_review.collector import CollectorPause

DATE_ORDER = click.Choice(["day-first", "month-first", "year-first"])
EXPORT = click.Path(exists=True, dir_okay=False, path_type=Path)
OUTPUT = click.Path(dir_okay=False, path_type=Path)
PROGRESS_BYTES = 8 * 1024 * 1024  # show a progress bar only for work that takes a while
BY_OPTION = click.option(
    "--by", "by", metavar="NAME",
    help="Your name, recorded in the audit log beside your computer account.",
)
TOKEN_FILE = click.option(
    "--token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read the consent token from this file (keeps it out of shell history and `ps`).",
)


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("export", type=EXPORT)
@click.option(
    "--token", metavar="TOKEN", help="The consent token printed by `consent grant`; '-' reads it "
    "from standard input."
)
@TOKEN_FILE
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "xlsx"]),
    default="csv",
    show_default=True,
    help="Output format: CSV (safe to open in Excel), JSON, or an Excel workbook.",
)
@click.option("--output", type=OUTPUT, help="Write to this file instead of the screen.")
@click.option("--force", is_flag=True, help="Replace --output if it exists.")
@click.option(
    "--date-order", type=DATE_ORDER,
    help="Read the dates in this order (refused if the consent has a date window and was "
    "recorded with another order).",
)
@BY_OPTION
def messages(
    export: Path,
    token: str | None,
    token_file: Path | None,
    fmt: str,
    output: Path | None,
    force: bool,
    date_order: str | None,
    by: str | None,
) -> None:
    """Print the consented chat as a table, one row per message.

    Columns: timestamp (ISO 8601, the phone's local time), sender, kind (text, media,
    deleted, system), text, edited, attachment, line (where the message starts in the export).
    Messages outside the consent's date window are left out. In CSV, a cell that begins with
    = + - @, a tab or a carriage return gets a leading apostrophe so a spreadsheet never runs
    it; JSON and XLSX keep every text exactly as exported.
    """
    from chat_review.collector import CollectorPause

    # the collector rests while the modules are imported and the chat read (see collector)
    pause = click.get_current_context().with_resource(CollectorPause())
    from chat_review.c_heap import keep_freed_memory, release_freed_memory
    from chat_review.output_files import check_destination
    from chat_review.pipeline import open_chats, read_with, write_outputs

    home = settings().home
    token = TokenSource().resolve(token, token_file)
    if output is not None:
        check_destination(output, force=force, inputs=[export], home=home)
    elif fmt == "xlsx" and sys.stdout.isatty():
        raise click.UsageError("an Excel workbook cannot be shown on the screen; add --output "
                               "FILE.xlsx.")
    keep_freed_memory()
    [opened] = open_chats(home, [(export, token)], command="messages", date_order=date_order,
                          stated_by=by)
    pause.settled()
    release_freed_memory()  # what the reader freed goes back before the table is made
    chat, consent_id, read = opened.chat, opened.grant.consent_id, read_with(opened)
    del opened  # (the grant; the texts are decoded from the export's bytes a chunk at a time)
    chunks = _table_chunks(chat, fmt, output)
    for warning in chat.meta.warnings:
        click.echo(f"Warning: {printable(warning)}", err=True)
    if output is None:
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.flush()
        return
    write_outputs(home, [consent_id], [(fmt, output, chunks)], command="messages",
                  force=force, inputs=[export], stated_by=by, extra=read)
    click.echo(f"Wrote {len(chat)} messages to {output}.", err=True)


def _table_chunks(chat: Any, fmt: str, output: Path | None) -> Any:
    """The table's bytes as a generator of chunks, written (and hashed) as they come."""
    from chat_review import table_export

    if fmt == "csv":
        return table_export.messages_csv_chunks(chat)
    if fmt == "json":
        return table_export.messages_json_chunks(chat)
    table_export.check_xlsx(chat)
    cut = table_export.long_texts(chat)
    if cut:
        click.echo(f"Warning: {cut} message(s) are longer than the {table_export.XLSX_MAX_CELL:,}"
                   " characters an Excel cell holds and are cut short in the workbook; the CSV "
                   "and JSON formats keep them whole.", err=True)
    folder = None if output is None else (output.parent if str(output.parent) else Path("."))
    return table_export.messages_xlsx_chunks(chat, folder)


def _pairs(
    export: Path | None, token: str | None, token_file: Path | None,
    chats: tuple[tuple[Path, str], ...],
) -> list[tuple[Path, str | None]]:
    """Each chat with its token, checked before any token is read from a file or stdin."""
    if export is None and (token is not None or token_file is not None):
        raise click.UsageError(
            "--token goes with an EXPORT; for several chats use --chat EXPORT TOKEN once per chat."
        )
    paths = ([export] if export is not None else []) + [path for path, _ in chats]
    if not paths:
        raise click.UsageError("give an EXPORT with --token, or --chat EXPORT TOKEN.")
    seen: set[Path] = set()
    for path in paths:
        if path.resolve() in seen:
            raise click.UsageError(f"{path} is given twice; give each chat once.")
        seen.add(path.resolve())
    source = TokenSource()
    pairs: list[tuple[Path, str | None]] = []
    if export is not None:
        pairs.append((export, source.resolve(token, token_file)))
    pairs.extend((path, source.resolve_pair(value)) for path, value in chats)
    return pairs


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("export", type=EXPORT, required=False)
@click.option(
    "--token", metavar="TOKEN",
    help="The consent token for EXPORT; '-' reads it from standard input.",
)
@TOKEN_FILE
@click.option(
    "--chat",
    "chats",
    type=(EXPORT, str),
    multiple=True,
    metavar="EXPORT TOKEN",
    help="A chat and its own consent token; repeat for several chats. TOKEN may be '-' "
    "(standard input) or @FILE (read from a file).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Settings file (default: chat-review.toml in the home, else built-in "
    "defaults: Mon-Fri 08:00-17:00, England's bank holidays).",
)
@click.option("--json", "json_path", type=OUTPUT, help="Write the findings as JSON.")
@click.option("--png", "png_path", type=OUTPUT, help="Write the one-page summary as PNG.")
@click.option("--pdf", "pdf_path", type=OUTPUT, help="Write the full report as PDF.")
@click.option("--csv-details", "csv_path", type=OUTPUT,
              help="Write every burst and flagged message as CSV (the PDF summarises them).")
@click.option("--force", is_flag=True, help="Replace report files that already exist.")
@click.option(
    "--staff",
    "staff_name",
    metavar="NAME",
    help="Report on contact with this member of staff (a name in the roster).",
)
@click.option(
    "--excerpts",
    is_flag=True,
    help="Include short message excerpts for flagged messages (off by default).",
)
@click.option(
    "--pseudonymise",
    is_flag=True,
    help="Replace every name with a label (Parent A, Staff 1...) in every output.",
)
@click.option(
    "--date-order", type=DATE_ORDER,
    help="Read the dates in this order (refused for a consent with a date window that was "
    "recorded with another order).",
)
@click.option(
    "--chat-type",
    "chat_types",
    multiple=True,
    metavar="CHAT=TYPE",
    help="Say whether a chat is one-to-one or a group when the export does not show it: "
    "CHAT is its number (1, 2, ... in the order given) or file name, TYPE one-to-one or "
    "group; e.g. --chat-type 1=group. Recorded in every output.",
)
@click.option("--quiet", is_flag=True, help="Do not print the summary.")
@BY_OPTION
def analyse(
    export: Path | None,
    token: str | None,
    token_file: Path | None,
    chats: tuple[tuple[Path, str], ...],
    config_path: Path | None,
    json_path: Path | None,
    png_path: Path | None,
    pdf_path: Path | None,
    csv_path: Path | None,
    force: bool,
    staff_name: str | None,
    excerpts: bool,
    pseudonymise: bool,
    date_order: str | None,
    chat_types: tuple[str, ...],
    quiet: bool,
    by: str | None,
) -> None:
    """Analyse consented chats: frequency, out-of-hours contact, bursts, messages to review.

    \b
    One chat:      chat-review analyse EXPORT --token TOKEN --pdf report.pdf
    Several chats: chat-review analyse --chat a.zip TOKEN_A --chat b.txt TOKEN_B
    Each chat is opened only with its own consent token; the first refusal stops the run.
    Prints a summary; writes JSON, PNG, PDF and the details CSV on request. Every run and
    every file written is recorded in the audit log with the file's SHA-256.
    """
    from chat_review.collector import CollectorPause

    # the collector rests while the modules are imported and the chats read (see collector)
    pause = click.get_current_context().with_resource(CollectorPause())
    from chat_review.config import load_config
    from chat_review.output_files import check_destination

    home = settings().home
    pairs = _pairs(export, token, token_file, chats)
    outputs = [
        (kind, path)
        for kind, path in (("json", json_path), ("png", png_path), ("pdf", pdf_path),
                           ("csv", csv_path))
        if path is not None
    ]
    if len({p.resolve() for _, p in outputs}) != len(outputs):
        raise click.UsageError("--json, --png, --pdf and --csv-details must be different files.")
    inputs = [path for path, _ in pairs]
    for _, path in outputs:
        check_destination(path, force=force, inputs=inputs, home=home)
    types = _chat_types(chat_types, inputs)
    config = load_config(config_path, home)
    if staff_name is not None:
        staff_name = _roster_name(config, staff_name)

    run = AnalyseRun(
        home, pairs, outputs, config, force, staff_name, excerpts, pseudonymise, date_order, quiet,
        types, by,
    )
    _analyse_and_write(run, pause)


@dataclass
class AnalyseRun:
    """Everything `analyse` was asked to do, checked before any chat is opened."""

    home: Path
    pairs: list[tuple[Path, str | None]]
    outputs: list[tuple[str, Path]]
    config: Any
    force: bool
    staff_name: str | None
    excerpts: bool
    pseudonymise: bool
    date_order: str | None
    quiet: bool
    chat_types: dict[int, str]
    by: str | None = None

    @property
    def inputs(self) -> list[Path]:
        return [path for path, _ in self.pairs]


def _analyse_and_write(run: AnalyseRun, pause: CollectorPause) -> None:
    """Gate, read, analyse, log, then render and write each output (see `analyse`);
    ``pause`` is settled once the chats are read."""
    from chat_review.c_heap import keep_freed_memory
    from chat_review.pipeline import analyse_opened, open_chats, render, write_outputs

    keep_freed_memory()  # one run in this process: reuse freed memory (see c_heap)
    big = len(run.pairs) > 3 or sum(p.stat().st_size for p in run.inputs) > PROGRESS_BYTES
    opened = open_chats(run.home, run.pairs, command="analyse", date_order=run.date_order,
                        show_progress=big and sys.stdout.isatty(), stated_by=run.by)
    pause.settled()
    review = analyse_opened(run.home, opened, run.config, excerpts=run.excerpts,
                            pseudonymise=run.pseudonymise, staff_name=run.staff_name,
                            chat_types=run.chat_types)
    if not run.quiet:
        click.echo(printable_lines(_summary(review.findings, review.ctx)), nl=False)
    rendered = render(review, [kind for kind, _ in run.outputs])
    written = write_outputs(
        run.home, sorted({o.grant.consent_id for o in opened}),
        [(kind, path, rendered[kind]) for kind, path in run.outputs],
        command="analyse", force=run.force, inputs=run.inputs, stated_by=run.by,
        extra={"analysis_entry": review.ctx.audit_entry["id"]},
    )
    for path, digest in written:
        click.echo(f"Wrote {path} (SHA-256 {digest[:12]}).", err=run.quiet)


CHAT_TYPE_WORDS = {"one-to-one": "one-to-one", "1:1": "one-to-one", "direct": "one-to-one",
                   "group": "group"}


def _chat_types(values: tuple[str, ...], inputs: list[Path]) -> dict[int, str]:
    """--chat-type CHAT=TYPE values as {export index from 0: "one-to-one" | "group"}."""
    out: dict[int, str] = {}
    for value in values:
        chat, sep, kind = value.rpartition("=")
        kind = CHAT_TYPE_WORDS.get(kind.strip().lower(), "")
        if not sep or not kind:
            raise click.BadParameter(
                f"'{value}' is not CHAT=TYPE; write e.g. 1=group or 2=one-to-one.",
                param_hint="--chat-type")
        chat = chat.strip()
        if chat.isdigit() and 1 <= int(chat) <= len(inputs):
            index = int(chat) - 1
        else:
            named = [i for i, p in enumerate(inputs) if chat in (p.name, str(p))]
            if len(named) != 1:
                raise click.BadParameter(
                    f"'{chat}' is not one of the chats given (use 1 to {len(inputs)} in the "
                    "order given, or a file name).", param_hint="--chat-type")
            index = named[0]
        if out.get(index, kind) != kind:
            raise click.BadParameter(f"chat {index + 1} is given two different types.",
                                     param_hint="--chat-type")
        out[index] = kind
    return out


def _roster_name(config, name: str) -> str:
    member = config.staff_for_sender(name)
    if member is None:
        names = ", ".join(m.name for m in config.staff) or "none: add [[staff]] to the settings"
        raise click.BadParameter(
            f"'{name}' is not in the staff roster ({names}).", param_hint="--staff"
        )
    return member.name


def _summary(findings, ctx) -> str:
    if ctx.staff_focus:
        from chat_review.reports.staff import render_staff_summary

        return render_staff_summary(findings, ctx, ctx.staff_focus)
    from chat_review.reports.text import render_summary

    return render_summary(findings, ctx)
