"""The forked renderer gives the same bytes as rendering in process, and never strands work."""

from __future__ import annotations

import os
import signal

import pytest
from findings_factory import make_findings

from chat_review.render_ahead import RenderAhead
from reports import render_outputs
from reports.context import ReportContext

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


@pytest.fixture
def ctx(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    return ReportContext(consents=[{"id": 1, "parent": "P", "purpose": "x"}])


def start() -> RenderAhead:
    ahead = RenderAhead.start()
    assert ahead is not None
    return ahead


def test_worker_output_equals_in_process_output(ctx):
    findings = make_findings()
    ahead = start()
    from_worker = ahead.render(findings, ctx, ["png", "pdf"])
    assert from_worker == render_outputs(findings, ctx, ["png", "pdf"])


def test_closing_without_rendering_reaps_the_worker():
    ahead = start()
    pid = ahead.pid
    ahead.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_a_dead_worker_falls_back_to_rendering_in_process(ctx):
    findings = make_findings()
    ahead = start()
    os.kill(ahead.pid, signal.SIGKILL)
    assert ahead.render(findings, ctx, ["png"]) == render_outputs(findings, ctx, ["png"])


def test_it_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("CHAT_REVIEW_NO_RENDER_AHEAD", "1")
    assert RenderAhead.start() is None
