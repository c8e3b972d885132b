"""The "search" stage of `gazette build`: the index entries of a Publication, written incrementally.

Only the Publication reaches this stage, so only what may be published can be indexed: a full (主动公开)
document by its title, text and metadata; an on-request (依申请公开) one by its catalogue metadata (its
Publication text has no body); nothing else. One entry per document and language it has, and one per
fixed page.

Incremental: the last good index (the current generation's `search-index`) is copied into the new
generation when its versions match, its segment files as hard links; entries whose fingerprint changed are
rewritten, entries of documents that are gone are deleted, the rest is left alone (each engine rewrites
the part of its files that held a removed entry: Whoosh its segment, tantivy its bucket). Otherwise the
index is built from scratch. With Whoosh the same entries on the same last index give the same files
(index.py); with tantivy the same layout under other segment names (tantivy_index.py).

Proportional to the change: the index folder records, for each document, what its entries were made
from (its content hash, its issue, and a base of this package's code, the Markdown version, the registry
and the label formats) with their keys and fingerprints (`ENTRIES_FILE`). A document whose record
matches is not made into entries again: it is wanted as a `Held` (key, slug, fingerprint), made only
if an engine must write it (a tantivy bucket it shares with a changed entry, or a full build).
"""

from __future__ import annotations

import hashlib
import json
import operator
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..collector import paused
from ..labels import Labels
from ..model import LANGS
from ..publication import Publication, PublicDocument
from ..render import plain_text
from ..stages import BuildDirs, Progress, StageReport
from .analysis import document_number_key, index_number_key
from .engine import (
    DEFAULT_ENGINE,
    Entry,
    Held,
    Wanted,
    Writer,
    create_writer,
    engine_setting,
    is_compatible,
    open_writer,
    recorded_engine,
    write_facets,
)

INDEX_FOLDER = "search-index"
# In the index folder: what each document's entries were made from, with their keys and fingerprints.
# Written anew by each build (never changed in place: the last index may share the file by a link).
ENTRIES_FILE = "gazette-entries.json"
STORE_FOLDER = "search-buckets"  # in the build's cache: what an engine keeps between builds beside the index
MOSTLY = 200  # changed or removed entries past which (and past half the index) a full build is faster


_FINGERPRINTED = tuple(f.name for f in fields(Entry) if f.name not in ("fingerprint", "body"))
_VALUES = operator.attrgetter(*_FINGERPRINTED)  # every field but the fingerprint and the body, as one tuple
_LABELS = _FINGERPRINTED.index("labels")


def _fingerprint(entry: Entry) -> str:
    """A hash of every field but the fingerprint (the labels in key order): the body as it is, after
    the `repr` of the others, which tells apart "" and [] and quotes its strings (so holds no NUL, and
    the first NUL ends it): two entries hash alike only when they are alike. Every entry of every build
    is fingerprinted, so the body, most of the bytes, is not copied by a `repr`."""
    values = list(_VALUES(entry))
    values[_LABELS] = sorted(entry.labels.items())
    return hashlib.sha256(f"{values!r}\x00{entry.body}".encode("utf-8", "surrogatepass")).hexdigest()


def _with_fingerprint(entry: Entry) -> Entry:
    entry.fingerprint = _fingerprint(entry)
    return entry


def _class_path(publication: Publication, class_id: str) -> list[str]:
    path, catalogue = [], publication.registry.catalogue
    node = catalogue.get(class_id)
    while node is not None:
        path.append(node.id)
        node = catalogue.get(node.parent) if node.parent else None
    return path


