"""Who did it: the operating-system account running chat-review, never an environment variable.

`LOGNAME`/`USER` can be set to any text by whoever starts the command; the account behind the
process's real user id cannot. A name someone states (`--recorded-by`, `--by`, the web app's
reviewer) is recorded beside the account, never instead of it.
"""

from __future__ import annotations

import os


def os_account() -> str:
    """The account name of the process's real user id (e.g. 'rpatel'), or 'uid 1001'."""
    if hasattr(os, "getuid"):
        uid = os.getuid()
        try:
            import pwd

            return pwd.getpwuid(uid).pw_name
        except (ImportError, KeyError):
            return f"uid {uid}"
    try:  # Windows: the logon name from the system, not from the environment
        return os.getlogin()
    except OSError:
        return "unknown account"


def with_stated(detail: dict | None, stated_by: str | None) -> dict:
    """`detail` plus the stated name, if one was given (cleaned of runs of blanks)."""
    out = dict(detail or {})
    if stated_by is not None and stated_by.strip():
        out["stated_by"] = " ".join(stated_by.split())
    return out
