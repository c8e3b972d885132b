"""The tantivy engine (the official Python bindings of the Rust library), for large corpora. The only
module that imports tantivy; engine.py chooses it by GAZETTE_SEARCH_ENGINE.

Same tokens as Whoosh: the text fields are given to tantivy pre-tokenised, each token with the position
`analysis.index_tokens` gives it (a Tibetan stem at its syllable's position, a gap after each run of
Chinese characters), so tantivy never splits text itself and a query is made of the same terms and
offsets as Whoosh's (`analysis.phrase_cover`): a term, a phrase with fixed offsets, a prefix for a lone
final character. Filters are the same terms, counted but never scored.

Scores are tantivy's BM25 per field with the same boosts (title 4, summary and keywords 2, text 1), not
Whoosh's BM25F sums: the documents found, the totals, filters, pages and snippets are the same; the
order of hits whose scores are close may differ.

What a hit shows is stored as one JSON value per entry (entry.stored_fields), so a hit carries back
exactly the dict Whoosh gives.

Deleted entries: tantivy marks them and drops them only when it merges their segment, and the bindings
can neither ask for a merge of given segments nor set a merge policy. So this module lays the segments
out itself: entries go into buckets by a hash of their slug (`bucket_of`; both languages of a document
share one), each bucket is written as the one segment of an index of its own and kept in the bucket
store (an index never searched, in the build's cache: see STORE_FOLDER); every GROUP_BUCKETS consecutive
buckets are merged by tantivy into the one segment a query reads of them (`_merge_group`), and
`meta.json` lists the groups' segments in group order. An update writes again only the buckets whose
digest differs (a changed, added or removed entry) or whose segment is missing, merges again their
groups, and unlinks the old segments' files, so no file keeps a removed text (`purges_in_place`).
tantivy scores with the statistics of all segments together, so the layout changes no score. The number
of buckets depends on the number of entries only, a bucket holds its entries in the build's order and a
group its buckets in an order fixed by their sizes (`_write_segment`): an updated index is laid out as a
fresh one and answers alike, to the order of equal scores. Segment files are named by random ids: two
builds do not give the same files.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import multiprocessing
import os
import re
import shutil
import tempfile
import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import tantivy
from tantivy import FieldType, Occur, Order, Query

from .analysis import ANALYSIS_VERSION, index_tokens, normalise, phrase_cover
from .entry import (
    FACETS_FILE,
    FIELD_BOOSTS,
    UNSTORED,
    VERSION_FILE,
    Changes,
    Entry,
    Wanted,
    changes_from,
    entry_fields,
    made,
    written_version,
)
from .query import Clause, RawPage, SearchRequest

ENGINE = "tantivy"
# Exact terms (the raw tokenizer): ids, keys and numbers; issuers and classes hold several values.
KEYWORDS = ("key", "slug", "lang", "number_key", "index_no_key", "issuers", "classes", "genre", "validity")
SCHEMA_VERSION = 4  # 3: buckets merged into groups; 4: the bucket store outside the index, digests
WRITER_HEAP = 64_000_000  # bytes before tantivy writes a segment: far more than a bucket needs
BUCKET_ENTRIES = 64  # entries a bucket (one segment) holds on average: what one edit costs to write
BUCKET_PREFIX = "gazette-bucket-"  # a bucket being written: a scratch folder of its own
# Buckets whose segments are merged into the one segment a query reads: a query visits about
# buckets / GROUP_BUCKETS segments (each costs a query some milliseconds when there are hundreds),
# and an edit merges one group again (tantivy merges about 3,000 entries a second of CPU).
GROUP_BUCKETS = 8
MERGE_AT = 8  # segments of one size class that tantivy's default merge policy (LogMergePolicy) merges
PADDING_KEY = "\x00padding"  # the key of the deleted entries that order a group (see _write_segment)
# A large index is served in SHARDS shards, each a tantivy index of every SHARDS-th group (hard links
# of the groups' segment files), searched in parallel threads and their hits merged: a common phrase in
# most of 100,000 documents costs tens of milliseconds of one core, which two cores halve. Each shard
# scores with its own statistics (as Elasticsearch's shards do by default); over thousands of entries
# split by a hash they differ very little. A smaller index is one shard (the index folder), scored over
# all its entries.
SHARDS = 2
SHARD_FROM_GROUPS = 64  # groups (of GROUP_BUCKETS buckets) from which an index is sharded: ~32,000 entries
SHARD_PREFIX = "shard-"
# The bucket store: a tantivy index of every bucket's segment, never searched, kept outside the index
# folder (the build's cache: `<output>/.cache/search-buckets`) so that an update neither links nor reads
# its thousands of files: a bucket's segment is found by the layout, which records for each bucket the
# digest of what it holds (its entries' keys and fingerprints, in order), and only the buckets whose
# digest differs from the wanted entries' are read and written again. Segments no layout of the last
# update lists are removed from it, so it holds no removed text either.
STORE_FOLDER = "search-buckets"  # the default store: beside the index folder
LAYOUT_FILE = "gazette-segments.json"  # the number of buckets and each one's segment and digest
# Beside each segment's files, the keys and fingerprints of its entries: written with the segment and
# never changed, so hard-linked into the next build and removed with the segment like its other files.
ENTRIES_SUFFIX = ".entries.json"
# Hard-linked, not copied, into the next build: tantivy never changes a segment file once written.
MUTABLE_FILES = frozenset({"meta.json", ".managed.json", ".tantivy-meta.lock", ".tantivy-writer.lock",
                           VERSION_FILE, FACETS_FILE, LAYOUT_FILE})


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    for name in KEYWORDS:
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")
    for name in FIELD_BOOSTS:
        # Positions for phrases; the tokenizer only names what the pre-tokenised tokens stand for.
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    sb.add_integer_field("year", indexed=True, fast=True)
    sb.add_integer_field("published", fast=True)  # 20260304: newest first
    sb.add_bytes_field("stored", stored=True)
    return sb.build()


def version() -> dict[str, Any]:
    return {"engine": ENGINE, "schema": SCHEMA_VERSION, "analysis": ANALYSIS_VERSION}


def is_compatible(folder: Path) -> bool:
    return bool(written_version(folder) == version() and (folder / "meta.json").exists()
                and (folder / LAYOUT_FILE).exists())


def is_segment_file(name: str) -> bool:
    return name not in MUTABLE_FILES


def _date_key(iso: str) -> int:
    return int(iso.replace("-", "")) if iso else 0  # pages have no date: last when newest first


def _document(entry: Entry) -> tantivy.Document:
    values = entry_fields(entry)
    doc = tantivy.Document()
    for name in KEYWORDS:
        value = values.get(name)
        for part in (value.split() if name in ("issuers", "classes") else [value]) if value else ():
            doc.add_text(name, part)
    for name in FIELD_BOOSTS:
        text = values.get(name) or ""
        tokens = [tantivy.Token(t, pos, 0, 0) for t, pos in index_tokens(normalise(text))]
        if tokens:
            doc.add_pre_tokenized_text(name, tantivy.PreTokenizedString("", tokens))
    doc.add_integer("year", int(values.get("year") or 0))
    doc.add_integer("published", _date_key(entry.published))
    stored = {k: v for k, v in values.items() if k not in UNSTORED}  # entry.stored_fields, from `values`
    doc.add_bytes("stored", json.dumps(stored, ensure_ascii=False).encode("utf-8"))
    return doc


def default_store(folder: Path) -> Path:
    """The bucket store of an index folder given none: beside it, shared by its sibling folders."""
    return folder.parent / STORE_FOLDER


def _digest(entries: list[Wanted]) -> str:
    """What a bucket holds, in its order: it is written again when this changes."""
    held = "\x1e".join([e.key + "\x1f" + e.fingerprint for e in entries])
    return hashlib.blake2b(held.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def bucket_of(slug: str, buckets: int) -> int:
    """The bucket of a document's (or page's) entries: a stable hash of its slug, so that both languages
    of a document share one bucket and an edit rewrites one."""
    return zlib.crc32(slug.encode("utf-8")) % buckets


def _stem(segment_id: str) -> str:
    """What a segment's files are named by."""
    return segment_id.replace("-", "")


