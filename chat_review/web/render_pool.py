"""A second process that draws while the app's own process draws: the web app's render-ahead.

The CLI forks a fresh worker per run (`chat_review.render_ahead`); a server that runs for
hours cannot fork safely from its threads, so the app starts one *spawned* worker when it
starts (it imports matplotlib once, in the background) and hands it the PDF of each run while
it draws the PNG, JSON and CSV itself — the two cores of a school laptop both busy. It has
the `submit`/`collect` shape `pipeline.render` expects; any trouble falls back to drawing
in process, with the same bytes.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from chat_review.render_ahead import DISABLE_ENV


def _warm(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    threading.Thread(target=_follow, args=(parent,), daemon=True).start()
    import chat_review.reports._pages  # noqa: F401 - importing matplotlib is the slow part


def _follow(parent: int) -> None:
    """End the worker when the app is gone, however it ended (even SIGKILL)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def _render(findings: Any, ctx: Any, kinds: list[str]) -> dict[str, bytes]:
    from chat_review.reports import render_outputs

    return render_outputs(findings, ctx, kinds)


class RenderPool:
    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        if os.environ.get(DISABLE_ENV) or (os.cpu_count() or 1) < 2:
            return
        try:
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                initializer=_warm, initargs=(os.getpid(),))
            self._pool.submit(int)  # start the worker now, not at the first analysis
        except (OSError, ValueError):
            self._pool = None

    def ahead(self) -> _Job | None:
        """A one-run handle for `pipeline.render`, or None to draw everything in process."""
        return _Job(self._pool) if self._pool is not None else None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class _Job:
    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self.pool = pool
        self.request: tuple[Any, Any, list[str]] = (None, None, [])
        self.future: Future | None = None

    def submit(self, findings: Any, ctx: Any, kinds: list[str]) -> None:
        self.request = (findings, ctx, list(kinds))
        try:
            self.future = self.pool.submit(_render, findings, ctx, list(kinds))
        except Exception:  # noqa: BLE001 - collect() draws in process instead
            self.future = None

    def collect(self) -> dict[str, bytes]:
        if self.future is not None:
            try:
                return self.future.result()
            except Exception:  # noqa: BLE001 - a broken worker must not lose the report
                pass
        return _render(*self.request)
