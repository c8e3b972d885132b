"""How numbers, dates and issue numbers are written in each language (zh, bo)."""

from __future__ import annotations

import datetime as dt

TIBETAN_DIGITS = str.maketrans("0123456789", "༠༡༢༣༤༥༦༧༨༩")


def digits(value: int | str, lang: str, tibetan_digits: bool = True) -> str:
    text = str(value)
    return text.translate(TIBETAN_DIGITS) if lang == "bo" and tibetan_digits else text


def date(value: dt.date | None, lang: str, tibetan_digits: bool = True) -> str:
    if value is None or value == dt.date.min:
        return ""
    if lang == "bo":
        d = lambda n: digits(n, lang, tibetan_digits)  # noqa: E731
        return f"སྤྱི་ལོ་{d(value.year)} ཟླ་{d(value.month)} ཚེས་{d(value.day)}"
    return f"{value.year}年{value.month}月{value.day}日"


def issue_number(year: int, number: int, lang: str, tibetan_digits: bool = True) -> str:
    """2026年第8期 / སྤྱི་ལོ་༢༠༢༦ ལོའི་དེབ་ཕྲེང་ ༨ པ།"""
    if lang == "bo":
        d = lambda n: digits(n, lang, tibetan_digits)  # noqa: E731
        return f"སྤྱི་ལོ་{d(year)} ལོའི་དེབ་ཕྲེང་{d(number)}པ།"
    return f"{year}年第{number}期"


def issue_total(total: int, lang: str, tibetan_digits: bool = True) -> str:
    """总第158期 / ཕྲེང་བསྡོམས་༡༥༨ པ།"""
    if lang == "bo":
        return f"ཕྲེང་བསྡོམས་{digits(total, lang, tibetan_digits)}པ།"
    return f"总第{total}期"


def file_size(size: int, lang: str, tibetan_digits: bool = True) -> str:
    text = f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"
    return digits(text, lang, tibetan_digits)
