"""The C heap settings for one-shot runs (`chat_review.c_heap`), in a child process so this
test process keeps glibc's defaults."""

from __future__ import annotations

import subprocess
import sys

import pytest

GLIBC = sys.platform.startswith("linux") and "glibc" in " ".join(__import__("platform").libc_ver())


def child(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


@pytest.mark.skipif(not GLIBC, reason="mallopt is glibc's")
def test_glibc_takes_the_settings_that_keep_freed_memory_for_reuse() -> None:
    assert child("from chat_review.c_heap import keep_freed_memory as k; print(k())") == "True"


def test_trimming_the_heap_is_safe_to_call_anywhere() -> None:
    assert child("from chat_review.c_heap import release_freed_memory as r; r(); print('ok')") \
        == "ok"
