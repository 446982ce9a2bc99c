"""The audit log's head, kept outside the database: `register.head` beside the key.

One line: the register's id, the first keyed entry, the number of entries and the last
entry's MAC, all MAC'd with a key derived from the register key. Written atomically (temporary
file, fsync, rename, folder fsync) after every commit that added entries. A database file that
is rolled back, truncated or wiped no longer reaches the head, and the head cannot be rewritten
without the key.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .chain import GENESIS, macs_equal
from .durable import fsync_dir

HEAD_FILE = "register.head"
_MAGIC = "crh1"
_LABEL = b"chat-review/head/v1"


@dataclass(frozen=True)
class Head:
    register_id: str
    keyed_from: int  # the first entry chained with the key (1, or the upgrade entry)
    count: int
    last_mac: str

    def line(self, key: bytes) -> str:
        fields = f"{_MAGIC} {self.register_id} {self.keyed_from} {self.count} {self.last_mac}"
        return f"{fields} {_mac(key, fields)}\n"


class HeadProblem(Exception):
    """The head file is missing, damaged or was not written with this register's key."""


def head_path(home: Path) -> Path:
    return home / HEAD_FILE


def _mac(key: bytes, fields: str) -> str:
    head_key = hmac.digest(key, _LABEL, "sha256")
    return hmac.digest(head_key, fields.encode("ascii"), "sha256").hex()


def read_head(home: Path, key: bytes) -> Head | None:
    """The head, None if there is no head file; raises HeadProblem if it does not verify."""
    path = head_path(home)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise HeadProblem(f"the head file {path} cannot be read ({exc})") from None
    parts = text.split()
    if len(parts) != 6 or parts[0] != _MAGIC:
        raise HeadProblem(f"the head file {path} is damaged")
    fields = " ".join(parts[:5])
    if not macs_equal(_mac(key, fields), parts[5]):
        raise HeadProblem(f"the head file {path} was not written with this register's key")
    try:
        return Head(parts[1], int(parts[2]), int(parts[3]), parts[4])
    except ValueError:
        raise HeadProblem(f"the head file {path} is damaged") from None


def empty_head(register_id: str) -> Head:
    return Head(register_id, 1, 0, GENESIS)


def write_head(home: Path, key: bytes, head: Head) -> None:
    """Replace the head file atomically and durably."""
    path = head_path(home)
    fd, tmp = tempfile.mkstemp(prefix=".register.head.", dir=home)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(head.line(key))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    fsync_dir(home)


@contextlib.contextmanager
def head_lock(home: Path) -> Iterator[None]:
    """Serialise head updates between processes (commits finish in any order)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fd = os.open(home / ".register.head.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def advance_head(home: Path, key: bytes, head: Head) -> None:
    """Write `head` unless a later one is already there (another process committed after us)."""
    with head_lock(home):
        current = read_head(home, key)  # a damaged head is never overwritten: it is evidence
        if current is not None and current.count >= head.count:
            return
        write_head(home, key, head)
