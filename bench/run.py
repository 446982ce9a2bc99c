"""`make bench`: every performance benchmark of chat-review, written to bench/results.md.

Sections (each row: target, measured median, met yes/no):

1. start-up of the light commands (`--help`, `consent grant`, `consent list`, `audit verify`)
   and, for information, `analyse --help` — whole-process wall time, plus an `-X importtime`
   check that none of them imports pandas, matplotlib, numpy, holidays or dateutil;
2. the reader in process (imports excluded) vs whatstk and chat-miner on the same synthetic
   files, 10k / 100k / 1M messages, Android and iOS, with peak memory above baseline;
3. end-to-end `chat-review analyse` on 40,000 messages (summary, JSON, PNG, PDF) side by side
   with `whatstk-graph` drawing one interactive chart of the same file;
4. scaling of reader + analysis from 10k to 1M messages: time per message and peak RSS,
   each size in fresh processes;
5. 50 exports x 2,000 messages (a staff member's term of 1:1 chats);
6. where the time goes: the end-to-end run split into phases, and a cProfile summary.

The peers (whatstk, chat-miner, pyinstrument) live in `.bench-venv`, made from
bench/requirements.txt (`make bench` creates it; `--setup-peers` here does the same). They are
never project dependencies. A peer that is missing or fails is recorded, not hidden.

This file imports only the standard library at module level: it is also the worker that runs
inside `.bench-venv` (peers) and inside the project venv (chat-review) as `--worker KIND`.

    .venv/bin/python bench/run.py                  # everything -> bench/results.md
    .venv/bin/python bench/run.py --smoke --out D  # ~200 messages, no peers, D/results.md
    .venv/bin/python bench/run.py --only reader,e2e
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
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
BENCH_VENV = ROOT / ".bench-venv"
PEER_PY = BENCH_VENV / "bin" / "python"
PROJECT_BIN = Path(sys.executable).parent
HEAVY = ("pandas", "matplotlib", "numpy", "holidays", "dateutil")
HFORMAT = {"android": "%d/%m/%Y, %H:%M - %name:", "ios": "[%d/%m/%Y, %H:%M:%S] %name:"}
SECTIONS = ("startup", "reader", "e2e", "scaling", "multi", "reports", "profile")
PEER_TIMEOUT = 420
PACKAGES = ("chat_review", "consent", "reports")
SNAPSHOT: Path | None = None


# -- small helpers ------------------------------------------------------------------------------


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
    """Peak RSS of this process image, MiB. VmHWM belongs to this exec'd image alone (unlike
    ru_maxrss, which on Linux starts from the parent's RSS at fork/exec)."""
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


def walls(runs: list[dict]) -> str:
    return ", ".join(f"{r['wall']:.2f}" for r in runs)


def yes(ok: bool | None) -> str:
    return "-" if ok is None else ("**yes**" if ok else "**NO**")


def load() -> str:
    with contextlib.suppress(OSError):
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return "?"


def run_worker(python: Path, kind: str, args: dict, *, timeout: float = PEER_TIMEOUT,
               env: dict | None = None) -> dict:
    """Run `bench/run.py --worker KIND` under `python`; its last stdout line is JSON."""
    cmd = [str(python), str(Path(__file__).resolve()), "--worker", kind, json.dumps(args)]
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


def timed_cmd(cmd: list[str], *, env: dict | None = None, cwd: Path = ROOT) -> dict:
    """Whole-process wall time of one command, its CPU time (user + system) and peak RSS, from
    wait4. CPU time barely moves when other work shares the cores; wall time does."""
    with tempfile.TemporaryFile() as errfile:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errfile,
                                env={**os.environ, **(env or {})}, cwd=cwd)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            proc.kill()
            raise
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        errfile.seek(0)
        err = errfile.read().decode("utf-8", "replace")
    return {"wall": wall, "rc": proc.returncode, "rss_mib": usage.ru_maxrss / 1024,
            "cpu": usage.ru_utime + usage.ru_stime, "stderr": err}


# -- workers (run in a subprocess) --------------------------------------------------------------


def _grant_for(home: str, token: str, path: str):
    from chat_review.consent.gate import open_export

    return open_export(Path(home), token, Path(path), command="bench")


def worker_reader(a: dict) -> dict:
    """chat-review's reader in process: gate and read_export timed separately."""
    import gc

    from chat_review.reader import read_export

    _grant_for(a["home"], a["token"], a["file"])  # warm the gate's own imports
    if a.get("warm_file"):  # one-off set-up (phrase tables) on a tiny file, not measured
        read_export(_grant_for(a["home"], a["warm_token"], a["warm_file"]))
    gc.collect()
    gate_t, read_t, cpu_t, extras, parse_extras, n = [], [], [], [], [], 0
    for _ in range(a["repeats"]):
        gc.collect()
        base = rss_now()
        reset_peak()
        t0 = time.perf_counter()
        grant = _grant_for(a["home"], a["token"], a["file"])
        gate_peak, after_gate = rss_peak(), rss_now()
        reset_peak()
        t1, c1 = time.perf_counter(), time.process_time()
        chat = read_export(grant)
        t2, c2 = time.perf_counter(), time.process_time()
        peak = rss_peak()
        extras.append(max(peak, gate_peak) - base)
        parse_extras.append(peak - after_gate)
        gate_t.append(t1 - t0)
        read_t.append(t2 - t1)
        cpu_t.append(c2 - c1)
        n = len(chat.messages)
        del chat, grant
    # memory from the first parse: later ones start from a heap that already holds the freed
    # memory of the one before, so their RSS barely rises and would flatter the reader
    return {"gate": gate_t, "read": read_t, "cpu": cpu_t, "rows": n,
            "extra_mib": extras[0], "parse_extra_mib": parse_extras[0]}


