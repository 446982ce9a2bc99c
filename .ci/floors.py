"""Print a pip constraints file pinning every declared dependency to its floor.

`make test-lowest` installs chat-review with these pins, so the suite also runs against the
oldest versions pyproject.toml says are enough. Every dependency (runtime and the `test`
extra) must have a `>=` floor; one without is an error, so no new dependency escapes the run.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*?)\s*(;.*)?$")
FLOOR = re.compile(r">=\s*([0-9][^,\s]*)")


def floors(pyproject: Path) -> list[str]:
    """`name==floor` for each requirement of the project and of every extra."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    pins: dict[str, str] = {}
    for requirement in requirements:
        match = REQUIREMENT.match(requirement)
        if not match:
            raise SystemExit(f"floors.py: cannot read the requirement {requirement!r}")
        name, _, spec, marker = match.groups()
        floor = FLOOR.search(spec)
        if not floor:
            raise SystemExit(f"floors.py: {requirement!r} has no '>=' floor; declare one")
        key = re.sub(r"[-_.]+", "-", name).lower()
        pin = f"{key}=={floor.group(1)}{' ' + marker if marker else ''}"
        if pins.get(key, pin) != pin:
            raise SystemExit(f"floors.py: {name} is declared with two different floors")
        pins[key] = pin
    return sorted(pins.values())


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent / "pyproject.toml"
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    print("\n".join(floors(path)))
