"""Parse a WhatsApp export's bytes into the message table (see ``chat.py``).

Pipeline, each step vectorised over the whole file (no Python code runs per message):

1. ``container.unwrap``: zip → chat file, any supported encoding → UTF-8 bytes, LF endings;
2. ``headers.detect``: the header layout from a sample of the first non-empty lines;
3. ``_locate.header_spans``: every line start is tested against that layout at once with numpy
   (the regex's elements matched greedily, or a layout learnt from them; the date and time
   numbers come out as arrays). A continuation line is any line that is not a header; a
   message's body runs from its header (and ``Name:``) to the next header;
4. ``dates.resolve``: date order from the whole file, timestamps via numpy per distinct date;
5. ``phrases.scan_spans``: media / deleted / edited / system phrases, prefiltered with numpy
   on each body's first and last bytes. The texts stay spans of the bytes
   (``texts.MessageTexts``), decoded only when asked for.

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
  ExportError naming the line; Solar Hijri (Persian) years are converted and Islamic lunar
  Hijri years refused (see ``dates`` and ``solar_hijri``).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd

from chat_review.errors import ExportError

from . import _byte_words, _locate, dates, headers, phrases
from ._mixed_layouts import _check_mixed_layouts
from ._read_notes import _layout_notes, _warn_time, _warn_truncated
from .chat import KINDS, Chat, ChatMetadata, SenderCodes, empty_messages
from .container import unwrap
from .texts import MessageTexts

SAMPLE_LINES = 50
_K_TEXT, _K_MEDIA, _K_DELETED, _K_SYSTEM = (KINDS.index(k) for k in KINDS)
_QUOTES = tuple(q.encode() for q in "\"“”„«»")


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
        secs, year_first=sig.year_first, gregorian=sig.month_name or bool(sig.era),
        override="day-first" if sig.month_name and date_order is None else date_order,
    )
    if sig.month_name and date_order is None:
        res.rule = "the month is written as a word (28 Aug 2013), so the date is day-month-year"
    if res.calendar_note:
        warnings.append(res.calendar_note)
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

    texts = MessageTexts(buf, body_start, cls.text_end)
    del body_start
    cls.text_end = None  # type: ignore[assignment]
    if sig.bracket:
        _marked_lines(kind, marked, s_codes, texts, line, warnings)
    s_codes[kind == _K_SYSTEM] = len(s_uniq) - 1  # the trailing None: no sender
    senders = SenderCodes.numbered(s_codes, [_clean_sender(s) for s in s_uniq])
    del s_codes
    attachments = {
        i: raw.decode().translate(headers.MARK_TABLE).strip()
        for i, raw in cls.attachment.items() if kind[i] == _K_MEDIA
    }
    msgs = pd.DataFrame(
        {
            "timestamp": pd.Series(res.timestamps, dtype="datetime64[ns]"),
            "kind": pd.Categorical.from_codes(kind, categories=KINDS),
            "edited": cls.edited,
            "line": line,
        },
        copy=False,
    )
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
    _warn_truncated(msgs, texts, counts, warnings)
    meta = ChatMetadata(
        source_name=name,
        sha256="",
        platform=sig.platform,
        date_order=res.order,
        date_order_rule=res.rule + res.calendar_rule + _layout_notes(sig),
        date_order_ambiguous=res.ambiguous,
        encoding="",
        container="",
        counts_by_kind=counts,
        warnings=warnings,
    )
    if msgs.empty:  # pragma: no cover - there is always a first header
        return Chat(empty_messages(), meta)
    return Chat(msgs, meta, texts=texts, senders=senders, attachments=attachments)


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
    texts: MessageTexts,
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
    known = np.array([phrases.system_event(t) is not None for t in texts[cand].tolist()],
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


