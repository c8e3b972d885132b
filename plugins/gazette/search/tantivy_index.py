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
cannot ask for a merge; `purges_in_place` is False, so the build stage writes the whole index again when
an entry is removed or changed, and only appends when entries are only added. Segment files are named
by random ids and `meta.json` records them: two builds of the same entries do not give the same files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tantivy
from tantivy import FieldType, Occur, Query

from .analysis import ANALYSIS_VERSION, index_tokens, normalise, phrase_cover
from .entry import FACETS_FILE, FIELD_BOOSTS, VERSION_FILE, Entry, entry_fields, stored_fields, written_version
from .query import Clause, RawPage, SearchRequest

ENGINE = "tantivy"
SCHEMA_VERSION = 1
# Exact terms (the raw tokenizer): ids, keys and numbers; issuers and classes hold several values.
KEYWORDS = ("key", "slug", "lang", "number_key", "index_no_key", "issuers", "classes", "genre", "validity")
WRITER_HEAP = 64_000_000  # bytes per writer thread before tantivy writes a segment
# Hard-linked, not copied, into the next build: tantivy never changes a segment file once written.
MUTABLE_FILES = frozenset({"meta.json", ".managed.json", ".tantivy-meta.lock", ".tantivy-writer.lock",
                           VERSION_FILE, FACETS_FILE})


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
    return bool(written_version(folder) == version() and (folder / "meta.json").exists())


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
    doc.add_bytes("stored", json.dumps(stored_fields(entry), ensure_ascii=False).encode("utf-8"))
    return doc


class TantivyWriter:
    """engine.Writer for tantivy: a full build, appended entries; never deletes (see the module's doc)."""

    purges_in_place = False

    def __init__(self, folder: Path, ix: tantivy.Index) -> None:
        self.folder, self.ix = folder, ix

    @classmethod
    def create(cls, folder: Path) -> TantivyWriter:
        folder.mkdir(parents=True, exist_ok=True)
        ix = tantivy.Index(_schema(), path=str(folder), reuse=False)
        (folder / VERSION_FILE).write_text(json.dumps(version()), encoding="utf-8")
        return cls(folder, ix)

    @classmethod
    def open(cls, folder: Path) -> TantivyWriter:
        return cls(folder, tantivy.Index.open(str(folder)))

    def fingerprints(self) -> dict[str, str]:
        searcher = self.ix.searcher()
        found = searcher.search(Query.all_query(), limit=max(1, searcher.num_docs), count=False)
        stored = (_stored(searcher.doc(address)) for _, address in found.hits)
        return {fields["key"]: fields.get("fingerprint", "") for fields in stored}

    def _write(self, entries: Iterable[Entry], procs: int) -> int:
        writer = self.ix.writer(heap_size=WRITER_HEAP * procs, num_threads=procs)
        n = 0
        for entry in entries:
            writer.add_document(_document(entry))
            n += 1
        writer.commit()
        writer.garbage_collect_files()
        writer.wait_merging_threads()
        self.ix.reload()
        return n

    def add_all(self, entries: Iterable[Entry], procs: int = 1) -> int:
        return self._write(entries, max(1, procs))

    def update(self, remove: Iterable[str], add: list[Entry]) -> None:
        if list(remove):
            raise ValueError("tantivy leaves deleted entries in its files: write the index again instead")
        self._write(add, 1)

    def close(self) -> None:
        pass


def _stored(doc: tantivy.Document) -> dict[str, Any]:
    return json.loads(bytes(doc.get_first("stored")))  # type: ignore[no-any-return]


class TantivyIndex:
    """engine.Index for tantivy. The bindings' searchers are thread-safe; one is taken per query, so a
    query reads one commit's segments."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._ix = tantivy.Index.open(str(folder))
        self.schema = self._ix.schema
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
        return int(self._ix.searcher().num_docs)

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
        searcher = self._ix.searcher()
        q = self._query(request)
        if request.collapse or request.sort == "date":
            ranked = self._ranked(searcher, request, q)
            total = len(ranked)
            page = max(1, min(request.page, -(-total // request.size)))
            window = ranked[(page - 1) * request.size: page * request.size]
            return RawPage(total=total, page=page, hits=[_stored(searcher.doc(a)) for a in window])
        found = searcher.search(q, limit=request.size, offset=(request.page - 1) * request.size, count=True)
        total = int(found.count)
        page = max(1, min(request.page, -(-total // request.size)))
        if page != request.page:  # past the end: the last page
            found = searcher.search(q, limit=request.size, offset=(page - 1) * request.size, count=False)
        return RawPage(total=total, page=page, hits=[_stored(searcher.doc(a)) for _, a in found.hits])

    def _ranked(self, searcher: Any, request: SearchRequest, q: Query) -> list[Any]:
        """Every hit in order, for what tantivy's collectors cannot do: newest first with the score
        breaking ties (as Whoosh's MultiFacet), and one hit per document (collapse). Every hit is read,
        so these are slower on queries that match much of a large index; collapse is rare (a reader of
        one language who found nothing in it)."""
        count = int(searcher.search(q, limit=1, count=True).count)
        if not count:
            return []
        hits = searcher.search(q, limit=count, count=False).hits
        addresses = [a for _, a in hits]
        if request.sort == "date":
            dates = searcher.fast_field_values("published", addresses)
            order = sorted(range(len(hits)), key=lambda i: (-(dates[i] or 0), -hits[i][0]))
            addresses = [addresses[i] for i in order]
        if not request.collapse:
            return addresses
        seen: set[str] = set()
        kept = []
        for address in addresses:
            slug = _stored(searcher.doc(address)).get("slug", "")
            if slug not in seen:
                seen.add(slug)
                kept.append(address)
        return kept
