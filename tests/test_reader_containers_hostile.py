"""Hostile zips: bombs, traversal names, nesting, encryption, symlinks, broken directories.

Every case ends in a correct parse or one clear ExportError sentence, and nothing is ever
written to disk: each test runs in an empty working directory and an empty temp directory that
must stay empty, with ``ZipFile.extract``/``extractall`` and ``open(..., "w")`` made to fail the
test if anything calls them.
"""

from __future__ import annotations

import builtins
import io
import os
import stat
import struct
import tempfile
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from chat_review.errors import ExportError
from chat_review.reader._parse import parse_export_bytes
from chat_review.reader.chat import KINDS, MESSAGE_COLUMNS

CHAT = (
    "12/01/2024, 08:59 - Uma Shah: Hello ✨\nsecond line\n"
    "13/01/2024, 09:00 - Victor Ade: Reply\n"
    "13/01/2024, 09:01 - Uma Shah: IMG-20240113-WA0001.jpg (file attached)\n"
).encode()


# --- the "nothing touches the disk" guard -------------------------------------------------


@pytest.fixture(autouse=True)
def no_disk_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cwd = tmp_path / "cwd"
    tmp = tmp_path / "tmp"
    cwd.mkdir()
    tmp.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    for var in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(var, str(tmp))

    def forbidden(*args: object, **kwargs: object) -> None:
        pytest.fail("the reader tried to extract a zip entry to disk")

    monkeypatch.setattr(zipfile.ZipFile, "extract", forbidden)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", forbidden)
    real_open = builtins.open

    def guarded_open(file, mode="r", *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if any(c in str(mode) for c in "wax+"):
            pytest.fail(f"the reader opened {file!r} for writing")
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    yield
    monkeypatch.setattr(builtins, "open", real_open)
    assert os.listdir(cwd) == [], "the reader wrote into the working directory"
    assert os.listdir(tmp) == [], "the reader wrote into the temp directory"


# --- helpers -------------------------------------------------------------------------------


def parse(data: bytes, name: str = "export.zip"):
    return parse_export_bytes(data, name, sha256="0" * 64)


def sentence(exc: ExportError) -> str:
    msg = str(exc)
    assert "\n" not in msg and "\r" not in msg, msg
    assert "Traceback" not in msg and msg.endswith("."), msg
    assert len(msg) < 300, msg
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in msg), repr(msg)
    return msg


def refused(data: bytes, name: str = "export.zip") -> str:
    with pytest.raises(ExportError) as err:
        parse(data, name)
    return sentence(err.value)


def sane(chat) -> None:
    m = chat.messages
    assert list(m.columns) == MESSAGE_COLUMNS
    assert str(m["timestamp"].dtype) == "datetime64[ns]" and not m["timestamp"].isna().any()
    assert str(m["line"].dtype) == "int64" and m["line"].is_monotonic_increasing
    assert set(m["kind"].astype(str)) <= set(KINDS)


def parsed_or_refused(data: bytes, name: str = "export.zip") -> str:
    try:
        chat = parse(data, name)
    except ExportError as exc:
        return sentence(exc)
    sane(chat)
    return "parsed"


def make_zip(
    files: dict[str, bytes],
    method: int = zipfile.ZIP_DEFLATED,
    attrs: dict[str, int] | None = None,
) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = method
            if attrs and name in attrs:
                info.external_attr = attrs[name]
            zf.writestr(info, data)
    return buf.getvalue()


def central(data: bytes, index: int = 0) -> int:
    """Offset of the index-th central directory header."""
    pos = -1
    for _ in range(index + 1):
        pos = data.index(b"PK\x01\x02", pos + 1)
    return pos


def patch(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, offset, value)
    return bytes(out)


def raw_deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def handmade_zip(name: bytes, payload: bytes, *, size: int, crc: int, method: int = 8,
                 flags: int = 0) -> bytes:
    """One entry whose header fields are whatever the test says (sizes may lie)."""
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, 0x21,
                        crc, len(payload), size, len(name), 0) + name + payload
    cdir = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, method, 0, 0x21,
                       crc, len(payload), size, len(name), 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(cdir), len(local), 0)
    return local + cdir + end


# --- zip bombs -----------------------------------------------------------------------------


