"""Uploads through the web app: size-limited, parsed in memory, bound like the CLI's grant.

Against the real `chat-review ui` process, started with a 1 MiB upload limit and its own empty
temporary folder (TMPDIR), which must stay empty: uploads never touch the disk.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import GROUP_CHAT, ONE_TO_ONE_ZIP
from web_support import REVIEWER, Server, api, start_server  # noqa: F401 - fixtures


@pytest.fixture
def spool(tmp_path: Path) -> Path:
    folder = tmp_path / "server-tmp"
    folder.mkdir()
    return folder


@pytest.fixture
def server(home: Path, spool: Path, monkeypatch) -> Iterator[Server]:
    monkeypatch.setenv("TMPDIR", str(spool))
    srv = start_server(home, "--reviewer", REVIEWER, "--max-upload", "1")
    yield srv
    srv.stop()


def grant_form(api, data: bytes, name: str = ONE_TO_ONE_ZIP.name, **extra: str):  # noqa: F811
    fields = {"csrf": api.csrf, "parent": "Tom Aldridge", "purpose": "Out-of-hours messages",
              "recorded_by": REVIEWER, "expires": "", **extra}
    return api.post("/consents/new", max_redirects=0, multipart={
        **fields, "export": {"name": name, "mimeType": "application/octet-stream",
                             "buffer": data}})


def test_an_upload_over_the_limit_is_refused_with_a_sentence(api):  # noqa: F811
    response = grant_form(api, b"x" * (1024**2 + 1))
    assert response.status == 413
    assert "The file is larger than this page accepts (1 MiB)" in response.text()


def test_an_upload_is_never_written_to_a_temporary_file(api, spool):  # noqa: F811
    data = ONE_TO_ONE_ZIP.read_bytes() + b"\0" * (900 * 1024)  # well past any spooling size
    response = grant_form(api, data)
    assert response.status == 303  # recorded (a grant hashes the bytes, as the CLI's does)
    assert os.listdir(spool) == []


def test_the_consent_is_bound_to_the_uploaded_bytes_sha256(api, home):  # noqa: F811
    from chat_review.consent.register import Register

    data = GROUP_CHAT.read_bytes()
    response = grant_form(api, data, name="C:\\Users\\head\\Downloads\\group.txt")
    assert response.status == 303
    with Register.open(home, create=False) as register:
        [record] = register.all()
    assert record.export_sha256 == hashlib.sha256(data).hexdigest()
    assert record.export_name == "group.txt"  # the browser's path is not kept


def test_a_grant_refusal_is_the_cli_sentence_in_the_page(api):  # noqa: F811
    response = grant_form(api, GROUP_CHAT.read_bytes(), window_from="2026-05-01",
                          window_to="2026-04-01")
    assert response.status == 200
    assert "The consent window starts (1 May 2026) after it ends (1 Apr 2026)" in response.text()
    assert 'value="Tom Aldridge"' in response.text()  # what was typed is kept
