"""The index's own matchers (phrases checked a segment at a time, precomputed term scores, prefixes read as
document lists, the per-segment cache, the newest-first key) give exactly what Whoosh's stock matchers give:
the same documents, in the same order, with the same scores, on a real index of several segments. Filters
kept as document sets give what the filter query gives."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from factory import ContentFactory
from gazette.build import build
from gazette.loader import load_corpus
from gazette.publication import build_publication
from gazette.search import index as ix
from gazette.search.build import entries, facets, update_index
from gazette.search.index import SearchIndex, write_facets
from gazette.search.query import parse_request, run
from whoosh import query as wq
from whoosh.sorting import FieldFacet

WORDS = ["政府信息公开", "工作", "通知", "各县", "县长", "县委", "县级", "县城", "县域", "人民政府", "森林草原防火",
         "2026年", "2026年度", "公开", "信息", "政府", "康定", "乡村振兴", "项目", "，", "。"]
SYLLABLES = ["སྲིད", "གཞུང", "ཆ", "འཕྲིན", "ཁྱབ", "བསྒྲགས", "ལྷ", "སའི", "སར", "ས", "ལས", "ནགས", "ཚལ"]
QUERIES = ["政府信息公开", "公开", "县", "政府 工作", '"森林草原防火"', "2026年", "信息公开 各县", "县长",
           "ལྷ་ས", "ཆ་འཕྲིན་ཁྱབ་བསྒྲགས", "ནགས་ཚལ", "甘府发〔2026〕3号", "人民政府通知", "工作 县"]


def build_many(root: Path) -> Path:
    """Forty documents of common words (ties in score and in date), written in segments of ten entries."""
    rng = random.Random(3)
    c = ContentFactory(root / "content")
    for i in range(40):
        body = "".join(rng.choice(WORDS) for _ in range(60))
        c.document(f"d{i:02d}", title="关于" + "".join(rng.choice(WORDS) for _ in range(3)) + "的通知", body=body,
                   doc_number=f"甘府发〔2026〕{i + 1}号", index_no=f"S00000001/2026-{i + 1:05d}",
                   published=f"2026-0{1 + i % 3}-1{i % 2}", signed=f"2026-01-0{1 + i % 3}")
        if i % 3 == 0:
            c.translation(f"d{i:02d}", title="་".join(rng.choice(SYLLABLES) for _ in range(4)),
                          body="་".join(rng.choice(SYLLABLES) for _ in range(40)) + "།")
    publication = build_publication(load_corpus(c.root)[0])
    folder = root / "search-index"
    wanted = list(entries(publication))
    saved = ix.SEGMENT_ENTRIES
    ix.SEGMENT_ENTRIES = 10
    try:
        update_index(folder, root / "none", wanted)
    finally:
        ix.SEGMENT_ENTRIES = saved
    write_facets(folder, facets(publication))
    return folder


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    found = SearchIndex.open(build_many(tmp_path_factory.mktemp("matching")))
    assert found is not None
    return found


def use_stock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put Whoosh's stock queries and sort key where the index's own are."""
    monkeypatch.setattr(ix, "_Term", wq.Term)
    monkeypatch.setattr(ix, "_Prefix", wq.Prefix)
    # The index's public-API phrase query (the stock path's own, checked on its own in test_whoosh_internals).
    monkeypatch.setattr(ix, "_Positions", ix._StockPositions)
    monkeypatch.setattr(ix, "_NewestFirstFacet", lambda name: FieldFacet(name, reverse=True))
    monkeypatch.setattr(ix, "_allowed", lambda searcher, request: ix._filter_query(request))


def scored(index: SearchIndex, q: str, sort: str = "relevance") -> list[tuple[str, float]]:
    """Every hit of a query with its score, in the order of the results."""
    request = parse_request({"q": q, "lang": "all", "sort": sort}, facets=index.facets)
    searcher = index._searcher()
    query = wq.And([ix._clause_query(c) for c in request.clauses])
    kwargs: dict[str, Any] = {"limit": None}
    if sort == "date":
        kwargs["sortedby"] = ix.MultiFacet([ix._NewestFirstFacet("published"), ix.ScoreFacet()])
    return [(hit["key"], hit.score) for hit in searcher.search(query, **kwargs)]


def pages(index: SearchIndex, q: str, **params: str) -> list[Any]:
    results = run(index, parse_request({"q": q, **params}, page_lang="zh", facets=index.facets))
    return [results.total, results.page, [h.key for h in results.hits]]


def test_the_index_has_several_segments(index):
    assert len(index._searcher().subsearchers) >= 4


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_scores_and_order_are_whoosh_own(index, sort, monkeypatch):
    mine = {q: scored(index, q, sort) for q in QUERIES}
    assert sum(len(v) for v in mine.values()) > 100
    with monkeypatch.context() as m:
        use_stock(m)
        theirs = {q: scored(index, q, sort) for q in QUERIES}
    assert mine == theirs


def test_pages_totals_and_filters_are_unchanged(index, monkeypatch):
    cases = [(q, params) for q in QUERIES for params in (
        {}, {"sort": "date"}, {"page": "2", "size": "5"}, {"lang": "all", "size": "3", "page": "4"},
        {"validity": "有效", "from": "2026"}, {"lang": "bo"}, {"lang": "zh", "from": "2027"},
        {"publisher": "prefecture-government", "sort": "date"})]
    mine = [pages(index, q, **params) for q, params in cases]
    with monkeypatch.context() as m:
        use_stock(m)
        theirs = [pages(index, q, **params) for q, params in cases]
    assert mine == theirs
    assert any(total > 20 for total, _, _ in mine)
    assert {total for total, _, _ in mine[-len(QUERIES):]} != {0}  # the filters let some through
    assert pages(index, "公开", lang="zh", **{"from": "2027"}) == [0, 1, []]  # and none at all


def test_the_cache_changes_nothing_when_full_or_off(index, monkeypatch):
    first = {q: scored(index, q) for q in QUERIES}
    assert {q: scored(index, q) for q in QUERIES} == first  # served from the cache
    monkeypatch.setattr(ix, "MATCH_CACHE_DOCUMENTS", 30)  # constantly evicting
    assert {q: scored(index, q) for q in reversed(QUERIES)} == dict(reversed(first.items()))
    monkeypatch.setattr(ix, "MATCH_CACHE_DOCUMENTS", 0)  # off
    assert {q: scored(index, q) for q in QUERIES} == first


def test_a_new_build_is_not_answered_from_the_cache(content: ContentFactory, tmp_path: Path, capsys):
    content.document("doc-a", body="县城的第一份文件，zqxfirst。")
    content.document("doc-b", body="另一份文件。")
    output = tmp_path / "build"
    assert build(content.root, output, ["search"]) == 0
    index = SearchIndex.open(output / "search-index")
    assert index is not None

    def found(q: str) -> set[str]:
        return {h.key for h in run(index, parse_request({"q": q})).hits}

    assert found("县城的") == {"doc:doc-a:zh"}
    assert found("县") == {"doc:doc-a:zh"}
    content.document("doc-b", body="县城的第二份文件。")
    assert build(content.root, output, ["search"]) == 0
    capsys.readouterr()
    assert found("县城的") == {"doc:doc-a:zh", "doc:doc-b:zh"}
    assert found("县") == {"doc:doc-a:zh", "doc:doc-b:zh"}
