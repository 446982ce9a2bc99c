"""Pages: a case (one consent), its analysis, and its report files."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from chat_review.consent.errors import ConsentError
from chat_review.consent.register import Register
from chat_review.consent.upload import ExportUpload
from chat_review.describe import consent_rows
from chat_review.errors import ChatReviewError

from . import casework
from .forms import read_form
from .pages import note, page, redirect
from .security import session_of
from .state import WebState, state_of


@dataclass
class Run:
    key: int | str
    view: str
    at: str
    files: list[casework.ReportFile] = field(default_factory=list)

    @property
    def png(self) -> casework.ReportFile | None:
        return next((f for f in self.files if f.kind == "png" and f.present), None)


def _runs(reports: list[casework.ReportFile]) -> list[Run]:
    runs: dict[int | str, Run] = {}
    for f in reports:
        key = f.analysis if f.analysis is not None else f"file {f.entry_id}"
        runs.setdefault(key, Run(key, f.view, f.written_at)).files.append(f)
    order = {"png": 0, "pdf": 1, "json": 2, "csv": 3}
    for run in runs.values():
        run.files.sort(key=lambda f: order.get(f.kind, 9))
    return list(runs.values())


def _case_values(web: WebState, consent_id: int) -> dict:
    from chat_review.config import load_config
    from chat_review.consent import consents

    with Register.open(web.home, create=False) as register:
        record = consents.find(register, str(consent_id))
        now = register.clock()
        status = record.status(now)
        token = casework.case_token(register, record.id) if status == "active" else None
        reports = casework.case_reports(register, record.id)
    try:
        staff = [m.name for m in load_config(None, web.home).staff]
    except ChatReviewError:
        staff = []
    return {"record": record, "rows": consent_rows(record, now), "status": status,
            "token": token, "runs": _runs(reports), "source": web.exports.where(record.id),
            "staff": staff}


async def case(request: Request) -> Response:
    web = state_of(request)
    values = await run_in_threadpool(_case_values, web, request.path_params["consent_id"])
    return page(request, "case.html", **values)


async def analyse(request: Request) -> Response:
    web = state_of(request)
    consent_id = request.path_params["consent_id"]
    form = await read_form(request, web.max_upload)
    chosen = form.file("export")
    upload = ExportUpload.from_browser(*chosen) if chosen else None
    options = casework.Options(staff_name=form.optional("staff"),
                               pseudonymise=form.checked("pseudonymise"),
                               excerpts=form.checked("excerpts"),
                               reviewer=session_of(request).reviewer)

    def run() -> int:
        from chat_review.config import load_config

        source = upload or web.exports.source(consent_id)
        if source is None:
            raise ChatReviewError("Choose the export file again: the page keeps it only while "
                                  "chat-review ui runs, unless a copy was kept.")
        entry = casework.analyse_case(web.home, consent_id, source,
                                      load_config(None, web.home), options)
        if upload is not None:  # it passed the gate: no need to ask for it again
            web.exports.remember(consent_id, upload)
        return entry

    try:
        entry = await run_in_threadpool(run)
    except (ConsentError, ChatReviewError) as exc:
        values = await run_in_threadpool(_case_values, web, consent_id)
        return page(request, "case.html", error=str(exc), **values)
    note(request, f"Analysis {entry} done ({options.view}); its reports are below.")
    return redirect(f"/consents/{consent_id}#run-{entry}")


async def report(request: Request) -> Response:
    web = state_of(request)
    entry_id = request.path_params["entry_id"]

    def load():  # noqa: ANN202
        with Register.open(web.home, create=False) as register:
            return casework.report_bytes(register, entry_id)

    try:
        found, data = await run_in_threadpool(load)
    except (ConsentError, ChatReviewError) as exc:
        return page(request, "message.html", http_status=404, title="Report not available",
                    sentence=str(exc))
    inline = request.query_params.get("inline") == "1" and found.kind == "png"
    disposition = "inline" if inline else "attachment"
    return Response(data, media_type=casework.MEDIA_TYPES.get(found.kind,
                                                              "application/octet-stream"),
                    headers={"content-disposition":
                             f'{disposition}; filename="{found.path.name}"'})
