"""The staff roster: who is a member of staff, by any name, alias or phone number."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def normalise_phone(number: str) -> str:
    """A phone number reduced to digits so that spellings of one number compare equal.

    UK numbers are written in national form: ``+44 7700 900123``, ``0044 7700 900123``,
    ``447700900123`` and ``07700 900123`` all become ``07700900123``. Other numbers keep all
    their digits (with the country code, without ``+`` or ``00``).
    """
    digits = re.sub(r"\D", "", number)
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("44") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


@dataclass
class StaffMember:
    """A member of staff as they appear in chats: display name, other names, phone numbers."""

    name: str
    aliases: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """The name and every alias, in that order."""
        return [self.name, *[a for a in self.aliases if a != self.name]]

    @property
    def phone_keys(self) -> set[str]:
        """Normalised phone numbers (see `normalise_phone`)."""
        return {normalise_phone(p) for p in self.phones if normalise_phone(p)}

    def is_sender(self, sender: str) -> bool:
        """True when a chat sender name is this person: a name or alias (case and spacing
        ignored) or one of their phone numbers."""
        key = " ".join(sender.split()).casefold()
        if any(key == " ".join(n.split()).casefold() for n in self.names):
            return True
        if re.fullmatch(r"[\d\s+()\-.]+", sender) and normalise_phone(sender):
            return normalise_phone(sender) in self.phone_keys
        return False
