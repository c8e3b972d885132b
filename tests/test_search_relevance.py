"""Relevance in both scripts, filters, sorting and pages, on an index built from a small real content tree."""

from __future__ import annotations

import pytest
from gazette.search.index import SearchIndex
from gazette.search.query import Results, parse_request, run
from search_corpus import build_search_corpus


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    output = build_search_corpus(tmp_path_factory.mktemp("search"))
    found = SearchIndex.open(output / "search-index")
    assert found is not None
    return found


def search(index: SearchIndex, q: str, **params: str) -> Results:
    return run(index, parse_request({"q": q, **params}, facets=index.facets))


def keys(index: SearchIndex, q: str, **params: str) -> set[str]:
    return {h.key for h in search(index, q, size="50", **params).hits}


# Chinese

def test_a_named_query_finds_the_named_document(index):
    assert keys(index, "森林草原防火", lang="zh") == {"doc:forest-fire:zh"}


def test_a_two_character_word_inside_a_longer_word(index):
    # 公开 inside 政府信息公开 and inside 政务公开
    found = keys(index, "公开", lang="zh")
    assert {"doc:info-open:zh", "doc:county-news:zh"} <= found
    assert "doc:speech:zh" not in found


def test_a_quoted_phrase_keeps_its_order(index):
    assert keys(index, '"森林草原防火"') == {"doc:forest-fire:zh"}
    assert keys(index, "“巡山护林”") == {"doc:forest-fire:zh"}
    assert keys(index, '"草原森林"') == set()  # the same characters in another order
    assert keys(index, "草原 森林") == {"doc:forest-fire:zh"}  # two words: both must appear, anywhere


def test_a_long_word_matches_only_where_its_characters_are_adjacent(index):
    assert keys(index, "政府信息公开工作") == {"doc:info-open:zh"}
    assert keys(index, "政府公开") == set()  # both bigrams are in info-open, not side by side
    assert keys(index, "信息公开工作现将") == set()


def test_all_words_must_appear(index):
    assert keys(index, "防火 经济") == {"doc:speech:zh"}


def test_a_single_character_finds_the_documents_that_have_it(index):
    assert keys(index, "炉") == {"doc:county-news:zh"}  # starting a run (炉霍)
    assert keys(index, "孚") == {"doc:county-news:zh"}  # ending a run (道孚。)
    assert "doc:forest-fire:zh" in keys(index, "泸")


def test_a_query_ending_in_a_single_character_matches_inside_a_longer_run(index):
    assert keys(index, "道孚") == {"doc:county-news:zh"}
    assert keys(index, "基层政") == {"doc:county-news:zh"}
    assert keys(index, '"康定、泸"') == {"doc:forest-fire:zh"}  # a phrase ending in a prefix: 泸 of 泸定
    assert keys(index, '"康定、丹"') == set()


def test_title_matches_rank_above_body_matches(index):
    hits = search(index, "防火", lang="zh").hits
    assert [h.key for h in hits] == ["doc:forest-fire:zh", "doc:speech:zh"]


# Tibetan

def test_a_tibetan_two_syllable_query_inside_a_phrase(index):
    assert keys(index, "ཆ་འཕྲིན", lang="bo") == {"doc:info-open:bo"}
    assert keys(index, "མེ་འགོག") == {"doc:forest-fire:bo"}


def test_tibetan_case_affixes_fold(index):
    # ལྷ་ས finds ལྷ་སའི (info-open) and ལྷ་སར (county-news); ལྷ་སའི finds both too
    assert keys(index, "ལྷ་ས") == {"doc:info-open:bo", "doc:county-news:bo"}
    assert keys(index, "ལྷ་སའི") == {"doc:info-open:bo", "doc:county-news:bo"}


def test_a_syllable_ending_in_sa_is_not_taken_for_its_stem_at_query_time(index):
    # ལས (work) is in info-open's text and forest-fire's publisher (ནགས་ལས་ཅུས); county-news has only
    # the particle ལ, which is the stem ལས would have if -ས were taken off
    assert keys(index, "ལས") == {"doc:info-open:bo", "doc:forest-fire:bo"}
    assert "doc:county-news:bo" in keys(index, "ལ")


def test_tibetan_phrase_order(index):
    assert keys(index, '"ཁྱབ་བསྒྲགས་ཀྱི་ལས་དོན"') == {"doc:info-open:bo"}
    assert keys(index, '"ལས་དོན་ཁྱབ་བསྒྲགས"') == set()


# Numbers

