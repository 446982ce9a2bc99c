"""The date order a consent binds, decided at grant: given, or detected from the export.

Shared by the command line and the web app. `consent` knows nothing about WhatsApp, so the
reader's detection is run here and its answer handed to `consents.grant`. Light to import: the
reader (pandas, numpy) is loaded only when an order has to be decided or checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chat_review.errors import ExportError

GIVEN = "given at grant with --date-order"


def grant_date_order(export: Path | Any, given: str | None, *,
                     windowed: bool) -> tuple[str | None, str | None]:
    """(order, rule) to record with a consent, or (None, None) when nothing binds it.

    With a date window the order must be known: the window means nothing until the dates'
    order is fixed, so an export whose order cannot be told is refused unless it is given.
    A given order is checked against the file (the reader refuses one the file contradicts).
    """
    if given is None and not windowed:
        return None, None
    from chat_review.consent.files import export_bytes
    from chat_review.reader import detect_date_order

    order, rule, ambiguous = detect_date_order(export_bytes(export), export.name,
                                               date_order=given)
    if given is not None:
        return given, GIVEN
    if ambiguous:
        raise ExportError(
            f"The dates in {export.name} could be day-first or month-first (no day above 12), "
            "so the consent's date window would be ambiguous; give the order (day-first for UK "
            "phones, month-first for US phones)."
        )
    return order, f"detected at grant: {rule}"
