"""The audit log is hash-chained: any edited or deleted row is found and named."""

from __future__ import annotations

import pytest
from conftest import tamper

from chat_review.consent import audit
from chat_review.consent.register import Register


@pytest.fixture
def logged_home(home):
    with Register.open(home) as register:
        for n in range(5):
            register.log("test-event", detail={"n": n})
    return home


def verify(home):
    with Register.open(home, create=False) as register:
        return audit.verify(register.conn, register.key)


def test_intact_log_verifies(logged_home):
    result = verify(logged_home)
    assert result.ok and result.rows == 5


def test_each_row_links_to_the_previous_rows_hash(logged_home):
    with Register.open(logged_home) as register:
        rows = audit.rows(register.conn)
    assert rows[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))


def test_edited_row_is_named(logged_home):
    tamper(logged_home, "UPDATE audit SET detail = '{\"n\": 99}' WHERE id = 3")
    result = verify(logged_home)
    assert not result.ok and result.broken_row == 3 and "changed" in result.problem


def test_deleted_middle_row_is_named(logged_home):
    tamper(logged_home, "DELETE FROM audit WHERE id = 2")
    result = verify(logged_home)
    assert not result.ok and result.broken_row == 2 and "missing" in result.problem


def test_deleted_last_rows_are_found_by_the_seal(logged_home):
    tamper(logged_home, "DELETE FROM audit WHERE id >= 4")
    result = verify(logged_home)
    assert not result.ok and result.broken_row == 4 and "deleted from the end" in result.problem


def test_row_rewritten_with_a_recomputed_hash_breaks_the_next_link(logged_home):
    with Register.open(logged_home) as register:
        row = audit.rows(register.conn)[1]
    body = audit.canonical(2, row.at, "forged", None, None, "{}")
    new_hash = audit.chain_hash(row.prev_hash, body)
    tamper(logged_home, f"UPDATE audit SET event='forged', detail='{{}}', consent_id=NULL, "
                        f"actor=NULL, hash='{new_hash}' WHERE id = 2")
    result = verify(logged_home)
    assert not result.ok and result.broken_row == 3
