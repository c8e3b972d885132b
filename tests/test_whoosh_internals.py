"""What the search code takes from Whoosh's internals (plugins/gazette/search/whoosh_internals.py) is there
and behaves as it did when the module was written, and the stock path (GAZETTE_SEARCH_FAST_PATH = False,
or a Whoosh whose internals changed) answers exactly as the fast path does.

A failure here after upgrading whoosh-reloaded means: check each item of whoosh_internals.py's docstring
against the new version, fix what changed, and only then raise WRITTEN_FOR. Until then the search runs on
the stock path (slower, the same results) and the index is written by the stock writer (not byte for byte
reproducible)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from factory import ContentFactory
from gazette.loader import load_corpus
from gazette.publication import build_publication
from gazette.search import index as ix
from gazette.search import whoosh_internals as wi
from gazette.search.build import entries, facets, update_index
from gazette.search.index import Entry, IndexWriter, SearchIndex, write_facets
from gazette.search.query import parse_request, run
from gazette.search.service import SearchService
from whoosh import matching
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.scoring import BM25F
from whoosh.util import make_binary_tree

# --- The version and the names -------------------------------------------------------------------------


def test_the_installed_whoosh_is_the_version_the_internals_were_checked_against():
    assert wi.installed_version() == wi.WRITTEN_FOR, (
        f"whoosh-reloaded {wi.installed_version()} is installed; whoosh_internals.py was checked against "
        f"{wi.WRITTEN_FOR}: check each item of its docstring against the new version, then raise WRITTEN_FOR")


def test_every_private_name_is_there_with_its_signature():
    assert wi.missing_for_queries() == []
    assert wi.missing_for_writing() == []
    assert wi.fast_queries_supported()
    assert wi.reproducible_writing_supported()


def test_another_version_turns_the_internals_off_with_a_warning(monkeypatch, caplog):
    monkeypatch.setattr(wi, "installed_version", lambda: "9.9.9")
    assert not wi.fast_queries_supported.__wrapped__()
    assert not wi.reproducible_writing_supported.__wrapped__()
    assert "9.9.9" in caplog.text and "stock matchers" in caplog.text and "stock writer" in caplog.text


# --- Behaviour, on a tiny index of one segment ---------------------------------------------------------

def tiny_entries() -> list[Entry]:
    """300 entries: 政府 in every one (postings of several 128-document blocks), 县城 in a third, 独一 in
    one, at positions that vary from entry to entry."""
    found = []
    for i in range(300):
        body = "，".join(["政府信息公开"] * (1 + i % 4)) + "。" + ("县城" if i % 3 == 0 else "县长") + "、县委"
        if i == 7:
            body += "独一"
        entry = Entry(key=f"doc:t{i:03d}:zh", kind="document", slug=f"t{i:03d}", lang="zh",
                      url=f"/zh/t{i:03d}/", title=f"第{i}号", body=body, published=f"2026-01-{1 + i % 28:02d}")
        entry.fingerprint = entry.key
        found.append(entry)
    return found


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("tiny")
    writer = IndexWriter.create(folder)
    writer.add_all(tiny_entries())
    writer.close()
    index = ix.whoosh_index.open_dir(str(folder))
    with index.searcher() as searcher:
        assert not searcher.subsearchers  # one segment: the searcher is the segment's
        yield searcher


def stock_postings(searcher: Any, text: str) -> tuple[list[int], list[float], list[bytes]]:
    m = searcher.reader().postings("body", text.encode())
    ids, weights, values = [], [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        values.append(m.value())
        m.next()
    return ids, weights, values


@pytest.mark.parametrize("text", ["政府", "县城", "独一"])
def test_postings_read_a_block_at_a_time_are_the_matchers_own(tiny, text):
    m = tiny.reader().postings("body", text.encode())
    assert isinstance(m, W3LeafMatcher)
    got = wi.read_postings(m, values=True)
    assert got == stock_postings(tiny, text)
    assert wi.read_doc_ids(tiny.reader().postings("body", text.encode())) == got[0]
    assert len(got[0]) == {"政府": 300, "县城": 100, "独一": 1}[text]


def test_other_matchers_are_read_through_the_public_api():
    def listed() -> Any:
        return matching.ListMatcher([1, 5], weights=[1.0, 2.0], values=[b"a", b"b"])

    assert wi.read_postings(listed(), values=True) == ([1, 5], [1.0, 2.0], [b"a", b"b"])
    assert wi.read_doc_ids(listed()) == [1, 5]


def test_positions_decode_as_the_format_decodes_them(tiny):
    field = tiny.schema["body"]
    ids, _, values = stock_postings(tiny, "政府")
    m = tiny.reader().postings("body", b"\xe6\x94\xbf\xe5\xba\x9c")
    for value in values:
        assert list(wi.decode_positions(value)) == field.format.decode_positions(value) == m.value_as("positions")
        m.next()
    assert {len(field.format.decode_positions(v)) for v in values} == {1, 2, 3, 4}


@pytest.mark.parametrize("text", ["政府", "县城"])
def test_a_score_from_weight_and_length_is_the_scorers_own(tiny, text):
    btext = text.encode()
    scorer = BM25F().scorer(tiny, "body", btext)
    score = wi.score_function(scorer)
    m = tiny.reader().postings("body", btext)
    while m.is_active():
        assert score(m.weight(), tiny.doc_field_length(m.id(), "body", 1)) == scorer.score(m)
        m.next()


@pytest.mark.parametrize("size", range(1, 8))
def test_scores_add_up_in_the_order_of_whooshs_matcher_trees(size):
    rng = random.Random(size)
    # Magnitudes far apart, so that another order of additions gives another float.
    scores = [rng.choice([1e-9, 0.1, 0.3, 7.0, 1e9]) * rng.random() for _ in range(size)]
    both = make_binary_tree(matching.IntersectionMatcher, [matching.ListMatcher([0], weights=[s]) for s in scores])
    assert both.score() == wi.tree_sum(list(scores))
    present = [s if i % 3 else None for i, s in enumerate(scores)]
    present[0] = scores[0]
    union = make_binary_tree(matching.UnionMatcher, [matching.ListMatcher([0] if s is not None else [1],
                                                                          weights=[s or 0.0]) for s in present])
    assert union.id() == 0 and union.score() == wi.tree_sum(present)


def test_a_prefix_is_preloaded_at_score_one_exactly_when_the_module_says_so(tiny):
    terms = len(list(tiny.reader().expand_prefix("body", "县")))
    assert terms >= 3
    for needs_current in (False, True):
        context = tiny.context(needs_current=needs_current)
        m = wq.Prefix("body", "县").matcher(tiny, context)
        preloaded = wi.prefix_is_preloaded(tiny, context, terms)
        assert preloaded == (not needs_current)
        assert isinstance(m, matching.ArrayUnionMatcher) == preloaded
        if preloaded:
            scores = set()
            while m.is_active():
                scores.add(m.score())
                m.next()
            assert scores == {1.0}
    assert not wi.prefix_is_preloaded(tiny, tiny.context(needs_current=False), 2)  # two terms: a union tree


def test_the_reproducible_writer_names_segments_and_writes_the_same_files(tmp_path):
    batch = tiny_entries()[:30]

    def write(folder: Path) -> dict[str, bytes]:
        writer = IndexWriter.create(folder)
        writer.add_all(batch)
        segment = writer.ix._segments()[0]
        assert list(segment._fieldlengths) == sorted(segment._fieldlengths)  # kept in the order of names
        writer.close()
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}

    first, second = write(tmp_path / "a"), write(tmp_path / "b")
    assert first == second
    ids = [s.segment_id() for s in ix.whoosh_index.open_dir(str(tmp_path / "a"))._segments()]
    (tmp_path / "empty").mkdir()
    empty = ix.whoosh_index.create_in(str(tmp_path / "empty"), ix._schema())
    assert len(ids) == 1 and ids[0] == "MAIN_" + wi.segment_name(empty, list(ix._entry_ids(batch)))
    segment_files = {name for name in first if wi.is_segment_file(name)}
    assert segment_files and all(name.startswith(ids[0] + ".") for name in segment_files)
    assert set(first) - segment_files == {"_MAIN_1.toc", ix.VERSION_FILE}  # rewritten in place: copied
    assert not (tmp_path / "a" / "MAIN.tmp").exists()


# --- The stock path answers as the fast path does ------------------------------------------------------

WORDS = ["政府信息公开", "工作", "通知", "各县", "县长", "县委", "县城", "人民政府", "森林草原防火", "2026年",
         "2026年度", "公开", "信息", "政府", "康定", "乡村振兴", "，", "。"]
SYLLABLES = ["སྲིད", "གཞུང", "ཆ", "འཕྲིན", "ཁྱབ", "བསྒྲགས", "ལྷ", "སའི", "སར", "ས", "ལས", "ནགས", "ཚལ"]
PUBLISHERS = ["prefecture-government", "forestry", "kangding"]
CLASSES = ["rules.normative", "emergencies.plans", "projects.approval"]
QUERIES = ["政府信息公开", "公开", "县", "政府 工作", '"森林草原防火"', '"信息 公开"', "2026年", "各县 县长",
           "人民政府通知", "ལྷ་ས", "ལྷ་སའི", "ཆ་འཕྲིན་ཁྱབ་བསྒྲགས", '"ནགས་ཚལ"', "ལས", "甘府发〔2025〕4号",
           "甘府发[2025]4号", "S00000001/2026-00009", "公开 甘府发〔2026〕3号"]
PARAMS = [{"lang": "all", "size": "50"}, {"lang": "all", "sort": "date", "size": "50"},
          {"lang": "zh", "page": "2", "size": "4"}, {"lang": "bo"}, {"publisher": "forestry", "validity": "失效"},
          {"class": "rules", "from": "2025", "to": "2025", "sort": "date"}, {}]


def build_corpus(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """36 documents of common words (many ties), every third in Tibetan too, of three publishers, classes
    and years, two validities; written in segments of eight entries."""
    rng = random.Random(9)
    c = ContentFactory(root / "content")
    for i in range(36):
        year = 2024 + i % 3
        c.document(f"d{i:02d}", title="关于" + "".join(rng.choice(WORDS) for _ in range(3)) + "的通知",
                   body="".join(rng.choice(WORDS) for _ in range(50)), doc_number=f"甘府发〔{year}〕{i % 5 + 1}号",
                   index_no=f"S00000001/{year}-{i + 1:05d}", issuer=[PUBLISHERS[i % 3]],
                   catalogue=CLASSES[i % 4 % 3], validity="失效" if i % 4 == 1 else "有效",
                   signed=f"{year}-02-0{1 + i % 5}", published=f"{year}-0{3 + i % 2}-1{i % 3}",
                   secrecy_review={"by": "州政府办公室保密审查小组", "date": f"{year}-02-2{i % 4}"})
        if i % 3 == 0:
            c.translation(f"d{i:02d}", year=str(year), title="་".join(rng.choice(SYLLABLES) for _ in range(4)),
                          body="་".join(rng.choice(SYLLABLES) for _ in range(40)) + "།")
    publication = build_publication(load_corpus(c.root)[0])
    wanted = list(entries(publication))
    folder = root / "search-index"
    monkeypatch.setattr(ix, "SEGMENT_ENTRIES", 8)
    update_index(folder, root / "none", wanted)
    write_facets(folder, facets(publication))
    # The same entries through Whoosh's stock writer (segments under random names).
    monkeypatch.setattr(wi, "reproducible_writing_supported", lambda: False)
    update_index(root / "stock-index", root / "none", wanted)
    write_facets(root / "stock-index", facets(publication))
    return root


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as m:
        root = build_corpus(tmp_path_factory.mktemp("differential"), m)
    yield root


def answers(index: SearchIndex) -> list[Any]:
    """[total, page, ordered keys] of every query with every set of parameters, as a reader gets them."""
    out = []
    for q in QUERIES:
        for params in PARAMS:
            results = run(index, parse_request({"q": q, **params}, page_lang="zh", facets=index.facets))
            out.append([q, params, results.total, results.page, [h.key for h in results.hits]])
    return out


@pytest.fixture(scope="module")
def fast_answers(corpus: Path) -> list[Any]:
    index = SearchIndex.open(corpus / "search-index")
    assert index is not None and index.fast
    assert len(index._searcher().subsearchers) >= 4
    found = answers(index)
    assert sum(len(a[4]) for a in found) > 300 and {a[2] for a in found} != {0}
    assert any(a[2] == 0 for a in found)  # and some find nothing
    return found


def forbid_internals(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the stock path used Whoosh's internals")

    for name in ("read_postings", "read_doc_ids", "decode_positions", "score_function", "tree_sum",
                 "prefix_is_preloaded"):
        monkeypatch.setattr(wi, name, refuse)


def test_the_stock_path_gives_the_same_hits_in_the_same_order(corpus, fast_answers, monkeypatch):
    forbid_internals(monkeypatch)
    stock = SearchIndex.open(corpus / "search-index", fast=False)
    assert stock is not None and not stock.fast
    assert answers(stock) == fast_answers


def test_an_index_from_the_stock_writer_answers_the_same(corpus, fast_answers):
    stock = SearchIndex.open(corpus / "stock-index")
    assert stock is not None
    names = {p.name.split(".")[0] for p in (corpus / "stock-index").iterdir() if wi.is_segment_file(p.name)}
    assert names.isdisjoint(p.name.split(".")[0] for p in (corpus / "search-index").iterdir())
    assert len(stock._searcher().subsearchers) == len(list((corpus / "search-index").glob("MAIN_*.pst")))
    assert answers(stock) == fast_answers


def test_without_the_internals_the_fast_path_is_not_taken(corpus, monkeypatch):
    monkeypatch.setattr(wi, "fast_queries_supported", lambda: False)
    index = SearchIndex.open(corpus / "search-index")
    assert index is not None and not index.fast


def test_the_setting_reaches_the_service(corpus):
    for fast in (True, False):
        service = SearchService(corpus / "search-index", {"GAZETTE_SEARCH_FAST_PATH": fast})
        index = service.index()
        assert index is not None and index.fast is fast
