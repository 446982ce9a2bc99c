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
# AM/PM: AM, am, a.m., a. m., the Arabic ص (AM) / م (PM) and the Persian ق.ظ. / ب.ظ.
_AMPM_WORDS_RE = "|".join(
    w.replace(" ", _SP)
    for w in ("in the morning", "in the afternoon", "in the evening", "at night")
)
_AMPM = (
    rf"(?:[AaPp]\.?{_SP}?[Mm]\.?|\u0635|\u0645|[\u0642\u0628]\.\u0638\.?|{_AMPM_WORDS_RE})"
)
#: Time-of-day words after the time ("9:15 in the morning", some English exports): a.m. (1),
#: p.m. (2), or 3 for "at night", which is a.m. at 12 and before 6 and p.m. after.
AMPM_WORDS = {"in the morning": 1, "in the afternoon": 2, "in the evening": 2, "at night": 3}

# Words for the time of day that some locales write *before* the hour (Korean, Japanese,
# Chinese, Thai). They change the hour ("오후 11:59" is 23:59), so each is read: 1 = a.m.,
# 2 = p.m.; noon and midnight depend on the hour (see `period_ampm`).
PERIOD_AM = ("오전", "午前", "上午", "凌晨", "早上", "清晨", "ก่อนเที่ยง")
PERIOD_PM = ("오후", "午後", "下午", "晚上", "傍晚", "หลังเที่ยง")
PERIOD_NOON, PERIOD_MIDNIGHT = ("中午",), ("半夜",)
PERIOD_WORDS = PERIOD_AM + PERIOD_PM + PERIOD_NOON + PERIOD_MIDNIGHT
_PW = "|".join(sorted(PERIOD_WORDS, key=len, reverse=True))
# A Japanese-era year ("R4" = Reiwa 4 = 2022) or a Buddhist-era year ("2565 BE" = 2022).
ERA_START = {"R": 2018, "H": 1988}  # year 1 of Reiwa is 2019, of Heisei 1989
BUDDHIST_OFFSET = 543

_DATE = (
    rf"(?P<a>{_DG}{{1,4}}){_MK}*(?P<s1>\.{_SP}|[./-]){_MK}*"
    rf"(?P<b>{_DG}{{1,2}}){_MK}*(?P<s2>\.{_SP}|[./-]){_MK}*"
    rf"(?P<era>[RH](?={_DG}))?(?P<c>{_DG}{{1,4}})(?P<be>{_SP}BE)?{_MK}*(?P<tr>\.)?"
)
_TIME = (
    rf"(?P<H>{_DG}{{1,2}})(?P<ts>[:.])(?P<M>{_DG}{{2}})(?:[:.](?P<S>{_DG}{{2}}))?"
    rf"(?P<ap>{_SP}?{_AMPM})?{_MK}*"
)
_CLOSE = rf"(?P<close>\]{_SP}?|\.?{_SP}[-\u2013]{_SP}|:{_SP})"
LOOSE = re.compile(
    rf"^{_MK}*(?:(?P<br>\[){_MK}*)?"  # never two mark runs in a row: no quadratic backtracking
    + _DATE
    # between date and time: a comma and a space or two, maybe a short word ("à", "klo", "um")
    # or a time-of-day word ("오후"); bounded, so a hostile first line cannot make every
    # line's test long. Persian phones write a right-to-left mark after the Arabic comma
    # ("۱۴۰۲/۸/۱۵،\u200f ۲۱:۴۰"): one mark may follow the comma (kept in the literal ``mid``)
    + rf"(?P<mid>[,\u060c]?(?:(?<=[,\u060c]){_MK})?{_SP}{{0,3}}(?:(?P<pw>{_PW}){_SP}{{0,3}}|"
    rf"[^\W\d_]{{1,5}}\.?{_SP}{{1,3}})?)"
    + _TIME + _CLOSE
)
#: The same with the time before the date ("[14:56:01, 3/18/22] Name:", iPhones in Vietnamese).
LOOSE_TIME_FIRST = re.compile(
    rf"^{_MK}*(?:(?P<br>\[){_MK}*)?" + _TIME + rf"(?P<mid>,{_SP}{{1,3}})" + _DATE + _CLOSE
)


