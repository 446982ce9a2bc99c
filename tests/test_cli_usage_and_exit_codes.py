"""Usage errors are one sentence and a pointer to --help; a missing register is exit 3 everywhere;
a terminal that cannot show a character (cp1252 and an emoji) never breaks a command."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import console_script


def test_a_missing_option_is_one_sentence_and_a_pointer_to_help(run, group_chat):
    result = run("consent", "grant", str(group_chat), "--purpose", "x", "--recorded-by", "R")
    assert result.code == 2
    assert result.err.splitlines() == [
        "Error: Missing option '--parent'.",
        "Run 'chat-review consent grant --help' for usage.",
    ]


def test_an_unknown_command_names_the_group_to_ask_for_help(run):
    result = run("consent", "grnt")
    assert result.code == 2
    first, second = result.err.splitlines()
    assert first.startswith("Error: No such command 'grnt'.")
    assert second == "Run 'chat-review consent --help' for usage."


def test_a_bad_option_value_is_one_sentence(run):
    result = run("retention", "--days", "soon")
    assert result.code == 2
    assert result.err.splitlines() == [
        "Error: Invalid value for '--days': 'soon' is not a valid integer range.",
        "Run 'chat-review retention --help' for usage.",
    ]


def test_a_usage_error_raised_by_a_command_keeps_its_sentence(run):
    result = run("analyse")
    assert result.code == 2
    assert result.err.splitlines() == [
        "Error: Give an EXPORT with --token, or --chat EXPORT TOKEN.",
        "Run 'chat-review analyse --help' for usage.",
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("consent", "list"),
        ("consent", "show", "1"),
        ("consent", "revoke", "1", "--reason", "r", "--by", "b", "--yes"),
        ("audit", "list"),
        ("audit", "verify"),
        ("register", "backup", "copy.sqlite3"),
        ("retention", "--days", "1"),
        ("messages", "EXPORT", "--token", "crt1.1.x"),
    ],
)
def test_a_missing_register_is_exit_3_with_the_same_sentence_everywhere(run, group_chat, args):
    args = tuple(str(group_chat) if a == "EXPORT" else a for a in args)
    result = run(*args)
    assert result.code == 3, result.err
    assert "no consent register in" in result.err
    assert len(result.err.splitlines()) == 1


def test_a_missing_key_is_exit_3(run, home, group_chat):
    assert run("consent", "grant", str(group_chat), "--parent", "P", "--purpose", "x",
               "--recorded-by", "R").code == 0
    (home / "register.key").unlink()
    result = run("consent", "list")
    assert result.code == 3 and "register key" in result.err


EMOJI_EXPORT = (
    "04/09/2026, 21:14 - Tom 😀 Aldridge: Evening all\n"
    "04/09/2026, 21:15 - Tom 😀 Aldridge: Anyone know about PE?\n"
    "04/09/2026, 21:16 - Grace Mensah: Tuesdays I think\n"
)


def _run_cp1252(home: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAT_REVIEW")}
    env["PYTHONIOENCODING"] = "cp1252"
    return subprocess.run([console_script(), "--home", str(home), *args], capture_output=True,
                          env=env, cwd=cwd, timeout=120)


def _grant_cp1252(home: Path, tmp_path: Path, parent: str,
                  name: str = "emoji.txt") -> tuple[Path, str]:
    """The emoji export, granted from a cp1252 terminal: (the export, its token)."""
    export = tmp_path / name
    export.write_text(EMOJI_EXPORT, encoding="utf-8")
    granted = _run_cp1252(home, tmp_path, "consent", "grant", str(export), "--parent", parent,
                          "--purpose", "x", "--recorded-by", "R")
    assert granted.returncode == 0, granted.stderr
    return export, granted.stdout.decode("cp1252").strip().splitlines()[-1]


def test_a_cp1252_terminal_shows_an_emoji_sender_as_an_escape_not_a_failure(home, tmp_path):
    export, token = _grant_cp1252(home, tmp_path, "Tom 😀 Aldridge")
    listed = _run_cp1252(home, tmp_path, "consent", "list")
    assert listed.returncode == 0, listed.stderr
    assert "Tom \\U0001f600 Aldridge" in listed.stdout.decode("cp1252")
    analysed = _run_cp1252(home, tmp_path, "analyse", str(export), "--token", token)
    assert analysed.returncode == 0, analysed.stderr
    summary = analysed.stdout.decode("cp1252")
    assert "Tom \\U0001f600 Aldridge" in summary and "failed unexpectedly" not in summary


def test_a_cp1252_terminal_still_gets_utf8_csv_bytes_from_messages(home, tmp_path):
    export, token = _grant_cp1252(home, tmp_path, "Tom")
    table = _run_cp1252(home, tmp_path, "messages", str(export), "--token", token)
    assert table.returncode == 0, table.stderr
    assert "Tom 😀 Aldridge" in table.stdout.decode("utf-8")  # the table is data: exact bytes


def test_json_output_on_a_cp1252_terminal_is_still_utf8_json(home, tmp_path):
    _grant_cp1252(home, tmp_path, "Tom 😀", name="chat 😀.txt")
    import json

    [record] = json.loads(_run_cp1252(home, tmp_path, "consent", "list", "--json").stdout)
    assert record["parent"] == "Tom 😀"
    audit = _run_cp1252(home, tmp_path, "audit", "list", "--json").stdout.decode("utf-8")
    assert json.loads(audit.splitlines()[0])["detail"]["export_name"] == "chat 😀.txt"