def document_entries(publication: Publication, doc: PublicDocument,
                     formats: Labels | None = None) -> Iterator[Entry]:
    formats = formats or Labels()
    issue = f"{doc.issue.year}-{doc.issue.number:02d}" if doc.issue else ""  # the filter's key
    # What both languages' entries share, worked out once.
    publisher, genre, catalogue = doc.publisher, doc.genre, doc.catalogue
    number_key = document_number_key(doc.doc_number) or "" if doc.doc_number else ""
    index_no_key = index_number_key(doc.index_no) or ""
    issuers = [a.id for a in doc.issuers]
    classes = _class_path(publication, catalogue.id) if catalogue else []
    signed, published = doc.signed.isoformat(), doc.published.isoformat()
    for lang, text in doc.texts.items():
        labels = {
            "publisher": publisher.label(lang) if publisher else "",
            "genre": genre.label(lang) if genre else "",
            "class": catalogue.label(lang) if catalogue else "",
            # worded as on the site and in print (labels.py)
            "issue": formats.issue(doc.issue.year, doc.issue.number, lang) if doc.issue else "",
        }
        # A translation's entry holds its own summary and keywords only: the Chinese ones it shows in their
        # place would match Chinese words in a Tibetan search and give a Chinese snippet.
        summary = text.summary if doc.own(lang, "summary") else ""
        keywords = text.keywords if doc.own(lang, "keywords") else ()
        meta = " ".join([summary, *keywords, doc.doc_number, labels["publisher"], labels["genre"]])
        yield _with_fingerprint(Entry(
            key=f"doc:{doc.slug}:{lang}", kind="document", slug=doc.slug, lang=lang, url=doc.url(lang),
            title=text.title, body=text.text if doc.full else "", summary=summary, meta=meta,
            number=doc.doc_number, number_key=number_key, index_no=doc.index_no, index_no_key=index_no_key,
            publisher=publisher.id if publisher else "", issuers=list(issuers),
            class_id=catalogue.id if catalogue else "", classes=list(classes),
            genre=genre.id if genre else "", signed=signed, published=published, year=doc.signed.year,
            validity=doc.validity, disclosure=doc.visibility.value, issue=issue,
            labels={k: v for k, v in labels.items() if v},
            content_hash=doc.content_hash,
        ))


def entries(publication: Publication, formats: Labels | None = None) -> Iterator[Entry]:
    """Every entry of the Publication, made afresh."""
    for doc in publication.documents.values():
        yield from document_entries(publication, doc, formats)
    yield from page_entries(publication)


def page_entries(publication: Publication) -> Iterator[Entry]:
    """The fixed pages' entries (a few dozen: made every build)."""
    for (slug, lang), page in publication.pages.items():
        yield _with_fingerprint(Entry(key=f"page:{slug}:{lang}", kind="page", slug=slug, lang=lang,
                                      url=page.url(), title=page.title, body=plain_text(page.html)))


def facets(publication: Publication) -> dict[str, Any]:
    """The filter values present in the index, with labels in both languages, for the search form: those
    of the documents that have entries (one per text), as `document_entries` writes them."""
    reg = publication.registry
    indexed = [doc for doc in publication.documents.values() if doc.texts]
    used_publishers = {a.id for doc in indexed for a in doc.issuers}
    used_classes = {c for doc in indexed if doc.catalogue for c in _class_path(publication, doc.catalogue.id)}
    used_genres = {doc.genre.id for doc in indexed if doc.genre}
    years = sorted({doc.signed.year for doc in indexed})

    def labelled(entries_: dict[str, Any], used: set[str]) -> dict[str, dict[str, str]]:
        return {k: {lang: v.label(lang) for lang in LANGS} for k, v in entries_.items() if k in used}

    return {"publisher": labelled(reg.agencies, used_publishers),
            "class": labelled(reg.catalogue, used_classes),
            "genre": labelled(reg.genres, used_genres), "years": [years[0], years[-1]] if years else []}


@dataclass
class IndexStats:
    written: int  # entries (re)indexed
    removed: int  # entries deleted
    total: int
    rebuilt: bool  # built from scratch


def _link_or_copy(source: str, target: str | Path, link: bool) -> None:
    """A segment file hard-linked (never changed once written), anything else copied."""
    if link:
        try:
            os.link(source, target)
            return
        except OSError:
            pass  # another file system: copy
    shutil.copy2(source, target)


def _segment_file_test(engine: str) -> Callable[[str], bool]:
    if engine == "tantivy":
        from .tantivy_index import is_segment_file as tantivy_segment_file

        return tantivy_segment_file
    from .whoosh_internals import is_segment_file  # Whoosh imported only where its index is written

    return is_segment_file


