"""What the reader tells about how it read a chat: the layout notes added to the date rule, and
the warnings about time going backwards and about a chat WhatsApp cut short."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import dates, headers, phrases
from .texts import MessageTexts

BACKWARD_TOLERANCE_S = 5 * 60

TRUNCATION_LIMIT = 39_000

TRUNCATION_LIMIT_MEDIA = 9_900


def _layout_notes(sig: headers.Signature) -> str:
    """How the header's calendar and clock were read, added to the recorded date rule."""
    notes = []
    if sig.era == "BE":
        notes.append(f"years are Buddhist-era, {headers.BUDDHIST_OFFSET} ahead (2565 BE = 2022)")
    elif sig.era:
        start = headers.ERA_START[sig.era]
        notes.append(f"years are Japanese-era {sig.era} years ({sig.era}1 = {start + 1})")
    if sig.time_first:
        notes.append("the time is written before the date")
    if sig.month_name:
        notes.append("months are English abbreviations")
    if sig.period:
        notes.append("the hour follows a time-of-day word (a.m./p.m. words such as 오후 = p.m.)")
    return "; " + "; ".join(notes) if notes else ""


def _warn_time(ts: np.ndarray, line: np.ndarray, warnings: list[str]) -> None:
    if len(ts) < 2:
        return
    # (a step below -tolerance seconds: one temporary, not three, at the reader's peak)
    back = np.flatnonzero(np.diff(ts.view(np.int64)) < -BACKWARD_TOLERANCE_S * dates.NS_PER_S)
    if len(back):
        warnings.append(
            f"The timestamps go backwards by more than {BACKWARD_TOLERANCE_S // 60} minutes "
            f"{len(back)} time(s) (first at line {line[back[0] + 1]}); messages are kept in "
            "file order — the phone's clock or time zone may have changed."
        )


def _warn_truncated(msgs: pd.DataFrame, texts: MessageTexts, counts: dict[str, int],
                    warnings: list[str]) -> None:
    n = len(msgs)
    if not (n >= TRUNCATION_LIMIT or (n >= TRUNCATION_LIMIT_MEDIA and counts["media"])):
        return
    if msgs["kind"].iat[0] == "system":
        event = phrases.system_event(texts[:1].tolist()[0])
        if event in ("encryption", "created"):
            return
    warnings.append(
        f"The export has {n:,} messages and does not start with the chat's first event; "
        "WhatsApp exports only about the last 40,000 messages (10,000 with media), so earlier "
        "messages may be missing."
    )
