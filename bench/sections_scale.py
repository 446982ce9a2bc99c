"""Scaling of reader + analysis from 10k to 1M messages, and many small exports at once."""

from __future__ import annotations

import sys
from pathlib import Path

from common import fmt_s, med, run_worker, summary, timed_cmd, yes


def scaling(b) -> None:
    sizes = [100, 200] if b.smoke else [10_000, 100_000, 1_000_000]
    procs = b.reps(3)
    rows = ["| messages | file | gate | read_export | analyse | read + analyse (CPU) | µs / msg | "
            "warm read + analyse | warm µs / msg | peak RSS |", "|" + "---|" * 10]
    warm_msg: dict[int, float] = {}
    for n in sizes:
        path = b.fx.export(n, "android")
        b.log(f"scaling {n:,}")
        results = []
        for _ in range(procs):
            r = run_worker(Path(sys.executable), "pipeline", {
                "home": str(b.fx.home), "pairs": [[str(path), b.fx.token(path)]], "repeats": 2})
            if "error" in r:
                raise SystemExit(f"pipeline failed at {n}: {r['error']}")
            results.append(r)
        first = [r["runs"][0] for r in results]
        warm = [r["runs"][1] for r in results]
        both = med([r["read"] + r["analyse"] for r in first])
        both_w = med([r["read"] + r["analyse"] for r in warm])
        warm_msg[n] = both_w / n * 1e6
        rows.append(f"| {n:,} | {path.stat().st_size / 2**20:.1f} MiB | "
                    f"{fmt_s(med([r['gate'] for r in first]))} | "
                    f"{fmt_s(med([r['read'] for r in first]))} | "
                    f"{fmt_s(med([r['analyse'] for r in first]))} | {fmt_s(both)} "
                    f"({fmt_s(med([r['cpu'] for r in first]))}) | {both / n * 1e6:.2f} | "
                    f"{fmt_s(both_w)} | {warm_msg[n]:.2f} | "
                    f"{med([r['peak_mib'] for r in results]):.0f} MiB |")
    lo, hi = warm_msg[sizes[0]], warm_msg[sizes[-1]]
    linear = hi <= lo * 1.5
    b.target("cost grows linearly 10k → 1M", "warm µs/message at 1M ≤ 1.5x at 10k",
             f"x{hi / lo:.2f}", None if b.smoke else linear)
    b.md += ["## 5. Scaling: reader + analysis, 10k → 1M messages", "",
             f"Each size in {procs} fresh processes (median), each doing the work twice: the "
             "first call (imports and config excluded, one-off set-up such as phrase tables "
             "and bank holidays included) and a warm second call. Peak RSS: the worker's "
             "VmHWM (imports included).", "", *rows, ""]


def multi(b) -> None:
    count, n = (3, 200) if b.smoke else (50, 2_000)
    pairs = []
    for i in range(count):
        p = b.fx.export(n, "android" if i % 2 else "ios", seed=100 + i, kind="direct")
        pairs.append([str(p), b.fx.token(p)])
    b.log(f"{count} exports x {n:,}")
    cmd = [str(b.cr), "--home", str(b.fx.home), "analyse", "--quiet", "--force", "--json",
           str(b.fx.out / "multi.json")]
    for p, t in pairs:
        cmd += ["--chat", p, t]
    runs = [timed_cmd(cmd) for _ in range(b.reps(3))]
    if any(r["rc"] for r in runs):
        raise SystemExit(f"analyse --chat x{count} failed: {runs[0]['stderr'][-300:]}")
    s = summary(runs)
    inproc = run_worker(Path(sys.executable), "pipeline", {
        "home": str(b.fx.home), "pairs": pairs, "repeats": b.reps(3)})
    if "error" in inproc:
        raise SystemExit(f"multi in process failed: {inproc['error']}")
    first = inproc["runs"][0]
    total = first["gate"] + first["read"] + first["analyse"]
    ok = s["wall"] <= 3.0
    b.target(f"{count} exports x {n:,} msgs: one `analyse --chat ...` command", "≤ 3 s",
             f"{fmt_s(s['wall'])} (CPU {fmt_s(s['cpu'])}); in process {fmt_s(total)}",
             None if b.smoke else ok)
    b.md += [f"## 6. {count} exports x {n:,} messages (a term of one-to-one chats)", "",
             "Realistic one-to-one chats with the class teacher, alternating Android/iOS, each "
             "with its own consent.", "",
             "| measure | gate | read_export | analyse | total | met |",
             "|---|---|---|---|---|---|",
             f"| in process, first run | {fmt_s(first['gate'])} | {fmt_s(first['read'])} | "
             f"{fmt_s(first['analyse'])} | {fmt_s(total)} | - |",
             f"| whole command (median of {s['n']}, CPU {fmt_s(s['cpu'])}) | | | | "
             f"{fmt_s(s['wall'])} | {yes(ok if not b.smoke else None)} |", ""]