def _copy_index(previous: Path, target: Path, engine: str = DEFAULT_ENGINE) -> None:
    """Copy the last good index into the staging folder: the engine's segment files as hard links, the
    rest copied. A segment file is never changed once written (new and merged segments get new files;
    old ones are unlinked), so the last good index shares them safely and a large index is not copied
    byte by byte on every build. Anything else (the table of contents, the lock, our JSON files) is
    copied, since it may be rewritten in place. Folders of a few thousand files (tantivy's shards are
    folders inside): a loop of links, without copytree's work per file."""
    segment_file = _segment_file_test(engine)
    target.mkdir(parents=True, exist_ok=True)
    into = str(target)
    with os.scandir(previous) as items:
        for item in items:
            copy = os.path.join(into, item.name)  # strings, not Paths: tens of thousands of files
            if item.is_dir(follow_symlinks=False):
                _copy_index(Path(item.path), Path(copy), engine)
            elif item.is_file(follow_symlinks=False):
                _link_or_copy(item.path, copy, segment_file(item.name))


def carry_over_index(previous: Path, target: Path) -> None:
    """The last index as this build's, for a build that does not run the search stage: its segment
    files linked, whichever engine wrote it."""
    _copy_index(previous, target, recorded_engine(previous) or DEFAULT_ENGINE)


def drop_store(cache: Path) -> None:
    """Remove what an engine keeps between builds beside the index (tantivy's bucket store), for a build
    that neither writes the index nor keeps the last one: it may hold the text of what is no longer
    published."""
    from ..generations import remove

    remove(cache / STORE_FOLDER)  # a link planted there is unlinked, never followed


