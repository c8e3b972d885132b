"""Whoosh and tantivy, side by side on the same small corpus: the queries of the relevance and service
suites give the same hits (in order, except within tied scores), totals, pages, snippets and messages.
Also what is tantivy's own: the engine recorded in the folder, and no trace of a removed entry."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from gazette.config import ConfigError
from gazette.loader import load_corpus
from gazette.publication import build_publication
from gazette.search import tantivy_index
from gazette.search.build import entries, facets, update_index
from gazette.search.engine import EngineMismatch, Index, engine_setting, open_index, recorded_engine, write_facets
from gazette.search.query import Results, parse_request, run
from gazette.search.service import SearchService
from gazette.search.tantivy_index import TantivyIndex, is_segment_file
from gazette.settings import load_settings
from search_corpus import build_search_corpus


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Index]:
    root = tmp_path_factory.mktemp("engines")
    output = build_search_corpus(root)  # Whoosh, as the other search tests build it
    publication = build_publication(load_corpus(root / "content")[0])
    wanted = list(entries(publication))
    folder = root / "tantivy-index"
    update_index(folder, root / "none", wanted, engine="tantivy")
    write_facets(folder, facets(publication))
    whoosh, tantivy = open_index(output / "search-index"), open_index(folder, "tantivy")
    assert whoosh is not None and isinstance(tantivy, TantivyIndex)
    return {"whoosh": whoosh, "tantivy": tantivy}


def search(index: Index, q: str, page_lang: str | None = None, **params: str) -> Results:
    return run(index, parse_request({"q": q, **params}, page_lang=page_lang, facets=index.facets))


def same(q: str, indexes: dict[str, Index], page_lang: str | None = None, ordered: bool = True,
         **params: str) -> Results:
    """Search both engines; assert the same results; return Whoosh's."""
    a, b = (search(indexes[e], q, page_lang, **params) for e in ("whoosh", "tantivy"))
    assert (a.total, a.page, a.pages) == (b.total, b.page, b.pages), q
    assert [p.as_dict() for p in a.problems] == [p.as_dict() for p in b.problems], q
    if ordered:
        assert [h.key for h in a.hits] == [h.key for h in b.hits], q
    else:
        assert sorted(h.key for h in a.hits) == sorted(h.key for h in b.hits), q
    shown = {h.key: (str(h.title_html), str(h.snippet_html), h.fields, h.url) for h in a.hits}
    for hit in b.hits:
        assert shown[hit.key] == (str(hit.title_html), str(hit.snippet_html), hit.fields, hit.url), q
    return a


# Queries with one hit, or hits of clearly different scores: the same order.
ORDERED = [
    ("森林草原防火", {"lang": "zh"}), ('"森林草原防火"', {}), ("“巡山护林”", {}), ('"草原森林"', {}),
    ("政府信息公开工作", {}), ("政府公开", {}), ("防火 经济", {}), ("炉", {}), ("孚", {}),
    ("道孚", {}), ("基层政", {}), ('"康定、泸"', {}), ('"康定、丹"', {}), ("防火", {"lang": "zh"}),
    ("ཆ་འཕྲིན", {"lang": "bo"}), ("མེ་འགོག", {}), ('"ཁྱབ་བསྒྲགས་ཀྱི་ལས་དོན"', {}), ('"ལས་དོན་ཁྱབ་བསྒྲགས"', {}),
    ("甘府发〔2026〕12号", {"lang": "zh"}), ("甘府发[2026]12号", {"lang": "zh"}), ("甘府发〔2025〕12号", {}),
    ("S00000011/2025-00003", {"lang": "zh"}), ("通知", {"publisher": "forestry", "lang": "zh"}),
    ("工作", {"genre": "speech"}), ("工作", {"validity": "失效", "lang": "zh"}),
    ("工作", {"validity": "lapsed", "lang": "zh"}), ("防火", {"publisher": "no-such-body", "lang": "zh"}),
    ("工作", {"lang": "zh", "sort": "date", "size": "50"}),
    ("不存在的词语组合", {}), ("政府信息公开", {"lang": "zh"}),
]
# Several hits whose scores differ by engine or tie: the same set.
UNORDERED = [
    ("公开", {"lang": "zh"}), ("泸", {}), ("ལྷ་ས", {}), ("ལྷ་སའི", {}), ("ལས", {}), ("ལ", {}),
    ("甘府发〔2026〕12号", {}), ("工作", {"class": "rules", "lang": "zh"}),
    ("工作", {"lang": "zh", "from": "2024", "to": "2025"}), ("工作", {"lang": "zh", "size": "50"}),
    ("通知", {"size": "50"}), ("2026", {"size": "50"}), ("工作", {"to": "2024", "size": "50"}),
]


