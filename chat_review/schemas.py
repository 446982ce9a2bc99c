"""The JSON Schemas (draft 2020-12) of what chat-review writes as JSON, shipped as package data.

`report` describes `analyse --json`; `messages` describes `messages --format json`. The test
suite validates every JSON file it writes against them, so the schemas and the outputs cannot
drift apart unnoticed. `chat-review schema NAME` prints one.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

SCHEMAS = ("report", "messages")


def schema_text(name: str) -> str:
    """The schema file's text, exactly as shipped."""
    if name not in SCHEMAS:
        raise ValueError(f"no schema named {name!r}; choose one of {', '.join(SCHEMAS)}")
    files = resources.files("chat_review").joinpath("data", "schemas", f"{name}.schema.json")
    return files.read_text(encoding="utf-8")


def load_schema(name: str) -> dict[str, Any]:
    return json.loads(schema_text(name))


def schema_for(document: Any) -> str | None:
    """Which schema a JSON document written by chat-review falls under, or None."""
    if not isinstance(document, dict):
        return None
    if "findings" in document and "chat_review_version" in document:
        return "report"
    if "messages" in document and "chat" in document:
        return "messages"
    return None
