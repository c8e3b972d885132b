"""The side-by-side view (中藏对照) of a translated document: its Chinese and Tibetan bodies in aligned rows.

Both bodies are cut into their top-level blocks (headings, paragraphs, lists, tables) and into sections
at each heading. Where both have the same sections, heading levels alike, the rows pair heading with
heading, then paragraph with paragraph in each section whose counts agree and the whole section where
they do not (a translator may join or split paragraphs). Where the sections differ, one row holds both
bodies whole: nothing is ever paired with text it does not translate.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from ..publication import PublicDocument

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"}


@dataclass(frozen=True)
class Block:
    tag: str
    html: str


class _TopLevel(HTMLParser):
    """The offsets of the top-level elements of a body (sanitised HTML: every element closed)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.html, self.depth, self.blocks = html, 0, []
        self._lines = [0]
        for i, char in enumerate(html):
            if char == "\n":
                self._lines.append(i + 1)
        self._start, self._tag = 0, ""
        self.feed(html)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if self.depth == 0:
            self._start, self._tag = self._offset(), tag
            if tag in VOID:
                end = self._offset() + len(self.get_starttag_text() or "")
                self.blocks.append(Block(tag, self.html[self._start:end]))
                return
        if tag not in VOID:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        self.depth -= 1
        if self.depth == 0:
            end = self.html.index(">", self._offset()) + 1
            self.blocks.append(Block(self._tag, self.html[self._start:end]))


def blocks(html: str) -> list[Block]:
    return _TopLevel(html).blocks


Section = tuple[Block | None, list[Block]]


def sections(body: list[Block]) -> list[Section]:
    out: list[Section] = [(None, [])]
    for block in body:
        if block.tag in HEADINGS:
            out.append((block, []))
        else:
            out[-1][1].append(block)
    return out if out[0][1] else out[1:]


@dataclass(frozen=True)
class Row:
    kind: str  # "heading", "block" (one paragraph, list or table each side), "section" (a whole section)
    zh: str
    bo: str


def align(zh_html: str, bo_html: str) -> list[Row]:
    zh, bo = sections(blocks(zh_html)), sections(blocks(bo_html))
    if [h.tag if h else "" for h, _ in zh] != [h.tag if h else "" for h, _ in bo]:
        return [Row("section", zh_html, bo_html)]
    rows: list[Row] = []
    for (zh_head, zh_body), (bo_head, bo_body) in zip(zh, bo, strict=True):
        if zh_head and bo_head:
            rows.append(Row("heading", zh_head.html, bo_head.html))
        if len(zh_body) == len(bo_body):
            rows += [Row("block", z.html, b.html) for z, b in zip(zh_body, bo_body, strict=True)]
        else:
            rows.append(Row("section", "".join(b.html for b in zh_body), "".join(b.html for b in bo_body)))
    return rows


@dataclass(frozen=True)
class SideBySide:
    """A translated document's aligned rows, worked out only when its page is drawn: what the page shows
    is the document's two texts, which its page key already covers."""

    doc: PublicDocument

    def rows(self) -> list[Row]:
        return align(self.doc.text("zh").html, self.doc.text("bo").html)
