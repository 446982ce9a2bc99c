"""Pseudonymisation: every name becomes a stable label, in findings and report context."""

from __future__ import annotations

import dataclasses

from findings_factory import make_context, make_findings

from chat_review.pseudonymise import pseudonymise, pseudonymise_report

NAMES = ["Jane Doe", "Priya Sharma", "Tom O'Brien", "Mrs Ellis"]


def small():
    return make_findings(names=NAMES, staff=["Mrs Ellis"])


def test_parents_are_lettered_in_message_count_order():
    f = small()
    g = pseudonymise(f, ["Mrs Ellis"])
    parents = [s.sender for s in g.senders if not s.is_staff]
    assert parents == ["Parent A", "Parent B", "Parent C"]
    assert [s.messages for s in g.senders] == [s.messages for s in f.senders]


def test_staff_are_numbered():
    g = pseudonymise(small(), ["Mrs Ellis"])
    assert {s.sender for s in g.senders if s.is_staff} == {"Staff 1"}
    assert {x.staff for x in g.staff_contact} == {"Staff 1"}


def test_same_name_gets_the_same_label_everywhere():
    f = small()
    g = pseudonymise(f, ["Mrs Ellis"])
    label = {s_old.sender: s_new.sender for s_old, s_new in zip(f.senders, g.senders,
                                                                 strict=True)}
    for old, new in zip(f.bursts, g.bursts, strict=True):
        assert new.sender == label[old.sender]
    assert set(g.daily_by_sender["sender"]) <= set(label.values())
    assert set(g.weekday_hour_by_sender["sender"]) <= set(label.values())


def test_chat_names_become_numbered_chats():
    g = pseudonymise(make_findings(names=NAMES, staff=["Mrs Ellis"], sources=2), ["Mrs Ellis"])
    assert [s.name for s in g.sources] == ["Chat 1", "Chat 2"]
    assert {b.source for b in g.bursts} <= {"Chat 1", "Chat 2"}
    assert {x.source for x in g.flags} <= {"Chat 1", "Chat 2"}


def test_names_and_first_names_inside_excerpts_are_replaced():
    f = small()
    flag = dataclasses.replace(f.flags[0], excerpt="jane said PRIYA and Tom O'Brien lied")
    g = pseudonymise(dataclasses.replace(f, flags=[flag]), ["Mrs Ellis"])
    text = g.flags[0].excerpt
    for word in ("jane", "priya", "tom", "o'brien"):
        assert word not in text.lower()
    assert "Parent" in text


def test_phone_numbers_and_emails_in_text_are_redacted_but_dates_kept():
    f = small()
    flag = dataclasses.replace(
        f.flags[0], excerpt="ring 07700 900456 or mail jd@example.org by 2024-09-01")
    text = pseudonymise(dataclasses.replace(f, flags=[flag])).flags[0].excerpt
    assert "07700" not in text and "example.org" not in text
    assert "2024-09-01" in text


def test_phone_number_sender_is_labelled():
    f = make_findings(names=["+44 7700 900123", "Jane Doe", "Tom Hill"], n_senders=3)
    g = pseudonymise(f)
    assert all(s.sender.startswith("Parent ") for s in g.senders)


def test_input_findings_are_left_unchanged():
    f = small()
    before = [s.sender for s in f.senders]
    pseudonymise(f, ["Mrs Ellis"])
    assert [s.sender for s in f.senders] == before
    assert f.sources[0].name.startswith("WhatsApp Chat with")


def test_report_context_consent_gets_the_same_label_as_the_findings():
    f = small()
    g, ctx = pseudonymise_report(f, make_context(f), ["Mrs Ellis"])
    jane = next(s_new.sender for s_old, s_new in zip(f.senders, g.senders, strict=True)
                if s_old.sender == "Jane Doe")
    assert ctx.consents[0]["parent"] == jane
    assert ctx.consents[0]["chat_name"] == jane
    assert "Jane" not in ctx.consents[0]["evidence"]
    assert ctx.consents[0]["window_from"] == "2024-09-01"
    assert ctx.pseudonymised is True


def test_report_context_staff_focus_is_labelled():
    f = small()
    g, ctx = pseudonymise_report(f, make_context(f, staff_focus="Mrs Ellis"))
    assert ctx.staff_focus == "Staff 1"
    assert any(x.staff == "Staff 1" for x in g.staff_contact)


def test_mapping_is_not_returned():
    f = small()
    out = pseudonymise_report(f, make_context(f), ["Mrs Ellis"])
    assert len(out) == 2
    assert not any(isinstance(x, dict) for x in out)
