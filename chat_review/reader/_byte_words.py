"""Numpy on the export's bytes, 8 bytes at a time: unaligned 64-bit loads at many positions,
the first ':' of each line, exact codes for byte spans (senders) without making the strings."""

from __future__ import annotations

import numpy as np

_CHUNK = 1 << 23

_U8_ONES = np.uint64(0x0101010101010101)

_U8_HIGH = np.uint64(0x8080808080808080)

_COLON = np.uint64(0x3A3A3A3A3A3A3A3A)

_NEWLINE = np.uint64(0x0A0A0A0A0A0A0A0A)

#: Positions per block in `find_colon` and the header matcher (`_locate`): 16,384 a block
#: spent 0.03 s more of 0.16 s on 1M lines in numpy call overhead, 65,536 gained nothing more.
ROWS = 1 << 15


def positions_of(arr: np.ndarray, byte: int, start: int = 0, stop: int | None = None) -> np.ndarray:
    """Sorted positions of ``byte`` in ``arr[start:stop]`` (chunked: no full-size temporary)."""
    stop = len(arr) if stop is None else stop
    out = []
    for off in range(start, stop, _CHUNK):
        out.append(np.flatnonzero(arr[off : min(off + _CHUNK, stop)] == byte) + off)
    return np.concatenate(out) if out else np.empty(0, dtype=np.int64)


def words8(buf: bytes) -> np.ndarray:
    """An unaligned little-endian uint64 view: ``w[i]`` is ``buf[i:i+8]`` (i <= len - 8)."""
    if len(buf) < 8:
        return np.empty(0, dtype="<u8")
    return np.ndarray(shape=(len(buf) - 7,), dtype="<u8", buffer=buf, strides=(1,))


