"""Every use of Whoosh's private names and undocumented behaviour, in one module.

Written against whoosh-reloaded 2.7.5 (`WRITTEN_FOR`; pinned in pyproject.toml). On any other version, or
when a name below is missing, the search answers through Whoosh's stock matchers and scorers and the index
is written by Whoosh's stock writer (`fast_queries_supported`, `reproducible_writing_supported`), with a
warning in the log; `tests/test_whoosh_internals.py` fails until each item is checked again and
`WRITTEN_FOR` raised. Figures: docs/search.md ("Speed") and bench/README.md ("Search speed"), 10,000
documents on the 2-core development machine.

Queries (the fast path of index.py; `GAZETTE_SEARCH_FAST_PATH = False` turns it off):

- `W3LeafMatcher._read_ids`, `_read_weights`, `_read_values`, `_next_block` and the block lists they fill
  (`_ids`, `_weights`, `_values`): a term's postings read a block (up to 128 documents) at a time instead of
  one `next()`, `id()`, `weight()`, `value()` call per document (`read_postings`, `read_doc_ids`).
- `whoosh.system._INT_SIZE` and the Positions format's encoding (an unsigned int count, then a pickle of the
  deltas, its final STOP byte dropped): positions decoded by `pickle.loads` and `itertools.accumulate`, in
  C, instead of `Positions.decode_positions`' Python loop (`decode_positions`).
- `WeightLengthScorer._score(weight, length)` (BM25FScorer): a document's score from its weight and its
  field length, the lengths of a segment read once into a list, instead of `scorer.score(matcher)`
  reading each length through the searcher (`score_function`).
- Undocumented behaviour reproduced so that scores and order stay exactly Whoosh's: the order in which a
  binary tree of union or intersection matchers adds its children's scores (`whoosh.util.make_binary_tree`,
  `tree_sum`), and when `Or` preloads a constant-score prefix into an array matcher that gives every
  document the score 1 (`Or._matcher`'s AUTO_MATCHER choice, `Or.TOO_MANY_CLAUSES`: `prefix_is_preloaded`).

  Together these bought (with the phrase matcher of index.py built on them): each of the benchmark's 12
  queries asked once on a fresh index, 1,236-1,278 ms -> 621-676 ms in all (1.8-2.1x); the slowest phrase
  (政府信息公开, bigrams in nearly every document) 437-476 ms -> 226-231 ms; with the per-searcher cache,
  `/api/search` p95 with 4 clients 1,779-2,069 ms -> 188-221 ms.

Writing (index.py's `IndexWriter`: the same content gives the same index files, byte for byte, whatever
the number of processes; docs/architecture.md, "Work keyed by content"):

- `SegmentWriter(_lk=False)` and `SegmentWriter._finalize_segment()`: a segment of a full build written in
  a worker process without taking the index lock, and returned instead of committed; `FileIndex._read_toc()`,
  `whoosh.index.TOC` and `whoosh.index.clean_files`: the parent lists the segments in a new table of
  contents in the order of the entries, whichever process wrote which (`write_segment`, `commit_segments`).
  Whoosh's own multiprocessing writer deals documents to whichever process is free, so its segments differ
  from build to build. Full build of 10,000 documents, 2 processes: 85.1 s (176 entries/s).
- `Codec.new_segment` overridden and `W3Segment(segid=)`: a segment named by a hash of what it is made from
  and of the segments already there (`FileIndex._segments()`), where Whoosh draws a random name
  (`named_codec`, `segment_name`).
- `W3PerDocWriter._storedfields`, `._fieldlengths` and the segment's `_fieldlengths`: kept in the order of
  the field names, since Whoosh fills them in the order of a set, which changes from run to run.
- File names: a segment's files are `<indexname>_<segid>.<ext>`, the lock `<indexname>_WRITELOCK`, the
  writers' temporary folder `<indexname>.tmp` (`is_segment_file`, `remove_temp_files`). The search stage
  hard-links segment files from the last good index instead of copying them (10,000 documents: copy step
  0.245 s -> 0.051 s; at 100,000 the "nothing changed" build was mostly this copy).

These cannot be had through the public API: it has no way to choose a segment's name, nor to commit
segments written elsewhere in an order of one's own. Without them (another Whoosh, or a name missing) the
stock writer is used: segments of the same entries in the same order and of the same size, with random
names, written one after the other in one process. The index answers the same (same documents, scores and
order); its file names, and so its bytes, differ from build to build, and a full build uses one core.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import logging
import pickle
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from itertools import accumulate
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import system as whoosh_system
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PerDocWriter, W3Segment
from whoosh.scoring import WeightLengthScorer
from whoosh.writing import SegmentWriter

PACKAGE = "whoosh-reloaded"
WRITTEN_FOR = "2.7.5"

log = logging.getLogger(__name__)


def installed_version() -> str:
    try:
        return package_version(PACKAGE)
    except PackageNotFoundError:
        return "unknown"


def _parameters(function: Any) -> set[str]:
    try:
        return set(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return set()


def missing_for_queries() -> list[str]:
    """The private names the fast query path uses that the installed Whoosh lacks."""
    missing = [] if isinstance(getattr(whoosh_system, "_INT_SIZE", None), int) else ["whoosh.system._INT_SIZE"]
    for name in ("_read_ids", "_read_weights", "_read_values", "_next_block"):
        if not callable(getattr(W3LeafMatcher, name, None)):
            missing.append(f"W3LeafMatcher.{name}")
    if _parameters(getattr(WeightLengthScorer, "_score", None)) != {"self", "weight", "length"}:
        missing.append("WeightLengthScorer._score(weight, length)")
    if not isinstance(getattr(wq.Or, "TOO_MANY_CLAUSES", None), int):
        missing.append("Or.TOO_MANY_CLAUSES")
    return missing


def missing_for_writing() -> list[str]:
    """The private names the reproducible writer uses that the installed Whoosh lacks."""
    missing = []
    if not {"_lk", "codec", "compound", "limitmb"} <= _parameters(SegmentWriter.__init__):
        missing.append("SegmentWriter(_lk=, codec=, compound=, limitmb=)")
    if not callable(getattr(SegmentWriter, "_finalize_segment", None)):
        missing.append("SegmentWriter._finalize_segment")
    for name in ("_read_toc", "_segments"):
        if not callable(getattr(whoosh_index.FileIndex, name, None)):
            missing.append(f"FileIndex.{name}")
    if not {"schema", "segments", "generation"} <= _parameters(getattr(whoosh_index, "TOC", None)):
        missing.append("whoosh.index.TOC(schema, segments, generation)")
    if _parameters(getattr(whoosh_index, "clean_files", None)) != {"storage", "indexname", "gen", "segments"}:
        missing.append("whoosh.index.clean_files(storage, indexname, gen, segments)")
    if "segid" not in _parameters(W3Segment.__init__):
        missing.append("W3Segment(segid=)")
    for name in ("new_segment", "per_document_writer"):
        if not callable(getattr(W3Codec, name, None)):
            missing.append(f"W3Codec.{name}")
    return missing


def _supported(what: str, missing: list[str]) -> bool:
    found = installed_version()
    problems = ([f"{PACKAGE} {found} is installed, this code was checked against {WRITTEN_FOR}"]
                if found != WRITTEN_FOR else []) + [f"missing: {name}" for name in missing]
    if problems:
        log.warning("search: %s; %s", "; ".join(problems), what)
    return not problems


@functools.cache
def fast_queries_supported() -> bool:
    """Whether the fast query path may run here (checked once a process; a warning when it may not)."""
    return _supported("queries are answered by Whoosh's stock matchers (slower, the same results)",
                      missing_for_queries())


@functools.cache
def reproducible_writing_supported() -> bool:
    """Whether the reproducible writer may run here (checked once a process; a warning when it may not)."""
    return _supported("the index is written by Whoosh's stock writer (the same answers, not the same files)",
                      missing_for_writing())


# --- Queries -------------------------------------------------------------------------------------------

def read_postings(matcher: Any, values: bool) -> tuple[list[int], list[float], list[bytes]]:
    """The document numbers, weights and (with `values`) encoded values of one term's postings in one
    segment, from the matcher `reader.postings()` returns."""
    ids: list[int] = []
    weights: list[float] = []
    raw: list[bytes] = []
    if isinstance(matcher, W3LeafMatcher):  # postings on disk: a block at a time
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            if values:
                matcher._read_values()
                raw.extend(matcher._values)
            matcher._next_block()
    else:  # any other matcher (postings inlined in the term's info, another codec): the public API
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if values:
                raw.append(matcher.value())
            matcher.next()
    return ids, weights, raw


def read_doc_ids(matcher: Any) -> list[int]:
    """The document numbers of one term's postings in one segment, without weights or positions."""
    ids: list[int] = []
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            matcher._read_ids()
            ids.extend(matcher._ids)
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            matcher.next()
    return ids


