"""Work measured inside a fresh process: `python bench/workers.py KIND JSON-ARGS`.

Runs under the project venv (chat-review; the import path may start with a snapshot of a
commit) or under `.bench-venv` (the peers). Prints one JSON line. Standard library only at
module level.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import HFORMAT, ROOT, reset_peak, rss_now, rss_peak


def _grant(home: str, token: str, path: str):
    from chat_review.consent.gate import open_export

    return open_export(Path(home), token, Path(path), command="bench")


def reader(a: dict) -> dict:
    """chat-review's reader in process: gate and read_export timed separately; memory from
    the first parse (later parses start from a heap holding the freed memory of the last)."""
    from chat_review.reader import read_export

    _grant(a["home"], a["token"], a["file"])  # warm the gate's own imports
    read_export(_grant(a["home"], a["warm_token"], a["warm_file"]))  # phrase tables
    gate_t, read_t, cpu_t, extras, parse_extras, n = [], [], [], [], [], 0
    for _ in range(a["repeats"]):
        gc.collect()
        base = rss_now()
        reset_peak()
        t0 = time.perf_counter()
        grant = _grant(a["home"], a["token"], a["file"])
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
    return {"gate": gate_t, "read": read_t, "cpu": cpu_t, "rows": n,
            "extra_mib": extras[0], "parse_extra_mib": parse_extras[0]}


def peer(a: dict) -> dict:
    """A peer parser in process (inside .bench-venv), imports excluded."""
    import logging

    logging.disable(logging.CRITICAL)
    tool, path = a["tool"], a["file"]
    note = ""
    if tool == "whatstk":
        from whatstk.whatsapp import parser as wp

        kw: dict = {"max_size": None}

        def parse():
            nonlocal kw, note
            try:
                return wp.df_from_whatsapp(path, **kw)
            except Exception:  # noqa: BLE001 - auto-detect failed: give the header format
                if "hformat" in kw:
                    raise
                kw = {**kw, "hformat": HFORMAT[a["platform"]]}
                note = "hformat given (auto-detect failed)"
                return wp.df_from_whatsapp(path, **kw)
    else:
        from chatminer.chatparsers import WhatsAppParser

        def parse():
            p = WhatsAppParser(path)
            p.parse_file()
            return p.parsed_messages.get_df()
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


def pipeline(a: dict) -> dict:
    """Gate + reader + analysis of one or more exports, in process, imports excluded."""
    from chat_review.analysis import analyse
    from chat_review.config import load_config
    from chat_review.reader import read_export

    config = load_config(None, None)
    runs = []
    for _ in range(a["repeats"]):
        t0 = time.perf_counter()
        grants = [_grant(a["home"], tok, f) for f, tok in a["pairs"]]
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


def synth(a: dict) -> dict:
    """Write one generated export (in a subprocess, so the runner itself stays small)."""
    if a.get("generator") == "uniform":
        from chat_review.reader.synthetic import render_synthetic

        data = render_synthetic(a["n"], a["platform"], a["seed"])
    else:
        from realistic import render_realistic

        data = render_realistic(a["n"], a["platform"], a["seed"], a.get("kind", "group"))
    tmp = Path(a["path"] + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(a["path"])
    return {"ok": True}


def _trie(words: list[bytes]) -> bytes:
    """A regex alternation of `words` shaped as a prefix tree (one branch per first byte), so
    the engine does not try every word at every position."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[None] = {}

    def build(node: dict) -> bytes:
        ends = None in node
        alts = [re.escape(bytes([ch])) + build(child) for ch, child in sorted(
            (k, v) for k, v in node.items() if k is not None)]
        if not alts:
            return b""
        body = alts[0] if len(alts) == 1 else b"(?:" + b"|".join(alts) + b")"
        return b"(?:" + body + b")?" if ends else body

    return build(tree)


def lexicon_pattern() -> re.Pattern[bytes]:
    """The default lexicon's terms (their literal part, lower-cased) as one prefix-tree regex:
    the "one regex pass" over the export's lower-cased bytes."""
    data = tomllib.loads((ROOT / "chat_review" / "data" / "lexicon.toml").read_text("utf-8"))
    terms = {t.lower().rstrip("*").strip() for table in data.values()
             if isinstance(table, dict) for t in table.get("terms", [])}
    words = sorted({t.encode() for t in terms if t})
    return re.compile(rb"(?<![a-z0-9_])" + _trie(words))


def read_regex(a: dict) -> dict:
    """The floor for `analyse`: gate, read_export, then one regex pass (the lexicon's terms as
    one pattern) over the export's lower-cased bytes. A whole process, imports included."""
    from chat_review.reader import read_export

    grant = _grant(a["home"], a["token"], a["file"])
    chat = read_export(grant)
    hits = sum(1 for _ in lexicon_pattern().finditer(grant.data.lower()))
    return {"messages": len(chat.messages), "hits": hits}


