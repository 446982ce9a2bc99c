"""Commands that need no tables or charts must not import pandas, matplotlib, numpy or holidays.

Each command runs in a fresh interpreter through the real entry point; an exit hook reports
which heavy modules ended up in ``sys.modules``. No timing is asserted (the machine is shared;
`make bench` measures the start-up times).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXPORT = REPO / "sample_exports" / "class-group-android.txt"
HEAVY = ("pandas", "matplotlib", "numpy", "holidays", "dateutil", "PIL")

PROBE = """
import atexit, sys
def _report():
    heavy = sorted(m for m in {heavy!r} if m in sys.modules)
    sys.__stderr__.write("HEAVY=" + ",".join(heavy) + "\\n")
atexit.register(_report)
sys.argv = ["chat-review", *{args!r}]
from chat_review.cli import main
main()
"""


def heavy_imports(*args: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY, args=list(args))],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("HEAVY=")][-1]
    return [m for m in line.removeprefix("HEAVY=").split(",") if m]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    home = tmp_path_factory.mktemp("home")
    export = home.parent / "chat.txt"
    shutil.copy(EXPORT, export)
    return home, export


def test_help_imports_nothing_heavy() -> None:
    assert heavy_imports("--help") == []


def test_version_and_subcommand_help_import_nothing_heavy() -> None:
    assert heavy_imports("--version") == []
    assert heavy_imports("analyse", "--help") == []
    assert heavy_imports("consent", "--help") == []


def test_consent_and_audit_commands_import_nothing_heavy(home: tuple[Path, Path]) -> None:
    h, export = home
    base = ["--home", str(h)]
    assert heavy_imports(*base, "consent", "grant", str(export), "--parent", "A Parent",
                         "--purpose", "a complaint", "--recorded-by", "Head") == []
    assert heavy_imports(*base, "consent", "list") == []
    assert heavy_imports(*base, "consent", "show", "1") == []
    assert heavy_imports(*base, "audit", "verify") == []
    assert heavy_imports(*base, "audit", "list") == []
    assert heavy_imports(*base, "consent", "revoke", "1", "--reason", "withdrawn",
                         "--by", "Head", "--yes") == []


BLAS_PROBE = """
import atexit, os, sys
atexit.register(lambda: sys.__stderr__.write(
    "BLAS=" + os.environ.get("OPENBLAS_NUM_THREADS", "-") + "\\n"))
sys.argv = ["chat-review", "--version"]
from chat_review.cli import main
main()
"""


@pytest.mark.parametrize(("preset", "seen"), [(None, "1"), ("4", "4")])
def test_the_console_script_asks_for_one_blas_thread_unless_told_otherwise(
        preset: str | None, seen: str) -> None:
    # numpy's BLAS thread pool only spins in chat-review (it multiplies no matrices)
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if preset is not None:
        env["OPENBLAS_NUM_THREADS"] = preset
    proc = subprocess.run([sys.executable, "-c", BLAS_PROBE], capture_output=True, text=True,
                          timeout=120, cwd=REPO, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert f"BLAS={seen}" in proc.stderr.splitlines()