@pytest.mark.parametrize(("q", "params"), ORDERED)
def test_the_same_hits_in_the_same_order(indexes, q, params):
    same(q, indexes, **params)


@pytest.mark.parametrize(("q", "params"), UNORDERED)
def test_the_same_hits(indexes, q, params):
    same(q, indexes, ordered=False, **params)


def test_the_same_pages(indexes):
    # 11 project notices of one score (relevance) or of 11 dates (newest first)
    for page in ("1", "2", "3", "9"):
        same("重点项目", indexes, size="5", page=page, sort="date")
        same("重点项目", indexes, ordered=False, size="5", page=page)
    seen = [h.key for n in ("1", "2", "3") for h in search(indexes["tantivy"], "重点项目", size="5", page=n).hits]
    assert len(seen) == len(set(seen)) == 11


@pytest.mark.parametrize("q", ["", "x" * 101, "* : ( )", '"政府', "AND 防火", "甘府发〔2026〕12号 " * 3])
def test_the_same_messages_for_bad_queries(indexes, q):
    same(q, indexes)


def test_the_same_problems_for_bad_parameters(indexes):
    same("防火", indexes, page="0", size="500", sort="x", lang="en", genre="x", validity="x", **{"from": "20"})
    same("防火", indexes, **{"from": "2026", "to": "2020"})


def test_the_same_language_of_the_reader(indexes):
    same("མེ་འགོག", indexes, page_lang="zh")
    same("甘府发〔2026〕12号", indexes, page_lang="bo")
    widened = same("S00000001/2023-00001", indexes, page_lang="bo")  # collapsed over both languages
    assert [h.key for h in widened.hits] == ["doc:speech:zh"] and "widened" in [p.code for p in widened.problems]


def _api(service: SearchService, params: dict[str, str]) -> tuple[str, Any]:
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/api/search", "QUERY_STRING": urlencode(params),
               "SERVER_NAME": "localhost", "SERVER_PORT": "80", "wsgi.errors": io.StringIO(),
               "wsgi.input": io.BytesIO()}
    status: list[str] = []
    body = b"".join(service(environ, lambda s, h: status.append(s)))
    return status[0], json.loads(body)


@pytest.mark.parametrize("params", [{"q": "甘府发(2026)12号", "lang": "zh"}, {"q": ""}, {"q": "重点项目", "size": "5",
                                    "page": "3", "sort": "date"}, {"q": "ལྷ་ས", "lang": "bo"}, {"q": "防火 经济"}])
def test_the_service_answers_the_same(indexes, params):
    settings = load_settings()
    answers = [_api(SearchService(indexes[e].folder, {**settings, "GAZETTE_SEARCH_ENGINE": e}), params)
               for e in ("whoosh", "tantivy")]
    assert answers[0] == answers[1]


def test_an_unknown_engine_is_a_configuration_error():
    with pytest.raises(ConfigError, match="GAZETTE_SEARCH_ENGINE"):
        engine_setting({"GAZETTE_SEARCH_ENGINE": "lucene"})
    assert engine_setting({}) == "whoosh"


def test_the_engine_is_recorded_and_the_other_refused(indexes, tmp_path):
    folder = indexes["tantivy"].folder
    assert recorded_engine(folder) == "tantivy" and recorded_engine(indexes["whoosh"].folder) == "whoosh"
    with pytest.raises(EngineMismatch, match="tantivy"):
        open_index(folder, "whoosh")
    refused = SearchService(folder, load_settings())  # pelicanconf.py chooses Whoosh
    status, answer = _api(refused, {"q": "防火"})
    assert status == "503 Service Unavailable" and answer["problems"][0]["code"] == "unavailable"
    status, answer = _api(SearchService(folder, {**load_settings(), "GAZETTE_SEARCH_ENGINE": "tantivy"}), {"q": "防火"})
    assert status == "200 OK" and answer["total"] == 2


