"""The package as a school's IT person installs it: a wheel into a clean venv.

Nothing lands in site-packages under a bare, generic name (`consent`, `reports`): everything is
inside `chat_review`. The wheel carries the licence, the data files and the JSON Schemas, and
building it prints no deprecation warning. Every declared dependency has a floor that
`make test-lowest` runs the suite at.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A wheel built from this checkout (no build isolation: the test extra has setuptools)."""
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-cache-dir", "-w", str(out), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    [wheel] = out.glob("chat_review-*.whl")
    return wheel, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def clean_venv(built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv without system site-packages holding only the wheel (no dependencies)."""
    wheel, _ = built
    target = tmp_path_factory.mktemp("venv") / "v"
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(target)
    python = target / "bin" / "python"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--no-cache-dir", str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return python


def _python(python: Path, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(python), "-I", "-c", code], capture_output=True, text=True,
                          timeout=60, cwd="/")


def test_the_wheel_installs_nothing_outside_chat_review(built):
    wheel, _ = built
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert tops == {"chat_review", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1]
                    + ".dist-info"}


@pytest.mark.parametrize("bare", ["consent", "reports"])
def test_bare_top_level_names_are_not_importable_after_install(clean_venv, bare):
    proc = _python(clean_venv, f"import {bare}")
    assert proc.returncode == 1 and "ModuleNotFoundError" in proc.stderr


def test_the_namespaced_packages_are_installed(clean_venv):
    code = ("import importlib.util as u; import chat_review.consent.register as r; "
            "print(u.find_spec('chat_review.reports') is not None, r.DB_FILE)")
    proc = _python(clean_venv, code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "register.sqlite3"]


def test_the_wheel_carries_licence_data_and_schemas(built):
    wheel, _ = built
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "chat_review/data/schemas/report.schema.json" in names
    assert "chat_review/data/schemas/messages.schema.json" in names
    assert "chat_review/data/lexicon.toml" in names
    assert "chat_review/reports/templates/report.typ" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "License-Expression: MIT" in text


def test_building_the_wheel_prints_no_deprecation_or_packaging_warning(built):
    _, output = built
    assert "deprecated" not in output.lower()
    assert "absent from the `packages` configuration" not in output


def test_every_package_folder_is_declared(built):
    """A new sub-package (chat_review/web, ...) missing from pyproject would not be installed."""
    wheel, _ = built
    names = zipfile.ZipFile(wheel).namelist()
    for root, installed in (("chat_review", "chat_review"), ("consent", "chat_review/consent"),
                            ("reports", "chat_review/reports")):
        for init in (REPO / root).rglob("__init__.py"):
            relative = init.relative_to(REPO / root).as_posix()
            assert f"{installed}/{relative}" in names, f"{init} is not in the wheel"


def test_every_dependency_has_a_floor_for_the_lowest_versions_run():
    sys.path.insert(0, str(REPO / ".ci"))
    try:
        from floors import floors
    finally:
        sys.path.pop(0)
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    pins = floors(REPO / "pyproject.toml")
    assert len(pins) == len(declared)
    assert "matplotlib==3.11" in pins and "python-dateutil==2.8.2" in pins
