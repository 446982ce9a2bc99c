"""Recognise message header lines.

Detection works on a decoded sample (the first non-empty lines) with a loose pattern that knows
every date/time layout we support, and records the *signature* of the layout it saw (brackets,
separators, the words between date and time, 12/24 h, seconds, the separator before the sender).
The scanner then compiles one strict **bytes** pattern for exactly that signature and runs it
over the whole file, so pasted text that merely resembles a header (a date without a time, a
``Name: text`` line) stays part of the message it was pasted in.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Direction and embedding marks WhatsApp sprinkles into headers and sender names.
MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
MARK_TABLE = str.maketrans("", "", MARKS)
SPACES = " \u00a0\u202f\u2009"
_MK = f"[{MARKS}]"
_SP = f"[{SPACES}]"
_DG = "[0-9\u0660-\u0669\u06f0-\u06f9]"
# AM/PM: AM, am, a.m., a. m., and the Arabic ص (AM) / م (PM).
_AMPM = rf"(?:[AaPp]\.?{_SP}?[Mm]\.?|\u0635|\u0645)"

LOOSE = re.compile(
    rf"^{_MK}*(?:(?P<br>\[){_MK}*)?"  # never two mark runs in a row: no quadratic backtracking
    rf"(?P<a>{_DG}{{1,4}}){_MK}*(?P<s1>\.{_SP}|[./-]){_MK}*"
    rf"(?P<b>{_DG}{{1,2}}){_MK}*(?P<s2>\.{_SP}|[./-]){_MK}*"
    rf"(?P<c>{_DG}{{1,4}}){_MK}*(?P<tr>\.)?"
    # between date and time: a comma and a space or two, maybe a short word ("à", "klo", "um");
    # bounded, so a hostile first line cannot make every line's test long
    rf"(?P<mid>[,\u060c]?{_SP}{{0,3}}(?:[^\W\d_]{{1,5}}\.?{_SP}{{1,3}})?)"
    rf"(?P<H>{_DG}{{1,2}})(?P<ts>[:.])(?P<M>{_DG}{{2}})(?:[:.](?P<S>{_DG}{{2}}))?"
    rf"(?P<ap>{_SP}?{_AMPM})?{_MK}*"
    rf"(?P<close>\]{_SP}?|{_SP}[-\u2013]{_SP}|:{_SP})"
)


@dataclass(frozen=True)
class Signature:
    """The layout of one export's header lines."""

    bracket: bool
    year_first: bool
    s1: str
    s2: str
    trailing_dot: bool
    mid: str
    time_sep: str
    seconds: bool
    ampm: bool
    close: str
    non_ascii_digits: bool

    @property
    def platform(self) -> str:
        return "ios" if self.bracket else "android"


def signature_of(m: re.Match[str]) -> Signature:
    """The layout of a header line matched by `LOOSE`."""
    g = m.groupdict()
    a = g["a"].translate(MARK_TABLE)
    digits = a + g["b"] + g["c"] + g["H"] + g["M"]
    return Signature(
        bracket=bool(g["br"]),
        year_first=len(a) == 4,
        s1=g["s1"],
        s2=g["s2"],
        trailing_dot=bool(g["tr"]),
        mid=g["mid"],
        time_sep=g["ts"],
        seconds=g["S"] is not None,
        ampm=g["ap"] is not None,
        close=g["close"],
        non_ascii_digits=not digits.isascii(),
    )


#: Arabic-Indic and Eastern Arabic-Indic digits to ASCII.
DIGIT_TABLE = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def plausible(m: re.Match[str]) -> bool:
    """A LOOSE match whose date is a real day (in some order, 2009-2100) and time a real time."""
    g = m.groupdict()
    a, b, c, hh, mm = (
        int(g[k].translate(MARK_TABLE).translate(DIGIT_TABLE)) for k in ("a", "b", "c", "H", "M")
    )
    if mm > 59 or hh > 23:
        return False
    if len(g["a"].translate(MARK_TABLE)) == 4:
        orders = [(a, b, c)]
    else:
        year = c + 2000 if c < 100 else c
        orders = [(year, b, a), (year, a, b)]
    return any(2009 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31 for y, mo, d in orders)


