"""Every sample export in sample_exports/formats/ parses to its hand-written expected JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from chat_review.reader._parse import parse_export_bytes

FORMATS = Path(__file__).resolve().parent.parent / "sample_exports" / "formats"
SAMPLES = sorted(p for p in FORMATS.iterdir() if p.suffix in (".txt", ".zip"))


def _iso(ts: pd.Timestamp) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S")


def test_there_is_a_sample_for_every_format_family() -> None:
    assert len(SAMPLES) >= 16


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_matches_expected(path: Path) -> None:
    expected = json.loads(Path(str(path) + ".expected.json").read_text(encoding="utf-8"))
    chat = parse_export_bytes(path.read_bytes(), path.name, sha256="0" * 64)
    m = chat.messages
    assert chat.meta.counts_by_kind == expected["counts_by_kind"]
    assert sorted(m["sender"].dropna().unique()) == expected["senders"]
    assert _iso(m["timestamp"].iat[0]) == expected["first_timestamp"]
    assert _iso(m["timestamp"].iat[-1]) == expected["last_timestamp"]
    assert int(m["text"].str.contains("\n", regex=False).sum()) == expected["multiline_count"]
    assert list(m["line"]) == expected["first_header_lines"]
    assert chat.meta.platform == expected["platform"]
    assert chat.meta.date_order == expected["date_order"]
    assert not chat.meta.date_order_ambiguous
    if "timestamps" in expected:
        assert [_iso(t) for t in m["timestamp"]] == expected["timestamps"]
    if "edited_count" in expected:
        assert int(m["edited"].sum()) == expected["edited_count"]
    if "attachments" in expected:
        assert list(m["attachment"].dropna()) == expected["attachments"]
    if "texts" in expected:
        assert list(m["text"]) == expected["texts"]
    for key in ("encoding", "container", "inner_name"):
        if key in expected:
            assert getattr(chat.meta, key) == expected[key]
    assert chat.meta.warnings == []
