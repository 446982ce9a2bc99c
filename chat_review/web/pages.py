"""Rendering pages: one Jinja2 environment (autoescaped), the layout's shared values, notes."""

from __future__ import annotations

import getpass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from chat_review.consent.date_words import register_day, register_time

from .security import session_of

TEMPLATES = Path(__file__).parent / "templates"
STATUS_WORDS = {"active": "Active", "expired": "Expired", "revoked": "Revoked"}


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                      trim_blocks=True, lstrip_blocks=True)
    # register values as the reports write them ("4 Sep 2026", "4 Sep 2026, 21:40 UK time"),
    # so a page and the PDF it links to say the same; "day" for short tables (the UK's day)
    env.filters["when"] = register_time
    env.filters["day"] = register_day
    env.filters["status_word"] = lambda s: STATUS_WORDS.get(s, s)
    return env


def os_account() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def page(request: Request, template: str, *, http_status: int = 200, **values: Any) -> HTMLResponse:
    session = session_of(request)
    notes, session.flashes = session.flashes, []
    html = environment().get_template(template).render(
        csrf=session.csrf, reviewer=session.reviewer, account=os_account(), notes=notes,
        path=request.url.path, **values)
    return HTMLResponse(html, status_code=http_status)


def note(request: Request, text: str, kind: str = "ok") -> None:
    """A one-line note shown at the top of the next page (after a redirect)."""
    session_of(request).flashes.append((kind, text))


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
