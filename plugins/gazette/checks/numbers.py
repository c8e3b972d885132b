"""Document numbers (发文字号) and index numbers (索引号).

A document number is `<code>〔<year>〕<n>号` (GB/T 9704-2012): hexagonal brackets 〔〕 only, the year in
full and equal to the year of signing, no 第, no leading zero; an order (令) is `<body>令第<n>号`.
An index number is `<9-character organisation code of the first issuer>/<year of signed>-<5 digits>`.
Both are unique across the corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..findings import Finding, error
from ..model import Corpus, Document
from ..registry import Registry
from .rules import CheckContext, rule

OPEN_BRACKETS = "〔[(（【［﹝〖{｛<《〈"
CLOSE_BRACKETS = "〕])）】］﹞〗}｝>》〉"
# Written forms editors use, with any bracket, so that the fix can be given.
LOOSE_NUMBER = re.compile(
    rf"^(?P<code>[^\W\d_][^\s{re.escape(OPEN_BRACKETS)}]*?)\s*(?P<open>[{re.escape(OPEN_BRACKETS)}])\s*"
    rf"(?P<year>\d+)\s*(?P<close>[{re.escape(CLOSE_BRACKETS)}])\s*(?P<di>第)?\s*(?P<num>\d+)\s*(?P<hao>号|號)?$")
ORDER_NUMBER = re.compile(r"^(?P<body>[^\W\d_]+)令第(?P<num>[0-9]+)号\Z")
INDEX_NO = re.compile(r"^(?P<org>[0-9A-Z]{9})/(?P<year>[0-9]{4})-(?P<serial>[0-9]{5})\Z")


def corrected_number(value: str) -> str | None:
    """The number written as the standard wants (brackets 〔〕, no 第, no leading zero, 号), or None."""
    m = LOOSE_NUMBER.match(value.strip())
    if not m:
        return None
    return f"{m['code']}〔{m['year']}〕{int(m['num'])}号"


def _number(code: str, doc: Document, zh: str, en: str, fix_zh: str, fix_en: str) -> Finding:
    return error(code, doc.path, doc.line("doc_number"), "doc_number", zh, en, fix_zh, fix_en)


def _longest_prefix(code: str, registry: Registry) -> str | None:
    """The agency whose code_prefix is the longest start of `code` (甘府办 beats 甘府)."""
    best: tuple[int, str] | None = None
    for agency in registry.agencies.values():
        if agency.code_prefix and code.startswith(agency.code_prefix) and (
                best is None or len(agency.code_prefix) > best[0]):
            best = (len(agency.code_prefix), agency.id)
    return best[1] if best else None


def check_doc_number(doc: Document, registry: Registry) -> Iterator[Finding]:
    value = doc.doc_number
    if not value:
        return
    if doc.genre == "order" or ORDER_NUMBER.match(value):
        m = ORDER_NUMBER.match(value)
        if not m:
            yield _number("NUM-FORMAT", doc, f"令的文号“{value}”格式不对", f"the order number '{value}' is "
                                                                   "malformed",
                          "写作 <机关>令第<n>号，如 甘孜藏族自治州人民政府令第3号",
                          "write <body>令第<n>号, e.g. 甘孜藏族自治州人民政府令第3号")
        elif m["num"].startswith("0"):
            fixed = f"{m['body']}令第{int(m['num'])}号"
            yield _number("NUM-LEADING-ZERO", doc, f"文号“{value}”的序号有前导零", f"'{value}' has a "
                                                                          "leading zero",
                          f"写 {fixed}", f"write {fixed}")
        return
    m = LOOSE_NUMBER.match(value)
    if not m:
        yield _number("NUM-FORMAT", doc, f"文号“{value}”不符合“机关代字〔年份〕序号号”的格式",
                      f"the document number '{value}' is not <code>〔<year>〕<n>号",
                      "写作如 甘府发〔2026〕12号；没有文号的文件删去 doc_number",
                      "write it like 甘府发〔2026〕12号; a document without a number has no doc_number")
        return
    fixed = corrected_number(value) or value
    if (m["open"], m["close"]) != ("〔", "〕"):
        yield _number("NUM-BRACKETS", doc, f"文号“{value}”的年份应使用六角括号〔〕，不用 "
                                           f"{m['open']}{m['close']}",
                      f"the year in '{value}' must be in hexagonal brackets 〔〕 (U+3014, U+3015), not "
                      f"{m['open']}{m['close']}",
                      f"改为 {fixed}", f"write {fixed}")
    elif m["hao"] != "号" or re.search(r"\s", value):
        yield _number("NUM-FORMAT", doc, f"文号“{value}”应以“号”结尾且不含空格",
                      f"'{value}' must end in 号 and contain no spaces", f"改为 {fixed}", f"write {fixed}")
    if m["di"]:
        yield _number("NUM-DI", doc, f"文号“{value}”的序号前不加“第”", f"'{value}': no 第 before the serial",
                      f"改为 {fixed}", f"write {fixed}")
    if len(m["num"]) > 1 and m["num"].startswith("0"):
        yield _number("NUM-LEADING-ZERO", doc, f"文号“{value}”的序号有前导零", f"'{value}': the serial has "
                                                                      "a leading zero",
                      f"改为 {fixed}", f"write {fixed}")
    year = m["year"]
    if len(year) != 4:
        yield _number("NUM-YEAR", doc, f"文号“{value}”的年份应写全四位", f"'{value}': write the year in full",
                      f"如 {m['code']}〔{doc.signed.year if doc.signed else '2026'}〕{int(m['num'])}号",
                      f"e.g. {m['code']}〔{doc.signed.year if doc.signed else '2026'}〕{int(m['num'])}号")
    elif doc.signed and int(year) != doc.signed.year:
        yield _number("NUM-YEAR", doc, f"文号年份 {year} 与成文日期 {doc.signed} 的年份不一致",
                      f"the year {year} of the number differs from the year of signing ({doc.signed})",
                      f"核对：文号应为 {m['code']}〔{doc.signed.year}〕{int(m['num'])}号，或成文日期有误",
                      f"check: the number should be {m['code']}〔{doc.signed.year}〕{int(m['num'])}号, or "
                      "'signed' is wrong")
    issuers = [i for i in doc.issuers if i in registry.agencies]
    if issuers:
        lead = registry.agencies[issuers[0]]
        owner = _longest_prefix(m["code"], registry)
        if lead.code_prefix and owner != lead.id:
            other = f"（这是 {registry.agencies[owner].zh} 的代字）" if owner else ""
            other_en = f" (that is the code of {owner})" if owner else ""
            yield _number("NUM-CODE", doc, f"文号的机关代字“{m['code']}”不是发布机构 {lead.zh} 所用的"
                                           f"“{lead.code_prefix}”{other}",
                          f"the code '{m['code']}' is not the code '{lead.code_prefix}' of the issuer "
                          f"{lead.id}{other_en}",
                          f"文号以 {lead.code_prefix} 开头，或核对 issuer（联合发文时主办机关列第一）",
                          f"start the number with {lead.code_prefix}, or check 'issuer' (lead body first)")


@rule(across=True)
def document_numbers(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """NUM-FORMAT, NUM-BRACKETS, NUM-DI, NUM-LEADING-ZERO, NUM-YEAR, NUM-CODE, NUM-DUPLICATE."""
    seen: dict[str, Document] = {}
    for doc in corpus.documents.values():
        if doc.meta.get("doc_number") is not None and not isinstance(doc.meta.get("doc_number"), str):
            continue  # DOC-FIELD-TYPE
        yield from check_doc_number(doc, corpus.registry)
        if not doc.doc_number:
            continue
        key = corrected_number(doc.doc_number) or doc.doc_number
        first = seen.get(key)
        if first is None:
            seen[key] = doc
        else:
            yield _number("NUM-DUPLICATE", doc, f"文号“{doc.doc_number}”已被 {first.path} 使用",
                          f"the document number '{doc.doc_number}' is already used by {first.path}",
                          "核对序号；同一文件只保留一份", "check the serial; keep one file per document")


@rule(across=True)
def index_numbers(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """IDX-FORMAT, IDX-ORG, IDX-YEAR, IDX-DUPLICATE: `<org code>/<year>-<5 digits>`, unique."""
    reg = corpus.registry
    seen: dict[str, Document] = {}
    for doc in corpus.documents.values():
        value = doc.meta.get("index_no")
        if not isinstance(value, str) or not value.strip():
            continue  # DOC-REQUIRED / DOC-FIELD-TYPE
        line = doc.line("index_no")
        lead = reg.agencies.get(doc.issuers[0]) if doc.issuers else None
        org = lead.org_code if lead and lead.org_code else "<组织机构代码>"
        year = doc.signed.year if doc.signed else "<年份>"
        m = INDEX_NO.match(value)
        if not m:
            yield error("IDX-FORMAT", doc.path, line, "index_no",
                        f"索引号“{value}”格式不对", f"the index number '{value}' is malformed",
                        f"写作 {org}/{year}-00001（9 位组织机构代码/4 位年份-5 位序号）",
                        f"write {org}/{year}-00001 (9-character organisation code/year-5-digit serial)")
        else:
            if lead and lead.org_code and m["org"] != lead.org_code:
                yield error("IDX-ORG", doc.path, line, "index_no",
                            f"索引号的机构代码 {m['org']} 不是第一发布机构 {lead.zh} 的代码 {lead.org_code}",
                            f"the organisation code {m['org']} is not the code {lead.org_code} of the first "
                            f"issuer {lead.id}",
                            f"写 {lead.org_code}/{m['year']}-{m['serial']}", "write "
                                                                            f"{lead.org_code}/{m['year']}-{m['serial']}")
            if doc.signed and int(m["year"]) != doc.signed.year:
                yield error("IDX-YEAR", doc.path, line, "index_no",
                            f"索引号年份 {m['year']} 与成文日期 {doc.signed} 的年份不一致",
                            f"the year {m['year']} of the index number differs from the year of signing "
                            f"({doc.signed})",
                            f"写 {m['org']}/{doc.signed.year}-<序号>，或核对成文日期",
                            f"write {m['org']}/{doc.signed.year}-<serial>, or check 'signed'")
        first = seen.get(value.strip())
        if first is None:
            seen[value.strip()] = doc
        else:
            yield error("IDX-DUPLICATE", doc.path, line, "index_no",
                        f"索引号“{value}”已被 {first.path} 使用", f"the index number '{value}' is already "
                                                           f"used by {first.path}",
                        "索引号唯一且一经发布不再改变：给本文件下一个未用的序号",
                        "index numbers are unique and never change: give this document the next unused "
                        "serial")
