"""Odd arguments and unsafe registers get a sentence and a documented exit code, never a
traceback; names with control characters cannot steer the terminal."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from chat_review.consent.errors import RegisterError
from chat_review.consent.register import Register, db_path


@pytest.mark.parametrize("ref", ["²", "٣", "99999999999999999999999", "#-1", "1.5"])
def test_odd_consent_numbers_are_one_sentence_and_exit_2(run, grant, group_chat, ref):
    grant(group_chat)
    result = run("consent", "show", ref)
    assert result.code == 2 and result.err.startswith("Error: ") and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_huge_audit_list_limit_is_a_usage_error(run, grant, group_chat):
    grant(group_chat)
    result = run("audit", "list", "--limit", "9" * 30)
    assert result.code == 2 and "Traceback" not in result.err


def test_a_read_only_register_is_one_sentence(home, group_chat):
    with Register.open(home) as register:
        register.log("test-event")
    conn = sqlite3.connect(f"file:{db_path(home)}?mode=ro", uri=True, isolation_level=None)
    with Register.open(home) as register:
        register.conn.close()
        register.conn = conn
        with pytest.raises(RegisterError, match="cannot be written"):
            register.log("another")


def test_register_readable_by_others_is_refused_like_the_key(run, grant, group_chat, home):
    grant(group_chat)
    db_path(home).chmod(0o644)
    result = run("consent", "list")
    assert result.code == 2 and "chmod 600" in result.err


def test_home_writable_by_others_is_refused(run, grant, group_chat, home):
    grant(group_chat)
    home.chmod(0o777)
    result = run("consent", "list")
    assert result.code == 2 and "chmod 700" in result.err


def test_control_characters_in_names_are_escaped_on_the_terminal(run, grant, group_chat):
    result = run("consent", "grant", str(group_chat), "--parent", "Tom\x1b[2J\x1b[31mEvil",
                 "--purpose", "x\rOverwritten", "--recorded-by", "H")
    assert result.code == 0, result.err
    listing = run("consent", "list")
    shown = run("consent", "show", "1")
    for out in (result.out, listing.out, shown.out):
        assert "\x1b" not in out and "\r" not in out
    assert "\\x1b[2J" in listing.out


def test_killed_after_logging_leaves_no_output_and_the_next_run_sweeps_it(
        run, grant, group_chat, home, tmp_path):
    """The output is logged before its final rename; a run killed in between leaves only a
    .partial (never a complete unlogged file), and the next write there removes it."""
    token = grant(group_chat)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "messages.csv"
    child = textwrap.dedent(f"""
        import os, sys, time
        from pathlib import Path
        os.link = lambda *a, **k: (print("logged", flush=True), time.sleep(60))
        sys.argv = ["chat-review", "--home", {str(home)!r}, "messages", {str(group_chat)!r},
                    "--token", {token!r}, "--output", {str(target)!r}]
        from chat_review.cli import main
        main()
    """)
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "logged"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert not target.exists()
    partials = list(out.glob(".*.partial"))
    assert len(partials) == 1
    entries = [e for e in _entries(run) if e["event"] == "output-written"]
    assert entries and entries[-1]["detail"]["path"] == str(target.resolve())
    old = time.time() - 3600
    os.utime(partials[0], (old, old))
    again = run("messages", str(group_chat), "--token", token, "--output", str(out / "b.csv"))
    assert again.code == 0, again.err
    assert list(out.glob(".*.partial")) == []


def _entries(run):
    from conftest import audit_entries

    return audit_entries(run)