def update_index(target: Path, previous: Path, wanted: list[Wanted], procs: int = 1,
                 progress: Callable[[str], None] = lambda _: None, engine: str = DEFAULT_ENGINE,
                 store: Path | None = None) -> IndexStats:
    """Write the index of `wanted` into `target` with `engine`, starting from a copy of `previous` when it
    can (an index of the same engine and versions). `store`: where tantivy keeps its buckets between
    builds (default: beside `target`)."""
    writer: Writer | None = None
    gone: list[str] = []
    shutil.rmtree(target, ignore_errors=True)
    if is_compatible(previous, engine):
        _copy_index(previous, target, engine)
        try:
            writer = open_writer(target, engine, store)
            diff = writer.changes(wanted)
        except Exception as exc:  # an unreadable index is rebuilt, not a failed build
            progress(f"检索索引无法读取，重新生成 / the search index is unreadable, rebuilding: {exc}")
            shutil.rmtree(target, ignore_errors=True)
            writer = None
    if writer is not None:
        changed, gone = diff.changed, diff.gone
        remove = [*gone, *diff.replaced]
        # An engine that would keep the removed entries' text in its files, or most entries changed (as
        # after a change of what a fingerprint covers): write it all again, a full build is faster.
        if (remove and not writer.purges_in_place) or len(changed) + len(gone) > max(MOSTLY, diff.held // 2):
            writer.close()
            shutil.rmtree(target, ignore_errors=True)
            writer = None
        else:
            if changed or gone or diff.reordered:
                writer.update(remove, changed, wanted)
            stats = IndexStats(written=len(changed), removed=len(gone), total=len(wanted), rebuilt=False)
    if writer is None:
        writer = create_writer(target, engine, store)
        writer.add_all(wanted, procs=procs)
        stats = IndexStats(written=len(wanted), removed=len(gone), total=len(wanted), rebuilt=True)
    writer.close()
    return stats


def entries_base(publication: Publication, formats: Labels) -> str:
    """What every document's entries depend on besides the document and its issue: this package's code
    (the entry's fields, the URLs, the number keys), the Markdown version (the plain text), the registry
    (the labels and the class paths) and the label formats."""
    from ..checks.incremental import code_digest
    from ..render import MarkdownRenderer

    digest = hashlib.blake2b(code_digest() + MarkdownRenderer.VERSION.encode() + repr(formats).encode(),
                             digest_size=32)
    for _, source in sorted(publication.registry.sources.items()):
        digest.update(len(source.raw).to_bytes(8, "big") + source.raw)
    return digest.hexdigest()


def _made_from(base: str, doc: PublicDocument) -> str:
    """What a document's entries are made from: its content hash (its files' bytes, its visibility, its
    attachments), its slug and its issue, under the base."""
    issue = doc.issue.key if doc.issue else ""
    return hashlib.blake2b(f"{base}\0{doc.slug}\0{doc.content_hash}\0{issue}".encode(), digest_size=32).hexdigest()


# made-from digest → "key fingerprint key fingerprint …" of one document's entries (one string: tens of
# thousands of small lists would cost the collector more than they hold)
Record = dict[str, str]


def read_record(index: Path) -> Record:
    """The record of the index folder's entries, or nothing (a missing or unreadable one: every entry is
    made)."""
    try:
        data = json.loads((index / ENTRIES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    documents = data.get("documents") if isinstance(data, dict) else None
    return documents if isinstance(documents, dict) else {}


def write_record(index: Path, record: Record) -> None:
    """Written beside, then renamed into place: the file of the last index may be a link to this one."""
    path = index / ENTRIES_FILE
    scratch = index / f".{ENTRIES_FILE}.tmp"
    scratch.write_text(json.dumps({"documents": record}, separators=(",", ":")), encoding="utf-8")
    os.replace(scratch, path)


def wanted_entries(publication: Publication, formats: Labels, last: Record) -> tuple[list[Wanted], Record, int]:
    """Every entry the index is to hold, in the order of `entries`: made for a document whose record in
    `last` does not match what its entries are made from now, else `Held` (made only when written);
    the record of them all; and how many documents were made into entries."""
    base = entries_base(publication, formats)
    wanted: list[Wanted] = []
    record: Record = {}
    made_count = 0
    for doc in publication.documents.values():
        made_from = _made_from(base, doc)
        known = last.get(made_from)
        pairs = known.split(" ") if isinstance(known, str) else []
        prefix = f"doc:{doc.slug}:"
        if pairs and len(pairs) % 2 == 0 and all(key.startswith(prefix) for key in pairs[::2]):
            make = _maker(publication, doc, formats)
            wanted += [Held(key, doc.slug, fingerprint, lambda key=key, make=make: make(key))
                       for key, fingerprint in zip(pairs[::2], pairs[1::2], strict=True)]
            record[made_from] = known
            continue
        made_count += 1
        fresh = list(document_entries(publication, doc, formats))
        wanted += fresh
        record[made_from] = " ".join(f"{e.key} {e.fingerprint}" for e in fresh)
    wanted += page_entries(publication)
    return wanted, record, made_count


def _maker(publication: Publication, doc: PublicDocument, formats: Labels) -> Callable[[str], Entry]:
    """Makes one of a held document's entries by its key (all of them at the first call)."""
    made: dict[str, Entry] = {}

    def make(key: str) -> Entry:
        if not made:
            made.update((e.key, e) for e in document_entries(publication, doc, formats))
        return made[key]

    return make


def write_index(publication: Publication, dirs: BuildDirs, settings: Mapping[str, Any], progress: Progress,
                reports: Mapping[str, StageReport]) -> StageReport:
    """The search stage of `gazette build`."""
    started = time.monotonic()
    previous = Path(dirs.previous) / INDEX_FOLDER
    with paused():  # tens of thousands of entries held, none of them garbage
        wanted, record, _ = wanted_entries(publication, Labels.from_settings(settings), read_record(previous))
    procs = max(1, min(int(settings.get("GAZETTE_SEARCH_PROCESSES") or (os.cpu_count() or 1)), 4))
    target: Path = dirs.search_index
    stats = update_index(target, previous, wanted, procs, progress,
                         engine=engine_setting(settings), store=dirs.cache / STORE_FOLDER)
    write_record(target, record)
    write_facets(target, facets(publication))
    zh, en = ("全部重建", "built from scratch") if stats.rebuilt else ("增量更新", "updated")
    progress(f"检索索引{zh}：写入 {stats.written} 条，删除 {stats.removed} 条，共 {stats.total} 条 / "
             f"search index {en}: {stats.written} entries written, {stats.removed} removed, {stats.total} in all "
             f"({time.monotonic() - started:.1f} s)")
    return StageReport("search", written=stats.written, reused=stats.total - stats.written, removed=stats.removed,
                       rebuilt=stats.rebuilt, seconds=time.monotonic() - started)
