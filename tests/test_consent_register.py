"""The register file: where it lives, how it is protected, how its schema evolves."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from chat_review.consent.errors import RegisterError
from chat_review.consent.home import resolve_home
from chat_review.consent.register import SCHEMA_VERSION, Register, db_path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_home_option_wins_over_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CHAT_REVIEW_HOME", str(tmp_path / "env"))
    assert resolve_home(tmp_path / "option") == tmp_path / "option"


def test_environment_wins_over_app_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("CHAT_REVIEW_HOME", str(tmp_path / "env"))
    assert resolve_home(None) == tmp_path / "env"


def test_new_register_is_private_to_its_owner(home):
    Register.open(home).close()
    assert mode(home) == 0o700
    assert mode(db_path(home)) == 0o600
    assert mode(home / "register.key") == 0o600


def test_register_uses_wal_and_current_schema_version(home):
    with Register.open(home) as register:
        assert register.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert register.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert register.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_opening_twice_keeps_the_same_register_id(home):
    with Register.open(home) as first:
        register_id = first.register_id
    with Register.open(home) as second:
        assert second.register_id == register_id


def test_missing_register_is_refused_when_not_creating(home):
    with pytest.raises(RegisterError, match="no consent register"):
        Register.open(home, create=False)


def test_foreign_sqlite_file_is_refused(home):
    home.mkdir(mode=0o700)
    conn = sqlite3.connect(db_path(home))
    conn.execute("CREATE TABLE stuff (x)")
    conn.commit()
    conn.close()
    db_path(home).chmod(0o600)
    (home / "register.key").write_text("00" * 32)
    (home / "register.key").chmod(0o600)
    with pytest.raises(RegisterError, match="not a chat-review register"):
        Register.open(home)


def test_corrupt_register_file_is_refused_with_recovery_hint(home):
    Register.open(home).close()
    db_path(home).write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(RegisterError, match="damaged or is not a chat-review register"):
        Register.open(home)


def test_register_from_newer_version_is_refused(home):
    Register.open(home).close()
    conn = sqlite3.connect(db_path(home))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(RegisterError, match="newer chat-review"):
        Register.open(home)


def test_missing_key_is_refused_once_the_register_exists(home):
    Register.open(home).close()
    (home / "register.key").unlink()
    with pytest.raises(RegisterError, match="key .* is missing"):
        Register.open(home)


def test_key_readable_by_others_is_refused(home):
    Register.open(home).close()
    (home / "register.key").chmod(0o644)
    with pytest.raises(RegisterError, match="chmod 600"):
        Register.open(home)


def test_audit_rows_cannot_be_updated_through_sqlite(home):
    with Register.open(home) as register:
        register.log("test-event")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            register.conn.execute("UPDATE audit SET event = 'other'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            register.conn.execute("DELETE FROM audit")
