"""The Whoosh engine (the whoosh-reloaded fork), the default of the two behind engine.py. Only this module
and whoosh_internals.py (every use of Whoosh's private names, and the checks that guard them) import it.

The rest of the package speaks in `Entry` (entry.py: what one index entry holds), `SearchRequest` and
`RawPage` (query.py); `SearchIndex` and `IndexWriter` are engine.py's `Index` and `Writer` for Whoosh.

Layout of an index folder: Whoosh's files, `gazette-index.json` (schema and analyser versions: an index
of other versions is rebuilt, not updated) and `facets.json` (the publishers, catalogue classes, genres
and years present, with their labels, for the search form and for checking filters).

Segments are kept to a bounded size (`SEGMENT_ENTRIES`), and a segment from which an entry is deleted is
rewritten without it at once: Whoosh otherwise only marks a deleted entry, and its text would stay in the
files, which must never hold a body that is no longer public.

Reproducible: the same entries written onto the same index give the same files, byte for byte. Whoosh
names a new segment at random; here its name is a hash of what the writer is given and of the segments
already there (`whoosh_internals.segment_name`), and a full build cuts the entries into segments by their
order alone, not by which process happens to take which, whatever the number of processes. This needs
Whoosh's internals; where they are not as expected, the stock writer writes the same segments under
random names (see whoosh_internals.py).

Queries run on a fast path of matchers of this module's own (docs/search.md, "Speed"), giving exactly
Whoosh's documents, scores and order; `SearchIndex(fast=False)` (the setting GAZETTE_SEARCH_FAST_PATH)
answers through Whoosh's stock matchers and scorers instead.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
import weakref
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import matching
from whoosh import query as wq
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.idsets import BitSet
from whoosh.reading import SegmentReader
from whoosh.sorting import Categorizer, FieldFacet, MultiFacet, ScoreFacet
from whoosh.util import make_binary_tree

from . import whoosh_internals as internals
from .analysis import ANALYSIS_VERSION, QueryToken, index_tokens, normalise, phrase_cover
from .entry import (
    FACETS_FILE,
    FIELD_BOOSTS,
    VERSION_FILE,
    Changes,
    Entry,
    Wanted,
    changes_from,
    entry_fields,
    made,
    written_version,
)
from .entry import write_facets as write_facets  # where the tests and tools have always found it
from .query import Clause, RawPage, SearchRequest

SCHEMA_VERSION = 2
# Segments as separate files, not one compound file: Whoosh reads a file inside a compound segment by
# copying it into a BytesIO, so every searcher (one a thread) would hold a copy of the whole index in
# memory (measured: 0.5 GB a thread for 10,000 documents). Separate files are read through the OS cache.
COMPOUND = False
ENGINE = "whoosh-reloaded"
SEGMENT_ENTRIES = 1000  # entries a segment of a full build holds; an edit rewrites one such segment


class GazetteTokenizer(Tokenizer):
    """analysis.index_tokens as a Whoosh tokenizer (positions only: highlighting is done elsewhere)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for text, pos in index_tokens(normalise(value)):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            yield token


def _schema() -> Schema:
    def text(stored: bool) -> TEXT:
        return TEXT(analyzer=GazetteTokenizer(), phrase=True, stored=stored)

    return Schema(
        key=ID(unique=True, stored=True), kind=ID(stored=True), slug=ID(stored=True), lang=ID(stored=True),
        url=STORED(), title=text(True), body=text(True), summary=STORED(), meta=text(False),
        number=STORED(), number_key=ID(), index_no=STORED(), index_no_key=ID(),
        publisher=STORED(), issuers=KEYWORD(scorable=False), class_id=STORED(),
        classes=KEYWORD(scorable=False),
        genre=ID(stored=True), signed=STORED(), published=ID(stored=True, sortable=True),
        year=NUMERIC(int, stored=True), validity=ID(stored=True), disclosure=ID(stored=True),
        issue=ID(stored=True), labels=STORED(), content_hash=STORED(), fingerprint=STORED(),
    )


def version() -> dict[str, Any]:
    return {"engine": ENGINE, "schema": SCHEMA_VERSION, "analysis": ANALYSIS_VERSION}


