"""Serving: a socket on 127.0.0.1 (never another interface), uvicorn, the printed address.

The socket is bound here, before anything is printed, so the printed port is the one served
(no race for a "free" port). uvicorn's access log is off: the first URL carries the key.
"""

from __future__ import annotations

import signal
import socket
import sys
import webbrowser
from pathlib import Path
from typing import TextIO

from chat_review.errors import ChatReviewError

from .state import MAX_UPLOAD

HOST = "127.0.0.1"


def bind(port: int | None) -> socket.socket:
    """A listening socket on 127.0.0.1 (`port` 0 or None: a free one chosen by the system)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port or 0))
    except OSError as exc:
        sock.close()
        raise ChatReviewError(f"Port {port} on {HOST} cannot be used ({exc.strerror}); choose "
                              "another with --port, or leave --port out for a free one.") from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def serve(home: Path, *, port: int | None = None, open_browser: bool = True,
          reviewer: str | None = None, max_upload: int = MAX_UPLOAD,
          out: TextIO = sys.stdout) -> None:
    """Serve until interrupted (Ctrl-C). The last line printed is the address with its key."""
    import uvicorn

    from .app import build_app

    sock = bind(port)
    actual = sock.getsockname()[1]
    app = build_app(home, actual, reviewer=reviewer, max_upload=max_upload)
    url = f"http://{HOST}:{actual}/start?key={app.sessions.key}"
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            server_header=False, timeout_graceful_shutdown=5)

    def announce() -> None:
        if open_browser:
            webbrowser.open(url)
        print(f"chat-review is open for this computer only, with the register in {home}.",
              file=out)
        print("Stop it with Ctrl-C. The address works once (it signs this browser in):", file=out)
        print(url, file=out, flush=True)

    class AnnouncingServer(uvicorn.Server):
        """Prints the address only once uvicorn serves and handles Ctrl-C itself.

        Printed earlier, a Ctrl-C sent as soon as the address appears (a script, a test, an
        impatient person) could land while the event loop is still starting, outside
        uvicorn's signal handling.
        """

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                announce()

    server = AnnouncingServer(config)
    # uvicorn re-raises the signal that stopped it once it has shut down; for SIGTERM that
    # would end the process at once, so treat it as Ctrl-C: a clean stop, exit 0.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