def test_huge_declared_uncompressed_size_is_refused_before_unpacking() -> None:
    data = make_zip({"_chat.txt": CHAT})
    data = patch(data, central(data) + 24, "<L", 0xFFFFFFF0)  # central "uncompressed size"
    msg = refused(data)
    assert "MiB" in msg and "limit" in msg


def test_high_ratio_bomb_is_refused() -> None:
    bomb = CHAT + b"\n" * 20_000_000
    data = make_zip({"_chat.txt": bomb})
    assert len(data) < 100_000
    tracemalloc.start()
    try:
        msg = refused(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "zip bomb" in msg
    assert peak < 5_000_000, f"{peak} bytes used to refuse a bomb"


def test_bomb_that_lies_about_its_size_unpacks_only_what_it_declares() -> None:
    """Declared 2 KiB (ratio within limits) but the stream inflates to 50 MB: never unpacked."""
    stream = raw_deflate(CHAT + b"x" * 50_000_000)
    data = handmade_zip(b"_chat.txt", stream, size=min(len(stream) * 10, 2048), crc=0)
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        parsed_or_refused(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - t0 < 5
    assert peak < 10_000_000, f"{peak} bytes used"


def test_zero_compressed_size_with_a_large_declared_size() -> None:
    data = handmade_zip(b"_chat.txt", b"", size=400 * 2**20, crc=0)
    t0 = time.perf_counter()
    parsed_or_refused(data)
    assert time.perf_counter() - t0 < 5


def test_many_entries_with_one_chat_still_finds_it_quickly() -> None:
    files = {f"media/IMG-{i:05d}.jpg": b"" for i in range(20_000)}
    files["WhatsApp Chat with Uma.txt"] = CHAT
    data = make_zip(files, method=zipfile.ZIP_STORED)
    t0 = time.perf_counter()
    chat = parse(data)
    assert time.perf_counter() - t0 < 10
    assert chat.meta.inner_name == "WhatsApp Chat with Uma.txt"
    assert len(chat.messages) == 3


def test_many_chat_entries_are_refused_naming_only_a_few() -> None:
    data = make_zip({f"c{i}/_chat.txt": CHAT for i in range(2000)}, method=zipfile.ZIP_STORED)
    msg = refused(data)
    assert "several chat files" in msg


def test_same_entry_repeated_in_the_central_directory() -> None:
    """Overlapping-entries bomb shape: many central records pointing at one local file."""
    one = make_zip({"_chat.txt": CHAT})
    cd = central(one)
    end = one.index(b"PK\x05\x06")
    record = one[cd:end]
    n = 500
    eocd = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, len(record) * n, cd, 0)
    msg = refused(one[:cd] + record * n + eocd)
    assert "several chat files" in msg


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "inner",
    [
        "../../WhatsApp Chat with Uma.txt",
        "/etc/WhatsApp Chat with Uma.txt",
        "..\\..\\WhatsApp Chat with Uma.txt",
        "C:\\Windows\\_chat.txt",
        "a/../../../_chat.txt",
    ],
)
def test_traversal_and_absolute_names_are_read_in_memory(inner: str) -> None:
    chat = parse(make_zip({inner: CHAT, "../../etc/passwd": b"root:x:0:0"}))
    sane(chat)
    assert len(chat.messages) == 3
    assert chat.meta.inner_name == inner


@pytest.mark.parametrize("inner", ["../../etc/passwd", "/etc/shadow", "..\\x.txt", "../x.txt"])
def test_traversal_names_without_a_chat_are_refused(inner: str) -> None:
    msg = refused(make_zip({inner: b"root:x:0:0:root:/root:/bin/bash\n"}))
    assert "no WhatsApp chat file" in msg


def test_name_with_control_characters_is_shown_escaped() -> None:
    inner = "_chat\x1b[31m\nrm -rf.txt"
    msg = refused(make_zip({inner: b"", "b/_chat.txt": b""}))
    assert "\\x1b" in msg and "\\n" in msg


def test_very_long_entry_name_keeps_the_message_short() -> None:
    inner = "WhatsApp Chat with " + "A" * 5000 + ".txt"
    msg = refused(make_zip({inner: b"no chat here\n"}))
    assert "…" in msg
    chat = parse(make_zip({inner: CHAT}))
    assert len(chat.meta.inner_name) <= 80