def decode_positions(value: bytes) -> Iterator[int]:
    """The positions in a Positions-format posting value (what `Positions.decode_positions` returns)."""
    if not value.endswith(b"."):
        value += b"."
    return accumulate(pickle.loads(value[whoosh_system._INT_SIZE:]))


def score_function(scorer: Any) -> Callable[[float, int], float]:
    """score(weight, field length) of a term's scorer (`weighting.scorer(...)`, BM25F here): what
    `scorer.score(matcher)` computes for a matcher on a document of that weight and length."""
    return scorer._score


def tree_sum(scores: list[float | None]) -> float | None:
    """The score of a binary tree of union (or intersection) matchers over `scores`, added in the order of
    `make_binary_tree`'s tree, so that results rank exactly as Whoosh ranks them (floating-point sums
    depend on the order); None stands for a matcher not on the document."""
    if len(scores) == 1:
        return scores[0]
    if len(scores) == 2 and scores[0] is not None and scores[1] is not None:
        return scores[0] + scores[1]
    half = len(scores) // 2
    a, b = tree_sum(scores[:half]), tree_sum(scores[half:])
    if a is None:
        return b
    if b is None:
        return a
    return a + b


# Or._matcher preloads into an array only on a segment of at most this many documents.
_PRELOAD_DOCUMENTS = 5000


