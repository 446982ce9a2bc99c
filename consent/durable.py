"""Durable writes: a rename survives a power cut only once its folder is fsync'd too.

Shared by the register's head file and the reports (`chat_review.output_files`); `consent` is
the lowest layer, so the helper lives here.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    """Flush `folder`'s entries to disk; a no-op where folders cannot be opened (Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
