"""Network shares get a rollback journal and a warning; folders without hard links still work.

Windows and network-share behaviour is simulated: the share detector is given a mounts table
or a drive-type function, and `os.link` is replaced by one that fails as it does on FAT/exFAT.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import warnings
from pathlib import Path

import pytest

from chat_review.consent import storage
from chat_review.consent.errors import StorageWarning
from chat_review.consent.register import Register
from chat_review.errors import OutputError
from chat_review.output_files import write_atomic

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
//school-nas/office /mnt/school cifs rw,vers=3.0 0 0
server:/export/home /mnt/nfs\\040home nfs4 rw 0 0
/dev/sdb1 /mnt/school/usb vfat rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "fstype"),
    [
        ("/home/head/chat-review", "ext4"),
        ("/mnt/school", "cifs"),
        ("/mnt/school/chat-review", "cifs"),
        ("/mnt/schoolx/chat-review", "ext4"),  # a longer name is not inside /mnt/school
        ("/mnt/nfs home/chat-review", "nfs4"),  # octal escape for the space
        ("/mnt/school/usb/chat-review", "vfat"),  # the deepest mount wins
    ],
)
def test_the_mount_holding_a_path_gives_its_filesystem(path, fstype):
    assert storage.linux_filesystem(path, MOUNTS) == fstype


def test_unc_paths_are_network_paths_on_windows():
    def never(_root: str) -> int:
        raise AssertionError("a UNC path needs no drive lookup")

    assert storage.windows_share(r"\\nas\office\chat-review", never).startswith("a network path")


def test_a_mapped_network_drive_is_a_share_and_a_local_disk_is_not():
    types = {"Z:\\": storage.DRIVE_REMOTE, "C:\\": 3}
    assert storage.windows_share(r"Z:\chat-review", types.__getitem__) == "a network drive (Z:)"
    assert storage.windows_share(r"C:\Users\head\chat-review", types.__getitem__) is None


def _on_a_share(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "network_share", lambda home: "a network share (cifs)")


def test_register_on_a_network_share_uses_a_rollback_journal_and_warns(home, monkeypatch):
    _on_a_share(monkeypatch)
    with pytest.warns(StorageWarning, match=r"network share \(cifs\).*WAL mode does not work"):
        register = Register.open(home)
    with register:
        assert register.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        register.log("test-event")
    assert not Path(f"{home}/register.sqlite3-wal").exists()


def test_a_wal_register_moved_onto_a_share_leaves_wal(home, monkeypatch):
    Register.open(home).close()
    _on_a_share(monkeypatch)
    with pytest.warns(StorageWarning), Register.open(home) as register:
        assert register.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_local_register_stays_in_wal_without_a_warning(home, monkeypatch):
    monkeypatch.setattr(storage, "network_share", lambda home: None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with Register.open(home) as register:
            assert register.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_database_that_refuses_wal_is_used_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(storage, "network_share", lambda home: None)
    conn = sqlite3.connect(":memory:")  # in-memory databases cannot use WAL
    with pytest.warns(StorageWarning, match="does not support SQLite's WAL mode"):
        assert storage.set_journal_mode(conn, tmp_path) == "memory"


def _links_fail(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """os.link as on a FAT/exFAT stick: EPERM, whatever the names."""
    calls: list[str] = []

    def no_link(src, dst, *args, **kwargs):
        calls.append(str(dst))
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    return calls


def test_reports_are_written_where_hard_links_fail(tmp_path, monkeypatch):
    calls = _links_fail(monkeypatch)
    target = tmp_path / "report.json"
    digest = write_atomic(target, b'{"ok": true}\n', force=False)
    assert calls == [str(target)]  # the link was tried, failed, and the fallback wrote it
    assert target.read_bytes() == b'{"ok": true}\n' and len(digest) == 64
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temp file left


def test_without_links_an_existing_report_is_still_never_overwritten(tmp_path, monkeypatch):
    _links_fail(monkeypatch)
    target = tmp_path / "report.json"
    target.write_bytes(b"the first run's report")
    real_exists = Path.exists
    # A second run that passed the up-front check just before the first run wrote its file:
    monkeypatch.setattr(Path, "exists", lambda p: False if p == target else real_exists(p))
    with pytest.raises(OutputError, match="already exists"):
        write_atomic(target, b"the second run's report", force=False)
    monkeypatch.undo()
    assert target.read_bytes() == b"the first run's report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_without_links_force_still_replaces(tmp_path, monkeypatch):
    _links_fail(monkeypatch)
    target = tmp_path / "report.json"
    target.write_bytes(b"old")
    write_atomic(target, b"new", force=True)
    assert target.read_bytes() == b"new"


def test_the_console_script_writes_reports_where_links_fail(run, grant, group_chat, tmp_path):
    """End to end, with os.link failing in the real process as on a FAT/exFAT stick."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(
        "import errno, os\n"
        "def _no_link(*args, **kwargs):\n"
        "    raise PermissionError(errno.EPERM, 'Operation not permitted')\n"
        "os.link = _no_link\n"
    )
    token = grant(group_chat)
    out = tmp_path / "stick"
    out.mkdir()
    args = ("analyse", str(group_chat), "--token", token, "--quiet",
            "--json", str(out / "report.json"), "--png", str(out / "report.png"))
    result = run(*args, env={"PYTHONPATH": str(shim)})
    assert result.code == 0, result.err
    assert sorted(p.name for p in out.iterdir()) == ["report.json", "report.png"]
    again = run(*args, env={"PYTHONPATH": str(shim)})
    assert again.code == 2 and "already exists" in again.err
