"""What this process last wrote to or read from a build record, kept in memory by the file's identity, so
that a process that builds again and again (`gazette build --watch`) does not parse again the records it
wrote itself one build earlier (the site's page keys and plan: tens of thousands of entries each).

A remembered value is given back only while the file is the one it was taken from: the same device and
inode, size, modification and change times (as git's index and `build_inputs.py` trust a file's stat).
Every write of the file changes its times, a rename changes its change time, and a new file on a freed inode
has another change time, so any other content is read from the disk again. The records are written only
by a build holding the output's lock, and remembered right after this process wrote or read them.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path
from typing import Any

Identity = tuple[int, int, int, int, int]


def identity(path: Path) -> Identity | None:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class FileMemo:
    """The last `size` values remembered, by file identity. Values are shared: callers copy what they
    change."""

    def __init__(self, size: int = 6) -> None:
        self.size = size
        self._values: OrderedDict[Identity, Any] = OrderedDict()

    def get(self, path: Path, found: Identity | None = None) -> Any | None:
        """The value remembered for `path` as it is now (`found`: its identity, when the caller took it)."""
        found = found or identity(path)
        if found is None or found not in self._values:
            return None
        self._values.move_to_end(found)
        return self._values[found]

    def put(self, path: Path, value: Any, found: Identity | None = None) -> None:
        """Remember `value` as the content of `path`: its identity now (after this process wrote it), or
        `found`, taken before the value was read from it (a file changed during the read has another)."""
        found = found or identity(path)
        if found is None:
            return
        self._values[found] = value
        self._values.move_to_end(found)
        while len(self._values) > self.size:
            self._values.popitem(last=False)

    def clear(self) -> None:
        self._values.clear()
