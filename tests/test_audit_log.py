"""The audit log is a keyed chain: no entry can be edited, forged, re-chained or removed
without the register key, and the head kept beside the key catches a log cut short."""

from __future__ import annotations

import hashlib
import json

import pytest
from conftest import tamper

from chat_review.consent import audit, chain
from chat_review.consent.errors import RegisterBroken
from chat_review.consent.head import head_path, read_head
from chat_review.consent.register import Register


@pytest.fixture
def logged_home(home):
    with Register.open(home) as register:
        for n in range(5):
            register.log("test-event", detail={"n": n})
    return home


def verify(home):
    with Register.open(home, create=False) as register:
        return register.verify()


def test_intact_log_verifies(logged_home):
    result = verify(logged_home)
    assert result.ok and result.rows == 5


def test_each_entry_links_to_the_previous_entrys_mac(logged_home):
    with Register.open(logged_home) as register:
        rows = audit.rows(register.conn)
    assert rows[0].prev_hash == chain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))


def test_the_head_file_names_the_last_entry(logged_home):
    with Register.open(logged_home) as register:
        head = read_head(logged_home, register.key)
        last = audit.rows(register.conn)[-1]
    assert (head.count, head.last_mac) == (5, last.hash)
    assert head_path(logged_home).stat().st_mode & 0o077 == 0


def test_edited_entry_is_named(logged_home):
    tamper(logged_home, "UPDATE audit SET detail = '{\"n\": 99}' WHERE id = 3")
    result = verify(logged_home)
    assert not result.ok and result.broken_row == 3 and "changed" in result.problem


def test_deleted_middle_entry_is_named(logged_home):
    tamper(logged_home, "DELETE FROM audit WHERE id = 2")
    result = verify(logged_home)
    assert not result.ok and result.broken_row == 2 and "missing" in result.problem


def test_deleted_last_entries_are_found_by_the_head(logged_home):
    tamper(logged_home, "DELETE FROM audit WHERE id >= 4")
    result = verify(logged_home)
    assert not result.ok and result.broken_row == 4 and "removed from the end" in result.problem


def test_entry_rewritten_with_plain_sha256_does_not_verify(logged_home):
    """Without the key, a rewritten entry's new 'hash' can only be a keyless digest."""
    with Register.open(logged_home) as register:
        row = audit.rows(register.conn)[1]
    body = chain.body(2, row.at, "forged", None, None, "{}")
    fake = hashlib.sha256(row.prev_hash.encode() + b"\n" + body).hexdigest()
    tamper(logged_home, f"UPDATE audit SET event='forged', detail='{{}}', consent_id=NULL, "
                        f"actor=NULL, hash='{fake}' WHERE id = 2")
    result = verify(logged_home)
    assert not result.ok and result.broken_row == 2


def test_an_entry_made_with_another_key_does_not_verify(logged_home):
    other = chain.chain_key(b"\x01" * 32)
    with Register.open(logged_home) as register:
        last = audit.rows(register.conn)[-1]
    detail = json.dumps({"n": 5})
    mac = chain.row_mac(other, last.hash, chain.body(6, last.at, "test-event", None, None,
                                                     detail))
    tamper(logged_home, f"INSERT INTO audit VALUES (6, '{last.at}', 'test-event', NULL, NULL, "
                        f"'{detail}', '{last.hash}', '{mac}')")
    result = verify(logged_home)
    assert not result.ok and result.broken_row == 6 and "without the key" in result.problem


def test_appending_to_a_log_cut_short_is_refused_and_adds_nothing(logged_home):
    tamper(logged_home, "DELETE FROM audit WHERE id = 5")
    with Register.open(logged_home) as register:
        with pytest.raises(RegisterBroken, match="entries 5 to 5 were removed") as err:
            register.log("after-the-cut")
        assert register.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 4
    assert err.value.exit_code == 4


def test_appending_after_a_forged_last_entry_is_refused(logged_home):
    tamper(logged_home, "UPDATE audit SET detail = '{\"n\": 40}' WHERE id = 5")
    with Register.open(logged_home) as register, pytest.raises(RegisterBroken,
                                                               match="entry 5 was changed"):
        register.log("after-the-forgery")


@pytest.mark.parametrize("value", ["X'00ff'", "42", "'é'", "CAST(X'ff00' AS TEXT)"])
def test_a_mac_replaced_by_a_blob_null_or_number_is_a_broken_entry_not_a_crash(logged_home,
                                                                                value):
    conn = __import__("sqlite3").connect(logged_home / "register.sqlite3")
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute(f"UPDATE audit SET hash = {value}, prev_hash = {value} WHERE id = 5")
    conn.commit()
    conn.close()
    result = verify(logged_home)
    assert not result.ok and result.broken_row == 5
    with Register.open(logged_home) as register, pytest.raises(RegisterBroken):
        register.log("after")
