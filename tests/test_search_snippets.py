"""Snippets cut Tibetan text between syllables: never on a tsheg, never inside a stack."""

from __future__ import annotations

import random
import re

from gazette.search import highlight
from gazette.search.analysis import normalise_with_offsets
from gazette.search.highlight import SNIPPET_CHARS, needles, opening, snippet
from markupsafe import Markup

# Syllables with stacks, subjoined letters, vowel signs and affixes, so a cut can fall anywhere in one.
SYLLABLES = ["བསྒྲགས", "སྲིད", "གཞུང", "འཕྲིན", "རྫོང", "ཁྱབ", "སྐྱོང", "ཀྱི", "སའི", "ཁྲིམས", "བསྟེན", "དབུལ",
             "ཚལ", "རྩྭ", "ཐང", "མེ", "ཀ", "ལྷ", "ཤེས", "ཡོན"]
LETTER = re.compile("[\u0f35\u0f37\u0f39\u0f3e\u0f3f\u0f40-\u0fbc]")


def tibetan(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) + ("། " if rng.random() < 0.08 else "་") for _ in range(syllables))


def _window(text: str, shown: str) -> tuple[int, int]:
    """Where the snippet's text (marks and ellipses taken off) lies in `text`."""
    plain = re.sub("</?mark>", "", shown).strip("…")
    start = text.index(plain)
    return start, start + len(plain)


def _cut_between_syllables(text: str, start: int, end: int) -> None:
    piece = text[start:end]
    assert piece and piece[0] not in "\u0f0b\u0f0c " and (end == len(text) or piece[-1] not in "\u0f0b\u0f0c "), piece
    assert start == 0 or not (LETTER.match(text[start - 1]) and LETTER.match(text[start])), piece
    assert end == len(text) or not (LETTER.match(text[end - 1]) and LETTER.match(text[end])), piece


def test_tibetan_snippets_start_and_end_between_syllables():
    rng = random.Random(12)
    seen_cut_both_ends = 0
    for _ in range(300):
        # The match (ལུགས་སྲོལ, in no other syllable) anywhere in a text longer than a snippet.
        before, after = tibetan(rng, rng.randrange(0, 60)), tibetan(rng, rng.randrange(20, 80))
        text = before + "ལུགས་སྲོལ་" + after
        shown = str(snippet(text, needles(["ལུགས་སྲོལ"])))
        assert "<mark>ལུགས་སྲོལ</mark>" in shown
        start, end = _window(text, shown)
        _cut_between_syllables(text, start, end)
        seen_cut_both_ends += start > 0 and end < len(text)
    assert seen_cut_both_ends > 100  # the cuts were exercised, not only whole texts


def test_the_opening_of_a_tibetan_text_ends_between_syllables():
    rng = random.Random(11)
    for _ in range(100):
        text = tibetan(rng, 80)
        shown = str(opening(text))
        assert shown.endswith("…") and len(shown) <= SNIPPET_CHARS + 12
        _cut_between_syllables(text, *_window(text, shown))


def test_chinese_snippets_keep_their_window():
    text = ("各县人民政府，州级各部门：" * 8 + "为进一步做好政府信息公开工作，现将有关事项通知如下。"
            + "请认真贯彻执行。" * 20)
    shown = str(snippet(text, needles(["政府信息公开"])))
    assert "<mark>政府信息公开</mark>" in shown and shown.startswith("…") and shown.endswith("…")
    assert SNIPPET_CHARS - 2 <= len(re.sub("</?mark>", "", shown).strip("…")) <= SNIPPET_CHARS


def test_a_long_text_gives_the_snippet_of_its_whole_normalised_text():
    """Only a prefix of a long body is normalised for its snippet: the window and its marks are those
    the whole text gives, wherever the first match falls, across full-width forms, Tibetan digits,
    invisible characters and affixes that normalisation changes."""
    def whole(text: str, wanted: list[tuple[str, str]]) -> Markup | None:
        """The snippet as the whole text, normalised whole, gives it."""
        normalised, offsets = normalise_with_offsets(text)
        spans = highlight._spans(normalised, wanted)
        return highlight._window(text, offsets, spans, SNIPPET_CHARS) if spans else None

    rng = random.Random(5)
    odd = "Ａ１（༢༠༢６）\u200b㈱﹐ "
    found = 0
    for _ in range(60):
        parts = [tibetan(rng, rng.randrange(50, 300)) if rng.random() < 0.5 else "政府工作，" * rng.randrange(20, 200)
                 for _ in range(3)]
        text = odd.join(parts)
        k = rng.randrange(len(text) - 12)
        wanted = needles([text[k:k + rng.randrange(2, 12)], rng.choice(["政府信息公开", "ལྷ་ས", "2026", "a1"])])
        shown = snippet(text, wanted)
        assert shown == whole(text, wanted)
        found += shown is not None
        # The first match just before or after where a prefix would end, more of them in its window.
        at = rng.randrange(340, 460)
        text = (("工作，" * 200)[:at] + "政府信息公开" + "工作" * rng.randrange(0, 40) + "政府信息公开。"
                + "工作，" * 300)
        wanted = needles(["政府信息公开"])
        shown = snippet(text, wanted)
        assert shown == whole(text, wanted)
        found += shown is not None
    assert found > 100


def test_a_body_whose_only_cut_is_before_its_match_is_normalised_at_most_twice() -> None:
    """A long body with nowhere to cut (syllables of stacked marks, no tsheg, no space) but just before its
    match: the prefixes grow until the whole text, and the snippet is the whole text's."""
    text = "ཀཱི" * 30_000 + "་ལྷ་སའི་ཁྲིམས"
    wanted = needles(["ལྷ་ས"])
    normalised, offsets = normalise_with_offsets(text)
    shown = snippet(text, wanted)
    assert shown is not None and "<mark>ལྷ་སའི</mark>" in shown
    assert shown == highlight._window(text, offsets, highlight._spans(normalised, wanted), SNIPPET_CHARS)