class _Phases:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float]] = []
        self.t, self.c = time.perf_counter(), time.process_time()

    def mark(self, name: str) -> None:
        t, c = time.perf_counter(), time.process_time()
        self.rows.append((name, t - self.t, c - self.c))
        self.t, self.c = t, c


def _as_the_console_script(cli: Any) -> Callable[[], None]:
    """The process settings `analyse` and `messages` run with, where this tree has them (the
    baseline snapshot has none): one BLAS thread (set before numpy is imported), glibc keeping
    freed memory for reuse, the garbage collector paused until the chat is read. Returns what
    to call once it is read."""
    for name, value in getattr(cli, "BLAS_THREADS", {}).items():
        os.environ.setdefault(name, value)
    try:
        from chat_review.c_heap import keep_freed_memory
    except ImportError:
        return lambda: None
    keep_freed_memory()
    try:
        from chat_review.collector import CollectorPause
    except ImportError:
        return lambda: None
    return CollectorPause().__enter__().settled  # (the process ends after the phases)


def phases(a: dict) -> dict:
    """A command split into phases (imports counted where first needed, as the CLI pays
    them): `analyse` to JSON (+ PNG + PDF when asked), or `messages` to CSV. Works on the
    current tree and on the baseline snapshot (older APIs)."""
    p = _Phases()
    import click  # noqa: F401 - the CLI's own start-up

    import chat_review.cli
    settled = _as_the_console_script(chat_review.cli)
    p.mark("import CLI (click, command table)")
    from chat_review.reader import read_export
    p.mark("import reader (pandas, numpy)")
    grant = _grant(a["home"], a["token"], a["file"])
    p.mark("gate: register, token, SHA-256 of the bytes")
    chat = read_export(grant)
    settled()
    p.mark("read_export")
    out = Path(a["out"])
    if a["mode"] == "messages":
        from chat_review import table_export
        from chat_review.output_files import write_atomic
        p.mark("import table export")
        if hasattr(table_export, "messages_csv_chunks"):
            write_atomic(out, table_export.messages_csv_chunks(chat), force=True)
        else:
            write_atomic(out, table_export.messages_to_csv(chat), force=True)
        p.mark("CSV: format, write, hash")
        return {"phases": p.rows, "peak_mib": rss_peak()}
    from chat_review.analysis import analyse
    from chat_review.config import load_config
    p.mark("import analysis + config (holidays)")
    findings = analyse([chat], load_config(None, None))
    p.mark("analyse")
    from chat_review.reports.context import ReportContext
    from chat_review.reports.json_report import render_json
    ctx = ReportContext(consents=[])
    p.mark("import reports (json)")
    out.write_bytes(render_json(findings, ctx))
    p.mark("render + write JSON")
    if a.get("draw"):
        from chat_review import reports
        from chat_review.reports import _charts, _typst  # noqa: F401 - imported lazily

        p.mark("import report drawing (SVG charts, Typst)")
        reports.render_outputs(findings, ctx, ["png", "pdf"])
        p.mark("render PNG + PDF")
    return {"phases": p.rows, "peak_mib": rss_peak()}


def profile(a: dict) -> dict:
    """cProfile of one CLI command (argv given), summarised."""
    import cProfile
    import pstats

    from chat_review.cli import main

    prof = cProfile.Profile()
    sys.argv = ["chat-review", *a["argv"]]
    prof.enable()
    with contextlib.suppress(SystemExit):
        main()
    prof.disable()
    stats = pstats.Stats(prof)
    rows = []
    for (file, line, func), (_cc, _nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((ct, tt, f"{_short(file)}:{line}({func})"))
    own = [r for r in rows if re.search(r"(chat_review|reports|consent)/", r[2])]
    lib = [r for r in rows if not re.search(r"(chat_review|reports|consent)/", r[2])]
    top = a.get("top", 12)
    return {"total": stats.total_tt,  # type: ignore[attr-defined]
            "own_cumulative": sorted(own, reverse=True)[:top],
            "own_tottime": sorted(own, key=lambda r: r[1], reverse=True)[:top],
            "lib_tottime": sorted(lib, key=lambda r: r[1], reverse=True)[:top]}


def _short(file: str) -> str:
    for marker in ("site-packages/", "/snapshot-", str(ROOT) + "/"):
        if marker in file:
            tail = file.split(marker, 1)[1]
            return tail.split("/", 1)[1] if marker == "/snapshot-" else tail
    return file


def hook(a: dict) -> dict:
    """Another benchmark's `measure(**kwargs)` (and its `table(result)` when it has one)."""
    import importlib

    module = importlib.import_module(a["module"])
    result = module.measure(**a["kwargs"])
    table = module.table(result) if hasattr(module, "table") else None
    return {"result": result, "table": table}


WORKERS = {"hook": hook, "reader": reader, "peer": peer, "pipeline": pipeline, "synth": synth,
           "read_regex": read_regex, "phases": phases, "profile": profile}

if __name__ == "__main__":
    print(json.dumps(WORKERS[sys.argv[1]](json.loads(sys.argv[2]))))
