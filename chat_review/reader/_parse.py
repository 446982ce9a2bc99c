"""Parse a WhatsApp export's bytes into the message table (see ``chat.py``).

Pipeline, each step vectorised over the whole file (no Python code runs per message):

1. ``container.unwrap``: zip → chat file, any supported encoding → UTF-8 bytes, LF endings;
2. ``headers.detect``: the header layout from a sample of the first non-empty lines;
3. ``_locate.header_spans``: every line start is tested against that layout at once with numpy
   (the regex's elements matched greedily; the date and time numbers come out as arrays). A
   continuation line is any line that is not a header; a message's body runs from its header
   (and ``Name:``) to the next header;
4. ``dates.resolve``: date order from the whole file, timestamps via numpy per distinct date;
5. ``phrases.scan_spans``: media / deleted / edited / system phrases, prefiltered with numpy
   on each body's first and last bytes; bodies decoded per block (``_texts``).

Decisions documented here because later stages rely on them:

* iOS marks people who are not in the phone's contacts with ``~`` (``~ Sam``): the sender is
  the name *without* the ``~`` marker (``Sam``), so the same person has one name throughout.
* Direction and embedding marks are removed from sender names and attachment names only; the
  message text is kept byte for byte (no Unicode normalisation).
* System events (kind ``system``) have sender <NA>: Android lines without a ``Name:`` part,
  lines with a known "anywhere" system phrase (encryption notices), iOS lines whose body starts
  with U+200E *and* either is a known system phrase or comes from the group's name (a sender
  whose every line is marked and who has at least one known notice). An unmarked line is never
  made a system event for looking like one (a participant may write "Ana left"). Any other iOS
  line starting with U+200E
  stays the sender's message and is counted in a warning: an unknown notice shown as a message
  is visible to the reader, a parent's message turned into a notice would not be.
* Mixed layouts: a continuation line that is a full header, with a real date, in *another*
  known layout is kept as message text with a warning (a forwarded or pasted message). When
  there are at least MIXED_REFUSE_COUNT of them and they are at least MIXED_REFUSE_SHARE of
  the messages, the file is refused: two exports were joined, and reading on would glue whole
  conversations onto single messages.
* Impossible dates (31/02), times (24:00, :60) and years outside 1678-2261 are refused with an
  ExportError naming the line.
"""

from __future__ import annotations

import ctypes
import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache

import numpy as np
import pandas as pd

from chat_review.errors import ExportError

from . import _byte_words, _locate, dates, headers, phrases
from .chat import KINDS, Chat, ChatMetadata, empty_messages
from .container import unwrap

SAMPLE_LINES = 50
BACKWARD_TOLERANCE_S = 5 * 60
TRUNCATION_LIMIT = 39_000
TRUNCATION_LIMIT_MEDIA = 9_900
_K_TEXT, _K_MEDIA, _K_DELETED, _K_SYSTEM = (KINDS.index(k) for k in KINDS)
_QUOTES = tuple(q.encode() for q in "\"“”„«»")


def release_freed_memory() -> None:
    """Give the C heap's free pages back to the system (glibc ``malloc_trim``; elsewhere a
    no-op). The numpy steps before the texts free far more than they keep, but in the middle of
    the heap, where glibc keeps it; the message texts (one str each) then come from fresh
    memory, so without this the freed pages count twice at the reader's peak (about 40 MiB on
    a million messages)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (AttributeError, OSError, TypeError):  # not glibc
        return None


@contextmanager
def _no_gc() -> Iterator[None]:
    """Millions of small tuples trigger the cyclic GC over and over; none of them are cycles."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _sample(buf: bytes) -> list[str]:
    out: list[str] = []
    for raw in buf[: 1 << 20].split(b"\n"):
        if raw.strip():
            out.append(raw.decode("utf-8", "replace"))
            if len(out) >= SAMPLE_LINES:
                break
    return out


