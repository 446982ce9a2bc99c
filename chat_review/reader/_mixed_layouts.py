"""Refuse two exports joined into one file; warn about a header pasted into a message.

A continuation line that is a full header, with a real date, in *another* known layout is kept
as message text with a warning; many of them refuse the file (see `_check_mixed_layouts`).
"""

from __future__ import annotations

import numpy as np

from chat_review.errors import ExportError

from . import _byte_words, _locate, headers

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
