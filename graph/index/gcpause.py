"""Pausing Python's cyclic garbage collector while building millions of objects.

Building the index allocates millions of tuples, lists and strings and frees none of
them; each allocation burst triggers collections that walk the whole young heap, and
full collections walk everything built so far. None of it is garbage, so the walks
are pure cost: pausing the collector for the build removes them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block, then restore it as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