def worker_peer(a: dict) -> dict:
    """A peer parser in process (runs inside .bench-venv), imports excluded."""
    import gc
    import logging

    logging.disable(logging.CRITICAL)
    tool, path = a["tool"], a["file"]
    note = ""
    if tool == "whatstk":
        from whatstk.whatsapp import parser as wp

        fn = getattr(wp, "df_from_whatsapp", None) or wp.df_from_txt_whatsapp
        kw: dict = {"max_size": None} if "df_from_whatsapp" in dir(wp) else {}

        def parse():
            nonlocal kw, note
            try:
                return fn(path, **kw)
            except Exception:  # noqa: BLE001 - auto-detect failed: give the header format
                if "hformat" in kw:
                    raise
                kw = {**kw, "hformat": HFORMAT[a["platform"]]}
                note = "hformat given (auto-detect failed)"
                return fn(path, **kw)
    elif tool == "chat-miner":
        from chatminer.chatparsers import WhatsAppParser

        def parse():
            p = WhatsAppParser(path)
            p.parse_file()
            return p.parsed_messages.get_df()
    else:
        raise SystemExit(f"unknown peer {tool}")
    times, cpu, rows, extra = [], [], 0, 0.0
    for _ in range(a["repeats"]):
        gc.collect()
        base = rss_now()
        reset_peak()
        t0, c0 = time.perf_counter(), time.process_time()
        df = parse()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        extra = max(extra, rss_peak() - base)
        rows = len(df)
        del df
    return {"read": times, "cpu": cpu, "rows": rows, "extra_mib": extra, "note": note}


def worker_pipeline(a: dict) -> dict:
    """Gate + reader + analysis of one or more exports, in process, imports excluded."""
    import gc

    from chat_review.analysis import analyse
    from chat_review.config import load_config
    from chat_review.reader import read_export

    config = load_config(None, None)
    runs = []
    for _ in range(a["repeats"]):
        t0 = time.perf_counter()
        grants = [_grant_for(a["home"], tok, f) for f, tok in a["pairs"]]
        t1, c1 = time.perf_counter(), time.process_time()
        chats = [read_export(g) for g in grants]
        t2 = time.perf_counter()
        findings = analyse(chats, config)
        t3, c3 = time.perf_counter(), time.process_time()
        runs.append({"gate": t1 - t0, "read": t2 - t1, "analyse": t3 - t2, "cpu": c3 - c1,
                     "messages": int(sum(len(c.messages) for c in chats))})
        del grants, chats, findings
        gc.collect()
    return {"runs": runs, "peak_mib": rss_peak()}


def worker_synth(a: dict) -> dict:
    """Write one synthetic export (in a subprocess, so the runner itself stays small)."""
    from chat_review.reader.synthetic import render_synthetic

    tmp = Path(a["path"] + ".tmp")
    tmp.write_bytes(render_synthetic(a["n"], a["platform"], a["seed"]))
    tmp.replace(a["path"])
    return {"ok": True}


