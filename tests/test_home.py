"""The default home is the user's data folder; a register in 0.1.0's folder is never lost."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from chat_review.consent.errors import StorageWarning
from chat_review.consent.home import choose_home, default_home, legacy_home, resolve_home


@pytest.fixture
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A fake user: XDG data and config folders under tmp_path, no CHAT_REVIEW_HOME."""
    dirs = {"HOME": tmp_path / "user", "XDG_DATA_HOME": tmp_path / "user" / "data",
            "XDG_CONFIG_HOME": tmp_path / "user" / "config"}
    for name, path in dirs.items():
        monkeypatch.setenv(name, str(path))
    monkeypatch.delenv("CHAT_REVIEW_HOME", raising=False)
    return dirs


def _env(dirs: dict[str, Path]) -> dict[str, str]:
    return {name: str(path) for name, path in dirs.items()}


def test_default_home_is_the_user_data_folder_on_linux(user_dirs):
    assert default_home() == user_dirs["XDG_DATA_HOME"] / "chat-review"
    assert resolve_home(None) == user_dirs["XDG_DATA_HOME"] / "chat-review"


def test_default_home_on_macos_is_application_support():
    from platformdirs.macos import MacOS

    path = MacOS("chat-review", appauthor=False).user_data_dir
    assert path == str(Path("~/Library/Application Support/chat-review").expanduser())


def test_the_old_home_was_the_click_settings_folder(user_dirs):
    assert legacy_home() == user_dirs["XDG_CONFIG_HOME"] / "chat-review"


def test_home_option_wins_over_environment_and_default(user_dirs, tmp_path, monkeypatch):
    monkeypatch.setenv("CHAT_REVIEW_HOME", str(tmp_path / "env"))
    assert resolve_home(tmp_path / "opt") == tmp_path / "opt"
    assert resolve_home(None) == tmp_path / "env"


def test_a_register_only_in_the_old_folder_is_used_with_a_warning(user_dirs):
    old = user_dirs["XDG_CONFIG_HOME"] / "chat-review"
    old.mkdir(parents=True)
    (old / "register.sqlite3").write_bytes(b"")
    choice = choose_home(None)
    assert choice.path == old
    assert "To move it" in choice.note and str(default_home()) in choice.note
    with pytest.warns(StorageWarning, match="0.1.0"):
        assert resolve_home(None) == old


def test_a_register_in_both_folders_uses_the_new_one_and_mentions_the_old(user_dirs):
    for base in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        folder = user_dirs[base] / "chat-review"
        folder.mkdir(parents=True)
        (folder / "register.sqlite3").write_bytes(b"")
    choice = choose_home(None)
    assert choice.path == default_home()
    assert "older consent register is also in" in choice.note


def test_no_old_register_means_no_warning(user_dirs):
    (user_dirs["XDG_CONFIG_HOME"] / "chat-review").mkdir(parents=True)  # settings, no register
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert resolve_home(None) == default_home()


def test_an_explicit_home_never_warns_about_the_old_folder(user_dirs, tmp_path):
    old = user_dirs["XDG_CONFIG_HOME"] / "chat-review"
    old.mkdir(parents=True)
    (old / "register.sqlite3").write_bytes(b"")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert resolve_home(tmp_path / "mine") == tmp_path / "mine"


def test_cli_keeps_using_a_0_1_0_register_and_says_how_to_move_it(user_dirs, run, group_chat):
    env = _env(user_dirs)
    old = user_dirs["XDG_CONFIG_HOME"] / "chat-review"
    granted = run("--home", str(old), "consent", "grant", str(group_chat), "--parent", "P",
                  "--purpose", "x", "--recorded-by", "R", use_home=False, env=env)
    assert granted.code == 0, granted.err
    listed = run("consent", "list", use_home=False, env=env)
    assert listed.code == 0 and "P" in listed.out
    [warning] = listed.err.splitlines()
    assert warning.startswith("Warning: using the consent register in " + str(old))
    assert str(user_dirs["XDG_DATA_HOME"] / "chat-review") in warning


def test_cli_creates_a_new_register_in_the_data_folder(user_dirs, run, group_chat):
    result = run("consent", "grant", str(group_chat), "--parent", "P", "--purpose", "x",
                 "--recorded-by", "R", use_home=False, env=_env(user_dirs))
    assert result.code == 0 and result.err == ""
    assert (user_dirs["XDG_DATA_HOME"] / "chat-review" / "register.sqlite3").is_file()