@pytest.mark.parametrize("typed", ["甘府发〔2026〕12号", "甘府发[2026]12号", "甘府发(2026)12号",
                                   "甘府发（2026）12号", "甘府发【2026】12号", '"甘府发〔2026〕12号"'])
def test_an_exact_document_number_however_bracketed(index, typed):
    assert keys(index, typed, lang="zh") == {"doc:info-open:zh"}
    assert keys(index, typed) == {"doc:info-open:zh", "doc:info-open:bo"}


def test_a_document_number_of_another_year_is_not_found(index):
    assert keys(index, "甘府发〔2025〕12号") == set()


def test_an_index_number(index):
    assert keys(index, "S00000011/2025-00003", lang="zh") == {"doc:forest-fire:zh"}


# Filters, sorting, pages

def test_filters(index):
    assert keys(index, "通知", publisher="forestry", lang="zh") == {"doc:forest-fire:zh"}
    assert keys(index, "工作", **{"class": "rules"}, lang="zh") == {"doc:info-open:zh"}  # a parent class
    assert keys(index, "工作", genre="speech") == {"doc:speech:zh"}
    assert keys(index, "工作", validity="失效", lang="zh") == {"doc:forest-fire:zh"}
    assert keys(index, "工作", validity="lapsed", lang="zh") == {"doc:forest-fire:zh"}
    assert keys(index, "工作", lang="zh", **{"from": "2024", "to": "2025"}) == {
        "doc:forest-fire:zh", "doc:county-news:zh"}
    assert {k.split(":")[2] for k in keys(index, "甘府发〔2026〕12号", lang="bo")} == {"bo"}


def test_an_unknown_filter_value_is_reported_not_applied(index):
    results = search(index, "防火", publisher="no-such-body", lang="zh")
    assert [p.code for p in results.problems] == ["unknown-publisher"]
    assert results.total == 2


def test_sort_by_date_puts_the_newest_first(index):
    by_date = search(index, "工作", lang="zh", sort="date", size="50").hits
    dates = [h.fields["published"] for h in by_date]
    assert len(dates) >= 4 and dates == sorted(dates, reverse=True)
    by_relevance = [h.key for h in search(index, "工作", lang="zh", size="50").hits]
    assert sorted(by_relevance) == sorted(h.key for h in by_date)


def test_pages_split_the_results_without_overlap(index):
    pages = [search(index, "重点项目", size="5", page=str(n)) for n in (1, 2, 3)]
    assert [r.total for r in pages] == [11, 11, 11] and pages[0].pages == 3
    seen = [h.key for r in pages for h in r.hits]
    assert len(seen) == len(set(seen)) == 11
    assert [len(r.hits) for r in pages] == [5, 5, 1]


def test_a_page_past_the_end_shows_the_last_and_says_so(index):
    results = search(index, "重点项目", size="5", page="9")
    assert results.page == 3 and len(results.hits) == 1
    assert "past-end" in [p.code for p in results.problems]


def test_a_page_size_over_the_limit_is_capped(index):
    results = search(index, "重点项目", size="5000")
    assert results.request.size == 50 and "size" in [p.code for p in results.problems]


# Highlighting and language

def test_snippets_mark_the_query_in_the_text(index):
    hit = search(index, "政府信息公开", lang="zh").hits[0]
    assert "<mark>政府信息公开</mark>" in str(hit.snippet_html)
    assert "<mark>政府信息公开</mark>" in str(hit.title_html)
    bo = search(index, "ལྷ་ས", lang="bo").hits[0]
    assert "<mark>ལྷ་སའི</mark>" in str(bo.snippet_html) or "<mark>ལྷ་སར</mark>" in str(bo.snippet_html)


def test_a_reader_of_one_language_searches_in_the_script_of_the_query(index):
    zh_page_tibetan_query = run(index, parse_request({"q": "མེ་འགོག"}, page_lang="zh"))
    assert [h.key for h in zh_page_tibetan_query.hits] == ["doc:forest-fire:bo"]
    number_on_bo_page = run(index, parse_request({"q": "甘府发〔2026〕12号"}, page_lang="bo"))
    assert [h.key for h in number_on_bo_page.hits] == ["doc:info-open:bo"]


def test_a_document_without_a_text_in_the_readers_language_is_still_found(index):
    # the speech has no Tibetan translation: a Tibetan reader's number query falls back to both languages
    results = run(index, parse_request({"q": "S00000001/2023-00001"}, page_lang="bo"))
    assert [h.key for h in results.hits] == ["doc:speech:zh"]
    assert "widened" in [p.code for p in results.problems]
