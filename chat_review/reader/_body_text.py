"""The message bodies decoded to one str each, per block of the export, with no Python code
per message; and the C heap trimmed first, as the texts are the reader's peak of memory."""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import pandas as pd

from chat_review.errors import ExportError


def release_freed_memory() -> None:
    """Give the C heap's free pages back to the system (glibc ``malloc_trim``; elsewhere a
    no-op). The numpy steps before the texts free far more than they keep, but in the middle of
    the heap, where glibc keeps it; the message texts (one str each) then come from fresh
    memory, so without this the freed pages count twice at the reader's peak (about 40 MiB on
    a million messages)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (AttributeError, OSError, TypeError):  # not glibc
        return None


_TEXT_BLOCK = 1 << 20


def _texts(arr: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> pd.arrays.StringArray:
    """Each body ``arr[starts[i]:ends[i]]`` as a str.

    Per block of about 1 MiB: the bodies are copied out with numpy, separated by NUL (which a
    chat never contains), decoded once and split, so no Python code runs per message.
    """
    n = len(starts)
    out = np.empty(n, dtype=object)
    i = 0
    while i < n:
        j = int(np.searchsorted(ends, starts[i] + _TEXT_BLOCK, side="right"))
        j = min(max(j, i + 1), n)
        a = int(starts[i])
        s = starts[i:j] - a
        e = ends[i:j] - a
        seg = np.zeros(int(e[-1]) + 1, dtype=np.uint8)
        stop = min(a + len(seg), len(arr))
        seg[: stop - a] = arr[a:stop]
        seg[e] = 0  # the newline (or end of text) after each body becomes the separator
        # runs: body 0 and its separator, the next header, body 1 and its separator, ...
        runs = np.empty(2 * (j - i), dtype=np.int64)
        runs[0::2] = e - s + 1
        runs[1:-1:2] = s[1:] - e[:-1] - 1
        runs[-1] = 0
        keep = np.repeat(np.tile(np.array([True, False]), j - i), runs)
        parts = seg[keep].tobytes().decode().split("\x00")
        if len(parts) != j - i + 1:  # pragma: no cover - a NUL is refused by the container
            raise ExportError("The chat text contains a NUL byte; please report the export.")
        parts.pop()
        out[i:j] = parts
        i = j
    return pd.arrays.StringArray(out)
