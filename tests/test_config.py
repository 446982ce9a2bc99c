"""chat-review.toml: where it is found, what it may say, and how a mistake is reported."""

from __future__ import annotations

import tomllib
from datetime import date, time
from pathlib import Path

import pytest

from chat_review.config import (
    DEFAULTS_SOURCE,
    Config,
    StaffMember,
    config_template,
    load_config,
    normalise_phone,
)
from chat_review.errors import ConfigError


def write(tmp_path: Path, text: str, name: str = "chat-review.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path, None)
    return str(info.value)


# -- finding the file ---------------------------------------------------------------------------


def test_no_path_and_no_home_file_gives_the_built_in_defaults(tmp_path: Path) -> None:
    cfg = load_config(None, tmp_path)
    assert cfg.source == DEFAULTS_SOURCE
    assert cfg.burst_min_messages == 5
    assert cfg.burst_window_minutes == 10
    assert (cfg.late_night_start, cfg.late_night_end) == ("22:00", "06:00")
    assert cfg.calendar.region == "england"
    assert cfg.staff == []


def test_no_home_at_all_gives_the_defaults() -> None:
    assert load_config(None, None).source == DEFAULTS_SOURCE


def test_the_home_file_is_used_when_no_path_is_given(tmp_path: Path) -> None:
    path = write(tmp_path, "[bursts]\nmin_messages = 3\n")
    cfg = load_config(None, tmp_path)
    assert cfg.burst_min_messages == 3
    assert cfg.source == str(path)


def test_an_explicit_path_wins_over_the_home_file(tmp_path: Path) -> None:
    write(tmp_path, "[bursts]\nmin_messages = 3\n")
    other = write(tmp_path, "[bursts]\nmin_messages = 7\n", name="other.toml")
    assert load_config(other, tmp_path).burst_min_messages == 7


def test_an_explicit_path_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="missing.toml: no such file"):
        load_config(tmp_path / "missing.toml", None)


# -- the template -------------------------------------------------------------------------------


def test_the_template_is_valid_toml_and_loads_as_the_defaults(tmp_path: Path) -> None:
    text = config_template()
    tomllib.loads(text)
    cfg = load_config(write(tmp_path, text), None)
    default = Config()
    assert cfg.calendar.hours == default.calendar.hours
    assert cfg.burst_min_messages == default.burst_min_messages
    assert cfg.lexicon.categories == default.lexicon.categories


def test_the_template_explains_itself_in_comments() -> None:
    text = config_template()
    assert text.count("\n#") > 20
    for section in ("[hours]", "[[school_holidays]]", "[[inset_days]]", "[[staff]]", "[bursts]"):
        assert section in text


# -- what a good file sets ----------------------------------------------------------------------

FULL = """
[school]
name = "Cotton End Forest School"

[calendar]
region = "scotland"

[hours]
friday = "08:00-16:00"
wednesday = "none"
thursday = { start = "07:30", end = "15:30" }

[[school_holidays]]
name = "Autumn half-term"
from = 2025-10-27
to = 2025-10-31

[[inset_days]]
date = 2025-09-01

[[staff]]
name = "Anita Patel"
aliases = ["Mrs Patel", "Mrs P"]
phones = ["+44 7700 900123"]

[bursts]
min_messages = 4
window_minutes = 15

[late_night]
start = "21:30"
end = "07:00"

[lexicon]
mode = "extend"
[lexicon.categories]
insult = ["clown"]
nits = ["head lice"]
"""


def test_a_full_file_sets_every_setting(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, FULL), None)
    assert cfg.school_name == "Cotton End Forest School"
    assert cfg.calendar.region == "scotland"
    assert cfg.calendar.hours[4] == (time(8), time(16))
    assert cfg.calendar.hours[2] is None
    assert cfg.calendar.hours[3] == (time(7, 30), time(15, 30))
    assert cfg.calendar.hours[0] == (time(8), time(17))  # untouched days keep the default
    assert [(c.name, c.start, c.end, c.kind) for c in cfg.calendar.closures] == [
        ("Autumn half-term", date(2025, 10, 27), date(2025, 10, 31), "school-holiday"),
        ("INSET day", date(2025, 9, 1), date(2025, 9, 1), "inset"),
    ]
    assert cfg.staff == [StaffMember("Anita Patel", ["Mrs Patel", "Mrs P"], ["+44 7700 900123"])]
    assert (cfg.burst_min_messages, cfg.burst_window_minutes) == (4, 15)
    assert (cfg.late_night_start, cfg.late_night_end) == ("21:30", "07:00")


