"""Crashes and concurrency: the register and its audit chain lose nothing."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from chat_review.consent import audit
from chat_review.consent.register import Register

WORKER = Path(__file__).with_name("register_worker.py")


def start_worker(home: Path, export: Path, ops: int, seed: str) -> subprocess.Popen:
    env = dict(os.environ)
    return subprocess.Popen([sys.executable, str(WORKER), str(home), str(export), str(ops), seed],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def assert_consistent(home: Path) -> tuple[int, Counter]:
    """Every consent has exactly one grant row, every revocation its row, and the chain holds."""
    with Register.open(home, create=False) as register:
        result = audit.verify(register.conn, register.key)
        assert result.ok, result.problem
        records = register.all()
        events = Counter()
        granted = Counter()
        for row in audit.rows(register.conn):
            events[row.event] += 1
            if row.event == "consent-granted":
                granted[row.consent_id] += 1
        assert sorted(granted) == [r.id for r in records]
        assert set(granted.values()) <= {1}
        revoked_rows = {r.consent_id for r in audit.rows(register.conn)
                        if r.event == "consent-revoked"}
        assert revoked_rows == {r.id for r in records if r.revoked_at}
    return len(records), events


def test_sigkill_during_grants_and_revokes_leaves_the_register_consistent(home, group_chat):
    rng = random.Random(7)
    start_worker(home, group_chat, 3, "warm-up").wait(timeout=60)  # the register exists first
    kills = 0
    for round_number in range(6):
        proc = start_worker(home, group_chat, 0, f"kill-{round_number}")
        time.sleep(0.4 + rng.random() * 0.6)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        kills += 1
        completed = proc.stdout.read().split()
        assert proc.returncode == -signal.SIGKILL
        count, _ = assert_consistent(home)
        assert count >= completed.count("grant")
    assert kills == 6


def test_eight_processes_of_fifty_mixed_operations_lose_nothing(home, group_chat):
    start_worker(home, group_chat, 1, "setup").wait(timeout=60)
    workers = [start_worker(home, group_chat, 50, f"w{n}") for n in range(8)]
    reported = Counter()
    for proc in workers:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        reported.update(line.split()[0] for line in out.splitlines())
    assert sum(reported.values()) == 400
    count, events = assert_consistent(home)
    assert count == reported["grant"] + 1
    assert events["consent-granted"] == reported["grant"] + 1
    assert events["consent-revoked"] == reported["revoke"]
    assert events["read"] == reported["read"]
    assert events["refused"] == reported["refused"]
    print(json.dumps({"operations": dict(reported), "audit_rows": sum(events.values())}))
