"""Benchmarks other parts of the project keep beside their code, run as they are and quoted.

Each hook is a script in bench/ that prints Markdown (a table with a "met" column where it
has targets). A missing script is noted; a failing one is recorded, not hidden.
"""

from __future__ import annotations

import re
import subprocess
import sys

from common import BENCH, ROOT

HOOKS = [
    ("bench_audit.py", "Audit log: `audit verify` of 100,000 rows, start-up of grant/read/verify "
     "(issue 10)", []),
    ("bench_web.py", "Web app: page latency and upload + analyse of 40,000 messages (issue 14)",
     ["--reps", "5"]),
    ("bench_reports.py", "Reports for a large chat: 100,000 messages, 60 senders, two years "
     "(issue 5)", []),
]


def hooks(b) -> None:
    b.md += ["## 8. Other benchmarks in bench/ (run as they are)", ""]
    for script, title, args in HOOKS:
        path = BENCH / script
        b.md += [f"### {title}", "", f"`bench/{script}`" + (" " + " ".join(args) if args else "")
                 + ":", ""]
        if not path.exists():
            b.md += ["Not in this commit.", ""]
            continue
        if b.smoke:
            b.md += ["Skipped in --smoke mode.", ""]
            continue
        b.log(f"hook {script}")
        proc = subprocess.run([sys.executable, str(path), *args], capture_output=True,
                              text=True, cwd=ROOT, timeout=900)
        if proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            b.md += [f"Failed (exit {proc.returncode}): {tail[:300]}", ""]
            b.target(title.split(":")[0], "its own targets", "the script failed", False)
            continue
        text = proc.stdout.strip()
        b.md += [text, ""]
        met = re.findall(r"\*\*(yes|NO)\*\*|\|\s*(yes|no|NO)\s*\|", text)
        flags = [x or y for x, y in met]
        if flags:
            ok = all(f.lower() == "yes" for f in flags)
            b.target(title.split(":")[0] + f" (`bench/{script}`)", "its own targets (section 8)",
                     f"{sum(f.lower() == 'yes' for f in flags)} of {len(flags)} met", ok)
