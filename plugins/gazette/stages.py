"""What the build's stages share, so that no writer imports the build or another writer: where a stage
writes, how it tells progress, and the report it returns.

A stage is a function `(publication, dirs, settings, progress, reports) -> StageReport`; `reports` holds
the reports of the stages that ran (or were carried over) before it, so the site takes the PDFs' sizes
from the PDF stage's report rather than from the files it happens to find.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .publication import Publication

Progress = Callable[[str], None]


def progress(message: str) -> None:
    """Progress for the person at the terminal: one line on stderr."""
    print(message, file=sys.stderr, flush=True)


@dataclass
class BuildDirs:
    site: Path  # this build's web root
    search_index: Path  # this build's search index
    cache: Path  # persistent caches, keyed by content
    previous: Path  # the last good output's generation (read only; may not exist)
    # The pages `site` already holds (URL → key), when this build updates the spare tree in place
    # (`generations.take_spare`); empty for a new tree. A held file may be a link shared with the live
    # tree: it is replaced, never written through.
    held: dict[str, str] = field(default_factory=dict)
    # The files copied from content/ that `site` already holds (path → SHA-256), likewise.
    held_files: dict[str, str] = field(default_factory=dict)


@dataclass
class StageReport:
    """What a stage did. `files` (URL → size) lists the files it wrote that other stages link to; it is
    kept with the output, so a stage carried over by `--only` still tells the others what is there."""

    stage: str
    files: dict[str, int] = field(default_factory=dict)
    written: int = 0  # pages drawn, PDFs rendered, index entries written: work done this time
    reused: int = 0  # taken unchanged from the last good output or a cache
    removed: int = 0
    rebuilt: bool = False  # made from scratch rather than updated
    seconds: float = 0.0
    # Records that only make later builds faster (the site's page records), written once the output is
    # live, in order; a build stopped before them leaves a live output that the next build redraws more of.
    later: list[Callable[[], None]] = field(default_factory=list)


class Stage(Protocol):
    def __call__(self, publication: Publication, dirs: BuildDirs, settings: Mapping[str, Any],
                 progress: Progress, reports: Mapping[str, StageReport]) -> StageReport: ...
