"""Personal data in public text: resident identity numbers, mobile numbers, bank card numbers.

Public text is what some output shows: the whole of 主动公开 documents and their translations, the
catalogue metadata (title, summary, keywords) of 依申请公开 ones, pages and captions. A number meant to
be public (an office hotline) is listed in the file's `public_numbers` and then not reported.

The checks are by hand: the rules are short and exact (GB 11643 for the identity number's ISO 7064
MOD 11-2 check digit, the Luhn sum for cards, the mainland 1[3-9] mobile ranges), and no maintained
library covers the three for Chinese text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..findings import Finding, error
from ..frontmatter import Source
from ..labels import ANY_TO_ARABIC
from ..model import Corpus, as_list
from .common import all_markdown_sources, all_texts
from .rules import CheckContext, rule

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![\d-])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![\d-])")
# Written straight or in groups of four (6222 0212 3456 7890 123).
CARD = re.compile(r"(?<![\d-])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)(?![\d-])")
# At least 11 digits in a row, perhaps grouped: the shortest of the three (a mobile number).
CANDIDATE = re.compile(r"\d{3}[ -]?\d{4}[ -]?\d{4}")
DIGITS = re.compile(r"\d")


def valid_id_number(number: str) -> bool:
    """GB 11643-1999: the 18th character is the ISO 7064 MOD 11-2 check of the first 17 digits."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17].upper()


def luhn(number: str) -> bool:
    digits = [int(d) for d in number]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _digits(value: object) -> str:
    return "".join(DIGITS.findall(str(value).translate(ANY_TO_ARABIC)))


def public_numbers(source: Source | None) -> set[str]:
    if source is None:
        return set()
    return {_digits(v) for v in as_list(source.meta.get("public_numbers")) if _digits(v)}


def mask(number: str) -> str:
    return number[:3] + "*" * (len(number) - 7) + number[-4:] if len(number) > 7 else "*" * len(number)


def find_personal_data(text: str, allowed: set[str]) -> Iterator[tuple[str, int, str]]:
    """(code, offset, number) for each identity, mobile or card number in `text`, allowed ones left out."""
    text = text.translate(ANY_TO_ARABIC)
    taken: list[tuple[int, int]] = []
    for m in ID_NUMBER.finditer(text):
        if valid_id_number(m.group()) and _digits(m.group()) not in allowed:
            taken.append(m.span())
            yield "PII-ID-NUMBER", m.start(), m.group()
    for m in MOBILE.finditer(text):
        number = "".join(m.groups())
        if number not in allowed and _digits(m.group()) not in allowed \
                and not any(a <= m.start() < b for a, b in taken):
            taken.append(m.span())
            yield "PII-MOBILE", m.start(), number
    for m in CARD.finditer(text):
        number = _digits(m.group())
        if 16 <= len(number) <= 19 and luhn(number) and number not in allowed \
                and not any(a <= m.start() < b for a, b in taken):
            yield "PII-BANK-CARD", m.start(), number


MESSAGES = {
    "PII-ID-NUMBER": ("公开内容中有居民身份证号码", "a resident identity number in public text"),
    "PII-MOBILE": ("公开内容中有手机号码", "a mobile number in public text"),
    "PII-BANK-CARD": ("公开内容中有银行卡号", "a bank card number in public text"),
}


