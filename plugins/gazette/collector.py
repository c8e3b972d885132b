"""Python's cycle collector, held off while a build makes many long-lived objects at once.

Unpickling ten thousand documents of the Publication's cache, or holding the search index's record of
its entries, makes hundreds of thousands of objects, none of them garbage. Each collection those
allocations trigger walks them again, and the full ones every object of the process (at 10,000
documents this doubled the time of both). While `paused`, nothing is collected; afterwards what was made
is set aside without being walked: with the objects set aside before, if any (the build sets the corpus
and the Publication aside while the writers run, and gives them all back at its end), else in the oldest
generation (`freeze` then `unfreeze`: no collection).

Who has set objects aside is counted here rather than asked of `gc.get_freeze_count()`, which counts the
frozen objects one by one: 34 ms a call with a corpus of 10,000 documents set aside, and each `paused`
block asked it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_holders = 0  # how many have set objects aside (`set_aside`) and not given them back


def set_aside() -> None:
    """Every object alive now, set aside from the collector (`gc.freeze`) until `give_back` (or the
    build's end, `give_back_all`)."""
    global _holders
    gc.freeze()
    _holders += 1


def give_back() -> None:
    """The end of one `set_aside`: the objects are collected as usual again once no one holds them."""
    global _holders
    if _holders:
        _holders -= 1
    if not _holders:
        gc.unfreeze()


def give_back_all() -> None:
    """Everything set aside is collected as usual again (the end of a build, whatever it did)."""
    global _holders
    _holders = 0
    gc.unfreeze()


@contextmanager
def paused() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if not _holders:
            gc.unfreeze()
        if was:
            gc.enable()
