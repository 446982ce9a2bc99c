"""The shipped JSON Schemas: valid schemas, installed with the package, printed by
`chat-review schema`, and followed by every kind of report and message table.

Every report or message-table JSON file any test writes is also checked by conftest's
autouse fixture; these tests add the in-memory outputs (big, empty, staff, pseudonymised)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import jsonschema
import pytest
from conftest import check_against_schema
from findings_factory import make_big_findings, make_context, make_empty_findings, make_findings

from chat_review.reports.json_report import render_json
from chat_review.schemas import SCHEMAS, load_schema, schema_for


def real_context(findings, **overrides):
    """The factory's context with what `analyse` always fills in: each consent's export name
    and SHA-256 and an expiry, and a generation time in UTC."""
    base = make_context(findings)
    sources = {s.consent_id: s for s in findings.sources}
    consents = []
    for consent in base.consents:
        source = sources.get(consent["id"])
        consents.append({**consent,
                         "expires_at": consent["expires_at"] or "2025-06-30T23:59:59+00:00",
                         "export_name": source.name if source else "chat.txt",
                         "export_sha256": source.sha256 if source else "ab" * 32})
    values = {"consents": consents, "generated_at": datetime(2025, 1, 12, 14, 30, tzinfo=UTC)}
    return make_context(findings, **{**values, **overrides})


@pytest.mark.parametrize("name", SCHEMAS)
def test_each_schema_is_a_valid_draft_2020_12_schema(name):
    jsonschema.Draft202012Validator.check_schema(load_schema(name))


@pytest.mark.parametrize(
    "make",
    [
        lambda: (make_findings(), {}),
        lambda: (make_findings(), {"excerpts": True}),
        lambda: (make_big_findings(), {"excerpts": True}),
        lambda: (make_empty_findings(), {}),
        lambda: (make_findings(), {"staff_focus": "Mrs Ellis"}),
    ],
    ids=["small", "excerpts", "big", "empty", "staff"],
)
def test_every_kind_of_report_follows_the_report_schema(make):
    findings, overrides = make()
    document = json.loads(render_json(findings, real_context(findings, **overrides)))
    assert schema_for(document) == "report" and document["schema_version"] == 1
    check_against_schema(document, "the report")


def test_a_pseudonymised_report_follows_the_report_schema():
    from chat_review.pseudonymise import pseudonymise_report

    f = make_findings()
    f, ctx = pseudonymise_report(f, real_context(f), ["Mrs Ellis"])
    check_against_schema(json.loads(render_json(f, ctx)), "the pseudonymised report")


def test_the_schema_catches_a_report_that_drifted():
    f = make_findings()
    document = json.loads(render_json(f, real_context(f)))
    check_against_schema(document, "the report as written")
    document["findings"]["senders"][0]["messages"] = "12"
    document["findings"]["surprise"] = []
    expected = r"'surprise' was unexpected.*findings/senders/0/messages: '12' is not"
    with pytest.raises(pytest.fail.Exception, match=expected):
        check_against_schema(document, "the report")


def test_messages_json_follows_the_messages_schema(run, grant, group_chat):
    token = grant(group_chat)
    result = run("messages", str(group_chat), "--token", token, "--format", "json")
    document = json.loads(result.out)
    assert schema_for(document) == "messages" and len(document["messages"]) > 10
    check_against_schema(document, "messages --format json")


@pytest.mark.parametrize("name", SCHEMAS)
def test_chat_review_schema_prints_the_shipped_schema(run, name):
    result = run("schema", name)
    assert result.code == 0 and json.loads(result.out) == load_schema(name)


def test_an_unknown_schema_name_is_a_usage_error(run):
    result = run("schema", "pdf")
    assert result.code == 2 and "'pdf' is not one of 'report', 'messages'" in result.err
