"""The register's secret key: 32 random bytes, 0600, created once, signs every token.

A token is only as good as this key: it never leaves the home, and a register copied without
it (or a key copied without its register) verifies nothing.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from .errors import RegisterError, RegisterMissing

KEY_FILE = "register.key"


def key_path(home: Path) -> Path:
    return home / KEY_FILE


def create_key(home: Path) -> bytes:
    """Create the key file exclusively; if another process won the race, read theirs."""
    path = key_path(home)
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return load_key(home)
    try:
        os.write(fd, key.hex().encode("ascii") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    return key


def load_key(home: Path) -> bytes:
    """Read the key, refusing one that others can read (it would let them forge tokens)."""
    path = key_path(home)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise RegisterMissing(
            f"The register key {path} is missing, so no consent token can be checked; "
            "restore it from your backup (see README, 'Recovery')."
        ) from None
    if os.name == "posix" and stat.S_IMODE(st.st_mode) & 0o077:
        raise RegisterError(
            f"The register key {path} can be read by other users "
            f"(mode {stat.S_IMODE(st.st_mode):o}); run `chmod 600 {path}` and try again."
        )
    raw = path.read_bytes().strip()
    # A reader may catch the file between creation and write: wait briefly for the content.
    if not raw:
        import time

        for _ in range(50):
            time.sleep(0.01)
            raw = path.read_bytes().strip()
            if raw:
                break
    try:
        key = bytes.fromhex(raw.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) != 32:
        raise RegisterError(
            f"The register key {path} is damaged; restore it from your backup "
            "(see README, 'Recovery')."
        )
    return key
