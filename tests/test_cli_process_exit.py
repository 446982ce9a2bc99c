"""The console script leaves without the interpreter's teardown (`chat_review.cli.process_exit`)
yet keeps what a normal exit promises: the exit status, everything written to standard output,
the exit handlers, the register closed cleanly."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from chat_review.cli.process_exit import exit_status


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (2, 2), (4, 4)])
def test_a_system_exit_code_becomes_the_same_status_as_python_gives(code, status) -> None:
    assert exit_status(code) == status


def test_a_message_as_exit_code_is_printed_and_gives_status_1(capsys) -> None:
    assert exit_status("went wrong") == 1
    assert capsys.readouterr().err == "went wrong\n"


def test_every_row_written_to_a_pipe_arrives(run, grant, group_chat, tmp_path) -> None:
    token = grant(group_chat)
    piped = run("messages", str(group_chat), "--token", token, "--format", "json")
    assert piped.code == 0
    written = run("messages", str(group_chat), "--token", token, "--format", "json",
                  "--output", str(tmp_path / "m.json"))
    assert written.code == 0
    assert piped.out.encode() == (tmp_path / "m.json").read_bytes()


def test_usage_and_consent_errors_keep_their_exit_codes(run, group_chat) -> None:
    assert run("analyse", "--no-such-option").code == 2
    assert run("analyse", str(group_chat), "--token", "crt1.nope").code == 3


def test_exit_handlers_run_before_the_process_ends(tmp_path: Path) -> None:
    marker = tmp_path / "handler-ran"
    child = textwrap.dedent(f"""
        import atexit, pathlib, sys
        atexit.register(lambda: pathlib.Path({str(marker)!r}).write_text("yes"))
        sys.argv = ["chat-review", "--version"]
        from chat_review.cli import main
        main()
        print("not reached")
    """)
    proc = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0
    assert "not reached" not in proc.stdout
    assert marker.read_text() == "yes"


def test_the_register_is_closed_cleanly_after_a_command(run, grant, group_chat, home) -> None:
    token = grant(group_chat)
    assert run("analyse", str(group_chat), "--token", token).code == 0
    # a connection left open in WAL mode would leave its log beside the register
    assert not (home / "register.sqlite3-wal").exists()



def test_output_that_cannot_be_flushed_to_a_closed_pipe_gives_status_120() -> None:
    child = textwrap.dedent("""
        import os, sys
        from chat_review.cli.process_exit import leave
        read_end, write_end = os.pipe()
        os.close(read_end)
        sys.stdout = open(write_end, "w")
        sys.stdout.write("rows nobody reads")
        leave(0)
    """)
    proc = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 120
