"""A case's analysis through the shared pipeline, and the report files it leaves behind.

The web app asks for nothing the CLI does not do: gate (with the consent's own token, which
the app fetches from the register) → reader → analysis → reports → `write_outputs`, which
writes each file atomically into the home's reports folder and logs its SHA-256. The case page
then lists and serves only files that the audit log names, and only while their bytes still
match the logged digest.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chat_review.consent import audit
from chat_review.consent.register import Register
from chat_review.consent.upload import ExportUpload
from chat_review.errors import ChatReviewError

REPORTS_DIR = "reports"
KINDS = ("png", "pdf", "json", "csv")
MEDIA_TYPES = {"png": "image/png", "pdf": "application/pdf",
               "json": "application/json", "csv": "text/csv; charset=utf-8"}
# One analysis at a time. The charts no longer need it (plain SVG: no matplotlib global state),
# but an analysis of a big chat takes a whole core and hundreds of MB (701 MiB at a million
# messages, bench/results.md): on a school PC two at once would only slow both.
_ONE_AT_A_TIME = threading.Lock()


@dataclass
class Options:
    staff_name: str | None = None
    pseudonymise: bool = False
    excerpts: bool = False
    reviewer: str | None = None

    @property
    def view(self) -> str:
        if self.staff_name:
            return "staff view" + (", pseudonymised" if self.pseudonymise else "")
        return "pseudonymised" if self.pseudonymise else "full"


@dataclass
class ReportFile:
    entry_id: int  # the audit entry that logged the file
    kind: str
    path: Path
    sha256: str
    written_at: str
    analysis: int | None
    view: str

    @property
    def present(self) -> bool:
        return self.path.is_file()


def case_token(register: Register, consent_id: int) -> str:
    """The consent's token, re-issued only while the record matches its grant (see
    `consents.token_for`); the app uses it exactly as the CLI's --token."""
    from chat_review.consent import consents

    return consents.token_for(register, consents.find(register, str(consent_id)))


def analyse_case(home: Path, consent_id: int, source: Path | ExportUpload, config: Any,
                 options: Options) -> int:
    """Run one analysis of a consent's export and write its reports; return the audit entry
    of the analysis. Refusals (`ConsentRefused`) come from the gate, before any decoding.
    The memory the run freed goes back to the system when it ends (the app keeps running)."""
    from chat_review.c_heap import release_freed_memory

    try:
        return _analyse_case(home, consent_id, source, config, options)
    finally:
        release_freed_memory()


def _analyse_case(home: Path, consent_id: int, source: Path | ExportUpload, config: Any,
                  options: Options) -> int:
    from chat_review.pipeline import analyse_opened, open_chats, render, write_outputs
    with Register.open(home, create=False) as register:
        token = case_token(register, consent_id)
    if options.staff_name and config.staff_for_sender(options.staff_name) is None:
        raise ChatReviewError(f"'{options.staff_name}' is not in the staff roster; "
                              "add them on the settings page.")
    with _ONE_AT_A_TIME:
        opened = open_chats(home, [(source, token)], command="ui analyse",
                            stated_by=options.reviewer)
        review = analyse_opened(
            home, opened, config, excerpts=options.excerpts, pseudonymise=options.pseudonymise,
            staff_name=options.staff_name, stated_by=options.reviewer,
            log_options={"command": "ui analyse", "reviewer": options.reviewer,
                         "view": options.view},
        )
        rendered = render(review, KINDS)  # the CSV is the complete lists (--csv-details)
    entry = review.ctx.audit_entry["id"]
    folder = home / REPORTS_DIR / f"consent-{consent_id}"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    suffix = {"full": "", "pseudonymised": "-pseudonymised"}.get(options.view, "-staff")
    write_outputs(
        home, [consent_id],
        [(kind, folder / f"analysis-{entry}{suffix}.{kind}", rendered[kind])
         for kind in KINDS if kind in rendered],
        command="ui analyse", force=False, inputs=[], stated_by=options.reviewer,
    )
    return entry


def case_reports(register: Register, consent_id: int) -> list[ReportFile]:
    """Report files logged for this consent alone, newest first."""
    views: dict[int, str] = {}
    found: list[ReportFile] = []
    for row in audit.rows(register.conn):
        if row.event == "analysed" and row.consent_id == consent_id:
            views[row.id] = row.detail.get("view") or _view_of(row.detail)
        elif (row.event == "output-written" and row.detail.get("consent_ids") == [consent_id]
              and row.detail.get("path")):
            analysis = max((i for i in views if i < row.id), default=None)
            found.append(ReportFile(row.id, str(row.detail.get("kind")),
                                    Path(row.detail["path"]), str(row.detail.get("sha256")),
                                    row.at, analysis, views.get(analysis, "full")
                                    if analysis else "full"))
    return sorted(found, key=lambda r: r.entry_id, reverse=True)


def _view_of(detail: dict[str, Any]) -> str:
    if detail.get("staff_view"):
        return "staff view"
    return "pseudonymised" if detail.get("pseudonymised") else "full"


def report_bytes(register: Register, entry_id: int) -> tuple[ReportFile, bytes]:
    """A logged report's bytes, refused if the log does not name it or the file changed."""
    for row in audit.rows(register.conn):
        if row.id == entry_id and row.event == "output-written" and row.detail.get("path"):
            report = ReportFile(row.id, str(row.detail.get("kind")), Path(row.detail["path"]),
                                str(row.detail.get("sha256")), row.at, None, "")
            break
    else:
        raise ChatReviewError(f"The audit log has no report file #{entry_id}.")
    try:
        data = report.path.read_bytes()
    except OSError:
        raise ChatReviewError(f"{report.path.name} is no longer there (deleted, perhaps under "
                              "retention); analyse the chat again for a new copy.") from None
    if hashlib.sha256(data).hexdigest() != report.sha256:
        raise ChatReviewError(f"{report.path.name} has changed since it was written, so it is "
                              "not served; analyse the chat again for a new copy.")
    return report, data
