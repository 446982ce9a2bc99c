"""The forked renderer gives the same bytes as rendering in process, and never strands work."""

from __future__ import annotations

import os
import signal

import pytest
from findings_factory import make_findings

from chat_review.render_ahead import RenderAhead
from chat_review.reports import render_outputs
from chat_review.reports.context import ReportContext

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


def test_the_caller_can_draw_one_output_while_the_worker_draws_another(ctx):
    findings = make_findings()
    ahead = start()
    ahead.submit(findings, ctx, ["pdf"])
    png_here = render_outputs(findings, ctx, ["png"])
    pdf_there = ahead.collect()
    assert pdf_there == render_outputs(findings, ctx, ["pdf"])
    assert png_here == render_outputs(findings, ctx, ["png"])


def test_analyse_writes_the_same_png_with_and_without_the_worker(run, grant, one_to_one_zip,
                                                                tmp_path):
    token = grant(one_to_one_zip)
    env = {"SOURCE_DATE_EPOCH": "1764000000"}
    paths = {}
    for label, extra in (("worker", {}), ("inline", {"CHAT_REVIEW_NO_RENDER_AHEAD": "1"})):
        paths[label] = tmp_path / f"{label}.png"
        result = run("analyse", str(one_to_one_zip), "--token", token, "--png",
                     str(paths[label]), "--pdf", str(tmp_path / f"{label}.pdf"), "--quiet",
                     env={**env, **extra})
        assert result.code == 0, result.err
    assert paths["worker"].read_bytes() == paths["inline"].read_bytes()