def detect(sample_lines: list[str]) -> tuple[Signature, int] | None:
    """Find the header signature used by most of the sample lines; None if no line is a header.

    Returns the signature and how many sample lines matched it.
    """
    sigs: Counter[Signature] = Counter()
    for line in sample_lines:
        m = LOOSE.match(line)
        if m:
            sigs[signature_of(m)] += 1
    if not sigs:
        return None
    # Normalise close variants (']' with or without a space) by picking the most common.
    return sigs.most_common(1)[0]


# Words for the time of day that some locales write *before* the hour (Korean, Japanese,
# Chinese, Thai...). They look like the harmless locale words between date and time ("à",
# "klo", "um"), but they change the hour: reading "오후 11:59" as 11:59 would be 12 hours off.
DAY_PERIOD_WORDS = frozenset({
    "오전", "오후",  # Korean a.m. / p.m.
    "午前", "午後",  # Japanese
    "上午", "下午", "中午", "凌晨", "早上", "晚上", "傍晚", "清晨", "半夜",  # Chinese
    "ก่อนเที่ยง", "หลังเที่ยง",  # Thai
})


def day_period_word(sample_lines: list[str]) -> str | None:
    """A morning/afternoon word written before the hour in the sample's headers, if any.

    Such a word is either a known one, or any word between date and time that changes from one
    header to the next (a constant word like "à" never does).
    """
    words: Counter[str] = Counter()
    for line in sample_lines:
        m = LOOSE.match(line)
        if m and plausible(m):
            word = m.group("mid").strip(SPACES + ",\u060c.")
            if word:
                words[word] += 1
    for word in words:
        if word in DAY_PERIOD_WORDS:
            return word
    return min(words) if len(words) > 1 else None


# Byte-level classes (first byte decides fast): U+200E/F, U+202A-E, U+2066-9, U+FEFF; and
# U+0020, U+00A0, U+202F, U+2009.
MK_B = rb"(?:\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xef\xbb\xbf)"
SP_B = rb"(?: |\xc2\xa0|\xe2\x80[\xaf\x89])"
assert re.fullmatch(b"(?:" + MK_B + b")+", MARKS.encode())
assert re.fullmatch(b"(?:" + SP_B + b")+", SPACES.encode())
_DG_ASCII = b"[0-9]"
_DG_ANY = rb"(?:[0-9]|\xd9[\xa0-\xa9]|\xdb[\xb0-\xb9])"
_AMPM_B = (
    rb"(?:[AaPp]\.?" + SP_B + rb"?[Mm]\.?|" + "\u0635".encode() + b"|" + "\u0645".encode() + b")"
)


def _lit(text: str) -> bytes:
    """Literal text as a bytes pattern, any of the four space characters matching any other."""
    out = []
    for ch in text:
        out.append(SP_B if ch in SPACES else re.escape(ch.encode()))
    return b"".join(out)


def header_pattern(sig: Signature, *, capture: bool) -> bytes:
    """The strict bytes pattern of a header for ``sig`` (date, time and separator).

    With ``capture`` the date and the time are groups 1 and 2.
    """
    d = _DG_ANY if sig.non_ascii_digits else _DG_ASCII
    mk = MK_B + b"*"
    if sig.year_first:
        a, c = d + b"{4}", d + b"{1,2}"
    else:
        a, c = d + b"{1,2}", d + b"{2}(?:" + d + b"{2})?"
    b = d + b"{1,2}"
    date = (
        a + mk + _lit(sig.s1) + mk + b + mk + _lit(sig.s2) + mk + c + mk
        + (rb"\." if sig.trailing_dot else b"")
    )
    ts = re.escape(sig.time_sep.encode())
    time = d + b"{1,2}" + ts + d + b"{2}" + ((ts + d + b"{2}") if sig.seconds else b"")
    if sig.ampm:
        time += SP_B + b"?" + _AMPM_B
    if capture:
        date, time = b"(" + date + b")", b"(" + time + b")"
    head = mk + (rb"\[" + mk if sig.bracket else b"")
    close = rb"\]" + SP_B + b"?" if sig.bracket else _lit(sig.close)
    return head + date + _lit(sig.mid) + time + mk + close