def _segments(folder: Path) -> list[str]:
    return [s["segment_id"] for s in json.loads((folder / "meta.json").read_text(encoding="utf-8"))["segments"]]


def test_an_update_writes_only_the_bucket_of_the_change(indexes, tmp_path, monkeypatch):
    monkeypatch.setattr(tantivy_index, "BUCKET_ENTRIES", 1)  # several groups of eight buckets
    publication = build_publication(load_corpus(Path(indexes["whoosh"].folder).parents[1] / "content")[0])
    wanted = list(entries(publication))
    first, second = tmp_path / "1", tmp_path / "2"
    update_index(first, tmp_path / "none", wanted, engine="tantivy")
    store = tantivy_index.default_store(first)  # shared by the two indexes: only the changed bucket is new
    before, buckets_before = _segments(first), _segments(store)
    assert len(buckets_before) == len(tantivy_index.TantivyWriter.open(first).segments) > tantivy_index.GROUP_BUCKETS
    assert len(before) < len(buckets_before)  # a query reads the groups' merged segments, not the buckets
    changed = replace(wanted[3], body="改写后的正文", fingerprint="new")
    stats = update_index(second, first, [*wanted[:3], changed, *wanted[4:]], engine="tantivy")
    assert (stats.rebuilt, stats.written, stats.removed) == (False, 1, 0)
    after, buckets_after = _segments(second), _segments(store)
    assert len(buckets_after) == len(buckets_before) and len(set(buckets_after) - set(buckets_before)) == 1
    assert len(after) == len(before) and len(set(after) - set(before)) == 1  # one group merged again
    kept = {s.replace("-", "") for s in before}
    for path in second.iterdir():  # the other groups' files are the last index's, linked
        if is_segment_file(path.name) and path.name.split(".")[0] in kept:
            assert path.stat().st_ino == (first / path.name).stat().st_ino
    replaced = (set(buckets_before) - set(buckets_after)).pop().replace("-", "")
    assert not [p for p in store.iterdir() if p.name.startswith(replaced)]  # the old bucket left the store
    index = open_index(second, "tantivy")
    assert index is not None and index.doc_count() == len(wanted)
    assert {h.key for h in search(index, "改写后的正文").hits} == {changed.key}
    # Scored over all segments together: in buckets, the same order as in one segment
    write_facets(first, indexes["tantivy"].facets)
    one, several = indexes["tantivy"], open_index(first, "tantivy")
    assert len(_segments(one.folder)) == 1 and several is not None
    for q, params in ORDERED:
        assert [h.key for h in search(one, q, **params).hits] == [h.key for h in search(several, q, **params).hits]


def test_an_index_in_shards_finds_what_one_index_finds(indexes, tmp_path, monkeypatch):
    """Shards score with their own statistics, so close scores may order otherwise; what is found, the
    totals and the pages' sizes and dates are the same."""
    monkeypatch.setattr(tantivy_index, "BUCKET_ENTRIES", 2)
    monkeypatch.setattr(tantivy_index, "SHARD_FROM_GROUPS", 1)
    publication = build_publication(load_corpus(Path(indexes["whoosh"].folder).parents[1] / "content")[0])
    wanted = list(entries(publication))
    update_index(tmp_path / "shards", tmp_path / "none", wanted, engine="tantivy")
    write_facets(tmp_path / "shards", indexes["tantivy"].facets)
    one, shards = indexes["tantivy"], open_index(tmp_path / "shards", "tantivy")
    assert shards is not None and shards.doc_count() == one.doc_count() == len(wanted)
    assert len(list((tmp_path / "shards").glob(f"{tantivy_index.SHARD_PREFIX}*"))) == tantivy_index.SHARDS
    for q, params in ORDERED:
        for sort in ("relevance", "date"):
            asked = {**params, "sort": sort, "size": "50", "page": "1"}
            a, b = (search(index, q, **asked) for index in (one, shards))
            assert (a.total, a.pages) == (b.total, b.pages) and {h.key for h in a.hits} == {h.key for h in b.hits}, q
            if sort == "date":
                assert [h.fields.get("published") for h in a.hits] == [h.fields.get("published") for h in b.hits], q
            pages = [search(shards, q, **{**asked, "size": "3", "page": str(n)})
                     for n in range(1, min(4, -(-b.total // 3)) + 1)]
            assert [h.key for p in pages for h in p.hits] == [h.key for h in b.hits][:3 * len(pages)], q
