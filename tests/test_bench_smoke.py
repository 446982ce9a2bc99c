"""`bench/run.py --smoke` runs every benchmark section on ~200 messages, so the runner cannot rot.

No timing is asserted (the machine is shared); only that every section runs and reports.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNNER = REPO / "bench" / "run.py"
RESULTS = REPO / "bench" / "results.md"


def test_bench_smoke_runs_every_section(tmp_path: Path) -> None:
    before = RESULTS.stat().st_mtime_ns if RESULTS.exists() else None
    proc = subprocess.run(
        [sys.executable, str(RUNNER), "--smoke", "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=600, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    text = (tmp_path / "out" / "results.md").read_text(encoding="utf-8")
    for heading in ("## Targets", "## 1. Start-up", "## 2. Reader", "## 3. Whole commands",
                    "## 4. Reports end to end", "## 5. Scaling", "## 6. ",
                    "## 7. Where the time goes", "## 8. Other benchmarks"):
        assert heading in text, heading
    assert "CPU:" in text and "Python" in text
    assert "Peers not measured" not in text or "--smoke" in text
    # the smoke run never overwrites the committed results
    after = RESULTS.stat().st_mtime_ns if RESULTS.exists() else None
    assert before == after


def test_bench_smoke_needs_a_scratch_folder() -> None:
    proc = subprocess.run([sys.executable, str(RUNNER), "--smoke"], capture_output=True,
                          text=True, timeout=60, cwd=REPO)
    assert proc.returncode == 2
    assert "--out" in proc.stderr