def worker_phases(a: dict) -> dict:
    """The end-to-end analyse split into phases (imports included, as the CLI pays them)."""
    phases: list[tuple[str, float]] = []
    t = time.perf_counter()

    def mark(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        phases.append((name, now - t))
        t = now

    import click  # noqa: F401 - the CLI's own start-up

    import chat_review.cli  # noqa: F401
    mark("import CLI (click, command table)")
    from chat_review.reader import read_export
    mark("import reader (pandas, numpy)")
    grant = _grant_for(a["home"], a["token"], a["file"])
    mark("gate: register, token, SHA-256 of the bytes")
    chat = read_export(grant)
    mark("read_export")
    from chat_review.analysis import analyse
    from chat_review.config import load_config
    mark("import analysis + config (holidays)")
    config = load_config(None, None)
    findings = analyse([chat], config)
    mark("analyse")
    from chat_review.reports.context import ReportContext
    from chat_review.reports.json_report import render_json
    from chat_review.reports.text import render_summary
    ctx = ReportContext(consents=[])
    mark("import reports (json, text)")
    render_summary(findings, ctx)
    mark("terminal summary")
    render_json(findings, ctx)
    mark("render JSON")
    import chat_review.reports._draw  # noqa: F401 - matplotlib, imported lazily by the renderers
    mark("import matplotlib + report drawing")
    from chat_review import reports

    if hasattr(reports, "render_outputs"):  # PNG and PDF in one call, as the CLI does
        reports.render_outputs(findings, ctx, ["png", "pdf"])
        mark("render PNG + PDF (render_outputs)")
    else:
        from chat_review.reports.pdf import render_pdf
        from chat_review.reports.png import render_png

        render_png(findings, ctx)
        mark("render PNG")
        render_pdf(findings, ctx)
        mark("render PDF")
    return {"phases": phases}


def worker_profile(a: dict) -> dict:
    """cProfile of one end-to-end analyse run through the CLI entry point ("cli"), or of
    gate + reader + analysis in process after the imports ("pipeline"), summarised."""
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    if a["mode"] == "cli":
        from chat_review.cli import main

        argv = sys.argv
        sys.argv = ["chat-review", "--home", a["home"], "analyse", a["file"], "--token",
                    a["token"], "--quiet", "--force"] + [x for k in ("json", "png", "pdf")
                                                         for x in (f"--{k}", a[k])]
        prof.enable()
        with contextlib.suppress(SystemExit):
            main()
        prof.disable()
        sys.argv = argv
    else:
        from chat_review.analysis import analyse
        from chat_review.config import load_config
        from chat_review.reader import read_export

        config = load_config(None, None)
        prof.enable()
        analyse([read_export(_grant_for(a["home"], a["token"], a["file"]))], config)
        prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    for (file, line, func), (_cc, _nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((ct, tt, f"{_short(file)}:{line}({func})"))
    own = [r for r in rows if re.search(r"(chat_review|reports|consent)/", r[2])]
    lib = [r for r in rows if not re.search(r"(chat_review|reports|consent)/", r[2])]
    top = a.get("top", 15)
    return {
        "total": total,
        "own_cumulative": sorted(own, reverse=True)[:top],
        "own_tottime": sorted(own, key=lambda r: r[1], reverse=True)[:top],
        "lib_tottime": sorted(lib, key=lambda r: r[1], reverse=True)[:top],
    }


def _short(file: str) -> str:
    for marker in ("site-packages/", "/work/main/", str(ROOT) + "/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


WORKERS = {"reader": worker_reader, "peer": worker_peer, "pipeline": worker_pipeline,
           "phases": worker_phases, "profile": worker_profile, "synth": worker_synth}


# -- set-up: files, consents, peers -------------------------------------------------------------


class Fixture:
    """Synthetic exports under `out`, and a consent register with one consent per file."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.home = out / "home"
        out.mkdir(parents=True, exist_ok=True)
        self.tokens: dict[Path, str] = {}

    def export(self, n: int, plat: str = "android", seed: int = 1) -> Path:
        path = self.out / f"{plat}-{n}-s{seed}.txt"
        if not path.exists():
            r = run_worker(Path(sys.executable), "synth",
                           {"n": n, "platform": plat, "seed": seed, "path": str(path)})
            if "error" in r:
                raise SystemExit(f"could not write {path.name}: {r['error']}")
        return path

    def token(self, path: Path) -> str:
        if path not in self.tokens:
            from chat_review.consent import consents
            from chat_review.consent.register import Register

            with Register.open(self.home) as register:
                _, tok = consents.grant(
                    register, path, parent="Bench Parent", purpose="benchmark",
                    recorded_by="bench/run.py", expires_at=register.clock() + timedelta(days=2))
            self.tokens[path] = tok
        return self.tokens[path]


def setup_peers() -> str | None:
    """Create .bench-venv from bench/requirements.txt if needed; None, or why it failed."""
    stamp = BENCH_VENV / ".installed"
    req = ROOT / "bench" / "requirements.txt"
    if stamp.exists() and stamp.stat().st_mtime >= req.stat().st_mtime:
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


def snapshot_head(dest: Path) -> None:
    """Export HEAD's packages to `dest` and put it first on every process's import path."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "HEAD", *PACKAGES], cwd=ROOT,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(dest), *filter(None, [os.environ.get("PYTHONPATH")])])
    sys.path.insert(0, str(dest))
    global SNAPSHOT
    SNAPSHOT = dest


# -- sections -----------------------------------------------------------------------------------


class Bench:
    def __init__(self, opts: argparse.Namespace) -> None:
        self.o = opts
        self.smoke = opts.smoke
        self.fx = Fixture(Path(opts.out).resolve())
        self.md: list[str] = []
        self.summary: list[tuple[str, str, str, bool | None]] = []
        self.peers_ok = False
        self.peer_note = ""
        if not opts.no_peers and not self.smoke:
            problem = setup_peers() if opts.setup_peers or not PEER_PY.exists() else None
            self.peers_ok = PEER_PY.exists() and problem is None
            self.peer_note = problem or ("" if self.peers_ok else ".bench-venv missing")

    def log(self, msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')} load {load()}] {msg}", flush=True)

    def target(self, what: str, target: str, measured: str, ok: bool | None) -> None:
        self.summary.append((what, target, measured, ok))

    def reps(self, full: int) -> int:
        return 1 if self.smoke else full

    # 1 -- start-up -------------------------------------------------------------------------

    def startup(self) -> None:
        self.log("start-up times")
        fx = self.fx
        small = fx.export(50, "android", seed=7)
        fx.token(small)
        cr = str(PROJECT_BIN / "chat-review")
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
        n = self.reps(7)
        rows = [f"| command | median wall (of {n}) | min | heavy modules imported | target | met |",
                "|---|---|---|---|---|---|"]
        for label, args, gated in commands:
            walls = []
            for _ in range(n):
                r = timed_cmd([cr, *args])
                if r["rc"] != 0:
                    raise SystemExit(f"{label} failed: {r['stderr'][-300:]}")
                walls.append(r["wall"])
            # not from the repository folder: `-m` puts the current folder first on the path
            r = timed_cmd([str(PROJECT_BIN / "python"), "-X", "importtime", "-m", "chat_review",
                           *args], cwd=fx.out)
            mods = set(re.findall(r"\|\s+(\S+)\s*$", r["stderr"], flags=re.M))
            heavy = sorted(h for h in HEAVY if h in mods)
            ok = (med(walls) <= 0.3 and not heavy) if gated else None
            rows.append(f"| {label} | {fmt_s(med(walls))} | {fmt_s(min(walls))} | "
                        f"{', '.join(heavy) or 'none'} | {'≤ 0.3 s, no heavy' if gated else '-'}"
                        f" | {yes(ok)} |")
            if gated:
                self.target(f"start-up {label}", "≤ 0.3 s, imports no pandas/matplotlib",
                            f"{fmt_s(med(walls))}; heavy: {', '.join(heavy) or 'none'}", ok)
        baseline = [timed_cmd([str(PROJECT_BIN / "python"), "-c", "import click"])["wall"]
                    for _ in range(n)]
        rows.append(f"| (floor: `python -c 'import click'`) | {fmt_s(med(baseline))} | "
                    f"{fmt_s(min(baseline))} | - | - | - |")
        self.md += ["## 1. Start-up of each command (whole process)", "",
                    "Console script `.venv/bin/chat-review`, run in a subprocess. Heavy modules: "
                    "any of " + ", ".join(HEAVY) + " in `python -X importtime -m chat_review ...`.",
                    "", *rows, ""]

    # 2 -- reader vs peers --------------------------------------------------------------------

    def reader(self) -> None:
        sizes = [200] if self.smoke else [10_000, 100_000, 1_000_000]
        reps = {10_000: 7, 100_000: 5, 1_000_000: 3}
        peer_reps = {10_000: 3, 100_000: 2, 1_000_000: 1}
        targets = {100_000: 0.2, 1_000_000: 2.0}
        rows = ["| platform | messages | file | chat-review gate | chat-review read_export "
                "(CPU) | peak mem above baseline | whatstk | chat-miner | whatstk / ours | "
                "chat-miner / ours | target read | met |", "|" + "---|" * 12]
        rows[0] = rows[0].replace("peak mem above baseline", "peak mem above baseline: "
                                  "read_export alone / gate + read_export")
        for plat in ("android", "ios"):
            for n in sizes:
                path = self.fx.export(n, plat)
                size_mib = path.stat().st_size / 2**20
                self.log(f"reader {plat} {n:,}")
                warm = self.fx.export(50, plat, seed=9)
                ours = run_worker(Path(sys.executable), "reader",
                                  {"home": str(self.fx.home), "token": self.fx.token(path),
                                   "file": str(path), "repeats": self.reps(reps.get(n, 3)),
                                   "warm_file": str(warm), "warm_token": self.fx.token(warm)})
                if "error" in ours:
                    raise SystemExit(f"reader failed on {path.name}: {ours['error']}")
                t_read = med(ours["read"])
                extra = ours["extra_mib"]
                pextra = ours["parse_extra_mib"]
                peers = {}
                for tool in ("whatstk", "chat-miner"):
                    if not self.peers_ok:
                        peers[tool] = {"skipped": self.peer_note or "peers skipped"}
                        continue
                    self.log(f"  {tool} {plat} {n:,}")
                    peers[tool] = run_worker(PEER_PY, "peer", {
                        "tool": tool, "file": str(path), "platform": plat,
                        "repeats": peer_reps.get(n, 1)})

                def cell(p: dict) -> str:
                    if "skipped" in p:
                        return f"not run ({p['skipped']})"
                    if "error" in p:
                        return f"failed: {p['error']}"
                    note = f" ({p['note']})" if p.get("note") else ""
                    return (f"{fmt_s(med(p['read']))}, {p['extra_mib']:.0f} MiB, "
                            f"{p['rows']:,} rows{note}")

                def ratio(p: dict, ours_s: float = t_read, ours_c: float = med(ours["cpu"])
                          ) -> str:
                    if "error" in p or "skipped" in p:
                        return "-"
                    return (f"{med(p['read']) / ours_s:.1f}x (CPU "
                            f"{med(p['cpu']) / ours_c:.1f}x)")

                goal = targets.get(n)
                mem_ok = pextra < 5 * size_mib
                ok = (t_read <= goal and mem_ok) if goal else None
                rows.append(
                    f"| {plat} | {n:,} | {size_mib:.1f} MiB | {fmt_s(med(ours['gate']))} | "
                    f"{fmt_s(t_read)} ({fmt_s(med(ours['cpu']))}; {ours['rows']:,} rows) | "
                    f"{pextra:.0f} MiB ({pextra / size_mib:.1f}x file) / {extra:.0f} MiB "
                    f"({extra / size_mib:.1f}x) | {cell(peers['whatstk'])} | "
                    f"{cell(peers['chat-miner'])} | {ratio(peers['whatstk'])} | "
                    f"{ratio(peers['chat-miner'])} | "
                    f"{f'≤ {goal} s, mem < 5x file' if goal else '-'} | {yes(ok)} |")
                if goal:
                    self.target(f"reader {n:,} msgs ({plat}), in process: time",
                                f"≤ {goal} s", f"{fmt_s(t_read)} (CPU {fmt_s(med(ours['cpu']))})",
                                t_read <= goal)
                    self.target(f"reader {n:,} msgs ({plat}), in process: memory",
                                "peak < 5x file above baseline",
                                f"{pextra / size_mib:.1f}x file ({extra / size_mib:.1f}x "
                                "counting the gate's copy of the bytes)", mem_ok)
        self.md += ["## 2. Reader in process vs whatstk and chat-miner", "",
                    "Same synthetic file for all three (`chat_review.reader.synthetic`). Imports "
                    "excluded; median of several parses in one process (peers: 3/2/1 runs at "
                    "10k/100k/1M). chat-review's time is `read_export(grant)` alone; the gate "
                    "(register, token, reading and hashing the bytes) is shown beside it. Ratio "
                    "> 1 means the peer is slower. Peak memory above baseline: the high-water "
                    "mark (VmHWM, reset first) minus the RSS before, on the first parse of the "
                    "file in the process (after a warm-up parse of a 50-message file, so the "
                    "phrase tables are compiled already), for `read_export` alone "
                    "(baseline after the gate, which holds the file's bytes: the target) and "
                    "for gate + `read_export` (baseline before the gate); peers: their parse "
                    "call, which reads the file itself. Row counts differ on Android because "
                    "both peers drop system lines (no `Name:`), which chat-review keeps as "
                    "kind `system`. whatstk via "
                    "`df_from_whatsapp` "
                    "(auto-detected header, `max_size=None`), chat-miner via "
                    "`WhatsAppParser.parse_file()` + `get_df()`.", "", *rows, ""]

    # 3 -- end to end ---------------------------------------------------------------------------

    def e2e(self) -> None:
        n = 200 if self.smoke else 40_000
        path = self.fx.export(n, "android", seed=3)
        tok = self.fx.token(path)
        outdir = self.fx.out / "e2e"
        outdir.mkdir(exist_ok=True)
        ours_cmd = [str(PROJECT_BIN / "chat-review"), "--home", str(self.fx.home), "analyse",
                    str(path), "--token", tok, "--json", str(outdir / "a.json"),
                    "--png", str(outdir / "a.png"), "--pdf", str(outdir / "a.pdf"), "--force"]
        graph = BENCH_VENV / "bin" / "whatstk-graph"
        peer_cmd = [str(graph), str(path), "-o", str(outdir / "whatstk.html")]
        ours, theirs, peer_err = [], [], "" if self.peers_ok else (self.peer_note or "skipped")
        self.log(f"end-to-end analyse {n:,} vs whatstk-graph")
        for _ in range(self.reps(7)):
            r = timed_cmd(ours_cmd)
            if r["rc"] != 0:
                raise SystemExit(f"chat-review analyse failed: {r['stderr'][-400:]}")
            ours.append(r)
            if not peer_err:
                p = timed_cmd(peer_cmd, env={"TQDM_DISABLE": "1"})
                if p["rc"] != 0:
                    p = timed_cmd(peer_cmd + ["-f", HFORMAT["android"]])
                if p["rc"] != 0:
                    peer_err = f"whatstk-graph failed: {p['stderr'].strip()[-200:]}"
                else:
                    theirs.append(p)
        t_ours = med([r["wall"] for r in ours])
        t_peer = med([r["wall"] for r in theirs]) if theirs else None
        ok = t_ours <= 3.0 and (t_peer is None or t_ours < t_peer)
        if t_peer is None:
            ok = None if self.smoke else False
        cpu_ours = med([r["cpu"] for r in ours])
        rows = ["| command | median wall | runs (wall) | median CPU | peak RSS | target | met |",
                "|---|---|---|---|---|---|---|",
                f"| `chat-review analyse` {n:,} msgs → summary + JSON + PNG + PDF | "
                f"{fmt_s(t_ours)} | {walls(ours)} | {fmt_s(med([r['cpu'] for r in ours]))} | "
                f"{med([r['rss_mib'] for r in ours]):.0f} MiB | ≤ 3 s and < whatstk-graph | "
                f"{yes(ok)} |"]
        if theirs:
            rows.append(f"| `whatstk-graph` same file → one interactive HTML chart | "
                        f"{fmt_s(t_peer)} | {walls(theirs)} | "
                        f"{fmt_s(med([r['cpu'] for r in theirs]))} | "
                        f"{med([r['rss_mib'] for r in theirs]):.0f} MiB | - | - |")
            cpu_ratio = med([r["cpu"] for r in theirs]) / med([r["cpu"] for r in ours])
            rows.append(f"| ratio whatstk-graph / chat-review | {t_peer / t_ours:.2f}x | | "
                        f"{cpu_ratio:.2f}x | | | |")
        else:
            rows.append(f"| `whatstk-graph` | not measured: {peer_err} | | | | | |")
        self.target(f"end-to-end analyse {n:,} msgs (JSON+PNG+PDF): time",
                    "≤ 3 s", f"{fmt_s(t_ours)} (CPU {fmt_s(cpu_ours)})", t_ours <= 3.0)
        self.target(f"end-to-end analyse {n:,} msgs: vs whatstk-graph (one chart)",
                    "faster than whatstk-graph, same run",
                    f"{fmt_s(t_ours)} vs {fmt_s(t_peer)}" + (
                        f" (CPU {fmt_s(cpu_ours)} vs {fmt_s(med([r['cpu'] for r in theirs]))})"
                        if theirs else f": {peer_err}"),
                    None if t_peer is None and self.smoke else
                    (t_peer is not None and t_ours < t_peer))
        self.md += ["## 3. End-to-end `chat-review analyse` vs `whatstk-graph`", "",
                    "Whole process, console scripts, alternated run by run on the same "
                    f"{n:,}-message Android export. chat-review: gate, read, analyse, audit, "
                    "terminal summary, JSON, PNG and PDF written atomically.", "", *rows, ""]

    # 4 -- scaling ------------------------------------------------------------------------------

    def scaling(self) -> None:
        sizes = [100, 200] if self.smoke else [10_000, 30_000, 100_000, 300_000, 1_000_000]
        procs = self.reps(3)
        rows = ["| messages | file | gate | read_export | analyse | read + analyse (CPU) | "
                "µs / msg | warm read + analyse | warm µs / msg | peak RSS | target | met |",
                "|" + "---|" * 12]
        per_msg, warm_msg = {}, {}
        for n in sizes:
            path = self.fx.export(n, "android")
            self.log(f"scaling {n:,}")
            results = []
            for _ in range(procs):
                r = run_worker(Path(sys.executable), "pipeline", {
                    "home": str(self.fx.home), "pairs": [[str(path), self.fx.token(path)]],
                    "repeats": 2})
                if "error" in r:
                    raise SystemExit(f"pipeline failed at {n}: {r['error']}")
                results.append(r)
            runs = [r["runs"][0] for r in results]
            warm = [r["runs"][1] for r in results]
            gate = med([r["gate"] for r in runs])
            read = med([r["read"] for r in runs])
            ana = med([r["analyse"] for r in runs])
            both = med([r["read"] + r["analyse"] for r in runs])
            cpu = med([r["cpu"] for r in runs])
            both_w = med([r["read"] + r["analyse"] for r in warm])
            peak = med([r["peak_mib"] for r in results])
            per_msg[n] = both / n * 1e6
            warm_msg[n] = both_w / n * 1e6
            goal = n == 1_000_000
            ok = (both <= 4.0 and peak <= 1536) if goal else None
            rows.append(f"| {n:,} | {path.stat().st_size / 2**20:.1f} MiB | {fmt_s(gate)} | "
                        f"{fmt_s(read)} | {fmt_s(ana)} | {fmt_s(both)} ({fmt_s(cpu)}) | "
                        f"{per_msg[n]:.2f} | {fmt_s(both_w)} | {warm_msg[n]:.2f} | "
                        f"{peak:.0f} MiB | {'≤ 4 s, ≤ 1.5 GiB' if goal else '-'} | {yes(ok)} |")
            if goal:
                self.target("reader + analysis 1M msgs (first call in a process)",
                            "≤ 4 s, ≤ 1.5 GiB peak", f"{fmt_s(both)}, {peak:.0f} MiB", ok)
        lo, hi = warm_msg[sizes[0]], warm_msg[sizes[-1]]
        linear = hi <= lo * 1.5
        rows.append(f"| growth {sizes[0]:,} → {sizes[-1]:,} | | | | | | "
                    f"x{per_msg[sizes[-1]] / per_msg[sizes[0]]:.2f} | | x{hi / lo:.2f} | | "
                    "linear: warm µs/msg at the top ≤ 1.5x the bottom | " + yes(linear) + " |")
        if not self.smoke:
            self.target("cost grows linearly 10k → 1M", "warm µs/message at 1M ≤ 1.5x at 10k",
                        f"x{hi / lo:.2f} (first call: "
                        f"x{per_msg[sizes[-1]] / per_msg[sizes[0]]:.2f})", linear)
        self.md += ["## 4. Scaling: reader + analysis, 10k → 1M messages", "",
                    f"Each size in {procs} fresh processes (median shown), each doing the work "
                    "twice: the first call (imports and config loading excluded, one-off set-up "
                    "such as phrase tables and bank holidays included) and a warm second call. "
                    "CPU = process time of the first call (wall well above CPU means the shared "
                    "machine was busy). Peak RSS: the worker's VmHWM (whole process, imports "
                    "included). Default settings (`load_config(None, None)`). Note: the "
                    "synthetic generator moves 0-40 min per message, so 1M messages span 38 "
                    "years of calendar.", "", *rows, ""]

    # 5 -- many small exports ---------------------------------------------------------------------

    def multi(self) -> None:
        count, n = (3, 200) if self.smoke else (50, 2_000)
        pairs = []
        for i in range(count):
            p = self.fx.export(n, "android" if i % 2 else "ios", seed=100 + i)
            pairs.append([str(p), self.fx.token(p)])
        self.log(f"{count} exports x {n:,}")
        firsts, warm = [], []
        for _ in range(self.reps(3)):
            r = run_worker(Path(sys.executable), "pipeline", {
                "home": str(self.fx.home), "pairs": pairs, "repeats": self.reps(3)})
            if "error" in r:
                raise SystemExit(f"multi failed: {r['error']}")
            firsts.append(r["runs"][0])
            warm += r["runs"][1:] or r["runs"]
        first = {k: med([x[k] for x in firsts]) for k in ("gate", "read", "analyse", "messages")}
        first["messages"] = int(first["messages"])
        total = med([x["gate"] + x["read"] + x["analyse"] for x in warm])
        ana = med([x["analyse"] for x in warm])
        ok = (first["gate"] + first["read"] + first["analyse"]) <= 3.0
        outdir = self.fx.out / "multi"
        outdir.mkdir(exist_ok=True)
        cmd = [str(PROJECT_BIN / "chat-review"), "--home", str(self.fx.home), "analyse",
               "--quiet", "--force", "--json", str(outdir / "m.json")]
        for p, t in pairs:
            cmd += ["--chat", p, t]
        cli_runs = [timed_cmd(cmd) for _ in range(self.reps(5))]
        if any(r["rc"] for r in cli_runs):
            raise SystemExit(f"analyse --chat x{count} failed: {cli_runs[0]['stderr'][-300:]}")
        cli = [r["wall"] for r in cli_runs]
        ok = ok and med(cli) <= 3.0
        rows = [f"| measure | gate ({count} consents) | read_export | analyse | total | target "
                "| met |",
                "|---|---|---|---|---|---|---|",
                f"| first run in a fresh process (median of {len(firsts)}) | "
                f"{fmt_s(first['gate'])} | "
                f"{fmt_s(first['read'])} | {fmt_s(first['analyse'])} | "
                f"{fmt_s(first['gate'] + first['read'] + first['analyse'])} | ≤ 3 s | "
                f"{yes(first['gate'] + first['read'] + first['analyse'] <= 3.0)} |",
                f"| median of later runs | {fmt_s(med([x['gate'] for x in warm]))} | "
                f"{fmt_s(med([x['read'] for x in warm]))} | {fmt_s(ana)} | {fmt_s(total)} | - "
                "| - |",
                f"| whole process: `chat-review analyse --chat EXPORT TOKEN` x{count} --json "
                f"(median of {len(cli)}; CPU {fmt_s(med([r['cpu'] for r in cli_runs]))}) | "
                f"| | | {fmt_s(med(cli))} | ≤ 3 s | {yes(med(cli) <= 3.0)} |"]
        self.target(f"{count} exports x {n:,} msgs analysed",
                    "≤ 3 s, in process and as a whole `analyse` command",
                    f"in process {fmt_s(first['gate'] + first['read'] + first['analyse'])}; "
                    f"whole command {fmt_s(med(cli))}", ok)
        self.md += [f"## 5. {count} exports x {n:,} messages (a term of 1:1 chats)", "",
                    f"{first['messages']:,} messages in total, alternating Android/iOS files, "
                    "each with its own consent. In process, imports excluded.", "", *rows, ""]

    # 6 -- where the time goes --------------------------------------------------------------------

    def reports(self) -> None:
        """Issue 5: a 100k-message, 60-sender, two-year chat renders; time to write both files."""
        if self.smoke:
            return
        self.log("reports: 100k messages, 60 senders, two years")
        proc = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_reports.py")],
                              capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            raise SystemExit(f"bench_reports failed: {proc.stderr[-400:]}")
        self.md += ["## 7. Reports for a large chat (100,000 messages, 60 senders, two years)",
                    "", "Real Android export through consent, gate, reader and analysis "
                    "(`bench/bench_reports.py`); render time after a warm-up render, in "
                    "process. The files are left in `bench/out/large-report.*` to be looked "
                    "at.", "", *proc.stdout.strip().splitlines(), ""]

    def profile(self) -> None:
        n = 200 if self.smoke else 40_000
        path = self.fx.export(n, "android", seed=3)
        tok = self.fx.token(path)
        self.log("phases and profile")
        args = {"home": str(self.fx.home), "token": tok, "file": str(path)}
        phases = [run_worker(Path(sys.executable), "phases", args) for _ in range(self.reps(3))]
        if any("error" in p for p in phases):
            raise SystemExit(f"phases failed: {phases}")
        names = [name for name, _ in phases[0]["phases"]]
        rows = [f"| phase (end-to-end analyse, {n:,} messages) | median | share |",
                "|---|---|---|"]
        meds = [med([p["phases"][i][1] for p in phases]) for i in range(len(names))]
        total = sum(meds)
        for name, m in zip(names, meds, strict=True):
            rows.append(f"| {name} | {fmt_s(m)} | {m / total:.0%} |")
        rows.append(f"| **total (in process, after interpreter start)** | {fmt_s(total)} | |")
        out = self.fx.out / "profile"
        out.mkdir(exist_ok=True)
        self.md += ["## 6. Where the time goes", "",
                    f"End-to-end analyse of {n:,} messages split into phases (fresh process, "
                    "median of runs; imports are counted in the phase that first needs them).",
                    "", *rows, ""]
        prof = run_worker(Path(sys.executable), "profile", {
            **args, "mode": "cli", "json": str(out / "p.json"), "png": str(out / "p.png"),
            "pdf": str(out / "p.pdf")})
        self._profile_md(prof, f"cProfile of the same {n:,}-message run through the CLI "
                         "entry point", ["own_cumulative", "lib_tottime"])
        big = 200 if self.smoke else 1_000_000
        path = self.fx.export(big, "android")
        self.log(f"profile reader + analysis {big:,}")
        prof = run_worker(Path(sys.executable), "profile", {
            "home": str(self.fx.home), "token": self.fx.token(path), "file": str(path),
            "mode": "pipeline"})
        self._profile_md(prof, f"cProfile of gate + read_export + analyse on {big:,} messages "
                         "(after imports)", ["own_cumulative", "own_tottime", "lib_tottime"])

    def _profile_md(self, prof: dict, title: str, parts: list[str]) -> None:
        if "error" in prof:
            self.md += [f"{title}: failed: {prof['error']}", ""]
            return
        self.md += [f"{title} (total {prof['total']:.2f} s under the profiler, which inflates "
                    "many small calls):", ""]
        labels = {"own_cumulative": "chat-review's functions by cumulative time",
                  "own_tottime": "chat-review's functions by own time",
                  "lib_tottime": "library functions by own time"}
        for part in parts:
            self.md += [f"{labels[part]}:", "", "| cumulative | own | function |",
                        "|---|---|---|"]
            self.md += [f"| {ct:.3f} s | {tt:.3f} s | `{fn}` |" for ct, tt, fn in prof[part]]
            self.md.append("")

    # -- the report ------------------------------------------------------------------------------

    def machine(self) -> list[str]:
        cpu = "?"
        with contextlib.suppress(OSError):
            m = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
            cpu = m.group(1).strip() if m else "?"
        pandas_v = subprocess.run([sys.executable, "-c", "import pandas, numpy, matplotlib;"
                                   "print(pandas.__version__, numpy.__version__, "
                                   "matplotlib.__version__)"],
                                  capture_output=True, text=True).stdout.split() or ["?"] * 3
        peers = "not installed"
        if PEER_PY.exists():
            peers = subprocess.run(
                [str(PEER_PY), "-c", "from importlib.metadata import version as v;"
                 "print(', '.join(f'{p} {v(p)}' for p in ('whatstk','chat-miner','pandas',"
                 "'plotly')))"], capture_output=True, text=True).stdout.strip() or "?"
        return [
            f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            f"- CPU: {cpu}, {os.cpu_count()} cores; load average at start {self.load0}, "
            f"at end {load()} (other engineers' tests share the machine)",
            f"- Python {platform.python_version()}, pandas {pandas_v[0]}, numpy {pandas_v[1]}, "
            f"matplotlib {pandas_v[2]}; chat-review at git {self.git_rev()}",
            f"- peers (.bench-venv): {peers}",
        ]

    def git_rev(self) -> str:
        r = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                           text=True, cwd=ROOT)
        rev = r.stdout.strip() or "?"
        if SNAPSHOT is not None:
            return f"{rev} (a snapshot of the commit, not the working tree)"
        dirty = subprocess.run(["git", "status", "--porcelain", *PACKAGES],
                               capture_output=True, text=True, cwd=ROOT).stdout.strip()
        return f"{rev} + uncommitted changes" if dirty else rev

    def run(self, sections: list[str]) -> str:
        self.load0 = load()
        t0 = time.perf_counter()
        for name in sections:
            getattr(self, name)()
        head = ["# chat-review benchmarks", "",
                "Generated by `make bench` (`bench/run.py`)" +
                (" in --smoke mode (tiny inputs: numbers mean nothing)" if self.smoke else "") +
                f"; took {time.perf_counter() - t0:.0f} s.", "", *self.machine(), "",
                "## Targets", "", "| target | wanted | measured (median) | met |",
                "|---|---|---|---|"]
        head += [f"| {w} | {t} | {m} | {yes(ok)} |" for w, t, m, ok in self.summary]
        if self.peer_note:
            head += ["", f"Peers not measured: {self.peer_note}."]
        notes = ROOT / "bench" / "notes.md"
        tail = [] if self.smoke or not notes.exists() else ["", notes.read_text("utf-8")]
        return "\n".join(head + [""] + self.md + tail) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true", help="tiny inputs, no peers, one run each")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"), help="work folder")
    ap.add_argument("--results", help="markdown file (default bench/results.md; with --smoke "
                    "OUT/results.md)")
    ap.add_argument("--only", help="comma-separated sections: " + ",".join(SECTIONS))
    ap.add_argument("--no-peers", action="store_true", help="skip whatstk and chat-miner")
    ap.add_argument("--setup-peers", action="store_true", help="(re)create .bench-venv first")
    ap.add_argument("--worktree", action="store_true",
                    help="measure the working tree as it is (default: a snapshot of HEAD's "
                    "chat_review/, consent/ and reports/, so the numbers belong to a commit "
                    "even while others edit the tree)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    opts, rest = ap.parse_known_args(argv)
    if opts.worker:
        result = WORKERS[opts.worker](json.loads(rest[0]))
        print(json.dumps(result))
        return 0
    sections = opts.only.split(",") if opts.only else list(SECTIONS)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown section(s) {', '.join(sorted(unknown))}")
    results = Path(opts.results) if opts.results else (
        Path(opts.out) / "results.md" if opts.smoke else ROOT / "bench" / "results.md")
    if opts.smoke and opts.out == str(ROOT / "bench" / "out"):
        ap.error("--smoke needs --out DIR (a scratch folder)")
    if not opts.worktree and not opts.smoke:
        snapshot_head(Path(opts.out).resolve() / "snapshot")
    bench = Bench(opts)
    text = bench.run(sections)
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(text, encoding="utf-8")
    print(text)
    print(f"wrote {results}")
    if opts.smoke:
        shutil.rmtree(bench.fx.out / "e2e", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
