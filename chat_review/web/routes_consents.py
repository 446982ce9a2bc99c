"""Pages: who is reviewing, the consent list, recording a consent, revoking one."""

from __future__ import annotations

from datetime import timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from chat_review.consent.errors import ConsentError
from chat_review.consent.register import Register, register_exists
from chat_review.consent.upload import ExportUpload
from chat_review.errors import ChatReviewError

from .forms import Form, read_form
from .pages import note, page, redirect
from .security import session_of
from .state import state_of

GRANT_FIELDS = ("parent", "chat_name", "purpose", "evidence", "window_from", "window_to",
                "expires", "recorded_by")


async def start(request: Request) -> Response:
    if session_of(request).reviewer:
        return redirect("/consents")
    return page(request, "start.html")


async def set_reviewer(request: Request) -> Response:
    form = await read_form(request, state_of(request).max_upload)
    name = " ".join(form.get("reviewer").split())
    if not name:
        return page(request, "start.html",
                    error="Your name is empty; write it as it should appear in the audit log.")
    session_of(request).reviewer = name
    return redirect("/consents")


async def consent_list(request: Request) -> Response:
    home = state_of(request).home

    def load():  # noqa: ANN202
        if not register_exists(home):
            return [], {}
        with Register.open(home, create=False) as register:
            now = register.clock()
            records = list(reversed(register.all()))
            return records, {r.id: r.status(now) for r in records}

    try:
        records, statuses = await run_in_threadpool(load)
    except ConsentError as exc:
        return page(request, "consents.html", error=str(exc), records=[])
    return page(request, "consents.html", records=records, statuses=statuses)


def _blank_form(request: Request) -> dict[str, str]:
    from chat_review.consent.clock import utc_now
    from chat_review.consent.date_words import uk_today
    from chat_review.consent.dates import typed_day

    values = dict.fromkeys(GRANT_FIELDS, "")
    # the school's today (UTC is still on yesterday in the first hour of a summer day)
    values["expires"] = typed_day(uk_today(utc_now()) + timedelta(days=30))
    values["recorded_by"] = session_of(request).reviewer or ""
    return values


async def consent_new(request: Request) -> Response:
    return page(request, "consent_new.html", form=_blank_form(request))


async def consent_create(request: Request) -> Response:
    web = state_of(request)
    form = await read_form(request, web.max_upload)
    chosen = form.file("export")
    if chosen is None:
        return _grant_error(request, form, "Choose the chat export file the parent gave you.")
    upload = ExportUpload.from_browser(*chosen)
    try:
        record_id = await run_in_threadpool(_grant, web, form, upload)
    except (ConsentError, ChatReviewError) as exc:
        return _grant_error(request, form, str(exc))
    note(request, f"Consent {record_id} recorded for {upload.name}. Its token is below; "
                  "the chat can be analysed now.")
    return redirect(f"/consents/{record_id}")


def _grant(web, form: Form, upload: ExportUpload) -> int:  # noqa: ANN001
    from chat_review.consent import consents
    from chat_review.consent.dates import parse_day, parse_expiry
    from chat_review.date_binding import grant_date_order

    # typed dates are read by the CLI's own parser (day first), before any work on the export
    typed_from, typed_to = form.optional("window_from"), form.optional("window_to")
    window_from = parse_day(typed_from, what="'from' date") if typed_from else None
    window_to = parse_day(typed_to, what="'to' date") if typed_to else None
    # a consent with a date window binds the export's date order (detected here, as in the CLI)
    date_order, order_rule = grant_date_order(upload, None,
                                              windowed=bool(window_from or window_to))
    with Register.open(web.home, create=True) as register:
        record, _token = consents.grant(
            register, upload,
            parent=form.get("parent"), purpose=form.get("purpose"),
            recorded_by=form.get("recorded_by"), chat_name=form.optional("chat_name"),
            expires_at=parse_expiry(form.get("expires") or None, register.clock()),
            window_from=window_from, window_to=window_to,
            evidence=form.optional("evidence"),
            date_order=date_order, date_order_rule=order_rule,
        )
        web.exports.remember(record.id, upload)
        if form.checked("keep"):
            web.exports.keep(register, record.id, upload)
    return record.id


def _grant_error(request: Request, form: Form, sentence: str) -> Response:
    values = {name: form.get(name) for name in GRANT_FIELDS}
    values["keep"] = form.checked("keep")
    return page(request, "consent_new.html", form=values, error=sentence)


def _find(web, consent_id: int):  # noqa: ANN001, ANN202
    from chat_review.consent import consents

    with Register.open(web.home, create=False) as register:
        return consents.find(register, str(consent_id))


async def revoke_confirm(request: Request) -> Response:
    web = state_of(request)
    record = await run_in_threadpool(_find, web, request.path_params["consent_id"])
    return page(request, "revoke.html", record=record,
                kept=web.exports.kept_copy(record.id) is not None)


async def revoke(request: Request) -> Response:
    web = state_of(request)
    form = await read_form(request, web.max_upload)
    record = await run_in_threadpool(_find, web, request.path_params["consent_id"])

    def act():  # noqa: ANN202
        from chat_review.consent import consents

        with Register.open(web.home, create=False) as register:
            done = consents.revoke(register, str(record.id), reason=form.get("reason"),
                                   by=form.get("by"))
            web.exports.forget(register, record.id, reason="consent revoked")
            return done

    try:
        record = await run_in_threadpool(act)
    except ConsentError as exc:
        return page(request, "revoke.html", record=record,
                    kept=web.exports.kept_copy(record.id) is not None, error=str(exc))
    note(request, f"Consent {record.id} revoked; its token no longer opens "
                  f"{record.export_name}.")
    return redirect(f"/consents/{record.id}")
