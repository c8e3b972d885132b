"""Input limits: a body that passes them is laid out in time proportional to its size.

python-markdown (render.py) does some of its work once per pair of things in one body, so a small body
can take minutes: every `[` is scanned to its `]`, or to the end of its paragraph (8,000 `[` on a line:
about 12 s); a link's `(` to its `)` (8,000 `[a](`: over a minute); html.parser scans an unclosed start
tag `<a` to the next `>` anywhere in the body (5,000 of them: 8 s); every child of an element (a
paragraph, a heading, a list item, a table row, an emphasis or a tag in a paragraph) costs time in
proportion to the number of its siblings or to the length of its paragraph (20,000 paragraphs: 13 s;
100,000 headings: minutes). Lists nested 1,000 deep exhaust Python's recursion limit, and WeasyPrint
fails from about 120 nested block elements. Each limit below bounds one of these, with a margin; the
time given beside it is the render of the worst body just under the limit on the 2-core development
machine (docs/checks.md has the figures and the command).

Each measure is cheap: an upper bound from character counts first, a pass over the body only where
that bound is over the limit. This rule puts itself before every other and empties a body it refuses:
the build stops on the error anyway, and no later rule has to read a body that could take it minutes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..findings import Finding, error
from ..frontmatter import MAX_LINE_CHARS
from ..model import Corpus
from .common import all_markdown_sources
from .rules import CheckContext, rule

# Elements of the body's structure: paragraphs, headings, list items, table rows. 5,000 paragraphs render
# in 0.9 s, a list of 5,000 items in 0.9 s, a table of 5,000 rows in 1.4 s. A long law has about 3,000
# paragraphs.
MAX_BLOCKS = 5_000
# Headings cost more (the table of contents): 2,000 headings without a line between them, 0.7 s.
MAX_HEADINGS = 2_000
# Lists and block quotes, counted together; HTML elements left open at one point of the body. Editors
# nest lists four deep (一、（一）1.（1）). WeasyPrint fails at about 120 levels of elements.
MAX_NESTING = 10
MAX_HTML_NESTING = 20
# Markup characters of a paragraph times its length, summed over the body: every emphasis, code span,
# tag or line break of a paragraph copies the paragraph once. 2×10⁸ (5,000 `*a* `, a 20,000-character
# paragraph): 0.8 s.
MAX_INLINE_WORK = 200_000_000
# Characters scanned for the ends of links beyond the body's own length (links that close scan no more
# than that together): from each `[` to its `]`, from each `](` to its `)`, to the end of the paragraph
# when there is none. 10⁶ (1,400 unmatched `[` in one paragraph): 0.6 s.
MAX_LINK_SCAN = 1_000_000
# Characters html.parser scans for the ends of start tags (`<a` … `>`) over the whole body, beyond its
# length. 2×10⁶ (800 unclosed `<a`): 0.4 s.
MAX_TAG_SCAN = 2_000_000

_VOID_OR_SIBLING = frozenset({
    # no end tag, or closed by the next sibling: they never nest in themselves
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot",
    "colgroup", "rb", "rt", "rp", "rtc",
})
_MARKUP = ("*", "_", "`", "[", "<", "&", "\\", "  \n")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_TABLE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_STRUCTURE = re.compile(r"[ \t]*(?:>|#|(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$))")
_SETEXT = re.compile(r"[ \t]{0,3}(?:=+|-+)[ \t]*$")
# A level of nesting takes at least one character of a line's prefix (`>`, a list marker, four columns
# of indentation), so only lines with a long prefix can nest too deep.
_DEEP_PREFIX = re.compile(rf"^[ \t>*+\-\d.)]{{{MAX_NESTING + 1},}}", re.MULTILINE)
_PREFIX = re.compile(r"[ \t]*(?:(?:>|[-*+](?=\s|$)|\d{1,9}[.)](?=\s|$))[ \t]*)*")
# A tag closed by `>` before the next `<`; not an autolink (<https://…>, <name@example.com>).
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?![A-Za-z0-9+.\-]*[:@])[^<>]*>")
_START_TAG = re.compile(r"<[A-Za-z]")
_VALUE_QUOTE = re.compile(r"=\s*([\"'])")
_BRACKET = re.compile(r"\\.|[\[\]()\"']")


@dataclass
class Problem:
    code: str
    offset: int  # character offset in the body
    zh: str
    en: str
    fix_zh: str
    fix_en: str


def _too_many(what_zh: str, what_en: str, count: str, limit: int) -> tuple[str, str]:
    return (f"{what_zh}太多（{count}，上限 {limit:,}），排版所需时间随数量成平方增长",
            f"too many {what_en} ({count}; the limit is {limit:,}): the time to lay them out grows with the "
            "square of their number")


_SPLIT_ZH = "把文件拆成几份，或把大的表格作为附件（attachments）发布"
_SPLIT_EN = "split the document into several, or publish large tables as attachments"


def _blocks(body: str) -> Iterator[tuple[int, list[str]]]:
    """The body's blocks (runs of non-blank lines): character offset and lines."""
    offset = start = 0
    current: list[str] = []
    for line in body.split("\n"):
        if line.strip():
            if not current:
                start = offset
            current.append(line)
        elif current:
            yield start, current
            current = []
        offset += len(line) + 1
    if current:
        yield start, current


