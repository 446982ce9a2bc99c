"""Recovery needs the key and is logged: a backup restored after tampering, a far-ahead clock."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import audit_entries, grant_at, tamper

from chat_review.consent.register import db_path


def test_clock_set_far_ahead_once_is_recovered_by_a_logged_reset(run, group_chat, home):
    token = grant_at(home, group_chat, datetime.now(UTC) + timedelta(days=3 * 365))
    refused = run("messages", str(group_chat), "--token", token)
    assert refused.code == 3 and "clock-reset" in refused.err
    reset = run("register", "clock-reset", "--by", "Ms Head")
    assert reset.code == 0 and "Logged a clock correction" in reset.out
    entry = audit_entries(run)[-1]
    assert entry["event"] == "clock-corrected"
    assert entry["detail"]["latest_entry_at"] > entry["detail"]["clock_now"]
    assert entry["detail"]["stated_by"] == "Ms Head"
    assert run("messages", str(group_chat), "--token", token).code == 0


def test_clock_reset_with_nothing_to_reset_is_refused(run, grant, group_chat):
    grant(group_chat)
    result = run("register", "clock-reset")
    assert result.code == 2 and "nothing to reset" in result.err
    assert [e["event"] for e in audit_entries(run)] == ["consent-granted"]


def test_a_verified_backup_is_restored_after_tampering_and_the_restore_is_logged(
        run, grant, group_chat, home, tmp_path):
    token = grant(group_chat)
    backup = tmp_path / "backup.sqlite3"
    assert run("register", "backup", str(backup)).code == 0
    assert run("messages", str(group_chat), "--token", token).code == 0
    tamper(home, "DELETE FROM audit WHERE event = 'read'")
    assert run("audit", "verify").code == 4
    restored = run("register", "restore", str(backup), "--by", "Ms Head")
    assert restored.code == 0 and "every link checked" in restored.out, restored.err
    kept = list(home.glob("register.sqlite3.replaced-*"))
    assert kept and kept[0].stat().st_mode & 0o077 == 0
    assert run("audit", "verify").code == 0
    last = audit_entries(run)[-1]
    assert last["event"] == "register-restored" and "entries" in last["detail"]["superseded"]
    assert run("messages", str(group_chat), "--token", token).code == 0


def test_a_tampered_backup_is_not_restored(run, grant, group_chat, home, tmp_path):
    grant(group_chat)
    backup = tmp_path / "backup.sqlite3"
    assert run("register", "backup", str(backup)).code == 0
    copy_home = tmp_path / "copy"
    copy_home.mkdir()
    shutil.copyfile(backup, db_path(copy_home))
    tamper(copy_home, "UPDATE audit SET actor = 'someone else'")
    shutil.copyfile(db_path(copy_home), backup)
    before = db_path(home).read_bytes()
    result = run("register", "restore", str(backup))
    assert result.code == 4 and "was not restored" in result.err
    assert db_path(home).read_bytes() == before


def test_a_backup_of_another_register_is_not_restored(run, grant, group_chat, tmp_path):
    grant(group_chat)
    other: Path = tmp_path / "other-home"
    assert run("--home", str(other), "consent", "grant", str(group_chat), "--parent", "P",
               "--purpose", "x", "--recorded-by", "H", use_home=False).code == 0
    backup = tmp_path / "other.sqlite3"
    assert run("--home", str(other), "register", "backup", str(backup), use_home=False).code == 0
    result = run("register", "restore", str(backup))
    assert result.code in (2, 4) and "not restored" in result.err
