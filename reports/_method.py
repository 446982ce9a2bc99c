"""The report's last pages, "Method and provenance": the working hours and days off applied,
the rules used, the exports read (name, SHA-256, how each was read), the consent records, and
this report's own provenance (tool, time, audit entry and hash), then how to read it."""

from __future__ import annotations

from chat_review.analysis.findings import Findings

from . import _common as c
from . import _words as w
from ._document import KIND, Block, h2, more, note, p, table
from .context import ReportContext

MAX_EXPORTS = 12


def _sentence(text: str) -> str:
    text = " ".join(str(text).split())
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def calendar_blocks(findings: Findings) -> list[Block]:
    cal = findings.calendar
    blocks = [h2("Working hours applied"),
              p(_sentence("Working hours are " + w.hours_sentence(cal))),
              p(_sentence(cal.get("rule") or "A message sent outside these hours, on a weekend, "
                          "a bank holiday or a school holiday counts as out of hours"))]
    if cal.get("from") or cal.get("to"):
        blocks.append(p(f"The calendar was applied from {w.day(cal.get('from'))} to "
                        f"{w.day(cal.get('to'))}."))
    rows = [[x.get("name", ""), w.day(x.get("date")), "bank holiday"]
            for x in cal.get("bank_holidays") or []]
    rows += [[x.get("name", ""), w.span(x.get("from"), x.get("to")),
              str(x.get("kind", "closure")).replace("-", " ")]
             for x in cal.get("closures") or []]
    if rows:
        src = cal.get("bank_holiday_source")
        blocks += [p("Days without working hours in the period"
                     + (f" (bank holidays from {src})" if src else "") + ":"),
                   *more(min(len(rows), 40), len(rows), "days off"),
                   table(["Name", "Dates", "Kind"], [2, 2, 1.2], "lll", rows[:40])]
    return blocks


def rules_blocks(findings: Findings) -> list[Block]:
    s = findings.settings
    out = [h2("Rules used")]
    for term, text in w.definitions(findings)[1:]:
        out.append(p(f"{term}: {text}"))
    if s.get("counted"):
        out.append(p(_sentence(f"Counted: {s['counted']}")))
    if s.get("staff"):
        out.append(p(f"Staff on the roster: {', '.join(map(str, s['staff']))}."))
    if s.get("config"):
        out.append(p(f"Settings file: {s['config']}."))
    else:
        out.append(p("Settings: the built-in defaults."))
    return out


def export_blocks(findings: Findings) -> list[Block]:
    out = [h2("Exports read")]
    out += more(min(len(findings.sources), MAX_EXPORTS), len(findings.sources), "exports")
    for i, s in enumerate(findings.sources[:MAX_EXPORTS], 1):
        order = (f"{s.date_order} ({s.date_order_rule})" + (
            "; ambiguous: the export does not prove the order" if s.date_order_ambiguous else ""))
        out.append({"kind": "mono", "rows": [[f"Chat {i}", s.name], ["SHA-256", s.sha256]]})
        evidence = getattr(s, "chat_type_evidence", None)
        if s.chat_type in KIND:
            kind = ("Chat type not proven" if s.chat_type == "unknown"
                    else f"A {KIND[s.chat_type]}")
            out.append(note(kind + (f": {evidence}" if evidence else "")
                            + ("" if (evidence or "").endswith(".") else ".")))
        out.append(note(f"Read as {s.platform}, {s.encoding}; "
                        f"{w.plural(s.messages, 'message')} read (within the consent's "
                        "dates, if it has any); date order "
                        f"{order}; consent "
                        + (f"#{s.consent_id}." if s.consent_id is not None else "none.")))
        out.append(note(f"Chat type: {c.chat_type_text(s)}."))
    return out


def consent_blocks(ctx: ReportContext) -> list[Block]:
    out = [h2("Consent record" + ("s" if len(ctx.consents) > 1 else ""))]
    if not ctx.consents:
        return [*out, p("No consent record was passed to the report.")]
    for k in sorted(ctx.consents, key=lambda k: str(k.get("id")).zfill(12)):
        parent = str(k.get("parent") or "—")
        if k.get("chat_name") and k.get("chat_name") != k.get("parent"):
            parent += f" (in the chat as {k['chat_name']})"
        window = ("the whole chat" if not (k.get("window_from") or k.get("window_to")) else
                  f"{w.register_time(k.get('window_from')) if k.get('window_from') else 'start'}"
                  f" – {w.register_time(k.get('window_to')) if k.get('window_to') else 'end'}")
        out.append({"kind": "meta", "rows": [
            ["Consent", f"#{k.get('id')}: {w.consent_purpose(k)}"],
            ["Parent", parent],
            ["Recorded", w.consent_recorded(k)],
            ["Covers", window],
            ["Expires", w.register_time(k.get("expires_at")) if k.get("expires_at")
             else "no expiry"],
            ["Evidence", str(k.get("evidence") or "—")],
        ]})
    return out


def report_blocks(findings: Findings, ctx: ReportContext) -> list[Block]:
    rows = [
        ["Tool", f"chat-review {ctx.tool_version}"],
        ["Generated", w.uk_time(ctx.generated_at)],
        ["Names", "pseudonymised: replaced by labels; the key is not kept" if ctx.pseudonymised
         else "as written in the export"],
        ["Excerpts", "included, as asked" if ctx.excerpts
         else "left out (data minimisation)"],
    ]
    if ctx.audit_entry:
        a = ctx.audit_entry
        rows.append(["Audit entry", f"#{a.get('id')}, {w.register_time(a.get('at'))}"])
    else:
        rows.append(["Audit entry", "not given"])
    # sticky: the audit hash below is never left alone at the top of the next page
    out = [h2("This report"), {"kind": "meta", "rows": rows, "sticky": bool(ctx.audit_entry)}]
    if ctx.audit_entry:
        out.append({"kind": "mono", "rows": [["Audit hash", str(ctx.audit_entry.get("hash"))]]})
    warnings = c.all_warnings(findings)
    if warnings:
        out += [h2("Warnings"), {"kind": "list", "items": warnings[:20]}]
    out += [h2("How to read this report"),
            p("The figures count messages; they do not judge them. Flags and bursts are prompts "
              "to read the messages in the export at the line numbers given. Times of messages "
              "are the sending phone's clock as written in the export; times the tool itself "
              "recorded are UK time.")]
    return out


def method_blocks(findings: Findings, ctx: ReportContext) -> list[Block]:
    return [{"kind": "break"}, {"kind": "title", "text": "Method and provenance"},
            *calendar_blocks(findings), *rules_blocks(findings), *export_blocks(findings),
            *consent_blocks(ctx), *report_blocks(findings, ctx)]