def _units(lines: list[str]) -> Iterator[tuple[int, str]]:
    """Texts that python-markdown processes inline as one: a paragraph, a list item, a table row."""
    if len(lines) > 1 and _TABLE_RULE.match(lines[1]):
        offset = 0
        for line in lines:
            yield offset, line
            offset += len(line) + 1
        return
    if not _LIST_ITEM.match(lines[0]):
        yield 0, "\n".join(lines)
        return
    offset = start = 0
    item: list[str] = []
    for line in lines:
        if item and _LIST_ITEM.match(line):
            yield start, "\n".join(item)
            item, start = [], offset
        item.append(line)
        offset += len(line) + 1
    yield start, "\n".join(item)


def _link_scan(text: str, budget: int) -> tuple[int, int]:
    """Characters python-markdown scans for link ends in `text`, stopping once over `budget`.

    Returns the count (or a lower bound over `budget`) and the offset where it went over (-1 if not).
    A `[` is scanned to its `]`, a `(` right after a `]` to its `)` (or to the end when a quote comes
    between: python-markdown then looks for a title); either to the end of the text when unmatched.
    """
    end = len(text)
    scanned = 0
    brackets: list[int] = []
    bracket_sum = 0
    parens: list[tuple[int, bool]] = []
    link_opens = 0
    link_sum = 0
    last_close = last_quote = -2
    for m in _BRACKET.finditer(text):
        char, pos = m.group(), m.start()
        if char[0] == "\\":
            continue
        if char == "[":
            brackets.append(pos)
            bracket_sum += pos
        elif char == "]":
            if brackets:
                start = brackets.pop()
                bracket_sum -= start
                scanned += pos - start
            last_close = pos
        elif char == "(":
            link = pos == last_close + 1
            parens.append((pos, link))
            if link:
                link_opens += 1
                link_sum += pos
        elif char == ")":
            if parens:
                start, link = parens.pop()
                if link:
                    link_opens -= 1
                    link_sum -= start
                    scanned += (end - start) if last_quote > start else (pos - start)
        else:
            last_quote = pos
        # what is scanned already plus what the still open ones will scan at least
        if scanned + (len(brackets) + link_opens) * pos - bracket_sum - link_sum > budget:
            return budget + 1, pos
    scanned += len(brackets) * end - bracket_sum + link_opens * end - link_sum
    return scanned, (end - 1 if scanned > budget else -1)


def _tag_end(body: str, start: int) -> int:
    """Where html.parser's scan of the start tag at `start` ends: the next `>` outside quoted values."""
    pos = start
    while True:
        close = body.find(">", pos)
        if close < 0:
            return len(body)
        quote = _VALUE_QUOTE.search(body, pos, close)
        if quote is None:
            return close
        end = body.find(quote[1], quote.end())
        if end < 0:
            return close
        pos = end + 1


def _long_line(body: str) -> Iterator[Problem]:
    offset = 0
    for line in body.split("\n"):
        if len(line) > MAX_LINE_CHARS:
            yield Problem("LIMIT-LINE", offset, f"这一行有 {len(line):,} 个字符，超过上限 {MAX_LINE_CHARS:,}",
                          f"this line has {len(line):,} characters, over the limit of {MAX_LINE_CHARS:,}",
                          "段落之间空一行，表格每行写一行",
                          "separate paragraphs with a blank line and write one table row a line")
            return
        offset += len(line) + 1


