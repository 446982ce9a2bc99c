"""Leaving the process when a command is done, without the interpreter's teardown.

At exit Python frees every object and module; with pandas and numpy loaded that alone took
0.10-0.18 s after every command (`analyse` of 10,000 messages: 0.73 s inside the command,
0.89 s as a process). A command has already flushed, closed and renamed every file it writes
and committed its register and audit transactions when it returns, so the console script
runs the exit handlers (`atexit`: logging, coverage...), flushes standard output and error and
ends with `os._exit` (the way Instagram's Python servers skip the teardown). When another
thread is still alive (no command starts one today) it leaves the normal way, waiting for it.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn

# What Python itself returns when flushing standard output fails at exit (a closed pipe).
FLUSH_FAILED = 120


def exit_status(code: object) -> int:
    """A `SystemExit` code as the process's status, as Python maps it: None is 0, a number is
    itself, anything else is printed to standard error and gives 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def leave(status: int) -> NoReturn:
    """End the process with ``status`` after the exit handlers and a flush of stdout/stderr."""
    if threading.active_count() > 1:
        sys.exit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`) or a closed stream
            if stream is sys.stdout and status == 0:
                status = FLUSH_FAILED
    os._exit(status)
