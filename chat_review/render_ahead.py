"""Render in a second process that starts loading matplotlib while the chats are read.

Importing matplotlib and its PDF backend costs about 0.7 s of CPU, about as much as gating,
reading and analysing a 40,000-message chat. On a machine with two cores the two can
overlap: `RenderAhead.start()` forks a worker that imports the drawing code at once, then waits
for the findings; the parent gates, reads and analyses meanwhile, hands the findings over a
pipe (`submit`), can draw another output itself while the worker draws the PDF, and then gets
the worker's bytes back (`collect`). The bytes are the same as rendering in process
(`reports.render_outputs`), which is also the fallback whenever the worker cannot be used.

The worker is forked before the register is opened (no SQLite connection is shared), never
writes files, and exits as soon as its pipe closes, so a refusal or an error in the parent
leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from typing import Any

DISABLE_ENV = "CHAT_REVIEW_NO_RENDER_AHEAD"


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _worker(requests: int, replies: int) -> None:
    """Child process: import the drawing stack, then render one request."""
    with contextlib.suppress(Exception):
        import chat_review.reports._pages  # noqa: F401 - the import is the point: it is the slow part
    payload = _read_all(requests)
    if not payload:
        return  # the parent finished without rendering (refusal, error, no reports asked)
    try:
        findings, ctx, kinds = pickle.loads(payload)
        from chat_review.reports import render_outputs

        answer: tuple[str, Any] = ("ok", render_outputs(findings, ctx, kinds))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which falls back
        answer = ("error", f"{type(exc).__name__}: {exc}")
    _write_all(replies, pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))


class RenderAhead:
    """A forked renderer; use `start()`, then `render()` once, and always `close()`."""

    def __init__(self, pid: int, requests: int, replies: int) -> None:
        self.pid = pid
        self.requests: int | None = requests
        self.replies: int | None = replies
        self._request: tuple[Any, Any, list[str]] = (None, None, [])
        self._failed = False

    @classmethod
    def start(cls) -> RenderAhead | None:
        """Fork the worker, or None where that cannot help (no fork, one core, disabled)."""
        if not hasattr(os, "fork") or os.environ.get(DISABLE_ENV):
            return None
        if (os.cpu_count() or 1) < 2:
            return None
        request_r, request_w = os.pipe()
        reply_r, reply_w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            for fd in (request_r, request_w, reply_r, reply_w):
                os.close(fd)
            return None
        if pid == 0:  # the worker
            code = 0
            try:
                os.close(request_w)
                os.close(reply_r)
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
                _worker(request_r, reply_w)
            except BaseException:  # noqa: BLE001 - never run the parent's code in the child
                code = 1
            finally:
                os._exit(code)
        os.close(request_r)
        os.close(reply_w)
        return cls(pid, request_w, reply_r)

    def submit(self, findings: Any, ctx: Any, kinds: list[str]) -> None:
        """Hand the findings to the worker; it renders while the caller does other work."""
        self._request = (findings, ctx, list(kinds))
        try:
            assert self.requests is not None
            payload = pickle.dumps(self._request, protocol=pickle.HIGHEST_PROTOCOL)
            _write_all(self.requests, payload)
        except Exception:  # noqa: BLE001 - collect() renders in process instead
            self._failed = True
        finally:
            if self.requests is not None:
                with contextlib.suppress(OSError):
                    os.close(self.requests)
                self.requests = None

    def collect(self) -> dict[str, bytes]:
        """The worker's outputs; rendered in process if the worker failed in any way."""
        from chat_review.reports import render_outputs

        findings, ctx, kinds = self._request
        try:
            if not self._failed and self.replies is not None:
                status, value = pickle.loads(_read_all(self.replies))
                if status == "ok":
                    return value
        except Exception:  # noqa: BLE001 - any trouble with the worker: render here instead
            pass
        finally:
            self.close()
        return render_outputs(findings, ctx, kinds)

    def render(self, findings: Any, ctx: Any, kinds: list[str]) -> dict[str, bytes]:
        """`submit` then `collect`: all of `kinds` from the worker."""
        self.submit(findings, ctx, kinds)
        return self.collect()

    def close(self) -> None:
        """Close the pipes (the worker then exits) and reap it."""
        for name in ("requests", "replies"):
            fd = getattr(self, name)
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
                setattr(self, name, None)
        if self.pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0
