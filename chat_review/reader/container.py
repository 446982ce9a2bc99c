"""Unwrap an export's bytes: pick the chat file out of a zip (in memory) and decode it to UTF-8.

Everything happens on the bytes already in memory (the bytes the consent was checked against);
nothing is written to disk. The result is always UTF-8 bytes with LF line endings, because the
header scanner works on bytes (a decoded ``str`` of a chat with one emoji costs 4 bytes a char).
"""

from __future__ import annotations

import codecs
import io
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from chat_review.errors import ExportError

#: Largest chat text we accept inside a zip (uncompressed); a real chat is far smaller.
MAX_CHAT_BYTES = 512 * 1024 * 1024
#: A text file compresses maybe 10:1; a zip bomb compresses 1000:1 or more.
MAX_RATIO = 200

# Chat file names in WhatsApp zips: "_chat.txt" (iOS), "WhatsApp Chat with X.txt" (Android,
# English) and localised forms ("WhatsApp Chat mit X", "Chat de WhatsApp con X", "Conversa do
# WhatsApp com X", "Discussion WhatsApp avec X", "WhatsApp-chat met X", "WhatsApp Sohbeti - X").
# Any .txt whose name mentions WhatsApp or chat qualifies; failing that, the zip's only .txt
# does if its first lines are messages (a locale whose file name we do not know).
_CHAT_NAME = re.compile(r"(^_chat\.txt$)|whatsapp|chat", re.IGNORECASE)


#: What the zipfile module (and zlib, bz2, lzma under it) raise on a damaged or hostile zip;
#: each becomes one ExportError sentence, never a traceback.
_ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zlib.error, struct.error, OSError, ValueError, IndexError, KeyError,
    OverflowError, NotImplementedError, RuntimeError, EOFError,
)
try:  # lzma is optional in some Python builds
    import lzma

    _ZIP_ERRORS += (lzma.LZMAError,)
except ImportError:  # pragma: no cover
    pass
#: Longest entry name shown in a message or kept as ``inner_name`` (a zip may hold 64 KiB names).
MAX_NAME_CHARS = 80
_UNSAFE_CHARS = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def _safe_name(name: str) -> str:
    """An entry name fit for one line of a terminal: control and direction characters shown as
    ``\\xNN``/``\\uNNNN`` escapes, and at most `MAX_NAME_CHARS` characters (middle elided)."""
    name = _UNSAFE_CHARS.sub(lambda m: ascii(m.group())[1:-1], name)
    if len(name) > MAX_NAME_CHARS:
        half = (MAX_NAME_CHARS - 1) // 2
        name = name[:half] + "…" + name[-half:]
    return name


def _reason(exc: BaseException) -> str:
    """The zipfile module's own words, made one short line (they can quote entry names)."""
    text = _safe_name(str(exc) or type(exc).__name__).rstrip(".")
    return text[:80] + "…" if len(text) > 80 else text


@dataclass
class Unwrapped:
    """The chat text as UTF-8 bytes with LF line endings, and where it came from."""

    data: bytes
    encoding: str
    container: str
    inner_name: str | None
    warnings: list[str] = field(default_factory=list)


def unwrap(data: bytes, source_name: str) -> Unwrapped:
    """Return the chat text of a .txt or .zip export as normalised UTF-8 bytes."""
    if not data:
        raise ExportError(
            f"{source_name} is empty; export the chat again from WhatsApp (More > Export chat)."
        )
    container, inner = "txt", None
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        container = "zip"
        inner, data = _from_zip(data, source_name)
    warnings: list[str] = []
    text, encoding = _decode(data, inner or source_name, warnings)
    return Unwrapped(text, encoding, container, inner, warnings)


