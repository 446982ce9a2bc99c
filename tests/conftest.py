"""Shared fixtures: temporary homes, copies of the sample exports, the installed console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_exports"
GROUP_CHAT = SAMPLES / "class-group-android.txt"
ONE_TO_ONE_ZIP = SAMPLES / "WhatsApp Chat - Tom Aldridge.zip"
SAMPLE_CONFIG = SAMPLES / "chat-review.toml"


def console_script() -> str:
    """The installed `chat-review` next to this interpreter (the real entry point)."""
    candidate = Path(sys.executable).with_name("chat-review")
    found = str(candidate) if candidate.exists() else shutil.which("chat-review")
    if not found:
        pytest.fail("the chat-review console script is not installed; run `make test`")
    return found


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def last_line(self) -> str:
        return self.out.strip().splitlines()[-1]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A fresh chat-review home (not yet created: the first grant makes it)."""
    return tmp_path / "home"


def _private_copy(sample: Path, tmp_path: Path) -> Path:
    """A copy of a sample export that the test may change freely."""
    target = tmp_path / "exports" / sample.name
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(sample, target)
    return target


@pytest.fixture
def group_chat(tmp_path: Path) -> Path:
    return _private_copy(GROUP_CHAT, tmp_path)


@pytest.fixture
def one_to_one_zip(tmp_path: Path) -> Path:
    return _private_copy(ONE_TO_ONE_ZIP, tmp_path)


@pytest.fixture
def run(home: Path, tmp_path: Path) -> Callable[..., Result]:
    """Run the installed console script with `--home` set to the test's home."""

    def _run(*args: str, env: dict[str, str] | None = None, use_home: bool = True,
             input: str | None = None) -> Result:
        """`input` is typed on standard input; without it, standard input is empty (as in CI)."""
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("CHAT_REVIEW")}
        full_env.update(env or {})
        cmd = [console_script()] + (["--home", str(home)] if use_home else []) + list(args)
        stdin = {"input": input} if input is not None else {"stdin": subprocess.DEVNULL}
        proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env,
                              cwd=tmp_path, timeout=120, **stdin)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return _run


@pytest.fixture
def grant(run: Callable[..., Result]) -> Callable[..., str]:
    """Record a consent through the CLI and return its token."""

    def _grant(export: Path, *extra: str) -> str:
        result = run("consent", "grant", str(export), "--parent", "Tom Aldridge",
                     "--purpose", "Complaint about messages to the class teacher",
                     "--recorded-by", "Ms Head", *extra)
        assert result.code == 0, result.err
        return result.last_line

    return _grant


def grant_at(home: Path, export: Path, moment, *, days: int = 30) -> str:
    """Record a consent as if the clock read `moment` (for expiry and clock tests)."""
    from datetime import timedelta

    from chat_review.consent import consents
    from chat_review.consent.register import Register

    with Register.open(home, clock=lambda: moment) as register:
        _, token = consents.grant(register, export, parent="P", purpose="x", recorded_by="H",
                                  expires_at=moment + timedelta(days=days))
    return token


def register_rows(home: Path, query: str) -> list[tuple]:
    """The rows of one read-only query on the register's database, read with plain sqlite3."""
    import sqlite3

    from chat_review.consent.register import db_path

    conn = sqlite3.connect(db_path(home))
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def tamper(home: Path, *statements: str) -> None:
    """Change the register behind chat-review's back, as an attacker with sqlite3 would."""
    import sqlite3

    from chat_review.consent.register import db_path

    conn = sqlite3.connect(db_path(home))
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def audit_entries(run: Callable[..., Result]) -> list[dict]:
    """The audit log as dicts, read through the console script."""
    import json

    result = run("audit", "list", "--json")
    assert result.code == 0, result.err
    return [json.loads(line) for line in result.out.splitlines()]


# --------------------------------------------------------------------------- JSON Schemas


def check_against_schema(document: object, where: str) -> None:
    """Fail with the first few schema errors if `document` is a chat-review JSON output that
    does not follow its schema (chat_review/data/schemas)."""
    import jsonschema

    from chat_review.schemas import load_schema, schema_for

    name = schema_for(document)
    if name is None:
        return
    validator = jsonschema.Draft202012Validator(load_schema(name))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        shown = "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:200]}"
                          for e in errors[:5])
        pytest.fail(f"{where} does not follow the {name} schema: {shown}", pytrace=False)


@pytest.fixture(autouse=True)
def _json_files_follow_the_schemas(request: pytest.FixtureRequest):
    """After each test, every report or message-table JSON it wrote under its tmp_path is
    validated against the shipped schema (other JSON files are left alone)."""
    if "tmp_path" not in request.fixturenames:
        yield
        return
    folder = request.getfixturevalue("tmp_path")  # set up first, so torn down after this check
    yield
    import json

    for path in sorted(folder.rglob("*.json")):
        try:
            document = json.loads(path.read_bytes())
        except (OSError, ValueError):
            continue  # not JSON (a test's deliberately broken file), or gone
        check_against_schema(document, str(path))
