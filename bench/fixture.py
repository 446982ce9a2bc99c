"""Set-up for `make bench`: generated exports with a consent each, peers, commit snapshots."""

from __future__ import annotations

import compileall
import os
import shutil
import subprocess
import sys
from pathlib import Path

from common import BENCH_VENV, PEER_PY, PROJECT_BIN, ROOT, run_worker
from realistic import VERSION

PACKAGES = ("chat_review", "consent", "reports")


class Fixture:
    """Generated exports under `out` (kept between runs), and a fresh register with one consent
    per file. Realistic by default; "uniform" is the old generator (no bursts), for comparison.

    The register is made anew each run: the gate verifies the whole audit chain on every read,
    so a register kept between runs made each run's reads slower than the last (25 ms a read
    after 3,300 entries), and the numbers depended on how often the bench had run."""

    def __init__(self, out: Path, home: str = "home", env: dict | None = None) -> None:
        self.out = out
        self.home = out / home
        self.env = env or {}  # e.g. PYTHONPATH of a baseline snapshot, for its own register
        out.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.home, ignore_errors=True)
        self.tokens: dict[Path, str] = {}

    def export(self, n: int, plat: str = "android", seed: int = 1, kind: str = "group",
               generator: str = "realistic") -> Path:
        tag = f"r{VERSION}-{kind}" if generator == "realistic" else "uniform"
        path = self.out / f"{tag}-{plat}-{n}-s{seed}.txt"
        if not path.exists():
            r = run_worker(Path(sys.executable), "synth", {
                "n": n, "platform": plat, "seed": seed, "path": str(path), "kind": kind,
                "generator": generator})
            if "error" in r:
                raise SystemExit(f"could not write {path.name}: {r['error']}")
        return path

    def token(self, path: Path) -> str:
        """A consent for `path`, recorded through the console script (so the benchmark does
        not depend on the register's Python API, and a baseline commit uses its own)."""
        if path not in self.tokens:
            proc = subprocess.run(
                [str(PROJECT_BIN / "chat-review"), "--home", str(self.home), "consent", "grant",
                 str(path), "--parent", "Bench Parent", "--purpose", "benchmark",
                 "--recorded-by", "bench/run.py", "--expires", "2d"],
                capture_output=True, text=True, env={**os.environ, **self.env},
                stdin=subprocess.DEVNULL)
            if proc.returncode != 0:
                raise SystemExit(f"consent grant for {path.name} failed: {proc.stderr[-300:]}")
            self.tokens[path] = proc.stdout.strip().splitlines()[-1].strip()
        return self.tokens[path]


def setup_peers(force: bool = False) -> str | None:
    """Create .bench-venv from bench/requirements.txt if needed; None, or why it failed."""
    stamp = BENCH_VENV / ".installed"
    req = ROOT / "bench" / "requirements.txt"
    if not force and stamp.exists() and stamp.stat().st_mtime >= req.stat().st_mtime:
        return None
    try:
        if not PEER_PY.exists():
            subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run([str(PEER_PY), "-m", "pip", "install", "--quiet", "-r", str(req)],
                       check=True, timeout=1200)
    except (subprocess.SubprocessError, OSError) as exc:
        return f"could not create .bench-venv ({exc})"
    stamp.touch()
    return None


def snapshot(commit: str, dest: Path) -> Path:
    """A commit's packages laid out as they install (consent/ and reports/ inside
    chat_review/), for PYTHONPATH: the numbers then belong to that commit, not to a working
    tree others may be editing. Returns `dest`."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit, *PACKAGES], cwd=ROOT,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    for sub in ("consent", "reports"):
        if (dest / sub).is_dir() and not (dest / "chat_review" / sub).exists():
            (dest / sub).rename(dest / "chat_review" / sub)
    # pip writes the bytecode when it installs a package (the peers' too); without it every
    # measured process would compile the whole of chat_review from source (about 0.1 s each,
    # since PYTHONDONTWRITEBYTECODE, set on some machines, keeps Python from caching it)
    compileall.compile_dir(dest, quiet=1, workers=0)
    return dest


def use_snapshot(dest: Path) -> None:
    """Put a snapshot first on this process's import path and every child's."""
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(dest), *filter(None, [os.environ.get("PYTHONPATH")])])
    sys.path.insert(0, str(dest))


def git_rev(ref: str = "HEAD") -> str:
    r = subprocess.run(["git", "rev-parse", "--short", ref], capture_output=True, text=True,
                       cwd=ROOT)
    return r.stdout.strip() or "?"


def tree_dirty() -> bool:
    return bool(subprocess.run(["git", "status", "--porcelain", *PACKAGES], capture_output=True,
                               text=True, cwd=ROOT).stdout.strip())
