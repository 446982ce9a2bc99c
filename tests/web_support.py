"""Fixtures for the web app's tests: the real `chat-review ui` process and Debian's chromium.

The server is the installed console script (`chat-review --home H ui --no-browser`), read
from its last line of output; the browser is /usr/bin/chromium driven by Playwright (never a
downloaded browser). Every request the page makes is recorded, and anything not addressed to
the app's own 127.0.0.1 port is aborted and reported.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import console_script

CHROMIUM = Path(os.environ.get("CHAT_REVIEW_CHROMIUM", "/usr/bin/chromium"))
REVIEWER = "Ms R. Patel (Headteacher)"


def chromium_or_skip() -> str:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; `make test` installs it with apt-get")
        pytest.skip(f"{CHROMIUM} is not installed (make test installs chromium)")
    return str(CHROMIUM)


@dataclass
class Server:
    proc: subprocess.Popen
    url: str  # the printed address with its one-time key
    home: Path

    @property
    def port(self) -> int:
        return int(re.search(r":(\d+)/", self.url).group(1))

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> tuple[int, str, str]:
        """Ctrl-C, as a person would; returns (exit code, stdout, stderr)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        out, err = self.proc.communicate(timeout=30)
        return self.proc.returncode, out, err


def start_server(home: Path, *args: str) -> Server:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAT_REVIEW")}
    proc = subprocess.Popen([console_script(), "--home", str(home), "ui", "--no-browser", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines = []
    while True:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"chat-review ui stopped: {proc.stderr.read()}")
        lines.append(line)
        if line.startswith("http://"):
            return Server(proc, line.strip(), home)


@pytest.fixture
def server(home: Path) -> Iterator[Server]:
    srv = start_server(home, "--reviewer", REVIEWER)
    yield srv
    srv.stop()


@dataclass
class Watch:
    """What the browser did: every request URL, any foreign request, console errors."""

    base: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def check(self) -> None:
        assert self.requests, "the browser made no request at all"
        assert not self.foreign, f"requests left 127.0.0.1: {self.foreign}"
        assert all(u.startswith(self.base + "/") for u in self.requests), self.requests
        assert not self.errors, f"console errors: {self.errors}"


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    path = chromium_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=["--no-sandbox", "--lang=en-GB"])
        yield browser
        browser.close()


def open_page(chromium, server: Server, watch: Watch | None = None,  # noqa: ANN001, ANN201
              locale: str = "en-GB"):
    """A fresh browser context signed in through the printed address; returns (page, watch).

    ``locale`` is the browser's (navigator.language, Accept-Language, date and number forms).
    """
    watch = watch or Watch(server.base)
    context = chromium.new_context(accept_downloads=True, locale=locale)

    def route(r):  # noqa: ANN001, ANN202
        if r.request.url.startswith(server.base + "/"):
            return r.continue_()
        watch.foreign.append(r.request.url)
        return r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("request", lambda req: watch.requests.append(req.url))
    page.on("console", lambda msg: watch.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    page.goto(server.url)
    return page, watch


# the date fields of the declaration page, by the keyword `fill_consent` takes for each
DATE_LABELS = {"window_from": ("From", True), "window_to": ("To (inclusive)", True),
               "expires": ("Consent ends on", False)}


def fill_consent(page, export: Path, *, keep: bool = False, **fields: str) -> None:  # noqa: ANN001
    """Fill in the declaration page as a person would (dates typed, as in `DATE_LABELS`),
    upload the export and send it; the page that answers is left open."""
    page.get_by_role("link", name="Record a consent").first.click()
    page.get_by_label("The chat export the parent gave you").set_input_files(str(export))
    page.get_by_label("Parent giving consent").fill(fields.get("parent", "Tom Aldridge"))
    page.get_by_label("Why the chat is being reviewed").fill(
        fields.get("purpose", "Out-of-hours messages to the class teacher"))
    page.get_by_label("Reference to the signed declaration").fill("Declaration PD-2026-032")
    for name, (label, exact) in DATE_LABELS.items():
        if name in fields:
            page.get_by_label(label, exact=exact).fill(fields[name])
    if keep:
        page.get_by_label("Keep a copy of the export").check()
    page.get_by_role("button", name="Record consent").click()


def record_consent(page, export: Path, **fields) -> str:  # noqa: ANN001
    """`fill_consent`, expecting it to be recorded; returns the token the case page shows."""
    fill_consent(page, export, **fields)
    page.wait_for_url("**/consents/*")
    return page.locator(".token").inner_text().strip()


def analyse_case(page) -> None:  # noqa: ANN001
    """Press Analyse on a case page and wait for the summary image of the new reports."""
    page.get_by_role("button", name="Analyse").click()
    page.locator("img.summary").wait_for()


@pytest.fixture
def api(server: Server) -> Iterator[object]:
    """Playwright's HTTP client (no browser), signed in with the server's one-time key."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.request.new_context(base_url=server.base)
        response = context.get(server.url)
        assert response.ok, response.status
        page = context.get("/consents/new").text()
        context.csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        yield context
        context.dispose()
