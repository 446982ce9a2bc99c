"""What a user sees of the findings, through the installed console script: bursts and their
rule, chat types, the staff view, to/about staff, mentions, pseudonyms, defaults, duplicates.

Every chat here is generated in the test (invented names; phones in 07700 900xxx).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_CONFIG
from PIL import Image
from pypdf import PdfReader

ROSTER = """
[[staff]]
name = "Ottoline Marchbanks"
aliases = ["Mrs Marchbanks"]
phones = ["+44 7700 900654"]

[[staff]]
name = "Rupert Fairweather"
aliases = ["Mr Fairweather"]
"""


def export(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / "exports" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def settings(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(ROSTER + extra, encoding="utf-8")
    return path


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def analyse(run, pairs, *args):
    chats = [a for p, t in pairs for a in ("--chat", str(p), t)]
    return run("analyse", *chats, *args)


def outputs(tmp_path: Path, stem: str = "out") -> tuple[dict[str, Path], list[str]]:
    paths = {k: tmp_path / f"{stem}.{k}" for k in ("json", "pdf", "png")}
    return paths, [a for k, p in paths.items() for a in (f"--{k}", str(p))]


def analysed(run, tmp_path: Path, pairs, *extra: str):
    """Analyse with the roster's settings into JSON, PDF and PNG, and expect it to succeed:
    (the run, the JSON's findings, the output paths)."""
    paths, args = outputs(tmp_path)
    result = analyse(run, pairs, "--config", str(settings(tmp_path)), *extra, *args)
    assert result.code == 0, result.err
    return result, json.loads(paths["json"].read_text())["findings"], paths


def flat(text: str) -> str:
    """Text with every run of white space (a wrapped line) as one space."""
    return " ".join(text.split())


# -- bursts -------------------------------------------------------------------------------------

QUESTION_AND_REPLY = [
    "10/06/2026, 20:00 - Nell Ashdown: Is it PE tomorrow?",
    "10/06/2026, 20:01 - Nell Ashdown: Or Thursday?",
    "10/06/2026, 20:01 - Nell Ashdown: The letter says both",
    "10/06/2026, 20:02 - Nell Ashdown: Sorry for the questions",
    "10/06/2026, 20:03 - Ivo Penrose: Tuesday and Thursday",
    "10/06/2026, 20:04 - Nell Ashdown: great",
    "10/06/2026, 20:05 - Nell Ashdown: thanks",
]


def test_a_reply_ends_a_run_so_a_question_and_thanks_are_no_burst(run, grant, tmp_path):
    chat = export(tmp_path, "group.txt", QUESTION_AND_REPLY)
    result, found, _ = analysed(run, tmp_path, [(chat, grant(chat))])
    assert found["bursts"] == []
    assert "Bursts of messages (0)" in result.out


def test_the_burst_rule_is_said_in_plain_words_in_every_output(run, grant, tmp_path):
    chat = export(tmp_path, "group.txt", QUESTION_AND_REPLY)
    result, found, paths = analysed(run, tmp_path, [(chat, grant(chat))])
    assert "another person's message ends a burst, a system event" in found["settings"]["burst"][
        "rule"]
    assert "another person's message ends a burst" in flat(result.out)
    assert "another person's message ends a burst" in flat(pdf_text(paths["pdf"]))


# -- chat type ----------------------------------------------------------------------------------

TWO_WRITERS_GROUP = [
    "01/09/2026, 19:00 - Nell Ashdown created group \"Hedgehogs parents\"",
    "01/09/2026, 19:01 - Nell Ashdown added Mrs Marchbanks",
    "01/09/2026, 19:02 - Nell Ashdown: Welcome everyone!",
    "05/09/2026, 10:00 - Mrs Marchbanks: Raffle prizes collected, thank you",
    "05/09/2026, 10:05 - Nell Ashdown: Thanks Mrs Marchbanks",
]


def test_a_group_where_two_people_wrote_is_a_group_not_direct_contact(run, grant, tmp_path):
    chat = export(tmp_path, "WhatsApp Chat with Hedgehogs parents.txt", TWO_WRITERS_GROUP)
    result, found, _ = analysed(run, tmp_path, [(chat, grant(chat))])
    (src,) = found["sources"]
    assert (src["chat_type"], src["chat_type_evidence"]) == (
        "group", "line 1: the group was created")
    assert [c["mode"] for c in found["staff_contact"]] == ["mention"]
    assert "Group chat (line 1: the group was created)" in result.out


def test_a_consent_window_leaving_two_writers_does_not_make_a_group_one_to_one(run, grant,
                                                                                 tmp_path):
    chat = export(tmp_path, "WhatsApp Chat with Hedgehogs parents.txt", TWO_WRITERS_GROUP)
    token = grant(chat, "--from", "05/09/2026", "--date-order", "day-first")
    result, found, _ = analysed(run, tmp_path, [(chat, token)])
    assert found["sources"][0]["chat_type"] == "unknown"
    assert all(c["mode"] != "direct" for c in found["staff_contact"])
    assert "cannot tell whether this is a one-to-one chat or a group" in flat(result.out)
    assert "--chat-type 1=one-to-one or --chat-type 1=group" in flat(result.out)


def test_the_reviewer_can_say_the_chat_type_and_it_is_recorded(run, grant, tmp_path):
    chat = export(tmp_path, "notes.txt", TWO_WRITERS_GROUP[2:])
    _, found, paths = analysed(run, tmp_path, [(chat, grant(chat))],
                               "--chat-type", "notes.txt=one-to-one")
    src = found["sources"][0]
    assert (src["chat_type"], src["chat_type_source"], src["staff"]) == (
        "one-to-one", "reviewer", "Ottoline Marchbanks")
    assert "set by the reviewer with --chat-type 1=one-to-one" in src["chat_type_evidence"]
    assert "set by the reviewer" in flat(pdf_text(paths["pdf"]))


def test_a_bad_chat_type_is_one_sentence_and_exit_2(run, grant, tmp_path):
    chat = export(tmp_path, "notes.txt", TWO_WRITERS_GROUP)
    result = analyse(run, [(chat, grant(chat))], "--chat-type", "3=group")
    assert result.code == 2
    assert "not one of the chats given" in result.err and "Traceback" not in result.err


# -- to and about staff; mentions are not flags -------------------------------------------------

GROUP_NAMING = [
    "01/09/2026, 19:00 - Nell Ashdown created group \"Hedgehogs parents\"",
    "02/10/2026, 21:00 - Ivo Penrose: Mrs Marchbanks kept him in again",
    "02/10/2026, 21:01 - Ivo Penrose: I've had enough",
    "02/10/2026, 21:02 - Ivo Penrose: @Mrs Marchbanks please reply",
    "02/10/2026, 21:03 - Ivo Penrose: Nobody answers",
    "02/10/2026, 21:04 - Ivo Penrose: Going to the office",
    "02/10/2026, 21:30 - Nell Ashdown: We had a blast at the fair, smashing job everyone",
    "02/10/2026, 21:31 - Cass Whitby: Spare batteries are in the hall",
    "03/10/2026, 09:00 - Cass Whitby: Mr Fairweather said the trip is on",
]


def test_a_group_burst_is_about_staff_and_says_how_many_messages_name_them(run, grant,
                                                                             tmp_path):
    chat = export(tmp_path, "WhatsApp Chat with Hedgehogs parents.txt", GROUP_NAMING)
    result, found, paths = analysed(run, tmp_path, [(chat, grant(chat))])
    (burst,) = found["bursts"]
    assert (burst["to_staff"], burst["about_staff"]) == (None, {"Ottoline Marchbanks": 2})
    assert "about Ottoline Marchbanks (2 of 5 messages name them)" in flat(result.out)
    assert "at staff" not in result.out
    assert "about Ottoline Marchbanks (2 of 5 messages name them)" in flat(pdf_text(paths["pdf"]))


def test_naming_staff_is_counted_as_a_mention_and_idioms_are_not_flagged(run, grant, tmp_path):
    chat = export(tmp_path, "WhatsApp Chat with Hedgehogs parents.txt", GROUP_NAMING)
    result, found, _ = analysed(run, tmp_path, [(chat, grant(chat))])
    assert found["flags"] == []  # "had a blast", "smashing", "batteries": not flagged
    assert [(m["line"], m["staff"]) for m in found["staff_mentions"]] == [
        (2, "Ottoline Marchbanks"), (4, "Ottoline Marchbanks"), (9, "Rupert Fairweather")]
    assert "Messages naming staff (mentions):" in result.out
    assert "Messages to look at (0)" in result.out


# -- the staff view -----------------------------------------------------------------------------


def test_the_staff_view_holds_only_that_member_of_staff(run, grant, tmp_path):
    chat = export(tmp_path, "WhatsApp Chat with Hedgehogs parents.txt", GROUP_NAMING)
    direct = export(tmp_path, "WhatsApp Chat with Mrs Marchbanks.txt", [
        "04/10/2026, 22:00 - Ivo Penrose: Why was he kept in?",
        "04/10/2026, 22:01 - Ivo Penrose: You are useless",
        "05/10/2026, 08:30 - Mrs Marchbanks: Please call the office.",
    ])
    result, found, paths = analysed(run, tmp_path, [(chat, grant(chat)), (direct, grant(direct))],
                                    "--staff", "Mr Fairweather")
    assert found["staff_view"] == "Rupert Fairweather"
    assert [c["sender"] for c in found["staff_contact"]] == ["Cass Whitby"]
    assert found["bursts"] == [] and found["flags"] == []
    assert [s["sender"] for s in found["senders"]] == ["Cass Whitby"]
    everything = (paths["json"].read_text() + result.out + pdf_text(paths["pdf"])
                  + " ".join(str(v) for v in Image.open(paths["png"]).info.values()))
    for other in ("Marchbanks", "Ottoline", "Ivo", "Penrose", "Nell", "useless"):
        assert other not in everything, other


def test_the_staff_view_uses_the_settings_late_night_window(run, grant, tmp_path):
    direct = export(tmp_path, "WhatsApp Chat with Mrs Marchbanks.txt", [
        "04/10/2026, 20:30 - Ivo Penrose: Evening, quick question",  # not late: 22:00-06:00
        "04/10/2026, 23:01 - Ivo Penrose: Still no answer",  # late
        "05/10/2026, 08:30 - Mrs Marchbanks: Please call the office.",
    ])
    _, found, paths = analysed(run, tmp_path, [(direct, grant(direct))],
                               "--staff", "Mrs Marchbanks")
    (contact,) = found["staff_contact"]
    assert (contact["mode"], contact["late_night"]) == ("direct", 1)
    assert contact["by_hour_out_of_hours"][20] == 1 and contact["by_hour_out_of_hours"][23] == 1
    text = pdf_text(paths["pdf"])
    assert "22:00–06:00" in text and "20:00–07:00" not in text


# -- pseudonymisation: the leak test ------------------------------------------------------------

SECRETS = ["Bartholomew", "Barty", "Quennell", "Philippa", "Dunstable", "Wragg", "Ottoline",
           "Marchbanks", "Fenwick", "Hyacinth", "Pargeter", "Rupert", "Fairweather",
           "900321", "900654", "900777", "pip.dw@example.com", "o.marchbanks@example.org",
           "Hedgehogs"]
LEAKY_GROUP = [
    "01/09/2026, 19:00 - Barty Quennell created group \"Hedgehogs parents\"",
    "01/09/2026, 19:01 - Barty Quennell added +44 7700 900321",
    "02/10/2026, 21:00 - Barty Quennell: Mrs Marchbanks kept Fenwick in again, you idiot",
    "02/10/2026, 21:01 - Barty Quennell: Ottoline Marchbanks is useless, mail "
    "o.marchbanks@example.org",
    "02/10/2026, 21:02 - Barty Quennell: or ring 07700 900654, Philippa has her number",
    "02/10/2026, 21:03 - Barty Quennell: Bartholomew Quennell will go to the press",
    "02/10/2026, 21:04 - Barty Quennell: Rupert Fairweather knows, idiot",
    "02/10/2026, 21:30 - Philippa Dunstable-Wragg: Barty stop, email pip.dw@example.com",
    "02/10/2026, 21:31 - +44 7700 900321: Wragg here, Hyacinth Pargeter will call you, idiot",
    "02/10/2026, 21:32 - Philippa Dunstable-Wragg: Dunstable idiot, call 07700 900777",
]


@pytest.mark.parametrize("staff", [None, "Mrs Marchbanks"])
def test_pseudonymised_outputs_contain_no_name_part_alias_phone_or_email(run, tmp_path, staff):
    chat = export(tmp_path, "WhatsApp Chat with Hedgehogs parents.txt", LEAKY_GROUP)
    token = run("consent", "grant", str(chat), "--parent", "Bartholomew Quennell",
                "--chat-name", "Barty Quennell", "--recorded-by", "Hyacinth Pargeter",
                "--purpose", "Barty Quennell about Fenwick and Mrs Marchbanks, 07700 900654",
                "--evidence", "Form signed by Philippa Dunstable-Wragg, pip.dw@example.com"
                ).last_line
    config = settings(tmp_path, '\n[pseudonymise]\nhide = ["Fenwick"]\n')
    paths, args = outputs(tmp_path, "report")
    extra = ["--staff", staff] if staff else []
    result = analyse(run, [(chat, token)], "--config", str(config), "--pseudonymise",
                     "--excerpts", *extra, *args)
    assert result.code == 0, result.err
    png_meta = " ".join(f"{k}={v}" for k, v in Image.open(paths["png"]).info.items())
    pdf = PdfReader(paths["pdf"])
    pdf_meta = " ".join(str(v) for v in (pdf.metadata or {}).values())
    outputs_seen = {"terminal": result.out + result.err, "json": paths["json"].read_text(),
                    "pdf": pdf_text(paths["pdf"]) + pdf_meta, "png": png_meta}
    for where, text in outputs_seen.items():
        for secret in SECRETS:
            assert secret.lower() not in text.lower(), f"{secret} in the {where}"
    found = json.loads(paths["json"].read_text())
    assert found["consents"][0]["recorded_by"] == "withheld from this pseudonymised report"
    assert "cannot catch a name it was never told" in found["findings"]["settings"][
        "pseudonymisation"]
    if staff is None:
        # one label per person: the alias, the full name and the phone are one person each
        labels = {s["sender"] for s in found["findings"]["senders"]}
        assert labels == {"Parent A", "Parent B", "Parent C"}
        assert {m["staff"] for m in found["findings"]["staff_mentions"]} == {"Staff 1", "Staff 2"}


def test_the_same_inputs_give_the_same_labels(run, grant, tmp_path):
    chat = export(tmp_path, "g.txt", LEAKY_GROUP)
    token = grant(chat)
    texts = []
    for n in range(2):
        out = tmp_path / f"p{n}.json"
        result = analyse(run, [(chat, token)], "--config", str(settings(tmp_path)),
                         "--pseudonymise", "--excerpts", "--json", str(out), "--quiet")
        assert result.code == 0, result.err
        found = json.loads(out.read_text())["findings"]
        texts.append(json.dumps([found["senders"], found["flags"], found["staff_mentions"]]))
    assert texts[0] == texts[1]


# -- settings and inputs ------------------------------------------------------------------------


def test_without_a_settings_file_every_output_says_built_in_defaults_were_used(run, grant,
                                                                               tmp_path):
    chat = export(tmp_path, "group.txt", QUESTION_AND_REPLY)
    paths, args = outputs(tmp_path)
    result = analyse(run, [(chat, grant(chat))], *args)
    assert result.code == 0, result.err
    found = json.loads(paths["json"].read_text())["findings"]
    assert found["built_in_defaults"] is True
    for text in map(flat, (result.out, paths["json"].read_text(), pdf_text(paths["pdf"]))):
        assert "built-in defaults" in text and "no school holidays" in text
        assert "no staff roster" in text


def test_the_homes_settings_file_is_used_without_config(run, grant, tmp_path, home):
    chat = export(tmp_path, "group.txt", QUESTION_AND_REPLY)
    token = grant(chat)
    shutil.copyfile(SAMPLE_CONFIG, home / "chat-review.toml")
    out = tmp_path / "r.json"
    result = analyse(run, [(chat, token)], "--json", str(out))
    assert result.code == 0, result.err
    found = json.loads(out.read_text())["findings"]
    assert found["built_in_defaults"] is False
    assert found["settings"]["config"] == str(home / "chat-review.toml")
    assert "built-in defaults" not in result.out


def test_the_same_export_under_two_names_is_refused(run, grant, tmp_path):
    chat = export(tmp_path, "group.txt", QUESTION_AND_REPLY)
    copy = tmp_path / "exports" / "group copy.txt"
    shutil.copyfile(chat, copy)
    token = grant(chat)
    result = analyse(run, [(chat, token), (copy, token)], "--json", str(tmp_path / "x.json"))
    assert result.code == 2
    assert result.err.strip().count("\n") == 0
    assert "given twice, as group.txt and group copy.txt; give each chat once." in result.err
    assert not (tmp_path / "x.json").exists()


def test_the_staff_hour_chart_splits_each_hour_by_the_calendar() -> None:
    # a Saturday 10:00 message is out of hours although 10:00 is a working hour on weekdays
    from datetime import datetime
    from xml.etree import ElementTree

    from chat_review.analysis.findings import Findings, Period, StaffContact
    from chat_review.reports import _staff

    hours, out = [0] * 24, [0] * 24
    hours[10], out[10] = 2, 1
    contact = StaffContact("Ivo Penrose", "Mrs X", "direct", 2, 1, {"2026-10-03": 1}, hours,
                           ["c.txt"], by_hour_out_of_hours=out)
    f = Findings([], Period(datetime(2026, 10, 3), datetime(2026, 10, 5), 3), {}, [], [], None,
                 None, None, None, [], [contact], [], {}, {})
    svg = ElementTree.fromstring(_staff.by_hour(*_staff.hour_totals(_staff.staff_data(f, "Mrs X"))))
    ns = {"s": "http://www.w3.org/2000/svg"}
    [inside] = svg.findall("s:g[@id='in-hours']/s:rect", ns)
    [outside] = svg.findall("s:g[@id='out-of-hours']/s:rect", ns)
    assert float(inside.get("height")) == pytest.approx(float(outside.get("height")))
    # the out-of-hours part sits on top of the in-hours part of the same bar
    assert float(outside.get("y")) + float(outside.get("height")) == pytest.approx(
        float(inside.get("y")))
    assert inside.get("x") == outside.get("x")
