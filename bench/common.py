"""Helpers shared by the bench runner, its sections and its workers (standard library only)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BENCH_VENV = ROOT / ".bench-venv"
PEER_PY = BENCH_VENV / "bin" / "python"
PROJECT_BIN = Path(sys.executable).parent
HEAVY = ("pandas", "matplotlib", "numpy", "holidays", "dateutil")
HFORMAT = {"android": "%d/%m/%Y, %H:%M - %name:", "ios": "[%d/%m/%Y, %H:%M:%S] %name:"}
PEER_TIMEOUT = 600
MIB = 2**20


def _status_mib(field: str) -> float | None:
    with contextlib.suppress(OSError):
        m = re.search(rf"^{field}:\s*(\d+) kB", Path("/proc/self/status").read_text(), re.M)
        if m:
            return int(m.group(1)) / 1024
    return None


def rss_now() -> float:
    """Resident set size now, MiB."""
    return _status_mib("VmRSS") or 0.0


def rss_peak() -> float:
    """Peak RSS of this process image, MiB (VmHWM: this exec'd image alone)."""
    peak = _status_mib("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Start a new high-water mark (Linux: writing 5 to clear_refs resets VmHWM)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def fmt_s(value: float | None) -> str:
    if value is None or value != value:
        return "-"
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def yes(ok: bool | None) -> str:
    return "-" if ok is None else ("**yes**" if ok else "**NO**")


def load() -> str:
    """The 1/5/15-minute load averages (os.getloadavg), for the record."""
    with contextlib.suppress(OSError):
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    return "?"


def run_worker(python: Path, kind: str, args: dict, *, timeout: float = PEER_TIMEOUT,
               env: dict | None = None) -> dict:
    """Run `bench/workers.py KIND ARGS` under `python`; its last stdout line is JSON."""
    cmd = [str(python), str(BENCH / "workers.py"), kind, json.dumps(args)]
    full_env = {**os.environ, "TQDM_DISABLE": "1", "PYTHONWARNINGS": "ignore", **(env or {})}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env=full_env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {proc.returncode}: {tail[:200]}"}
    return json.loads(lines[-1])


def timed_cmd(cmd: list[str], *, env: dict | None = None, cwd: Path = ROOT,
              timeout: float = PEER_TIMEOUT) -> dict:
    """One whole process: wall time, CPU (user + system from getrusage(RUSAGE_CHILDREN), so
    helper processes it forked and waited for count too), peak RSS (wait4) and the load."""
    with tempfile.TemporaryFile() as errfile:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errfile,
                                env={**os.environ, "TQDM_DISABLE": "1", **(env or {})}, cwd=cwd)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            proc.kill()
            raise
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc.returncode = os.waitstatus_to_exitcode(status)
        errfile.seek(0)
        err = errfile.read().decode("utf-8", "replace")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "rc": proc.returncode, "rss_mib": usage.ru_maxrss / 1024,
            "cpu": cpu, "stderr": err, "load": os.getloadavg()[0]}


def summary(runs: list[dict]) -> dict:
    """Median wall, CPU and peak RSS of several runs of one command, and the load seen."""
    return {"wall": med([r["wall"] for r in runs]), "cpu": med([r["cpu"] for r in runs]),
            "rss": max(r["rss_mib"] for r in runs), "n": len(runs),
            "load": med([r["load"] for r in runs]), "walls": [r["wall"] for r in runs]}