def parse_export_bytes(
    data: bytes, source_name: str, *, sha256: str, date_order: str | None = None
) -> Chat:
    """Parse an export (``.txt`` or ``.zip`` bytes) into a `Chat`; ExportError if unreadable."""
    un = unwrap(data, source_name)
    buf = un.data
    del data
    name = un.inner_name or source_name
    sample = _sample(buf)
    if not sample:
        raise ExportError(
            f"{name} has no text; export the chat again from WhatsApp (More > Export chat)."
        )
    found = headers.detect(sample)
    if found is None:
        raise ExportError(
            f"{name} is not a WhatsApp chat export chat-review can read: none of its first "
            f"{len(sample)} lines starts with a date and time like '31/12/2024, 23:59 - Name:'; "
            "check you chose the exported chat file."
        )
    sig, _hits = found
    period_word = headers.day_period_word(sample)
    if period_word is not None:
        raise ExportError(
            f"{name} writes a word chat-review does not know between the date and the hour "
            f"('{period_word}'), which may change the hour; export the chat again with the "
            "phone's clock set to 24-hour time."
        )
    end = len(buf)
    while end and buf[end - 1] == 0x0A:
        end -= 1
    arr = np.frombuffer(buf, dtype=np.uint8)
    nl = _byte_words.positions_of(arr, 0x0A, 0, end)
    line_starts = np.concatenate((np.zeros(1, dtype=np.int64), nl + 1))
    head_re = re.compile(headers.header_pattern(sig, capture=True))
    if _locate.greedy_safe(sig):
        found_h = _locate.header_spans(buf, arr, line_starts, end, sig, head_re)
    else:
        found_h = _locate.header_spans_regex(buf, line_starts, end, head_re)
    if not len(found_h.start):  # the sample matched loosely but no line matches strictly
        raise ExportError(
            f"{name} has no complete message header; it is not a WhatsApp export "
            "chat-review can read."
        )
    warnings: list[str] = list(un.warnings)
    _check_mixed_layouts(buf, arr, line_starts, end, found_h, sig, warnings, name)
    first_start = int(found_h.start[0])
    first_line = int(found_h.line_index[0]) + 1
    pre = [ln for ln in buf[:first_start].split(b"\n") if ln.strip()]
    if pre:
        warnings.append(
            f"{len(pre)} line(s) before the first message (line {first_line}) are not messages "
            "and were left out."
        )
    del line_starts
    with _no_gc():  # (no local keeps the line ends: _build frees them when it is done)
        chat = _build(buf, arr, _line_ends(nl, end, found_h.line_index), end, found_h,
                      head_re, sig, date_order, warnings, name)
    meta = chat.meta
    meta.source_name = source_name
    meta.sha256 = sha256
    meta.encoding = un.encoding
    meta.container = un.container
    meta.inner_name = un.inner_name
    return chat


def _line_ends(nl: np.ndarray, end: int, line_index: np.ndarray) -> np.ndarray:
    """Where each of the lines ``line_index`` ends: at its newline, or at the end of the text."""
    return np.append(nl, end)[line_index]


#: Header-like lines in another layout: at least this many, and this share of all messages,
#: and the file is refused as a mix of two exports; fewer only warn.
MIXED_REFUSE_COUNT = 10
MIXED_REFUSE_SHARE = 0.05
#: Continuation lines starting like a date that are checked (a bound on the Python loop; a
#: chat has far fewer — past it the count in the warning is a lower bound).
MIXED_CHECK_LIMIT = 200_000


