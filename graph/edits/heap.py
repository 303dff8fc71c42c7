"""Keeping the memory an edit frees for the next edit.

At a million kinds an edit that adds or removes a concept copies about a hundred megabytes
of columns (16 MB each: pre-order positions, IRI order) and frees the previous version's.
By default glibc hands blocks that large back to the kernel (each is mapped on its own, or
trimmed off the top of the heap), so the next edit writes its copies to fresh pages, each
faulted in and zeroed by the kernel: 100-200 ms an edit on our 2-core machine, against
about 10 ms for the same copies into memory the process already holds. With freed blocks
kept in the heap, an edit reuses the pages of the version it replaced.

The price is that the process does not shrink after a large free: it keeps its high-water
mark of heap, which a server that edits reaches again at its next edit anyway.
"""

from __future__ import annotations

import ctypes
import sys
import threading

__all__ = ["keep_freed_memory"]

#: glibc's ``mallopt`` parameters (malloc.h).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
#: The largest block glibc lets the heap serve (its ``DEFAULT_MMAP_THRESHOLD_MAX`` on 64-bit):
#: larger ones are always mapped on their own.
MMAP_ABOVE = 32 * 1024 * 1024

_lock = threading.Lock()
_kept: bool | None = None


def keep_freed_memory() -> bool:
    """From now on, have this process's malloc serve blocks up to :data:`MMAP_ABOVE` from its
    heap and never trim the heap; once per process. Whether it applies (glibc only: elsewhere
    nothing changes)."""
    global _kept
    with _lock:
        if _kept is None:
            _kept = _set_glibc_thresholds()
        return _kept


def _set_glibc_thresholds() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    # -1 turns trimming off (mallopt(3)); each call returns 1 when the value was taken
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_ABOVE) == 1 and mallopt(_M_TRIM_THRESHOLD, -1) == 1)
