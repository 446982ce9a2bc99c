"""`chat-review messages`: the gated message table, as CSV or JSON, to screen or file."""

from __future__ import annotations

import csv
import hashlib
import io
import json


def test_csv_has_the_documented_columns_and_one_row_per_message(run, grant, group_chat):
    token = grant(group_chat)
    result = run("messages", str(group_chat), "--token", token)
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out.removeprefix("\ufeff"))))
    assert list(rows[0]) == ["timestamp", "sender", "kind", "text", "edited", "attachment",
                             "line"]
    assert rows[0]["kind"] == "system" and rows[0]["sender"] == ""
    assert rows[3] == {"timestamp": "2026-08-31T19:05:00", "sender": "Hannah Whitlock",
                       "kind": "text", "edited": "False", "attachment": "", "line": "4",
                       "text": "Welcome everyone! A place for Hedgehogs parents to share "
                               "reminders 🦔"}


def test_multi_line_message_keeps_its_newline(run, grant, group_chat):
    token = grant(group_chat)
    out = run("messages", str(group_chat), "--token", token).out
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    tom = next(r for r in rows if r["line"] == "6")
    assert tom["text"] == "I think it's Tuesday and Thursday\nKit in a named bag please, per " \
                          "the letter."


def test_json_carries_the_chat_metadata(run, grant, one_to_one_zip):
    token = grant(one_to_one_zip)
    result = run("messages", str(one_to_one_zip), "--token", token, "--format", "json")
    payload = json.loads(result.out)
    assert payload["chat"]["platform"] == "ios"
    assert payload["chat"]["container"] == "zip"
    assert payload["chat"]["consent_id"] == 1
    assert payload["messages"][1]["sender"] == "Tom Aldridge"


def test_output_file_is_written_and_its_hash_audited(run, grant, group_chat, tmp_path):
    token = grant(group_chat)
    out = tmp_path / "table.csv"
    result = run("messages", str(group_chat), "--token", token, "--output", str(out))
    assert result.code == 0, result.err
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    entries = [json.loads(x) for x in run("audit", "list", "--json").out.splitlines()]
    written = entries[-1]
    assert written["event"] == "output-written"
    assert written["detail"]["sha256"] == digest and written["detail"]["path"] == str(out)


def test_existing_output_is_not_overwritten_without_force(run, grant, group_chat, tmp_path):
    token = grant(group_chat)
    out = tmp_path / "table.csv"
    out.write_text("keep me")
    result = run("messages", str(group_chat), "--token", token, "--output", str(out))
    assert result.code == 2 and "--force" in result.err
    assert out.read_text() == "keep me"
    assert run("messages", str(group_chat), "--token", token, "--output", str(out),
               "--force").code == 0
    assert out.read_text(encoding="utf-8-sig").startswith("timestamp,")


def test_output_over_the_export_itself_is_refused(run, grant, group_chat):
    token = grant(group_chat)
    before = group_chat.read_bytes()
    result = run("messages", str(group_chat), "--token", token, "--output", str(group_chat),
                 "--force")
    assert result.code == 2 and "input" in result.err
    assert group_chat.read_bytes() == before


def test_consent_window_drops_messages_outside_it(run, grant, group_chat):
    token = grant(group_chat, "--from", "01/10/2026", "--to", "31/10/2026")
    out = run("messages", str(group_chat), "--token", token).out
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows and all(r["timestamp"].startswith("2026-10") for r in rows)
    assert len(rows) == 12  # lines 27-38 of the export: 2 Oct (6), 3 Oct (2), 22, 26 (2), 28 Oct


def test_export_is_never_modified_by_reading(run, grant, group_chat):
    before = group_chat.read_bytes()
    token = grant(group_chat)
    run("messages", str(group_chat), "--token", token, "--format", "json")
    assert group_chat.read_bytes() == before


def test_an_error_about_a_strangely_named_file_stays_on_one_line(run, tmp_path):
    odd = tmp_path / "chat\nwith\x1b[31m escapes.txt"
    odd.write_bytes(b"not an export at all\n")
    token = run("consent", "grant", str(odd), "--parent", "P", "--purpose", "x",
                "--recorded-by", "H").last_line
    result = run("messages", str(odd), "--token", token)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "\x1b" not in result.err
