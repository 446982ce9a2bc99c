"""Every ConfigError sentence that tests/test_config.py does not already reach."""

from __future__ import annotations

from pathlib import Path

import pytest

from chat_review.config import load_config
from chat_review.errors import ConfigError


def error_for(tmp_path: Path, text: str) -> str:
    path = tmp_path / "chat-review.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path, None)
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("school = 3\n", "[school]: should be a table; write it as [school] with keys"),
        ('[school]\nname = ""\n', "[school] name: '' should be non-empty text"),
        ("[lexicon]\nstaff_named = true\n", "[lexicon] staff_named: is no longer a setting: "
         "naming a member of staff is counted as a mention, never flagged for review; remove the "
         "line"),
        ("[bursts]\nreplies_end_a_burst = 1\n",
         "[bursts] replies_end_a_burst: 1 should be true or false"),
        ("[pseudonymise]\nhide = \"Sam\"\n", "[pseudonymise] hide: should be a list"),
        ('[hours]\nmonday = "mornings"\n', "[hours] monday: 'mornings' is not a range"),
        ("[hours]\nmonday = 8\n", "[hours] monday: 8 is not a range of hours"),
        ('[hours]\nmonday = { start = "08:00" }\n', "[hours] monday: needs both start and end"),
        ('[hours]\nmonday = "08:00-08:00"\n', "end 08:00 is the same as start 08:00"),
        ("school_holidays = 3\n", "[[school_holidays]]: should be a list of tables"),
        ("[[school_holidays]]\ndate = 2025-01-02\n", "[[school_holidays]] number 1: has no name"),
        (
            '[[school_holidays]]\nname = "X"\ndate = 2025-01-02\nfrom = 2025-01-01\n',
            "has both date and from/to",
        ),
        (
            '[[school_holidays]]\nname = "X"\nfrom = 2025-01-01\n',
            "[[school_holidays]] number 1 (X): needs from and to",
        ),
        ('staff = "Mrs Ellis"\n', "[[staff]]: should be a list of tables"),
        ("[lexicon]\ncategories = 3\n", "[lexicon.categories]: should be a table"),
        ('[lexicon]\nmode = "replace"\n', '[lexicon] mode: "replace" needs at least one category'),
    ],
)
def test_each_mistake_is_named_in_one_sentence(tmp_path: Path, text: str, expected: str) -> None:
    message = error_for(tmp_path, text)
    assert expected in message
    assert message.endswith(".") and "\n" not in message


def test_a_directory_given_as_the_config_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config(tmp_path, None)


def test_a_config_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "chat-review.toml"
    path.write_bytes(b'[school]\nname = "Caf\xe9"\n')
    with pytest.raises(ConfigError, match="is not UTF-8 text"):
        load_config(path, None)
