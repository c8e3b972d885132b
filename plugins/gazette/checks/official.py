"""Official-document parts (公文要素, GB/T 9704): addressee, signature, note, cc, printed, author.

Each is a field, so that every output can set it where the standard puts it; a body that still carries
the addressee at its start, or the signature and the date at its end, gets a warning naming the field.
Agencies in `cc` and `printed.by` may be written by registry id (resolved to the agency's name in each
language) or as text; something that looks like an id and is none is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..findings import Finding, error, warning
from ..frontmatter import Source
from ..model import Corpus, Document, as_list, parse_date
from ..typed_parts import typed_parts
from .rules import CheckContext, rule

AGENCY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def _text_or_texts(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _type_error(source: Source, key: str, zh: str, en: str, fix_zh: str, fix_en: str) -> Finding:
    return error("OFFICIAL-FIELD-TYPE", source.path, source.line(key), key, zh, en, fix_zh, fix_en)


def _sources(corpus: Corpus) -> Iterator[tuple[Document, Source]]:
    for doc in corpus.documents.values():
        yield doc, doc.source
        for translation in doc.translations.values():
            yield doc, translation.source


@rule
def official_field_types(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """OFFICIAL-FIELD-TYPE, OFFICIAL-AGENCY: each part has its shape; an agency id names a registry agency."""
    agencies = corpus.registry.agencies
    for _doc, source in _sources(corpus):
        meta = source.meta
        for key in ("addressee", "note", "author"):
            if key in meta and not isinstance(meta[key], str):
                yield _type_error(source, key, f"{key} 应是一行文字", f"'{key}' must be one line of text",
                                  f"写 {key}: 文字", f"write '{key}: text'")
        for key in ("signature", "cc"):
            if key in meta and not _text_or_texts(meta[key]):
                yield _type_error(source, key, f"{key} 应是文字或文字列表", f"'{key}' must be text or a list of "
                                  "texts", f"写 {key}: [机关一, 机关二]", f"write '{key}: [body one, body two]'")
        printed = meta.get("printed")
        if "printed" in meta and not (isinstance(printed, dict) and isinstance(printed.get("by"), str)
                                      and parse_date(printed.get("date"))):
            yield _type_error(source, "printed", "printed 应写印发机关和印发日期",
                              "'printed' names the body that printed it and the date",
                              "写 printed: {by: 甘孜州人民政府办公室, date: 2026-10-10}",
                              "write 'printed: {by: <body>, date: YYYY-MM-DD}'")
        named = [("cc", v) for v in as_list(meta.get("cc")) if isinstance(v, str)]
        if isinstance(printed, dict) and isinstance(printed.get("by"), str):
            named.append(("printed", printed["by"]))
        for key, value in named:
            if AGENCY_ID.match(value.strip()) and value.strip() not in agencies:
                yield error("OFFICIAL-AGENCY", source.path, source.line(key), key,
                            f"机构代码“{value}”不在 registry/agencies.yml 中",
                            f"'{value}' is not an agency id in registry/agencies.yml",
                            "写机构的 id，或直接写机关全称", "write the agency's id, or the body's full name")


@rule
def printed_date(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """OFFICIAL-PRINTED-DATE: a document is printed (印发) on or after the day it is signed (成文)."""
    for doc, source in _sources(corpus):
        printed = source.meta.get("printed")
        date = parse_date(printed.get("date")) if isinstance(printed, dict) else None
        if date and doc.signed and date < doc.signed:
            yield error("OFFICIAL-PRINTED-DATE", source.path, source.line("printed"), "printed",
                        f"印发日期 {date} 早于成文日期 {doc.signed}", f"printed on {date}, before it was signed "
                        f"({doc.signed})", "核对印发日期和成文日期", "check the printed and signed dates")


@rule
def parts_in_body(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """OFFICIAL-ADDRESSEE-IN-BODY, OFFICIAL-SIGNATURE-IN-BODY, OFFICIAL-NOTE-IN-BODY: parts typed into the
    body instead of their fields (warnings: the outputs would set them as ordinary paragraphs)."""
    for _doc, source in _sources(corpus):
        typed = typed_parts(source.body, source.body_line)
        if typed.addressee:
            first = typed.addressee.text
            yield warning("OFFICIAL-ADDRESSEE-IN-BODY", source.path, typed.addressee.line, "addressee",
                          f"正文开头的“{first}”是主送机关，应写在元数据中", f"'{first}' at the start of the body is "
                          "the addressee (主送机关): give it as a field",
                          f"删去这一行，写 addressee: {first.rstrip('：:')}",
                          f"remove the line and write 'addressee: {first.rstrip('：:')}'")
        if typed.note:
            note = typed.note.text
            yield warning("OFFICIAL-NOTE-IN-BODY", source.path, typed.note.line, "note",
                          f"正文末尾的“{note}”是附注，应写在元数据中", f"'{note}' at the end is the note (附注): "
                          "give it as a field", f"删去这一行，写 note: {note.strip('（）()')}",
                          f"remove the line and write 'note: {note.strip('（）()')}'")
        if typed.date:
            line = typed.signer.line if typed.signer else typed.date.line
            yield warning("OFFICIAL-SIGNATURE-IN-BODY", source.path, line, "signature",
                          f"正文末尾的署名和成文日期（{typed.date.text}）应写在元数据中：输出时按 GB/T 9704 右空排版",
                          f"the signature and date at the end of the body ({typed.date.text}) belong in fields: "
                          "the outputs set them right as GB/T 9704 does",
                          "删去这几行；发文机关写 signature（与发布机构相同可省略），日期写 signed",
                          "remove the lines; give the body as 'signature' (may be left out when it is the "
                          "issuer) and the date as 'signed'")
