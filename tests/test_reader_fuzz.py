"""Fuzzing the reader: random bytes and mutated real exports give a sane table or one sentence.

The only allowed outcomes of ``parse_export_bytes`` on any input are

* a `Chat` whose message table has the documented columns and dtypes and sane values (no NaT
  timestamp, each timestamp's year written on its header line, ``line`` strictly increasing
  within the file's line count, ``kind`` one of text/media/deleted/system, system rows without a
  sender, attachments only on media rows), or
* an `ExportError` whose message is one sentence on one line, ending in ``.``, shorter than 300
  characters;

never any other exception, and never a hang: each example must finish within
0.5 s + 2 µs per byte (a hang detector, not a benchmark); a few large inputs also keep their
``tracemalloc`` peak under 50 x the input + 20 MB.

Mutations of the sample exports (``sample_exports/formats/*`` and the two demo chats, zips
included, both the zip bytes and the chat inside re-zipped): truncation at any point, lines
shuffled, bits flipped, lines duplicated, lines deleted, header lines (or the whole file)
re-encoded as latin-1, cp1252 or UTF-16 without a BOM, NUL and other control characters
inserted, U+200E / U+200F / U+202F / U+2028 / U+FEFF inserted, random bytes spliced in, runs of
up to 3000 copies of one character (marks, spaces, digits, ``:``, ``[``) pumped in; also with
``date_order`` forced to each of day-, month- and year-first.

Profiles (hypothesis):

* ``ci`` (default, and whenever ``CI`` is set): 60 examples per test, derandomized, so a CI run
  is reproducible and the module takes well under a minute;
* ``deep``: 5000 examples per test, random seeds (about 4 minutes on 2 cores). Run it before a
  release or after changing the reader::

      HYPOTHESIS_PROFILE=deep .venv/bin/python -m pytest tests/test_reader_fuzz.py -q

The profiles are applied only to the tests in this module (``@settings(FUZZ)``), so loading
them does not change other modules' hypothesis settings.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import random
import re
import time
import tracemalloc
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from chat_review.errors import ExportError
from chat_review.reader._parse import parse_export_bytes
from chat_review.reader.chat import KINDS, MESSAGE_COLUMNS
from chat_review.reader.container import unwrap

# --- profiles ----------------------------------------------------------------------------------

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                              HealthCheck.filter_too_much],
    "print_blob": True,
}
_PROFILES = {
    "ci": settings(max_examples=60, derandomize=True, database=None, **_COMMON),
    "deep": settings(max_examples=5000, **_COMMON),
}
for _name, _profile in _PROFILES.items():
    try:
        settings.get_profile(_name)
    except InvalidArgument:  # registered once, even if the module is imported twice
        settings.register_profile(_name, _profile)
FUZZ = _PROFILES["deep" if os.environ.get("HYPOTHESIS_PROFILE") == "deep" else "ci"]

# --- seeds -----------------------------------------------------------------------------------

SAMPLES = Path(__file__).resolve().parent.parent / "sample_exports"
SEED_FILES = sorted(
    [*SAMPLES.glob("formats/*.txt"), *SAMPLES.glob("formats/*.zip"),
     SAMPLES / "class-group-android.txt", SAMPLES / "WhatsApp Chat - Tom Aldridge.zip"]
)
SEEDS = {p.name: p.read_bytes() for p in SEED_FILES}
TEXT_SEEDS = sorted(n for n in SEEDS if n.endswith(".txt"))
ZIP_SEEDS = sorted(n for n in SEEDS if n.endswith(".zip"))

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# --- the property --------------------------------------------------------------------------


def check_sentence(exc: ExportError) -> str:
    msg = str(exc)
    assert msg, "empty ExportError message"
    assert "\n" not in msg and "\r" not in msg, f"message is not one line: {msg!r}"
    assert msg.endswith("."), f"message does not end with a full stop: {msg!r}"
    assert len(msg) < 300, f"message is {len(msg)} characters: {msg!r}"
    assert "Traceback" not in msg
    unquoted = re.sub(r"'[^']*'", "''", msg)  # quoted file text may hold full stops
    assert not re.search(r"[.!?] [A-Z]", unquoted), f"more than one sentence: {msg!r}"
    return msg


def _lines_of(data: bytes, name: str) -> list[bytes]:
    return unwrap(data, name).data.split(b"\n")


def check_chat(chat, data: bytes, name: str) -> None:
    m = chat.messages
    assert list(m.columns) == MESSAGE_COLUMNS
    assert str(m["timestamp"].dtype) == "datetime64[ns]"
    for col in ("sender", "text", "attachment"):
        assert isinstance(m[col].dtype, pd.StringDtype), (col, m[col].dtype)
    assert isinstance(m["kind"].dtype, pd.CategoricalDtype)
    assert list(m["kind"].cat.categories) == KINDS
    assert str(m["edited"].dtype) == "bool"
    assert str(m["line"].dtype) == "int64"
    assert len(m) >= 1
    assert not m["timestamp"].isna().any(), "NaT timestamp"
    assert not m["kind"].isna().any()
    assert not m["text"].isna().any()
    line = m["line"].to_numpy()
    lines = _lines_of(data, name)
    assert line[0] >= 1 and line[-1] <= len(lines), (line[0], line[-1], len(lines))
    assert (line[1:] > line[:-1]).all(), "line numbers are not strictly increasing"
    system = (m["kind"] == "system").to_numpy()
    assert m["sender"][system].isna().all(), "a system event has a sender"
    assert not (m["sender"][~system] == "").any(), "an empty sender name"
    media = (m["kind"] == "media").to_numpy()
    assert m["attachment"][~media].isna().all(), "an attachment on a message that is not media"
    # Each timestamp's year is written on its header line (catches silent overflow/wrap-round).
    years = m["timestamp"].dt.year.to_numpy()
    for ln, year in zip(line, years, strict=True):
        header = lines[ln - 1].decode("utf-8", "replace").translate(_DIGITS)
        written = {str(year), f"{year % 100:02d}", f"{year + 543} BE",  # Buddhist era
                   f"R{year - 2018}", f"H{year - 1988}"}  # Japanese eras (Reiwa, Heisei)
        assert any(w in header for w in written), (
            f"line {ln} {header[:80]!r} parsed as year {year}"
        )


def _timed_parse(data: bytes, name: str, date_order: str | None = None) -> tuple[float, object]:
    """CPU seconds (not wall-clock: the 2 shared cores stall now and then) and the outcome."""
    t0 = time.process_time()
    try:
        result: object = parse_export_bytes(data, name, sha256="0" * 64, date_order=date_order)
    except ExportError as exc:
        result = exc
    return time.process_time() - t0, result


def check_outcome(data: bytes, name: str = "chat.txt", date_order: str | None = None) -> str:
    """Parse; assert the outcome is one of the two allowed ones, in bounded time."""
    elapsed, result = _timed_parse(data, name, date_order)
    if isinstance(result, ExportError):
        outcome = "refused: " + check_sentence(result)
    else:
        check_chat(result, data, name)
        outcome = "parsed"
    size = len(data)
    if data[:2] == b"PK":  # the time budget counts the chat inside, not the compressed bytes
        with contextlib.suppress(ExportError):
            size = max(size, len(unwrap(data, name).data))
    budget = 0.5 + 2e-6 * size
    if elapsed >= budget:  # a real hang repeats; a one-off stall (GC, first import) does not
        elapsed = min(elapsed, _timed_parse(data, name, date_order)[0])
    assert elapsed < budget, f"{elapsed:.2f} s for {size} bytes (budget {budget:.2f} s)"
    return outcome


# --- mutations -----------------------------------------------------------------------------

CONTROL = [b"\x00", b"\x01", b"\x07", b"\x08", b"\x0b", b"\x0c", b"\r", b"\x1b", b"\x7f",
           "\x85".encode(), b"\x00\x00"]
MARKS = ["\u200e", "\u200f", "\u202f", "\u2028", "\ufeff", "\u202e", "\u00a0"]
ENCODINGS = ["latin-1", "cp1252", "utf-16-le", "utf-16-be"]

_frac = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)

MUTATION = st.one_of(
    st.tuples(st.just("truncate"), _frac),
    st.tuples(st.just("shuffle"), st.integers(0, 2**32 - 1)),
    st.tuples(st.just("flip"), st.lists(st.tuples(_frac, st.integers(0, 7)), min_size=1,
                                        max_size=8)),
    st.tuples(st.just("duplicate"), _frac, st.integers(1, 5)),
    st.tuples(st.just("delete_lines"), _frac, st.integers(1, 5)),
    st.tuples(st.just("reencode_line"), st.sampled_from(ENCODINGS), _frac),
    st.tuples(st.just("reencode_all"), st.sampled_from(ENCODINGS)),
    st.tuples(st.just("insert"), st.sampled_from(CONTROL), st.lists(_frac, min_size=1,
                                                                    max_size=6)),
    st.tuples(st.just("insert"), st.sampled_from(MARKS).map(str.encode),
              st.lists(_frac, min_size=1, max_size=6)),
    st.tuples(st.just("splice"), _frac, st.binary(min_size=1, max_size=40)),
    # a run of one character (what makes a backtracking regex or a per-character loop blow up);
    st.tuples(st.just("pump"), _frac, st.sampled_from(["", *MARKS, " ", "0", ":", "[", "/"]),
              st.integers(2, 3000)),
)


def _at(data: bytes | list, frac: float) -> int:
    return min(int(frac * len(data)), max(len(data) - 1, 0)) if data else 0


def mutate(data: bytes, mutation: tuple) -> bytes:
    op, *args = mutation
    if op == "truncate":
        return data[: int(args[0] * len(data))]
    if op == "shuffle":
        lines = data.split(b"\n")
        random.Random(args[0]).shuffle(lines)
        return b"\n".join(lines)
    if op == "flip":
        out = bytearray(data)
        for frac, bit in args[0]:
            if out:
                out[_at(out, frac)] ^= 1 << bit
        return bytes(out)
    if op in ("duplicate", "delete_lines"):
        lines = data.split(b"\n")
        i = _at(lines, args[0])
        if op == "duplicate":
            lines[i:i] = [lines[i]] * args[1]
        else:
            del lines[i : i + args[1]]
        return b"\n".join(lines)
    if op == "reencode_line":
        lines = data.split(b"\n")
        i = _at(lines, args[1])
        lines[i] = lines[i].decode("utf-8", "replace").encode(args[0], "replace")
        return b"\n".join(lines)
    if op == "reencode_all":
        return data.decode("utf-8", "replace").encode(args[0], "replace")
    if op == "insert":
        out = bytearray(data)
        for frac in sorted(args[1], reverse=True):
            pos = int(frac * len(data))
            out[pos:pos] = args[0]
        return bytes(out)
    if op == "pump":  # "" repeats the character already at that position
        text = data.decode("utf-8", "replace")
        pos = _at(text, args[0])
        ch = args[1] or (text[pos] if text else "x")
        return (text[:pos] + ch * args[2] + text[pos:]).encode("utf-8", "surrogatepass")
    if op == "splice":
        pos = int(args[0] * len(data))
        return data[:pos] + args[1] + data[pos:]
    raise AssertionError(op)


def rezip(original: bytes, mutations: list[tuple]) -> bytes:
    """Apply the mutations to every .txt inside a zip and pack it again (same names/order)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.lower().endswith(".txt"):
                for mut in mutations:
                    body = mutate(body, mut)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, body)
    return out.getvalue()


