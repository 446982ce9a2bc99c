"""What the running app knows: the home, its sessions, uploads held in memory, limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request

from .exports import ExportStore
from .security import Sessions

MAX_UPLOAD = 512 * 1024**2  # an export "without media" is far smaller; the CLI takes up to 2 GiB


@dataclass
class WebState:
    home: Path
    port: int
    sessions: Sessions
    exports: ExportStore
    max_upload: int = MAX_UPLOAD


def state_of(request: Request) -> WebState:
    return request.app.state.web
