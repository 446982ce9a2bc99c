"""Error paths a user can meet that are not about consent: each one sentence, right exit code."""

from __future__ import annotations

import pytest

import chat_review.cli as cli_module
from chat_review.consent import files


def run_main(monkeypatch, capsys, args):
    monkeypatch.setattr("sys.argv", ["chat-review", *args])
    with pytest.raises(SystemExit) as exit_info:
        cli_module.command_line()
    return exit_info.value.code, capsys.readouterr()


def test_an_unexpected_failure_is_one_sentence_and_exit_1(monkeypatch, capsys):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.delenv("CHAT_REVIEW_DEBUG", raising=False)
    monkeypatch.setattr(cli_module.cli, "main", boom)
    code, out = run_main(monkeypatch, capsys, ["consent", "list"])
    assert code == 1
    assert out.err.startswith("Error: chat-review failed unexpectedly (RuntimeError: disk on fire)")
    assert out.err.count("\n") == 1 and "Traceback" not in out.err


def test_ctrl_c_says_nothing_was_written_and_exits_1(monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_module.cli, "main", interrupted)
    code, out = run_main(monkeypatch, capsys, ["consent", "list"])
    assert code == 1 and out.err == "Stopped; nothing was written.\n"


def test_an_export_too_large_to_read_is_refused_with_exit_2(run, grant, group_chat,
                                                            monkeypatch, tmp_path, home,
                                                            capsys):
    token = grant(group_chat)
    monkeypatch.setattr(files, "MAX_EXPORT_BYTES", 100)
    code, out = run_main(monkeypatch, capsys, ["--home", str(home), "messages",
                                               str(group_chat), "--token", token])
    assert code == 2 and "larger than chat-review reads" in out.err


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_home_that_is_a_file_is_refused(run, tmp_path, group_chat, how):
    not_a_folder = tmp_path / "home-file"
    not_a_folder.write_text("x")
    args = ("consent", "grant", str(group_chat), "--parent", "P", "--purpose", "x",
            "--recorded-by", "H")
    if how == "option":
        result = run("--home", str(not_a_folder), *args, use_home=False)
        assert result.code == 2 and "is a file" in result.err
    else:
        result = run(*args, use_home=False, env={"CHAT_REVIEW_HOME": str(not_a_folder)})
        assert result.code == 2 and "is a file, not a folder" in result.err


def test_listing_an_empty_register_says_so(run, grant, group_chat, home):
    from chat_review.consent.register import Register

    Register.open(home).close()
    assert run("consent", "list").out == "No consents recorded yet.\n"
    assert run("audit", "list").out == "The audit log is empty.\n"


def test_audit_list_limit_shows_the_most_recent_entries(run, grant, group_chat):
    for _ in range(3):
        grant(group_chat)
    lines = run("audit", "list", "--limit", "2").out.splitlines()
    assert [line.split()[0] for line in lines[2:]] == ["2", "3"]


def test_analyse_without_any_chat_is_a_usage_error(run):
    result = run("analyse")
    assert result.code == 2 and "--chat EXPORT TOKEN" in result.err


def test_calendar_refuses_more_than_about_two_years(run):
    result = run("calendar", "--from", "01/01/2024", "--to", "01/01/2027")
    assert result.code == 2 and "two years" in result.err


def test_config_init_can_write_elsewhere(run, tmp_path):
    target = tmp_path / "school.toml"
    result = run("config", "init", "--output", str(target))
    assert result.code == 0 and target.read_text().startswith("# chat-review settings.")


def test_missing_report_fonts_are_one_sentence_and_exit_1(monkeypatch, capsys, grant, group_chat,
                                                          home, tmp_path):
    import importlib.util

    from chat_review.reports import _typst

    token = grant(group_chat)
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "matplotlib" else real_find_spec(name, *a))
    _typst.font_dir.cache_clear()
    try:
        code, out = run_main(monkeypatch, capsys, [
            "--home", str(home), "analyse", str(group_chat), "--token", token,
            "--pdf", str(tmp_path / "r.pdf"), "--quiet"])
    finally:
        _typst.font_dir.cache_clear()
    assert code == 1
    assert out.err.startswith("Error: The report's fonts (DejaVu Sans, from the matplotlib "
                              "package) are missing;")
    assert out.err.count("\n") == 1 and not (tmp_path / "r.pdf").exists()
