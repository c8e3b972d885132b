"""Text: characters that are not text, junk pasted from web forums, half-width punctuation in Chinese.

A file that is not UTF-8 is reported by the reader (`frontmatter.decode`: TEXT-ENCODING, and
TEXT-ENCODING-GBK with the command that converts it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..findings import Finding, error, warning
from ..model import Corpus
from .common import all_texts, codepoint, excerpt
from .rules import CheckContext, rule

# Everything that is not text, in one class so that clean text costs one scan.
NOT_TEXT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\ufffd\ufffe\uffff\ue000-\uf8ff\U000f0000-\U0010ffff]")
# Letters that draw nothing (the Hangul fillers): a title of them reads as blank, like a zero-width space.
BLANK_LETTERS = (0x115F, 0x1160, 0x3164, 0xFFA0)


def _kind(char: str) -> tuple[str, str, str]:
    """(code, what in Chinese, what in English) for a character matched by NOT_TEXT."""
    cp = ord(char)
    if cp == 0xFFFD:
        return ("TEXT-REPLACEMENT", "替换字符 �（转码时丢失的文字）",
                "the replacement character � (text lost in a conversion)")
    if cp == 0xFEFF:
        return "TEXT-BOM", "文中的字节顺序标记（BOM）", "a byte-order mark inside the text"
    if 0xE000 <= cp <= 0xF8FF or cp >= 0xF0000:
        return "TEXT-PRIVATE-USE", "私用区字符（旧字体或输入法的自造字，公开后显示为方框）", \
            "private-use characters (from an old font or input method; they show as boxes)"
    if cp in (0x200B, 0x200C, 0x200D, 0x2060, 0x180E, 0x00AD, *BLANK_LETTERS) or 0x2061 <= cp <= 0x2064:
        return "TEXT-ZERO-WIDTH", "零宽（不可见）字符", "zero-width (invisible) characters"
    return ("TEXT-CONTROL", "控制字符（不可见，会破坏排版或检索）",
            "control characters (invisible; they break layout and search)")


@rule
def not_text(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """TEXT-CONTROL, TEXT-PRIVATE-USE, TEXT-REPLACEMENT, TEXT-ZERO-WIDTH, TEXT-BOM (errors)."""
    for text in all_texts(corpus, context):
        if not NOT_TEXT.search(text.text):
            continue
        found: dict[tuple[str, int], list[tuple[int, str]]] = {}
        for m in NOT_TEXT.finditer(text.text):
            code = _kind(m.group())[0]
            found.setdefault((code, text.line_at(m.start())), []).append((m.start(), m.group()))
        for (code, line), hits in found.items():
            _, what_zh, what_en = _kind(hits[0][1])
            points = "、".join(sorted({codepoint(c) for _, c in hits}))
            near = excerpt(text.text, hits[0][0])
            yield error(code, text.path, line, text.field,
                        f"{what_zh}：{points}，共 {len(hits)} 处（在“{near}”附近）",
                        f"{what_en}: {points}, {len(hits)} in all (near '{near}')",
                        "删除这些字符；从网页或旧系统复制的文字，先粘贴到纯文本编辑器再复制",
                        "delete them; paste text from web pages or old systems through a plain-text editor "
                        "first")


# Forum anti-copy junk: runs of 1–3-character ASCII tokens left at the ends of paragraphs, e.g.
# `8 A2 c" C* R  @2 ]` or `" e" k( M5 [* r/ P( L. u`. A run counts when it has at least four tokens
# and at least two of them mix a letter or digit with a symbol or a letter with a digit, so that
# ordinary Latin words, formulas (`1 + 2 = 3`) and list numbers are not taken for junk.
JUNK_RUN = re.compile(r"(?:^|(?<=[^\x00-\x7f])|(?<=\s))((?:[!-~]{1,3}[ \t\u3000]+){3,}[!-~]{1,3})[ \t]*$")
_MIXED = re.compile(r"^(?:(?=.*[A-Za-z0-9])(?=.*[^A-Za-z0-9])|(?=.*[A-Za-z])(?=.*[0-9])).{2,3}$")
_TAIL = 48  # a junk run is short; only the end of each line is looked at


# A line whose last visible character is ASCII: the only lines a junk run can end.
_ASCII_END = re.compile(r"[!-~][ \t]*$", re.MULTILINE)


def junk_runs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, run) of each junk run at the end of a line."""
    for end in _ASCII_END.finditer(text):
        start = text.rfind("\n", 0, end.start()) + 1
        line = text[start:end.end()].rstrip(" \t")
        tail = max(0, len(line) - _TAIL)
        if line.count(" ", tail) < 3:
            continue
        m = JUNK_RUN.search(line, tail)
        if m:
            tokens = m.group(1).split()
            mixed = sum(1 for t in tokens if _MIXED.match(t))
            if len(tokens) >= 4 and mixed >= 2 and "|" not in m.group(1):
                yield start + m.start(1), m.group(1)


@rule
def forum_junk(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """TEXT-JUNK (warning): junk characters pasted from web forums at the ends of paragraphs."""
    for text in all_texts(corpus, context):
        if not text.body:
            continue
        for offset, run in junk_runs(text.masked):
            yield warning("TEXT-JUNK", text.path, text.line_at(offset), text.field,
                          f"段末疑似网页论坛复制带入的乱码：“{run}”", "junk pasted from a web forum at the "
                                                      "end of a "
                          f"paragraph: '{run}'", "核对原文后删除这串字符", "check against the original and "
                                                                "delete it")


CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}
HALF_WIDTH = re.compile(rf"(?<=[{CJK}])[,;:?!()]|[,;:?!()](?=[{CJK}])|(?<=[{CJK}])\.(?=[\s{CJK}]|$)")
# Document numbers keep their own form (a wrong bracket there is NUM-BRACKETS, not punctuation).
DOC_NUMBER_IN_TEXT = re.compile(rf"[{CJK}]+[\[(（【［〔]\d{{2,4}}[\])）】］〕]第?\d+号")


@rule
def half_width_punctuation(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """TEXT-HALFWIDTH (warning): half-width , ; : ? ! ( ) . inside Chinese sentences."""
    for text in all_texts(corpus, context):
        if text.lang != "zh":
            continue
        masked = text.masked
        if not HALF_WIDTH.search(masked):
            continue
        if "号" in masked:
            masked = DOC_NUMBER_IN_TEXT.sub(lambda m: " " * len(m.group()), masked)
        by_line: dict[int, list[re.Match[str]]] = {}
        for m in HALF_WIDTH.finditer(masked):
            by_line.setdefault(text.line_at(m.start()), []).append(m)
        for line, hits in by_line.items():
            chars = sorted({m.group() for m in hits})
            pairs_zh = "、".join(f"“{c}”→“{HALF_TO_FULL[c]}”" for c in chars)
            near = excerpt(text.text, hits[0].start())
            yield warning("TEXT-HALFWIDTH", text.path, line, text.field,
                          f"中文句中使用了半角标点（“{near}”）", "half-width punctuation in a Chinese "
                                                    f"sentence ('{near}')",
                          f"改用全角标点：{pairs_zh}", "use full-width punctuation: "
                                                f"{', '.join(f'{c} → {HALF_TO_FULL[c]}' for c in chars)}")
