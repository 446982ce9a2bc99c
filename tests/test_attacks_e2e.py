"""Issue 10's attacks, each made the way an attacker with the home folder but not the key would
(SQL edits, files copied back), through the installed console script on a real register.
Each is detected (exit 4, reading refused) or impossible."""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from conftest import audit_entries, register_rows, tamper

from chat_review.consent import chain
from chat_review.consent.register import db_path

WINDOW = ("--from", "01/10/2026", "--to", "31/10/2026")


def count_rows(home: Path) -> int:
    return register_rows(home, "SELECT count(*) FROM audit")[0][0]


def rows(home: Path) -> list[tuple]:
    return register_rows(home, "SELECT id, at, event, consent_id, actor, detail FROM audit "
                               "ORDER BY id")


def copy_register(home: Path, to: Path) -> None:
    """The database with its WAL and shared-memory files, as a file-level copy takes it."""
    to.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(db_path(home)) + suffix)
        if source.exists():
            shutil.copy2(source, to / source.name)


def put_back(copy: Path, home: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        target = Path(str(db_path(home)) + suffix)
        target.unlink(missing_ok=True)
        saved = copy / target.name
        if saved.exists():
            shutil.copy2(saved, target)


def test_truncated_log_is_not_laundered_by_the_next_command(run, grant, group_chat, home):
    token = grant(group_chat)
    assert run("messages", str(group_chat), "--token", token).code == 0
    assert run("messages", str(group_chat), "--token", token).code == 0
    tamper(home, "DELETE FROM audit WHERE event = 'read'")
    left = count_rows(home)
    refused = run("messages", str(group_chat))  # a refusal would log a row, extending the cut
    assert refused.code == 4 and "removed from the end" in refused.err
    assert run("consent", "revoke", "1", "--reason", "x", "--by", "H", "--yes").code == 4
    assert count_rows(home) == left  # nothing was appended, nothing re-sealed
    result = run("audit", "verify")
    assert result.code == 4 and "entries 2 to 3 were removed" in result.err


def test_log_rechained_without_the_key_is_found(run, grant, group_chat, home):
    token = grant(group_chat)
    assert run("messages", str(group_chat), "--token", token).code == 0
    assert run("consent", "revoke", "1", "--reason", "withdrawn", "--by", "H", "--yes").code == 0
    kept = [r for r in rows(home) if r[2] == "consent-granted"]  # the read and revocation go
    statements, prev = ["DELETE FROM audit"], chain.GENESIS
    for new_id, (_, at, event, cid, actor, detail) in enumerate(kept, 1):
        digest = hashlib.sha256(prev.encode() + b"\n" + chain.body(new_id, at, event, cid, actor,
                                                                   detail)).hexdigest()
        statements.append(("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (new_id, at, event, cid, actor, detail, prev, digest)))
        prev = digest
    tamper_with_args(home, statements)
    assert run("audit", "verify").code == 4
    read = run("messages", str(group_chat), "--token", token)
    assert read.code == 4 and "does not verify" in read.err


def tamper_with_args(home: Path, statements: list) -> None:
    conn = sqlite3.connect(db_path(home))
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    for statement in statements:
        if isinstance(statement, tuple):
            conn.execute(*statement)
        else:
            conn.execute(statement)
    conn.commit()
    conn.close()


def test_forged_consent_gets_no_token(run, grant, group_chat, home):
    grant(group_chat)
    last = rows(home)[-1]
    conn = sqlite3.connect(db_path(home))
    record = conn.execute("SELECT * FROM consents WHERE id = 1").fetchone()
    prev = conn.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()[0]
    conn.close()
    detail = json.loads(last[5])
    detail["record"]["id"] = 2
    detail["record"]["parent"] = "Nobody Consented"
    forged = json.dumps(detail, sort_keys=True)
    mac = hashlib.sha256(prev.encode() + forged.encode()).hexdigest()
    tamper_with_args(home, [
        ("INSERT INTO consents VALUES (2, 'Nobody Consented'" + ", ?" * (len(record) - 2) + ")",
         record[2:]),
        ("INSERT INTO audit VALUES (?, ?, 'consent-granted', 2, ?, ?, ?, ?)",
         (last[0] + 1, last[1], last[4], forged, prev, mac)),
    ])
    shown = run("consent", "show", "2")
    assert shown.code == 4 and "crt1." not in shown.out + shown.err
    assert run("audit", "verify").code == 4


def test_revocation_erased_from_the_table_does_not_revive_the_consent(run, grant, group_chat,
                                                                      home):
    token = grant(group_chat)
    assert run("consent", "revoke", "1", "--reason", "withdrawn", "--by", "H", "--yes").code == 0
    tamper(home, "UPDATE consents SET revoked_at = NULL, revoked_by = NULL, "
                 "revoked_reason = NULL")
    read = run("messages", str(group_chat), "--token", token)
    assert read.code == 4 and read.out == ""
    assert "read" not in [e[2] for e in rows(home)]
    verified = run("audit", "verify")
    assert verified.code == 4 and "consent #1's revoked at was changed" in verified.err


@pytest.mark.parametrize("head_too", [False, True])
def test_wiped_log_is_found(run, grant, group_chat, home, head_too):
    token = grant(group_chat)
    assert run("messages", str(group_chat), "--token", token).code == 0
    tamper(home, "DELETE FROM audit", "DELETE FROM meta WHERE key = 'audit_head'")
    if head_too:
        (home / "register.head").unlink()
    result = run("audit", "verify")
    assert result.code == 4 and "intact" not in result.out
    assert run("messages", str(group_chat), "--token", token).code == 4


def test_database_rolled_back_to_an_old_copy_is_found(run, grant, group_chat, home, tmp_path):
    token = grant(group_chat)
    old = tmp_path / "old-copy"
    copy_register(home, old)
    assert run("messages", str(group_chat), "--token", token).code == 0
    assert run("consent", "revoke", "1", "--reason", "withdrawn", "--by", "H", "--yes").code == 0
    put_back(old, home)  # the revocation and the reading vanish from the database
    result = run("audit", "verify")
    assert result.code == 4 and "older copy" in result.err
    assert run("messages", str(group_chat), "--token", token).code == 4


def test_old_head_put_back_with_a_cut_log_is_caught_by_a_report(run, grant, group_chat, home,
                                                                tmp_path):
    """Rolling back every file of the home together is not detectable from the home alone
    (SECURITY.md); a report written in between is the school's evidence that it happened."""
    token = grant(group_chat)
    old = tmp_path / "old-copy"
    copy_register(home, old)
    shutil.copy2(home / "register.head", old / "register.head")
    report = tmp_path / "report.csv"
    assert run("messages", str(group_chat), "--token", token, "--output", str(report)).code == 0
    assert run("audit", "verify", "--report", str(report)).code == 0
    put_back(old, home)
    shutil.copy2(old / "register.head", home / "register.head")
    checked = run("audit", "verify", "--report", str(report))
    assert checked.code == 4 and "NOT in the audit log" in checked.err


def test_other_date_order_on_a_windowed_consent_is_refused(run, grant, group_chat):
    token = grant(group_chat, *WINDOW)
    result = run("messages", str(group_chat), "--token", token, "--date-order", "month-first")
    assert result.code == 3 and "day-first" in result.err and result.out == ""
    assert audit_entries(run)[-1]["detail"]["reason"] == "date-order-differs"
    assert run("messages", str(group_chat), "--token", token, "--date-order",
               "day-first").code == 0
    read = audit_entries(run)[-1]
    assert read["event"] == "read" and read["detail"]["date_order"] == "day-first"
    assert read["detail"]["date_order_rule"] == "bound to consent #1 at grant"


def test_windowed_reading_says_nothing_about_messages_outside(run, grant, group_chat,
                                                             tmp_path):
    token = grant(group_chat, *WINDOW)
    report = tmp_path / "r.json"
    result = run("analyse", str(group_chat), "--token", token, "--json", str(report))
    assert result.code == 0, result.err
    text = report.read_text() + result.out + result.err
    for phrase in ("outside the window", "outside it", "messages outside the"):
        assert phrase not in text
    data = json.loads(report.read_text())
    sources = data.get("sources") or data["findings"]["sources"]
    assert all(s["window_dropped"] == 0 and s["warnings"] == [] for s in sources)
    assert "line" not in sources[0]["date_order_rule"]


def test_actor_is_the_os_account_not_an_environment_variable(run, grant, group_chat):
    token = grant(group_chat)
    result = run("messages", str(group_chat), "--token", token, "--by", "Mr J. Smith",
                 env={"LOGNAME": "Ms R. Patel (Headteacher)", "USER": "Ms R. Patel"})
    assert result.code == 0, result.err
    entries = audit_entries(run)
    account = pwd.getpwuid(os.getuid()).pw_name
    assert {e["actor"] for e in entries} == {account}
    assert entries[0]["detail"]["stated_by"] == "Ms Head"
    assert entries[-1]["detail"]["stated_by"] == "Mr J. Smith"
    assert "Patel" not in json.dumps(entries)


@pytest.mark.parametrize("target", ["register.sqlite3", "register.key", "register.head",
                                    "register.sqlite3-wal", "backup", "other-export"])
def test_force_never_replaces_evidence(run, grant, group_chat, one_to_one_zip, home, tmp_path,
                                       target):
    token = grant(group_chat)
    grant(one_to_one_zip)
    if target == "backup":
        path = tmp_path / "register-backup.sqlite3"
        assert run("register", "backup", str(path)).code == 0
    elif target == "other-export":
        path = one_to_one_zip
    else:
        path = home / target
        if not path.exists():
            path.write_bytes(b"")
            path.chmod(0o600)
    before = path.read_bytes()
    result = run("messages", str(group_chat), "--token", token, "--output", str(path), "--force")
    assert result.code == 2 and "never replaced" in result.err
    assert path.read_bytes() == before


def test_pipe_or_device_as_export_is_refused_at_once(run, grant, group_chat, tmp_path):
    token = grant(group_chat)
    fifo = tmp_path / "chat.txt"
    os.mkfifo(fifo)
    start = time.monotonic()
    granted = run("consent", "grant", str(fifo), "--parent", "P", "--purpose", "x",
                  "--recorded-by", "H")
    read = run("messages", str(fifo), "--token", token)
    device = run("messages", "/dev/zero", "--token", token)
    assert time.monotonic() - start < 60
    assert granted.code == 2 and "pipe" in granted.err
    assert read.code == 2 and "pipe" in read.err
    assert device.code == 2 and "device" in device.err


def test_report_is_checked_against_the_log(run, grant, group_chat, tmp_path):
    token = grant(group_chat)
    report = tmp_path / "messages.csv"
    assert run("messages", str(group_chat), "--token", token, "--output", str(report)).code == 0
    good = run("audit", "verify", "--report", str(report))
    assert good.code == 0 and "matches audit entry 3" in good.out
    report.write_bytes(report.read_bytes() + b"extra,row\n")
    bad = run("audit", "verify", "--report", str(report))
    assert bad.code == 4 and "NOT in the audit log" in bad.err


@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_register_file_deleted_is_not_silently_made_anew(run, grant, group_chat, home, how):
    token = grant(group_chat)
    for suffix in ("-wal", "-shm"):
        Path(str(db_path(home)) + suffix).unlink(missing_ok=True)
    if how == "deleted":
        db_path(home).unlink()
    else:
        db_path(home).write_bytes(b"")
    head = (home / "register.head").read_bytes()
    granted = run("consent", "grant", str(group_chat), "--parent", "P", "--purpose", "x",
                  "--recorded-by", "H")
    assert granted.code == 4 and "head file" in granted.err
    assert (home / "register.head").read_bytes() == head
    assert run("messages", str(group_chat), "--token", token).code in (3, 4)
    assert run("audit", "verify").code != 0