def _check_mixed_layouts(
    buf: bytes,
    arr: np.ndarray,
    line_starts: np.ndarray,
    end: int,
    found: _locate.Headers,
    sig: headers.Signature,
    warnings: list[str],
    name: str,
) -> None:
    """Find continuation lines that are full headers (with a real date) in *another* layout.

    A few are usually a forwarded or pasted message and stay message text, with a warning. Many
    mean two exports were pasted together (or the layout changed mid-file); reading on would
    silently glue whole conversations onto single messages, so the file is refused.
    """
    is_head = np.zeros(len(line_starts), dtype=bool)
    is_head[found.line_index] = True
    first = arr[np.minimum(line_starts, len(arr) - 1)]
    maybe = ((first >= 0x30) & (first <= 0x39)) | (first == 0x5B) | (first == 0xE2)
    maybe |= (first == 0xD9) | (first == 0xDB)
    maybe &= ~is_head & (line_starts < end)
    maybe[: int(found.line_index[0])] = False  # lines before the first message are reported apart
    cand = np.flatnonzero(maybe)[:MIXED_CHECK_LIMIT]
    cand = cand[_may_start_a_header(buf, line_starts[cand])]
    count = 0
    first_line, first_text = 0, ""
    for i in cand.tolist():
        p = int(line_starts[i])
        raw = buf[p : min(p + 200, end)].split(b"\n", 1)[0]
        m = headers.loose_match(raw.decode("utf-8", "replace"))
        if m is None or not headers.plausible(m):
            continue
        s = headers.signature_of(m)
        if s == sig:
            continue
        count += 1
        if count == 1:
            first_line, first_text = i + 1, m.group(0).strip()
    if not count:
        return
    n = len(found.start)
    if count >= MIXED_REFUSE_COUNT and count >= MIXED_REFUSE_SHARE * n:
        raise ExportError(
            f"{name} mixes two message layouts ({count} lines inside messages start like "
            f"'{first_text}', first at line {first_line}), as if two exports were joined; "
            "export each chat again from WhatsApp and give chat-review one at a time."
        )
    warnings.append(
        f"{count} line(s) inside messages look like message headers in another layout "
        f"(first at line {first_line}: '{first_text}'); they were kept as part of the message "
        "above them — check those lines if the chat was pasted together from two exports."
    )


_SEPARATORS = np.array([ord(c) for c in "./-:"], dtype=np.int64)
_MARK_INTS = np.array([int.from_bytes(m.encode(), "little") for m in headers.MARKS],
                      dtype=np.uint64)


def _may_start_a_header(buf: bytes, starts: np.ndarray) -> np.ndarray:
    """False where the line at a start cannot be a header of any layout (`headers.loose_match`,
    which needs a digit after any direction marks and "["), so most continuation lines are
    dropped without a Python call each ("• Monday: PE", "2 tickets", "10am?"):

    * a line starting with a 3-byte character that is not a direction mark ("•");
    * a line starting with a 2-byte Arabic character that is not an Arabic-Indic digit;
    * a line starting with 1-4 ASCII digits followed by a byte that is neither a date or time
      separator (. / - :) nor non-ASCII (a mark, an Arabic-Indic digit).

    Other lines are left to the regex.
    """
    word = _byte_words._load8(buf, _byte_words.words8(buf), starts)
    byte = [((word >> np.uint64(8 * k)) & np.uint64(0xFF)).astype(np.int64) for k in range(5)]
    digit = [(b >= 0x30) & (b <= 0x39) for b in byte]
    lead3 = (byte[0] == 0xE2) | (byte[0] == 0xEF)
    keep = lead3 & np.isin(word & np.uint64(0xFFFFFF), _MARK_INTS)
    keep |= (byte[0] == 0xD9) & (byte[1] >= 0xA0) & (byte[1] <= 0xA9)
    keep |= (byte[0] == 0xDB) & (byte[1] >= 0xB0) & (byte[1] <= 0xB9)
    keep |= ~(lead3 | digit[0] | (byte[0] == 0xD9) | (byte[0] == 0xDB))
    run = digit[0]  # still inside the leading digit run
    for k in range(1, 5):
        after = run & ~digit[k]  # byte k is the first one after the run
        keep |= after & (np.isin(byte[k], _SEPARATORS) | (byte[k] >= 0x80))
        run &= digit[k]
    return keep


