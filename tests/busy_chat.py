"""A busy, year-long group chat for report tests and benchmarks (all names invented).

`make_busy_chat(20_000)` gives an Android export of 20,000 messages by 30 senders (two of them
the demo roster's staff) over a school year, evening-heavy, with bursts (runs of 5–9 messages
a minute or two apart), messages naming staff, review-lexicon words in about 2% of messages,
media, multi-line messages and system events. Deterministic for a seed.

Command line (for the benchmark): `python tests/busy_chat.py OUT.txt [MESSAGES]`.
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

FIRST = ["Tom", "Hannah", "Grace", "Leo", "Priya", "Sam", "Ayesha", "Ben", "Chloe", "Dan",
         "Ella", "Femi", "Gita", "Harry", "Isla", "Jack", "Kemi", "Liam", "Maya", "Noah",
         "Olu", "Pip", "Rosa", "Sofia", "Theo", "Uma", "Zoë", "Wei"]
LAST = ["Aldridge", "Whitlock", "Mensah", "Fairbairn", "Sharma", "Okoro", "Khan", "Lewis",
        "Hughes", "Novak", "Begum", "Adeyemi", "Patel", "Evans", "Murphy", "Chen", "Dubois",
        "Larsen", "Hussain", "O'Brien", "Kowalski", "Price", "Reid", "Shah", "Turner",
        "Walsh", "Young", "Zhou"]
STAFF = ["Adaeze Okafor", "Daniel Bennett"]
PLAIN = ["Does anyone know if PE is tomorrow?", "Thanks!", "Reading books are due Monday",
         "Can someone send me the letter about the trip please", "👍", "<Media omitted>",
         "Lovely assembly today", "Line one\nline two of a longer message\nand a third",
         "Is it non-uniform day on Friday?", "Has anyone seen a blue water bottle?"]
NAMING = ["Is Mrs Okafor back this week?", "Mr Bennett said the trip is on",
          "I will speak to Mrs Okafor tomorrow", "Has Mr Bennett marked the homework?"]
REVIEW = ["This is ridiculous, the school is useless", "What a disgrace, nobody replies",
          "I am making a formal complaint", "Honestly they are clueless",
          "You'll regret ignoring this", "Stop lying to parents", "I will go to the press"]


def make_busy_chat(n_messages: int = 20_000, n_senders: int = 30, seed: int = 12) -> bytes:
    rng = random.Random(seed)
    parents = [f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}"
               for i in range(n_senders - len(STAFF))]
    names = parents + STAFF
    weights = [1.0 / (i + 1) ** 0.9 for i in range(len(parents))] + [0.3, 0.2]
    start = datetime(2025, 9, 1, 7, 0)
    stamps: list[tuple[datetime, str]] = []
    while len(stamps) < n_messages:
        day = start + timedelta(days=rng.randrange(365))
        hour = rng.choices(range(24), [1, 1, 1, 1, 1, 2, 4, 8, 9, 7, 6, 6, 7, 6, 6, 7, 8, 10,
                                       12, 13, 12, 10, 6, 3])[0]
        ts = day.replace(hour=hour, minute=rng.randrange(60))
        who = rng.choices(names, weights)[0]
        if rng.random() < 0.006 and who not in STAFF:  # a burst
            for k in range(rng.randint(5, 9)):
                stamps.append((ts + timedelta(seconds=40 * k), who))
        else:
            stamps.append((ts, who))
    stamps = sorted(stamps[:n_messages])
    opened = start - timedelta(days=1)  # the group exists before its first message
    lines = [f"{opened:%d/%m/%Y, %H:%M} - Messages and calls are end-to-end encrypted.",
             f"{opened:%d/%m/%Y, %H:%M} - Tom Aldridge created group \"Year 4 Parents\""]
    for i, (ts, who) in enumerate(stamps):
        r = rng.random()
        body = (rng.choice(REVIEW) if r < 0.02 else rng.choice(NAMING) if r < 0.05
                else rng.choice(PLAIN))
        lines.append(f"{ts:%d/%m/%Y, %H:%M} - {who}: {body}")
        if i % 2500 == 1:
            lines.append(f"{ts:%d/%m/%Y, %H:%M} - {who} changed the group description")
    return ("\n".join(lines) + "\n").encode("utf-8")


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.write_bytes(make_busy_chat(int(sys.argv[2]) if len(sys.argv) > 2 else 20_000))
    print(out)
