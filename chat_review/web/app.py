"""Wiring: the routes, the static files, the error pages and the Guard around them all."""

from __future__ import annotations

import traceback
from collections.abc import Awaitable, Callable
from functools import wraps
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from chat_review.consent.errors import ConsentError, ConsentRefused
from chat_review.errors import ChatReviewError

from . import routes_admin, routes_case, routes_consents
from .exports import ExportStore
from .forms import FormRefused
from .pages import page, redirect
from .security import Guard, Sessions, session_of
from .state import MAX_UPLOAD, WebState

Endpoint = Callable[[Request], Awaitable[Response]]


def _guarded(endpoint: Endpoint, *, needs_reviewer: bool = True) -> Endpoint:
    """Refusals become a page with the sentence; pages ask who is reviewing first.

    A refusal about the request itself (CSRF, size) keeps its HTTP status; a refusal of what
    was asked (the gate's, a wrong date) is an ordinary page with the CLI's sentence, as a
    form shows its errors (a browser logs every 4xx document as a console error).
    """

    @wraps(endpoint)
    async def wrapped(request: Request) -> Response:
        if needs_reviewer and not session_of(request).reviewer:
            return redirect("/")
        try:
            return await endpoint(request)
        except FormRefused as exc:
            return page(request, "message.html", http_status=exc.status, title="Refused",
                        sentence=str(exc))
        except ConsentRefused as exc:
            return page(request, "message.html", title="Consent refused",
                        sentence=str(exc))
        except (ConsentError, ChatReviewError) as exc:
            return page(request, "message.html", title="Not done",
                        sentence=str(exc))
        except Exception as exc:  # the last line of defence: one sentence, details on stderr
            traceback.print_exc()
            return page(request, "message.html", http_status=500, title="Something went wrong",
                        sentence=f"chat-review failed unexpectedly ({type(exc).__name__}); "
                                 "nothing was lost — the details are in the terminal where "
                                 "chat-review ui runs; please report them.")

    return wrapped


def routes() -> list:
    c, k, a = routes_consents, routes_case, routes_admin
    table = [
        ("/", c.start, ["GET"], False),
        ("/reviewer", c.set_reviewer, ["POST"], False),
        ("/consents", c.consent_list, ["GET"], True),
        ("/consents/new", c.consent_new, ["GET"], True),
        ("/consents/new", c.consent_create, ["POST"], True),
        ("/consents/{consent_id:int}", k.case, ["GET"], True),
        ("/consents/{consent_id:int}/analyse", k.analyse, ["POST"], True),
        ("/consents/{consent_id:int}/revoke", c.revoke_confirm, ["GET"], True),
        ("/consents/{consent_id:int}/revoke", c.revoke, ["POST"], True),
        ("/reports/{entry_id:int}", k.report, ["GET"], True),
        ("/audit", a.audit_page, ["GET"], True),
        ("/retention", a.retention_page, ["GET"], True),
        ("/retention", a.retention_delete, ["POST"], True),
        ("/settings", a.settings_page, ["GET"], True),
        ("/settings", a.settings_save, ["POST"], True),
    ]
    out: list = [Route(path, _guarded(fn, needs_reviewer=needs), methods=methods)
                 for path, fn, methods, needs in table]
    out.append(Mount("/static", StaticFiles(directory=Path(__file__).parent / "static"),
                     name="static"))
    return out


async def _not_found(request: Request, exc: Exception) -> Response:
    if "chat_review.session" not in request.scope:
        return Response("Not found.\n", status_code=404, media_type="text/plain")
    return page(request, "message.html", http_status=404, title="Not found",
                sentence="There is no such page here; use the links above.")


def build_app(home: Path, port: int, reviewer: str | None = None,
              max_upload: int = MAX_UPLOAD) -> Guard:
    """The whole ASGI app for one run of `chat-review ui` (its one-time key is on
    `app.sessions.key`)."""
    app = Starlette(routes=routes(), exception_handlers={404: _not_found})
    sessions = Sessions(port, reviewer)
    app.state.web = WebState(home=home, port=port, sessions=sessions,
                             exports=ExportStore(home), max_upload=max_upload)
    return Guard(app, sessions, port)
