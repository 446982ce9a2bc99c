"""Property: any conversation rendered in any supported format parses back to itself."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from chat_review.reader._parse import parse_export_bytes
from chat_review.reader.headers import LOOSE

AR = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
LRM = "\u200e"


def _h12(t: datetime) -> tuple[int, bool]:
    return (t.hour % 12 or 12), t.hour >= 12


def android_uk(t: datetime) -> str:
    return t.strftime("%d/%m/%Y, %H:%M - ")


def android_us(t: datetime) -> str:
    h, pm = _h12(t)
    return f"{t.month}/{t.day}/{t.year % 100:02d}, {h}:{t.minute:02d} {'PM' if pm else 'AM'} - "


def ios_uk(t: datetime) -> str:
    return t.strftime("[%d/%m/%Y, %H:%M:%S] ")


def ios_us(t: datetime) -> str:
    h, pm = _h12(t)
    ap = "PM" if pm else "AM"
    return f"[{t.month}/{t.day}/{t.year % 100:02d}, {h}:{t.minute:02d}:{t.second:02d}\u202f{ap}] "


def german(t: datetime) -> str:
    return t.strftime("%d.%m.%y, %H:%M - ")


def french(t: datetime) -> str:
    return t.strftime("%d/%m/%Y à %H:%M - ")


def finnish(t: datetime) -> str:
    return f"{t.day}.{t.month}.{t.year} klo {t.hour}.{t.minute:02d} - "


def spanish(t: datetime) -> str:
    h, pm = _h12(t)
    ap = "p. m." if pm else "a. m."
    return f"{t.day}/{t.month}/{t.year % 100:02d}, {h}:{t.minute:02d}\u00a0{ap} - "


def arabic(t: datetime) -> str:
    h, pm = _h12(t)
    date = f"{t.day}\u200f/{t.month}\u200f/{t.year}".translate(AR)
    return f"{date}، {f'{h}:{t.minute:02d}'.translate(AR)} {'م' if pm else 'ص'} - "


def legacy(t: datetime) -> str:
    return t.strftime("%d/%m/%Y %H:%M: ")


def swedish(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M - ")


def croatian(t: datetime) -> str:
    return f"{t.day}. {t.month}. {t.year}. {t.hour:02d}:{t.minute:02d} - "


FORMATS = {
    android_uk: ("day-first", False),
    android_us: ("month-first", False),
    ios_uk: ("day-first", True),
    ios_us: ("month-first", True),
    german: ("day-first", False),
    french: ("day-first", False),
    finnish: ("day-first", False),
    spanish: ("day-first", False),
    arabic: ("day-first", False),
    legacy: ("day-first", False),
    swedish: ("year-first", False),
    croatian: ("day-first", False),
}
SECONDS = {ios_uk, ios_us}

name_chars = st.characters(
    codec="utf-8",
    categories=("Lu", "Ll", "Lo", "Nd", "So"),
    exclude_characters="~\u200d",
)
names = st.text(name_chars, min_size=1, max_size=12).map(lambda s: s + " X")
fragments = st.sampled_from(
    ["a: b", "Re: x: y", "- dash", "13/01/2024", "12.6.2018.", "10:30", "😀", "👩\u200d👩\u200d👧",
     "\u2028", "Name: text", "é", "שלום", "日本語", "  ", "-", ":", "[x]"]
)
words = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "So")), max_size=8)
line = st.lists(st.one_of(fragments, words), min_size=1, max_size=6).map(" ".join)
body = st.lists(line, min_size=1, max_size=4).map("\n".join)
message = st.tuples(
    st.sampled_from(["text", "text", "text", "media", "deleted", "system"]),
    st.integers(0, 3),
    body,
    st.integers(0, 3 * 86400),
)


def _render(fmt, people, msgs):
    seconds = fmt in SECONDS
    ios = FORMATS[fmt][1]
    t = datetime(2023, 12, 30, 7, 0, 0)
    out, expect = [], []
    for kind, who_i, text, step in msgs:
        t += timedelta(seconds=step if seconds else step - step % 60)
        who = people[who_i % len(people)]
        if kind == "media":
            text = f"{LRM}image omitted" if ios else "<Media omitted>"
        elif kind == "deleted":
            text = f"{LRM}This message was deleted." if ios else "This message was deleted"
        if kind == "system":
            sys_text = f"{who} added {people[0]}"
            out.append(fmt(t) + (f"Parents Group: {LRM}{sys_text}" if ios else sys_text))
            expect.append((t, None, "system", (LRM if ios else "") + sys_text))
        else:
            out.append(fmt(t) + f"{who}: {text}")
            expect.append((t, who, kind, text))
    return "\n".join(out) + "\n", expect


EXAMPLES = int(os.environ.get("READER_PROPERTY_EXAMPLES", "25"))


@pytest.mark.parametrize("fmt", list(FORMATS), ids=[f.__name__ for f in FORMATS])
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(names, min_size=1, max_size=4, unique=True),
    msgs=st.lists(message, min_size=1, max_size=12),
)
def test_round_trip_every_format(fmt, people, msgs) -> None:
    for _, _, text, _ in msgs:
        for ln in text.split("\n"):
            assume(not LOOSE.match(ln))  # a real header pasted into a message would split it
        assume(text.strip() == text or not text.endswith("\n"))
        assume(not text.startswith(LRM))
    data, expect = _render(fmt, people, msgs)
    order = FORMATS[fmt][0]
    chat = parse_export_bytes(data.encode("utf-8"), "chat.txt", sha256="0", date_order=order)
    m = chat.messages
    assert len(m) == len(expect)
    assert list(m["timestamp"]) == [pd.Timestamp(e[0]) for e in expect]
    assert [None if pd.isna(s) else s for s in m["sender"]] == [e[1] for e in expect]
    assert list(m["kind"]) == [e[2] for e in expect]
    assert list(m["text"]) == [e[3] for e in expect]
