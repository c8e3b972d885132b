"""Tibetan text (.bo.md files, Tibetan registry labels and captions).

- BO-LEGACY (error): text pasted from a legacy font encoding (Sambhota/Dedris, TCRC Bod-Yig, the old
  Tibetan Machine): Tibetan drawn by a font over Latin letters and ASCII symbols, which reads as
  gibberish (`2R.-3A$`, `×ÜÆ¼`) anywhere the font is not installed. It is refused, not published.
- BO-NOT-TIBETAN (error): a Tibetan text with no Tibetan in it (Chinese pasted into the .bo.md).
- BO-DISCOURAGED (warning): U+0F73, U+0F75, U+0F81 (and the deprecated U+0F77, U+0F79): written decomposed.
- BO-FOREIGN (warning): characters outside the Tibetan block and common punctuation (short Latin
  abbreviations such as GDP or 5G are allowed).
- BO-SYLLABLE (warning): malformed syllables: a vowel sign or subjoined letter with no base letter,
  two vowel signs on one letter, a vowel sign typed before a subjoined letter, a doubled tsheg.

Syntax is masked first (URLs, code, link targets, document and index numbers are not Tibetan text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..findings import Finding, error, warning
from ..model import Corpus
from .common import Text, all_texts, codepoint, excerpt
from .rules import CheckContext, rule

TIBETAN_LETTER = re.compile("[\u0f40-\u0fbc]")
# Latin letters (ASCII and Latin-1/Extended, which the legacy fonts also use) and the ASCII symbols
# legacy encodings map Tibetan letters onto. Hyphen, full stop, comma, colon, brackets and Markdown
# markers are left out: Tibetan text uses them.
LEGACY_SUSPECT = re.compile("[A-Za-z\u00c0-\u024f!\"$%&'+/;<=>?@\\[\\\\\\]^_`{}~]")
LEGACY_TOKEN = re.compile(f"[^\\s\u0f00-\u0fff]*{LEGACY_SUSPECT.pattern}[^\\s\u0f00-\u0fff]*")
CJK_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
PLAIN_WORD = re.compile("[A-Za-z][A-Za-z0-9]*")
# Short Latin words (GDP, PDF, 5G, App) are allowed: Tibetan official text uses them; longer Latin
# words are reported, and mostly-Latin lines are BO-LEGACY.
FOREIGN_CHAR = re.compile(
    "[^\u0f00-\u0fff\\sA-Za-z0-9!-/:-@\\[-`{-~\u00a0\u00b7\u2010-\u2027\u3000-\u3003\u3008-\u3011\u3014-\u301f"
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")
LATIN_WORD = re.compile("[A-Za-z]{6,}")
FOREIGN = re.compile(f"{LATIN_WORD.pattern}|{FOREIGN_CHAR.pattern}")  # for a line already found to have some
NUMBERS = re.compile(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号|[\u4e00-\u9fff]+令第\d+号|\b[0-9A-Z]{9}/\d{4}-\d{5}\b")
DISCOURAGED = {
    "\u0f73": "\u0f71\u0f72", "\u0f75": "\u0f71\u0f74", "\u0f81": "\u0f71\u0f80",
    "\u0f77": "\u0fb2\u0f71\u0f80", "\u0f79": "\u0fb3\u0f71\u0f80",
}
DISCOURAGED_RE = re.compile(f"[{''.join(DISCOURAGED)}]")
# A dependent sign (vowel signs, marks, subjoined letters) that follows no letter or sign.
NO_BASE = re.compile("(?<![\u0f40-\u0fbc\u0f35\u0f37\u0f39])[\u0f71-\u0f84\u0f86\u0f87\u0f8d-\u0fbc]")
# Two vowel signs on one letter (ཀིེ, བོུ): a typing slip, the same one twice included.
DOUBLE_VOWEL = re.compile("[\u0f72\u0f74\u0f7a-\u0f7d\u0f80][\u0f72\u0f74\u0f7a-\u0f7d\u0f80]")
# A vowel sign (or a-chung) typed before a subjoined letter (ཀིྲ for ཀྲི): it draws wrong, and search never
# finds it under the word it was meant to be.
VOWEL_FIRST = re.compile("[\u0f71-\u0f7d\u0f80\u0f81][\u0f8d-\u0fbc]")
DOUBLE_TSHEG = re.compile("[\u0f0b\u0f0c](?:[\u0f0b\u0f0c]|\\s+[\u0f0b\u0f0c])")


def _masked(text: Text) -> str:
    masked = text.masked
    if "号" in masked or "/" in masked:
        masked = NUMBERS.sub(lambda m: " " * len(m.group()), masked)
    return masked


def _tibetan_texts(corpus: Corpus, context: CheckContext) -> Iterator[tuple[Text, str]]:
    """Every Tibetan text, with document numbers and other quoted codes masked out."""
    for text in all_texts(corpus, context):
        if text.lang == "bo":
            yield text, _masked(text)


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _lines_with(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) of each line (the whole text for a one-line field) where `pattern` occurs."""
    pos = 0
    while True:
        m = pattern.search(text, pos)
        if not m:
            return
        start, end = _line_bounds(text, m.start())
        yield start, text[start:end]
        pos = end + 1


