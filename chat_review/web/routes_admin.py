"""Pages: the audit trail and its check, retention, and the settings with the calendar."""

from __future__ import annotations

from datetime import date, timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from chat_review.consent.errors import ConsentError
from chat_review.consent.register import Register, register_exists
from chat_review.describe import audit_details
from chat_review.errors import ChatReviewError

from .forms import read_form
from .pages import note, page, redirect
from .state import WebState, state_of

AUDIT_SHOWN = 500
RETENTION_NOTES = {"present": "", "missing": " (already gone)",
                   "changed": " (file changed since; left alone)"}


async def audit_page(request: Request) -> Response:
    web = state_of(request)
    verify = request.query_params.get("verify") == "1"

    def load():  # noqa: ANN202
        from chat_review.consent import audit as audit_log

        if not register_exists(web.home):
            return [], 0, None
        with Register.open(web.home, create=False) as register:
            entries = audit_log.rows(register.conn)
            result = audit_log.verify(register.conn, register.key) if verify else None
        return entries[-AUDIT_SHOWN:][::-1], len(entries), result

    try:
        entries, total, result = await run_in_threadpool(load)
    except ConsentError as exc:
        return page(request, "audit.html", error=str(exc), entries=[])
    verified = None
    if result is not None:
        sentence = (f"Audit log intact: {result.rows} entries, every link checked."
                    if result.ok else
                    f"Audit log BROKEN at entry {result.broken_row}: {result.problem}. Keep "
                    "this register as evidence and restore a backup for further work.")
        verified = {"ok": result.ok, "sentence": sentence}
    elif verify:
        verified = {"ok": True, "sentence": "There is no register yet, so nothing to verify."}
    return page(request, "audit.html", entries=entries, total=total, verified=verified,
                details=lambda e: audit_details(e.detail))


def _retention(web: WebState) -> dict:
    from chat_review.config import load_config
    from chat_review.consent import retention as policy

    days = load_config(None, web.home).retention_days
    if not register_exists(web.home):
        return {"days": days, "due": [], "inactive": [], "copies": [], "statuses": {},
                "deletable": 0}
    with Register.open(web.home, create=False) as register:
        due = policy.due_reports(register, timedelta(days=days))
        inactive = policy.inactive_consents(register)
        now = register.clock()
    copies = [{"id": r.id, "path": path} for r in inactive
              if (path := web.exports.kept_copy(r.id)) is not None]
    return {"days": days, "due": due, "inactive": inactive, "copies": copies,
            "statuses": {r.id: r.status(now) for r in inactive},
            "deletable": sum(r.state == "present" for r in due) + len(copies)}


async def retention_page(request: Request) -> Response:
    web = state_of(request)
    try:
        values = await run_in_threadpool(_retention, web)
    except (ConsentError, ChatReviewError) as exc:
        return page(request, "message.html", title="Retention", sentence=str(exc))
    return page(request, "retention.html", confirm=request.query_params.get("confirm") == "1",
                state_notes=RETENTION_NOTES, **values)


async def retention_delete(request: Request) -> Response:
    web = state_of(request)
    await read_form(request, web.max_upload)

    def act() -> int:
        from chat_review.consent import retention as policy

        values = _retention(web)
        with Register.open(web.home, create=False) as register:
            deleted = len(policy.delete_reports(register, values["due"]))
            for copy in values["copies"]:
                deleted += web.exports.forget(register, copy["id"], reason="retention")
        return deleted

    try:
        deleted = await run_in_threadpool(act)
    except (ConsentError, ChatReviewError) as exc:
        return page(request, "message.html", title="Retention", sentence=str(exc))
    note(request, f"Deleted {deleted} file{'' if deleted == 1 else 's'}; each deletion is in "
                  "the audit log.")
    return redirect("/retention")


def _settings(web: WebState, start: str | None, end: str | None) -> dict:
    from chat_review.config import CONFIG_NAME, config_template, load_config
    from chat_review.consent.dates import parse_day, typed_day
    from chat_review.describe import check_calendar_range, settings_rows

    path = web.home / CONFIG_NAME
    text = path.read_text("utf-8") if path.is_file() else config_template()
    values: dict = {"text": text, "cal_from": start or "", "cal_to": end or "", "days": []}
    cfg = load_config(None, web.home)
    values.update(source=cfg.source, rows=settings_rows(cfg))
    if start and end:
        try:
            first, last = parse_day(start, what="'from' date"), parse_day(end, what="'to' date")
            values.update(cal_from=typed_day(first), cal_to=typed_day(last))  # day first
            check_calendar_range(first, last)
            values["days"] = cfg.calendar.days(first, last)
            values["working"] = sum(1 for d in values["days"] if d["hours"])
        except (ConsentError, ChatReviewError) as exc:
            values["cal_error"] = str(exc)
    return values


async def settings_page(request: Request) -> Response:
    web = state_of(request)
    start, end = _default_range()
    start = request.query_params.get("from") or start
    end = request.query_params.get("to") or end
    try:
        values = await run_in_threadpool(_settings, web, start, end)
    except ChatReviewError as exc:
        values = {"error": str(exc), "rows": [], "source": "-", "days": [],
                  "text": _raw_settings(web), "cal_from": start, "cal_to": end}
    return page(request, "settings.html", **values)


def _default_range() -> tuple[str, str]:
    """The next two weeks, so the calendar check shows something useful at once."""
    from chat_review.consent.dates import typed_day

    today = date.today()
    return typed_day(today), typed_day(today + timedelta(days=13))


def _raw_settings(web: WebState) -> str:
    from chat_review.config import CONFIG_NAME

    path = web.home / CONFIG_NAME
    return path.read_text("utf-8", errors="replace") if path.is_file() else ""


async def settings_save(request: Request) -> Response:
    web = state_of(request)
    form = await read_form(request, web.max_upload)
    text = form.fields.get("text", "").replace("\r\n", "\n")

    def act() -> None:
        from chat_review.config import CONFIG_NAME, config_from_bytes
        from chat_review.consent.home import ensure_home
        from chat_review.output_files import write_atomic

        path = ensure_home(web.home) / CONFIG_NAME
        config_from_bytes(text.encode("utf-8"), str(path))  # refuses before anything changes
        digest = write_atomic(path, text.encode("utf-8"), force=True)
        if register_exists(web.home):
            with Register.open(web.home, create=False) as register:
                register.log("settings-changed", detail={"path": str(path), "sha256": digest})

    try:
        await run_in_threadpool(act)
    except (ConsentError, ChatReviewError) as exc:
        values = await run_in_threadpool(_settings_safe, web)
        values.update(text=text, error=str(exc))
        return page(request, "settings.html", **values)
    note(request, "Settings checked and saved; new analyses use them.")
    return redirect("/settings")


def _settings_safe(web: WebState) -> dict:
    start, end = _default_range()
    try:
        return _settings(web, start, end)
    except ChatReviewError:
        return {"rows": [], "source": "-", "days": []}
