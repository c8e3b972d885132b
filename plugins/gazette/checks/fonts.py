"""Fonts: every character of published text has a glyph in the pinned fonts (no boxes on the site or
in the PDFs). Tibetan is set in Tibetan Machine Uni, everything else in Noto Serif/Sans CJK SC.

The fonts' character maps are read once with fontTools and cached (in the process, and in a JSON file
keyed by the fonts' checksums); a check then costs one regex scan per text for a character none of
the fonts has.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from ..config import GazetteConfig
from ..findings import Finding, error
from ..fonts import FontsMissing, coverage
from ..model import Corpus
from .common import Text, all_texts, codepoint
from .rules import CheckContext, rule
from .text import NOT_TEXT

# Layout characters that are never drawn.
NOT_DRAWN = frozenset("\n\r\t\u200b\u200c\u200d\ufeff")


def _ranges(chars: frozenset[str]) -> str:
    """A regex character-class body for `chars`, as ranges."""
    points = sorted(ord(c) for c in chars)
    parts, start, prev = [], None, None
    for cp in points:
        if start is None:
            start = prev = cp
        elif cp == prev + 1:
            prev = cp
        else:
            parts.append((start, prev))
            start = prev = cp
    if start is not None:
        parts.append((start, prev))
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in parts)


@lru_cache(maxsize=4)
def drawable(folder: Path) -> frozenset[str]:
    """Every character a pinned font draws: a Tibetan one by the Tibetan font, any other by every CJK face."""
    tibetan, cjk = coverage(folder)
    block = {c for c in cjk | tibetan if "\u0f00" <= c <= "\u0fff"}
    return frozenset((cjk - block) | (tibetan & block) | NOT_DRAWN)


@lru_cache(maxsize=4)
def undrawable(folder: Path) -> re.Pattern[str]:
    """Matches a character no pinned font draws: one C-speed scan per text finds the rare bad one."""
    return re.compile(f"[^{_ranges(drawable(folder))}]")


# Below this many characters to look at, each text's set of characters is compared with `drawable` instead:
# compiling the pattern (tens of thousands of characters as a class) takes 0.05-0.09 s, longer than
# looking at the few texts an incremental check judges; a whole corpus is scanned faster by the pattern.
FEW_CHARACTERS = 200_000


def _not_drawn(texts: list[Text], folder: Path) -> Iterator[tuple[Text, set[str]]]:
    """Each text with the characters in it that no pinned font draws (those it has)."""
    if sum(len(text.text) for text in texts) < FEW_CHARACTERS:
        chars = drawable(folder)
        for text in texts:
            if missing := set(text.text) - chars:
                yield text, missing
        return
    pattern = undrawable(folder)
    for text in texts:
        if pattern.search(text.text):
            yield text, set(pattern.findall(text.text))


@rule
def glyphs(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """FONT-GLYPH: a published character the fonts cannot draw; FONT-NOT-INSTALLED: fonts missing."""
    folder = GazetteConfig.from_settings(context.settings).fonts
    try:
        coverage(folder)
    except FontsMissing as exc:
        yield error("FONT-NOT-INSTALLED", str(folder / str(exc)), 1, "",
                    f"字体 {exc} 未安装，无法检查字形", f"the font {exc} is not installed; glyphs cannot be "
                                            "checked",
                    "运行 scripts/setup.sh 安装固定版本的字体", "run scripts/setup.sh to install the pinned "
                                                     "fonts")
        return
    for text, found in _not_drawn([t for t in all_texts(corpus, context) if t.public], folder):
        missing = {c for c in found if not NOT_TEXT.match(c)}  # those are TEXT-*
        if not missing:
            continue
        first = min(text.text.index(c) for c in missing)
        shown = " ".join(f"{c}({codepoint(c)})" for c in sorted(missing)[:8])
        yield error("FONT-GLYPH", text.path, text.line_at(first), text.field,
                    f"字体中没有这些字符的字形，发布后会显示为方框：{shown}",
                    f"the fonts have no glyph for these characters, which would show as boxes: {shown}",
                    "换用常用字或规范字形（生僻字可用图片或注音说明）",
                    "use the standard character (a rare one can be given as an image or explained)")