# Combining marks in a row (vowel signs, subjoined letters, accents): a real Tibetan stack has a handful.
# Unicode normalisation (NFKC, which the search applies to every text) puts a run of marks in order by an
# insertion sort, in time growing with the square of its length: 10,000 marks on a line took 0.1 s, a body
# of such lines seconds, for every snippet and index entry made from it.
MAX_MARKS = 16
_MARK_RUN = re.compile("[\u0300-\u036f\u0f71-\u0f84\u0f86\u0f87\u0f8d-\u0fbc\u1ab0-\u1aff\u1dc0-\u1dff"
                       f"\u20d0-\u20ff\ufe20-\ufe2f]{{{MAX_MARKS + 1},}}")


def _mark_run(body: str) -> Iterator[Problem]:
    found = _MARK_RUN.search(body)
    if found:
        n = len(found.group())
        yield Problem("LIMIT-MARKS", found.start(),
                      f"连续 {n:,} 个组合符号（元音符号、下加字等），超过上限 {MAX_MARKS}",
                      f"{n:,} combining marks (vowel signs, subjoined letters…) in a row, over the limit of "
                      f"{MAX_MARKS}", "核对原文，重新输入该音节", "check against the original and type the "
                      "syllable again")


_INLINE = ("这段文字很长，又有大量 Markdown 标记或 HTML 标签（* _ ` [ < & \\ 或行末两个空格）：排版所需时间随两者的"
           "乘积增长",
           "this text is long and full of Markdown markup or HTML tags (* _ ` [ < & \\ or two spaces at the end "
           "of a line): the time to lay it out grows with the product of the two",
           "段落之间空一行，分成短段落；删去多余的标记；大的表格用 Markdown 表格或作为附件",
           "split it into shorter paragraphs with blank lines; remove markup that is not needed; write large "
           "tables as Markdown tables or attach them")
_BRACKETS = ("方括号 [ ] 或链接的圆括号 ( ) 没有配对或嵌套太多：排版时要为每个括号找到另一半，所需时间随数量成平方增长",
             "brackets [ ] or a link's parentheses ( ) are unmatched or nested too much: laying out the text "
             "looks for the other half of each, in time growing with the square of their number",
             "把括号配对；作为文字的方括号改用【】或〔〕，或写成 \\[ \\]",
             "pair the brackets; write brackets meant as text as 【】 or 〔〕, or as \\[ \\]")


def _block_limits(body: str) -> Iterator[Problem]:
    """LIMIT-BLOCKS, LIMIT-HEADINGS, LIMIT-INLINE, LIMIT-BRACKETS: one pass over the blocks."""
    elements = headings = inline = links = 0
    link_budget = MAX_LINK_SCAN + len(body)
    for start, lines in _blocks(body):
        # A plain paragraph is one element however many lines it has; in a block with a table, a list, a
        # quote or a heading, any line may be an element of its own.
        structured = any("|" in line or _STRUCTURE.match(line) for line in lines)
        offset = start
        for i, line in enumerate(lines):
            if structured or i == 0:
                elements += 1
                if elements == MAX_BLOCKS + 1:
                    zh, en = _too_many("正文的段落、标题、列表项和表格行", "paragraphs, headings, list items and "
                                       "table rows", f"第 {MAX_BLOCKS + 1:,} 个在此", MAX_BLOCKS)
                    yield Problem("LIMIT-BLOCKS", offset, zh, en, _SPLIT_ZH, _SPLIT_EN)
            if line.lstrip(" >").startswith("#") or (i and _SETEXT.match(line)):
                headings += 1
                if headings == MAX_HEADINGS + 1:
                    zh, en = _too_many("标题", "headings", f"第 {MAX_HEADINGS + 1:,} 个在此", MAX_HEADINGS)
                    yield Problem("LIMIT-HEADINGS", offset, zh, en, _SPLIT_ZH, _SPLIT_EN)
            offset += len(line) + 1
        if inline > MAX_INLINE_WORK and links > link_budget:
            continue
        for unit_start, text in _units(lines):
            if inline <= MAX_INLINE_WORK:
                inline += sum(text.count(c) for c in _MARKUP) * len(text)
                if inline > MAX_INLINE_WORK:
                    yield Problem("LIMIT-INLINE", start + unit_start, *_INLINE)
            if links <= link_budget and ("[" in text or "(" in text):
                scanned, where = _link_scan(text, link_budget - links)
                links += scanned
                if where >= 0:
                    yield Problem("LIMIT-BRACKETS", start + unit_start + where, *_BRACKETS)


