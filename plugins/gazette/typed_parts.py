"""Official-document parts typed into a body instead of their fields: the addressee as its first line, the
signature and date (and the note) at its end, or before the title of a document it issues (`# `).

The check warns about them (`checks/official.py`), and the Publication does not sign off a text that
already closes with them: both ask this module, so what the editor is warned about is what the outputs do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A short paragraph ending in a colon, with no sentence inside: 各县（市）人民政府，州级各部门：
ADDRESSEE_LINE = re.compile(r"^[^。！？\n]{2,80}[：:]\s*$")
# 2026年10月9日, 二〇二六年十月九日, and the Tibetan edition's ༢༠༢༦ལོའི་ཟླ་༡༠ཚེས་༩ཉིན།
DATE_LINE = re.compile(
    r"^\s*(?:[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日"
    r"|[〇○零一二三四五六七八九]{4}年[〇○零一二三四五六七八九十]{1,3}月[〇○零一二三四五六七八九十]{1,3}日"
    r"|(?:སྤྱི་ལོ་)?[0-9༠-༩]{4}\s*ལོ.{0,6}ཟླ.{0,12}ཚེས.{0,12})\s*$")
NOTE_LINE = re.compile(r"^\s*[（(][^（）()\n]{2,40}[）)]\s*$")
SIGNER_MAX = 120  # characters: a Tibetan body's name is about twice as long as its Chinese one


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int  # its first line in the file


@dataclass(frozen=True)
class TypedParts:
    addressee: Paragraph | None = None
    signer: Paragraph | None = None
    date: Paragraph | None = None
    note: Paragraph | None = None


def paragraphs(body: str, first_line: int = 1) -> list[Paragraph]:
    """The body's paragraphs (blank-line separated), each with its first line."""
    result: list[Paragraph] = []
    current: list[str] = []
    start = first_line
    for number, line in enumerate(body.split("\n"), first_line):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            result.append(Paragraph("\n".join(current), start))
            current = []
    if current:
        result.append(Paragraph("\n".join(current), start))
    return result


def typed_parts(body: str, first_line: int = 1) -> TypedParts:
    """What of the parts the body carries as text."""
    paras = paragraphs(body, first_line)
    if not paras:
        return TypedParts()
    first = paras[0]
    addressee = first if "\n" not in first.text and ADDRESSEE_LINE.match(first.text) else None
    # A notice that issues a document (印发) closes before the issued document's title.
    embedded = next((i for i, p in enumerate(paras) if p.text.startswith("# ")), None)
    tail = paras[:embedded][-3:] if embedded else paras[-3:]
    note = None
    if len(tail) > 1 and NOTE_LINE.match(tail[-1].text) and DATE_LINE.match(tail[-2].text):
        note, tail = tail[-1], tail[:-1]
    if not tail or not DATE_LINE.match(tail[-1].text):
        return TypedParts(addressee=addressee)
    signer = tail[-2] if len(tail) > 1 and len(tail[-2].text) <= SIGNER_MAX and "。" not in tail[-2].text else None
    return TypedParts(addressee=addressee, signer=signer, date=tail[-1], note=note)