#: English month abbreviations, as the legacy "19:23, 28 Aug 2013 - Name:" layout writes them.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: Legacy Android: time, then day, month name and a 4-digit year (the month name fixes the
#: order; exports that leave out the year are still refused: their dates cannot be known).
LOOSE_MONTH_NAME = re.compile(
    rf"^{_MK}*(?:(?P<br>\[){_MK}*)?" + _TIME + rf"(?P<mid>,{_SP}{{1,3}})"
    rf"(?P<a>{_DG}{{1,2}})(?P<s1>{_SP})(?P<mon>{'|'.join(MONTHS)})(?P<s2>{_SP})"
    rf"(?P<era>)(?P<c>{_DG}{{4}})(?P<be>)(?P<tr>)" + _CLOSE
)


def loose_match(line: str) -> re.Match[str] | None:
    """A header of any layout we know at the start of ``line`` (date first, else time first,
    else time and a date with the month as a word)."""
    return LOOSE.match(line) or LOOSE_TIME_FIRST.match(line) or LOOSE_MONTH_NAME.match(line)


def period_ampm(word: str, hour: int) -> int:
    """1 (a.m.) or 2 (p.m.) for a time-of-day word before the hour: noon (中午) is a.m. only at
    11, midnight (半夜) p.m. only at 11 (11 at night); the rest say which half themselves."""
    if word in PERIOD_NOON:
        return 1 if hour == 11 else 2
    if word in PERIOD_MIDNIGHT:
        return 2 if hour == 11 else 1
    return 1 if word in PERIOD_AM else 2


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
    era: str = ""  # "R"/"H" (Japanese era letter before the year), "BE" (Buddhist year), ""
    time_first: bool = False  # the time comes before the date
    period: bool = False  # a time-of-day word before the hour; mid holds "{p}" in its place
    month_name: bool = False  # "28 Aug 2013": day, English month abbreviation, year

    @property
    def platform(self) -> str:
        return "ios" if self.bracket else "android"


def signature_of(m: re.Match[str]) -> Signature:
    """The layout of a header line matched by `LOOSE`."""
    g = m.groupdict()
    a = g["a"].translate(MARK_TABLE)
    digits = a + (g.get("b") or "") + g["c"] + g["H"] + g["M"]
    return Signature(
        bracket=bool(g["br"]),
        year_first=len(a) == 4,
        s1=g["s1"],
        s2=g["s2"],
        trailing_dot=bool(g["tr"]),
        mid=g["mid"].replace(g["pw"], "{p}", 1) if g.get("pw") else g["mid"],
        time_sep=g["ts"],
        seconds=g["S"] is not None,
        ampm=g["ap"] is not None,
        close=g["close"],
        non_ascii_digits=not digits.isascii(),
        era="BE" if g["be"] else (g["era"] or ""),
        time_first=m.re is not LOOSE,
        month_name=m.re is LOOSE_MONTH_NAME,
        period=bool(g.get("pw")),
    )


#: Arabic-Indic and Eastern Arabic-Indic digits to ASCII.
DIGIT_TABLE = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def plausible(m: re.Match[str]) -> bool:
    """A LOOSE match whose date is a real day (in some order, 2009-2100) and time a real time."""
    g = m.groupdict()
    if g.get("mon"):
        g["b"] = str(MONTHS.index(g["mon"]) + 1)
    a, b, c, hh, mm = (
        int(g[k].translate(MARK_TABLE).translate(DIGIT_TABLE)) for k in ("a", "b", "c", "H", "M")
    )
    if mm > 59 or hh > 23:
        return False
    if len(g["a"].translate(MARK_TABLE)) == 4:
        orders = [(a, b, c)]
    else:
        year = full_year(c, "BE" if g["be"] else (g["era"] or ""))
        orders = [(year, b, a), (year, a, b)]
    return any(2009 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31 for y, mo, d in orders)


def full_year(c: int, era: str) -> int:
    """The Gregorian year of a date's year field: 2-digit years are 20xx, Buddhist years are
    543 ahead, Japanese-era years count from the era's start."""
    if era == "BE":
        return c - BUDDHIST_OFFSET
    if era in ERA_START:
        return ERA_START[era] + c
    return c + 2000 if c < 100 else c


def detect(sample_lines: list[str]) -> tuple[Signature, int] | None:
    """Find the header signature used by most of the sample lines; None if no line is a header.

    Returns the signature and how many sample lines matched it.
    """
    sigs: Counter[Signature] = Counter()
    for line in sample_lines:
        m = loose_match(line)
        if m:
            sigs[signature_of(m)] += 1
    if not sigs:
        return None
    # Normalise close variants (']' with or without a space) by picking the most common.
    return sigs.most_common(1)[0]


