"""Outputs are written atomically: complete under the final name, or not there at all."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from chat_review.errors import OutputError
from chat_review.output_files import write_atomic


def test_write_returns_the_sha256_of_what_was_written(tmp_path):
    target = tmp_path / "report.pdf"
    digest = write_atomic(target, b"%PDF-1.7 content", force=False)
    assert target.read_bytes() == b"%PDF-1.7 content"
    assert digest == hashlib.sha256(b"%PDF-1.7 content").hexdigest()


def test_written_reports_are_private_to_their_owner(tmp_path):
    target = tmp_path / "report.pdf"
    write_atomic(target, b"x", force=False)
    assert target.stat().st_mode & 0o077 == 0


def test_existing_file_is_kept_without_force(tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"earlier report")
    with pytest.raises(OutputError, match="--force"):
        write_atomic(target, b"new", force=False)
    assert target.read_bytes() == b"earlier report"


def test_force_replaces_an_existing_file(tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"earlier report")
    write_atomic(target, b"new", force=True)
    assert target.read_bytes() == b"new"


def test_an_input_is_never_overwritten_even_with_force(tmp_path):
    export = tmp_path / "chat.txt"
    export.write_bytes(b"the evidence")
    with pytest.raises(OutputError, match="input"):
        write_atomic(export, b"report", force=True, inputs=[export])
    assert export.read_bytes() == b"the evidence"


def test_a_missing_folder_is_one_clear_error(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "r.pdf", b"x", force=False)


def test_failure_while_writing_leaves_nothing_behind(tmp_path, monkeypatch):
    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OutputError, match="No space left"):
        write_atomic(tmp_path / "report.pdf", b"x" * 1000, force=False)
    assert list(tmp_path.iterdir()) == []


def test_process_killed_mid_write_leaves_no_file_under_the_final_name(tmp_path):
    target = tmp_path / "report.pdf"
    child = textwrap.dedent(f"""
        import os, sys, time
        from pathlib import Path
        from chat_review.output_files import write_atomic
        def stall(fd):
            print("writing", flush=True)
            time.sleep(60)
        os.fsync = stall
        write_atomic(Path({str(target)!r}), b"x" * 5_000_000, force=False)
    """)
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert not target.exists()
