"""The phrase tables and what is done with them, in three modules; this one keeps the names
the rest of the reader (and its tests) import from ``phrases``:

* `phrase_book`: the tables loaded into numpy prefilters and lazily compiled patterns;
* `phrase_scan`: media, deleted, edited and 'anywhere' system phrases found in message bodies;
* `system_phrases`: which system event a notice line is.
"""

from __future__ import annotations

from .phrase_book import _key, _read_table, colon_prefixes, phrasebook
from .phrase_scan import scan_spans
from .system_phrases import EVENT_CATEGORIES, event_categories, system_event

__all__ = [
    "EVENT_CATEGORIES", "_key", "_read_table", "colon_prefixes", "event_categories",
    "phrasebook", "scan_spans", "system_event",
]