def day_period_word(sample_lines: list[str]) -> str | None:
    """A word between date and time that changes from one header to the next, if any: an
    unknown time-of-day word (the known ones, `PERIOD_WORDS`, are read; a constant word like
    "à" or "klo" is harmless). Reading past it could put a message 12 hours off."""
    words: Counter[str] = Counter()
    for line in sample_lines:
        m = LOOSE.match(line)
        if m and plausible(m) and not m.group("pw"):
            word = m.group("mid").strip(SPACES + MARKS + ",\u060c.")
            if word:
                words[word] += 1
    return min(words) if len(words) > 1 else None


# Byte-level classes (first byte decides fast): U+200E/F, U+202A-E, U+2066-9, U+FEFF; and
# U+0020, U+00A0, U+202F, U+2009.
MK_B = rb"(?:\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xef\xbb\xbf)"
SP_B = rb"(?: |\xc2\xa0|\xe2\x80[\xaf\x89])"
assert re.fullmatch(b"(?:" + MK_B + b")+", MARKS.encode())
assert re.fullmatch(b"(?:" + SP_B + b")+", SPACES.encode())
def _lit_words(text: str) -> bytes:
    return re.escape(text.encode()).replace(b"\\ ", SP_B).replace(b" ", SP_B)


_DG_ASCII = b"[0-9]"
_DG_ANY = rb"(?:[0-9]|\xd9[\xa0-\xa9]|\xdb[\xb0-\xb9])"
_AMPM_B = (
    rb"(?:[AaPp]\.?" + SP_B + rb"?[Mm]\.?|" + "\u0635".encode() + b"|" + "\u0645".encode()
    + b"|(?:" + "\u0642".encode() + b"|" + "\u0628".encode() + rb")\." + "\u0638".encode()
    + rb"\.?|" + b"|".join(_lit_words(w) for w in ("in the morning", "in the afternoon",
                                                     "in the evening", "at night")) + b")"
)
_PW_B = b"(?:" + b"|".join(re.escape(w.encode()) for w in
                           sorted(PERIOD_WORDS, key=len, reverse=True)) + b")"


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
    elif sig.era == "BE":
        a, c = d + b"{1,2}", d + b"{4}" + _lit(" BE")
    elif sig.era:
        a, c = d + b"{1,2}", re.escape(sig.era.encode()) + d + b"{1,2}"
    else:
        a, c = d + b"{1,2}", d + b"{2}(?:" + d + b"{2})?"
    b = b"(?:" + b"|".join(x.encode() for x in MONTHS) + b")" if sig.month_name else d + b"{1,2}"
    if sig.month_name:
        c = d + b"{4}"
    date = (
        a + mk + _lit(sig.s1) + mk + b + mk + _lit(sig.s2) + mk + c + mk
        + (rb"\." if sig.trailing_dot else b"")
    )
    ts = re.escape(sig.time_sep.encode())
    time = d + b"{1,2}" + ts + d + b"{2}" + ((ts + d + b"{2}") if sig.seconds else b"")
    if sig.ampm:
        time += SP_B + b"?" + _AMPM_B
    before, _, after = sig.mid.partition("{p}")
    if sig.period:  # the time-of-day word is part of the time
        time = _PW_B + _lit(after) + time
        mid = _lit(before)
    else:
        mid = _lit(sig.mid)
    if capture:
        date, time = b"(" + date + b")", b"(" + time + b")"
    head = mk + (rb"\[" + mk if sig.bracket else b"")
    close = rb"\]" + SP_B + b"?" if sig.bracket else _lit(sig.close)
    if sig.time_first:  # groups stay 1 = date, 2 = time
        return head + _time_first(date, mid, time, capture) + mk + close
    return head + date + mid + time + mk + close


def _time_first(date: bytes, mid: bytes, time: bytes, capture: bool) -> bytes:
    """Time, separator, date, with the capture groups numbered date first (group 1) as
    everywhere else: the time is captured in a look-ahead before the date is."""
    if not capture:
        return time + mid + date
    # (?=(time)) can't be numbered after the date, so the date is captured in a look-ahead
    # that skips the time first: (?=TIME MID (DATE)) (TIME) MID DATE
    return b"(?=" + time[1:-1] + mid + date + b")" + time + mid + date[1:-1]
