"""The words and numbers printed around the text (书眉, 页码, 刊期, 日期, 版权页), in each edition's language.

The Tibetan wording follows the registry's convention: it is marked for review by the prefecture's
translators (`BO_REVIEWED`) until they confirm it. Tibetan digits (༠–༩) replace Arabic ones in the
Tibetan edition when the setting GAZETTE_TIBETAN_DIGITS is on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

BO_REVIEWED = False

TIBETAN_DIGITS = str.maketrans("0123456789", "༠༡༢༣༤༥༦༧༨༩")

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "contents": "目　录",
        "issue": "{year}年第{number}期",
        "total": "总第{total}期",
        "date": "{year}年{month}月{day}日",
        "supervisor": "主管",
        "sponsor": "主办",
        "editor": "编辑出版",
        "address": "地址",
        "postcode": "邮编",
        "telephone": "电话",
        "colon": "：",
        "inside_front": "封二",
        "inside_back": "封三",
        "back_cover": "封底",
        "cover": "封面",
        "index_no": "索引号",
        "publisher": "发布机构",
        "doc_number": "文号",
        "signed": "成文日期",
        "published": "发布日期",
        "sample": "示例内容，仅供演示",
    },
    "bo": {
        "contents": "དཀར་ཆག",
        "issue": "སྤྱི་ལོ་{year} ལོའི་དེབ་ {number} པ།",
        "total": "དེབ་བསྡོམས་ {total} པ།",
        "date": "སྤྱི་ལོ་{year} ལོའི་ཟླ་ {month} ཚེས་ {day} ཉིན།",
        "supervisor": "འགན་འཛིན་ལས་ཁུངས།",
        "sponsor": "གཙོ་སྒྲིག་ལས་ཁུངས།",
        "editor": "རྩོམ་སྒྲིག་དང་པར་སྐྲུན།",
        "address": "ཁ་བྱང་།",
        "postcode": "སྦྲག་ཨང་།",
        "telephone": "ཁ་པར།",
        "colon": " ",
        "inside_front": "ཁ་ཤོག་གཉིས་པ།",
        "inside_back": "ཁ་ཤོག་གསུམ་པ།",
        "back_cover": "རྒྱབ་ཤོག",
        "cover": "ཁ་ཤོག",
        "index_no": "འཚོལ་ཨང་།",
        "publisher": "སྤེལ་མཁན།",
        "doc_number": "ཡིག་ཨང་།",
        "signed": "ཡིག་ཆ་བཟོས་པའི་ཚེས་གྲངས།",
        "published": "སྤེལ་བའི་ཚེས་གྲངས།",
        "sample": "དཔེ་མཚོན་ཙམ།",
    },
}


class Furniture:
    """Formats the printed furniture of one edition."""

    def __init__(self, lang: str, settings: dict[str, Any]) -> None:
        self.lang = lang
        self.words = WORDS[lang]
        self.tibetan_digits = lang == "bo" and bool(settings.get("GAZETTE_TIBETAN_DIGITS"))

    def digits(self, text: str) -> str:
        return text.translate(TIBETAN_DIGITS) if self.tibetan_digits else text

    def word(self, key: str) -> str:
        return self.words[key]

    def date(self, day: dt.date) -> str:
        return self.digits(self.words["date"].format(year=day.year, month=day.month, day=day.day))

    def issue(self, year: int, number: int) -> str:
        return self.digits(self.words["issue"].format(year=year, number=number))

    def total(self, total: int) -> str:
        return self.digits(self.words["total"].format(total=total))

    @property
    def counter_style(self) -> str:
        """The CSS counter style of page numbers (WeasyPrint's user-agent sheet defines `tibetan`)."""
        return "tibetan" if self.tibetan_digits else "decimal"
