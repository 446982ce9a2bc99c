"""The benchmark's realistic generator makes chats the way real class chats look (issue 13)."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from realistic import render_realistic  # noqa: E402

ANDROID_HEAD = re.compile(r"^(\d\d/\d\d/\d{4}, \d\d:\d\d) - ([^:\n]+?): ", re.M)


@pytest.fixture(scope="module")
def android() -> str:
    return render_realistic(5_000, "android", seed=4).decode("utf-8")


def test_it_has_exactly_the_asked_number_of_messages():
    for plat in ("android", "ios"):
        text = render_realistic(1_000, plat, seed=2).decode("utf-8")
        heads = re.findall(r"^\[?\d\d/\d\d/\d{4}, ", text, flags=re.M)
        assert len(heads) == 1_000


def test_it_is_deterministic():
    assert render_realistic(500, "ios", seed=3) == render_realistic(500, "ios", seed=3)


def test_group_chat_has_more_than_25_senders_with_a_few_very_active(android):
    counts = Counter(m[1] for m in ANDROID_HEAD.findall(android))
    assert len(counts) >= 25
    top3 = sum(c for _, c in counts.most_common(3))
    assert top3 > 0.25 * sum(counts.values())


def test_phone_numbers_are_only_in_the_fictional_range(android):
    numbers = re.findall(r"\+44 7700 (\d{6})", android)
    assert numbers and all(900000 <= int(n) <= 900999 for n in numbers)
    assert not re.search(r"\+44 7(?!700 900)\d{3}", android)


def test_there_are_late_evening_bursts_of_one_sender(android):
    heads = ANDROID_HEAD.findall(android)
    run, bursts = 1, 0
    for (_, a), (when, b) in zip(heads, heads[1:], strict=False):
        run = run + 1 if a == b else 1
        if run == 6 and int(when[12:14]) >= 20:
            bursts += 1
    assert bursts >= 5


def test_it_has_media_deleted_edited_system_long_and_review_messages(android):
    assert android.count("<Media omitted>") > 100
    assert "This message was deleted" in android
    assert "<This message was edited>" in android
    assert "joined using this group's invite link" in android or " left\n" in android
    assert re.search(r"^[^\d\n].*\n[^\d\n].*\n[^\d\n]", android, flags=re.M)  # 3+ line bodies
    assert re.search(r"useless|idiot|complaint|regret", android)