def _build(
    buf: bytes,
    arr: np.ndarray,
    line_end: np.ndarray,
    end: int,
    h: _locate.Headers,
    head_re: re.Pattern[bytes],
    sig: headers.Signature,
    date_order: str | None,
    warnings: list[str],
    name: str,
) -> Chat:
    n = len(h.start)
    line = h.line_index + 1

    def group_text(i: int, g: int) -> str:
        m = head_re.match(buf, int(h.start[i]), end)
        return dates.clean(m.group(g)) if m else "?"

    if sig.period:  # Japanese clocks run 午前0:05 .. 午後11:59; hour 0 is 12 a.m./p.m.
        h.hour[h.hour == 0] = 12
    if sig.era == "BE":  # Buddhist-era years: 2565 BE is 2022
        h.fields[:, 2] -= headers.BUDDHIST_OFFSET
    elif sig.era:  # Japanese-era years: R4 is 2022
        h.fields[:, 2] += headers.ERA_START[sig.era]
    # dates: one code per distinct (first, second, third) number triple
    f64 = h.fields.astype(np.int64)
    key = (f64[:, 0] * 100 + f64[:, 1]) * 10_000 + f64[:, 2]
    del f64
    d_codes, _ = pd.factorize(key)
    d_codes = d_codes.astype(np.int64, copy=False)
    d_first = _byte_words.first_of_codes(d_codes)
    secs = dates.time_seconds(
        h.hour, h.minute, h.second, h.ampm, line, lambda i: group_text(i, 2), warnings
    )
    res = dates.resolve(
        d_codes, h.fields[d_first], lambda j: group_text(int(d_first[j]), 1), line[d_first],
        secs, year_first=sig.year_first,
        override="day-first" if sig.month_name and date_order is None else date_order,
    )
    if sig.month_name and date_order is None:
        res.rule = "the month is written as a word (28 Aug 2013), so the date is day-month-year"
    del secs, key, d_codes
    h.fields = h.hour = h.minute = h.second = h.ampm = h.line_index = None  # type: ignore[assignment]

    # senders: the text between the header and the first colon on its line
    w = _byte_words.words8(buf)
    colon = _byte_words.find_colon(buf, w, h.end, end)
    has = colon >= 0
    body_start = np.where(has, colon + 1, h.end)
    space = has & (body_start < end) & (arr[np.minimum(body_start, len(arr) - 1)] == 0x20)
    body_start += space
    body_end = np.empty(n, dtype=np.int64)
    body_end[:-1] = h.start[1:] - 1
    body_end[-1] = end
    s_rows = np.flatnonzero(has)
    s_codes = np.full(n, -1, dtype=np.int64)
    sc, s_first = _byte_words.factorize_spans(buf, w, h.end[s_rows], colon[s_rows] - h.end[s_rows])
    s_codes[s_rows] = sc
    del w, sc
    s_uniq: list[bytes | None] = [
        buf[int(h.end[r]) : int(colon[r])] for r in s_rows[s_first].tolist()
    ]
    s_codes[s_codes < 0] = len(s_uniq)
    s_uniq.append(None)
    no_sender = np.zeros(len(s_uniq), dtype=bool)
    not_a_name = np.zeros(len(s_uniq), dtype=bool)
    for j, s in enumerate(s_uniq):
        if s is None or not s.strip():
            no_sender[j] = True
        elif not sig.bracket and (_looks_like_system(s) or s in phrases.colon_prefixes()):
            not_a_name[j] = True
    sys_line = no_sender[s_codes]
    rejoin = not_a_name[s_codes]  # the "sender" was part of a system sentence with a colon
    body_start = np.where(rejoin, h.end, body_start)
    sys_line |= rejoin
    body_start = np.minimum(body_start, body_end)
    # the arrays no later step needs go before the texts are made (the peak of the reader)
    del colon, has, space, s_rows, rejoin
    h.start = h.end = None  # type: ignore[assignment]

    # the header's line holds the body's start (the sender and colon are on it)
    first_line_end = np.minimum(line_end, body_end)
    del line_end
    cls = phrases.scan_spans(buf, body_start, body_end, first_line_end)
    del first_line_end, body_end
    kind = np.zeros(n, dtype=np.int8)
    marked = cls.marked
    kind[sys_line | cls.system] = _K_SYSTEM
    kind[cls.media & ~sys_line] = _K_MEDIA
    kind[cls.deleted & ~sys_line] = _K_DELETED

    release_freed_memory()
    text = _texts(arr, body_start, cls.text_end)
    del body_start
    cls.text_end = None  # type: ignore[assignment]
    if sig.bracket:
        _marked_lines(kind, marked, s_codes, text, line, warnings)
    sender_names = [_clean_sender(s) for s in s_uniq]
    sender_arr = np.array([pd.NA if s is None else s for s in sender_names] + [pd.NA], dtype=object)
    s_codes[kind == _K_SYSTEM] = len(sender_names)  # (s_codes is not needed after this)
    sender = pd.arrays.StringArray(sender_arr[s_codes])
    del s_codes

    attach = np.full(n, pd.NA, dtype=object)
    for i, raw in cls.attachment.items():
        if kind[i] == _K_MEDIA:
            attach[i] = raw.decode().translate(headers.MARK_TABLE).strip()

    msgs = pd.DataFrame(
        {
            "timestamp": pd.Series(res.timestamps, dtype="datetime64[ns]"),
            "sender": sender,
            "kind": pd.Categorical.from_codes(kind, categories=KINDS),
            "text": text,
            "edited": cls.edited,
            "attachment": pd.arrays.StringArray(attach),
            "line": line,
        },
        copy=False,
    )
    del text
    _warn_time(res.timestamps, line, warnings)
    if res.ambiguous:
        why = res.rule.removeprefix("not proven (").removesuffix(
            "); assumed day-first, the UK default")
        warnings.append(
            f"The date order could not be proven from the file (no day above 12; {why}); it "
            "was read day-first, the UK default — if the chat came from a US phone, re-run "
            "with --date-order month-first."
        )
    counts = {k: int(v) for k, v in zip(KINDS, np.bincount(kind, minlength=4), strict=True)}
    _warn_truncated(msgs, counts, warnings)
    meta = ChatMetadata(
        source_name=name,
        sha256="",
        platform=sig.platform,
        date_order=res.order,
        date_order_rule=res.rule + _layout_notes(sig),
        date_order_ambiguous=res.ambiguous,
        encoding="",
        container="",
        counts_by_kind=counts,
        warnings=warnings,
    )
    if msgs.empty:  # pragma: no cover - there is always a first header
        msgs = empty_messages()
    return Chat(msgs, meta)


