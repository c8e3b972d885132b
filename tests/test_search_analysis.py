"""Normalisation and tokens: the same at index and at query time, in both scripts."""

from __future__ import annotations

import pytest
from gazette.search.analysis import (
    document_number_key,
    index_number_key,
    index_tokens,
    normalise,
    phrase_cover,
    query_tokens,
    script_of,
    tibetan_stem,
)


def tokens(text: str) -> list[tuple[str, int]]:
    return list(index_tokens(normalise(text)))


def test_chinese_runs_become_overlapping_bigrams_with_one_position_per_character():
    assert tokens("信息公开") == [("信息", 0), ("息公", 1), ("公开", 2), ("开", 3)]


def test_a_lone_character_is_indexed_as_itself():
    assert tokens("县") == [("县", 0)]


def test_positions_run_on_across_scripts_with_a_gap_after_each_chinese_run():
    found = tokens("康定，2026年 ལྷ་ས")
    assert found == [("康定", 0), ("定", 1), ("2026", 3), ("年", 4), ("ལྷ", 6), ("ས", 7)]


def test_full_width_letters_digits_and_brackets_fold_to_half_width():
    assert normalise("ＡＢＣ１２３（）［］") == "abc123()[]"
    assert tokens("Ｗｈｏｏｓｈ") == tokens("whoosh")


def test_discouraged_tibetan_vowels_fold_to_their_decomposed_forms():
    pairs = (("\u0f73", "\u0f71\u0f72"), ("\u0f75", "\u0f71\u0f74"), ("\u0f81", "\u0f71\u0f80"))
    for composed, decomposed in pairs:
        assert normalise("ཀ" + composed) == normalise("ཀ" + decomposed) == "ཀ" + decomposed


def test_tibetan_digits_and_invisible_characters():
    assert normalise("༢༠༡༢") == "2012"
    assert tokens("政\u200b府") == tokens("政府")


def test_tibetan_syllables_split_on_tsheg_and_shad():
    assert [t for t, _ in tokens("བོད་ཡིག། ཁྲིམས་")] == ["བོད", "ཡིག", "ཁྲིམས"]


@pytest.mark.parametrize(("syllable", "stem"), [
    ("སའི", "ས"), ("སར", "ས"), ("སས", "ས"), ("ལྷོར", "ལྷོ"), ("ཁུལ", "ཁུལ"), ("ཁྲིམས", "ཁྲིམས"), ("འི", "འི"),
    ("ས", "ས"),
    # a word ending in suffix འ keeps it (བཀ, མཐ are no syllables); དགའི stays ambiguous (དགའ, or the plural དག)
    ("བཀའི", "བཀའ"), ("མཐའི", "མཐའ"), ("ཕའི", "ཕ"), ("མིའི", "མི"), ("དགའི", "དག"),
])
def test_case_affixes_fold_only_on_open_syllables(syllable: str, stem: str):
    assert tibetan_stem(syllable) == stem


def test_an_affixed_syllable_is_indexed_under_itself_and_its_stem_at_one_position():
    assert tokens("ལྷ་སའི") == [("ལྷ", 0), ("སའི", 1), ("ས", 1)]


def test_query_tokens_match_the_index_positions():
    # the run-end unigram only where the clause goes on; a lone final character is a prefix
    assert [(t.text, t.prefix, t.pos) for t in query_tokens("康定县2026")] == [
        ("康定", False, 0), ("定县", False, 1), ("县", False, 2), ("2026", False, 4)]
    assert [(t.text, t.prefix) for t in query_tokens("县")] == [("县", True)]
    assert [t.text for t in query_tokens("ལྷ་སའི")] == ["ལྷ", "ས"]
    assert [t.text for t in query_tokens("ལས")] == ["ལས"]  # -ས is kept as typed at query time


@pytest.mark.parametrize("typed", ["甘府发〔2012〕12号", "甘府发[2012]12号", "甘府发(2012)12号",
                                   "甘府发（2012）12号", "甘府发【2012】12号", "甘府发［2012］12号",
                                   "甘府发 〔2012〕 012号"])
def test_document_numbers_however_bracketed(typed: str):
    assert document_number_key(typed) == "甘府发〔2012〕12号"


def test_other_numbers():
    assert document_number_key("甘孜藏族自治州人民政府令第3号") == "甘孜藏族自治州人民政府令第3号"
    assert document_number_key("政府信息公开") is None
    assert index_number_key(" S00000001/2026-00012 ") == "s00000001/2026-00012"
    assert index_number_key("S00000001/2026") is None


def test_script_of_a_query():
    assert script_of("ལྷ་ས") == "bo"
    assert script_of("公开") == "zh"
    assert script_of("2012") is None


def test_a_phrase_is_pinned_by_every_other_bigram_and_the_last():
    cover = phrase_cover(query_tokens("政府信息公开"))
    assert [(t.text, t.pos) for t in cover] == [("政府", 0), ("信息", 2), ("公开", 4)]
    cover = phrase_cover(query_tokens('康定 泸定'))  # the run-end unigram 定 is covered by 康定
    assert [(t.text, t.pos) for t in cover] == [("康定", 0), ("泸定", 3)]
    assert [t.text for t in phrase_cover(query_tokens("ལྷ་སའི་ལས"))] == ["ལྷ", "ས", "ལས"]


@pytest.mark.parametrize(("query", "text"), [("བཀའི", "བཀའི་"), ("བཀའ", "བཀའི་"), ("བཀའི", "བཀའ་"), ("ལྷ་སའི", "ལྷ་ས་")])
def test_a_genitive_query_and_its_word_find_each_other(query: str, text: str):
    indexed = {token for token, _ in index_tokens(normalise(text))}
    assert {t.text for t in query_tokens(query)} <= indexed


def test_a_tibetan_phrase_does_not_run_across_a_shad_or_a_paragraph():
    """བྱེད་ཐབས་དོན་ཚན matched a heading ending བྱེད་ཐབས། and the next paragraph's དོན་ཚན: a shad or a line end
    now leaves a gap, in the index as in a query that types one."""
    indexed = dict(tokens("བྱེད་ཐབས།\n\nདོན་ཚན་དང་པོ།"))
    query = [(t.text, t.pos) for t in query_tokens("བྱེད་ཐབས་དོན་ཚན")]
    assert indexed["དོན"] - indexed["ཐབས"] == 2 and query[2][1] - query[1][1] == 1  # no phrase match
    assert [t.pos for t in query_tokens("ཏེ། གསང")] == [0, 2] and dict(tokens("ཏེ། གསང་"))["གསང"] == 2
