"""The 公文 parts as the print sets them (GB/T 9704-2012): titles broken into even lines, never with one
character alone on the last; the 版记's list of bodies. Plain functions of text, so html.py stays a list of
what a PDF shows.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Callable, Iterable

from markupsafe import Markup, escape

# A title is set in 2号 (22 pt) across the 156 mm measure: 20 full-width characters a line.
TITLE_MEASURE = 20
# Characters that may not begin a line (Chinese line-breaking rules) and ones that may not end it.
NO_LINE_START = set("，。、；：？！）》」』”’〕】〉…—·%")
NO_LINE_END = set("（《「『“‘〔【〈")
CLOSING = "".join(sorted(NO_LINE_START))
# What follows a number as its unit, never to be broken from it: 2026年, 第42个, 21号.
NUMBER_UNITS = set("年月日号期个届次版条款项批")
# Words of 公文 titles a line should not split (without a dictionary the breaker knows no others; names
# of bodies and places come from the registry).
TITLE_WORDS = (
    "进一步", "防灭火", "工作", "管理", "办法", "通知", "决定", "意见", "政府", "实施", "细则", "服务", "发展",
    "推进", "建设", "安全", "年度", "规范", "标准", "保障", "项目", "信息", "公开", "公告", "报告", "调研",
    "困难", "群众", "取暖", "食品", "加快", "提升", "优化", "有关", "事项", "专项", "应急", "预案", "防火",
    "防治", "就业", "创业", "经济", "社会", "教育", "农牧", "旅游", "监督", "抽检", "采购", "目录", "决算",
    "预算", "行政", "执法", "处罚", "职责", "清单", "收费", "考核", "救助", "临时", "城乡", "居民", "森林",
    "草原", "印发", "表彰", "庆祝", "加工", "基层", "政务", "效能", "政策", "要点", "摘编", "经验", "做法",
    "统计", "公报", "解读", "本级", "州级", "遴选", "公务员", "衔接", "振兴", "资金", "计划", "公示", "修订",
)
TIBETAN = re.compile("[\u0f00-\u0fff]")
# A Tibetan syllable and what follows it before the next one: the tsheg, a shad, spaces.
TIBETAN_SYLLABLE = re.compile("[^\u0f0b\u0f0d\u0f0e\\s]+[\u0f0b\u0f0d\u0f0e\\s]*")


def _width(char: str) -> float:
    """A character's advance in ems of the title face: full-width characters (and the dashes and quotes a
    CJK face draws full-width) one em, Latin letters and digits less (0.6 em is more than Noto Serif CJK's
    Bold gives them, so an estimated line never runs past the measure)."""
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F", "A") else 0.6


def _tokens(text: str) -> list[str]:
    """Units a line may break between: each full-width character; a run of Latin letters or digits, with a
    dash between numbers (2026—2027) kept in it."""
    return re.findall(r"[A-Za-z0-9.%]+(?:[—–\-~～][A-Za-z0-9.%]+)*|.", text)


def _break_score(tokens: list[str], k: int, names: list[tuple[int, int]], words: list[tuple[int, int]]) -> float:
    """How good a line break before token k is: where a typesetter breaks a 公文 title (after the issuing
    body's name, before 关于, at the edges of a quoted title) scores; inside a body's or a place's name, or
    inside a common word of titles, or between a number and its unit (2026 | 年), costs."""
    before, after = tokens[k - 1], tokens[k]
    if any(a < k < b for a, b in names):
        return -4.0 if after == "自" else -12.0  # 甘孜藏族 | 自治州 rather than 甘孜藏 | 族自治州
    if (before[-1].isdigit() and after in NUMBER_UNITS) or (before == "第" and after[0].isdigit()):
        return -8.0
    if before == "年" and after == "度" and k > 1 and tokens[k - 2][-1].isdigit():  # 2027年 | 度
        return -8.0
    if any(a < k < b for a, b in words):
        return -6.0
    if after == "关" and k + 1 < len(tokens) and tokens[k + 1] == "于":
        return 8.0
    if any(b == k for _, b in names):
        return 6.0
    if after in ("《", "（") or before in ("》", "）"):
        return 5.0
    if before[0].isascii() != after[0].isascii():
        return 1.0
    return 0.0


def _even_lines(text: str, measure: int, names: tuple[str, ...] = ()) -> list[str]:
    """Chinese title text cut into as few lines as the measure allows, as even as the breaks allow (GB/T
    9704 sets a long title as a trapezoid or a diamond, its words whole): no line begins with a closing
    mark or ends with an opening one, and the last line holds more than one character."""
    tokens = _tokens(text)
    widths = [sum(_width(c) for c in token) for token in tokens]
    total = sum(widths)
    if total <= measure:
        return [text]
    index, offset = {}, 0  # character offset → token index
    for i, token in enumerate(tokens):
        index[offset] = i
        offset += len(token)
    index[offset] = len(tokens)

    def spans(words: Iterable[str]) -> list[tuple[int, int]]:
        """Where the words stand in the title, as token ranges. `word in text` first: of the hundreds of
        names a title holds one or two, and a substring test is far cheaper than a regex search."""
        return [(index[found.start()], index[found.end()]) for word in words if word in text
                for found in re.finditer(re.escape(word), text) if found.start() in index and found.end() in index]

    quoted = re.findall(r"“[^”]{1,8}”", text)  # a short quoted phrase (“一网通办”) stays on one line
    protected = (spans(names), spans((*TITLE_WORDS, *quoted)))

    def allowed(k: int) -> bool:
        return tokens[k][0] not in NO_LINE_START and tokens[k - 1][-1] not in NO_LINE_END

    def width(a: int, b: int) -> float:
        return sum(widths[a:b])

    # One line more rather than a name or a number broken (2026—2027 | 年度); either rather than none.
    fewest = math.ceil(total / measure)
    for strict in (True, False):
        for count in (fewest, fewest + 1):
            if lines := _best_lines(tokens, count, total / count, allowed, width, protected, measure, strict):
                return lines
    return [text]  # no way to keep the rules: the renderer breaks it


def _best_lines(tokens: list[str], count: int, mean: float, allowed: Callable[[int], bool],
                width: Callable[[int, int], float], protected: tuple[list[tuple[int, int]], list[tuple[int, int]]],
                measure: float, strict: bool) -> list[str]:
    """The least-cost breaking of `tokens` into `count` lines (dynamic programming over break points),
    or [] where none keeps every line within the measure and more than one character on the last
    (`strict`: and no break inside a name or between a number and its unit)."""
    # best[lines][k]: the least cost of setting tokens[:k] in that many lines, and the break before it
    best: list[dict[int, tuple[float, int]]] = [{0: (0.0, 0)}]
    for line in range(1, count + 1):
        row: dict[int, tuple[float, int]] = {}
        ends = [len(tokens)] if line == count else [k for k in range(1, len(tokens)) if allowed(k)]
        for end in ends:
            for begin, (cost, _) in best[line - 1].items():
                w = width(begin, end)
                if begin >= end or w > measure:
                    continue
                if end == len(tokens) and len("".join(tokens[begin:]).strip(CLOSING)) < 2:
                    continue
                score = _break_score(tokens, end, *protected) if end < len(tokens) else 0.0
                if strict and score <= -8:
                    continue
                total_cost = cost + (w - mean) ** 2 - score
                if end not in row or total_cost < row[end][0]:
                    row[end] = (total_cost, begin)
        best.append(row)
    if len(tokens) not in best[count]:
        return []
    cuts, end = [], len(tokens)
    for line in range(count, 0, -1):
        begin = best[line][end][1]
        cuts.append("".join(tokens[begin:end]))
        end = begin
    return cuts[::-1]


def _keep_last(text: str) -> Markup:
    """The text with its last two characters (Tibetan: syllables) bound, so that a line the renderer
    breaks never leaves one alone on the last line."""
    if TIBETAN.search(text[-4:] if len(text) >= 4 else text):
        syllables = TIBETAN_SYLLABLE.findall(text)
        tail = "".join(syllables[-2:]) if len(syllables) >= 3 else ""
    else:
        count, i = 0, len(text)
        while i > 0 and count < 2:
            i -= 1
            if text[i] not in NO_LINE_START and not text[i].isspace():
                count += 1
        tail = text[i:] if count == 2 and i > 0 else ""
    if not tail or not text.endswith(tail):
        return escape(text)
    return escape(text[:len(text) - len(tail)]) + Markup('<span class="keep">') + escape(tail) + Markup("</span>")


def title_html(text: str, lang: str, names: tuple[str, ...] = (), measure: int = TITLE_MEASURE) -> Markup:
    """A title as the print sets it: Chinese in even lines with explicit breaks (`names`: bodies' and
    places' names not to break); any title with its last two characters or syllables kept together."""
    if lang == "bo" or TIBETAN.search(text):
        return _keep_last(text)
    lines = _even_lines(text, measure, names)
    return Markup("<br>").join([escape(line) for line in lines[:-1]] + [_keep_last(lines[-1])])


_H1 = re.compile(r"<h1(?P<attrs>[^>]*)>(?P<text>[^<]*)</h1>")


def embedded_titles(body: str, lang: str, names: tuple[str, ...] = ()) -> str:
    """The `<h1>` of each document a notice issues, set like a title (only a title of plain text: one with
    markup inside is left to the renderer)."""

    def one(match: re.Match[str]) -> str:
        text = html.unescape(match["text"]).strip()
        return f'<h1{match["attrs"]}>{title_html(text, lang, names)}</h1>' if text else match[0]

    return _H1.sub(one, body)


# A body's name in the 抄送 line stays on one line up to this many characters (a longer one may break).
KEEP_NAME = 20


def listed(names: list[tuple[str, str]]) -> list[dict[str, str | bool]]:
    """The 抄送 names with the marks after them: `，` between Chinese names and `。` after the last (GB/T 9704
    7.4.2); a Tibetan name ends with its shad (one is added where it has none). A Chinese name is not broken
    across lines (州中级 | 人民法院) unless it is longer than KEEP_NAME."""
    result: list[dict[str, str | bool]] = []
    for i, (name, lang) in enumerate(names):
        last = i == len(names) - 1
        if lang == "bo":
            mark = ("" if name.endswith(("།", "༎")) else "།") + ("" if last else " ")
        else:
            mark = "。" if last else "，"
        result.append({"name": name, "lang": lang, "mark": mark, "keep": lang != "bo" and len(name) <= KEEP_NAME})
    return result
