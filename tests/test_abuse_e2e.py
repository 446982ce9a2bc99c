"""The console script used the way an attacker would: every attempt is refused and logged."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta

import pytest
from conftest import audit_entries, grant_at, tamper

from chat_review.consent import consents
from chat_review.consent.register import Register, db_path


def test_token_from_another_home_is_refused(run, grant, group_chat, tmp_path):
    other_home = tmp_path / "other"
    with Register.open(other_home) as register:
        _, foreign = consents.grant(register, group_chat, parent="P", purpose="x",
                                    recorded_by="Attacker",
                                    expires_at=datetime.now(UTC) + timedelta(days=5))
    grant(group_chat)  # this home has consent #1 too, for the same file, under another key
    result = run("messages", str(group_chat), "--token", foreign)
    assert result.code == 3 and "does not match its record" in result.err
    assert audit_entries(run)[-1]["detail"]["reason"] == "bad-signature"


def test_token_for_a_copy_with_one_line_added_is_refused(run, grant, group_chat, tmp_path):
    token = grant(group_chat)
    copy = tmp_path / "copy.txt"
    copy.write_bytes(group_chat.read_bytes() + b"14/11/2026, 09:00 - Tom Aldridge: added\n")
    result = run("messages", str(copy), "--token", token)
    assert result.code == 3 and "SHA-256 differs" in result.err


def test_symlink_swapped_in_after_the_grant_is_refused(run, grant, group_chat, tmp_path):
    link = tmp_path / "chat.txt"
    os.symlink(group_chat, link)
    token = grant(link)
    other = tmp_path / "other.txt"
    other.write_bytes(group_chat.read_bytes().replace(b"Tom", b"Tim"))
    link.unlink()
    os.symlink(other, link)
    result = run("messages", str(link), "--token", token)
    assert result.code == 3 and "SHA-256 differs" in result.err


@pytest.mark.parametrize(
    ("new_key", "code", "sentence"), [(None, 3, "key"), ("11" * 32, 4, "does not verify")]
)
def test_register_copied_to_another_home_refuses(run, grant, group_chat, tmp_path, home,
                                                  new_key, code, sentence):
    token = grant(group_chat)
    stolen = tmp_path / "stolen-home"
    stolen.mkdir(mode=0o700)
    shutil.copyfile(db_path(home), db_path(stolen))
    db_path(stolen).chmod(0o600)
    if new_key is not None:  # the thief makes a key of their own
        (stolen / "register.key").write_text(new_key)
        (stolen / "register.key").chmod(0o600)
    result = run("--home", str(stolen), "messages", str(group_chat), "--token", token,
                 use_home=False)
    assert result.code == code and sentence in result.err


def test_deleted_audit_row_is_found(run, grant, group_chat, home):
    token = grant(group_chat)
    assert run("messages", str(group_chat), "--token", token).code == 0
    tamper(home, "DELETE FROM audit WHERE event = 'read'")
    result = run("audit", "verify")
    assert result.code == 4 and "BROKEN" in result.err


def test_clock_set_back_behind_the_register_is_refused(run, group_chat, home):
    ahead = datetime.now(UTC) + timedelta(days=3)  # as if events were logged, then time rewound
    token = grant_at(home, group_chat, ahead)
    result = run("messages", str(group_chat), "--token", token)
    assert result.code == 3 and "clock" in result.err
    assert audit_entries(run)[-1]["detail"]["reason"] == "clock-behind"


def test_record_extended_in_sqlite_does_not_revive_an_expired_consent(run, group_chat, home):
    token = grant_at(home, group_chat, datetime.now(UTC) - timedelta(days=40))
    tamper(home, "UPDATE consents SET expires_at = '2099-01-01T00:00:00+00:00'")
    result = run("messages", str(group_chat), "--token", token)
    assert result.code == 4 and "expires at was changed in the table" in result.err
    assert run("consent", "show", "1").code == 4  # nor will it re-issue a token for the edit