def _from_zip(data: bytes, source_name: str) -> tuple[str, bytes]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except _ZIP_ERRORS as exc:
        raise ExportError(
            f"{source_name} looks like a zip file but cannot be opened ({_reason(exc)}); "
            "export the chat again from WhatsApp."
        ) from None
    candidates = []
    nested = []
    other_txt = []  # .txt files whose names do not say "chat" (a locale we do not know)
    for info in infos:
        name = info.filename
        base = name.rsplit("/", 1)[-1]
        if not base or name.startswith("__MACOSX/") or "/__MACOSX/" in name:
            continue
        if base.startswith("._") or base == ".DS_Store":
            continue
        low = base.lower()
        if low.endswith(".zip"):
            nested.append(name)
            continue
        if low.endswith(".txt") and _CHAT_NAME.search(base):
            candidates.append(info)
        elif low.endswith(".txt"):
            other_txt.append(info)
    # Fallback: the only .txt in the zip, whatever its name, if its first lines are messages.
    lone = not candidates and not nested and len(other_txt) == 1
    if lone:
        candidates = other_txt
    if not candidates:
        if nested:
            raise ExportError(
                f"{source_name} contains another zip file ({_safe_name(nested[0])}) "
                "instead of a chat; "
                "unzip it once and give chat-review the inner WhatsApp export."
            )
        txts = [_safe_name(i.filename) for i in infos if i.filename.lower().endswith(".txt")]
        found = f"only {', '.join(txts[:2])}" if txts else f"{len(infos)} files but no .txt chat"
        raise ExportError(
            f"{source_name} holds no WhatsApp chat file (found {found}); "
            "export the chat again with WhatsApp's Export chat."
        )
    if len(candidates) > 1:
        names = ", ".join(_safe_name(i.filename) for i in candidates[:2])
        raise ExportError(
            f"{source_name} holds several chat files ({names}); "
            "give chat-review one chat export at a time."
        )
    info = candidates[0]
    shown = _safe_name(info.filename)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ExportError(
            f"{shown} in {source_name} is a symbolic link, not a chat file; "
            "export the chat again from WhatsApp."
        )
    if info.flag_bits & 0x1:
        raise ExportError(
            f"{shown} in {source_name} is encrypted; "
            "export the chat again without a password."
        )
    if info.file_size > MAX_CHAT_BYTES:
        raise ExportError(
            f"{shown} in {source_name} would unpack to {info.file_size // 2**20} MiB, "
            f"more than the {MAX_CHAT_BYTES // 2**20} MiB limit; this is not a normal chat export."
        )
    if info.compress_size > len(data):
        raise ExportError(
            f"{shown} in {source_name} claims to be larger than the zip file itself; "
            "the zip is damaged, so export the chat again from WhatsApp."
        )
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        raise ExportError(
            f"{shown} in {source_name} is compressed {info.file_size // info.compress_size}"
            ":1, which only a zip bomb does; chat-review will not unpack it."
        )
    try:
        with zf.open(info) as fh:
            # Never more than the declared size: a stream that inflates past it (a bomb that
            # lies about its size) is cut there and then fails its CRC check.
            raw = fh.read(min(info.file_size, MAX_CHAT_BYTES) + 1)
    except _ZIP_ERRORS as exc:
        raise ExportError(
            f"{shown} in {source_name} cannot be unpacked ({_reason(exc)}); "
            "export the chat again from WhatsApp."
        ) from None
    if len(raw) > MAX_CHAT_BYTES:
        raise ExportError(
            f"{shown} in {source_name} unpacks to more than "
            f"{MAX_CHAT_BYTES // 2**20} MiB; this is not a normal chat export."
        )
    if raw[:4] == b"PK\x03\x04":
        raise ExportError(
            f"{shown} in {source_name} is itself a zip file; "
            "give chat-review the WhatsApp export, not a zip inside a zip."
        )
    if lone and not _starts_like_export(raw):
        raise ExportError(
            f"{source_name} holds no WhatsApp chat file (found only {shown}, which does not "
            "start with messages); export the chat again with WhatsApp's Export chat."
        )
    return shown, raw


