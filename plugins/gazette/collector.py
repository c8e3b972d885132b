"""Python's cycle collector, held off while a build makes many long-lived objects at once.

Unpickling ten thousand documents of the Publication's cache, or holding the search index's record of
its entries, makes hundreds of thousands of objects, none of them garbage. Each collection those
allocations trigger walks them again, and the full ones every object of the process (at 10,000
documents this doubled the time of both). While `paused`, nothing is collected; afterwards what was made
is set aside without being walked: with the objects frozen before, if any (the build freezes the corpus
and the Publication while the writers run, and unfreezes them all at its end), else in the oldest
generation (`freeze` then `unfreeze`: no collection).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        frozen_before = gc.get_freeze_count() > 0
        gc.freeze()
        if not frozen_before:
            gc.unfreeze()
        if was:
            gc.enable()