def prefix_is_preloaded(searcher: Any, context: Any, terms: int) -> bool:
    """Whether Whoosh's constant-score Prefix over `terms` terms on this segment searcher ORs them in an
    array matcher that scores every document 1 (rather than a tree of union matchers)."""
    if terms < 3 or searcher.doc_count_all() > _PRELOAD_DOCUMENTS:  # two terms: always a tree
        return False
    return terms >= wq.Or.TOO_MANY_CLAUSES or not context.needs_current


# --- Writing -------------------------------------------------------------------------------------------

class _SortedPerDocWriter(W3PerDocWriter):
    """Whoosh's per-document writer, keeping a document's stored fields and the segment's field lengths
    in the order of their names: when segments are merged Whoosh hands them over in the order of a set
    of names, which changes from one run to the next (string hashes are salted per process)."""

    def finish_doc(self) -> None:
        if self._storedfields:
            self._storedfields = dict(sorted(self._storedfields.items()))
        super().finish_doc()

    def close(self) -> None:
        super().close()
        self._segment._fieldlengths = defaultdict(int, sorted(self._fieldlengths.items()))


class _NamedCodec(W3Codec):
    """Whoosh's codec, giving the next segment the name it is told instead of a random one."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def new_segment(self, storage: Any, indexname: str) -> Any:
        # The segment (pickled into the table of contents) keeps the stock codec, not this one, so that
        # reading the index never needs this module.
        return W3Segment(W3Codec(), indexname, segid=self.name)

    def per_document_writer(self, storage: Any, segment: Any) -> Any:
        return _SortedPerDocWriter(self, storage, segment)


def named_codec(name: str) -> Any:
    """A codec for `ix.writer(codec=…)` whose new segment is called `name`."""
    return _NamedCodec(name)


def segment_name(ix: Any, content: Iterable[str]) -> str:
    """A new segment's name: a hash of the index's segments and of what the new segment is made from.
    Never the name of a file already in the folder: those may be hard links into the last good index,
    and Whoosh would write into them."""
    digest = hashlib.sha256()
    for segment in ix._segments():
        digest.update(segment.segment_id().encode() + b"\0")
    for part in content:
        digest.update(part.encode() + b"\0")
    taken = {name.split(".")[0] for name in ix.storage.list()}
    name = digest.hexdigest()[:16]
    while f"{ix.indexname}_{name}" in taken:
        digest.update(b"\0")
        name = digest.hexdigest()[:16]
    return name


def write_segment(folder: str, name: str, documents: list[dict[str, Any]], compound: bool,
                  limitmb: int) -> Any:
    """Write one segment called `name` into the index in `folder` (in a worker process, or in this one)
    and return it, not listed in the table of contents: `commit_segments` lists it."""
    ix = whoosh_index.open_dir(folder)
    writer = SegmentWriter(ix, _lk=False, limitmb=limitmb, compound=compound, codec=_NamedCodec(name))
    for document in documents:
        writer.add_document(**document)
    # Writes the segment's files and removes this writer's temporary runs; the temporary folder, which
    # the writers share, is removed by `remove_temp_files`.
    return writer._finalize_segment()


def remove_temp_files(folder: Path, ix: Any) -> None:
    shutil.rmtree(folder / f"{ix.indexname}.tmp", ignore_errors=True)


def commit_segments(ix: Any, added: list[Any]) -> None:
    """A new table of contents listing the index's segments and then `added`, in that order."""
    # Each as if it came back from a worker: pickle shares objects between the segments made in one
    # process, and the table of contents (a pickle) must not depend on which process made which.
    added = [pickle.loads(pickle.dumps(segment)) for segment in added]
    toc = ix._read_toc()
    segments = [*toc.segments, *added]
    generation = toc.generation + 1
    whoosh_index.TOC(toc.schema, segments, generation).write(ix.storage, ix.indexname)
    whoosh_index.clean_files(ix.storage, ix.indexname, generation, segments)


def is_segment_file(name: str, indexname: str = "MAIN") -> bool:
    """Whether a file of an index folder belongs to a segment (written once, never changed: new and merged
    segments get new files) rather than being the table of contents or the lock, which are rewritten."""
    return name.startswith(f"{indexname}_") and name != f"{indexname}_WRITELOCK"
