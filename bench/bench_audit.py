"""Time the keyed audit chain: `audit verify` of a 100,000-entry register, and the start-up of
the register commands (grant, gated read, verify) on a small one.

Targets (issue 10): `audit verify` of 100,000 entries <= 1 s; start-up of `consent grant`,
`consent list`/`show` (reading the register) and `audit verify` <= 0.3 s. A gated read of a
chat (`messages`) is timed for information: it imports pandas, so it is not a start-up
target. `measure()` returns the numbers for `bench/run.py`; run this file to print them:

    .venv/bin/python bench/bench_audit.py [--rows 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPORT = ROOT / "sample_exports" / "class-group-android.txt"


def build_register(home: Path, export: Path, rows: int) -> str:
    """A register with one consent and `rows` entries in all (reads, refusals, outputs), made
    through the register's own append path in one transaction; returns the consent's token."""
    from chat_review.consent import consents
    from chat_review.consent.register import Register

    with Register.open(home) as register:
        _, token = consents.grant(register, export, parent="Bench Parent", purpose="bench",
                                  recorded_by="Bench", expires_at=datetime.now(UTC)
                                  + timedelta(days=30))
        events = ("read", "refused", "analysed", "output-written")
        with register.write() as conn:
            for n in range(rows - 1):
                register.append(conn, events[n % 4], consent_id=1, detail={
                    "command": "analyse", "export_name": export.name, "n": n,
                    "sha256": f"{n:064x}"})
    return token


def _timed(cmd: list[str], repeat: int) -> dict:
    """Median wall time and CPU time (user + system, of the child) of a whole command; on a
    shared, loaded machine the CPU time is the figure that says what the command costs."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if proc.returncode != 0:
            return {"error": proc.stderr.strip()[-300:], "rc": proc.returncode}
    wall = round(statistics.median(walls), 3)
    return {"median_s": wall, "wall_s": wall, "cpu_s": round(statistics.median(cpus), 3)}


def measure(rows: int = 100_000, repeat: int = 5, workdir: Path | None = None) -> dict:
    """The numbers: in-process verify of `rows` entries, and whole-command wall times."""
    from chat_review.consent.register import Register

    script = str(Path(sys.executable).with_name("chat-review"))
    own = workdir is None
    work = Path(tempfile.mkdtemp(prefix="bench-audit-")) if own else workdir
    try:
        export = work / "chat.txt"
        shutil.copyfile(EXPORT, export)
        big, small = work / "big", work / "small"
        start = time.perf_counter()
        big_token = build_register(big, export, rows)
        built = time.perf_counter() - start
        in_process, in_process_cpu = [], []
        for _ in range(repeat):
            with Register.open(big, create=False) as register:
                t0, c0 = time.perf_counter(), time.process_time()
                result = register.verify()
                in_process.append(time.perf_counter() - t0)
                in_process_cpu.append(time.process_time() - c0)
            assert result.ok and result.rows == rows, result
        token = build_register(small, export, 20)
        grant_cmd = [script, "--home", str(small), "consent", "grant", str(export),
                     "--parent", "P", "--purpose", "bench", "--recorded-by", "Bench"]
        return {
            "rows": rows,
            "build_s": round(built, 2),
            "verify_in_process_s": round(statistics.median(in_process), 3),
            "verify_in_process_cpu_s": round(statistics.median(in_process_cpu), 3),
            "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
            "audit_verify_100k": _timed([script, "--home", str(big), "audit", "verify"], repeat),
            "consent_list_100k": _timed([script, "--home", str(big), "consent", "list"],
                                        repeat),
            "gated_read_100k": _timed([script, "--home", str(big), "messages", str(export),
                                       "--token", big_token], repeat),
            "startup_grant": _timed(grant_cmd, repeat),
            "startup_verify": _timed([script, "--home", str(small), "audit", "verify"], repeat),
            "startup_consent_list": _timed([script, "--home", str(small), "consent", "list"],
                                           repeat),
            "startup_consent_show": _timed([script, "--home", str(small), "consent", "show",
                                            "1"], repeat),
            "gated_read_small": _timed([script, "--home", str(small), "messages", str(export),
                                        "--token", token], repeat),
        }
    finally:
        if own:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(measure(args.rows, args.repeat), indent=2))


if __name__ == "__main__":
    main()
