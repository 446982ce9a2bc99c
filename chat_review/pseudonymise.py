"""Replace every person's name in findings (and report context) with one label per person.

**One person, one label.** A member of staff on the roster is one person under every name,
alias and phone number ("Adaeze Okafor", "Mrs Okafor", "+44 7700 900123" are all Staff 1); a
parent is one person under their chat name and the name on their consent record; a sender
shown as a phone number is the person with that number.

**Deterministic.** Staff are numbered in roster order, then staff seen only in the chats by
name; parents are lettered in the order of `findings.senders` (most messages first, ties by
name), then anyone seen only elsewhere, by name. Exports are "Chat 1", "Chat 2", … in
`findings.sources` order (WhatsApp puts a name in the file name). The same inputs always give
the same labels.

**Free text** (excerpts, warnings, evidence of the chat type, mentions): every known full
name, then every single word of a known name (first names, surnames; "[name]" when two
people share the word), the extra names to hide (``[pseudonymise] hide``: children, partners),
then any e-mail address and phone number, are replaced. The consent record's free-text fields
(recorded by, purpose, evidence) are withheld, not rewritten: they may name anyone.

What cannot be caught is stated in the report (`LIMITS`). The mapping lives only inside the
call: it is never returned, logged or written.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any, TypeVar

import pandas as pd

from chat_review.analysis.findings import Findings
from chat_review.roster import StaffMember, normalise_phone

__all__ = ["LIMITS", "WITHHELD", "pseudonymise", "pseudonymise_report"]

C = TypeVar("C")

# Stands in for free text the report leaves out; it reads as a value ("Evidence: withheld from
# this pseudonymised report") and after a noun ("purpose withheld from ...").
WITHHELD = "withheld from this pseudonymised report"
LIMITS = (
    "Names are replaced when chat-review knows them: senders, the staff roster (names, aliases, "
    "phone numbers), the consent records and the [pseudonymise] hide list, with every word of "
    "each, e-mail addresses and phone numbers. It cannot catch a name it was never told "
    "(a child, a nickname, a misspelling, a name split across lines), initials, addresses, "
    "places, or details that identify someone by description; photos and attachments are never "
    "shown. Read excerpts before sharing the report."
)

# Words in display names that are not names and must not be replaced on their own.
_NOT_NAMES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "mum", "mom", "dad", "mummy", "daddy", "the",
    "and", "year", "class", "rep", "school", "teacher", "head", "staff", "parent", "parents",
    "group", "chat", "whatsapp", "office", "admin", "nan", "gran", "grandma", "grandad", "auntie",
    "uncle", "new", "old", "with", "from", "for", "of", "de", "la", "le", "van", "von", "da",
}
# 9 to 15 digits with the usual separators: a phone number, never an ISO date (8 digits).
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d(?:[ ()\-.]{0,2}\d){8,14}(?![\w])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_NAME = re.compile(r"^[\d\s+()\-.~]+$")
_CONSENT_FREE_TEXT = ("purpose", "evidence", "recorded_by", "revoked_by", "revoked_reason",
                      "reason", "notes")


def _letters(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: enough labels for any chat."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _key(name: str) -> str:
    return " ".join(name.replace("~", " ").split()).casefold()


def _parts(name: str) -> set[str]:
    """The words of a name worth replacing on their own (2+ letters, not a title)."""
    out = set()
    for word in re.findall(r"[^\W\d_][\w'’-]*", name):
        for part in {word, *re.split(r"[-'’]", word)}:
            key = part.casefold()
            if len(key) >= 2 and key not in _NOT_NAMES:
                out.add(key)
    return out


class _People:
    """Names and phone numbers resolved to people; each person has one label."""

    def __init__(self, roster: list[StaffMember]) -> None:
        self.roster = roster
        self.by_key: dict[str, int] = {}
        self.by_phone: dict[str, int] = {}
        self.names: list[list[str]] = []  # person -> every name seen for them
        self.staff: list[bool] = []
        for m in roster:
            pid = self._new(True)
            for n in m.names:
                self._link(n, pid)
            for ph in m.phone_keys:
                self.by_phone[ph] = pid

    def _new(self, staff: bool) -> int:
        self.names.append([])
        self.staff.append(staff)
        return len(self.names) - 1

    def _link(self, name: str, pid: int) -> None:
        self.by_key.setdefault(_key(name), pid)
        if name not in self.names[pid]:
            self.names[pid].append(name)

    def find(self, name: str) -> int | None:
        pid = self.by_key.get(_key(name))
        if pid is None and _PHONE_NAME.match(name) and normalise_phone(name):
            pid = self.by_phone.get(normalise_phone(name))
        if pid is None:
            for i, m in enumerate(self.roster):
                if m.is_sender(name):
                    pid = i
        return pid

    def add(self, name: str | None, staff: bool = False, same_as: str | None = None) -> None:
        if not name or not isinstance(name, str):
            return
        pid = self.find(name)
        if pid is None and same_as:
            pid = self.find(same_as)
        if pid is None:
            pid = self._new(staff)
            if _PHONE_NAME.match(name) and normalise_phone(name):
                self.by_phone[normalise_phone(name)] = pid
        self._link(name, pid)


class _Labeller:
    """Builds the mapping once, then rewrites names, chat names and free text with it."""

    def __init__(self, findings: Findings, staff: Iterable[StaffMember | str] = (),
                 consents: Iterable[dict[str, Any]] = (), hide: Iterable[str] = ()) -> None:
        roster = [m if isinstance(m, StaffMember) else StaffMember(str(m)) for m in staff if m]
        people = _People(roster)
        staff_names = {s.sender for s in findings.senders if s.is_staff}
        staff_names |= {p.name for p in findings.participants if p.is_staff}
        staff_names |= {x.staff for x in findings.staff_contact}
        staff_names |= {m.staff for m in findings.staff_mentions}
        staff_names |= {s.staff for s in findings.sources if s.staff}
        for b in findings.bursts:
            staff_names |= set(b.about_staff) | ({b.to_staff} if b.to_staff else set())
        if findings.staff_view:
            staff_names.add(findings.staff_view)
        for name in sorted(staff_names):
            people.add(name, staff=True)
        # parents: most messages first, so the labels read A, B, C down the tables
        for s in findings.senders:
            people.add(s.sender, staff=s.is_staff)
        others: set[str] = {p.name for p in findings.participants}
        others |= {x.sender for x in findings.staff_contact}
        others |= {b.sender for b in findings.bursts} | {m.sender for m in findings.staff_mentions}
        others |= {f.sender for f in findings.flags if f.sender}
        for name in sorted(others):
            people.add(name)
        consents = list(consents)
        for k in consents:
            chat_name, parent = k.get("chat_name"), k.get("parent")
            people.add(chat_name)
            people.add(parent, same_as=chat_name)
        for s in findings.sources:
            people.add(s.parent)
        self.people = people
        self.labels = self._number(people, findings)
        self.sources: dict[str, str] = {}
        for s in findings.sources:
            self.source(s.name)
        # whoever recorded or revoked a consent is known by name too: hidden wherever it appears
        recorders = [k.get(f) for k in consents for f in ("recorded_by", "revoked_by")]
        self.hide = [h for h in [*hide, *recorders] if isinstance(h, str) and h.strip()]
        self._pattern, self._lookup = self._compile()

    @staticmethod
    def _number(people: _People, findings: Findings) -> list[str]:
        """Staff 1.. in roster order then by first name seen; Parent A.. in sender order."""
        labels = [""] * len(people.names)
        n_staff = 0
        for pid, is_staff in enumerate(people.staff):
            if is_staff:
                n_staff += 1
                labels[pid] = f"Staff {n_staff}"
        n_parent = 0
        for pid, is_staff in enumerate(people.staff):
            if not is_staff:
                labels[pid] = f"Parent {_letters(n_parent)}"
                n_parent += 1
        return labels

    def name(self, name: Any) -> Any:
        if name is None or (not isinstance(name, str) and pd.isna(name)):
            return name
        pid = self.people.find(name)
        if pid is None:
            self.people.add(name)
            self.labels.append(f"Parent {_letters(sum(not s for s in self.people.staff) - 1)}")
            pid = self.people.find(name)
        assert pid is not None
        return self.labels[pid]

    def source(self, name: str) -> str:
        if name not in self.sources:
            self.sources[name] = f"Chat {len(self.sources) + 1}"
        return self.sources[name]

    def _compile(self) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        lookup: dict[str, str] = {}
        for src, label in self.sources.items():
            lookup[_key(src)] = label
            stem = re.sub(r"\.(txt|zip)$", "", src, flags=re.I)
            lookup.setdefault(_key(stem), label)
        for pid, names in enumerate(self.people.names):
            for n in names:
                if _key(n):
                    lookup.setdefault(_key(n), self.labels[pid])
        owners: dict[str, set[str]] = {}
        for pid, names in enumerate(self.people.names):
            for n in names:
                for part in _parts(n):
                    owners.setdefault(part, set()).add(self.labels[pid])
        for word, labels in sorted(owners.items()):
            lookup.setdefault(word, next(iter(labels)) if len(labels) == 1 else "[name]")
        for h in self.hide:
            lookup[_key(h)] = "[name]"
            for part in _parts(h):
                lookup[part] = "[name]"
        if not lookup:
            return None, lookup
        alternatives = sorted(lookup, key=lambda a: (-len(a), a))
        body = "|".join(r"\s+".join(re.escape(p) for p in a.split(" ")) for a in alternatives)
        return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE), lookup

    def text(self, text: Any) -> Any:
        if not isinstance(text, str):
            return text
        text = _EMAIL.sub("[e-mail]", text)
        text = _PHONE.sub("[phone number]", text)
        if self._pattern is not None:
            text = self._pattern.sub(
                lambda m: self._lookup.get(_key(m.group(0)), "[name]"), text)
        return text

    def deep(self, value: Any) -> Any:
        """Free text anywhere inside dicts and lists (calendar, settings)."""
        if isinstance(value, dict):
            return {k: self.deep(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.deep(v) for v in value)
        return self.text(value)

    def frame(self, df: pd.DataFrame) -> pd.DataFrame:
        if "sender" not in df.columns:
            return df
        out = df.copy()
        names = {s: self.name(s) for s in out["sender"].dropna().unique().tolist()}
        out["sender"] = out["sender"].map(names)
        return out

    # -- the whole findings ---------------------------------------------------------------

    def findings(self, f: Findings) -> Findings:
        r = dataclasses.replace
        return r(
            f,
            sources=[r(s, name=self.source(s.name), parent=self.name(s.parent),
                       purpose=WITHHELD if s.purpose else s.purpose,
                       date_order_rule=self.text(s.date_order_rule),
                       chat_type_evidence=self.text(s.chat_type_evidence),
                       warnings=[self.text(w) for w in s.warnings],
                       staff=self.name(s.staff) if s.staff else s.staff)
                     for s in f.sources],
            participants=[r(p, name=self.name(p.name)) for p in f.participants],
            senders=[r(s, sender=self.name(s.sender)) for s in f.senders],
            daily_by_sender=self.frame(f.daily_by_sender),
            weekday_hour_by_sender=self.frame(f.weekday_hour_by_sender),
            bursts=[r(b, sender=self.name(b.sender), source=self.source(b.source),
                      to_staff=self.name(b.to_staff) if b.to_staff else None,
                      about_staff={self.name(k): v for k, v in b.about_staff.items()})
                    for b in f.bursts],
            staff_contact=[r(x, sender=self.name(x.sender), staff=self.name(x.staff),
                             sources=[self.source(s) for s in x.sources])
                           for x in f.staff_contact],
            staff_mentions=[r(m, sender=self.name(m.sender), staff=self.name(m.staff),
                              source=self.source(m.source), matched=self.name(m.staff))
                            for m in f.staff_mentions],
            flags=[r(x, sender=self.name(x.sender), source=self.source(x.source),
                     term=self.text(x.term), excerpt=self.text(x.excerpt)) for x in f.flags],
            calendar=self.deep(f.calendar),
            settings={**self.deep(f.settings), "pseudonymisation": LIMITS},
            warnings=[self.text(w) for w in f.warnings],
            staff_view=self.name(f.staff_view) if f.staff_view else None,
        )

    def consent(self, k: dict[str, Any]) -> dict[str, Any]:
        """Ids and dates kept; names labelled; free text withheld; file names numbered."""
        out: dict[str, Any] = {}
        for key, v in k.items():
            if key == "id" or key.endswith("_at") or key.startswith("window") or key.endswith(
                    "sha256"):
                out[key] = v
            elif key in ("parent", "chat_name"):
                out[key] = self.name(v) if v else v
            elif key in ("export_name", "file_name", "source", "export") and isinstance(v, str):
                out[key] = self.source(v)
            elif key in _CONSENT_FREE_TEXT:
                out[key] = WITHHELD if v else v
            else:
                out[key] = self.deep(v)
        return out


def pseudonymise(findings: Findings, staff: Iterable[StaffMember | str] = (),
                 hide: Iterable[str] = ()) -> Findings:
    """The same findings with every name, chat name and name in free text replaced.

    ``staff``: the roster (`StaffMember`s, so aliases and phones resolve to one person; plain
    names are accepted). ``hide``: extra names to replace in free text (children...).
    Use `pseudonymise_report` when the report context (consent records) goes out too.
    """
    return _Labeller(findings, staff, hide=hide).findings(findings)


def pseudonymise_report(findings: Findings, ctx: C, staff: Iterable[StaffMember | str] = (),
                        hide: Iterable[str] = ()) -> tuple[Findings, C]:
    """Findings and a `reports.context.ReportContext` pseudonymised with one mapping.

    The consent records' parent and chat_name get the same label as in the findings; their
    free text (purpose, evidence, recorded by) is withheld; the title and `staff_focus` are
    rewritten, and `pseudonymised` is set so the report says so. `ctx` is any dataclass with
    those fields (chat_review does not import `reports`).
    """
    roster = list(staff)
    focus = getattr(ctx, "staff_focus", None)
    if focus and not any((m.is_sender(focus) if isinstance(m, StaffMember) else m == focus)
                         for m in roster):
        roster.append(focus)
    consents = list(getattr(ctx, "consents", []) or [])
    lab = _Labeller(findings, roster, consents, hide)
    new_ctx = dataclasses.replace(
        ctx,  # type: ignore[type-var]
        consents=[lab.consent(k) for k in consents],
        staff_focus=lab.name(focus) if focus else focus,
        title=lab.text(getattr(ctx, "title", "")),
        pseudonymised=True,
    )
    return lab.findings(findings), new_ctx
