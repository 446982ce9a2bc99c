"""Where the time goes: commands split into phases, now and at the baseline commit, and
cProfile summaries."""

from __future__ import annotations

import sys
from pathlib import Path

from common import fmt_s, med, run_worker


def _phase_runs(b, fx, args: dict, reps: int, env: dict | None) -> list[dict]:
    runs = [run_worker(Path(sys.executable), "phases", {"home": str(fx.home), **args},
                       env=env) for _ in range(reps)]
    bad = [r for r in runs if "error" in r]
    return [] if bad else runs


def _merge(now: list[dict], base: list[dict]) -> list[str]:
    """One table: each phase's median wall and CPU now and at the baseline."""
    names = []
    for runs in (base, now):
        for name, _, _ in (runs[0]["phases"] if runs else []):
            if name not in names:
                names.append(name)

    def cells(runs: list[dict], name: str) -> str:
        vals = [next((w, c) for n, w, c in r["phases"] if n == name) for r in runs
                if any(n == name for n, _, _ in r["phases"])]
        if not vals:
            return "- | -"
        return f"{fmt_s(med([w for w, _ in vals]))} | {fmt_s(med([c for _, c in vals]))}"

    rows = ["| phase | baseline wall | baseline CPU | now wall | now CPU |",
            "|---|---|---|---|---|"]
    rows += [f"| {name} | {cells(base, name)} | {cells(now, name)} |" for name in names]

    def total(runs: list[dict]) -> str:
        if not runs:
            return "- | -"
        return (f"{fmt_s(med([sum(w for _, w, _ in r['phases']) for r in runs]))} | "
                f"{fmt_s(med([sum(c for _, _, c in r['phases']) for r in runs]))}")

    def peak(runs: list[dict]) -> str:
        return f"{med([r['peak_mib'] for r in runs]):.0f} MiB" if runs else "-"

    rows.append(f"| **total (in process, after interpreter start)** | {total(base)} | "
                f"{total(now)} |")
    rows.append(f"| peak RSS | {peak(base)} | | {peak(now)} | |")
    return rows


def profile(b) -> None:
    big = 300 if b.smoke else 1_000_000
    mid = 200 if b.smoke else 40_000
    out = b.fx.out / "profile"
    out.mkdir(exist_ok=True)
    b.md += ["## 7. Where the time goes", "",
             "Commands split into phases in one fresh process each (imports counted in the "
             "phase that first needs them; median of runs), now and at the baseline commit "
             f"{b.base_rev} on the same file.", ""]
    for label, n, args in (
        (f"`analyse` → JSON, {big:,} messages", big, {"mode": "analyse"}),
        (f"`messages` → CSV, {big:,} messages", big, {"mode": "messages"}),
        (f"`analyse` → JSON + PNG + PDF, {mid:,} messages", mid, {"mode": "analyse",
                                                                   "draw": True}),
    ):
        path = b.fx.export(n, "android", seed=3 if n == mid else 1)
        b.log(f"phases: {label}")
        reps = b.reps(1 if n >= 1_000_000 else 2)
        common = {"file": str(path), "out": str(out / "phase.out"), **args}
        now = _phase_runs(b, b.fx, {**common, "token": b.fx.token(path)}, reps, None)
        base = []
        if b.base is not None:
            base = _phase_runs(b, b.base, {**common, "token": b.base.token(path)},
                               1 if n >= 1_000_000 else reps, b.base.env)
        if not now:
            raise SystemExit(f"phases failed for {label}")
        b.md += [f"**{label}**", "", *_merge(now, base), ""]
    path = b.fx.export(big, "android")
    for who, fx, env in (("now", b.fx, None), ("baseline", b.base, None)):
        if fx is None:
            continue
        b.log(f"cProfile analyse {big:,} ({who})")
        env = fx.env or None
        prof = run_worker(Path(sys.executable), "profile", {"argv": [
            "--home", str(fx.home), "analyse", str(path), "--token", fx.token(path), "--json",
            str(out / f"prof-{who}.json"), "--force", "--quiet"], "top": 10}, env=env)
        _profile_md(b, prof, f"cProfile of `analyse` → JSON on {big:,} messages ({who})",
                    ["own_cumulative", "own_tottime", "lib_tottime"])


def _profile_md(b, prof: dict, title: str, parts: list[str]) -> None:
    if "error" in prof:
        b.md += [f"{title}: failed: {prof['error']}", ""]
        return
    b.md += [f"{title}; total {prof['total']:.2f} s under the profiler (which inflates many "
             "small calls):", ""]
    labels = {"own_cumulative": "chat-review's functions by cumulative time",
              "own_tottime": "chat-review's functions by own time",
              "lib_tottime": "library functions by own time"}
    for part in parts:
        b.md += [f"{labels[part]}:", "", "| cumulative | own | function |", "|---|---|---|"]
        b.md += [f"| {ct:.3f} s | {tt:.3f} s | `{fn}` |" for ct, tt, fn in prof[part]]
        b.md.append("")