def test_non_utf8_name_bytes_are_decoded_as_cp437() -> None:
    data = make_zip({"WhatsApp Chat XX.txt": CHAT})
    data = data.replace(b"Chat XX.txt", b"Chat \xff\xfe.txt")
    chat = parse(data)
    assert len(chat.messages) == 3
    assert chat.meta.inner_name.startswith("WhatsApp Chat ")


def test_invalid_utf8_name_flagged_as_utf8_is_refused() -> None:
    data = make_zip({"WhatsApp Chat é.txt": CHAT})  # non-ASCII: written with the UTF-8 flag
    data = data.replace("é".encode(), b"\xff\xfe")
    refused(data)


def test_empty_entry_name() -> None:
    data = make_zip({"X": b"", "_chat.txt": CHAT})
    first = central(data)
    data = patch(data, first + 28, "<H", 0)  # central name length 0 -> name "" (rest skewed)
    parsed_or_refused(data)


# --- nesting, several chats, encryption, symlinks --------------------------------------------


def test_zip_in_a_zip_instead_of_a_chat_is_refused() -> None:
    inner = make_zip({"_chat.txt": CHAT})
    msg = refused(make_zip({"WhatsApp Chat with Uma.zip": inner}))
    assert "another zip" in msg


def test_chat_named_entry_that_is_a_zip_is_refused() -> None:
    inner = make_zip({"_chat.txt": CHAT})
    msg = refused(make_zip({"_chat.txt": inner}))
    assert "itself a zip" in msg


def test_chat_next_to_a_nested_zip_is_read() -> None:
    inner = make_zip({"_chat.txt": b"not this one"})
    chat = parse(make_zip({"_chat.txt": CHAT, "old.zip": inner}))
    assert len(chat.messages) == 3


def test_several_chat_files_are_refused() -> None:
    msg = refused(make_zip({"_chat.txt": CHAT, "WhatsApp Chat with Uma.txt": CHAT}))
    assert "several chat files" in msg


def test_zero_length_chat_entry_is_refused() -> None:
    msg = refused(make_zip({"_chat.txt": b""}))
    assert "_chat.txt" in msg and "no text" in msg


@pytest.mark.parametrize("where", ["central", "both"])
def test_encrypted_entry_is_refused(where: str) -> None:
    data = bytearray(make_zip({"_chat.txt": CHAT}))
    data[central(bytes(data)) + 8] |= 0x1
    if where == "both":
        data[6] |= 0x1
    assert "encrypted" in refused(bytes(data))


def test_encrypted_flag_only_in_the_local_header_does_not_crash() -> None:
    data = bytearray(make_zip({"_chat.txt": CHAT}))
    data[6] |= 0x1
    parsed_or_refused(bytes(data))


def test_symlink_entry_is_refused_and_never_followed() -> None:
    link = (stat.S_IFLNK | 0o777) << 16
    data = make_zip({"_chat.txt": b"../../../../etc/passwd"}, attrs={"_chat.txt": link})
    msg = refused(data)
    assert "symbolic link" in msg


def test_symlink_media_next_to_the_chat_is_ignored() -> None:
    link = (stat.S_IFLNK | 0o777) << 16
    data = make_zip({"_chat.txt": CHAT, "IMG-1.jpg": b"/etc/passwd"}, attrs={"IMG-1.jpg": link})
    assert len(parse(data).messages) == 3


# --- damaged archives ----------------------------------------------------------------------


def test_broken_central_directory_signature() -> None:
    data = make_zip({"_chat.txt": CHAT})
    data = data.replace(b"PK\x01\x02", b"PK\x01\x09")
    assert "cannot be opened" in refused(data)


def test_central_directory_offset_past_the_end() -> None:
    data = make_zip({"_chat.txt": CHAT})
    end = data.index(b"PK\x05\x06")
    refused(patch(data, end + 16, "<L", 0x7FFFFFFF))


def test_local_header_offset_past_the_end() -> None:
    data = make_zip({"_chat.txt": CHAT})
    refused(patch(data, central(data) + 42, "<L", 0x7FFFFFF0))


def test_local_header_offset_negative_after_adjustment() -> None:
    """zipfile adds a 'concat' offset; a record pointing before the archive used to crash."""
    data = make_zip({"_chat.txt": CHAT})
    end = data.index(b"PK\x05\x06")
    cd = central(data)
    refused(patch(data, end + 16, "<L", cd - 5))


