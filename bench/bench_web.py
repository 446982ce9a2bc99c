"""Speed of the local web app (`chat-review ui`), measured through HTTP like a browser.

Targets (issue 14): every page answers in <= 200 ms on the sample data; uploading and
analysing a 40,000-message export through the page takes <= 3 s. The server is the real
console script on a fresh home; requests are plain HTTP/1.1 over 127.0.0.1 (no browser, so
the numbers are the app's own). `measure()` returns a dict for bench/run.py; run alone it
prints a Markdown table.

    .venv/bin/python bench/bench_web.py [--reps N] [--messages N]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_exports"
PAGE_TARGET_MS = 200.0
UPLOAD_TARGET_S = 3.0


class Client:
    """A signed-in HTTP client for one `chat-review ui` process."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.port = parts.port
        status, headers, _ = self.raw("GET", f"{parts.path}?{parts.query}")
        assert status == 303, status
        self.cookie = headers["set-cookie"].split(";")[0]
        _, _, page = self.get("/consents/new")
        self.csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()

    def raw(self, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def get(self, path: str) -> tuple[int, dict, bytes]:
        return self.raw("GET", path, headers={"Cookie": self.cookie})

    def post(self, path: str, fields: dict[str, str],
             file: tuple[str, bytes] | None = None) -> tuple[int, dict, bytes]:
        fields = {"csrf": self.csrf, **fields}
        if file is None:
            return self.raw("POST", path, urlencode(fields).encode(), {
                "Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded"})
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                 .encode() for k, v in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="export"; '
                     f'filename="{file[0]}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                     .encode() + file[1] + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.raw("POST", path, b"".join(parts), {
            "Cookie": self.cookie, "Content-Type": f"multipart/form-data; boundary={boundary}"})

    def grant(self, name: str, data: bytes) -> int:
        status, headers, _ = self.post("/consents/new", {
            "parent": "Bench Parent", "purpose": "benchmark", "recorded_by": "bench_web.py",
            "expires": ""}, (name, data))
        assert status == 303, status
        return int(headers["location"].rsplit("/", 1)[-1])

    def analyse(self, consent_id: int, file: tuple[str, bytes] | None = None) -> None:
        status, _, body = self.post(f"/consents/{consent_id}/analyse", {}, file)
        assert status == 303, (status, body[-400:])


def _start(home: Path) -> tuple[subprocess.Popen, str]:
    script = Path(sys.executable).with_name("chat-review")
    proc = subprocess.Popen([str(script), "--home", str(home), "ui", "--no-browser",
                             "--reviewer", "bench"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    while line := proc.stdout.readline():
        if line.startswith("http://"):
            return proc, line.strip()
    raise SystemExit("chat-review ui did not start")


def _cpu_s(pid: int) -> float:
    """CPU seconds used so far by the server and its live children:
    the figure that does not move with the machine's load. Linux only; 0 elsewhere."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _median_ms(client: Client, path: str, reps: int) -> float:
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        status, _, _ = client.get(path)
        times.append((time.perf_counter() - t0) * 1000)
        assert status == 200, (path, status)
    return statistics.median(times)


def measure(reps: int = 7, messages: int = 40_000) -> dict:
    """{"pages": {path: median ms}, "upload_analyse_s": [...], "reanalyse_s": [...]}."""
    from chat_review.reader.synthetic import render_synthetic

    work = Path(tempfile.mkdtemp(prefix="bench-web-"))
    home = work / "home"
    home.mkdir()
    shutil.copyfile(SAMPLES / "chat-review.toml", home / "chat-review.toml")
    proc, url = _start(home)
    try:
        client = Client(url)
        group = client.grant("class-group-android.txt",
                             (SAMPLES / "class-group-android.txt").read_bytes())
        one = client.grant("WhatsApp Chat - Tom Aldridge.zip",
                           (SAMPLES / "WhatsApp Chat - Tom Aldridge.zip").read_bytes())
        client.analyse(group)
        client.analyse(one)
        _, _, case = client.get(f"/consents/{group}")
        png = re.search(rb'src="(/reports/\d+)\?inline=1"', case).group(1).decode()
        pages = ["/consents", "/consents/new", f"/consents/{group}", f"/consents/{one}",
                 f"/consents/{group}/revoke", "/audit", "/audit?verify=1", "/retention",
                 "/settings", f"{png}?inline=1", "/static/app.css"]
        timings = {path: _median_ms(client, path, reps) for path in pages}
        big = render_synthetic(messages, "android", 7)
        uploads, again, cpu = [], [], []
        for i in range(3):
            t0, c0 = time.perf_counter(), _cpu_s(proc.pid)
            consent = client.grant(f"big-{i}.txt", big)
            client.analyse(consent)
            uploads.append(time.perf_counter() - t0)
            cpu.append(_cpu_s(proc.pid) - c0)
            t0 = time.perf_counter()
            client.analyse(consent, (f"big-{i}.txt", big))  # the file chosen again
            again.append(time.perf_counter() - t0)
        return {"pages": timings, "upload_analyse_s": uploads, "reanalyse_s": again,
                "upload_analyse_cpu_s": cpu, "load": os.getloadavg()[0],
                "messages": messages, "export_mib": len(big) / 1024**2}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def table(result: dict) -> str:
    rows = ["| what | target | measured (median) | met |", "|---|---|---|---|"]
    for path, ms in result["pages"].items():
        rows.append(f"| GET `{path}` | ≤ {PAGE_TARGET_MS:.0f} ms | {ms:.0f} ms | "
                    f"{'yes' if ms <= PAGE_TARGET_MS else 'NO'} |")
    up = statistics.median(result["upload_analyse_s"])
    again = statistics.median(result["reanalyse_s"])
    size = f"{result['messages']:,} messages, {result['export_mib']:.1f} MiB"
    rows.append(f"| upload + analyse ({size}) | ≤ {UPLOAD_TARGET_S:.0f} s | {up:.2f} s | "
                f"{'yes' if up <= UPLOAD_TARGET_S else 'NO'} |")
    rows.append(f"| analyse again, file chosen again | (info) | {again:.2f} s | |")
    rows.append(f"| upload + analyse, CPU of the server | (info) | "
                f"{statistics.median(result['upload_analyse_cpu_s']):.2f} s | |")
    rows.append(f"| load average during the run | | {result['load']:.1f} | |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--messages", type=int, default=40_000)
    opts = parser.parse_args()
    print(table(measure(opts.reps, opts.messages)))


if __name__ == "__main__":
    main()
