"""`write_atomic` given byte chunks: written and hashed as they come, all or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from chat_review.output_files import write_atomic


def test_chunks_are_written_in_order_and_hashed_as_one_file(tmp_path: Path) -> None:
    chunks = [b"timestamp,sender\r\n", b"", b"2026-09-01T07:59:30,Zo\xc3\xab\r\n" * 1000]
    target = tmp_path / "table.csv"
    digest = write_atomic(target, iter(chunks), force=False)
    assert target.read_bytes() == b"".join(chunks)
    assert digest == hashlib.sha256(b"".join(chunks)).hexdigest()


def test_a_producer_that_fails_half_way_leaves_no_file_at_all(tmp_path: Path) -> None:
    def broken() -> Iterator[bytes]:
        yield b"first rows\r\n"
        raise RuntimeError("the table could not be finished")

    target = tmp_path / "table.csv"
    with pytest.raises(RuntimeError):
        write_atomic(target, broken(), force=False)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_replacement_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    target.write_bytes(b"the old table")

    def broken() -> Iterator[bytes]:
        yield b"new"
        raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken(), force=True)
    assert target.read_bytes() == b"the old table"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]
