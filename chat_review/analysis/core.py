"""From message tables to findings: the steps in order, each in its own module.

* `prepare`: combine the exports, keep what people wrote, work the calendar out once
  (out of hours = outside `WorkingCalendar` hours; weekends, bank holidays, school holidays
  and INSET days are out of hours all day; late night = the settings' window);
* `counts`: per-sender figures and timelines;
* `chat_type`: one-to-one, group or unknown, from the export's own evidence;
* `staff`: messages to staff (one-to-one chats) and about staff (mentions);
* `bursts`: the policy's "frequent messages" (another person's message ends a burst);
* `flags`: lexicon matches for a human look (naming staff is a mention, never a flag);
* `staff_view`: with ``staff=NAME``, everything is about that member of staff only.

Everything is computed with pandas/numpy on whole columns; Python loops run only over
senders, sources, bursts, flags or staff, never over messages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from chat_review.errors import ChatReviewError
from chat_review.reader.chat import Chat

from . import bursts as burst_step
from . import chat_type, counts, flags, rules, staff_view
from . import staff as staff_step
from .findings import Findings, Participant
from .prepare import day_of, prepare, source_info, source_warnings

if TYPE_CHECKING:
    from chat_review.config import Config

Progress = Callable[[str], Any] | None

STEPS = ["combine", "calendar", "staff", "senders", "timeline", "bursts", "flags", "done"]


class DuplicateExportError(ChatReviewError):
    """The same export (same SHA-256) was given twice, perhaps under two file names."""


def _step(progress: Progress, name: str) -> None:
    if progress is not None:
        progress(name)


def refuse_duplicates(chats: Sequence[Chat]) -> None:
    """Raise `DuplicateExportError` when two exports have the same SHA-256: analysing one
    chat twice doubles every count, burst and flag in it."""
    first: dict[str, str] = {}
    for c in chats:
        sha, name = c.meta.sha256, c.meta.source_name
        if sha in first:
            same = "twice" if first[sha] == name else f"twice, as {first[sha]} and {name}"
            raise DuplicateExportError(
                f"The same export (SHA-256 {sha[:12]}…) was given {same}; give each chat once."
            )
        first[sha] = name


def analyse(
    chats: list[Chat],
    config: Config,
    *,
    excerpts: bool = False,
    progress: Progress = None,
    chat_types: Mapping[int, str] | None = None,
    staff: str | None = None,
) -> Findings:
    """Turn one or more parsed exports into `Findings` under the given settings.

    Several exports are combined; every burst, flag and contact keeps the export it came
    from. ``excerpts`` adds short excerpts to review flags (off by default: data
    minimisation). ``chat_types``: the reviewer's word for exports the evidence leaves unknown
    ({export index from 0: "one-to-one" | "group"}). ``staff``: a roster name; the findings
    then hold only what concerns that member of staff (see `staff_view`). ``progress`` is
    called with each name in ``STEPS`` as the step starts. The same export twice is refused
    (`DuplicateExportError`); no exports, or no messages, give valid empty findings.
    """
    chats = list(chats)
    refuse_duplicates(chats)
    overrides = dict(chat_types or {})
    for i, kind in overrides.items():
        if kind not in chat_type.CHAT_TYPES or not 0 <= i < len(chats):
            raise ValueError(f"chat type {i}={kind!r}: not an export and a chat type")
    _step(progress, "combine")
    sources = [source_info(c) for c in chats]
    warnings = rules.config_warnings(config) + [w for c in chats for w in source_warnings(c)]
    p, counts_by_kind = prepare(chats, config, warnings)

    _step(progress, "calendar")
    if p.day0 is not None:
        calendar = config.calendar.describe(day_of(p.day0), day_of(int(p.day1 or p.day0)))
    else:
        calendar = config.calendar.describe(date.today(), date.today())
        calendar.update({"from": None, "to": None, "bank_holidays": [], "closures": []})

    _step(progress, "staff")  # needed first: the staff view restricts every later count
    types = chat_type.decide(p, sources, config, overrides, warnings)
    hits = flags.term_hits(p, config)
    contact = staff_step.contact_rows(p, types, hits)
    kept: np.ndarray | None = None
    counted = p
    if staff is not None:
        kept = staff_view.rows_about(contact, staff)
        counted = p.restrict(kept)
        counts_by_kind = staff_view.kind_counts(counted)

    _step(progress, "senders")
    grid, grid_out = counts.sender_grids(counted)
    senders = counts.sender_stats(counted, grid)

    _step(progress, "timeline")
    daily, daily_by_sender, weekday_hour, wh_by_sender, wh_split = counts.timelines(
        counted, grid, grid_out)

    staff_contact = staff_step.staff_contacts(p, contact)
    mentions = staff_step.staff_mentions(p, contact)

    _step(progress, "bursts")
    found = burst_step.bursts(
        p, min_messages=config.burst_min_messages, window_minutes=config.burst_window_minutes,
        replies_end=config.burst_replies_end, to_staff=contact.to_staff, about=contact.about,
    )

    _step(progress, "flags")
    review = flags.review_flags(p, hits, config, excerpts, rows_kept=kept)

    _step(progress, "done")
    findings = Findings(
        sources=sources,
        period=p.period,
        counts_by_kind=counts_by_kind,
        participants=[Participant(s.sender, s.is_staff, s.messages) for s in senders],
        senders=senders,
        daily_by_sender=daily_by_sender,
        daily=daily,
        weekday_hour=weekday_hour,
        weekday_hour_by_sender=wh_by_sender,
        bursts=found,
        staff_contact=staff_contact,
        flags=review,
        calendar=calendar,
        settings=rules.settings(config, excerpts, [m.name for m in config.staff]),
        warnings=warnings,
        total_messages=counted.n,
        out_of_hours_messages=int(counted.outside.sum()),
        staff_mentions=mentions,
        weekday_hour_split=wh_split,
        built_in_defaults=rules.built_in(config),
    )
    if staff is not None:
        findings = staff_view.focus(findings, staff, counted)
    return findings
