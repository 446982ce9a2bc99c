"""Errors raised by the consent register and the gate.

The command line maps them to exit codes: `ConsentRefused` is 3 (the gate said no),
`RegisterError` is 2 (bad input, or a register that cannot be used as it is), `RegisterBroken`
is 4 (the audit log or its head does not verify: nothing is read or logged until it is
restored).
Every message is one sentence a headteacher can act on.
"""

from __future__ import annotations


class ConsentError(Exception):
    """Base class: `str(error)` is the sentence shown to the user."""

    exit_code = 2


class RegisterError(ConsentError):
    """The register, its key or the input given to it cannot be used."""

    exit_code = 2


class ConsentRefused(ConsentError):
    """The gate refused to open an export; `reason` is a stable machine code."""

    exit_code = 3

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class RegisterBroken(ConsentError):
    """The audit chain or its head does not verify; nothing may be read or logged."""

    exit_code = 4


class RegisterMissing(RegisterError):
    """There is no register (or no key) in the home: exit 3 everywhere, as the gate refuses."""

    exit_code = 3


class StorageWarning(UserWarning):
    """The home works, but not as well as it should (an old location, a network share...)."""
