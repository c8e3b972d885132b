"""The words printed around the text (书眉, 刊期, 版权页, 目录, the metadata of a document), in each edition's
language. Dates, issue numbers, the running total and digits are written by `labels.Labels`, as on the
site, so print and screen agree (GAZETTE_TIBETAN_DIGITS applies to both alike).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..labels import Labels

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "contents": "目　录",
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
    """The printed furniture of one edition."""

    def __init__(self, lang: str, settings: dict[str, Any]) -> None:
        self.lang = lang
        self.words = WORDS[lang]
        self.labels = Labels.from_settings(settings)

    def digits(self, text: str) -> str:
        return self.labels.digits(text, self.lang)

    def word(self, key: str) -> str:
        return self.words[key]

    def date(self, day: dt.date) -> str:
        return self.labels.date(day, self.lang)

    def issue(self, year: int, number: int) -> str:
        return self.labels.issue(year, number, self.lang)

    def total(self, total: int) -> str:
        return self.labels.total(total, self.lang)

    @property
    def counter_style(self) -> str:
        return self.labels.counter_style(self.lang)
