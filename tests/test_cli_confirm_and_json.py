"""Irreversible commands show what they will do and ask (--yes for scripts); listings have --json.

Standard input is empty unless a test types an answer, as when a script or CI runs the tool.
"""

from __future__ import annotations

import json
from pathlib import Path


def _report(run, grant, export: Path, path: Path) -> None:
    token = grant(export)
    assert run("messages", str(export), "--token", token, "--output", str(path)).code == 0


def _status(run, consent_id: int) -> str:
    [record] = [r for r in json.loads(run("consent", "list", "--json").out)
                if r["id"] == consent_id]
    return record["status"]


# ------------------------------------------------------------------------- consent revoke


def test_revoke_shows_the_consent_and_asks_before_revoking(run, grant, group_chat):
    grant(group_chat)
    result = run("consent", "revoke", "1", "--reason", "withdrawn", "--by", "Ms Head",
                 input="y\n")
    assert result.code == 0, result.err
    assert "Parent:      Tom Aldridge" in result.err and "Revoke consent #1?" in result.err
    assert result.out.startswith("Consent #1 revoked")
    assert _status(run, 1) == "revoked"


def test_answering_no_revokes_nothing(run, grant, group_chat):
    grant(group_chat)
    result = run("consent", "revoke", "1", "--reason", "withdrawn", "--by", "Ms Head",
                 input="n\n")
    assert result.code == 0 and "Nothing was revoked." in result.err
    assert _status(run, 1) == "active"
    assert "consent-revoked" not in run("audit", "list").out


def test_revoke_with_no_answer_to_read_refuses_and_names_yes(run, grant, group_chat):
    grant(group_chat)
    result = run("consent", "revoke", "1", "--reason", "withdrawn", "--by", "Ms Head")
    assert result.code == 2
    assert result.err.splitlines()[-2] == (
        "Error: Nothing was done: `chat-review consent revoke` asks before it acts and no "
        "answer could be read; add --yes to go ahead without asking.")
    assert _status(run, 1) == "active"


def test_revoke_yes_does_not_ask(run, grant, group_chat):
    grant(group_chat)
    result = run("consent", "revoke", "1", "--reason", "withdrawn", "--by", "Ms Head", "--yes")
    assert result.code == 0 and "Revoke consent" not in result.err
    assert _status(run, 1) == "revoked"


def test_revoking_twice_is_refused_without_asking(run, grant, group_chat):
    grant(group_chat)
    run("consent", "revoke", "1", "--reason", "withdrawn", "--by", "Ms Head", "--yes")
    result = run("consent", "revoke", "1", "--reason", "again", "--by", "Ms Head")
    assert result.code == 2 and "already revoked" in result.err and "Revoke consent" not in \
        result.err


# ------------------------------------------------------------------------- consent grant


def test_granting_again_for_a_file_with_an_active_consent_says_so(run, grant, group_chat):
    grant(group_chat)
    result = run("consent", "grant", str(group_chat), "--parent", "Grace Mensah",
                 "--purpose", "x", "--recorded-by", "Ms Head")
    assert result.code == 0
    assert result.err.startswith("Note: this export already had active consent #1 (Tom Aldridge")
    assert "consent revoke 1" in result.err


def test_granting_after_a_revoked_consent_is_silent(run, grant, group_chat):
    grant(group_chat)
    run("consent", "revoke", "1", "--reason", "withdrawn", "--by", "Ms Head", "--yes")
    result = run("consent", "grant", str(group_chat), "--parent", "P", "--purpose", "x",
                 "--recorded-by", "Ms Head")
    assert result.code == 0 and result.err == ""


# ------------------------------------------------------------------------- retention --delete


def test_retention_delete_lists_then_asks_and_deletes_on_yes(run, grant, group_chat, tmp_path):
    report = tmp_path / "old.csv"
    _report(run, grant, group_chat, report)
    result = run("retention", "--days", "0", "--delete", input="yes\n")
    assert result.code == 0
    assert str(report) in result.out and "Delete the 1 report file(s) listed above?" in result.err
    assert "Deleted 1 report files" in result.out and not report.exists()


def test_retention_delete_answered_no_keeps_the_files(run, grant, group_chat, tmp_path):
    report = tmp_path / "old.csv"
    _report(run, grant, group_chat, report)
    result = run("retention", "--days", "0", "--delete", input="n\n")
    assert result.code == 0 and "Nothing was deleted." in result.out and report.exists()


def test_retention_delete_without_an_answer_refuses(run, grant, group_chat, tmp_path):
    report = tmp_path / "old.csv"
    _report(run, grant, group_chat, report)
    result = run("retention", "--days", "0", "--delete")
    assert result.code == 2 and "add --yes" in result.err and report.exists()


# ------------------------------------------------------------------------- --json listings


def test_consent_list_json_has_every_field_and_the_status(run, grant, group_chat):
    grant(group_chat, "--evidence", "Form PD-1")
    [record] = json.loads(run("consent", "list", "--json").out)
    assert record["id"] == 1 and record["parent"] == "Tom Aldridge"
    assert record["status"] == "active" and record["evidence"] == "Form PD-1"
    assert len(record["export_sha256"]) == 64


def test_consent_list_json_of_an_empty_register_is_an_empty_list(run, grant, group_chat, home):
    from chat_review.consent.register import Register

    Register.open(home).close()
    assert json.loads(run("consent", "list", "--json").out) == []


def test_calendar_json_gives_each_day(run):
    result = run("calendar", "--from", "24/12/2026", "--to", "28/12/2026", "--json")
    days = json.loads(result.out)["days"]
    assert [d["date"] for d in days] == [f"2026-12-{n}" for n in range(24, 29)]
    assert days[0]["type"] == "working" and days[0]["hours"] == "08:00-17:00"
    assert days[1]["type"] == "bank-holiday" and days[1]["holiday"] == "Christmas Day"


def test_retention_json_lists_reports_and_consents_and_what_was_deleted(run, grant, group_chat,
                                                                         tmp_path):
    report = tmp_path / "old.csv"
    _report(run, grant, group_chat, report)
    run("consent", "revoke", "1", "--reason", "withdrawn", "--by", "Ms Head", "--yes")
    listed = json.loads(run("retention", "--days", "0", "--json").out)
    assert listed["days"] == 0
    assert [(r["path"], r["state"], r["deleted"]) for r in listed["reports"]] == [
        (str(report), "present", False)]
    assert listed["inactive_consents"] == [{"id": 1, "parent": "Tom Aldridge",
                                            "export_name": group_chat.name, "status": "revoked"}]
    deleted = json.loads(run("retention", "--days", "0", "--delete", "--yes", "--json").out)
    assert deleted["reports"][0]["deleted"] is True and not report.exists()
