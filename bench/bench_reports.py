"""Time the reports for a large chat: 100,000 messages, 60 senders, two years.

Issue 5 asks that such a chat renders legibly and that the benchmark reports the time to
write both files. This builds a real Android export (deterministic), takes it through the
whole gated path (consent, gate, reader, analysis) and times `render_outputs` for PNG and PDF
separately and together. The files are left in bench/out/ to be looked at
(`pdftoppm -r 60 -png bench/out/large-report.pdf /tmp/pages/p`).

    .venv/bin/python bench/bench_reports.py
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
FIRST = ["Amelia", "Noah", "Isla", "Leo", "Ava", "Oscar", "Freya", "Arlo", "Ivy", "Theo",
         "Rosie", "Finley", "Maya", "Jude", "Elsie", "Ezra", "Poppy", "Reuben", "Nia", "Kai"]
LAST = ["Whitlock", "Mensah", "Aldridge", "Fairbairn", "Okonkwo", "Lindqvist", "Baptiste",
        "Hargreaves-Montgomery"]
BODIES = ["Does anyone know if PE is tomorrow?", "Thanks!", "Reading books are due Monday",
          "Can someone send me the letter about the trip please", "👍",
          "Is Mrs Okafor back this week?", "This is ridiculous, nobody replies",
          "Line one\nline two of a longer message", "<Media omitted>", "Lovely assembly today"]


def make_export(n_messages: int = 100_000, n_senders: int = 60, seed: int = 5) -> bytes:
    """A two-year Android group chat with an evening-heavy rhythm and 60 senders."""
    rng = random.Random(seed)
    names = [f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST) % len(LAST)]}"
             for i in range(n_senders - 1)] + ["Adaeze Okafor"]
    weights = [1.0 / (i + 1) ** 0.8 for i in range(n_senders)]
    start = datetime(2024, 9, 2, 7, 0)
    span = timedelta(days=730).total_seconds()
    stamps = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(n_messages))
    lines = [f"{start:%d/%m/%Y, %H:%M} - Messages and calls are end-to-end encrypted."]
    for ts in stamps:
        who = rng.choices(names, weights)[0]
        lines.append(f"{ts:%d/%m/%Y, %H:%M} - {who}: {rng.choice(BODIES)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    from chat_review.analysis import analyse
    from chat_review.config import load_config
    from chat_review.consent import consents
    from chat_review.consent.gate import open_export
    from chat_review.consent.register import Register
    from chat_review.reader import read_export
    from chat_review.reports import render_outputs
    from chat_review.reports.context import ReportContext

    OUT.mkdir(exist_ok=True)
    export = OUT / "large-60-senders-2-years.txt"
    export.write_bytes(make_export())
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        with Register.open(home) as register:
            _, token = consents.grant(register, export, parent="P", purpose="bench",
                                      recorded_by="bench",
                                      expires_at=datetime.now(UTC) + timedelta(days=1))
        grant = open_export(home, token, export, command="bench")
        chat = read_export(grant)
        findings = analyse([chat], load_config(None, None))
    ctx = ReportContext(consents=[{"id": 1, "parent": "P", "purpose": "bench"}])
    render_outputs(findings, ctx, ["png"])  # warm-up: imports and font caches
    rows = []
    for kinds in (["png"], ["pdf"], ["png", "pdf"]):
        t0 = time.perf_counter()
        out = render_outputs(findings, ctx, kinds)
        rows.append((" + ".join(k.upper() for k in kinds), time.perf_counter() - t0))
        for kind, data in out.items():
            (OUT / f"large-report.{kind}").write_bytes(data)
    print(f"{len(chat.messages):,} messages, {len(findings.senders)} senders, "
          f"{findings.period.days} days")
    print("| output | render time |")
    print("|---|---|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} s |")
    print(f"files: {OUT / 'large-report.png'}, {OUT / 'large-report.pdf'}", file=sys.stderr)


if __name__ == "__main__":
    main()
