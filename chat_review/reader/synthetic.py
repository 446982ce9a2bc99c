"""Deterministic synthetic WhatsApp exports, shared by the reader tests and the benchmarks.

The output imitates real exports closely enough to exercise every hot-path branch: multi-line
bodies, media placeholders, deleted and edited markers, system lines, emoji in names, and
continuation lines that look a bit like headers.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

NAMES = ["Alice Smith", "Bob Jones", "Ceri 🌻", "Dev Patel", "Ewa Kowalska", "Fatima Begum"]
PHONE = "\u202a+44 7700 900{:03d}\u202c"
WORDS = [
    "the",
    "school",
    "trip",
    "is",
    "on",
    "friday",
    "please",
    "bring",
    "packed",
    "lunch",
    "and",
    "a",
    "coat",
    "thanks",
    "everyone",
    "re:",
    "homework",
    "-",
    "reading",
    "books",
    "12/03",
    "was",
    "the",
    "date",
    "I",
    "think",
    "no",
    "it's",
    "the",
    "13th",
    "😀",
    "ok",
]


def render_synthetic(n_messages: int, platform: str = "android", seed: int = 0) -> bytes:
    """Return a UTF-8 export with ``n_messages`` messages for ``platform`` ("android"/"ios").

    Timestamps start on 2023-09-04 08:00 and move forward by 0-40 minutes per message, so the
    date order can be told (days above 12 occur within the first fortnight).
    """
    if platform not in ("android", "ios"):
        raise ValueError("platform must be 'android' or 'ios'")
    rng = random.Random(seed)
    t = datetime(2023, 9, 4, 8, 0, 0)
    ios = platform == "ios"
    lines: list[str] = []

    def head(ts: datetime) -> str:
        if ios:
            return ts.strftime("[%d/%m/%Y, %H:%M:%S] ")
        return ts.strftime("%d/%m/%Y, %H:%M - ")

    enc = "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
    enc += "WhatsApp, can read or listen to them."
    if ios:
        lines.append(head(t) + "Class 3 Parents: \u200e" + enc)
    else:
        lines.append(head(t) + enc)
    senders = NAMES + [PHONE.format(i) for i in range(3)]
    for _ in range(n_messages - 1):
        t += timedelta(seconds=rng.randrange(0, 2400))
        who = senders[rng.randrange(len(senders))]
        r = rng.random()
        if r < 0.05:
            body = "\u200eimage omitted" if ios else "<Media omitted>"
        elif r < 0.06:
            body = "\u200eThis message was deleted." if ios else "This message was deleted"
        elif r < 0.065:
            if ios:
                lines.append(head(t) + f"Class 3 Parents: \u200e{who} added Dev Patel")
            else:
                lines.append(head(t) + f"{who} added Dev Patel")
            continue
        else:
            k = rng.randrange(1, 14)
            body = " ".join(rng.choice(WORDS) for _ in range(k))
            if r > 0.9:
                body += "\n" + " ".join(rng.choice(WORDS) for _ in range(k)) + "\n- item: two"
            if r > 0.98:
                body += " \u200e" if ios else " "
                body += "<This message was edited>"
        lines.append(head(t) + f"{who}: {body}")
    return ("\n".join(lines) + "\n").encode("utf-8")
