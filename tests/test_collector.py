"""The garbage collector rests while a big command imports and reads (`chat_review.collector`),
and every command leaves it as it found it, whatever happens."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from chat_review.cli import command_line
from chat_review.collector import CollectorPause


@pytest.fixture(autouse=True)
def _collector_restored():
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()


def test_the_collector_is_off_until_the_run_settles_then_on_with_earlier_objects_frozen(
) -> None:
    with CollectorPause() as pause:
        assert not gc.isenabled()
        pause.settled()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_leaving_before_the_run_settles_turns_the_collector_back_on() -> None:
    with CollectorPause():
        pass
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_an_error_inside_still_turns_the_collector_back_on() -> None:
    with pytest.raises(RuntimeError), CollectorPause() as pause:
        pause.settled()
        raise RuntimeError("refused")
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_collector_turned_off_by_the_caller_stays_off() -> None:
    gc.disable()
    with CollectorPause() as pause:
        pause.settled()
        assert not gc.isenabled()
    assert not gc.isenabled()


def _command(monkeypatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["chat-review", *args])
    with pytest.raises(SystemExit) as exc:
        command_line()
    return int(exc.value.code or 0)


@pytest.mark.parametrize("command", ["analyse", "messages"])
def test_the_big_commands_leave_the_collector_as_they_found_it(
        command: str, monkeypatch, grant, group_chat: Path, home: Path, tmp_path: Path) -> None:
    token = grant(group_chat)
    out = ["--json", str(tmp_path / "f.json")] if command == "analyse" else \
        ["--output", str(tmp_path / "m.csv")]
    assert _command(monkeypatch, "--home", str(home), command, str(group_chat), "--token",
                    token, *out) == 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_refused_command_leaves_the_collector_as_it_found_it(
        monkeypatch, group_chat: Path, home: Path) -> None:
    assert _command(monkeypatch, "--home", str(home), "analyse", str(group_chat), "--token",
                    "crt1.nope") == 3
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
