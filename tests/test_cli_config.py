"""`chat-review config init|check` and `chat-review calendar`."""

from __future__ import annotations

from conftest import SAMPLE_CONFIG


def test_config_init_writes_the_template_into_the_home(run, home):
    result = run("config", "init")
    assert result.code == 0
    written = home / "chat-review.toml"
    assert written.is_file() and "[hours]" in written.read_text()


def test_config_init_does_not_overwrite_without_force(run, home):
    run("config", "init")
    (home / "chat-review.toml").write_text("# mine\n")
    result = run("config", "init")
    assert result.code == 2 and "--force" in result.err
    assert (home / "chat-review.toml").read_text() == "# mine\n"


def test_written_template_is_itself_a_valid_config(run, home):
    run("config", "init")
    result = run("config", "check")
    assert result.code == 0 and "OK" in result.out and "08:00-17:00" in result.out


def test_config_check_names_file_and_key_of_a_bad_setting(run, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[hours]\nfriday = "16:00-15:00"\n')
    result = run("config", "check", "--config", str(bad))
    assert result.code == 2
    assert str(bad) in result.err and "friday" in result.err
    assert result.err.count("\n") == 1


def test_config_check_refuses_an_unknown_key(run, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[hours]\nfridya = "08:00-16:00"\n')
    result = run("config", "check", "--config", str(bad))
    assert result.code == 2 and "fridya" in result.err


def test_calendar_shows_weekends_half_term_and_inset(run):
    result = run("calendar", "--from", "23/10/2026", "--to", "03/11/2026",
                 "--config", str(SAMPLE_CONFIG))
    assert result.code == 0, result.err
    lines = {line.split()[0]: line for line in result.out.splitlines()[2:-1]}
    assert "08:00-16:00" in lines["2026-10-23"]  # the sample's Friday hours
    assert "weekend" in lines["2026-10-24"]
    assert "Autumn half-term" in lines["2026-10-28"]
    assert "INSET day" in lines["2026-11-02"]
    assert "08:00-17:00" in lines["2026-11-03"]
    assert result.out.rstrip().endswith("settings from " + str(SAMPLE_CONFIG) + ".")


def test_calendar_marks_bank_holidays_by_default(run):
    result = run("calendar", "--from", "21/04/2025", "--to", "21/04/2025")
    assert result.code == 0 and "Easter Monday" in result.out


def test_calendar_refuses_a_reversed_range(run):
    result = run("calendar", "--from", "10/11/2026", "--to", "01/11/2026")
    assert result.code == 2 and "swap" in result.err
