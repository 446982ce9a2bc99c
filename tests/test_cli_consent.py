"""End to end through the installed console script: consent, refusals, audit."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from conftest import audit_entries, console_script, grant_at, tamper

from chat_review.consent.register import Register


def test_grant_prints_a_confirmation_then_the_token_last(run, group_chat):
    result = run("consent", "grant", str(group_chat), "--parent", "Tom Aldridge",
                 "--purpose", "Complaint review", "--recorded-by", "Ms Head",
                 "--chat-name", "Tom A", "--evidence", "Form PD-2026-014")
    assert result.code == 0, result.err
    assert result.out.startswith("Consent #1 recorded.")
    assert 'Tom Aldridge (in the chat as "Tom A")' in result.out
    assert result.last_line.startswith("crt1.1.")


def test_grant_refuses_a_past_expiry_with_exit_2(run, group_chat):
    result = run("consent", "grant", str(group_chat), "--parent", "P", "--purpose", "x",
                 "--recorded-by", "H", "--expires", "01/01/2020")
    assert result.code == 2
    assert "in the past" in result.err and "Traceback" not in result.err


def test_grant_refuses_an_ambiguous_date(run, group_chat):
    result = run("consent", "grant", str(group_chat), "--parent", "P", "--purpose", "x",
                 "--recorded-by", "H", "--from", "4/5")
    assert result.code == 2 and "no year" in result.err


def test_grant_of_a_missing_file_is_a_usage_error(run, tmp_path):
    result = run("consent", "grant", str(tmp_path / "nope.txt"), "--parent", "P",
                 "--purpose", "x", "--recorded-by", "H")
    assert result.code == 2 and "does not exist" in result.err


def test_list_shows_each_consent_and_its_status(run, grant, group_chat, one_to_one_zip):
    grant(group_chat)
    token = grant(one_to_one_zip)
    run("consent", "revoke", token, "--reason", "withdrawn", "--by", "Ms Head", "--yes")
    result = run("consent", "list")
    assert result.code == 0
    lines = result.out.splitlines()
    assert "class-group-android.txt" in lines[2] and lines[2].rstrip().endswith("active")
    assert "Tom Aldridge.zip" in lines[3] and lines[3].rstrip().endswith("revoked")


def test_show_prints_the_record_and_its_token(run, grant, group_chat):
    token = grant(group_chat)
    result = run("consent", "show", "1")
    assert result.code == 0
    assert "Purpose:" in result.out and result.last_line == token


NEXT_YEAR = datetime.now(UTC).year + 1
UK_MOMENT = r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UK time"


@pytest.mark.parametrize(("typed", "shown"), [
    (f"31/07/{NEXT_YEAR}", f"31 Jul {NEXT_YEAR}, 23:59 UK time"),  # British Summer Time
    (f"31/01/{NEXT_YEAR}", f"31 Jan {NEXT_YEAR}, 23:59 UK time"),  # Greenwich Mean Time
])
def test_show_gives_a_typed_expiry_as_the_end_of_that_uk_day(run, grant, group_chat, typed,
                                                               shown):
    grant(group_chat, "--expires", typed)
    result = run("consent", "show", "1")
    assert f"Expires:     {shown}\n" in result.out


def test_show_writes_moments_in_the_reports_style_not_utc(run, grant, group_chat):
    grant(group_chat)
    result = run("consent", "show", "1")
    assert re.search(rf"Recorded by: Ms Head, {UK_MOMENT}\n", result.out), result.out
    assert "UTC" not in result.out


def test_list_gives_the_uk_days_of_recording_and_expiry(run, grant, group_chat):
    grant(group_chat, "--expires", f"31/07/{NEXT_YEAR}")
    row = run("consent", "list").out.splitlines()[2]
    assert re.search(rf"\d{{1,2}} [A-Z][a-z]{{2}} \d{{4}}  31 Jul {NEXT_YEAR}  active$", row)


def test_show_of_an_unknown_consent_is_exit_2(run, grant, group_chat):
    grant(group_chat)
    result = run("consent", "show", "42")
    assert result.code == 2 and "no consent #42" in result.err


def test_revoke_confirms_and_is_audited(run, grant, group_chat):
    token = grant(group_chat)
    result = run("consent", "revoke", token, "--reason", "Parent withdrew", "--by", "Ms Head",
                 "--yes")
    assert result.code == 0 and "revoked" in result.out
    assert audit_entries(run)[-1]["event"] == "consent-revoked"


REFUSALS = {
    "no-token": ("no consent token was given", lambda token: []),
    "malformed-token": ("not a chat-review consent token",
                        lambda token: ["--token", "hello"]),
    "unknown-consent": ("has no consent #7",
                        lambda token: ["--token", token.replace("crt1.1.", "crt1.7.")]),
    "bad-signature": ("does not match its record",
                      lambda token: ["--token", token[:-3] + ("AAA" if token[-3:] != "AAA"
                                                                else "BBB")]),
}


@pytest.mark.parametrize("reason", sorted(REFUSALS))
def test_token_refusals_exit_3_with_a_sentence_and_an_audit_row(run, grant, group_chat, reason):
    sentence, args = REFUSALS[reason]
    token = grant(group_chat)
    result = run("messages", str(group_chat), *args(token))
    assert result.code == 3
    assert result.err.startswith("Error: Consent refused:") and sentence in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    entries = audit_entries(run)
    assert entries[-1]["event"] == "refused" and entries[-1]["detail"]["reason"] == reason
    assert not any(e["event"] == "read" for e in entries)  # no grant was ever minted
    assert result.out == ""


def test_revoked_token_is_refused_end_to_end(run, grant, group_chat):
    token = grant(group_chat)
    run("consent", "revoke", "1", "--reason", "withdrawn", "--by", "Ms Head", "--yes")
    result = run("messages", str(group_chat), "--token", token)
    assert result.code == 3 and re.search(rf"was revoked on {UK_MOMENT} by Ms Head", result.err)
    assert audit_entries(run)[-1]["detail"]["reason"] == "revoked"


def test_expired_token_is_refused_end_to_end(run, home, group_chat):
    token = grant_at(home, group_chat, datetime.now(UTC) - timedelta(days=40))
    result = run("messages", str(group_chat), "--token", token)
    assert result.code == 3 and "expired on" in result.err
    assert audit_entries(run)[-1]["detail"]["reason"] == "expired"


def test_changed_export_is_refused_end_to_end(run, grant, group_chat):
    token = grant(group_chat)
    group_chat.write_bytes(group_chat.read_bytes().replace(b"Welcome", b"welcome", 1))
    result = run("messages", str(group_chat), "--token", token)
    assert result.code == 3 and "SHA-256 differs" in result.err
    entries = audit_entries(run)
    assert entries[-1]["detail"]["reason"] == "different-file"
    assert not any(e["event"] == "read" for e in entries)


def test_missing_register_is_refused_end_to_end(run, group_chat):
    result = run("messages", str(group_chat), "--token", "crt1.1." + "A" * 43)
    assert result.code == 3 and "no consent register" in result.err


def test_missing_key_is_refused_end_to_end(run, grant, home, group_chat):
    token = grant(group_chat)
    (home / "register.key").unlink()
    result = run("messages", str(group_chat), "--token", token)
    assert result.code == 3 and "key" in result.err


def test_audit_verify_passes_on_an_intact_log(run, grant, group_chat):
    grant(group_chat)
    result = run("audit", "verify")
    assert result.code == 0 and "intact" in result.out


def test_audit_verify_names_an_edited_row(run, grant, home, group_chat):
    grant(group_chat)
    grant(group_chat)
    tamper(home, "UPDATE audit SET actor = 'Someone else' WHERE id = 1")
    result = run("audit", "verify")
    assert result.code == 4 and "entry 1" in result.err


def test_audit_verify_names_a_deleted_row(run, grant, home, group_chat):
    for _ in range(3):
        grant(group_chat)
    tamper(home, "DELETE FROM audit WHERE id = 2")
    result = run("audit", "verify")
    assert result.code == 4 and "entry 2" in result.err


def test_eight_grants_started_at_once_all_succeed(home, group_chat):
    cmd = [console_script(), "--home", str(home), "consent", "grant", str(group_chat),
           "--parent", "P", "--purpose", "x", "--recorded-by", "H"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(8)]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
    assert [code for code, _, _ in results] == [0] * 8, [err for _, _, err in results]
    with Register.open(home, create=False) as register:
        assert len(register.all()) == 8
        from chat_review.consent import audit

        assert audit.verify(register.conn, register.key).ok


@pytest.mark.parametrize(
    "command",
    [[], ["consent"], ["consent", "grant"], ["consent", "list"], ["consent", "show"],
     ["consent", "revoke"], ["messages"], ["audit"], ["audit", "list"], ["audit", "verify"],
     ["register", "backup"]],
)
def test_every_command_has_help(run, command):
    result = run(*command, "--help")
    assert result.code == 0 and "Usage: chat-review" in result.out
    assert "being built" not in result.out


def test_help_documents_the_exit_codes(run):
    out = run("--help").out
    for line in ("0  done", "2  bad input", "3  consent refused"):
        assert line in out


def test_python_dash_m_runs_the_cli(home):
    import sys

    proc = subprocess.run([sys.executable, "-m", "chat_review", "--version"],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "chat-review" in proc.stdout