# --- tests: random bytes ---------------------------------------------------------------------


@settings(FUZZ)
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    check_outcome(data)


@settings(FUZZ)
@given(
    st.sampled_from([b"PK\x03\x04", b"PK\x05\x06", codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                     codecs.BOM_UTF16_BE, b"[", b"12/01/2024, 08:59 - ",
                     b"[12/01/2024, 08:59:00] "]),
    st.binary(max_size=2048),
)
def test_random_bytes_behind_a_magic_prefix(prefix: bytes, rest: bytes) -> None:
    check_outcome(prefix + rest)


@settings(FUZZ)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=600),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_random_text_in_each_supported_encoding(text: str, encoding: str) -> None:
    check_outcome(text.encode(encoding, "surrogatepass"))


@settings(FUZZ)
@given(st.lists(
    st.one_of(
        st.sampled_from(["12/01/2024, 08:59 - ", "[12/01/2024, 08:59:00] ", "1/12/24, 8:59 PM - ",
                         "12.01.24, 08:59 - ", "2024. 01. 12. 8:59 - ", "Uma Shah: ", ": ",
                         "\u200e", "\u202f", "\n", " ", "<Media omitted>", "~\u202fSam: ",
                         "This message was deleted", "<This message was edited>", "31/02/2024",
                         "12/01/9999, 23:59 - ", "99:99", "PM", "\u0661\u0662/\u0660\u0661/"]),
        st.text(max_size=8),
    ),
    max_size=60,
))
def test_header_like_fragments(parts: list[str]) -> None:
    """Random concatenations of header pieces, names, marks and phrases: the parser's edges."""
    check_outcome("".join(parts).encode("utf-8", "surrogatepass"))


