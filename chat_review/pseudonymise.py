"""Replace every person's name in findings (and report context) with a stable label.

Labels: parents (every non-staff sender) are "Parent A", "Parent B", … in the order of
`findings.senders` — most messages first, so the labels read A, B, C down the report's
tables — then anyone only seen elsewhere (participants, staff contact, bursts, flags, the
consent records). Staff are "Staff 1", "Staff 2", … in the same order, then the remaining
configured staff names. Exports are "Chat 1", "Chat 2", … in `findings.sources` order, since
WhatsApp puts a name in the file name ("WhatsApp Chat with Jane Doe.txt").

Free text (flag excerpts, warnings, purposes, evidence) is rewritten too: whole names, then
the single words of a name (first name, surname; "[name]" when two people share the word),
then phone numbers and e-mail addresses, which WhatsApp uses as names for unsaved contacts.

The mapping lives only inside the call: it is never returned, logged or written, so a
pseudonymised report cannot be re-identified from anything this tool produces.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any, TypeVar

import pandas as pd

from chat_review.analysis.findings import Findings

__all__ = ["pseudonymise", "pseudonymise_report"]

C = TypeVar("C")

# Words in display names that are not names and must not be replaced on their own.
_NOT_NAMES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "mum", "mom", "dad", "mummy", "daddy", "the",
    "and", "year", "class", "rep", "school", "teacher", "head", "staff", "parent", "parents",
    "group", "chat", "whatsapp", "office", "admin", "nan", "gran", "grandma", "grandad", "auntie",
    "uncle", "new", "old", "with", "from", "for",
}
# 9 to 15 digits with the usual separators: a phone number, never an ISO date (8 digits).
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d(?:[ ()\-.]{0,2}\d){8,14}(?![\w])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _letters(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: enough labels for any chat."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


class _Labeller:
    """Builds the mapping once, then rewrites names, chat names and free text with it."""

    def __init__(self, findings: Findings, staff_names: Iterable[str],
                 consents: Iterable[dict[str, Any]] = ()) -> None:
        staff = {s for s in staff_names if s}
        staff |= {s.sender for s in findings.senders if s.is_staff}
        staff |= {p.name for p in findings.participants if p.is_staff}
        staff |= {x.staff for x in findings.staff_contact}
        self.names: dict[str, str] = {}
        self._parents = 0
        self._staff = 0
        self._staff_set = staff
        order: list[str | None] = [s.sender for s in findings.senders]
        order += [p.name for p in findings.participants]
        for x in findings.staff_contact:
            order += [x.sender, x.staff]
        order += [b.sender for b in findings.bursts] + [f.sender for f in findings.flags]
        order += [s.parent for s in findings.sources]
        order += [s.staff for s in findings.sources]  # 1:1 chat's staff
        order += list(dict.fromkeys(str(x) for x in staff_names if x))
        for name in order:
            if name:
                self._add(name)
        for k in consents:
            chat_name, parent = k.get("chat_name"), k.get("parent")
            if chat_name:
                self._add(chat_name)
            if parent and parent not in self.names:
                if chat_name:
                    self.names[parent] = self.names[chat_name]
                else:
                    self._add(parent)
        self.sources: dict[str, str] = {}
        for s in findings.sources:
            self.source(s.name)
        self._pattern, self._lookup = self._compile()

    def _add(self, name: str) -> str:
        if name not in self.names:
            if name in self._staff_set:
                self._staff += 1
                self.names[name] = f"Staff {self._staff}"
            else:
                self.names[name] = f"Parent {_letters(self._parents)}"
                self._parents += 1
        return self.names[name]

    def name(self, name: str | None) -> str | None:
        if name is None or (not isinstance(name, str) and pd.isna(name)):
            return name
        return self.names.get(name) or self._add(name)

    def source(self, name: str) -> str:
        if name not in self.sources:
            self.sources[name] = f"Chat {len(self.sources) + 1}"
        return self.sources[name]

    def _compile(self) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        lookup: dict[str, str] = {}
        for src, label in self.sources.items():
            lookup[src.casefold()] = label
            stem = re.sub(r"\.(txt|zip)$", "", src, flags=re.I)
            lookup.setdefault(stem.casefold(), label)
        for name, label in self.names.items():
            lookup[" ".join(name.split()).casefold()] = label
        owners: dict[str, set[str]] = {}
        for name, label in self.names.items():
            for word in re.findall(r"[^\W\d_][\w'’-]*", name):
                for part in {word, *re.split(r"[-'’]", word)}:
                    key = part.casefold()
                    if len(key) >= 3 and key not in _NOT_NAMES:
                        owners.setdefault(key, set()).add(label)
        for word, labels in owners.items():
            lookup.setdefault(word, labels.pop() if len(labels) == 1 else "[name]")
        if not lookup:
            return None, lookup
        alternatives = sorted(lookup, key=len, reverse=True)
        body = "|".join(r"\s+".join(re.escape(p) for p in a.split(" ")) for a in alternatives)
        return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE), lookup

    def text(self, text: Any) -> Any:
        if not isinstance(text, str):
            return text
        if self._pattern is not None:
            text = self._pattern.sub(
                lambda m: self._lookup.get(" ".join(m.group(0).split()).casefold(), "[name]"),
                text,
            )
        text = _EMAIL.sub("[e-mail]", text)
        return _PHONE.sub("[phone number]", text)

    def deep(self, value: Any) -> Any:
        """Free text anywhere inside dicts and lists (calendar, settings, consent records)."""
        if isinstance(value, dict):
            return {k: self.deep(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.deep(v) for v in value)
        return self.text(value)

    def frame(self, df: pd.DataFrame) -> pd.DataFrame:
        if "sender" not in df.columns:
            return df
        out = df.copy()
        out["sender"] = out["sender"].map(lambda s: self.name(s))
        return out

    # -- the whole findings ---------------------------------------------------------------

    def findings(self, f: Findings) -> Findings:
        r = dataclasses.replace
        return r(
            f,
            sources=[r(s, name=self.source(s.name), parent=self.name(s.parent),
                       purpose=self.text(s.purpose),
                       date_order_rule=self.text(s.date_order_rule),
                       warnings=[self.text(w) for w in s.warnings],
                       staff=self.name(s.staff) if s.staff else s.staff)
                     for s in f.sources],
            participants=[r(p, name=self.name(p.name)) for p in f.participants],
            senders=[r(s, sender=self.name(s.sender)) for s in f.senders],
            daily_by_sender=self.frame(f.daily_by_sender),
            weekday_hour_by_sender=self.frame(f.weekday_hour_by_sender),
            bursts=[r(b, sender=self.name(b.sender), source=self.source(b.source))
                    for b in f.bursts],
            staff_contact=[r(x, sender=self.name(x.sender), staff=self.name(x.staff),
                             sources=[self.source(s) for s in x.sources])
                           for x in f.staff_contact],
            flags=[r(x, sender=self.name(x.sender), source=self.source(x.source),
                     term=self.text(x.term), excerpt=self.text(x.excerpt)) for x in f.flags],
            calendar=self.deep(f.calendar),
            settings=self.deep(f.settings),
            warnings=[self.text(w) for w in f.warnings],
        )

    def consent(self, k: dict[str, Any]) -> dict[str, Any]:
        # Dates and ids are not free text; everything else (purpose, evidence...) may be.
        out = {key: v if key == "id" or key.endswith("_at") or key.startswith("window")
               else self.deep(v) for key, v in k.items()}
        for key in ("parent", "chat_name"):
            if k.get(key):
                out[key] = self.name(k[key])
        for key in ("export_name", "file_name", "source", "export"):
            if isinstance(k.get(key), str):
                out[key] = self.source(k[key])
        return out


def pseudonymise(findings: Findings, staff_names: Iterable[str] = ()) -> Findings:
    """The same findings with every name, chat name and name in free text replaced.

    Use `pseudonymise_report` when the report context (consent records) goes out too.
    """
    return _Labeller(findings, staff_names).findings(findings)


def pseudonymise_report(findings: Findings, ctx: C, staff_names: Iterable[str] = ()
                        ) -> tuple[Findings, C]:
    """Findings and a `reports.context.ReportContext` pseudonymised with one mapping.

    The consent records' parent and chat_name get the same label as in the findings, and
    their free text (purpose, evidence) is rewritten; the title and `staff_focus` too, and
    `pseudonymised` is set so the report says so. `ctx` is any dataclass with those fields
    (chat_review does not import `reports`).
    """
    staff = list(staff_names)
    focus = getattr(ctx, "staff_focus", None)
    if focus:
        staff.append(focus)
    consents = list(getattr(ctx, "consents", []) or [])
    lab = _Labeller(findings, staff, consents)
    new_ctx = dataclasses.replace(
        ctx,  # type: ignore[type-var]
        consents=[lab.consent(k) for k in consents],
        staff_focus=lab.name(focus) if focus else focus,
        title=lab.text(getattr(ctx, "title", "")),
        pseudonymised=True,
    )
    return lab.findings(findings), new_ctx
