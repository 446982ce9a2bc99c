"""Shell completion as the README documents it (click's _CHAT_REVIEW_COMPLETE)."""

from __future__ import annotations

import os
import subprocess

import pytest
from conftest import console_script


def _complete(**env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **env}
    return subprocess.run([console_script()], capture_output=True, text=True, env=full,
                          timeout=60)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_readme_line_prints_a_completion_script(shell):
    result = _complete(_CHAT_REVIEW_COMPLETE=f"{shell}_source")
    assert result.returncode == 0 and "_CHAT_REVIEW_COMPLETE" in result.stdout


def test_bash_completes_a_command_name():
    result = _complete(_CHAT_REVIEW_COMPLETE="bash_complete", COMP_WORDS="chat-review cons",
                       COMP_CWORD="1")
    assert result.stdout.split() == ["plain,consent"]
