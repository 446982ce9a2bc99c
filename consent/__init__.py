"""The consent register and the gate. Knows nothing about WhatsApp.

Public names: `Register`, `open_export` (the gate), `VerifiedGrant`, the errors, and the
operations in `consent.consents` (grant, revoke, find).
"""

from .errors import ConsentError, ConsentRefused, RegisterError
from .grant import VerifiedGrant

__all__ = ["ConsentError", "ConsentRefused", "RegisterError", "VerifiedGrant"]