def _nesting(body: str) -> Iterator[Problem]:
    """LIMIT-NESTING for lists and block quotes: the container prefix of each line that has a long one."""
    for m in _DEEP_PREFIX.finditer(body):
        prefix = _PREFIX.match(body, m.start())
        assert prefix is not None  # the pattern matches the empty string
        text = prefix.group()
        spaces = text.count(" ") + 4 * text.count("\t")  # four columns of indentation: one level
        depth = spaces // 4 + text.count(">") + len(_LIST_ITEM.findall(text))
        if depth > MAX_NESTING:
            yield Problem("LIMIT-NESTING", m.start(), f"列表和引用嵌套了 {depth} 层，上限 {MAX_NESTING} 层",
                          f"lists and block quotes nested {depth} deep; the limit is {MAX_NESTING}",
                          "减少嵌套层次：公文的层次一般是“一、（一）1.（1）”四层",
                          "nest less: an official document has four levels (一、（一）1.（1）)")
            return


def _html_nesting(body: str) -> Iterator[Problem]:
    """LIMIT-NESTING for raw HTML: elements open at one point, as an HTML parser would nest them."""
    open_tags: list[str] = []
    for m in _TAG.finditer(body):
        name = m[2].lower()
        if name in _VOID_OR_SIBLING:
            continue
        if not m[1]:
            open_tags.append(name)
            if len(open_tags) > MAX_HTML_NESTING:
                yield Problem("LIMIT-NESTING", m.start(),
                              f"HTML 元素嵌套超过 {MAX_HTML_NESTING} 层（或有标签没有关闭）",
                              f"HTML elements nested more than {MAX_HTML_NESTING} deep (or tags left open)",
                              "关闭每个标签（<div> … </div>），减少嵌套；能用 Markdown 写的不用 HTML",
                              "close every tag (<div> … </div>) and nest less; write in Markdown what Markdown "
                              "can say")
                return
        elif name in open_tags:  # an end tag closes up to its element; a stray one closes nothing
            del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name):]


def _tag_scan(body: str) -> Iterator[Problem]:
    """LIMIT-TAGS: what html.parser scans for the ends of start tags, over the whole body."""
    scanned = 0
    budget = MAX_TAG_SCAN + len(body)
    for m in _START_TAG.finditer(body):
        scanned += _tag_end(body, m.start()) - m.start()
        if scanned > budget:
            yield Problem("LIMIT-TAGS", m.start(),
                          "有 HTML 标签没有用 > 结束（如 <a、<div）：排版时每个都要扫描到下一个 >，"
                          "所需时间随数量成平方增长",
                          "HTML tags are left without their '>' (like '<a' or '<div'): laying out the text "
                          "scans from each to the next '>', in time growing with the square of their number",
                          "补上 >，或把作为文字的 < 写成 &lt; 或全角＜",
                          "add the '>', or write a '<' meant as text as &lt; or the full-width ＜")
            return


def body_problems(body: str) -> list[Problem]:
    """Every limit the body breaks, each at the first place it does.

    Each measure first gets an upper bound from character counts; the pass over the body runs only
    where that bound is over the limit, so an ordinary body costs a few counts.
    """
    problems: list[Problem] = []
    size = len(body)
    if size > MAX_LINE_CHARS:
        problems.extend(_long_line(body))
    markup = sum(body.count(c) for c in _MARKUP)
    brackets = body.count("[") + body.count("(")
    tags = body.count("<")
    if body.count("\n") >= MAX_HEADINGS or markup * size > MAX_INLINE_WORK \
            or brackets * size > MAX_LINK_SCAN + size:
        problems.extend(_block_limits(body))
    if _DEEP_PREFIX.search(body):
        problems.extend(_nesting(body))
    if tags > MAX_HTML_NESTING:
        problems.extend(_html_nesting(body))
    if tags * size > MAX_TAG_SCAN + size:
        problems.extend(_tag_scan(body))
    problems.extend(_mark_run(body))
    return problems


@rule(first=True)
def input_limits(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """LIMIT-LINE, LIMIT-BLOCKS, LIMIT-HEADINGS, LIMIT-NESTING, LIMIT-INLINE, LIMIT-BRACKETS, LIMIT-TAGS,
    LIMIT-MARKS (errors).

    Runs first. A body that breaks a limit is emptied after its findings are given, so that no later
    rule reads it; its front matter stays, so the other files that name it are checked as usual.
    """
    for source in all_markdown_sources(corpus):
        problems = body_problems(source.body)
        for p in problems:
            line = source.body_line + source.body.count("\n", 0, p.offset)
            yield error(p.code, source.path, line, "body", p.zh, p.en, p.fix_zh, p.fix_en)
        if problems:
            source.body = ""