@rule
def personal_data(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """PII-ID-NUMBER, PII-MOBILE, PII-BANK-CARD: no personal numbers in public text."""
    allowed_by_source: dict[int, set[str]] = {}
    for text in all_texts(corpus, context):
        if not text.public or not CANDIDATE.search(text.text):
            continue
        key = id(text.source)
        if key not in allowed_by_source:
            allowed = public_numbers(text.source)
            doc = corpus.documents.get(text.path.rsplit("/", 1)[-1].split(".")[0]) \
                if text.path.startswith("documents/") else None
            if doc is not None and doc.source is not text.source:
                allowed |= public_numbers(doc.source)  # a translation shares its original's list
            allowed_by_source[key] = allowed
        for code, offset, number in find_personal_data(text.text, allowed_by_source[key]):
            zh, en = MESSAGES[code]
            yield error(code, text.path, text.line_at(offset), text.field,
                        f"{zh}：{mask(number)}（个人信息不得公开）", f"{en}: {mask(number)} (personal data "
                                                          "is not published)",
                        f"删除或打码，如 {mask(number)}；确属公开的办公号码，在元数据 public_numbers 中列出",
                        f"remove or mask it ({mask(number)}); a number meant to be public goes in the "
                        "metadata field public_numbers")


@rule
def public_numbers_are_not_identity_numbers(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """PII-PUBLIC-ID: `public_numbers` lists numbers an office publishes (a hotline); a resident identity
    number is always a person's, and listing it would publish it."""
    for source in all_markdown_sources(corpus):
        for value in as_list(source.meta.get("public_numbers")):
            number = str(value).translate(ANY_TO_ARABIC).strip()
            if valid_id_number(number):
                yield error("PII-PUBLIC-ID", source.path, source.line("public_numbers"), "public_numbers",
                            f"public_numbers 中有居民身份证号码 {mask(number)}：身份证号码属于个人信息，不能列为公开"
                            "号码",
                            f"public_numbers lists a resident identity number ({mask(number)}): it is a person's "
                            "and is never published",
                            "从 public_numbers 中删去，并删除或打码正文中的号码",
                            "remove it from public_numbers, and remove or mask it in the text")


# The requests register holds no personal data at all (content format, "The requests register"): every
# field of a request is read, and beside the numbers above, e-mail addresses, telephone numbers, home
# addresses and names are refused. The last two are found by the words around them (a house number after
# a street, 住址, 姓名, 联系人, 先生/女士), not by knowing names: what the register needs (what was asked,
# by which kind of applicant) never takes one.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LANDLINE = re.compile(r"(?<![\d-])(?:\(0\d{2,3}\)|0\d{2,3})[- ]?\d{7,8}(?![\d-])")
ADDRESS = re.compile(r"[\u4e00-\u9fff]{1,12}(?:路|街|大道|巷|胡同|弄)\s*\d+\s*号"
                     r"|\d+\s*(?:栋|幢|号楼)\s*\d+\s*(?:单元|室|号)|\d+\s*单元\s*\d+|\d{3,4}\s*室"
                     r"|[\u4e00-\u9fff]{1,6}村\s*\d+\s*组"
                     r"|住址|家住|住在|居住于|户籍地")
NAME = re.compile(r"(?:姓名|联系人|代理人|委托人)\s*[：:为是]?\s*[\u4e00-\u9fff·]{2,4}"
                  r"|申请人\s*[：:]\s*[\u4e00-\u9fff·]{2,4}"
                  r"|[\u4e00-\u9fff](?:先生|女士)")
REQUEST_MESSAGES = {
    "PII-ID-NUMBER": ("申请登记中有居民身份证号码", "a resident identity number in the requests register"),
    "PII-MOBILE": ("申请登记中有手机号码", "a mobile number in the requests register"),
    "PII-BANK-CARD": ("申请登记中有银行卡号", "a bank card number in the requests register"),
    "PII-EMAIL": ("申请登记中有电子邮箱", "an e-mail address in the requests register"),
    "PII-PHONE": ("申请登记中有电话号码", "a telephone number in the requests register"),
    "PII-ADDRESS": ("申请登记中有住址", "a home address in the requests register"),
    "PII-NAME": ("申请登记中有姓名", "a name in the requests register"),
}


def _strings(value: object, field: str) -> Iterator[tuple[str, str]]:
    """(field, text) of every string in a request, however deep."""
    if isinstance(value, str):
        yield field, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{field}.{key}" if field else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{field}[{i}]")
    elif isinstance(value, int) and not isinstance(value, bool) and value > 10**9:
        yield field, str(value)  # an unquoted number is still a number


def request_personal_data_in(text: str) -> Iterator[tuple[str, str]]:
    """(code, what was found, masked where it is a number) for each piece of personal data in `text`."""
    for code, _, number in find_personal_data(text, set()):
        yield code, mask(number)
    for code, pattern in (("PII-EMAIL", EMAIL), ("PII-PHONE", LANDLINE), ("PII-ADDRESS", ADDRESS),
                          ("PII-NAME", NAME)):
        for m in pattern.finditer(text):
            if code == "PII-PHONE" and MOBILE.fullmatch(m.group()):
                continue
            found = m.group()
            yield code, mask(_digits(found)) if code == "PII-PHONE" else found[:1] + "…"


@rule
def request_personal_data(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """PII-ID-NUMBER, PII-MOBILE, PII-BANK-CARD, PII-EMAIL, PII-PHONE, PII-ADDRESS, PII-NAME: no personal data
    in any field of a request."""
    for request in corpus.requests:
        for key, value in request.meta.items():
            for field, text in _strings(value, str(key)):
                for code, shown in request_personal_data_in(text):
                    zh, en = REQUEST_MESSAGES[code]
                    yield error(code, request.path, request.line(str(key)), field,
                                f"{zh}（{shown}）：登记表不记个人信息", f"{en} ({shown}): the register keeps no "
                                                                 "personal data",
                                "删去；subject 只写申请的内容（如“2025年州本级部门预算执行情况”），申请人只写类别",
                                "remove it; 'subject' says what was asked (e.g. 2025年州本级部门预算执行情况), "
                                "'applicant' only the kind of applicant")
