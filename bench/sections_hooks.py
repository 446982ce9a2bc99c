"""Benchmarks other parts of the project keep beside their code, run here and judged against
their issues' targets: the audit log (issue 10, `bench/bench_audit.py`), the web app (issue
14, `bench/bench_web.py`) and the large-chat report (issue 5, `bench/bench_reports.py`).

A missing script is noted ("not in this commit"); a failing one is recorded, not hidden.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

from common import BENCH, ROOT, fmt_s, run_worker, yes


def _hook(b, module: str, kwargs: dict, *, heading: str, log: str, target: str) -> dict | None:
    """Write the section's heading and run bench/<module>.py's hook in a worker. None once the
    report says the script is not in this commit, or that it failed (a missed `target` too)."""
    b.md += [heading, ""]
    if not (BENCH / f"{module}.py").exists():
        b.md += ["Not in this commit.", ""]
        return None
    b.log(log)
    r = run_worker(Path(sys.executable), "hook", {"module": module, "kwargs": kwargs},
                   timeout=900)
    if "error" in r:
        b.md += [f"Failed: {r['error']}", ""]
        b.target(target, "runs", r["error"], False)
        return None
    return r


def audit(b) -> None:
    rows = 2_000 if b.smoke else 100_000
    r = _hook(b, "bench_audit", {"rows": rows, "repeat": b.reps(5)},
              heading="### Audit log (issue 10): `bench/bench_audit.py`",
              log=f"audit: verify {rows:,} rows, register start-up",
              target="audit benchmark (issue 10)")
    if r is None:
        return
    res = r["result"]
    table = ["| measure | median | target | met |", "|---|---|---|---|"]

    def row(key: str, label: str, limit: float | None) -> None:
        cell = res.get(key)
        if not isinstance(cell, dict):
            return
        if "error" in cell:
            table.append(f"| {label} | failed: {cell['error'][:120]} | - | **NO** |")
            b.target(label, f"≤ {limit} s" if limit else "runs", "failed", False)
            return
        value = cell["median_s"]
        ok = None if limit is None or b.smoke else value <= limit
        table.append(f"| {label} | {fmt_s(value)} | {f'≤ {limit} s' if limit else '-'} | "
                     f"{yes(ok)} |")
        if limit is not None:
            b.target(label, f"≤ {limit} s", fmt_s(value), ok)

    row("audit_verify_100k", f"`audit verify` of {rows:,} entries (whole command)", 1.0)
    table.append(f"| verify in process ({rows:,} entries) | "
                 f"{fmt_s(res.get('verify_in_process_s'))} | - | - |")
    row("startup_grant", "start-up `consent grant` (keyed chain)", 0.3)
    row("startup_consent_list", "start-up `consent list` (register read)", 0.3)
    row("startup_consent_show", "start-up `consent show`", 0.3)
    row("startup_verify", "start-up `audit verify` (small register)", 0.3)
    row("consent_list_100k", f"`consent list` with {rows:,} entries (information)", None)
    row("gated_read_small", "gated read `messages` of the sample (imports pandas; information)",
        None)
    b.md += ["Whole commands on registers built through the register's own append path.", "",
             *table, ""]


def web(b) -> None:
    n = 500 if b.smoke else 40_000
    r = _hook(b, "bench_web", {"reps": b.reps(5), "messages": n},
              heading="### Web app (issue 14): `bench/bench_web.py`",
              log=f"web app: pages, upload + analyse {n:,}",
              target="web app benchmark (issue 14)")
    if r is None:
        return
    res = r["result"]
    slowest = max(res["pages"].values()) if res.get("pages") else float("nan")
    up = statistics.median(res["upload_analyse_s"])
    b.target("web app: slowest page (median of its requests)", "≤ 200 ms",
             f"{slowest:.0f} ms over {len(res['pages'])} pages", None if b.smoke
             else slowest <= 200)
    b.target(f"web app: upload + analyse {n:,} messages", "≤ 3 s",
             f"{fmt_s(up)} (load {res.get('load', float('nan')):.1f})",
             None if b.smoke else up <= 3.0)
    b.md += ["Plain HTTP requests to `chat-review ui` on 127.0.0.1 (no browser). Export made "
             "by the web benchmark itself (`chat_review.reader.synthetic`).", "",
             r.get("table") or "(no table)", ""]


def large_report(b) -> None:
    b.md += ["### Reports for a large chat (issue 5): `bench/bench_reports.py`", ""]
    path = BENCH / "bench_reports.py"
    if not path.exists():
        b.md += ["Not in this commit.", ""]
        return
    if b.smoke:
        b.md += ["Skipped in --smoke mode (100,000 messages).", ""]
        return
    b.log("reports: 100k messages, 60 senders, two years")
    proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=900)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        b.md += [f"Failed (exit {proc.returncode}): {tail[:300]}", ""]
        return
    b.md += ["Real Android export through consent, gate, reader and analysis; render time "
             "after a warm-up render, in process. Files left in `bench/out/large-report.*`.",
             "", proc.stdout.strip(), ""]


def hooks(b) -> None:
    b.md += ["## 8. Other benchmarks in bench/ (audit log, web app, large report)", ""]
    audit(b)
    web(b)
    large_report(b)
