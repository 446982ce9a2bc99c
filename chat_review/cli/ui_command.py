"""`chat-review ui`: the local web app over the same register (see `chat_review.web`)."""

from __future__ import annotations

import contextlib

import click

from .common import CONTEXT_SETTINGS, settings


@click.command("ui", context_settings=CONTEXT_SETTINGS)
@click.option("--port", type=click.IntRange(1, 65535), metavar="N",
              help="Serve on this port (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Do not open a browser; just print the address.")
@click.option("--reviewer", metavar="NAME",
              help="Your name for the audit log (otherwise the first page asks for it).")
@click.option("--max-upload", type=click.IntRange(1, 2048), default=512, show_default=True,
              metavar="MB", help="Largest export the page accepts, in MiB (held in memory).")
def ui(port: int | None, no_browser: bool, reviewer: str | None, max_upload: int) -> None:
    """Open the web app on this computer only (127.0.0.1), until Ctrl-C.

    \b
    The last line printed is the address with a one-time key; it opens the app in one
    browser. Everything goes through the same consent register, gate and audit log as the
    command line: a consent recorded in the page works with `chat-review analyse`, and the
    reverse.
    """
    from chat_review.web.server import serve

    name = " ".join(reviewer.split()) if reviewer else None
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how it is meant to stop
        serve(settings().home, port=port, open_browser=not no_browser, reviewer=name,
              max_upload=max_upload * 1024**2)
    click.echo("Stopped.", err=True)