@pytest.mark.parametrize("cut", [4, 30, 100, -22, -10, -1])
def test_truncated_zip(cut: int) -> None:
    data = make_zip({"_chat.txt": CHAT})
    parsed_or_refused(data[:cut])


def test_corrupt_deflate_stream() -> None:
    data = bytearray(make_zip({"_chat.txt": CHAT * 20}))
    start = 30 + len("_chat.txt")
    for i in range(start + 5, start + 40):
        data[i] ^= 0x5A
    assert "cannot be unpacked" in refused(bytes(data))


def test_wrong_crc_is_refused() -> None:
    data = make_zip({"_chat.txt": CHAT})
    assert "cannot be unpacked" in refused(patch(data, central(data) + 16, "<L", 0xDEADBEEF))


@pytest.mark.parametrize("method", [9, 99, 12345])
def test_unsupported_compression_method(method: int) -> None:
    data = make_zip({"_chat.txt": CHAT})
    data = patch(data, 8, "<H", method)
    data = patch(data, central(data) + 10, "<H", method)
    assert "cannot be unpacked" in refused(data)


def test_needs_a_newer_zip_version() -> None:
    data = make_zip({"_chat.txt": CHAT})
    parsed_or_refused(patch(data, central(data) + 6, "<H", 0xFF))


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED,
                                    zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_every_standard_compression_method_reads(method: int) -> None:
    assert len(parse(make_zip({"_chat.txt": CHAT}, method=method)).messages) == 3


# --- wrong extensions ------------------------------------------------------------------------


def test_txt_that_is_really_a_zip_is_read_as_a_zip() -> None:
    chat = parse(make_zip({"_chat.txt": CHAT}), "WhatsApp Chat with Uma.txt")
    assert chat.meta.container == "zip" and len(chat.messages) == 3


def test_zip_that_is_really_text_is_read_as_text() -> None:
    chat = parse(CHAT, "WhatsApp Chat with Uma.zip")
    assert chat.meta.container == "txt" and len(chat.messages) == 3


def test_self_extracting_zip_with_a_prefix_is_refused_clearly() -> None:
    parsed_or_refused(b"MZ\x90\x00" + b"\x00" * 200 + make_zip({"_chat.txt": CHAT}))


def test_zip_end_record_only() -> None:
    refused(b"PK\x05\x06" + b"\x00" * 18)


def test_zip_magic_then_garbage() -> None:
    refused(b"PK\x03\x04" + b"\xff" * 200)


def test_bomb_that_lies_about_its_compressed_size_is_refused() -> None:
    """A 0.5 MB stream of 512 MB, declaring a compressed size that keeps the ratio 'normal'."""
    stream = raw_deflate(b"\n" * (64 * 2**20))
    data = handmade_zip(b"_chat.txt", stream, size=64 * 2**20, crc=0)
    cd = central(data)
    data = patch(data, cd + 20, "<L", 64 * 2**20 // 100)  # central "compressed size"
    data = patch(data, 18, "<L", 64 * 2**20 // 100)  # local "compressed size"
    tracemalloc.start()
    try:
        msg = refused(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "larger than the zip" in msg
    assert peak < 5_000_000


def _zip64_entry(extra: bytes, payload: bytes) -> bytes:
    name = b"_chat.txt"
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 45, 0, 0, 0, 0x21, 0,
                        0xFFFFFFFF, 0xFFFFFFFF, len(name), len(extra)) + name + extra + payload
    cdir = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 45, 45, 0, 0, 0, 0x21, 0,
                       0xFFFFFFFF, 0xFFFFFFFF, len(name), len(extra), 0, 0, 0, 0, 0)
    cdir += name + extra
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(cdir), len(local), 0)
    return local + cdir + end


def test_zip64_entry_declaring_eight_gib_is_refused() -> None:
    extra = struct.pack("<HHQQ", 1, 16, 8 * 2**30, len(CHAT))
    assert "limit" in refused(_zip64_entry(extra, CHAT))


def test_zip64_entry_with_a_corrupt_extra_field_is_refused() -> None:
    extra = struct.pack("<HHL", 1, 4, 7)  # too short for the sizes it must hold
    assert "cannot be opened" in refused(_zip64_entry(extra, CHAT))
