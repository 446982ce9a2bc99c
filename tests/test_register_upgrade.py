"""A register written by the previous release (SHA-256 chain + sealed head) is upgraded once:
its old chain is verified, then continued as a keyed chain; the upgrade is itself an entry."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import audit_entries, register_rows, tamper

from chat_review.consent import chain
from chat_review.consent.errors import ConsentRefused
from chat_review.consent.gate import open_export
from chat_review.consent.head import head_path
from chat_review.consent.register import SCHEMA_VERSION, Register, db_path

LEGACY = Path(__file__).with_name("data") / "legacy-v1"
MADE_AT = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)  # just after the fixture was written


@pytest.fixture
def legacy_home(home: Path, tmp_path: Path) -> Path:
    home.mkdir(mode=0o700)
    for name in ("register.sqlite3", "register.key"):
        shutil.copyfile(LEGACY / name, home / name)
        (home / name).chmod(0o600)
    shutil.copyfile(LEGACY / "chat.txt", tmp_path / "chat.txt")
    return home


def schema(home: Path) -> int:
    return register_rows(home, "PRAGMA user_version")[0][0]


def test_the_fixture_is_a_previous_release_register(legacy_home):
    assert schema(legacy_home) == 1 and not head_path(legacy_home).exists()


def test_previous_release_register_is_upgraded_and_verifies(run, legacy_home):
    result = run("audit", "verify")
    assert result.code == 0 and "intact: 6 entries" in result.out, result.err
    entries = audit_entries(run)
    upgrade = entries[-1]
    assert upgrade["event"] == "register-upgraded" and upgrade["id"] == 6
    assert upgrade["detail"]["legacy_entries"] == 5
    assert upgrade["detail"]["legacy_head"] == entries[4]["hash"] == upgrade["prev_hash"]
    assert schema(legacy_home) == SCHEMA_VERSION and head_path(legacy_home).exists()


def test_upgrade_happens_once(run, legacy_home):
    run("audit", "verify")
    run("consent", "list")
    assert [e["event"] for e in audit_entries(run)].count("register-upgraded") == 1


def test_upgraded_register_keeps_consents_tokens_and_revocations(run, legacy_home, tmp_path):
    with Register.open(legacy_home, create=False, clock=lambda: MADE_AT):
        pass  # upgraded as if just after the fixture was made, while consent #1 was active
    listing = run("consent", "list")
    assert listing.code == 0 and "revoked" in listing.out
    export = tmp_path / "chat.txt"
    token1, token2 = ((LEGACY / n).read_text().strip() for n in ("tok1", "tok2"))
    grant = open_export(legacy_home, token1, export, command="test", clock=lambda: MADE_AT)
    assert grant.consent_id == 1 and grant.date_order is None
    with pytest.raises(ConsentRefused) as refused:
        open_export(legacy_home, token2, export, command="test", clock=lambda: MADE_AT)
    assert refused.value.reason == "revoked"
    assert run("audit", "verify").code == 0


def test_new_entries_after_the_upgrade_are_keyed(run, legacy_home):
    run("consent", "revoke", "1", "--reason", "case closed", "--by", "Ms Head", "--yes")
    with Register.open(legacy_home, create=False) as register:
        last = register.conn.execute(
            "SELECT id, at, event, consent_id, actor, detail, prev_hash, hash FROM audit "
            "ORDER BY id DESC LIMIT 1").fetchone()
        ckey = chain.chain_key(register.key)
    assert last[2] == "consent-revoked"
    assert last[7] == chain.row_mac(ckey, last[6], chain.body(*last[:6]))


def test_a_previous_release_register_with_a_broken_chain_is_not_upgraded(run, legacy_home):
    tamper(legacy_home, "DELETE FROM audit WHERE id = 3")
    result = run("audit", "verify")
    assert result.code == 4 and "was not upgraded" in result.err
    assert schema(legacy_home) == 1 and not head_path(legacy_home).exists()


def test_a_previous_release_log_re_chained_and_resealed_without_the_key_is_not_upgraded(
        run, legacy_home):
    """The old seal needs the key: a re-chained old log cannot be given a matching one."""
    conn = sqlite3.connect(db_path(legacy_home))
    rows = conn.execute("SELECT id, at, event, consent_id, actor, detail FROM audit "
                        "WHERE event != 'consent-revoked' ORDER BY id").fetchall()
    conn.close()
    statements = ["DELETE FROM audit"]
    prev = chain.GENESIS
    for new_id, (_, at, event, cid, actor, detail) in enumerate(rows, 1):
        digest = chain.legacy_hash(prev, chain.legacy_canonical(new_id, at, event, cid, actor,
                                                                detail))
        statements.append(
            f"INSERT INTO audit VALUES ({new_id}, '{at}', '{event}', "
            f"{'NULL' if cid is None else cid}, '{actor}', '{detail}', '{prev}', '{digest}')")
        prev = digest
    tamper(legacy_home, *statements)
    result = run("audit", "verify")
    assert result.code == 4 and "seal" in result.err


def test_the_old_file_put_back_after_the_upgrade_is_refused(run, legacy_home):
    assert run("audit", "verify").code == 0
    shutil.copyfile(LEGACY / "register.sqlite3", db_path(legacy_home))
    for suffix in ("-wal", "-shm"):
        Path(str(db_path(legacy_home)) + suffix).unlink(missing_ok=True)
    result = run("audit", "verify")
    assert result.code == 4 and "older copy" in result.err


def test_old_entries_rewritten_after_the_upgrade_are_found(run, legacy_home):
    assert run("audit", "verify").code == 0
    tamper(legacy_home, "UPDATE audit SET detail = '{}' WHERE id = 4")
    result = run("audit", "verify")
    assert result.code == 4 and "entry 4" in result.err