def bucket_count(entries: int) -> int:
    """Buckets for an index of `entries`: a power of two, about BUCKET_ENTRIES entries each on
    average (0.7 to 1.4 times). Only the number of entries decides it, so that an updated index is laid out as a
    fresh one and answers alike, to the order of equal scores; an update that changes it (the index
    doubled or halved) writes every bucket."""
    return 1 << max(0, round(math.log2(max(1.0, entries / BUCKET_ENTRIES))))


@functools.cache
def _shard_pool() -> ThreadPoolExecutor:
    """One pool for the process: the service opens a new index at every switch, and a pool per index
    would leave its idle threads behind each time."""
    return ThreadPoolExecutor(SHARDS, thread_name_prefix="shard")


def shard_count(buckets: int) -> int:
    """Shards for an index of `buckets` buckets: the number of entries alone decides, as for buckets."""
    return SHARDS if buckets // GROUP_BUCKETS >= SHARD_FROM_GROUPS else 1


def _shard_folders(folder: Path, shards: int) -> list[Path]:
    return [folder] if shards == 1 else [folder / f"{SHARD_PREFIX}{n}" for n in range(shards)]


def _scratch() -> str | None:
    """Where buckets are written and groups merged before their files join the index: memory (/dev/shm)
    where there is one, since tantivy syncs every file of a commit to disk and a bucket is a commit of
    its own (0.1 s each on a busy disk, against a few milliseconds); else the index folder itself."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def _files_of(folder: Path, stems: set[str]) -> list[Path]:
    """The files of these segments in `folder` (in the bucket store, with their entries' file)."""
    with os.scandir(folder) as found:  # the entries' types without a stat each: thousands of files
        return [Path(e.path) for e in found if e.name.split(".")[0] in stems and e.is_file(follow_symlinks=False)]


def _segment_files(folder: Path, stems: set[str]) -> list[Path]:
    return [path for path in _files_of(folder, stems) if not path.name.endswith(ENTRIES_SUFFIX)]


def _write_bucket(job: tuple[str, int, list[Entry]]) -> dict[str, Any]:
    """Write one bucket's entries, in the build's order, as the one segment of a tantivy index in a
    scratch folder (in a worker process or in this one), then move its files into the bucket store;
    return the segment's record from its meta.json."""
    store, bucket, entries = job
    own = Path(tempfile.mkdtemp(prefix=f"{BUCKET_PREFIX}{bucket}-", dir=_scratch() or store))
    try:
        return _write_segment(own, entries, Path(store), bucket % GROUP_BUCKETS)
    finally:
        shutil.rmtree(own, ignore_errors=True)


def _write_segment(own: Path, entries: list[Entry], store: Path, place: int) -> dict[str, Any]:
    ix = tantivy.Index(_schema(), path=str(own), reuse=False)
    writer = ix.writer(heap_size=WRITER_HEAP, num_threads=1)  # one thread: one segment
    for entry in entries:
        writer.add_document(_document(entry))
    # tantivy merges a group's segments in the order of their size (max_doc, deleted entries
    # included), ties in no fixed order, and the merged segment keeps that order, which breaks ties
    # between equal scores. Deleted padding entries make the sizes of a group's buckets differ (each
    # one's size is its place in the group, modulo GROUP_BUCKETS), so that a fresh build and an update
    # order a group alike; the merge drops them.
    for _ in range((place - len(entries)) % GROUP_BUCKETS):
        padding = tantivy.Document()
        padding.add_text("key", PADDING_KEY)
        writer.add_document(padding)
    writer.delete_documents_by_term("key", PADDING_KEY)
    writer.commit()
    writer.wait_merging_threads()
    segments = json.loads((own / "meta.json").read_text(encoding="utf-8"))["segments"]
    if len(segments) != 1:
        raise RuntimeError(f"tantivy wrote {len(segments)} segments for one bucket in {own}")
    stem = _stem(segments[0]["segment_id"])
    for path in _files_of(own, {stem}):
        shutil.move(path, store / path.name)
    held = {e.key: e.fingerprint for e in entries}
    (store / (stem + ENTRIES_SUFFIX)).write_text(json.dumps(held, ensure_ascii=False), encoding="utf-8")
    return _segment_record(segments[0])


def _segment_record(segment: dict[str, Any]) -> dict[str, Any]:
    return {"segment": segment["segment_id"], "max_doc": segment["max_doc"], "deletes": segment["deletes"]}


def _merge_group(job: tuple[str, str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The segments that serve one group of buckets: their segments merged into one, written into the
    index folder; return its record. Merging is tantivy's own (postings and stored texts copied in
    Rust, nothing analysed again): the bindings cannot ask for it, but a commit lets tantivy's merge
    policy merge the segments of one size class when there are MERGE_AT of them, which a group's buckets
    are. Where it does not (a small group), the buckets' segments serve as they are (hard links)."""
    folder, store, buckets = Path(job[0]), Path(job[1]), job[2]
    if len(buckets) >= MERGE_AT:
        own = Path(tempfile.mkdtemp(prefix=f"{BUCKET_PREFIX}group-", dir=_scratch() or folder))
        try:
            merged = _merged(own, store, buckets)
            if merged is not None:
                for path in _files_of(own, {_stem(merged["segment_id"])}):
                    shutil.move(path, folder / path.name)
                return [_segment_record(merged)]
        finally:
            shutil.rmtree(own, ignore_errors=True)
    for path in _segment_files(store, {_stem(b["segment"]) for b in buckets}):
        os.link(path, folder / path.name)
    return buckets


def _merged(own: Path, store: Path, buckets: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Merge the bucket segments into one in the scratch index `own`; None if tantivy did not make
    exactly one segment of all their entries."""
    tantivy.Index(_schema(), path=str(own), reuse=False)
    for path in _segment_files(store, {_stem(b["segment"]) for b in buckets}):
        shutil.copyfile(path, own / path.name)  # the scratch folder may be on another file system
    _list_segments(own, buckets)
    writer = tantivy.Index.open(str(own)).writer(heap_size=WRITER_HEAP, num_threads=1)
    writer.commit()
    writer.wait_merging_threads()
    segments = json.loads((own / "meta.json").read_text(encoding="utf-8"))["segments"]
    alive = sum(b["max_doc"] - ((b.get("deletes") or {}).get("num_deleted_docs") or 0) for b in buckets)
    if len(segments) != 1 or segments[0]["max_doc"] != alive or segments[0]["deletes"]:
        return None
    return segments[0]  # type: ignore[no-any-return]


def _list_segments(folder: Path, segments: list[dict[str, Any]]) -> None:
    """List these segments, in this order, in tantivy's meta.json in `folder`."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    meta["segments"] = [{"segment_id": s["segment"], "max_doc": s["max_doc"], "deletes": s.get("deletes")}
                        for s in segments]
    _replace_json(folder / "meta.json", meta)


def _link_shard(shard: Path, segments: list[dict[str, Any]], files: dict[str, list[Path]]) -> None:
    """Make the folder `shard` a tantivy index of these segments, their files hard links of the index
    folder's `files` (by segment); the files of segments it no longer lists leave it."""
    if not (shard / "meta.json").exists():
        shard.mkdir(exist_ok=True)
        tantivy.Index(_schema(), path=str(shard), reuse=False)
    wanted = {_stem(s["segment"]) for s in segments}
    have = set()
    for path in shard.iterdir():
        if path.is_file() and is_segment_file(path.name):
            if path.name.split(".")[0] in wanted:
                have.add(path.name)
            else:
                path.unlink()
    for stem in wanted:
        for path in files[stem]:
            if path.name not in have:
                os.link(path, shard / path.name)
    _list_segments(shard, segments)


def _read_json(path: str) -> Any:
    with open(path, "rb") as file:
        return json.loads(file.read())


def _replace_json(path: Path, value: Any) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    temporary.replace(path)


def _run(function: Any, jobs: list[Any], procs: int, chunksize: int = 4) -> list[Any]:
    if procs > 1 and len(jobs) > 1:
        with multiprocessing.Pool(min(procs, len(jobs))) as pool:
            return list(pool.imap(function, jobs, chunksize=chunksize))
    return [function(job) for job in jobs]


class TantivyWriter:
    """engine.Writer for tantivy, in buckets and groups (see the module's doc): a full build writes every
    bucket and merges every group; an update writes again only the buckets whose digest differs from
    what they are to hold (a removed, changed or added entry, or a segment missing from the store) and
    merges again only their groups, and the files of their old segments leave the index folder and the
    store."""

    purges_in_place = True

    def __init__(self, folder: Path, store: Path, layout: dict[str, Any]) -> None:
        self.folder = folder
        self.store = store
        self.buckets: int = layout["buckets"]
        # bucket → its segment in the bucket store; group → the segments that serve it
        self.segments: dict[int, dict[str, Any]] = {int(b): s for b, s in layout["segments"].items()}
        self.groups: dict[int, list[dict[str, Any]]] = {int(g): s for g, s in layout["groups"].items()}
        self._rewrite: set[int] | None = None  # the buckets `changes` found to differ
        self._grouped: dict[int, list[Wanted]] = {}  # the wanted entries `changes` was given, by bucket

    @classmethod
    def create(cls, folder: Path, store: Path | None = None) -> TantivyWriter:
        store = store or default_store(folder)
        folder.mkdir(parents=True, exist_ok=True)
        tantivy.Index(_schema(), path=str(folder), reuse=False)  # an empty index: its meta.json
        # A full build writes every bucket: the store starts empty (and never through a planted link).
        if store.is_symlink() or store.is_file():
            store.unlink()
        shutil.rmtree(store, ignore_errors=True)
        store.mkdir(parents=True)
        tantivy.Index(_schema(), path=str(store), reuse=False)
        (folder / VERSION_FILE).write_text(json.dumps(version()), encoding="utf-8")
        return cls(folder, store, {"buckets": 1, "segments": {}, "groups": {}})

    @classmethod
    def open(cls, folder: Path, store: Path | None = None) -> TantivyWriter:
        layout = json.loads((folder / LAYOUT_FILE).read_text(encoding="utf-8"))
        store = store or default_store(folder)
        if store.is_symlink() or not (store / "meta.json").is_file():
            raise OSError(f"the search index's bucket store {store} is missing")
        return cls(folder, store, layout)

    def _held(self, bucket: int) -> dict[str, str]:
        """key → fingerprint of the entries a bucket's segment holds (the file written beside it)."""
        name = _stem(self.segments[bucket]["segment"]) + ENTRIES_SUFFIX
        return _read_json(os.path.join(self.store, name))  # type: ignore[no-any-return]

    def fingerprints(self) -> dict[str, str]:
        return {key: fp for b in self.segments for key, fp in self._held(b).items()}

    def changes(self, wanted: list[Wanted]) -> Changes:
        """The changes, reading only the buckets whose digest differs from the wanted entries' (after one
        edit, one or two of thousands)."""
        if bucket_count(len(wanted)) != self.buckets:  # every bucket is written again (`update`)
            self._rewrite = None
            return changes_from(self.fingerprints(), wanted)
        self._grouped = grouped = self._by_bucket(wanted)
        stored = self._stored()
        differ = {b for b in set(grouped) | set(self.segments)
                  if (record := self.segments.get(b)) is None or _stem(record["segment"]) not in stored
                  or record.get("digest") != _digest(grouped.get(b, []))}
        self._rewrite = differ
        have: dict[str, str] = {}
        for b in differ:
            if b in self.segments and _stem(self.segments[b]["segment"]) in stored:
                have.update(self._held(b))
        there = [e for b in sorted(differ) for e in grouped.get(b, [])]
        keys = {e.key for e in there}
        changed = [e for e in there if have.get(e.key) != e.fingerprint]
        return Changes(changed=changed, gone=[k for k in have if k not in keys],
                       replaced=[e.key for e in changed if e.key in have],
                       held=sum(int(s.get("entries", 0)) for s in self.segments.values()), reordered=bool(differ))

    def _stored(self) -> set[str]:
        """The segments in the store with the file of their entries (regular files only: a planted link
        is not a segment)."""
        with os.scandir(self.store) as found:
            names = {e.name for e in found if e.is_file(follow_symlinks=False)}
        return {name[:-len(ENTRIES_SUFFIX)] for name in names if name.endswith(ENTRIES_SUFFIX)}

    def add_all(self, entries: Iterable[Wanted], procs: int = 1) -> int:
        batch = made(entries)
        self._drop(set(self.segments))
        self.buckets = bucket_count(len(batch))
        self._write(self._by_bucket(batch), procs)
        return len(batch)

    def update(self, remove: Iterable[str], add: list[Wanted], wanted: list[Wanted]) -> None:
        if self._rewrite is None:
            self.changes(wanted)
        if self._rewrite is None:  # the number of buckets changed
            self.add_all(wanted, procs=1)
            return
        # A held entry is in the bucket of its slug (the number of buckets is the same), so the buckets
        # to write are those that differ, each with its wanted entries in the build's order.
        touched = self._rewrite | {bucket_of(e.slug, self.buckets) for e in add}
        self._drop(touched)
        self._write({b: self._grouped.get(b, []) for b in touched}, 1)
        self._rewrite, self._grouped = None, {}

    def _by_bucket(self, entries: list[Wanted]) -> dict[int, list[Wanted]]:
        """The entries of each bucket, in their order (a loop over every entry of the index: kept tight)."""
        grouped: dict[int, list[Entry]] = {}
        crc, buckets = zlib.crc32, self.buckets
        for entry in entries:  # bucket_of, inlined
            grouped.setdefault(crc(entry.slug.encode("utf-8")) % buckets, []).append(entry)
        return grouped

    def _drop(self, buckets: set[int]) -> None:
        """Unlink these buckets' segment files, and the served segments of their groups (hard links: the
        last index keeps its own)."""
        stems = {_stem(self.segments.pop(b)["segment"]) for b in buckets if b in self.segments}
        served = {_stem(s["segment"]) for g in {b // GROUP_BUCKETS for b in buckets}
                  for s in self.groups.pop(g, [])}
        for path in [*_files_of(self.store, stems), *_files_of(self.folder, served)]:
            path.unlink()

    def _write(self, buckets: dict[int, list[Wanted]], procs: int) -> None:
        """Write these buckets, then merge again the groups they are in."""
        jobs = [(str(self.store), b, made(entries)) for b, entries in sorted(buckets.items()) if entries]
        try:
            for (_, bucket, entries), segment in zip(jobs, _run(_write_bucket, jobs, procs), strict=True):
                self.segments[bucket] = {**segment, "entries": len(entries), "digest": _digest(entries)}
            groups = sorted({b // GROUP_BUCKETS for b in buckets})
            members = {g: [s for b, s in sorted(self.segments.items()) if b // GROUP_BUCKETS == g] for g in groups}
            merges = [(g, m) for g, m in members.items() if m]
            served = _run(_merge_group, [(str(self.folder), str(self.store), m) for _, m in merges], procs,
                          chunksize=1)
            for (group, _), segments in zip(merges, served, strict=True):
                self.groups[group] = segments
        finally:
            for folder in (self.folder, self.store):
                for path in folder.glob(f"{BUCKET_PREFIX}*"):  # the scratch of a killed worker
                    shutil.rmtree(path, ignore_errors=True)
        self._commit()
        self._collect()

    def _commit(self) -> None:
        """List the groups' segments, in group order, in the index's meta.json (and each shard's its
        own groups'), the buckets' in the bucket store's, and record the layout."""
        _list_segments(self.store, [s for _, s in sorted(self.segments.items())])
        _list_segments(self.folder, [s for _, served in sorted(self.groups.items()) for s in served])
        shards = shard_count(self.buckets)
        for path in self.folder.glob(f"{SHARD_PREFIX}*"):
            if shards == 1 or path not in _shard_folders(self.folder, shards):
                shutil.rmtree(path)
        if shards > 1:
            files: dict[str, list[Path]] = {}
            for path in self.folder.iterdir():
                if path.is_file() and is_segment_file(path.name):
                    files.setdefault(path.name.split(".")[0], []).append(path)
            for n, path in enumerate(_shard_folders(self.folder, shards)):
                _link_shard(path, [s for g, served in sorted(self.groups.items()) if g % shards == n
                                   for s in served], files)
        _replace_json(self.folder / LAYOUT_FILE, {
            "buckets": self.buckets,
            "shards": shards,
            "segments": {str(b): s for b, s in sorted(self.segments.items())},
            "groups": {str(g): s for g, s in sorted(self.groups.items())}})

    def _collect(self) -> None:
        """Remove from the store every segment the layout does not list: those this update replaced
        (the last index's: should this build fail, the next update finds them missing and writes those
        buckets again), and anything else found there."""
        keep = {_stem(s["segment"]) for s in self.segments.values()}
        with os.scandir(self.store) as found:
            for item in found:
                if item.name in MUTABLE_FILES or item.name.split(".")[0] in keep:
                    continue
                if item.is_dir(follow_symlinks=False):
                    shutil.rmtree(item.path, ignore_errors=True)
                else:
                    os.unlink(item.path)

    def close(self) -> None:
        pass


def _stored(doc: tantivy.Document) -> dict[str, Any]:
    return json.loads(bytes(doc.get_first("stored")))  # type: ignore[no-any-return]


class TantivyIndex:
    """engine.Index for tantivy. The bindings' searchers are thread-safe; one is taken per query and
    shard, so a query reads one commit's segments. A large index is searched in shards, in parallel."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        shards = int(json.loads((folder / LAYOUT_FILE).read_text(encoding="utf-8")).get("shards", 1))
        self._shards = [tantivy.Index.open(str(path)) for path in _shard_folders(folder, shards)]
        self._single = len(self._shards) == 1
        self._pool = None if self._single else _shard_pool()
        self.schema = self._shards[0].schema
        try:
            self.facets: dict[str, Any] = json.loads((folder / FACETS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.facets = {}

    @classmethod
    def open(cls, folder: Path, fast: bool = True) -> TantivyIndex | None:
        if not is_compatible(folder):
            return None
        return cls(folder)

    def doc_count(self) -> int:
        return sum(int(index.searcher().num_docs) for index in self._shards)

    # Queries: the same clauses as index.py's, term for term.

    def _field_query(self, name: str, clause: Clause) -> Query:
        cover = phrase_cover(list(clause.tokens))
        first = cover[0].pos
        if len(cover) == 1:
            token = cover[0]
            if token.prefix:  # a lone character: every term starting with it, at a constant score
                return Query.regex_query(self.schema, name, re.escape(token.text) + ".*")
            return Query.term_query(self.schema, name, token.text)
        if cover[-1].prefix:  # a phrase ending in a lone character (2026年 in 2026年度)
            words = [(t.pos - first, re.escape(t.text) + (".*" if t.prefix else "")) for t in cover]
            return Query.regex_phrase_query(self.schema, name, words)
        return Query.phrase_query(self.schema, name, [(t.pos - first, t.text) for t in cover])

    def _clause_query(self, clause: Clause) -> Query:
        if clause.kind == "number":
            return Query.term_query(self.schema, "number_key", clause.key)
        if clause.kind == "index_no":
            return Query.term_query(self.schema, "index_no_key", clause.key)
        return Query.boolean_query([(Occur.Should, Query.boost_query(self._field_query(name, clause), boost))
                                    for name, boost in FIELD_BOOSTS.items()])

    def _filters(self, request: SearchRequest) -> list[Query]:
        f = request.filters
        terms = [("lang", f.lang), ("issuers", f.publisher), ("classes", f.catalogue_class),
                 ("genre", f.genre), ("validity", f.validity)]
        parts = [Query.term_query(self.schema, name, value, index_option="basic") for name, value in terms if value]
        if f.year_from or f.year_to:
            parts.append(Query.range_query(self.schema, "year", FieldType.Integer, f.year_from or None,
                                           f.year_to or None))
        return parts

    def _query(self, request: SearchRequest, *extra: Query) -> Query:
        parts = [(Occur.Must, self._clause_query(c)) for c in request.clauses]
        # Filters decide which documents count, never their score.
        parts += [(Occur.Must, Query.const_score_query(q, 0.0)) for q in (*self._filters(request), *extra)]
        return Query.boolean_query(parts)

    def search(self, request: SearchRequest) -> RawPage:
        q = self._query(request)
        # One pass a shard gives the page and the total; a page past the end (rare) asks again for the last.
        page = max(1, request.page)
        while True:
            end = page * request.size
            start = end - request.size
            shards = self._each(functools.partial(self._ranked, request=request, q=q,
                                                  start=start if self._single else 0, end=end))
            total = sum(count for _, _, count in shards)
            last = max(1, -(-total // request.size))
            if page <= last:
                break
            page = last
        if self._single:
            searcher, ranked, _ = shards[0]
            window = [(searcher, address) for _, address in ranked]
        else:
            # Each shard's hits in its order; between shards by the same keys, then by shard.
            merged = sorted(((key, n, rank, searcher, address) for n, (searcher, ranked, _) in enumerate(shards)
                             for rank, (key, address) in enumerate(ranked)), key=lambda hit: hit[:3])
            window = [(searcher, address) for _, _, _, searcher, address in merged[start:end]]
        return RawPage(total=total, page=page, hits=[_stored(searcher.doc(a)) for searcher, a in window])

    def _each(self, work: Callable[[Any], tuple[list[Any], int]]) -> list[tuple[Any, list[Any], int]]:
        """(searcher, *work(searcher)) for a searcher of each shard; shards in parallel threads (tantivy
        searches without holding the interpreter lock)."""
        def one(index: tantivy.Index) -> tuple[Any, list[Any], int]:
            searcher = index.searcher()
            return (searcher, *work(searcher))

        if self._pool is None:
            return [one(index) for index in self._shards]
        return list(self._pool.map(one, self._shards))

    def _ranked(self, searcher: Any, request: SearchRequest, q: Query, start: int,
                end: int) -> tuple[list[tuple[tuple[float, ...], Any]], int]:
        """Hits start..end of one shard in order, each with its sort key, and the shard's total."""
        if request.collapse:
            ranked = self._collapsed(searcher, request, q)
            return ranked[start:end], len(ranked)
        if request.sort == "date":
            return self._newest_first(searcher, q, start, end)
        found = searcher.search(q, limit=end - start, offset=start, count=True)
        return [((-score,), address) for score, address in found.hits], int(found.count)

    def _newest_first(self, searcher: Any, q: Query, start: int,
                      end: int) -> tuple[list[tuple[tuple[float, ...], Any]], int]:
        """Hits start..end newest first, the score breaking ties between equal dates (as Whoosh's
        MultiFacet), and the total, without reading every hit: tantivy orders by the `published` fast
        field (ties by document), then only the hits of the dates the page shows are ranked by score."""
        found = searcher.search(q, limit=end, count=True, order_by_field="published", order=Order.Desc)
        by_date, total = found.hits, int(found.count)
        if start >= len(by_date):
            return [], total
        newest, oldest = by_date[start][0], by_date[-1][0]
        before = next(i for i, (date, _) in enumerate(by_date) if date == newest)  # hits of later dates
        dates = Query.range_query(self.schema, "published", FieldType.Integer, oldest, newest)
        ranged = Query.boolean_query([(Occur.Must, q), (Occur.Must, Query.const_score_query(dates, 0.0))])
        # The hits of those dates: those seen above and any more of the oldest date (a few, usually);
        # a second pass only when there are more than guessed. (A limit of `total` would make tantivy
        # keep a heap of that size in every segment.)
        guess = len(by_date) - before + 64
        found = searcher.search(ranged, limit=guess, count=True)
        if found.count > guess:
            found = searcher.search(ranged, limit=int(found.count), count=False)
        scored = found.hits  # by score, ties by document
        keys = searcher.fast_field_values("published", [a for _, a in scored])
        order = sorted(range(len(scored)), key=lambda i: -(keys[i] or 0))  # stable: scores stay in order
        ranked = [((-(keys[i] or 0), -scored[i][0]), scored[i][1]) for i in order]
        return ranked[start - before: end - before], total

    def _collapsed(self, searcher: Any, request: SearchRequest, q: Query) -> list[tuple[tuple[float, ...], Any]]:
        """Every hit in order, one per document (both languages of a document are in one bucket, so in
        one shard). Every hit is read: tantivy's collectors cannot keep one hit per document; query.py
        asks for it only where a filter cannot do the same."""
        count = int(searcher.search(q, limit=1, count=True).count)
        if not count:
            return []
        hits = searcher.search(q, limit=count, count=False).hits
        addresses = [a for _, a in hits]
        if request.sort == "date":
            dates = searcher.fast_field_values("published", addresses)
            keyed = [((-(dates[i] or 0), -hits[i][0]), addresses[i]) for i in range(len(hits))]
            keyed.sort(key=lambda hit: hit[0])  # stable: equal keys stay in tantivy's order
        else:
            keyed = [((-score,), address) for score, address in hits]
        seen: set[str] = set()
        kept = []
        for key, address in keyed:
            slug = _stored(searcher.doc(address)).get("slug", "")
            if slug not in seen:
                seen.add(slug)
                kept.append((key, address))
        return kept
