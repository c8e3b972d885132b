"""Tibetan text: legacy encodings, discouraged code points, foreign characters, malformed syllables."""

from __future__ import annotations

import pytest
from factory import ContentFactory
from gazette.findings import Finding

TITLE = "དཀར་མཛེས་ཁུལ་གྱི་བརྡ་ཐོ།"
GOOD = "སྤྱིར་བཏང་གི་བླང་བྱ། ཡིག་ཆ་འདི་ལ་ཞིབ་བཤེར་བྱེད། ཀླུ་ཡི་རྒྱལ་པོ་སྐྱེས་བུ། ༢༠༢༦ ལོའི་ཟླ་ ༣ ཚེས་ ༢"


def translated(content: ContentFactory, body: str, title: str = TITLE) -> list[Finding]:
    content.document("tr")
    content.translation("tr", title=title, body=body)
    return [f for f in content.findings() if f.path.endswith(".bo.md")]


def test_good_tibetan_is_clean(content: ContentFactory) -> None:
    body = (f"{GOOD}\n\nཡིག་ཆའི་ཨང་གྲངས་ནི་甘府发〔2026〕12号 ཡིན། དྲ་ཚིགས་ https://www.gzz.gov.cn/ "
            "GDP དང་ 5G App\n\n| ཁུལ | གྲངས |\n| --- | --- |\n| དར་རྩེ་མདོ | ༡༢༠ |\n")
    assert translated(content, body) == []


@pytest.mark.parametrize("legacy", [
    "2R.-3A$-<A-;A-'J-2R.-;A$-.%-;A-$J-:6B-2!R.",  # Sambhota/Dedris-style ASCII
    "ÚÜ¼ÿ ÆÛ¼ÿ ÊÚ¼ÿ ÜÝÞ¼ÿ ¼ÈÛ",  # Latin-1 gibberish from an old Tibetan Machine font
    "bod yig gi yi ge 'di ni rnying pa yin",  # romanised text where Tibetan should be
])
def test_legacy_encoding_is_an_error(content: ContentFactory, legacy: str) -> None:
    hits = [f for f in translated(content, f"{GOOD}\n\n{legacy}\n") if f.code == "BO-LEGACY"]
    # The factory writes a translation's metadata on one line: the body starts on line 4.
    assert len(hits) == 1 and hits[0].is_error and hits[0].line == 6


def test_one_latin_word_beside_tibetan_is_not_legacy(content: ContentFactory) -> None:
    hits = [f.code for f in translated(content, "ཡིག་ཆའི་ནང་དོན། Gesetzgebungsverfahren\n")]
    assert "BO-LEGACY" not in hits and "BO-FOREIGN" in hits
    # but one run of legacy symbols beside a Tibetan word still is
    hits = [f.code for f in translated(content, "ཡིག 2R.-3A$-<A-;A-'J-2R.-;A$-.%\n")]
    assert "BO-LEGACY" in hits


@pytest.mark.parametrize("line", ["ཟུར་སྦྱར། Excel PDF", "WeChat དང་ Weibo", "Tibetan Machine Uni ཡིག་གཟུགས།"])
def test_product_names_beside_tibetan_are_no_old_encoding(content: ContentFactory, line: str) -> None:
    """Two or three plain words in a short Tibetan line stopped the build as an old font encoding."""
    assert "BO-LEGACY" not in [f.code for f in translated(content, f"{GOOD}\n\n{line}\n")]


def test_legacy_title(content: ContentFactory) -> None:
    hits = [f for f in translated(content, GOOD + "\n", title="2R.-3A$-<A-;A-'J") if f.code == "BO-LEGACY"]
    assert [(h.field, h.line) for h in hits] == [("title", 2)]


def test_chinese_in_a_tibetan_file(content: ContentFactory) -> None:
    hits = [f for f in translated(content, "这是中文正文，尚未翻译成藏文。\n") if f.code == "BO-NOT-TIBETAN"]
    assert len(hits) == 1 and hits[0].field == "body"


def test_a_tibetan_summary_in_chinese(content: ContentFactory) -> None:
    content.document("tr")
    content.translation("tr", title=TITLE, summary="本文件的藏文摘要还是中文。", body=GOOD + "\n")
    hits = [f for f in content.findings() if f.code == "BO-NOT-TIBETAN"]
    assert [(f.path.rsplit("/", 1)[-1], f.field) for f in hits] == [("tr.bo.md", "summary")]


@pytest.mark.parametrize(("char", "decomposed"), [("\u0f73", "U+0F71 U+0F72"), ("\u0f75", "U+0F71 U+0F74"),
                                                  ("\u0f81", "U+0F71 U+0F80")])
def test_discouraged_code_points(content: ContentFactory, char: str, decomposed: str) -> None:
    hits = [f for f in translated(content, f"{GOOD}\n\nཀ{char}་ཡིག\n") if f.code == "BO-DISCOURAGED"]
    assert len(hits) == 1 and hits[0].level.value == "warning" and decomposed in hits[0].fix_en


def test_decomposed_form_is_clean(content: ContentFactory) -> None:
    assert translated(content, "ཀ\u0f71\u0f72་ཡིག ཀ\u0f71\u0f74་ཡིག\n") == []


@pytest.mark.parametrize("foreign", ["Привет", "αβγ", "Gesetzgebung"])
def test_foreign_characters(content: ContentFactory, foreign: str) -> None:
    hits = [f for f in translated(content, f"{GOOD} {foreign}\n") if f.code == "BO-FOREIGN"]
    assert len(hits) == 1 and hits[0].level.value == "warning"


@pytest.mark.parametrize("bad", ["ཡིག་་ཆ", "ཡིག་ ིཆ", "ཀིི་ཡིག", "\u0f72ཀ", "ཀིེ་ཡིག", "བོུ་ཡིག", "ཀ\u0f72\u0fb2་ཡིག"])
def test_malformed_syllables(content: ContentFactory, bad: str) -> None:
    hits = [f for f in translated(content, f"{GOOD}\n\n{bad}\n") if f.code == "BO-SYLLABLE"]
    assert len(hits) == 1 and hits[0].line == 6


def test_registry_tibetan_labels_are_checked(content: ContentFactory) -> None:
    content.write("registry/genres.yml", "- {id: notice, zh: 通知, bo: \"2R.-3A$-<A-;A-'J\"}\n"
                                          "- {id: speech, zh: 讲话, bo: གསུང་བཤད།}\n")
    hits = [f for f in content.findings() if f.code == "BO-LEGACY"]
    assert [(h.path, h.line) for h in hits] == [("registry/genres.yml", 1)]