def test_lexicon_extend_keeps_the_built_in_terms_and_adds_new_ones(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, FULL), None)
    assert "idiot" in cfg.lexicon.categories["insult"]
    assert "clown" in cfg.lexicon.categories["insult"]
    assert cfg.lexicon.categories["nits"] == ["head lice"]
    assert "threat" in cfg.lexicon.categories
    assert "extended by" in cfg.lexicon.source


def test_lexicon_replace_uses_only_the_configured_categories(tmp_path: Path) -> None:
    text = '[lexicon]\nmode = "replace"\n[lexicon.categories]\nrude = ["clown"]\n'
    cfg = load_config(write(tmp_path, text), None)
    assert cfg.lexicon.categories == {"rude": ["clown"]}


def test_the_default_lexicon_has_insult_threat_and_confidential_categories() -> None:
    cats = Config().lexicon.categories
    assert {"insult", "threat", "confidential"} <= set(cats)
    assert all(cats.values())


def test_region_may_be_written_with_capitals_and_spaces(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, '[calendar]\nregion = "Northern Ireland"\n'), None)
    assert cfg.calendar.region == "northern-ireland"


def test_dates_may_be_quoted_strings(tmp_path: Path) -> None:
    text = '[[school_holidays]]\nname = "Easter"\nfrom = "2025-04-07"\nto = "2025-04-22"\n'
    cfg = load_config(write(tmp_path, text), None)
    assert cfg.calendar.closures[0].end == date(2025, 4, 22)


# -- mistakes: one sentence naming the file, the key and the problem ----------------------------