def _load8(buf: bytes, w: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """The 8 bytes at each position (zero-padded past the end of ``buf``)."""
    if not len(pos):
        return np.zeros(0, dtype="<u8")
    if len(w) and int(pos.max()) < len(w):
        return w[pos]
    out = w[np.minimum(pos, max(len(w) - 1, 0))] if len(w) else np.zeros(len(pos), "<u8")
    tail = np.flatnonzero(pos > len(buf) - 8)
    for i in tail.tolist():
        p = int(pos[i])
        out[i] = int.from_bytes(buf[p : p + 8].ljust(8, b"\x00"), "little")
    return out


def _rows_view(buf: bytes, width: int) -> np.ndarray | None:
    """A read-only (len - width + 1, width) view: row ``i`` is ``buf[i:i+width]``."""
    if len(buf) < width:
        return None
    arr = np.frombuffer(buf, dtype=np.uint8)
    return np.lib.stride_tricks.as_strided(
        arr, shape=(len(buf) - width + 1, width), strides=(1, 1), writeable=False
    )


def _first_byte(x: np.ndarray) -> np.ndarray:
    """Index of the lowest flagged byte in a SWAR mask (x != 0)."""
    low = x & (~x + np.uint64(1))
    return (np.log2(low.astype(np.float64)).astype(np.int64)) >> 3


def find_colon(buf: bytes, w: np.ndarray, pos: np.ndarray, limit: int) -> np.ndarray:
    """Per start position, the first ':' before the end of its line (or -1), 8 bytes a step.

    Done per block of positions: each step makes a dozen temporary arrays, 8 MiB each per
    million positions at once (the largest transient of the reader's memory)."""
    out = np.empty(len(pos), dtype=np.int64)
    for lo in range(0, len(pos), ROWS):
        out[lo : lo + ROWS] = _find_colon_block(buf, w, pos[lo : lo + ROWS], limit)
    return out


def _find_colon_block(buf: bytes, w: np.ndarray, pos: np.ndarray, limit: int) -> np.ndarray:
    n = len(pos)
    out = np.full(n, -1, dtype=np.int64)
    active = np.arange(n)
    p = pos.copy()
    for _ in range(32):
        if not len(active):
            return out
        v = _load8(buf, w, p)
        xc = v ^ _COLON
        xn = v ^ _NEWLINE
        hc = (xc - _U8_ONES) & ~xc & _U8_HIGH
        hn = (xn - _U8_ONES) & ~xn & _U8_HIGH
        hit = (hc | hn) != 0
        past = p + 8 >= limit
        idx = np.flatnonzero(hit | past)
        if len(idx):
            h = hc[idx] | hn[idx]
            k = np.where(h != 0, _first_byte(np.where(h != 0, h, np.uint64(1))), 8)
            q = p[idx] + k
            is_colon = (hc[idx] != 0) & (k == _first_byte(np.where(hc[idx] != 0, hc[idx],
                                                                     np.uint64(1))))
            found = is_colon & (q < limit)
            out[active[idx[found]]] = q[found]
            done = np.zeros(len(active), dtype=bool)
            done[idx] = True
            keep = ~done
            active = active[keep]
            p = p[keep] + 8
        else:
            p = p + 8
    for j, s in zip(active.tolist(), p.tolist(), strict=True):  # very long lines: plain find
        nl = buf.find(b"\n", s, limit)
        stop = limit if nl < 0 else nl
        c = buf.find(b":", s, stop)
        out[j] = c
    return out


def factorize_spans(buf: bytes, w: np.ndarray, start: np.ndarray, length: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Exact codes for the byte strings ``buf[start:start+length]`` without making them.

    Strings are compared 8 bytes at a time: each round pairs the codes so far with the next
    word's codes, as ``code * width + word code``, above every code in use, so equal codes mean
    equal bytes (renumbered only when the numbers would grow too large). Returns (codes, index
    of the first string with each code), codes numbered in order of first appearance.
    """
    import pandas as pd

    n = len(start)
    if not n:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    codes = length.astype(np.int64)  # (a copy: it is written to)
    k = 0
    rows = np.flatnonzero(length > 0)
    while len(rows):
        v = _word(buf, w, start, length, rows, k)
        wc = pd.factorize(v)[0].astype(np.int64, copy=False)
        del v
        width = int(wc.max()) + 1
        if (int(codes.max()) + 1) * (width + 1) >= 1 << 62:  # renumber (equal stay equal)
            codes = pd.factorize(codes)[0].astype(np.int64, copy=False)
        top = int(codes.max()) + 1
        codes[rows] = codes[rows] * width + wc + top
        del wc
        k += 1
        rows = rows[length[rows] > 8 * k]
    codes, _ = pd.factorize(codes)
    codes = codes.astype(np.int64, copy=False)
    return codes, first_of_codes(codes)


def _word(buf: bytes, w: np.ndarray, start: np.ndarray, length: np.ndarray, rows: np.ndarray,
          k: int) -> np.ndarray:
    """Bytes ``8k .. 8k+7`` of each string ``rows`` of `factorize_spans` as a uint64, zero past
    the string's end. Made ``ROWS`` strings at a time: the few temporaries of a step stay small
    instead of 8 MiB each per million strings, fresh pages every one."""
    out = np.empty(len(rows), dtype=np.uint64)
    for lo in range(0, len(rows), ROWS):
        r = rows[lo : lo + ROWS]
        rem = length[r] - 8 * k
        v = _load8(buf, w, start[r] + 8 * k)
        shift = (np.minimum(rem, 8) * 8).astype(np.uint64)
        v &= np.where(rem >= 8, np.uint64(0xFFFFFFFFFFFFFFFF),
                      (np.uint64(1) << np.minimum(shift, np.uint64(63))) - np.uint64(1))
        out[lo : lo + ROWS] = v
    return out


def first_of_codes(codes: np.ndarray) -> np.ndarray:
    """Index of the first occurrence of each code, for codes numbered in order of appearance
    (as ``pd.factorize`` numbers them): where the running maximum goes up."""
    if not len(codes):
        return np.empty(0, dtype=np.int64)
    run = np.maximum.accumulate(codes)
    up = np.empty(len(codes), dtype=bool)
    up[0] = True
    np.greater(run[1:], run[:-1], out=up[1:])
    return np.flatnonzero(up)
