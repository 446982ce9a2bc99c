"""Python's cyclic garbage collector during one big command run (`analyse`, `messages`).

Importing pandas, numpy and the reader makes hundreds of thousands of objects that live until
the process ends (modules, functions, classes), and the chat read after them keeps its tables
to the end too. The collector's full passes over all of them freed nothing, yet cost 0.07-0.09
s of every million-message `analyse` (two full passes, one during the imports, one while the
findings became JSON), 0.01-0.02 s with the collector paused for the imports and the reading
and those objects then frozen (`gc.freeze`: never scanned again, still freed when their last
reference goes). The reader pauses it on its own as well (`reader._parse._no_gc`).
"""

from __future__ import annotations

import gc
from types import TracebackType


class CollectorPause:
    """``with CollectorPause() as pause:`` the collector is off until ``pause.settled()`` (call
    it once the modules are imported and the chats read), then on for what is made after;
    on leaving, everything is as it was (frozen objects go back to the collector)."""

    def __init__(self) -> None:
        self._was_enabled = gc.isenabled()
        self._frozen = False

    def __enter__(self) -> CollectorPause:
        self._was_enabled = gc.isenabled()
        gc.disable()
        return self

    def settled(self) -> None:
        """What exists now lives to the end of the run: freeze it, and collect what comes."""
        if not self._frozen:
            gc.freeze()
            self._frozen = True
        if self._was_enabled:
            gc.enable()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._frozen:
            gc.unfreeze()
        if self._was_enabled:
            gc.enable()
