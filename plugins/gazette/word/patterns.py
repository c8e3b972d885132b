"""The written forms of a 公文's parts (GB/T 9704-2012, and what offices actually type): dates, document
numbers, heading numbers, 文种, the lines of the 版记. Pure functions of text."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata

from ..registry import Entry

SPACES = " \t\u3000\u00a0"
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "o": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "〇○零ＯOo一二三四五六七八九"
_BO_DIGITS = str.maketrans("༠༡༢༣༤༥༦༧༨༩", "0123456789")
# Full-width digits as ASCII, and nothing else: NFKC would also turn the （） of 各县（市） into ()
DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# 2026年10月9日 (full-width digits too), 二〇二六年十月九日, and the Tibetan ༢༠༢༦ལོའི་ཟླ་༡༠ཚེས་༩ཉིན།
ARABIC_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
CHINESE_DATE = re.compile(rf"^([{_CN}]{{4}})年([{_CN}十]{{1,3}})月([{_CN}十]{{1,3}})日$")
TIBETAN_DATE = re.compile(r"^(?:སྤྱི་ལོ་)?(\d{4})ལོའི་?ཟླ་?(?:བ་)?(\d{1,2})(?:པའི་?)?ཚེས་?(\d{1,2})(?:ཉིན|ལ)?[་།]*$")


def squeeze(text: str) -> str:
    """Without spaces (ASCII, ideographic, no-break): Word users pad and align with them."""
    return "".join(ch for ch in text if ch not in SPACES)


def _cn_number(text: str) -> int | None:
    """十 → 10, 十九 → 19, 二十 → 20, 三十一 → 31, 九 → 9."""
    if "十" in text:
        tens, _, units = text.partition("十")
        if (tens and tens not in _CN_DIGITS) or (units and units not in _CN_DIGITS):
            return None
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    return _CN_DIGITS.get(text) if len(text) == 1 else None


def parse_date(line: str) -> dt.date | None:
    """The date a line consists of (成文日期, 印发日期), or None."""
    text = unicodedata.normalize("NFKC", squeeze(line)).translate(_BO_DIGITS)
    try:
        m = ARABIC_DATE.match(text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = CHINESE_DATE.match(text)
        if m:
            year = int("".join(str(_CN_DIGITS[ch]) for ch in m[1]))
            month, day = _cn_number(m[2]), _cn_number(m[3])
            return dt.date(year, month, day) if month and day else None
        m = TIBETAN_DATE.match(text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:  # 2026年2月30日
        return None
    return None


# 发文字号 with whatever brackets were typed: 〔〕 [] () （） 【】 ［］ ﹝﹞ 〖〗 {}
_OPEN, _CLOSE = "〔[(（【［﹝〖{", "〕])）】］﹞〗}"
DOC_NUMBER = re.compile(rf"(?P<code>[\u4e00-\u9fff]{{1,16}})\s*[{re.escape(_OPEN)}]\s*(?P<year>\d{{4}})\s*"
                        rf"[{re.escape(_CLOSE)}]\s*第?\s*(?P<num>\d+)\s*[号號]")
ORDER_SERIAL = re.compile(r"^第\s*(?P<num>\d+)\s*号$")


def find_doc_number(line: str) -> tuple[str, int, int] | None:
    """(the number written with 〔〕, its year, its serial) found in a line, e.g. 甘府发[2026]021号 →
    甘府发〔2026〕21号; None when there is none."""
    # NFKC turns full-width digits into ASCII; 〔〕 and 【】 have no compatibility form and stay as typed.
    m = DOC_NUMBER.search(unicodedata.normalize("NFKC", line))
    if not m:
        return None
    return f"{m['code']}〔{m['year']}〕{int(m['num'])}号", int(m["year"]), int(m["num"])


# 份号, 密级和保密期限, 紧急程度: the lines a 公文 may carry above its masthead.
COPY_NUMBER = re.compile(r"^\d{6}$")
# 密级 as written above a masthead, with its period or decoration: 机密★1年, 绝密★启用前, 机密·10年, 密级：秘密,
# 秘密级, 机密*, 【机密】 (a short line: a title that begins 秘密 goes on with words, not a mark).
SECRET_MARK = re.compile(r"^[【\[［〔（(<《]?(?:密级[:：]?)?(绝密|机密|秘密)级?[】\]］〕）)>》]?"
                         r"(?:[★☆*＊·・•.．、:：,，\-—–][^。]{0,20}|[0-9０-９][^。]{0,20})?$")
URGENCY = re.compile(r"^(特急|加急|特提|平急)$")
SIGNER = re.compile(r"签发人[:：]")
# The set phrase that closes a body (特此通知), which is short and unpunctuated like a signature.
CLOSING = re.compile(r"^(特此|此复|此致|专此|以上)")

# Heading numbers (GB/T 9704 7.3.3): 一、 （一） 1. （1）, written by the body as ## ### #### #####.
HEADINGS = (
    (re.compile(r"^[一二三四五六七八九十百]+、"), 2),
    (re.compile(r"^[（(][一二三四五六七八九十百]+[）)]"), 3),
    (re.compile(r"^\d+[.．](?!\d)"), 4),
    (re.compile(r"^[（(]\d+[）)]"), 5),
)
CHAPTER = re.compile(r"^第[一二三四五六七八九十百]+[章编]")
MAX_HEADING = 40


def heading_level(line: str) -> int | None:
    """The level of a line that is a heading and nothing else; a numbered paragraph that goes on into
    running text (1.加强领导。各县要……) stays a paragraph."""
    text = line.strip(SPACES)
    if len(text) > MAX_HEADING or re.search(r"[。；：:！？][^\s]", text):
        return None
    text = unicodedata.normalize("NFKC", text)  # full-width digits and brackets as ASCII
    for pattern, level in HEADINGS:
        if pattern.match(text):
            return level
    return None


def genre_of(title: str, genres: dict[str, Entry]) -> str | None:
    """The genre whose 文种 the title ends with (longest first: 调研报告 before 报告, 命令 before 令)."""
    names: list[tuple[str, str]] = []
    for genre in genres.values():
        for name in re.split(r"[（）()]", genre.zh):
            if name:
                names.append((name, genre.id))
    text = title.strip().rstrip("》”\"")
    for name, genre_id in sorted(names, key=lambda n: -len(n[0])):
        if text.endswith(name):
            return genre_id
    return None


# 附件说明: 附件：1．…  then 2．… on the lines below (or 附件：… for a single one)
ATTACHMENT_HEAD = re.compile(r"^附\s*件\s*[:：]\s*")
ATTACHMENT_ITEM = re.compile(r"^\d+\s*[.．、]\s*")
# 版记
CC_LINE = re.compile(r"^抄\s*送\s*[:：]\s*(?P<list>.+)$")
PRINTED_LINE = re.compile(rf"^(?P<by>.+?)\s*(?P<date>(?:\d{{4}}|[{_CN}]{{4}})\s*年\s*[\d{_CN}十]{{1,3}}\s*月\s*"
                          rf"[\d{_CN}十]{{1,3}}\s*日)\s*印\s*发$")
NOTE_LINE = re.compile(r"^[（(](?P<note>[^（）()]{1,60})[）)]$")


def split_list(text: str) -> list[str]:
    """抄送 机关一，机关二、机关三。 → the three names."""
    return [item.strip(SPACES) for item in re.split(r"[，、,；;]", text.strip(SPACES).rstrip("。.")) if
            item.strip(SPACES)]


def _comparable(text: str) -> str:
    """For matching an attachment title with a file name: no numbering, brackets, spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"^(附件\s*\d*\s*[-_－—、.:：]?\s*)", "", text)
    text = re.sub(r"^\d+\s*[-_.、]\s*", "", text)
    return re.sub(r"[\W_]+", "", text).lower()


def match_attachments(titles: list[str], files: list[str]) -> dict[int, int]:
    """Title index → file index: the same words first, then one within the other, then the closest."""
    matched: dict[int, int] = {}
    keys = [_comparable(t) for t in titles]
    stems = [_comparable(f.rsplit(".", 1)[0]) for f in files]

    def pick(test: object) -> None:
        for i, key in enumerate(keys):
            if i in matched:
                continue
            for j, stem in enumerate(stems):
                if j not in matched.values() and key and stem and test(key, stem):  # type: ignore[operator]
                    matched[i] = j
                    break

    pick(lambda a, b: a == b)
    pick(lambda a, b: a in b or b in a)
    pick(lambda a, b: difflib.SequenceMatcher(None, a, b).ratio() >= 0.6)
    return matched