def _layout_notes(sig: headers.Signature) -> str:
    """How the header's calendar and clock were read, added to the recorded date rule."""
    notes = []
    if sig.era == "BE":
        notes.append(f"years are Buddhist-era, {headers.BUDDHIST_OFFSET} ahead (2565 BE = 2022)")
    elif sig.era:
        start = headers.ERA_START[sig.era]
        notes.append(f"years are Japanese-era {sig.era} years ({sig.era}1 = {start + 1})")
    if sig.time_first:
        notes.append("the time is written before the date")
    if sig.month_name:
        notes.append("months are English abbreviations")
    if sig.period:
        notes.append("the hour follows a time-of-day word (a.m./p.m. words such as 오후 = p.m.)")
    return "; " + "; ".join(notes) if notes else ""


_TEXT_BLOCK = 1 << 20


def _texts(arr: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> pd.arrays.StringArray:
    """Each body ``arr[starts[i]:ends[i]]`` as a str.

    Per block of about 1 MiB: the bodies are copied out with numpy, separated by NUL (which a
    chat never contains), decoded once and split, so no Python code runs per message.
    """
    n = len(starts)
    out = np.empty(n, dtype=object)
    i = 0
    while i < n:
        j = int(np.searchsorted(ends, starts[i] + _TEXT_BLOCK, side="right"))
        j = min(max(j, i + 1), n)
        a = int(starts[i])
        s = starts[i:j] - a
        e = ends[i:j] - a
        seg = np.zeros(int(e[-1]) + 1, dtype=np.uint8)
        stop = min(a + len(seg), len(arr))
        seg[: stop - a] = arr[a:stop]
        seg[e] = 0  # the newline (or end of text) after each body becomes the separator
        # runs: body 0 and its separator, the next header, body 1 and its separator, ...
        runs = np.empty(2 * (j - i), dtype=np.int64)
        runs[0::2] = e - s + 1
        runs[1:-1:2] = s[1:] - e[:-1] - 1
        runs[-1] = 0
        keep = np.repeat(np.tile(np.array([True, False]), j - i), runs)
        parts = seg[keep].tobytes().decode().split("\x00")
        if len(parts) != j - i + 1:  # pragma: no cover - a NUL is refused by the container
            raise ExportError("The chat text contains a NUL byte; please report the export.")
        parts.pop()
        out[i:j] = parts
        i = j
    return pd.arrays.StringArray(out)


def _looks_like_system(sender: bytes) -> bool:
    """An Android 'sender' that is really the start of a system sentence: it has an unbalanced
    quotation mark (``X changed the subject to "Trip: Friday"``) or is far too long for a name."""
    if len(sender) > 120:
        return True
    straight = sender.count(b'"')
    curly = sum(sender.count(q) for q in _QUOTES[1:])
    return straight % 2 == 1 or curly % 2 == 1


def _clean_sender(raw: object) -> str | None:
    if not isinstance(raw, bytes):
        return None
    s = raw.decode().translate(headers.MARK_TABLE).strip()
    if s.startswith("~"):
        s = s[1:].strip(headers.SPACES)
    return s or None


def _marked_lines(
    kind: np.ndarray,
    marked: np.ndarray,
    s_codes: np.ndarray,
    text: pd.arrays.StringArray,
    line: np.ndarray,
    warnings: list[str],
) -> None:
    """iOS starts system notices with U+200E, but a participant's own message can start with
    one too (pasted text, some keyboards). A marked text line is a system event only when

    * its text (marks aside) is a known system phrase, or
    * its "sender" is the group's name: every line of that sender is marked and at least one
      of them is a known system phrase;

    every other marked line stays the sender's message, and is counted in a warning.
    """
    cand = np.flatnonzero(marked & (kind == _K_TEXT))
    if not len(cand):
        return
    known = np.array([phrases.system_event(text[i]) is not None for i in cand.tolist()],
                     dtype=bool)
    kind[cand[known]] = _K_SYSTEM
    rest = cand[~known]
    if not len(rest):
        return
    n_codes = int(s_codes.max()) + 1
    unmarked = np.bincount(s_codes, weights=~marked, minlength=n_codes)
    has_event = np.bincount(s_codes[cand[known]], minlength=n_codes) > 0
    group = (unmarked == 0) & has_event
    as_group = group[s_codes[rest]]
    kind[rest[as_group]] = _K_SYSTEM
    kept = rest[~as_group]
    if len(kept):
        warnings.append(
            f"{len(kept)} message(s) start with the invisible mark iOS puts on system notices "
            f"but are not a notice chat-review knows (first at line {line[kept[0]]}); they were "
            "kept as the sender's messages."
        )


def _warn_time(ts: np.ndarray, line: np.ndarray, warnings: list[str]) -> None:
    if len(ts) < 2:
        return
    # (a step below -tolerance seconds: one temporary, not three, at the reader's peak)
    back = np.flatnonzero(np.diff(ts.view(np.int64)) < -BACKWARD_TOLERANCE_S * dates.NS_PER_S)
    if len(back):
        warnings.append(
            f"The timestamps go backwards by more than {BACKWARD_TOLERANCE_S // 60} minutes "
            f"{len(back)} time(s) (first at line {line[back[0] + 1]}); messages are kept in "
            "file order — the phone's clock or time zone may have changed."
        )


def _warn_truncated(msgs: pd.DataFrame, counts: dict[str, int], warnings: list[str]) -> None:
    n = len(msgs)
    if not (n >= TRUNCATION_LIMIT or (n >= TRUNCATION_LIMIT_MEDIA and counts["media"])):
        return
    if msgs["kind"].iat[0] == "system":
        event = phrases.system_event(str(msgs["text"].iat[0]))
        if event in ("encryption", "created"):
            return
    warnings.append(
        f"The export has {n:,} messages and does not start with the chat's first event; "
        "WhatsApp exports only about the last 40,000 messages (10,000 with media), so earlier "
        "messages may be missing."
    )
