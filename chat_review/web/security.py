"""The front door: one-time key, session cookie, Host check, Origin check, security headers.

Everything here runs before any page: a request for another host name is refused (DNS
rebinding), a request without the session cookie is refused, and every response carries a
Content-Security-Policy that allows only the app itself. CSRF tokens are checked where the
body is read (`forms.read_form`), since they travel in the form.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

CSP = ("default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make Origin "null"
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]
SESSION_SCOPE_KEY = "chat_review.session"


@dataclass
class Session:
    """One browser's session: its cookie value, CSRF token, reviewer name and pending notes."""

    id: str
    csrf: str
    reviewer: str | None
    flashes: list[tuple[str, str]] = field(default_factory=list)


class Sessions:
    """The one-time key and the sessions it opened (in memory: they end with the app)."""

    def __init__(self, port: int, reviewer: str | None) -> None:
        self.key = secrets.token_urlsafe(32)
        self.cookie_name = f"chat_review_{port}"  # cookies ignore ports: keep apps apart
        self.reviewer = reviewer
        self._key_used = False
        self._by_id: dict[str, Session] = {}
        self._lock = threading.Lock()

    def redeem(self, key: str) -> Session | None:
        """A new session for the right key, once; None for a wrong or used key."""
        with self._lock:
            if self._key_used or not hmac.compare_digest(key.encode(), self.key.encode()):
                return None
            self._key_used = True
            session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), self.reviewer)
            self._by_id[session.id] = session
            return session

    def find(self, cookie_header: str) -> Session | None:
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(cookie_header)
        except Exception:  # noqa: BLE001 - a malformed cookie header is just no session
            return None
        morsel = cookie.get(self.cookie_name)
        return self._by_id.get(morsel.value) if morsel else None

    def set_cookie(self, session: Session) -> bytes:
        return (f"{self.cookie_name}={session.id}; Path=/; HttpOnly; SameSite=Strict"
                ).encode()


def _page(title: str, sentence: str) -> bytes:
    return (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
        f'<title>{title}</title><link rel="stylesheet" href="/static/app.css"></head>'
        f'<body><main class="narrow"><h1>{title}</h1><p role="alert">{sentence}</p>'
        "</main></body></html>"
    ).encode()


NO_SESSION = _page(
    "Not signed in",
    "This page opens only from the address that <code>chat-review ui</code> printed when it "
    "started (each address works once); stop it and start it again for a new one.",
)
BAD_KEY = _page(
    "This link has been used",
    "This address has already been opened once, or its key is wrong; stop "
    "<code>chat-review ui</code> and start it again for a new address.",
)
BAD_ORIGIN = _page("Refused", "This form was sent from another web site, so it was refused.")


class Guard:
    """ASGI middleware wrapping the whole app (see the module docstring)."""

    def __init__(self, app: Any, sessions: Sessions, port: int) -> None:
        self.app = app
        self.sessions = sessions
        self.hosts = {f"127.0.0.1:{port}".encode(), f"localhost:{port}".encode()}
        self.origins = {f"http://127.0.0.1:{port}".encode(), f"http://localhost:{port}".encode()}

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_headers(send)
        headers = dict(scope["headers"])
        if headers.get(b"host") not in self.hosts:
            await _reply(send, 400, b"This address is not served here: chat-review answers "
                                    b"only as 127.0.0.1 or localhost on its own port.\n",
                         b"text/plain; charset=utf-8")
            return
        path = scope["path"]
        if path == "/start":
            await self._start(scope, send)
            return
        if path.startswith("/static/") and scope["method"] in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        session = self.sessions.find(headers.get(b"cookie", b"").decode("latin-1"))
        if session is None:
            await _reply(send, 403, NO_SESSION)
            return
        if scope["method"] not in ("GET", "HEAD", "POST"):
            await _reply(send, 405, b"Method not allowed.\n", b"text/plain; charset=utf-8")
            return
        origin = headers.get(b"origin")
        if scope["method"] == "POST" and origin is not None and origin not in self.origins:
            await _reply(send, 403, BAD_ORIGIN)
            return
        scope[SESSION_SCOPE_KEY] = session
        await self.app(scope, receive, send)

    async def _start(self, scope: dict, send: Any) -> None:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        session = self.sessions.redeem((query.get("key") or [""])[0])
        if session is None:
            await _reply(send, 403, BAD_KEY)
            return
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", b"/"),
                                (b"set-cookie", self.sessions.set_cookie(session))]})
        await send({"type": "http.response.body", "body": b""})


def _with_headers(send: Any) -> Any:
    async def wrapped(message: dict) -> None:
        if message["type"] == "http.response.start":
            names = {name.lower() for name, _ in message.get("headers", [])}
            extra = [(n, v) for n, v in SECURITY_HEADERS if n not in names]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return wrapped


async def _reply(send: Any, status: int, body: bytes,
                 content_type: bytes = b"text/html; charset=utf-8") -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def session_of(request: Any) -> Session:
    """The session the Guard attached to this request."""
    return request.scope[SESSION_SCOPE_KEY]
