"""The web app's front door, against the real `chat-review ui` process (plain HTTP requests).

No key → 403; a used key → 403; a foreign Host (DNS rebinding) → 400; a POST without the CSRF
token, or with another site's Origin → 403; only 127.0.0.1 is bound; every page carries the
Content-Security-Policy; Ctrl-C ends the app cleanly with the address as the last line.
"""

from __future__ import annotations

import http.client
import re
import signal
import socket
from urllib.parse import urlsplit

import pytest
from web_support import Server, server  # noqa: F401 - fixture


def request(srv: Server, method: str, path: str, *, host: str | None = None,
            headers: dict[str, str] | None = None, body: bytes | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    conn.putrequest(method, path, skip_host=True)
    conn.putheader("Host", host or f"127.0.0.1:{srv.port}")
    for name, value in (headers or {}).items():
        conn.putheader(name, value)
    if body is not None:
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def signed_in(srv: Server) -> tuple[str, str]:
    """Redeem the one-time key; return (cookie header, CSRF token from the first page)."""
    key_path = urlsplit(srv.url)
    response, _ = request(srv, "GET", f"{key_path.path}?{key_path.query}")
    assert response.status == 303
    cookie = response.getheader("Set-Cookie").split(";")[0]
    _, page = request(srv, "GET", "/consents/new", headers={"Cookie": cookie})
    csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
    return cookie, csrf


def test_without_the_key_every_page_is_refused_with_403(server):  # noqa: F811
    for path in ("/", "/consents", "/audit", "/settings", "/reports/1"):
        response, body = request(server, "GET", path)
        assert response.status == 403, path
        assert b"chat-review ui" in body


def test_a_wrong_key_is_refused_and_the_right_key_works_only_once(server):  # noqa: F811
    key_path = urlsplit(server.url)
    wrong, _ = request(server, "GET", f"{key_path.path}?key=not-the-key")
    assert wrong.status == 403
    first, _ = request(server, "GET", f"{key_path.path}?{key_path.query}")
    assert first.status == 303 and first.getheader("Location") == "/"
    again, body = request(server, "GET", f"{key_path.path}?{key_path.query}")
    assert again.status == 403
    assert b"already been opened once" in body


def test_the_session_cookie_is_httponly_and_samesite_strict(server):  # noqa: F811
    key_path = urlsplit(server.url)
    response, _ = request(server, "GET", f"{key_path.path}?{key_path.query}")
    cookie = response.getheader("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1:1", "localhost",
                                  "attacker.test", "0.0.0.0:{port}"])
def test_a_foreign_host_header_is_refused_with_400(server, host):  # noqa: F811
    cookie, _ = signed_in(server)
    response, _ = request(server, "GET", "/consents", host=host.format(port=server.port),
                          headers={"Cookie": cookie})
    assert response.status == 400


def test_localhost_with_the_port_is_accepted(server):  # noqa: F811
    cookie, _ = signed_in(server)
    response, _ = request(server, "GET", "/consents", host=f"localhost:{server.port}",
                          headers={"Cookie": cookie})
    assert response.status == 200


def test_a_post_without_the_csrf_token_is_refused_with_403(server):  # noqa: F811
    cookie, _ = signed_in(server)
    for path, body in (("/settings", b"text=x"), ("/consents/1/revoke", b"reason=x&by=y"),
                       ("/retention", b""), ("/reviewer", b"reviewer=x")):
        response, page = request(server, "POST", path, body=body, headers={
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        assert response.status == 403, path
        assert b"did not come from this page" in page


def test_a_post_with_a_wrong_csrf_token_is_refused_with_403(server):  # noqa: F811
    cookie, csrf = signed_in(server)
    response, _ = request(server, "POST", "/settings", body=f"csrf={csrf}x&text=".encode(),
                          headers={"Cookie": cookie,
                                   "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 403


def test_a_post_from_another_origin_is_refused_even_with_the_token(server):  # noqa: F811
    cookie, csrf = signed_in(server)
    response, _ = request(server, "POST", "/reviewer", body=f"csrf={csrf}&reviewer=x".encode(),
                          headers={"Cookie": cookie, "Origin": "http://evil.example",
                                   "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 403


def test_every_response_carries_the_security_headers(server):  # noqa: F811
    cookie, _ = signed_in(server)
    for path in ("/consents", "/static/app.css", "/nowhere"):
        response, _ = request(server, "GET", path, headers={"Cookie": cookie})
        csp = response.getheader("Content-Security-Policy")
        assert csp.startswith("default-src 'self';") and "script-src 'none'" in csp, path
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        assert response.getheader("X-Frame-Options") == "DENY"
        assert response.getheader("Cache-Control") == "no-store"


def test_the_pages_load_nothing_from_elsewhere(server):  # noqa: F811
    cookie, _ = signed_in(server)
    for path in ("/consents", "/consents/new", "/audit", "/retention", "/settings"):
        _, page = request(server, "GET", path, headers={"Cookie": cookie})
        assert not re.search(rb'(src|href|action)="(https?:)?//', page), path
        assert b"<script" not in page and b"style=" not in page


def test_it_listens_on_127_0_0_1_only(server):  # noqa: F811
    others = {a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    for address in sorted(others - {"127.0.0.1"}):
        with pytest.raises(OSError):
            socket.create_connection((address, server.port), timeout=2).close()
    socket.create_connection(("127.0.0.1", server.port), timeout=2).close()


def test_ctrl_c_stops_it_cleanly_and_the_address_was_the_last_line(server):  # noqa: F811
    code, out, err = server.stop()
    assert code == 0
    assert "Traceback" not in err and err.strip().endswith("Stopped.")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/start\?key=[\w-]{40,}", server.url)
    assert out == ""  # nothing was printed after the address


def test_sigterm_stops_it_as_cleanly_as_ctrl_c(server):  # noqa: F811
    server.proc.send_signal(signal.SIGTERM)  # what a service manager or `kill` sends
    assert server.proc.wait(timeout=30) == 0
    err = server.proc.stderr.read()
    assert "Traceback" not in err and err.strip().endswith("Stopped.")
