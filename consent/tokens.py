"""Consent tokens: `crt1.<record id>.<HMAC-SHA256>` under the register's secret key.

The HMAC covers the record's canonical fields and the register's id, so a token cannot be
guessed, does not survive an edit of its record, and means nothing to another register.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from .errors import ConsentRefused
from .records import ConsentRecord

PREFIX = "crt1"
_TOKEN = re.compile(rf"^{PREFIX}\.([1-9][0-9]{{0,17}})\.([A-Za-z0-9_-]{{43}})$")


def _mac(key: bytes, register_id: str, record: ConsentRecord) -> str:
    digest = hmac.new(key, record.canonical(register_id), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def make_token(key: bytes, register_id: str, record: ConsentRecord) -> str:
    return f"{PREFIX}.{record.id}.{_mac(key, register_id, record)}"


def parse_token(token: str) -> tuple[int, str]:
    """Split a token into (record id, signature), refusing anything not shaped like one."""
    match = _TOKEN.match(token.strip())
    if not match:
        raise ConsentRefused(
            "malformed-token",
            "Consent refused: the token is not a chat-review consent token "
            "(it should look like crt1.12.xxxx); copy it again from `consent grant` "
            "or `consent show`.",
        )
    return int(match.group(1)), match.group(2)


def signature_matches(key: bytes, register_id: str, record: ConsentRecord, signature: str) -> bool:
    """Compare as text, in constant time, so a non-canonical base64 spelling never passes."""
    return hmac.compare_digest(_mac(key, register_id, record), signature)
