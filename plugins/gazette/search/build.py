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
"""

from __future__ import annotations

import hashlib
import operator
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..labels import Labels
from ..model import LANGS
from ..publication import Publication, PublicDocument
from ..render import plain_text
from ..stages import BuildDirs, Progress, StageReport
from .analysis import document_number_key, index_number_key
from .engine import (
    DEFAULT_ENGINE,
    Entry,
    Writer,
    create_writer,
    engine_setting,
    is_compatible,
    open_writer,
    recorded_engine,
    write_facets,
)
from .whoosh_internals import is_segment_file

INDEX_FOLDER = "search-index"
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
        meta = " ".join([text.summary, *text.keywords, doc.doc_number, labels["publisher"], labels["genre"]])
        yield _with_fingerprint(Entry(
            key=f"doc:{doc.slug}:{lang}", kind="document", slug=doc.slug, lang=lang, url=doc.url(lang),
            title=text.title, body=text.text if doc.full else "", summary=text.summary, meta=meta,
            number=doc.doc_number, number_key=number_key, index_no=doc.index_no, index_no_key=index_no_key,
            publisher=publisher.id if publisher else "", issuers=list(issuers),
            class_id=catalogue.id if catalogue else "", classes=list(classes),
            genre=genre.id if genre else "", signed=signed, published=published, year=doc.signed.year,
            validity=doc.validity, disclosure=doc.visibility.value, issue=issue,
            labels={k: v for k, v in labels.items() if v},
            content_hash=doc.content_hash,
        ))


def entries(publication: Publication, formats: Labels | None = None) -> Iterator[Entry]:
    for doc in publication.documents.values():
        yield from document_entries(publication, doc, formats)
    for (slug, lang), page in publication.pages.items():
        yield _with_fingerprint(Entry(key=f"page:{slug}:{lang}", kind="page", slug=slug, lang=lang,
                                      url=page.url(), title=page.title, body=plain_text(page.html)))


def facets(publication: Publication, all_entries: list[Entry]) -> dict[str, Any]:
    """The filter values present in the index, with labels in both languages, for the search form."""
    reg = publication.registry
    used_publishers = {i for e in all_entries for i in e.issuers}
    used_classes = {c for e in all_entries for c in e.classes}
    used_genres = {e.genre for e in all_entries if e.genre}
    years = sorted({e.year for e in all_entries if e.kind == "document"})

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


def update_index(target: Path, previous: Path, wanted: list[Entry], procs: int = 1,
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
            if changed or gone:
                writer.update(remove, changed, wanted)
            stats = IndexStats(written=len(changed), removed=len(gone), total=len(wanted), rebuilt=False)
    if writer is None:
        writer = create_writer(target, engine, store)
        writer.add_all(wanted, procs=procs)
        stats = IndexStats(written=len(wanted), removed=len(gone), total=len(wanted), rebuilt=True)
    writer.close()
    return stats


def write_index(publication: Publication, dirs: BuildDirs, settings: Mapping[str, Any], progress: Progress,
                reports: Mapping[str, StageReport]) -> StageReport:
    """The search stage of `gazette build`."""
    started = time.monotonic()
    wanted = list(entries(publication, Labels.from_settings(settings)))
    procs = max(1, min(int(settings.get("GAZETTE_SEARCH_PROCESSES") or (os.cpu_count() or 1)), 4))
    target: Path = dirs.search_index
    stats = update_index(target, Path(dirs.previous) / INDEX_FOLDER, wanted, procs, progress,
                         engine=engine_setting(settings), store=dirs.cache / STORE_FOLDER)
    write_facets(target, facets(publication, wanted))
    zh, en = ("全部重建", "built from scratch") if stats.rebuilt else ("增量更新", "updated")
    progress(f"检索索引{zh}：写入 {stats.written} 条，删除 {stats.removed} 条，共 {stats.total} 条 / "
             f"search index {en}: {stats.written} entries written, {stats.removed} removed, {stats.total} in all "
             f"({time.monotonic() - started:.1f} s)")
    return StageReport("search", written=stats.written, reused=stats.total - stats.written, removed=stats.removed,
                       rebuilt=stats.rebuilt, seconds=time.monotonic() - started)