def legacy_encoded(line: str) -> bool:
    """Mostly Latin letters and ASCII symbols where Tibetan letters should be.

    One Latin word beside real Tibetan (a name, a product) is not an old encoding: at most a BO-FOREIGN
    warning. Legacy text is a run of such tokens."""
    tibetan = len(TIBETAN_LETTER.findall(line))
    tokens = LEGACY_TOKEN.findall(line)
    if tibetan:
        # Beside real Tibetan, plain words (names and products: Excel, WeChat, Tibetan Machine Uni) are
        # foreign words, not an old font's letters, which come with its symbols or accented letters.
        tokens = [t for t in tokens if not PLAIN_WORD.fullmatch(t)]
    suspect = sum(len(LEGACY_SUSPECT.findall(t)) for t in tokens)
    return suspect >= 6 and suspect > tibetan


@rule
def tibetan_encoding(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """BO-LEGACY, BO-NOT-TIBETAN: Tibetan text is Unicode Tibetan."""
    for text, masked in _tibetan_texts(corpus, context):
        for offset, line in _lines_with(LEGACY_SUSPECT, masked):
            if legacy_encoded(line):
                near = excerpt(text.text, offset + len(line) - len(line.lstrip()), 16)
                yield error("BO-LEGACY", text.path, text.line_at(offset), text.field,
                            f"藏文疑为旧字体编码（非 Unicode），显示为乱码：“{near}”",
                            "Tibetan in a legacy font encoding (not Unicode), which reads as gibberish: "
                            f"'{near}'",
                            "用转换工具（如 Tibetan Machine/Sambhota 转 Unicode 的转换器）转为 Unicode 藏文"
                            "后重新粘贴",
                            "convert it to Unicode Tibetan (a Sambhota/TCRC/Tibetan Machine to Unicode "
                            "converter) "
                            "and paste it again")
        if text.field in ("title", "summary", "body", "bo") and not TIBETAN_LETTER.search(text.text) \
                and len(CJK_IDEOGRAPH.findall(text.text)) >= 4:
            yield error("BO-NOT-TIBETAN", text.path, text.line, text.field,
                        "藏文内容中没有藏文（粘贴成了中文？）", "Tibetan text with no Tibetan in it "
                                              "(Chinese pasted in?)",
                        "填入藏文译文；尚无译文时不要建立 .bo.md 文件",
                        "put the Tibetan translation here; without one, do not create the .bo.md file")


def _decomposed(chars: list[str]) -> str:
    return "; ".join(f"{codepoint(c)} → {' '.join(codepoint(d) for d in DISCOURAGED[c])}" for c in chars)


SYLLABLE_PROBLEMS = (
    (NO_BASE, "元音符号或下加字前没有基字", "a vowel sign or subjoined letter with no base"),
    (DOUBLE_VOWEL, "一个字母上有两个元音符号", "two vowel signs on one letter"),
    (VOWEL_FIRST, "元音符号打在下加字之前（应先下加字、后元音）", "a vowel sign typed before a subjoined letter "
     "(the subjoined letter comes first)"),
    (DOUBLE_TSHEG, "音节点（tsheg）重复", "a doubled tsheg"),
)


@rule
def tibetan_characters(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """BO-DISCOURAGED, BO-FOREIGN, BO-SYLLABLE (warnings)."""
    for text, masked in _tibetan_texts(corpus, context):
        for offset, line in _lines_with(DISCOURAGED_RE, masked):
            chars = sorted(set(DISCOURAGED_RE.findall(line)))
            yield warning("BO-DISCOURAGED", text.path, text.line_at(offset), text.field,
                          f"使用了不推荐的藏文字符 {'、'.join(codepoint(c) for c in chars)}",
                          f"discouraged Tibetan code points {', '.join(codepoint(c) for c in chars)}",
                          f"改为分解形式：{_decomposed(chars)}", "write them decomposed: "
                                                          f"{_decomposed(chars)}")
        first = FOREIGN_CHAR.search(masked) or LATIN_WORD.search(masked)
        for offset, line in _lines_with(FOREIGN, masked) if first else ():
            if legacy_encoded(line):
                continue  # BO-LEGACY
            foreign = sorted(set(FOREIGN.findall(line)))
            shown = " ".join(c if len(c) > 1 else f"{c}({codepoint(c)})" for c in foreign[:8])
            yield warning("BO-FOREIGN", text.path, text.line_at(offset), text.field,
                          f"藏文中有藏文字符块和常用标点以外的字符：{shown}",
                          f"characters outside the Tibetan block and common punctuation: {shown}",
                          "核对是否误粘贴；专名可保留原文，数字可用阿拉伯或藏文数字",
                          "check for pasting mistakes; keep names as written and digits as Arabic or Tibetan")
        found: dict[int, tuple[int, list[str], list[str]]] = {}
        for pattern, zh, en in SYLLABLE_PROBLEMS:
            for offset, line in _lines_with(pattern, masked):
                m = pattern.search(line)
                pos, zhs, ens = found.setdefault(offset, (offset + (m.start() if m else 0), [], []))
                zhs.append(zh)
                ens.append(en)
        for offset, (pos, zhs, ens) in sorted(found.items()):
            near = excerpt(masked, pos, 6)
            yield warning("BO-SYLLABLE", text.path, text.line_at(offset), text.field,
                          f"藏文音节结构有误（{'；'.join(zhs)}）：“{near}”",
                          f"malformed Tibetan syllable ({'; '.join(ens)}): '{near}'",
                          "核对原文，重新输入该音节", "check against the original and type the syllable "
                                          "again")
