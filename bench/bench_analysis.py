"""Time `chat_review.analysis.analyse` on generated 100k- and 1M-message tables.

Deterministic (seeded): two chats over two years (Sept 2023 - Aug 2025) — a class group with
40 parents and a member of staff, and a one-to-one chat between a parent and that member of
staff — with an evening-heavy day profile, bursts, staff mentions and a few lexicon words.
Target: analysis of 1M messages in under 2 s (reader + analysis under 4 s). CPU time is
printed next to wall time because the machine is often shared: it moves less with the load.

    .venv/bin/python bench/bench_analysis.py            # 100k and 1M
    .venv/bin/python bench/bench_analysis.py 200000     # one size
"""

from __future__ import annotations

import hashlib
import sys
import time
from datetime import date

import numpy as np
import pandas as pd

from chat_review.analysis import analyse
from chat_review.calendar import Closure, WorkingCalendar
from chat_review.config import Config, StaffMember
from chat_review.reader.chat import KINDS, Chat, ChatMetadata

WORDS = str.split(
    "the a to and is for on in of it at you we can be this that with are have trip pe kit "
    "homework reading book lunch club tomorrow today monday friday please thanks anyone "
    "know does did school class teacher parents evening meeting form letter money bring "
    "uniform coat bag water bottle swimming late early pick up drop off sorry again"
)
SPICE = [
    "Mrs Patel",
    "mrs patel",
    "@447700900123",
    "idiot",
    "useless",
    "complaint",
    "safeguarding",
    "killing",
    "Miss Jones",
]


def _sentences(rng: np.random.Generator, n: int) -> np.ndarray:
    out = []
    for i in range(n):
        words = list(rng.choice(WORDS, size=int(rng.integers(2, 18))))
        if i % 25 == 0:  # 4% of distinct sentences carry a name or a lexicon word
            words.insert(int(rng.integers(0, len(words))), SPICE[i // 25 % len(SPICE)])
        out.append(" ".join(words))
    return np.array(out, dtype=object)


def make_chats(n: int, seed: int = 2025) -> list[Chat]:
    rng = np.random.default_rng(seed)
    pool = _sentences(rng, 5000)
    start = pd.Timestamp("2023-09-01")
    days = 730
    hour_p = np.array(
        [1, 0.5, 0.3, 0.2, 0.2, 0.4, 2, 5, 7, 6, 5, 5, 6, 5, 5, 6, 7, 8, 9, 10, 10, 8, 5, 3], float
    )
    hour_p /= hour_p.sum()
    offsets = (
        rng.integers(0, days, n) * 86_400
        + rng.choice(24, n, p=hour_p) * 3600
        + rng.integers(0, 3600, n)
    )
    # bursts: every 50th message is followed by 6 more within a few minutes
    burst_from = np.arange(0, n, 50)
    offsets = np.sort(offsets)
    for k in range(1, 7):
        j = burst_from + k
        j = j[j < n]
        offsets[j] = offsets[burst_from[: len(j)]] + k * 60
    offsets.sort()
    ts = start.to_datetime64() + offsets.astype("timedelta64[s]")
    parents = [f"Parent {i:02d}" for i in range(40)]
    weights = 1.0 / np.arange(1, 42)
    weights /= weights.sum()
    who = rng.choice(41, n, p=weights)
    names = np.array(parents + ["Mrs Patel"], dtype=object)
    sender = names[who]
    kinds = np.where(rng.random(n) < 0.06, "media", "text").astype(object)
    kinds[rng.random(n) < 0.01] = "deleted"
    text = pool[rng.integers(0, len(pool), n)]
    direct = rng.random(n) < 0.1
    chats = []
    for name, mask in (
        ("WhatsApp Chat - Year 4 Parents.txt", ~direct),
        ("WhatsApp Chat with Mrs Patel.txt", direct),
    ):
        m = mask.copy()
        s = sender[m].copy()
        if name.endswith("Mrs Patel.txt"):
            s = np.where(rng.random(len(s)) < 0.7, "Parent 00", "Mrs Patel").astype(object)
        k = int(m.sum())
        df = pd.DataFrame(
            {
                "timestamp": pd.Series(ts[m], dtype="datetime64[ns]"),
                "sender": pd.Series(s, dtype="string"),
                "kind": pd.Categorical(kinds[m], categories=KINDS),
                "text": pd.Series(text[m], dtype="string"),
                "edited": np.zeros(k, dtype=bool),
                "attachment": pd.Series([None] * k, dtype="string"),
                "line": np.arange(1, k + 1, dtype=np.int64) * 2,
            }
        )
        sha = hashlib.sha256(name.encode()).hexdigest()
        meta = ChatMetadata(name, sha, "android", "day-first", "bench", False, "utf-8", "txt")
        chats.append(Chat(df, meta))
    return chats


def config() -> Config:
    cal = WorkingCalendar(
        closures=[
            Closure("Autumn half-term", date(2023, 10, 23), date(2023, 10, 27)),
            Closure("Christmas", date(2023, 12, 21), date(2024, 1, 3)),
            Closure("Summer", date(2024, 7, 24), date(2024, 9, 3)),
            Closure("INSET day", date(2024, 9, 4), date(2024, 9, 4), "inset"),
            Closure("Christmas", date(2024, 12, 20), date(2025, 1, 3)),
        ]
    )
    staff = [
        StaffMember("Mrs Patel", ["Anita Patel"], ["+44 7700 900123"]),
        StaffMember("Miss Jones", [], []),
    ]
    return Config(calendar=cal, staff=staff)


def main(sizes: list[int]) -> None:
    cfg = config()
    analyse(make_chats(1000), cfg)  # warm-up: imports, holidays tables
    for n in sizes:
        chats = make_chats(n)
        best = cpu = float("inf")
        for _ in range(3 if n <= 200_000 else 2):
            t0, c0 = time.perf_counter(), time.process_time()
            f = analyse(chats, cfg)
            best = min(best, time.perf_counter() - t0)
            cpu = min(cpu, time.process_time() - c0)
        steps: list[tuple[str, float]] = []

        def note(step: str, steps: list[tuple[str, float]] = steps) -> None:
            steps.append((step, time.perf_counter()))

        analyse(chats, cfg, progress=note)
        split = ", ".join(
            f"{a}->{b} {tb - ta:.2f}s" for (a, ta), (b, tb) in zip(steps, steps[1:], strict=False)
        )
        print(
            f"analyse {n:>9,} messages: {best:6.2f} s wall, {cpu:6.2f} s CPU (best of runs)  "
            f"bursts={len(f.bursts):,} flags={len(f.flags):,} "
            f"staff_contact={len(f.staff_contact)} out_of_hours={f.out_of_hours_share:.0%}"
        )
        print(f"   steps: {split}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000])
