"""Retention (storage limitation) and consistent backups of the register."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from chat_review.consent import audit
from chat_review.consent.register import Register, db_path

WORKER = Path(__file__).with_name("register_worker.py")


def write_report(run, grant, export, path: Path) -> None:
    token = grant(export)
    assert run("messages", str(export), "--token", token, "--output", str(path)).code == 0


def test_retention_lists_old_reports_and_inactive_consents(run, grant, group_chat, tmp_path):
    write_report(run, grant, group_chat, tmp_path / "old.csv")
    run("consent", "revoke", "1", "--reason", "withdrawn", "--by", "Ms Head", "--yes")
    result = run("retention", "--days", "0")
    assert result.code == 0
    assert "Reports written more than 0 days ago: 1" in result.out
    assert str(tmp_path / "old.csv") in result.out
    assert "#1  Tom Aldridge  class-group-android.txt  revoked" in result.out
    assert (tmp_path / "old.csv").exists()  # listing deletes nothing


def test_retention_gives_each_report_the_uk_day_it_was_written(run, grant, group_chat,
                                                               tmp_path):
    write_report(run, grant, group_chat, tmp_path / "old.csv")
    line = run("retention", "--days", "0").out.splitlines()[1]
    assert re.fullmatch(rf"  \d{{1,2}} [A-Z][a-z]{{2}} \d{{4}}  {re.escape(str(tmp_path))}.*", line)


def test_recent_reports_are_not_due(run, grant, group_chat, tmp_path):
    write_report(run, grant, group_chat, tmp_path / "new.csv")
    assert "ago: 0" in run("retention", "--days", "30").out


def test_retention_delete_removes_the_file_and_logs_it(run, grant, group_chat, tmp_path):
    report = tmp_path / "old.csv"
    write_report(run, grant, group_chat, report)
    result = run("retention", "--days", "0", "--delete", "--yes")
    assert result.code == 0 and "Deleted 1 report files" in result.out
    assert not report.exists()
    last = json.loads(run("audit", "list", "--json").out.splitlines()[-1])
    assert last["event"] == "retention-deleted" and last["detail"]["path"] == str(report)
    assert "ago: 0" in run("retention", "--days", "0").out  # not listed again


def test_retention_leaves_a_file_that_changed_since(run, grant, group_chat, tmp_path):
    report = tmp_path / "old.csv"
    write_report(run, grant, group_chat, report)
    report.write_text("someone else's file now")
    result = run("retention", "--days", "0", "--delete", "--yes")
    assert "left alone" in result.out and "Deleted 0" in result.out
    assert report.read_text() == "someone else's file now"


def test_backup_is_a_consistent_register_while_others_write(run, grant, group_chat, home,
                                                           tmp_path):
    grant(group_chat)
    worker = subprocess.Popen([sys.executable, str(WORKER), str(home), str(group_chat), "60",
                               "backup"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    backup = tmp_path / "backup.sqlite3"
    result = run("register", "backup", str(backup))
    worker.communicate(timeout=120)
    assert result.code == 0, result.err
    assert backup.stat().st_mode & 0o077 == 0
    restored = tmp_path / "restored"
    restored.mkdir(mode=0o700)
    shutil.copyfile(backup, db_path(restored))
    db_path(restored).chmod(0o600)
    shutil.copyfile(home / "register.key", restored / "register.key")
    (restored / "register.key").chmod(0o600)
    with Register.open(restored, create=False) as register:
        assert audit.verify(register.conn, register.key).ok
        assert len(register.all()) >= 1


def test_backup_does_not_overwrite_without_force(run, grant, group_chat, tmp_path):
    grant(group_chat)
    target = tmp_path / "b.sqlite3"
    target.write_text("keep")
    result = run("register", "backup", str(target))
    assert result.code == 2 and "--force" in result.err and target.read_text() == "keep"


def test_retention_period_comes_from_the_settings(run, grant, group_chat, tmp_path):
    write_report(run, grant, group_chat, tmp_path / "r.csv")
    settings = tmp_path / "s.toml"
    settings.write_text("[retention]\nreport_days = 0\n")
    result = run("retention", "--config", str(settings))
    assert "more than 0 days ago: 1" in result.out


def test_retention_period_defaults_to_a_year(run, grant, group_chat, tmp_path):
    write_report(run, grant, group_chat, tmp_path / "r.csv")
    assert "more than 365 days ago: 0" in run("retention").out
