"""How dates, issue numbers, running totals, sizes, digits and signed numbers are written in each language (zh, bo).

The only place they are worded: the site's templates, the PDFs' furniture, the search index's labels and
the reading back of PDFs all use `Labels`, so a reader finds the same words and the same digits on a page,
in print and in search. One setting decides Tibetan digits for every output: `GAZETTE_TIBETAN_DIGITS`
(on unless set to False: Tibetan text is read with Tibetan digits).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ARABIC_DIGITS = "0123456789"
TIBETAN_DIGITS = "༠༡༢༣༤༥༦༧༨༩"
DIGIT = f"[{ARABIC_DIGITS}{TIBETAN_DIGITS}]"  # a regular-expression class: one digit in either script
_TO_TIBETAN = str.maketrans(ARABIC_DIGITS, TIBETAN_DIGITS)
TO_ARABIC = str.maketrans(TIBETAN_DIGITS, ARABIC_DIGITS)
FULL_WIDTH_DIGITS = "０１２３４５６７８９"
# Tibetan and full-width digits read as ASCII ones, one character for one (offsets stay): a number written
# in them is the same number to a reader (a year typed in a search, a phone number in a text).
ANY_TO_ARABIC = str.maketrans(TIBETAN_DIGITS + FULL_WIDTH_DIGITS, ARABIC_DIGITS * 2)


def to_arabic(text: str) -> str:
    """Tibetan digits read as Arabic ones (for comparing and parsing numbers, whatever their script)."""
    return text.translate(TO_ARABIC)


MINUS = "\u2212"  # − the minus sign: a hyphen (-) is shorter, sits low and lets a line break after it
# A table cell that is a number: an optional sign, digits (either script) with , or . and an optional unit
# of one character (%, ‰, 万, 亿). Anything else (a date, a code, a phone number) is text.
NUMBER = re.compile(rf"^[-+\u2212±]?(?:{DIGIT}{{1,3}}(?:,{DIGIT}{{3}})+|{DIGIT}+)(?:\.{DIGIT}+)?\s?[%‰万亿]?$")


def is_number(text: str) -> bool:
    return NUMBER.match(text.strip()) is not None


def signed_number(text: str) -> str:
    """A number as tables print it: a leading hyphen-minus written as the minus sign (−3.1%)."""
    stripped = text.strip()
    return MINUS + stripped[1:] if stripped.startswith("-") and is_number(stripped) else text


def tibetan_digits(settings: Mapping[str, Any]) -> bool:
    return bool(settings.get("GAZETTE_TIBETAN_DIGITS", True))


# The printed words of the official-document parts, (zh, bo). The Tibetan ones await the translators'
# review like the theme's strings.
PART_WORDS = {
    "attachments": ("附件", "ཟུར་སྦྲགས།"),
    "cc": ("抄送", "འདྲ་བཤུས་སྤྲོད་ས།"),
    "printed": ("印发", "པར་སྐྲུན་བསྐུར།"),
}


@dataclass(frozen=True)
class Labels:
    """The formats of one build; every method takes the language to write in."""

    tibetan_digits: bool = True

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Labels:
        return cls(tibetan_digits(settings))

    def digits(self, value: int | str, lang: str) -> str:
        text = str(value)
        return text.translate(_TO_TIBETAN) if lang == "bo" and self.tibetan_digits else text

    def date(self, value: dt.date | None, lang: str) -> str:
        """2026年3月2日 / སྤྱི་ལོ་༢༠༢༦ ལོའི་ཟླ་ ༣ ཚེས་ ༢ ཉིན། (the form of Tibetan official documents)."""
        if value is None or value == dt.date.min:
            return ""
        if lang == "bo":
            year, month, day = (self.digits(n, lang) for n in (value.year, value.month, value.day))
            return f"སྤྱི་ལོ་{year} ལོའི་ཟླ་ {month} ཚེས་ {day} ཉིན།"
        return f"{value.year}年{value.month}月{value.day}日"

    def issue(self, year: int, number: int, lang: str) -> str:
        """2026年第8期 / སྤྱི་ལོ་༢༠༢༦ ལོའི་དེབ་ ༨ པ།"""
        if lang == "bo":
            return f"སྤྱི་ལོ་{self.digits(year, lang)} ལོའི་དེབ་ {self.digits(number, lang)} པ།"
        return f"{year}年第{number}期"

    def total(self, total: int, lang: str) -> str:
        """总第158期 / དེབ་བསྡོམས་ ༡༥༨ པ། — the issue's place in the whole run of the gazette.

        དེབ་ is the word for an issue (期) everywhere else in Tibetan here: the year's issue above
        (ལོའི་དེབ་ N པ།) and the theme's strings (དེབ་གསར་ཤོས། latest issue, དེབ་འདི་ཕབ་ལེན། download this
        issue, ལོ་ N ཀྱི་དེབ། the year's issues). So the running total counts དེབ་ too, and a reader sees both
        numbers count the same thing; ཕྲེང་ (a string, a series) appears nowhere else to say "issue".
        """
        if lang == "bo":
            return f"དེབ་བསྡོམས་ {self.digits(total, lang)} པ།"
        return f"总第{total}期"

    def addressee(self, text: str, lang: str) -> str:
        """主送机关 as the line after the title sets it: 各县（市）人民政府，州级各部门： / …ཁག་ལ། (Tibetan
        marks the recipients with the dative ལ་ and ends the line with a shad)."""
        if lang == "bo":
            if text.endswith(("ལ།", "།", "：", ":")):
                return text
            return text + ("ལ།" if text.endswith("་") else "་ལ།")
        return text if text.endswith(("：", ":")) else text + "："

    def note(self, text: str, lang: str) -> str:
        """附注 in parentheses: （此件公开发布）; Tibetan takes the Latin ones, its font's own."""
        return f"({text})" if lang == "bo" else f"（{text}）"

    def part(self, name: str, lang: str) -> str:
        """The printed word for a part: 附件 (attachments), 抄送 (copies to), 印发 (printed and sent)."""
        return PART_WORDS[name][1 if lang == "bo" else 0]

    def printed(self, date: dt.date | None, lang: str) -> str:
        """2026年10月10日印发 / སྤྱི་ལོ་… ཉིན། པར་སྐྲུན་བསྐུར། — the date of the 版记's last line."""
        if date is None:
            return ""
        return f"{self.date(date, lang)} {PART_WORDS['printed'][1]}" if lang == "bo" else (
            f"{self.date(date, lang)}{PART_WORDS['printed'][0]}")

    def file_size(self, size: int, lang: str) -> str:
        text = f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"
        return self.digits(text, lang)

    def counter_style(self, lang: str) -> str:
        """The CSS counter style of printed numbers (WeasyPrint's user-agent sheet defines `tibetan`)."""
        return "tibetan" if lang == "bo" and self.tibetan_digits else "decimal"