def test_end_before_start_names_the_file_the_day_and_both_times(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[hours]\nfriday = "16:00-15:00"\n')
    assert message == (
        f"{tmp_path / 'chat-review.toml'}: [hours] friday: end 15:00 is before start 16:00; "
        "write times as HH:MM with end after start."
    )


def test_hour_25_is_refused(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[hours]\nmonday = "08:00-25:00"\n')
    assert "[hours] monday" in message
    assert "'25:00' is not a time of day" in message


def test_an_unknown_top_level_table_is_refused(tmp_path: Path) -> None:
    message = error_for(tmp_path, "[holidays]\nx = 1\n")
    assert "holidays: is not a setting chat-review knows" in message


def test_a_misspelt_weekday_is_refused(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[hours]\nfirday = "08:00-16:00"\n')
    assert "[hours] firday: is not a setting chat-review knows" in message


def test_an_unknown_key_inside_a_staff_entry_is_refused(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[[staff]]\nname = "A"\nphone = "07700 900123"\n')
    assert "[[staff]] number 1 phone: is not a setting" in message


def test_an_unknown_key_inside_a_school_holiday_is_refused(tmp_path: Path) -> None:
    text = '[[school_holidays]]\nname = "X"\nfrom = 2025-01-01\nuntil = 2025-01-02\n'
    assert "until: is not a setting" in error_for(tmp_path, text)


def test_overlapping_school_holidays_are_refused_naming_both(tmp_path: Path) -> None:
    text = (
        '[[school_holidays]]\nname = "Half-term"\nfrom = 2025-10-27\nto = 2025-10-31\n'
        '[[school_holidays]]\nname = "Extra"\nfrom = 2025-10-31\nto = 2025-11-03\n'
    )
    message = error_for(tmp_path, text)
    assert "Half-term (2025-10-27 to 2025-10-31) overlaps Extra" in message


def test_an_inset_day_inside_a_holiday_is_refused(tmp_path: Path) -> None:
    text = (
        '[[school_holidays]]\nname = "Half-term"\nfrom = 2025-10-27\nto = 2025-10-31\n'
        "[[inset_days]]\ndate = 2025-10-29\n"
    )
    assert "overlaps" in error_for(tmp_path, text)


def test_a_bad_date_is_refused(tmp_path: Path) -> None:
    text = '[[school_holidays]]\nname = "X"\nfrom = "2025-02-30"\nto = "2025-03-02"\n'
    message = error_for(tmp_path, text)
    assert "[[school_holidays]] number 1 (X) from: '2025-02-30' is not a date" in message


def test_a_holiday_ending_before_it_starts_is_refused(tmp_path: Path) -> None:
    text = '[[school_holidays]]\nname = "X"\nfrom = 2025-03-02\nto = 2025-03-01\n'
    assert "to 2025-03-01 is before from 2025-03-02" in error_for(tmp_path, text)


def test_an_unknown_region_is_refused(tmp_path: Path) -> None:
    message = error_for(tmp_path, '[calendar]\nregion = "cornwall"\n')
    assert "[calendar] region: 'cornwall' is not a UK region" in message


def test_a_burst_of_one_message_is_refused(tmp_path: Path) -> None:
    assert "[bursts] min_messages" in error_for(tmp_path, "[bursts]\nmin_messages = 1\n")


def test_an_unknown_lexicon_mode_is_refused(tmp_path: Path) -> None:
    assert "[lexicon] mode" in error_for(tmp_path, '[lexicon]\nmode = "merge"\n')


def test_invalid_toml_is_reported_as_a_config_error(tmp_path: Path) -> None:
    assert "is not valid TOML" in error_for(tmp_path, "[hours\nmonday = 1\n")


def test_every_error_is_one_sentence_ending_with_a_full_stop(tmp_path: Path) -> None:
    for text in ('[hours]\nfriday = "16:00-15:00"\n', "[nope]\n", "[bursts]\nmin_messages = 0\n"):
        message = error_for(tmp_path, text)
        assert message.endswith(".")
        assert "\n" not in message


# -- the roster ---------------------------------------------------------------------------------


def test_phone_numbers_compare_by_digits_in_uk_national_form() -> None:
    assert normalise_phone("+44 7700 900123") == "07700900123"
    assert normalise_phone("07700 900123") == "07700900123"
    assert normalise_phone("0044 (0)7700-900123") != ""  # odd spellings never crash
    assert normalise_phone("447700900123") == "07700900123"


def test_a_staff_member_is_recognised_by_name_alias_or_phone() -> None:
    member = StaffMember("Anita Patel", ["Mrs Patel"], ["+44 7700 900123"])
    assert member.is_sender("anita  patel")
    assert member.is_sender("Mrs Patel")
    assert member.is_sender("07700 900123")
    assert not member.is_sender("Mr Patel")


def test_the_staff_named_category_cannot_be_written_by_hand(tmp_path: Path) -> None:
    text = '[lexicon.categories]\n"staff-named" = ["Bob"]\n'
    assert "is filled from the [[staff]] roster" in error_for(tmp_path, text)


def test_a_lexicon_term_list_must_be_texts(tmp_path: Path) -> None:
    message = error_for(tmp_path, "[lexicon.categories]\ninsult = 3\n")
    assert "[lexicon.categories] insult" in message


def test_staff_without_a_name_is_refused(tmp_path: Path) -> None:
    assert "[[staff]] number 1: has no name" in error_for(tmp_path, '[[staff]]\naliases = ["x"]\n')


def test_a_staff_phone_without_digits_is_refused(tmp_path: Path) -> None:
    text = '[[staff]]\nname = "A"\nphones = ["call the office"]\n'
    assert "'call the office' is not a phone number" in error_for(tmp_path, text)


def test_a_late_night_window_of_no_length_is_refused(tmp_path: Path) -> None:
    text = '[late_night]\nstart = "22:00"\nend = "22:00"\n'
    assert "[late_night]: start and end are both 22:00" in error_for(tmp_path, text)


def test_hours_written_as_a_table_with_a_bad_key_are_refused(tmp_path: Path) -> None:
    text = '[hours]\nmonday = { start = "08:00", finish = "17:00" }\n'
    assert "[hours] monday finish: is not a setting" in error_for(tmp_path, text)


def test_retention_report_days_cannot_be_negative(tmp_path):
    from chat_review.config import load_config
    from chat_review.errors import ConfigError

    path = tmp_path / "chat-review.toml"
    path.write_text("[retention]\nreport_days = -1\n")
    with pytest.raises(ConfigError, match=r"\[retention\] report_days"):
        load_config(path, None)
