"""What kind of disk the home is on, and the SQLite journal mode that is safe there.

WAL (the register's normal mode) needs shared memory between every process using the file,
which a network share (SMB/CIFS, NFS, ...) cannot give across computers: SQLite documents
that WAL "does not work over a network filesystem". On a share the register uses the
rollback journal instead, and the user is warned to keep the register on a local disk.
What is detected: Linux mount types (/proc/mounts), Windows UNC paths (\\\\server\\share) and
mapped network drives. Elsewhere (macOS) a share is not detected, and WAL is kept.
"""

from __future__ import annotations

import os
import sqlite3
import warnings
from collections.abc import Callable
from pathlib import Path, PureWindowsPath

from .errors import StorageWarning

# Linux filesystem types that live on another computer (or are shared with one).
NETWORK_FILESYSTEMS = frozenset({
    "cifs", "smb3", "smbfs", "nfs", "nfs4", "afs", "ncpfs", "9p", "vboxsf", "ceph",
    "glusterfs", "fuse.glusterfs", "lustre", "gpfs", "fuse.sshfs", "sshfs", "davfs",
    "fuse.davfs2", "fuse.rclone", "fuse.s3fs", "coda",
})
DRIVE_REMOTE = 4  # GetDriveTypeW: a mapped network drive


def _unescape(field: str) -> str:
    """/proc/mounts writes spaces, tabs, newlines and backslashes as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def linux_filesystem(path: str, mounts: str) -> str | None:
    """The filesystem type of the mount that holds `path` (an absolute, resolved path)."""
    best, best_type = "", None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point, fstype = _unescape(fields[1]), fields[2]
        prefix = point.rstrip("/") + "/"
        if (path == point or path.startswith(prefix) or point == "/") and len(point) >= len(best):
            best, best_type = point, fstype
    return best_type


def windows_share(path: str, drive_type: Callable[[str], int]) -> str | None:
    """'a network path' for \\\\server\\share paths, 'a network drive' for mapped drives."""
    win = PureWindowsPath(path)
    if win.drive.startswith(("\\\\", "//")):
        return f"a network path ({win.drive})"
    if win.drive and drive_type(win.drive + "\\") == DRIVE_REMOTE:
        return f"a network drive ({win.drive})"
    return None


def _drive_type(root: str) -> int:
    import ctypes

    return ctypes.windll.kernel32.GetDriveTypeW(root)  # type: ignore[attr-defined]


def network_share(home: Path) -> str | None:
    """A short description of the network share `home` is on, or None (local, or unknown)."""
    path = os.path.realpath(home)
    if os.name == "nt":
        return windows_share(path, _drive_type)
    try:
        with open("/proc/mounts", encoding="utf-8", errors="replace") as handle:
            fstype = linux_filesystem(path, handle.read())
    except OSError:
        return None  # not Linux (macOS...): nothing reliable to read
    if fstype in NETWORK_FILESYSTEMS:
        return f"a network share ({fstype})"
    return None


def set_journal_mode(conn: sqlite3.Connection, home: Path) -> str:
    """WAL on a local disk; the rollback journal, with a warning, on a share. Returns the mode."""
    current = conn.execute("PRAGMA journal_mode").fetchone()[0].lower()
    share = network_share(home)
    if share is None:
        if current != "wal":
            current = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower()
        if current != "wal":
            warnings.warn(
                f"the folder {home} does not support SQLite's WAL mode, so the register uses "
                "a rollback journal; it works, but keep the register on a local disk if you can.",
                StorageWarning, stacklevel=2,
            )
        return current
    warnings.warn(
        f"the chat-review home {home} is on {share}; SQLite's WAL mode does not work there, so "
        "the register uses a slower rollback journal. Keep the register on a local disk if you "
        "can: locking on shares is not always reliable, so avoid using it from two computers "
        "at the same moment.",
        StorageWarning, stacklevel=2,
    )
    if current == "wal":
        current = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0].lower()
    return current
