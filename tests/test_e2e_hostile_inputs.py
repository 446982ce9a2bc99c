"""Hostile files through the installed console script, with a real consent recorded for each.

`chat-review messages FILE --token T` on a file that is not a readable export must exit 2 with
one `Error: ...` line on stderr, no traceback, nothing on stdout, and the export unchanged
(same SHA-256 before and after, nothing new next to it). ``CHAT_REVIEW_DEBUG=1`` is set so an
unexpected exception would show up as a traceback (and fail here) instead of the last-resort
sentence.
"""

from __future__ import annotations

import hashlib
import io
import random
import stat
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

CHAT = (
    b"12/01/2024, 08:59 - Uma Shah: Hello\n"
    b"13/01/2024, 09:00 - Victor Ade: Reply\n"
)


def _zip(files: dict[str, bytes], attrs: dict[str, int] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if attrs and name in attrs:
                info.external_attr = attrs[name]
            zf.writestr(info, data)
    return buf.getvalue()


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">L", len(body)) + kind + body + struct.pack(
            ">L", zlib.crc32(kind + body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">2L5B", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _bomb() -> bytes:
    return _zip({"_chat.txt": CHAT + b"\n" * 30_000_000})


def _broken_central_directory() -> bytes:
    return _zip({"_chat.txt": CHAT}).replace(b"PK\x01\x02", b"PK\x01\x09")


def _encrypted() -> bytes:
    data = bytearray(_zip({"_chat.txt": CHAT}))
    data[6] |= 1
    data[data.index(b"PK\x01\x02") + 8] |= 1
    return bytes(data)


def _corrupt_stream() -> bytes:
    data = bytearray(_zip({"_chat.txt": CHAT * 50}))
    for i in range(50, 90):
        data[i] ^= 0x5A
    return bytes(data)


HOSTILE = {
    "random.txt": lambda: random.Random(7).randbytes(50_000),
    "binary.txt": lambda: b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 40,
    "empty.txt": lambda: b"",
    "blank.txt": lambda: b"\n \n\t\n",
    "photo.txt": _png,
    "utf16-no-bom.txt": lambda: CHAT.decode().encode("utf-16-le"),
    "latin1.txt": lambda: "12/01/2024, 08:59 - Zoë: café crème\n".encode("latin-1"),
    "nul-after-start.txt": lambda: CHAT + b"\x00" * 64 + CHAT,
    "bomb.zip": _bomb,
    "nested.zip": lambda: _zip({"WhatsApp Chat with Uma.zip": _zip({"_chat.txt": CHAT})}),
    "traversal.zip": lambda: _zip({"../../etc/passwd": b"root:x:0:0\n", "/abs.jpg": b"x"}),
    "several.zip": lambda: _zip({"a/_chat.txt": CHAT, "b/_chat.txt": CHAT}),
    "encrypted.zip": _encrypted,
    "broken-directory.zip": _broken_central_directory,
    "corrupt-stream.zip": _corrupt_stream,
    "symlink.zip": lambda: _zip({"_chat.txt": b"/etc/passwd"},
                                {"_chat.txt": (stat.S_IFLNK | 0o777) << 16}),
    "truncated.zip": lambda: _zip({"_chat.txt": CHAT * 20})[:-30],
    "text-not-a-chat.zip": lambda: b"Dear parents,\nthe trip is on Friday.\n" * 5,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_exits_2_with_one_sentence_and_is_left_unchanged(
    name: str, run, grant, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    export = folder / name
    export.write_bytes(HOSTILE[name]())
    before = hashlib.sha256(export.read_bytes()).hexdigest()
    token = grant(export)

    result = run("messages", str(export), "--token", token, env={"CHAT_REVIEW_DEBUG": "1"})

    assert result.code == 2, (result.code, result.err)
    assert "Traceback" not in result.err and "Traceback" not in result.out
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("Error: ") and lines[0].endswith("."), lines[0]
    assert "unexpectedly" not in lines[0]
    assert result.out == ""
    assert hashlib.sha256(export.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in folder.iterdir()) == [name]


@pytest.mark.parametrize("name", ["random.txt", "bomb.zip", "broken-directory.zip"])
def test_analyse_refuses_a_hostile_file_the_same_way(name: str, run, grant, tmp_path: Path) -> None:
    from conftest import SAMPLE_CONFIG

    folder = tmp_path / "exports"
    folder.mkdir()
    export = folder / name
    export.write_bytes(HOSTILE[name]())
    before = hashlib.sha256(export.read_bytes()).hexdigest()
    token = grant(export)

    result = run("analyse", str(export), "--token", token, "--config", str(SAMPLE_CONFIG),
                 env={"CHAT_REVIEW_DEBUG": "1"})

    assert result.code == 2, (result.code, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.err
    assert "Traceback" not in result.err
    assert hashlib.sha256(export.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in folder.iterdir()) == [name]
