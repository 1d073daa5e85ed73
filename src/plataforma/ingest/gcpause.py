"""Pause Python's cyclic garbage collector during a bulk load.

A load allocates millions of short-lived objects while the process holds many long-lived ones
(batches in flight, caches, a caller's rows); each automatic collection then walks all of
them, and measured on 100k person rows that walking cost more than a third of the import.
Reference counting still frees almost everything at once; the young generations are
collected explicitly between batches, so cycles (an exception's traceback) do not pile up.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def collect_young() -> None:
    """Collect the two young generations only: cheap, and enough for per-batch cycles."""
    gc.collect(1)
