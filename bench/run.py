"""`make bench`: every performance benchmark of chat-review, written to bench/results.md.

Sections (each a module beside this file):

1. start-up of the light commands, and what they import (`sections_basic.startup`);
2. the reader in process beside whatstk and chat-miner (`sections_basic.reader`);
3. whole commands on realistic chats: `messages` → CSV beside whatstk-to-csv and chatminer,
   `analyse` → JSON beside "read + one regex pass", both beside the baseline commit
   (`sections_commands.commands`);
4. `analyse` → JSON + PNG + PDF beside whatstk-graph (20k, 40k); at 1M all three beside JSON
   alone (`sections_commands.e2e`);
5. scaling of reader + analysis 10k → 1M, 6. fifty one-to-one exports (`sections_scale`);
7. where the time goes: phases now and at the baseline, cProfile (`sections_profile`);
8. other benchmarks kept in bench/ (audit log, web app, large report: `sections_hooks`).

Exports come from `bench/realistic.py` (bursts, review hits, media, system events, long
multi-line messages, 25+ senders, Android and iOS). Peers live in `.bench-venv` (made from
bench/requirements.txt; never project dependencies). By default the code measured is a
snapshot of HEAD (so the numbers belong to a commit) and the baseline a snapshot of
BASELINE, the main branch before issue 13's work.

    .venv/bin/python bench/run.py                  # everything -> bench/results.md
    .venv/bin/python bench/run.py --smoke --out D  # tiny inputs, no peers, D/results.md
    .venv/bin/python bench/run.py --only commands,e2e
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from common import PEER_PY, PROJECT_BIN, ROOT, load
from fixture import Fixture, git_rev, setup_peers, snapshot, tree_dirty, use_snapshot
from realistic import describe
from sections_basic import reader, startup
from sections_commands import commands, e2e
from sections_hooks import hooks
from sections_profile import profile
from sections_scale import multi, scaling

BASELINE = "469e596"  # main before issue 13 (streaming outputs, JSON encoder, realistic bench)
SECTIONS = {"startup": startup, "reader": reader, "commands": commands, "e2e": e2e,
            "scaling": scaling, "multi": multi, "profile": profile, "hooks": hooks}


class Bench:
    """What every section needs: fixtures, the console script, the report being built."""

    def __init__(self, opts: argparse.Namespace) -> None:
        self.smoke = opts.smoke
        out = Path(opts.out).resolve()
        self.fx = Fixture(out)
        self.cr = PROJECT_BIN / "chat-review"
        self.md: list[str] = []
        self.summary: list[tuple[str, str, str, bool | None]] = []
        self.base: Fixture | None = None
        self.base_rev = "-"
        if not opts.no_baseline:
            try:
                dest = snapshot(BASELINE, out / "snapshot-baseline")
            except (subprocess.CalledProcessError, OSError):
                self.base_rev = f"{BASELINE} not in this clone: baseline not measured"
            else:
                self.base = Fixture(out, home="home-baseline", env={"PYTHONPATH": str(dest)})
                self.base_rev = git_rev(BASELINE)
        self.peers_ok = False
        self.peer_note = "not run in --smoke mode" if self.smoke else ""
        if not opts.no_peers and not self.smoke:
            problem = setup_peers(opts.setup_peers) if opts.setup_peers or not PEER_PY.exists() \
                else None
            self.peers_ok = PEER_PY.exists() and problem is None
            self.peer_note = problem or ("" if self.peers_ok else ".bench-venv missing")
        elif opts.no_peers:
            self.peer_note = "--no-peers"

    def log(self, msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')} load {load()}] {msg}", flush=True)

    def target(self, what: str, wanted: str, measured: str, ok: bool | None) -> None:
        self.summary.append((what, wanted, measured, ok))

    def reps(self, full: int) -> int:
        return 1 if self.smoke else full

    def machine(self, rev: str) -> list[str]:
        cpu = "?"
        with contextlib.suppress(OSError):
            m = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
            cpu = m.group(1).strip() if m else "?"
        versions = subprocess.run(
            [sys.executable, "-c", "import pandas, numpy, matplotlib; print(pandas.__version__,"
             " numpy.__version__, matplotlib.__version__)"], capture_output=True, text=True
        ).stdout.split() or ["?"] * 3
        peers = "not installed"
        if PEER_PY.exists():
            peers = subprocess.run(
                [str(PEER_PY), "-c", "from importlib.metadata import version as v;"
                 "print(', '.join(f'{p} {v(p)}' for p in ('whatstk','chat-miner','pandas',"
                 "'plotly')))"], capture_output=True, text=True).stdout.strip() or "?"
        return [
            f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            f"- CPU: {cpu}, {len(os.sched_getaffinity(0))} cores; load average "
            f"(1/5/15 min) at start {self.load0}, at end {load()}",
            f"- Python {platform.python_version()}, pandas {versions[0]}, numpy {versions[1]}, "
            f"matplotlib {versions[2]}; chat-review at git {rev}; baseline {self.base_rev}",
            f"- peers (.bench-venv): {peers}",
            f"- data: {describe()}",
        ]

    def run(self, sections: list[str], rev: str) -> str:
        self.load0 = load()
        t0 = time.perf_counter()
        for name in sections:
            SECTIONS[name](self)
        head = ["# chat-review benchmarks", "",
                "Generated by `make bench` (`bench/run.py`)" +
                (" in --smoke mode (tiny inputs: numbers mean nothing)" if self.smoke else "") +
                f"; took {time.perf_counter() - t0:.0f} s.", "", *self.machine(rev), "",
                "## Targets", "", "| target | wanted | measured (median) | met |",
                "|---|---|---|---|"]
        head += [f"| {w} | {t} | {m} | {_yes(ok)} |" for w, t, m, ok in self.summary]
        if self.peer_note:
            head += ["", f"Peers not measured: {self.peer_note}."]
        notes = ROOT / "bench" / "notes.md"
        tail = [] if self.smoke or not notes.exists() else ["", notes.read_text("utf-8")]
        return "\n".join(head + [""] + self.md + tail) + "\n"


def _yes(ok: bool | None) -> str:
    return "-" if ok is None else ("**yes**" if ok else "**NO**")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true", help="tiny inputs, no peers, one run each")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"), help="work folder")
    ap.add_argument("--results", help="markdown file (default bench/results.md; with --smoke "
                    "OUT/results.md)")
    ap.add_argument("--only", help="comma-separated sections: " + ",".join(SECTIONS))
    ap.add_argument("--no-peers", action="store_true", help="skip whatstk and chat-miner")
    ap.add_argument("--no-baseline", action="store_true", help="skip the baseline commit")
    ap.add_argument("--setup-peers", action="store_true", help="(re)create .bench-venv first")
    ap.add_argument("--worktree", action="store_true",
                    help="measure the working tree as it is (default: a snapshot of HEAD)")
    opts = ap.parse_args(argv)
    sections = opts.only.split(",") if opts.only else list(SECTIONS)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown section(s) {', '.join(sorted(unknown))}")
    if opts.smoke and opts.out == str(ROOT / "bench" / "out"):
        ap.error("--smoke needs --out DIR (a scratch folder)")
    results = Path(opts.results) if opts.results else (
        Path(opts.out) / "results.md" if opts.smoke else ROOT / "bench" / "results.md")
    rev = git_rev()
    if not opts.worktree and not opts.smoke:
        use_snapshot(snapshot("HEAD", Path(opts.out).resolve() / "snapshot-head"))
        rev += " (a snapshot of the commit)"
    elif tree_dirty():
        rev += " + uncommitted changes"
    bench = Bench(opts)
    text = bench.run(sections, rev)
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(text, encoding="utf-8")
    print(text)
    print(f"wrote {results}")
    if opts.smoke:
        for sub in ("e2e", "cmd", "profile"):
            shutil.rmtree(bench.fx.out / sub, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