def _starts_like_export(raw: bytes) -> bool:
    """Whether the first lines of a text file include a WhatsApp message header."""
    from .headers import detect

    head = raw[: 1 << 16]
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        text = head[: len(head) // 2 * 2].decode("utf-16", "replace")
    else:
        text = head.decode("utf-8", "replace").lstrip("\ufeff")
    lines = [ln for ln in re.split(r"\r\n|\r|\n", text) if ln.strip()][:50]
    return detect(lines) is not None


def _line_of(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + data.count(b"\r", 0, pos) - data.count(b"\r\n", 0, pos) + 1


#: A text file with at most this many NUL bytes has them replaced (U+FFFD) with a warning; one
#: with more is binary, not a chat. Real exports carry the odd NUL inside a message (a pasted
#: fragment); refusing a 2,000-line chat for one would help nobody.
NUL_TOLERATED = 16


def _nuls(data: bytes, name: str, warnings: list[str]) -> bytes:
    """Replace a few stray NUL bytes with U+FFFD (the message keeps a visible mark), warning
    with the lines; refuse a file with many, which is binary data, not a chat."""
    count = data.count(b"\x00")
    if count > NUL_TOLERATED:
        _nul_error(name, data)
    lines: list[int] = []
    pos = data.find(b"\x00")
    while pos >= 0:
        line = _line_of(data, pos)
        if line not in lines:
            lines.append(line)
        pos = data.find(b"\x00", pos + 1)
    shown = ", ".join(str(x) for x in lines[:5]) + (" ..." if len(lines) > 5 else "")
    warnings.append(
        f"{count} NUL byte(s) inside the text (line {shown}) were replaced with U+FFFD; the "
        "rest of the export was read as usual."
    )
    return data.replace(b"\x00", "\ufffd".encode())


def _decode(data: bytes, name: str, warnings: list[str]) -> tuple[bytes, str]:
    """Return (UTF-8 bytes with LF endings, encoding name); refuse anything undecodable."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        encoding = "utf-16"
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ExportError(
                f"{name} starts as UTF-16 text but has undecodable bytes at byte {exc.start}; "
                "export the chat again from WhatsApp."
            ) from None
        data = text.encode("utf-8", "surrogatepass")
        if "\x00" in text:
            data = _nuls(data, name, warnings)
    else:
        encoding = "utf-8"
        if data[:3] == codecs.BOM_UTF8:
            encoding = "utf-8-sig"
            data = data[3:]
        elif data[:3000].count(b"\x00") > 100:
            raise ExportError(
                f"{name} is binary or UTF-16 text without a byte-order mark, not a WhatsApp "
                "chat export; export the chat again from WhatsApp."
            )
        if b"\x00" in data:
            data = _nuls(data, name, warnings)
        bad = _utf8_error(data)
        if bad is not None:
            raise ExportError(
                f"{name} has bytes that are not UTF-8 text at line {_line_of(data, bad)}; "
                "the file is damaged or not a WhatsApp export, so export the chat again."
            )
    return _lf(data), encoding


def _lf(data: bytes) -> bytes:
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data


_UTF8_STEP = 1 << 16


def _utf8_error(data: bytes) -> int | None:
    """Where the first byte that is not strict UTF-8 is (an overlong form, a surrogate, past
    U+10FFFF, a cut character), or None: CPython's own decoder, 64 KiB at a time, so the chat
    is never held as one str (a single emoji makes it four bytes a character). 0.03 s for a
    70 MiB chat, against 0.06 s for the numpy check it replaced."""
    view = memoryview(data)
    n, start = len(data), 0
    while start < n:
        stop = min(start + _UTF8_STEP, n)
        try:
            # not final: a character cut by the step is left for the next one
            _, used = codecs.utf_8_decode(view[start:stop], "strict", stop == n)
            if not used:  # (never with whole steps; read to the end rather than loop)
                _, used = codecs.utf_8_decode(view[start:], "strict", True)
        except UnicodeDecodeError as exc:
            return start + exc.start
        start += used
    return None


def _nul_error(name: str, data: bytes) -> None:
    pos = data.index(b"\x00")
    raise ExportError(
        f"{name} turns into binary data (NUL bytes) at line {_line_of(data, pos)}; "
        "the file is damaged or not a WhatsApp export, so export the chat again."
    )
