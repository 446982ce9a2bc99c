"""Start-up of the light commands, and the reader in process beside whatstk and chat-miner."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from common import HEAVY, PEER_PY, PROJECT_BIN, fmt_s, med, run_worker, timed_cmd, yes


def startup(b) -> None:
    """Whole-process wall time of the commands that must feel instant, and what they import."""
    b.log("start-up times")
    fx = b.fx
    small = fx.export(50, "android", seed=7)
    fx.token(small)
    home = ["--home", str(fx.home)]
    grant = ["consent", "grant", str(small), "--parent", "P", "--purpose", "bench",
             "--recorded-by", "bench"]
    commands = [
        ("`chat-review --help`", ["--help"], True),
        ("`chat-review consent grant`", home + grant, True),
        ("`chat-review consent list`", home + ["consent", "list"], True),
        ("`chat-review audit verify`", home + ["audit", "verify"], True),
        ("`chat-review analyse --help` (information)", ["analyse", "--help"], False),
    ]
    n = b.reps(7)
    rows = [f"| command | median wall (of {n}) | min | median CPU | heavy modules imported | "
            "target | met |", "|---|---|---|---|---|---|---|"]
    for label, args, gated in commands:
        runs = [timed_cmd([str(b.cr), *args], env={"CHAT_REVIEW_YES": "1"}) for _ in range(n)]
        if any(r["rc"] for r in runs):
            bad = next(r for r in runs if r["rc"])
            raise SystemExit(f"{label} failed: {bad['stderr'][-300:]}")
        walls = [r["wall"] for r in runs]
        # not from the repository folder: `-m` puts the current folder first on the path
        r = timed_cmd([str(PROJECT_BIN / "python"), "-X", "importtime", "-m", "chat_review",
                       *args], cwd=fx.out)
        mods = set(re.findall(r"\|\s+(\S+)\s*$", r["stderr"], flags=re.M))
        heavy = sorted(h for h in HEAVY if h in mods)
        ok = (med(walls) <= 0.3 and not heavy) if gated else None
        rows.append(f"| {label} | {fmt_s(med(walls))} | {fmt_s(min(walls))} | "
                    f"{fmt_s(med([r['cpu'] for r in runs]))} | {', '.join(heavy) or 'none'} | "
                    f"{'≤ 0.3 s, no heavy' if gated else '-'} | {yes(ok)} |")
        if gated:
            b.target(f"start-up {label}", "≤ 0.3 s, imports no pandas/matplotlib",
                     f"{fmt_s(med(walls))}; heavy: {', '.join(heavy) or 'none'}", ok)
    floor = [timed_cmd([str(PROJECT_BIN / "python"), "-c", "import click"])["wall"]
             for _ in range(n)]
    rows.append(f"| (floor: `python -c 'import click'`) | {fmt_s(med(floor))} | "
                f"{fmt_s(min(floor))} | - | - | - | - |")
    b.md += ["## 1. Start-up of each command (whole process)", "",
             "Console script `.venv/bin/chat-review`. Heavy modules: any of " + ", ".join(HEAVY)
             + " in `python -X importtime -m chat_review ...`.", "", *rows, ""]


def reader(b) -> None:
    """read_export in process on realistic exports; peers in process at 10k and 100k (their
    1M runs are whole processes in section 3)."""
    sizes = [200] if b.smoke else [10_000, 100_000, 1_000_000]
    reps = {10_000: 7, 100_000: 5, 1_000_000: 3}
    rows = ["| platform | messages | file | gate | read_export (CPU) | peak above baseline: "
            "read_export / gate + read_export | whatstk | chat-miner | whatstk / ours | "
            "chat-miner / ours | target | met |", "|" + "---|" * 12]
    for plat in ("android", "ios"):
        warm = b.fx.export(50, plat, seed=9)
        for n in sizes:
            path = b.fx.export(n, plat)
            mib = path.stat().st_size / 2**20
            b.log(f"reader {plat} {n:,}")
            ours = run_worker(Path(sys.executable), "reader", {
                "home": str(b.fx.home), "token": b.fx.token(path), "file": str(path),
                "repeats": b.reps(reps.get(n, 3)), "warm_file": str(warm),
                "warm_token": b.fx.token(warm)})
            if "error" in ours:
                raise SystemExit(f"reader failed on {path.name}: {ours['error']}")
            t_read, c_read = med(ours["read"]), med(ours["cpu"])
            peers = {}
            for tool in ("whatstk", "chat-miner"):
                if not b.peers_ok or n > 100_000:
                    peers[tool] = {"skipped": "whole process in section 3" if b.peers_ok
                                   else (b.peer_note or "peers skipped")}
                    continue
                b.log(f"  {tool} {plat} {n:,}")
                peers[tool] = run_worker(PEER_PY, "peer", {
                    "tool": tool, "file": str(path), "platform": plat,
                    "repeats": 3 if n <= 10_000 else 1})

            def cell(p: dict) -> str:
                if "skipped" in p:
                    return f"({p['skipped']})"
                if "error" in p:
                    return f"failed: {p['error']}"
                note = f" ({p['note']})" if p.get("note") else ""
                return (f"{fmt_s(med(p['read']))}, {p['extra_mib']:.0f} MiB, "
                        f"{p['rows']:,} rows{note}")

            def ratio(p: dict, t_read: float = t_read, c_read: float = c_read) -> str:
                if "error" in p or "skipped" in p:
                    return "-"
                return (f"{med(p['read']) / t_read:.1f}x (CPU "
                        f"{med(p['cpu']) / c_read:.1f}x)")

            goal = 0.2 if n == 100_000 else None
            pextra, extra = ours["parse_extra_mib"], ours["extra_mib"]
            ok = (t_read <= goal) if goal else None
            rows.append(
                f"| {plat} | {n:,} | {mib:.1f} MiB | {fmt_s(med(ours['gate']))} | "
                f"{fmt_s(t_read)} ({fmt_s(c_read)}) | {pextra:.0f} MiB ({pextra / mib:.1f}x) / "
                f"{extra:.0f} MiB ({extra / mib:.1f}x) | {cell(peers['whatstk'])} | "
                f"{cell(peers['chat-miner'])} | {ratio(peers['whatstk'])} | "
                f"{ratio(peers['chat-miner'])} | {'≤ 0.2 s' if goal else '-'} | {yes(ok)} |")
            if goal:
                b.target(f"reader {n:,} msgs ({plat}), in process", "≤ 0.2 s per 100k",
                         f"{fmt_s(t_read)} (CPU {fmt_s(c_read)})", None if b.smoke else ok)
    b.md += ["## 2. Reader in process beside whatstk and chat-miner", "",
             "Same realistic file for all. Imports excluded; median of several parses in one "
             "process (after a warm-up parse of a 50-message file, so phrase tables are "
             "compiled). Peak memory above baseline: VmHWM (reset first) minus RSS before, "
             "first parse, for `read_export` alone (after the gate, which holds the bytes) and "
             "for gate + `read_export`. Ratios above 1 mean the peer is slower. Row counts "
             "differ because both peers drop Android system lines, which chat-review keeps as "
             "kind `system`.", "", *rows, ""]
