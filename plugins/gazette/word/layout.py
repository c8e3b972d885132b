"""What pandoc's Word reader drops and the import needs: each paragraph's alignment and type size (the title
is the large centred lines at the top; an embedded document's title is centred), and the merged cells of
tables (pandoc 2.17 leaves a vertically merged cell empty, which makes a table say something else).

Read from word/document.xml and word/styles.xml with the standard library's parser; package.py has already
refused any part that declares a DTD, so no entity is expanded.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field

from .package import Package

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Paragraph:
    text: str
    align: str = ""  # center, right, both, … ("" when neither the paragraph nor its style says)
    size: int = 0  # the largest type size of its text, in half-points (0: unknown)

    @property
    def centred(self) -> bool:
        return self.align == "center"


@dataclass
class Table:
    rows: list[list[str]]
    merged: bool = False  # some cell spans several rows or columns (its text is repeated in each)
    pictures: bool = False  # it holds pictures, which a Markdown table cannot


@dataclass
class Layout:
    paragraphs: list[Paragraph] = field(default_factory=list)  # the body's own, with text, in order
    tables: list[Table] = field(default_factory=list)  # the body's own, in order
    body_size: int = 0  # the type size most of the text is set in

    def is_large(self, paragraph: Paragraph) -> bool:
        return bool(self.body_size and paragraph.size > self.body_size)


@dataclass
class _Style:
    align: str = ""
    size: int = 0
    based_on: str = ""


def _val(element: ET.Element | None, tag: str) -> str:
    if element is None:
        return ""
    found = element.find(tag)
    return found.get(f"{W}val", "") if found is not None else ""


def _size(rpr: ET.Element | None) -> int:
    # szCs is the size of complex-script text (Tibetan is set in it); take the larger of the two.
    sizes = [_val(rpr, f"{W}sz"), _val(rpr, f"{W}szCs")]
    return max((int(s) for s in sizes if s.isdigit()), default=0)


def _styles(data: bytes | None) -> tuple[dict[str, _Style], str, int]:
    """Paragraph styles by id, the default paragraph style's id, and the document's default size."""
    if not data:
        return {}, "", 0
    root = ET.fromstring(data)
    default_size = _size(root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr"))
    styles: dict[str, _Style] = {}
    default = ""
    for style in root.iter(f"{W}style"):
        if style.get(f"{W}type") != "paragraph":
            continue
        style_id = style.get(f"{W}styleId", "")
        styles[style_id] = _Style(_val(style.find(f"{W}pPr"), f"{W}jc"), _size(style.find(f"{W}rPr")),
                                  _val(style, f"{W}basedOn"))
        if style.get(f"{W}default") in ("1", "true"):
            default = style_id
    return styles, default, default_size


def _resolve(styles: dict[str, _Style], style_id: str) -> _Style:
    """A style's alignment and size, inherited through basedOn (at most a few steps; a loop stops)."""
    align, size, seen = "", 0, set()
    while style_id and style_id not in seen and style_id in styles:
        seen.add(style_id)
        style = styles[style_id]
        align = align or style.align
        size = size or style.size
        style_id = style.based_on
    return _Style(align, size)


def _text(element: ET.Element) -> str:
    parts = []
    for node in element.iter():
        if node.tag == f"{W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{W}tab":
            parts.append("\t")
        elif node.tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
    return "".join(parts)


def _paragraph(p: ET.Element, styles: dict[str, _Style], default: str, default_size: int) -> Paragraph:
    ppr = p.find(f"{W}pPr")
    style = _resolve(styles, _val(ppr, f"{W}pStyle") or default)
    sizes = [_size(run.find(f"{W}rPr")) for run in p.iter(f"{W}r") if _text(run).strip()]
    size = max(sizes, default=0) or style.size or default_size
    return Paragraph(_text(p), _val(ppr, f"{W}jc") or style.align, size)


def _table(tbl: ET.Element) -> Table:
    """The table as a grid of texts: a cell merged over several columns or rows is repeated in each."""
    rows: list[list[str]] = []
    merged = False
    for tr in tbl.findall(f"{W}tr"):
        row: list[str] = [""] * int(_val(tr.find(f"{W}trPr"), f"{W}gridBefore") or 0)
        for tc in tr.findall(f"{W}tc"):
            tcpr = tc.find(f"{W}tcPr")
            span = int(_val(tcpr, f"{W}gridSpan") or 1)
            vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
            lines = [_text(p).strip() for p in tc.iter(f"{W}p")]
            text = "<br>".join(line for line in lines if line)
            if vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue":
                column = len(row)
                text = rows[-1][column] if rows and column < len(rows[-1]) else ""
                merged = True
            merged = merged or span > 1
            row.extend([text] * max(1, min(span, 64)))
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    pictures = any(True for _ in tbl.iter(f"{W}drawing")) or any(True for _ in tbl.iter(f"{W}pict"))
    return Table(rows, merged, pictures)


def _blocks(body: ET.Element) -> list[ET.Element]:
    """The body's paragraphs and tables in order, looking inside content controls (w:sdt)."""
    out: list[ET.Element] = []
    for child in body:
        if child.tag in (f"{W}p", f"{W}tbl"):
            out.append(child)
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                out.extend(_blocks(content))
    return out


def read_layout(package: Package) -> Layout:
    document = package.get("word/document.xml") or b""
    root = ET.fromstring(document)
    styles, default, default_size = _styles(package.get("word/styles.xml"))
    body = root.find(f"{W}body")
    layout = Layout()
    if body is None:
        return layout
    weight: Counter[int] = Counter()
    for block in _blocks(body):
        if block.tag == f"{W}tbl":
            layout.tables.append(_table(block))
            continue
        paragraph = _paragraph(block, styles, default, default_size)
        if paragraph.text.strip():
            layout.paragraphs.append(paragraph)
            weight[paragraph.size] += len(paragraph.text.strip())
    layout.body_size = weight.most_common(1)[0][0] if weight else 0
    return layout
