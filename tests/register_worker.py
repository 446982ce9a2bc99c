"""A child process for the fault and concurrency tests: mixed register work, reported on stdout.

Usage: python register_worker.py HOME EXPORT OPS SEED
Prints one line per completed operation: "grant ID", "revoke ID", "read ID", "refused ID".
With OPS = 0 it loops until killed.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from chat_review.consent import consents
from chat_review.consent.errors import ConsentRefused, RegisterError
from chat_review.consent.gate import open_export
from chat_review.consent.register import Register


def main() -> None:
    home, export, ops, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    rng = random.Random(seed)
    mine: list[tuple[int, str]] = []
    done = 0
    while ops == 0 or done < ops:
        choice = rng.random()
        if not mine or choice < 0.5:
            with Register.open(home) as register:
                record, token = consents.grant(
                    register, export, parent=f"Parent {seed}", purpose="Concurrency test",
                    recorded_by="Worker", expires_at=datetime.now(UTC) + timedelta(days=1))
            mine.append((record.id, token))
            print(f"grant {record.id}", flush=True)
        elif choice < 0.7:
            consent_id, token = mine.pop(rng.randrange(len(mine)))
            with Register.open(home) as register:
                try:
                    consents.revoke(register, token, reason="test", by="Worker")
                except RegisterError:
                    continue
            print(f"revoke {consent_id}", flush=True)
            mine.append((consent_id, token))
        else:
            consent_id, token = rng.choice(mine)
            try:
                open_export(home, token, export, command="worker")
                print(f"read {consent_id}", flush=True)
            except ConsentRefused:
                print(f"refused {consent_id}", flush=True)
        done += 1


if __name__ == "__main__":
    main()