# --- tests: mutated real exports -------------------------------------------------------------


def test_every_seed_parses() -> None:
    for name, data in SEEDS.items():
        assert check_outcome(data, name) == "parsed", name


@settings(FUZZ)
@given(st.sampled_from(TEXT_SEEDS), st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_text_exports(name: str, mutations: list[tuple]) -> None:
    data = SEEDS[name]
    for mut in mutations:
        data = mutate(data, mut)
    check_outcome(data, name)


@settings(FUZZ)
@given(st.sampled_from(TEXT_SEEDS), st.sampled_from(["day-first", "month-first", "year-first"]),
       st.lists(MUTATION, max_size=2))
def test_forced_date_order(name: str, order: str, mutations: list[tuple]) -> None:
    """--date-order forced, right or wrong for the file: a table or a sentence, never a crash."""
    data = SEEDS[name]
    for mut in mutations:
        data = mutate(data, mut)
    check_outcome(data, name, date_order=order)


@settings(FUZZ)
@given(st.sampled_from(ZIP_SEEDS), st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_zip_bytes(name: str, mutations: list[tuple]) -> None:
    data = SEEDS[name]
    for mut in mutations:
        if mut[0] in ("reencode_all", "reencode_line", "shuffle", "pump"):
            continue  # meaningless on compressed bytes
        data = mutate(data, mut)
    check_outcome(data, name)


@settings(FUZZ)
@given(st.sampled_from(ZIP_SEEDS), st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_chat_inside_a_zip(name: str, mutations: list[tuple]) -> None:
    check_outcome(rezip(SEEDS[name], mutations), name)


@settings(FUZZ)
@given(st.sampled_from(TEXT_SEEDS), st.sampled_from(ENCODINGS + ["utf-16"]),
       st.lists(_frac, min_size=1, max_size=5))
def test_headers_reencoded(name: str, encoding: str, where: list[float]) -> None:
    """Some header lines re-encoded (latin-1, cp1252, UTF-16 with and without a BOM)."""
    data = SEEDS[name]
    for frac in where:
        data = mutate(data, ("reencode_line", encoding, frac))
    check_outcome(data, name)


# --- bounded time and memory on large inputs -------------------------------------------------


def _peak(fn) -> int:
    tracemalloc.start()
    try:
        with contextlib.suppress(ExportError):
            fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _large(kind: str, size: int) -> bytes:
    rng = random.Random(kind)
    base = SEEDS["class-group-android.txt"]
    if kind == "repeated_chat":
        return base * (size // len(base))
    if kind == "shuffled_chat":
        lines = (base * (size // len(base))).split(b"\n")
        rng.shuffle(lines)
        return b"\n".join(lines)
    if kind == "random_bytes":
        return rng.randbytes(size)
    if kind == "one_huge_message":
        return b"12/01/2024, 08:59 - Uma Shah: " + b"word " * (size // 5) + b"\n"
    if kind == "many_headers":
        return b"12/01/2024, 08:59 - Uma Shah: hi\n" * (size // 34)
    if kind == "marks_everywhere":  # short runs of direction marks on every line
        return b"".join(b"\xe2\x80\x8e" * 20 + ln + b"\n" for ln in base.split(b"\n")) * (
            size // (len(base) + 1500))
    if kind == "utf16_chat":
        return codecs.BOM_UTF16_LE + (base * (size // len(base) // 2)).decode().encode("utf-16-le")
    if kind == "empty_lines":
        return b"12/01/2024, 08:59 - Uma Shah: hi\n" + b"\n" * size
    if kind == "system_lines":
        return b"12/01/2024, 08:59 - Uma Shah added Victor Ade\n" * (size // 47)
    if kind == "media_lines":
        return b"12/01/2024, 08:59 - Uma Shah: IMG-20240112-WA0001.jpg (file attached)\n" * (
            size // 72)
    raise AssertionError(kind)


LARGE = ["repeated_chat", "shuffled_chat", "random_bytes", "one_huge_message", "many_headers",
         "marks_everywhere", "utf16_chat", "empty_lines", "system_lines", "media_lines"]


@pytest.mark.parametrize("kind", LARGE)
def test_large_inputs_finish_in_time(kind: str) -> None:
    check_outcome(_large(kind, 2_000_000), "big.txt")


@pytest.mark.parametrize("kind", LARGE)
def test_large_inputs_stay_within_memory(kind: str) -> None:
    data = _large(kind, 300_000)
    peak = _peak(lambda: parse_export_bytes(data, "big.txt", sha256="0" * 64))
    assert peak < 50 * len(data) + 20 * 2**20, f"{kind}: peak {peak / 2**20:.0f} MiB"


def test_large_zip_stays_within_time_and_memory() -> None:
    text = SEEDS["class-group-android.txt"] * 100
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("WhatsApp Chat with Class 3.txt", text)
    data = buf.getvalue()
    assert check_outcome(data, "big.zip") == "parsed"
    peak = _peak(lambda: parse_export_bytes(data, "big.zip", sha256="0" * 64))
    assert peak < 50 * len(text) + 20 * 2**20


# --- bugs found by fuzzing, fixed since: regression tests -------------------------------------


@pytest.mark.parametrize("where", ["first_line", "continuation_line"])
def test_a_run_of_direction_marks_is_not_quadratic(where: str) -> None:
    """Was ~4 s for 20,000 U+200E and a hang for 350,000 (the loose header regex backtracked);
    fixed by the vectorised header locator."""
    marks = "\u200e".encode() * 350_000
    if where == "first_line":
        data = marks + b"x\n"
    else:
        data = b"12/01/2024, 08:59 - Uma Shah: hi\n" + marks + b"x\n"
    check_outcome(data)


@pytest.mark.parametrize(
    "data",
    [b"12/01/3000, 08:59 - Uma Shah: hi\n", b"[12/01/3000, 08:59:00] Uma Shah: hi\n",
     b"12/01/1600, 08:59 - Uma Shah: hi\n", b"3024-01-12 08:59 - Uma Shah: hi\n"],
    ids=["android-3000", "ios-3000", "android-1600", "year-first-3024"],
)
def test_a_year_outside_the_timestamp_range_is_refused_not_wrapped(data: bytes) -> None:
    """Was read as 1830-12-04 09:49:52.58 for the year 3000 (datetime64[ns] wrapped round)."""
    try:
        chat = parse_export_bytes(data, "chat.txt", sha256="0" * 64)
    except ExportError as exc:
        check_sentence(exc)
        return
    year = int(chat.messages["timestamp"].dt.year.iat[0])
    assert str(year) in data.decode(), f"read as year {year}"


def test_a_hostile_first_header_does_not_make_the_scan_quadratic() -> None:
    """Was time ~ spaces x lines (1.5 MB took 31 s): the signature learnt from a first header with
    20,000 spaces between date and time was tested on every line. Fixed in 923cd7a."""
    header = "12/01/2024, 09:00 - Alice Hart: hi"
    hostile = header[:11] + " " * 20_000 + header[11:] + "\n"
    data = (hostile + "x\n" * 60 + (header + "\n") * 10_000).encode()
    check_outcome(data)


def test_direction_marks_at_the_start_of_an_ios_body_are_not_quadratic() -> None:
    """Was ~2 s for 1,500 U+200E (4.5 kB) and ~34 s for 6,000: phrases.system_event's
    `^[marks]*(?:...)` backtracked. Fixed in 923cd7a."""
    data = ("[12/01/2024, 08:59:00] Zoe Grant: " + "\u200e" * 1500 + "hello\n").encode()
    check_outcome(data)


def test_two_layouts_joined_are_refused_in_one_short_sentence() -> None:
    """Was two sentences and 324 characters (found by fuzzing interleaved exports). Fixed in
    923cd7a."""
    lines = []
    for i in range(40):
        lines.append(f"12/01/2024, 09:{i:02d} - Uma Shah: message {i}")
        if i % 3 == 0:
            lines.append(f"[12/01/2024, 10:{i:02d}:00] Victor Ade: other {i}")
    data = ("\n".join(lines) + "\n").encode()
    with pytest.raises(ExportError) as err:
        parse_export_bytes(data, "WhatsApp Chat with Class 3 Parents.txt", sha256="0" * 64)
    check_sentence(err.value)
