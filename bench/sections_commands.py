"""Whole commands on realistic chats beside the peers and the baseline commit (issue 13).

`messages` → CSV beside `whatstk-to-csv` and `chatminer` (each converts the same export to a
CSV table); `analyse` → JSON beside the floor "gate + read + one regex pass"; both beside the
same commands at the baseline commit (the code before issue 13), all in one run, on one file.
`analyse` → JSON + PNG + PDF beside `whatstk-graph` drawing one chart of the same file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from common import BENCH, BENCH_VENV, HFORMAT, MIB, PEER_PY, fmt_s, summary, timed_cmd, yes

# What `whatstk-to-csv IN OUT` runs, with its 50 MB input limit lifted (it refuses 1M messages).
WHATSTK_CSV = ("import sys; from whatstk.whatsapp.objects import WhatsAppChat; "
               "WhatsAppChat.from_source(filepath=sys.argv[1], max_size=None).to_csv(sys.argv[2])")
# What `chatminer -p whatsapp -i IN -o OUT` means to run; the CLI itself fails (it calls pandas'
# to_csv on the polars frame `get_df()` returns), so the frame is written with polars' own.
CHATMINER_CSV = ("import sys; from chatminer.chatparsers import WhatsAppParser; "
                 "p = WhatsAppParser(sys.argv[1]); p.parse_file(); "
                 "p.parsed_messages.get_df().write_csv(sys.argv[2])")


def _cell(s: dict | None) -> str:
    if s is None:
        return "not run"
    if "error" in s:
        return " ".join(s["error"].split()).replace("|", "/")[-160:]
    return (f"{fmt_s(s['wall'])} (CPU {fmt_s(s['cpu'])}, {s['rss']:.0f} MiB"
            f"{', n=' + str(s['n']) if s['n'] > 1 else ''})")


def _ratio(peer: dict | None, ours: dict | None) -> str:
    if not peer or not ours or "error" in peer or "error" in ours:
        return "-"
    return f"{peer['wall'] / ours['wall']:.1f}x (CPU {peer['cpu'] / ours['cpu']:.1f}x)"


def _runs(b, cmd: list[str], reps: int, env: dict | None = None) -> dict:
    runs = []
    for _ in range(reps):
        r = timed_cmd(cmd, env=env)
        if r["rc"] != 0:
            return {"error": f"failed (exit {r['rc']}): {r['stderr'].strip()[-200:]}"}
        runs.append(r)
    return summary(runs)


def _alternating(b, now_cmd: list[str], base_cmd: list[str], reps: int, base_env: dict
                 ) -> tuple[dict, dict]:
    """The same command now and at the baseline, run by turns (now, baseline, now, ...), so
    a burst of load on the shared machine falls on both sides rather than on one run of
    one side; the medians of each side are compared (single runs of the same command moved
    by up to 25 % within minutes on the bench machine)."""
    now_runs, base_runs = [], []
    for _ in range(reps):
        for runs, cmd, env in ((now_runs, now_cmd, None), (base_runs, base_cmd, base_env)):
            r = timed_cmd(cmd, env=env)
            if r["rc"] != 0:
                failed = {"error": f"failed (exit {r['rc']}): {r['stderr'].strip()[-200:]}"}
                return (failed, failed) if runs is now_runs else (summary(now_runs), failed)
            runs.append(r)
    return summary(now_runs), summary(base_runs)


def commands(b) -> None:
    """`messages` CSV and `analyse` JSON at 100k and 1M messages, whole processes."""
    sizes = [300] if b.smoke else [100_000, 1_000_000]
    out = b.fx.out / "cmd"
    out.mkdir(exist_ok=True)
    rows = ["| work | messages | file | chat-review now | baseline commit | whatstk | "
            "chat-miner | floor: read + one regex pass | ratio (baseline / now) | "
            "ratio (whatstk / now) | ratio (chat-miner / now) |", "|" + "---|" * 11]
    for n in sizes:
        path = b.fx.export(n, "android")
        mib = path.stat().st_size / MIB
        tok = b.fx.token(path)
        big = n >= 1_000_000
        reps, peer_reps = b.reps(2 if big else 3), 1 if big else b.reps(2)
        cr = [str(b.cr), "--home", str(b.fx.home)]
        b.log(f"messages → CSV {n:,}")
        csv_now = _runs(b, cr + ["messages", str(path), "--token", tok, "--output",
                                 str(out / "now.csv"), "--force"], reps)
        json_now = _runs(b, cr + ["messages", str(path), "--token", tok, "--format", "json",
                                  "--output", str(out / "now.json"), "--force"], b.reps(1))
        csv_base = ana_base = None
        if b.base is not None:
            btok = b.base.token(path)
            bcr = [str(b.cr), "--home", str(b.base.home)]
            csv_base = _runs(b, bcr + ["messages", str(path), "--token", btok, "--output",
                                       str(out / "base.csv"), "--force"], peer_reps, b.base.env)
        wtk = cminer = None
        if b.peers_ok:
            b.log(f"  whatstk, chat-miner → CSV {n:,}")
            wtk = _runs(b, [str(PEER_PY), "-c", WHATSTK_CSV, str(path),
                            str(out / "whatstk.csv")], peer_reps)
            cminer = _runs(b, [str(PEER_PY), "-c", CHATMINER_CSV, str(path),
                               str(out / "chatminer.csv")], peer_reps)
        b.log(f"analyse → JSON {n:,}")
        ana_cmd = cr + ["analyse", str(path), "--token", tok, "--json", str(out / "now-a.json"),
                        "--force", "--quiet"]
        if b.base is not None:
            ana_now, ana_base = _alternating(
                b, ana_cmd, [str(b.cr), "--home", str(b.base.home), "analyse", str(path),
                             "--token", b.base.token(path), "--json", str(out / "base-a.json"),
                             "--force", "--quiet"], b.reps(5 if big else 3), b.base.env)
        else:
            ana_now = _runs(b, ana_cmd, reps)
        floor = _runs(b, [sys.executable, str(BENCH / "workers.py"), "read_regex", json.dumps(
            {"home": str(b.fx.home), "token": tok, "file": str(path)})], reps)
        size = f"{mib:.1f} MiB"
        rows.append(f"| `messages` → CSV | {n:,} | {size} | {_cell(csv_now)} | "
                    f"{_cell(csv_base)} | {_cell(wtk)} | {_cell(cminer)} | - | "
                    f"{_ratio(csv_base, csv_now)} | {_ratio(wtk, csv_now)} | "
                    f"{_ratio(cminer, csv_now)} |")
        rows.append(f"| `messages` → JSON | {n:,} | {size} | {_cell(json_now)} | - | - | - | - "
                    "| - | - | - |")
        rows.append(f"| `analyse` → JSON | {n:,} | {size} | {_cell(ana_now)} | "
                    f"{_cell(ana_base)} | - | - | {_cell(floor)} | {_ratio(ana_base, ana_now)} "
                    f"| - | - |")
        if big or b.smoke:
            _targets(b, n, mib, csv_now, csv_base, wtk, ana_now, ana_base, floor)
    b.md += ["## 3. Whole commands: `messages` and `analyse` beside the peers and the baseline",
             "", "Whole processes (console scripts), same realistic Android export for every "
             "tool. Cells: median wall (CPU = user + system of the process and any helper it "
             "forked, from `getrusage(RUSAGE_CHILDREN)`; peak RSS from `wait4`). The baseline "
             f"commit is {b.base_rev} (before issue 13), run from a snapshot of that commit "
             "with its own register; `analyse` now and at the baseline run by turns (five "
             "times each at 1M messages, three at 100k). whatstk: what "
             "`whatstk-to-csv EXPORT OUT.csv` runs "
             "(`WhatsAppChat.from_source(...).to_csv(...)`) with its 50 MB input limit lifted "
             "(`max_size=None`: the script refuses 1M messages); chat-miner: "
             "`WhatsAppParser.parse_file()`, `get_df()` and polars' `write_csv` (what "
             "`chatminer -p whatsapp -i EXPORT -o OUT.csv` means to do: that CLI fails, calling "
             "pandas' `to_csv` on a polars frame). The floor is one process that "
             "imports the reader, opens the export through the gate, reads it and runs one "
             "regex (the default lexicon's literal terms as one prefix-tree pattern) over the "
             "lower-cased bytes (`bench/workers.py read_regex`). Ratios above 1 mean "
             "chat-review now is faster.", "", *rows, ""]


def _targets(b, n, mib, csv_now, csv_base, wtk, ana_now, ana_base, floor) -> None:
    if "error" in csv_now or "error" in ana_now:
        raise SystemExit(f"chat-review failed: {csv_now.get('error') or ana_now.get('error')}")
    label = f"{n:,}"
    ok = csv_now["rss"] <= 5 * mib
    b.target(f"`messages` {label} → CSV: peak memory", "≤ 5x the export file",
             f"{csv_now['rss']:.0f} MiB = {csv_now['rss'] / mib:.1f}x the {mib:.0f} MiB file",
             None if b.smoke else ok)
    if wtk and "error" not in wtk:
        ratio = wtk["wall"] / csv_now["wall"]
        b.target(f"`messages` {label} → CSV vs whatstk-to-csv", "≥ 5x faster, same run",
                 f"{ratio:.1f}x ({fmt_s(csv_now['wall'])} vs {fmt_s(wtk['wall'])}; CPU "
                 f"{wtk['cpu'] / csv_now['cpu']:.1f}x)", ratio >= 5)
    elif not b.smoke:
        b.target(f"`messages` {label} → CSV vs whatstk-to-csv", "≥ 5x faster, same run",
                 f"not measured ({b.peer_note or (wtk or {}).get('error', 'peers skipped')})",
                 False)
    if csv_base and "error" not in csv_base:
        b.target(f"`messages` {label} → CSV vs the baseline commit", "(information)",
                 f"{csv_base['wall'] / csv_now['wall']:.1f}x faster "
                 f"({fmt_s(csv_base['wall'])} → {fmt_s(csv_now['wall'])}, peak "
                 f"{csv_base['rss']:.0f} → {csv_now['rss']:.0f} MiB)", None)
    if ana_base and "error" not in ana_base:
        ratio = ana_base["wall"] / ana_now["wall"]
        b.target(f"`analyse` {label} → JSON vs the baseline commit", "≥ 2.7x faster",
                 f"{ratio:.1f}x ({fmt_s(ana_base['wall'])} → {fmt_s(ana_now['wall'])}; CPU "
                 f"{ana_base['cpu'] / ana_now['cpu']:.1f}x)", None if b.smoke else ratio >= 2.7)
    if "error" not in floor:
        ratio = ana_now["wall"] / floor["wall"]
        b.target(f"`analyse` {label} → JSON vs read + one regex pass",
                 "≤ 1.5x the floor", f"{ratio:.2f}x ({fmt_s(ana_now['wall'])} vs "
                 f"{fmt_s(floor['wall'])}; CPU {ana_now['cpu'] / floor['cpu']:.2f}x)",
                 None if b.smoke else ratio <= 1.5)
    b.target(f"`analyse` {label} → JSON: peak memory", "≤ 1 GiB",
             f"{ana_now['rss']:.0f} MiB", None if b.smoke else ana_now["rss"] <= 1024)


def e2e(b) -> None:
    """`analyse` → JSON + PNG + PDF beside whatstk-graph (20k, 40k), alternated run by run;
    at 1M, all three outputs beside JSON alone."""
    out = b.fx.out / "e2e"
    out.mkdir(exist_ok=True)
    rows = ["| work | messages | chat-review now: all three | whatstk-graph (one chart) | "
            "ratio whatstk-graph / now | baseline commit: all three | target | met |",
            "|" + "---|" * 8]
    graph = BENCH_VENV / "bin" / "whatstk-graph"
    for n in ([200] if b.smoke else [20_000, 40_000]):
        path = b.fx.export(n, "android", seed=3)
        tok = b.fx.token(path)
        ours_cmd = [str(b.cr), "--home", str(b.fx.home), "analyse", str(path), "--token", tok,
                    "--json", str(out / "a.json"), "--png", str(out / "a.png"), "--pdf",
                    str(out / "a.pdf"), "--force", "--quiet"]
        peer_cmd = [str(graph), str(path), "-o", str(out / "whatstk.html")]
        b.log(f"analyse {n:,} → JSON+PNG+PDF vs whatstk-graph")
        ours, theirs, err = [], [], "" if b.peers_ok else (b.peer_note or "peers skipped")
        for _ in range(b.reps(4)):
            r = timed_cmd(ours_cmd)
            if r["rc"] != 0:
                raise SystemExit(f"chat-review analyse failed: {r['stderr'][-400:]}")
            ours.append(r)
            if not err:
                p = timed_cmd(peer_cmd)
                if p["rc"] != 0:
                    p = timed_cmd(peer_cmd + ["-f", HFORMAT["android"]])
                if p["rc"] != 0:
                    err = f"whatstk-graph failed: {p['stderr'].strip()[-200:]}"
                else:
                    theirs.append(p)
        s_ours = summary(ours)
        s_peer = summary(theirs) if theirs else {"error": err}
        base = None
        if b.base is not None:
            base = _runs(b, [str(b.cr), "--home", str(b.base.home), "analyse", str(path),
                             "--token", b.base.token(path), "--json", str(out / "b.json"),
                             "--png", str(out / "b.png"), "--pdf", str(out / "b.pdf"),
                             "--force", "--quiet"], 1, b.base.env)
        ok = None if b.smoke else ("error" not in s_peer and s_ours["wall"] < s_peer["wall"])
        pages = _pdf_pages(out / "a.pdf")
        rows.append(f"| `analyse` → JSON+PNG+PDF ({pages} PDF pages) | {n:,} | {_cell(s_ours)}"
                    f" | {_cell(s_peer)} | {_ratio(s_peer, s_ours)} | {_cell(base)} | "
                    f"faster than whatstk-graph | {yes(ok)} |")
        b.target(f"`analyse` {n:,} → JSON+PNG+PDF vs whatstk-graph (one chart)",
                 "faster, same run", f"{fmt_s(s_ours['wall'])} vs "
                 f"{fmt_s(s_peer.get('wall'))}: {_ratio(s_peer, s_ours)}", ok)
    n = 300 if b.smoke else 1_000_000
    path = b.fx.export(n, "android")
    tok = b.fx.token(path)
    b.log(f"analyse {n:,}: all three vs JSON alone")
    cr = [str(b.cr), "--home", str(b.fx.home), "analyse", str(path), "--token", tok, "--force",
          "--quiet", "--json", str(out / "big.json")]
    alone, three = [], []
    for _ in range(b.reps(2)):
        alone.append(timed_cmd(cr))
        three.append(timed_cmd(cr + ["--png", str(out / "big.png"), "--pdf",
                                     str(out / "big.pdf")]))
    if any(r["rc"] for r in alone + three):
        bad = next(r for r in alone + three if r["rc"])
        raise SystemExit(f"analyse {n:,} failed: {bad['stderr'][-300:]}")
    s_alone, s_three = summary(alone), summary(three)
    ratio = s_three["wall"] / s_alone["wall"]
    ok = None if b.smoke else ratio <= 2.0
    pages = _pdf_pages(out / "big.pdf")
    rows.append(f"| `analyse` → all three ({pages} PDF pages) vs JSON alone {_cell(s_alone)} | "
                f"{n:,} | {_cell(s_three)} | - | - | - | ≤ 2x JSON alone ({ratio:.2f}x) | "
                f"{yes(ok)} |")
    b.target(f"`analyse` {n:,} → JSON+PNG+PDF vs JSON alone", "≤ 2x",
             f"{ratio:.2f}x ({fmt_s(s_three['wall'])} vs {fmt_s(s_alone['wall'])}; "
             f"{pages} PDF pages)", ok)
    b.md += ["## 4. Reports end to end: `analyse` → JSON + PNG + PDF", "",
             "Whole processes, alternated run by run with the peer on the same realistic "
             "Android export. chat-review: gate, read, analyse, audit, JSON, PNG and PDF "
             "written atomically (`--quiet`). whatstk-graph draws one interactive HTML chart "
             "(plotly) of the same file.", "", *rows, ""]


def _pdf_pages(path: Path) -> str:
    """How many pages the PDF has (pypdf, from the test extra), or "?"."""
    try:
        from pypdf import PdfReader

        return str(len(PdfReader(path).pages))
    except Exception:  # noqa: BLE001 - a count for the table only
        return "?"
