"""The token can stay off the command line: --token-file FILE, --token - (standard input), and
'-' or @FILE in --chat EXPORT TOKEN pairs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chat_review.cli.tokens import read_token_file
from chat_review.errors import ChatReviewError


def _token_file(tmp_path: Path, token: str, mode: int = 0o600, name: str = "token.txt") -> Path:
    path = tmp_path / name
    path.write_text(token + "\n", encoding="utf-8")
    os.chmod(path, mode)
    return path


def test_messages_reads_the_token_from_a_private_file_without_a_warning(run, grant, group_chat,
                                                                        tmp_path):
    path = _token_file(tmp_path, grant(group_chat))
    result = run("messages", str(group_chat), "--token-file", str(path))
    assert result.code == 0, result.err
    assert result.out.lstrip("\ufeff").startswith("timestamp,sender,kind") and result.err == ""


def test_a_token_file_others_can_read_works_with_a_warning(run, grant, group_chat, tmp_path):
    path = _token_file(tmp_path, grant(group_chat), mode=0o644)
    result = run("messages", str(group_chat), "--token-file", str(path))
    assert result.code == 0
    assert result.err.splitlines() == [
        f"Warning: the token file {path} can be read by other users of this computer; "
        f"make it private with `chmod 600 {path}`."
    ]


def test_messages_reads_the_token_from_standard_input(run, grant, group_chat):
    token = grant(group_chat)
    result = run("messages", str(group_chat), "--token", "-", input=token + "\n")
    assert result.code == 0, result.err
    assert result.out.lstrip("\ufeff").startswith("timestamp,sender,kind")


def test_an_empty_standard_input_is_refused_with_a_sentence(run, grant, group_chat):
    grant(group_chat)
    result = run("messages", str(group_chat), "--token", "-")
    assert result.code == 2
    assert result.err.startswith("Error: No consent token was read from standard input")


def test_analyse_takes_a_token_file(run, grant, group_chat, tmp_path):
    path = _token_file(tmp_path, grant(group_chat))
    result = run("analyse", str(group_chat), "--token-file", str(path), "--quiet",
                 "--json", str(tmp_path / "report.json"))
    assert result.code == 0, result.err
    assert (tmp_path / "report.json").exists()


def test_chat_pairs_take_a_file_and_standard_input(run, grant, group_chat, one_to_one_zip,
                                                   tmp_path):
    first = _token_file(tmp_path, grant(group_chat))
    second = grant(one_to_one_zip)
    result = run("analyse", "--chat", str(group_chat), f"@{first}",
                 "--chat", str(one_to_one_zip), "-", "--quiet",
                 "--json", str(tmp_path / "report.json"), input=second + "\n")
    assert result.code == 0, result.err


def test_standard_input_gives_only_one_token(run, grant, group_chat, one_to_one_zip):
    grant(group_chat)
    grant(one_to_one_zip)
    result = run("analyse", "--chat", str(group_chat), "-", "--chat", str(one_to_one_zip), "-",
                 input="crt1.1.x\ncrt1.2.y\n")
    assert result.code == 2 and "Only one token can be read from standard input" in result.err


def test_token_and_token_file_together_are_a_usage_error(run, grant, group_chat, tmp_path):
    path = _token_file(tmp_path, grant(group_chat))
    result = run("messages", str(group_chat), "--token", "crt1.1.x", "--token-file", str(path))
    assert result.code == 2 and "Give --token or --token-file, not both." in result.err


def test_a_wrong_token_in_a_file_is_refused_by_the_gate(run, grant, group_chat, tmp_path):
    grant(group_chat)
    path = _token_file(tmp_path, "crt1.1.not-the-signature")
    result = run("messages", str(group_chat), "--token-file", str(path))
    assert result.code == 3 and "Consent refused" in result.err


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "is empty"), ("crt1.1.a\ncrt1.2.b\n", "has 2 lines"), (None, "does not exist")],
)
def test_a_token_file_must_hold_exactly_one_token(tmp_path, content, message):
    path = tmp_path / "token.txt"
    if content is not None:
        path.write_text(content)
        path.chmod(0o600)
    with pytest.raises(ChatReviewError, match=message):
        read_token_file(path)


def test_a_token_file_written_by_windows_notepad_is_read(tmp_path):
    path = tmp_path / "token.txt"
    path.write_bytes(b"\xef\xbb\xbfcrt1.3.abc\r\n")
    path.chmod(0o600)
    assert read_token_file(path) == "crt1.3.abc"