def is_compatible(folder: Path) -> bool:
    """An index folder this code can update in place: same engine, schema and analyser."""
    return written_version(folder) == version() and whoosh_index.exists_in(str(folder))


_document = entry_fields


SMALL_SEGMENTS = 8  # small segments (left by incremental builds) merged once there are more than this


def _purge_deleted(writer: Any, segments: list[Any]) -> list[Any]:
    """Merge policy: rewrite every segment that has deleted entries (copying only the live ones), so
    nothing of a deleted entry stays in the files, and merge the small segments that incremental builds
    leave once there are many; keep the others as they are."""
    small = [s for s in segments if s.doc_count_all() < SEGMENT_ENTRIES // 4]
    merge_small = len(small) > SMALL_SEGMENTS
    kept = []
    for segment in segments:
        if segment.has_deletions() or (merge_small and segment in small):
            reader = SegmentReader(writer.storage, writer.schema, segment)
            if reader.doc_count():
                writer.add_reader(reader)
            reader.close()
        else:
            kept.append(segment)
    return kept


def _entry_ids(entries: Iterable[Entry]) -> Iterator[str]:
    for entry in entries:
        yield f"+{entry.key}:{entry.fingerprint}"


def _write_segment(job: tuple[str, str, list[dict[str, Any]]]) -> Any:
    """Write one segment of a full build (in a worker process, or in this one); the caller lists it in
    the table of contents."""
    folder, name, documents = job
    return internals.write_segment(folder, name, documents, compound=COMPOUND, limitmb=128)


class IndexWriter:
    """Writes one index folder: from scratch (`create`) or in place (`open`, on a copy of the last one).

    `reproducible`: segments named by their content and a full build in several processes, through
    Whoosh's internals; without it (they are not as expected) Whoosh's stock writer writes the same
    segments, one after the other, under random names."""

    purges_in_place = True  # `update` rewrites every segment it deletes from (_purge_deleted)

    def __init__(self, folder: Path, ix: Any) -> None:
        self.folder, self.ix = folder, ix
        self.reproducible = internals.reproducible_writing_supported()

    @classmethod
    def create(cls, folder: Path) -> IndexWriter:
        folder.mkdir(parents=True, exist_ok=True)
        ix = whoosh_index.create_in(str(folder), _schema())
        (folder / VERSION_FILE).write_text(json.dumps(version()), encoding="utf-8")
        return cls(folder, ix)

    @classmethod
    def open(cls, folder: Path) -> IndexWriter:
        return cls(folder, whoosh_index.open_dir(str(folder)))

    def fingerprints(self) -> dict[str, str]:
        """key → fingerprint of every entry in the index."""
        with self.ix.searcher() as searcher:
            return {fields["key"]: fields.get("fingerprint", "") for fields in searcher.all_stored_fields()}

    def changes(self, wanted: list[Wanted]) -> Changes:
        return changes_from(self.fingerprints(), wanted)

    def add_all(self, entries: Iterable[Wanted], procs: int = 1) -> int:
        """A full build: entries in segments of SEGMENT_ENTRIES in their order, written by `procs`
        processes, each segment by one (Whoosh's multiprocessing writer deals documents out to whichever
        process is free, so the segments would differ from build to build)."""
        batch = made(entries)
        chunks = [batch[i:i + SEGMENT_ENTRIES] for i in range(0, len(batch), SEGMENT_ENTRIES)]
        if not self.reproducible:
            for chunk in chunks:
                writer = self.ix.writer(limitmb=128, compound=COMPOUND)
                for entry in chunk:
                    writer.add_document(**_document(entry))
                writer.commit(merge=False)  # one segment a chunk, as below
            return len(batch)

        def jobs() -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
            names: list[str] = []
            for chunk in chunks:
                # The names already given take part: two segments of one build never share a name.
                names.append(internals.segment_name(self.ix, [*names, *_entry_ids(chunk)]))
                yield str(self.folder), names[-1], [_document(e) for e in chunk]

        try:
            if procs > 1 and len(chunks) > 1:
                with multiprocessing.Pool(min(procs, len(chunks))) as pool:
                    segments = list(pool.imap(_write_segment, jobs()))
            else:
                segments = [_write_segment(job) for job in jobs()]
        finally:
            internals.remove_temp_files(self.folder, self.ix)
        if segments:
            internals.commit_segments(self.ix, segments)
            self.ix = whoosh_index.open_dir(str(self.folder))
        return len(batch)

    def update(self, remove: Iterable[str], add: list[Wanted], wanted: list[Wanted] | None = None) -> None:
        """Delete the entries `remove` (keys) and add `add`, in one commit that purges deleted entries
        (their segments are copied from the index itself: `wanted` is not needed)."""
        remove, add = list(remove), made(add)
        kwargs: dict[str, Any] = {}
        if self.reproducible:
            name = internals.segment_name(self.ix, [*(f"-{key}" for key in remove), *_entry_ids(add)])
            kwargs["codec"] = internals.named_codec(name)
        writer = self.ix.writer(limitmb=64, compound=COMPOUND, **kwargs)
        for key in remove:
            writer.delete_by_term("key", key)
        for entry in add:
            writer.add_document(**_document(entry))
        writer.commit(mergetype=_purge_deleted)

    def segment_count(self) -> int:
        reader = self.ix.reader()
        try:
            return len(list(reader.leaf_readers())) if reader.doc_count_all() else 0
        finally:
            reader.close()

    def close(self) -> None:
        self.ix.close()


# Per searcher (one a thread), all segments together: the documents of the terms, phrases and prefixes
# last matched, at most this many (about 12 bytes each), with their scores.
MATCH_CACHE_DOCUMENTS = 1_000_000

Matches = tuple[array, array]  # docnums ("I") and scores ("d", exactly the floats computed)


class _SegmentCache:
    """What is kept with a reader while its searcher is open (a searcher and its readers live until the
    index is replaced; one searcher a thread). A segment's reader keeps every document's field lengths;
    the searcher's own (whole-index) reader keeps the ranks of the dates, the documents of recent
    filters, and the documents and scores of the terms, phrases and prefixes last matched in each
    segment, so that a common query asked again does not read and check the same postings again.
    Results stay exact: scores use the index-wide statistics of this searcher, which do not change while
    it is open, and a new build is opened with new readers."""

    def __init__(self) -> None:
        self.lengths: dict[str, list[int]] = {}
        self.ranks: dict[str, dict[Any, int]] = {}
        self.filters: OrderedDict[Any, Any] = OrderedDict()
        self.matches: OrderedDict[tuple[Any, ...], Matches] = OrderedDict()
        self.documents = 0  # in `matches`

    def get(self, key: tuple[Any, ...]) -> Matches | None:
        found = self.matches.get(key)
        if found is not None:
            self.matches.move_to_end(key)
        return found

    def put(self, key: tuple[Any, ...], value: Matches) -> None:
        size = max(1, len(value[0]))  # an empty match counts as one, so there are never unboundedly many
        if size > MATCH_CACHE_DOCUMENTS:
            return
        old = self.matches.pop(key, None)
        if old is not None:
            self.documents -= max(1, len(old[0]))
        self.matches[key] = value
        self.documents += size
        while self.documents > MATCH_CACHE_DOCUMENTS:
            _, (ids, _) = self.matches.popitem(last=False)
            self.documents -= max(1, len(ids))


_SEGMENTS: weakref.WeakKeyDictionary[Any, _SegmentCache] = weakref.WeakKeyDictionary()
_SEGMENTS_LOCK = threading.Lock()


def _segment_cache(searcher: Any) -> _SegmentCache:
    reader = searcher.reader()
    cache = _SEGMENTS.get(reader)
    if cache is None:
        with _SEGMENTS_LOCK:
            cache = _SEGMENTS.get(reader)
            if cache is None:
                cache = _SEGMENTS[reader] = _SegmentCache()
    return cache


def _match_cache(searcher: Any) -> tuple[_SegmentCache, int]:
    """The cache of matches of a segment searcher's parent, and the segment's key in it."""
    return _segment_cache(searcher.get_parent()), id(searcher.reader())


def _lengths(searcher: Any, fieldname: str) -> list[int]:
    """The length of `fieldname` in every document of a segment searcher, as its scorer reads it."""
    cache = _segment_cache(searcher).lengths
    lengths = cache.get(fieldname)
    if lengths is None:
        lengths = cache[fieldname] = [searcher.doc_field_length(d, fieldname, 1)
                                      for d in range(searcher.reader().doc_count_all())]
    return lengths


@dataclass
class _Postings:
    """The postings of one term in one segment, read block by block, with each document's score."""

    ids: list[int]
    scores: list[float]
    values: dict[int, bytes]  # docnum → positions (encoded), read only for phrases


def _postings(searcher: Any, context: Any, fieldname: str, text: str, values: bool) -> _Postings | None:
    field, reader = searcher.schema[fieldname], searcher.reader()
    btext = field.to_bytes(text)
    if (fieldname, btext) not in reader:
        return None
    weighting = context.weighting if context is not None else searcher.weighting
    # The scorer Whoosh's own term matcher would use (global statistics through the parent searcher).
    scorer = weighting.scorer(searcher, fieldname, btext)
    ids, weights, raw = internals.read_postings(reader.postings(fieldname, btext), values)
    lengths = _lengths(searcher, fieldname)
    score = internals.score_function(scorer)
    return _Postings(ids, [score(w, lengths[d]) for d, w in zip(ids, weights, strict=True)],
                     dict(zip(ids, raw, strict=True)) if values else {})


def _matches(ids: list[int], scores: list[float]) -> Matches:
    return array("I", ids), array("d", scores)


def _scored(ids: Any, scores: Any, boost: float) -> Any:
    if not ids:
        return matching.NullMatcher()
    m = matching.ListMatcher(ids, weights=scores)
    return matching.WrappingMatcher(m, boost=boost) if boost != 1.0 else m


def _at_offsets(doc: int, groups: list[list[_Postings]], offsets: list[int]) -> bool:
    """Whether `doc` has a term of each group at its offset from some common start."""
    starts: set[int] | None = None
    for offset, group in zip(offsets, groups, strict=True):
        values = [v for v in (g.values.get(doc) for g in group) if v is not None]
        # positions - offset, iterated in C (map over accumulate over the unpickled deltas)
        if len(values) == 1:
            shifted: Any = map((-offset).__add__, internals.decode_positions(values[0]))
        else:
            shifted = {p - offset for v in values for p in internals.decode_positions(v)}
        starts = set(shifted) if starts is None else starts.intersection(shifted)
        if not starts:
            return False
    return bool(starts)


class _Term(wq.Term):
    """A scored term whose matcher is precomputed: scores come from the same scorer as Whoosh's, with the
    field lengths read once per segment instead of once per document."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        if self.fieldname not in searcher.schema or (context is not None and context.weighting is None):
            return super().matcher(searcher, context)
        weighting = context.weighting if context is not None else searcher.weighting
        cache, segment = _match_cache(searcher)
        key = ("term", segment, weighting, self.fieldname, self.text)
        hit = cache.get(key)
        if hit is None:
            found = _postings(searcher, context, self.fieldname, self.text, values=False)
            hit = _matches(found.ids, found.scores) if found is not None else _matches([], [])
            cache.put(key, hit)
        return _scored(hit[0], hit[1], self.boost)


class _Prefix(wq.Prefix):
    """A lone character: every term that starts with it, at a constant score (as Whoosh's Prefix scores
    it), found by reading the terms' document lists only.

    Whoosh ORs the terms with a matcher of one term each (and a scorer each) and, where it preloads the
    union into an array, gives every document the score 1; that case is done here directly, the others
    (one term, a segment over 5,000 documents, a parent that needs the current match) are left to it."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        if self.fieldname not in searcher.schema or not self.constantscore or context is None:
            return super().matcher(searcher, context)
        reader = searcher.reader()
        terms = [t for t in reader.expand_prefix(self.fieldname, self.text) if t]
        if not internals.prefix_is_preloaded(searcher, context, len(terms)):
            return super().matcher(searcher, context)
        cache, segment = _match_cache(searcher)
        key = ("prefix", segment, self.fieldname, self.text)
        hit = cache.get(key)
        if hit is None:
            docs: set[int] = set()
            for t in terms:
                docs.update(internals.read_doc_ids(reader.postings(self.fieldname, t)))
            hit = _matches(sorted(docs), [])
            cache.put(key, hit)
        ids = hit[0]
        return matching.ListMatcher(ids, all_weights=1.0) if ids else matching.NullMatcher()


class _Positions(wq.Phrase):
    """Terms (or prefixes) at fixed offsets: a phrase thinned by `analysis.phrase_cover`.

    The matcher finds the documents with every term at its offset from the first by intersecting position
    sets, for each segment at once, and hands Whoosh the verified documents with their scores (what the
    intersection of the terms would score: positions only decide whether a document matches). Whoosh's own
    phrase matcher builds a Span object for every position to allow for slop and order, and scores each
    document through several layers of matchers; on bigrams as frequent as 政府 that costs many times as
    much, and bigram phrases need exact offsets only. A group of terms (a prefix: a lone character ending
    a phrase, as 2026年 also matches 2026年度) counts as one term at its offset."""

    def __init__(self, fieldname: str, parts: list[QueryToken], boost: float = 1.0) -> None:
        super().__init__(fieldname, [t.text for t in parts], boost=boost)
        self.parts = parts

    def normalize(self) -> _Positions:
        return self

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        if self.fieldname not in searcher.schema:
            return matching.NullMatcher()
        weighting = context.weighting if context is not None else searcher.weighting
        cache, segment = _match_cache(searcher)
        key = ("phrase", segment, weighting, self.fieldname, tuple((p.text, p.prefix, p.pos) for p in self.parts))
        hit = cache.get(key)
        if hit is None:
            hit = _matches(*self._match(searcher, context))
            cache.put(key, hit)
        return _scored(hit[0], hit[1], self.boost)

    def _match(self, searcher: Any, context: Any) -> tuple[list[int], list[float]]:
        """The documents of this segment with the phrase, and their scores (without the boost)."""
        reader = searcher.reader()
        groups: list[list[_Postings]] = []
        for part in self.parts:
            if part.prefix:
                terms = [t.decode("utf-8") for t in reader.expand_prefix(self.fieldname, part.text)]
            else:
                terms = [part.text]
            found = [p for p in (_postings(searcher, context, self.fieldname, t, values=True) for t in terms)
                     if p is not None]
            if not found:
                return [], []
            groups.append(found)
        offsets = [p.pos - self.parts[0].pos for p in self.parts]
        candidates: set[int] | None = None
        for group in groups:
            docs = set(group[0].values).union(*(g.values for g in group[1:]))
            candidates = docs if candidates is None else candidates & docs
        # The score of each term on each document, for the intersection's sum.
        scores = [[dict(zip(p.ids, p.scores, strict=True)) for p in group] for group in groups]
        single = all(len(group) == 1 for group in groups)
        ids: list[int] = []
        total: list[float] = []
        for doc in sorted(candidates or ()):
            if not _at_offsets(doc, groups, offsets):
                continue
            if single:
                part_scores: list[float | None] = [group[0][doc] for group in scores]
            else:
                part_scores = [internals.tree_sum([s.get(doc) for s in group]) for group in scores]
            ids.append(doc)
            total.append(internals.tree_sum(part_scores))  # type: ignore[arg-type]
        return ids, total


class _StockPositions(wq.Phrase):
    """`_Positions` through Whoosh's public API only, for the stock path: each part's term matchers (with
    Whoosh's own scorer), a union of them for a prefix, an intersection of the parts (make_binary_tree,
    the tree `_Positions` sums its scores in), and each document of the intersection kept when its
    positions, read through `value_as("positions")`, put every part at its offset. The same documents and
    scores as `_Positions`, several times slower on common phrases."""

    def __init__(self, fieldname: str, parts: list[QueryToken], boost: float = 1.0) -> None:
        super().__init__(fieldname, [t.text for t in parts], boost=boost)
        self.parts = parts

    def normalize(self) -> _StockPositions:
        return self

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        if self.fieldname not in searcher.schema:
            return matching.NullMatcher()
        reader, field = searcher.reader(), searcher.schema[self.fieldname]
        groups: list[list[Any]] = []
        for part in self.parts:
            if part.prefix:
                terms = [t.decode("utf-8") for t in reader.expand_prefix(self.fieldname, part.text)]
            else:
                terms = [part.text] if (self.fieldname, field.to_bytes(part.text)) in reader else []
            if not terms:
                return matching.NullMatcher()
            groups.append([wq.Term(self.fieldname, t).matcher(searcher, context) for t in terms])
        offsets = [p.pos - self.parts[0].pos for p in self.parts]
        both = make_binary_tree(matching.IntersectionMatcher,
                                [g[0] if len(g) == 1 else make_binary_tree(matching.UnionMatcher, g) for g in groups])
        ids: list[int] = []
        scores: list[float] = []
        while both.is_active():
            doc = both.id()
            starts: set[int] | None = None
            for offset, group in zip(offsets, groups, strict=True):
                shifted = {p - offset for m in group if m.is_active() and m.id() == doc
                           for p in m.value_as("positions")}
                starts = shifted if starts is None else starts & shifted
                if not starts:
                    break
            if starts:
                ids.append(doc)
                scores.append(both.score())
            both.next()
        return _scored(ids, scores, self.boost)


def _field_query(fieldname: str, clause: Clause, fast: bool) -> wq.Query:
    cover = phrase_cover(list(clause.tokens))
    if len(cover) == 1:
        token = cover[0]
        if not fast:
            return wq.Prefix(fieldname, token.text) if token.prefix else wq.Term(fieldname, token.text)
        return _Prefix(fieldname, token.text) if token.prefix else _Term(fieldname, token.text)
    return _Positions(fieldname, cover) if fast else _StockPositions(fieldname, cover)


def _clause_query(clause: Clause, fast: bool = True) -> wq.Query:
    if clause.kind == "number":
        return wq.Term("number_key", clause.key)
    if clause.kind == "index_no":
        return wq.Term("index_no_key", clause.key)
    return wq.Or([_field_query(name, clause, fast).with_boost(boost) for name, boost in FIELD_BOOSTS.items()])


def _filter_query(request: SearchRequest) -> wq.Query | None:
    f = request.filters
    parts: list[wq.Query] = []
    if f.lang:
        parts.append(wq.Term("lang", f.lang))
    if f.publisher:
        parts.append(wq.Term("issuers", f.publisher))
    if f.catalogue_class:
        parts.append(wq.Term("classes", f.catalogue_class))
    if f.genre:
        parts.append(wq.Term("genre", f.genre))
    if f.validity:
        parts.append(wq.Term("validity", f.validity))
    if f.year_from or f.year_to:
        parts.append(wq.NumericRange("year", f.year_from, f.year_to))
    return wq.And(parts) if parts else None


FILTER_CACHE_ENTRIES = 32  # per searcher: the documents of the last filters (a language, a publisher…)


def _allowed(searcher: Any, request: SearchRequest) -> Any:
    """The documents a request's filters let through, as the set Whoosh would make of the filter query,
    kept with the searcher: every page a reader's language filters (lang=zh) would otherwise read the
    same postings again."""
    fq = _filter_query(request)
    if fq is None:
        return None
    cache = _segment_cache(searcher).filters
    found = cache.get(request.filters)
    if found is None:
        found = BitSet(searcher.docs_for_query(fq), size=searcher.doc_count_all())
        if FILTER_CACHE_ENTRIES > 0:
            cache[request.filters] = found
            while len(cache) > FILTER_CACHE_ENTRIES:
                cache.popitem(last=False)
    else:
        cache.move_to_end(request.filters)
    return found


class _NewestFirst(Categorizer):
    """Whoosh's key for a sortable column in reverse (ReversedColumnCategorizer: minus the value's rank
    among the index's values), with the ranks looked up in a dict made once per searcher instead of by
    a search through the list for every document."""

    def __init__(self, global_searcher: Any, fieldname: str) -> None:
        self.fieldname = fieldname
        self.column: Any = None  # of the segment being collected
        cache = _segment_cache(global_searcher).ranks
        ranks = cache.get(fieldname)
        if ranks is None:
            values = sorted(set(global_searcher.reader().column_reader(fieldname, translate=False)))
            ranks = cache[fieldname] = {v: i for i, v in enumerate(values)}
        self.ranks = ranks

    def set_searcher(self, segment_searcher: Any, docoffset: int) -> None:
        self.column = segment_searcher.reader().column_reader(self.fieldname, translate=False)

    def key_for(self, matcher: Any, segment_docnum: int) -> int:
        return 0 - self.ranks[self.column[segment_docnum]]


class _NewestFirstFacet(FieldFacet):
    def __init__(self, fieldname: str) -> None:
        super().__init__(fieldname, reverse=True)

    def categorizer(self, global_searcher: Any) -> Any:
        fieldobj = global_searcher.schema[self.fieldname]
        if global_searcher.reader().has_column(self.fieldname) and not fieldobj.column_type.reversible:
            return _NewestFirst(global_searcher, self.fieldname)
        return super().categorizer(global_searcher)


class SearchIndex:
    """A built index, opened for searching. Safe to share between threads: each thread gets its own
    searcher, reopened when the folder is replaced by a new build.

    `fast`: this module's matchers, filter sets and date ranks (the same results, sooner); False, or a
    Whoosh whose internals are not as expected (whoosh_internals.py), answers with Whoosh's stock
    matchers, scorers, filter and sort."""

    def __init__(self, folder: Path, fast: bool = True) -> None:
        self.folder = folder
        self.fast = fast and internals.fast_queries_supported()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._ix: Any = None
        self.facets: dict[str, Any] = {}
        self._reopen()

    @classmethod
    def open(cls, folder: Path, fast: bool = True) -> SearchIndex | None:
        """The index in `folder`, or None when there is none (not built yet, or of another version)."""
        if not is_compatible(folder):
            return None
        return cls(folder, fast)

    def _current_stamp(self) -> tuple[int, int]:
        st = os.stat(self.folder / VERSION_FILE)
        return st.st_ino, st.st_mtime_ns

    def _reopen(self) -> None:
        with self._lock:
            stamp = self._current_stamp()
            if stamp == self._stamp:
                return
            self._ix = whoosh_index.open_dir(str(self.folder))
            try:
                self.facets = json.loads((self.folder / FACETS_FILE).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.facets = {}
            self._stamp = stamp

    def _searcher(self) -> Any:
        try:
            if self._current_stamp() != self._stamp:
                self._reopen()
        except OSError:
            pass  # the folder is being swapped: keep the searcher we have
        local = self._local
        if getattr(local, "stamp", None) != self._stamp:
            if getattr(local, "searcher", None) is not None:
                local.searcher.close()
            local.searcher, local.stamp = self._ix.searcher(), self._stamp
        return local.searcher

    def doc_count(self) -> int:
        return int(self._searcher().doc_count())

    def search(self, request: SearchRequest) -> RawPage:
        searcher = self._searcher()
        q = wq.And([_clause_query(c, self.fast) for c in request.clauses])
        # Readers are told the exact number of results, so every match is collected in one pass (no limit):
        # with a limit, Whoosh skips low-scoring blocks and counts by running the query a second time.
        allowed = _allowed(searcher, request) if self.fast else _filter_query(request)
        if isinstance(allowed, BitSet) and not allowed:
            # Nothing passes the filters. (Whoosh takes an empty set for no filter at all.)
            return RawPage(total=0, page=1, hits=[])
        kwargs: dict[str, Any] = {"filter": allowed, "limit": None}
        if request.sort == "date":
            newest = _NewestFirstFacet("published") if self.fast else FieldFacet("published", reverse=True)
            kwargs["sortedby"] = MultiFacet([newest, ScoreFacet()])
        if request.collapse:
            kwargs["collapse"] = FieldFacet("slug")
        results = searcher.search(q, **kwargs)
        total = len(results)
        page = max(1, min(request.page, -(-total // request.size)))
        hits = [dict(hit.fields()) for hit in results[(page - 1) * request.size: page * request.size]]
        return RawPage(total=total, page=page, hits=hits)
