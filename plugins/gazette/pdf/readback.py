"""Reading PDFs back, as a reader or a print shop would: page count, text per page (pdftotext), the text
block alone (without running heads and page numbers), fonts (pdffonts), bookmarks and metadata (pypdf).
Only the tests use these, never a build: pypdf comes with the `test` extra and poppler-utils with
scripts/setup.sh."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from pypdf import PdfReader

from ..labels import DIGIT, to_arabic

MM = 72 / 25.4  # points per millimetre
# GB/T 9704's text block lies between 37 mm and 37 + 225 mm from the top; heads and folios are outside it.
TEXT_BLOCK_TOP, TEXT_BLOCK_HEIGHT = 37, 225
FOLIO = re.compile(rf"—\s*({DIGIT}+)\s*—")


def _pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def page_count(path: Path) -> int:
    return len(PdfReader(path).pages)


def page_texts(path: Path) -> list[str]:
    """The text of each page, in reading order."""
    pages = _pdftotext(path).split("\f")
    return pages[:page_count(path)]


def text_block(path: Path, page: int) -> str:
    """The text inside the text block of one page (1-based): no running head, no page number."""
    top = round((TEXT_BLOCK_TOP - 1) * MM)
    height = round((TEXT_BLOCK_HEIGHT + 2) * MM)
    return _pdftotext(path, "-f", str(page), "-l", str(page), "-x", "0", "-y", str(top), "-W", "1000",
                      "-H", str(height))


def body_text(path: Path) -> str:
    """The text blocks of every page, joined."""
    return "".join(text_block(path, page) for page in range(1, page_count(path) + 1))


def normalise(text: str) -> str:
    """For comparing text: line breaks and spaces are layout, not content."""
    return re.sub(r"\s+", "", text)


# Elements whose text is one block: a paragraph, a heading, a list item, a table cell.
BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "caption",
                    "figcaption", "pre", "blockquote", "div", "tr", "table", "ol", "ul", "dl"})


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self.current: list[str] = []

    def flush(self) -> None:
        text = "".join(self.current).strip()
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in BLOCKS or tag == "br":
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        self.current.append(data)


def text_blocks(html: str) -> list[str]:
    """The text of each block of rendered HTML (paragraph, heading, list item, table cell), in order."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.blocks


def missing_blocks(pdf_text: str, blocks: list[str]) -> list[str]:
    """The blocks not found, in order, in the PDF's text (whitespace aside). A print layout adds text
    between blocks (list numbers, a table header repeated on the next page, running heads) but must
    neither change nor reorder the text of a block."""
    text, position, missing = normalise(pdf_text), 0, []
    for block in blocks:
        found = text.find(normalise(block), position)
        if found < 0:
            missing.append(block)
        else:
            position = found + len(normalise(block))
    return missing


LIST_NUMBER = re.compile(rf"^\s*{DIGIT}+\.\s*", re.MULTILINE)


def strip_list_numbers(text: str) -> str:
    """Text without the numbers an ordered list prints at the start of its items' lines."""
    return LIST_NUMBER.sub("", text)


def arabic(number: str) -> int:
    return int(to_arabic(number))


def folio(page_text: str) -> int | None:
    """The printed page number (— 1 —, or — ༡ — in Tibetan digits) of a page, if it has one."""
    found = FOLIO.findall(page_text)
    return arabic(found[-1]) if found else None


@dataclass(frozen=True)
class FontInfo:
    name: str
    type: str
    embedded: bool
    subset: bool
    unicode: bool


def fonts(path: Path) -> list[FontInfo]:
    """pdffonts' table: every font the PDF uses."""
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    result = []
    for line in out.splitlines()[2:]:
        # name, type (may contain spaces), encoding, emb, sub, uni, object, id
        parts = line.split()
        emb, sub, uni = parts[-5:-2]
        result.append(FontInfo(parts[0], " ".join(parts[1:-6]), emb == "yes", sub == "yes", uni == "yes"))
    return result


@dataclass(frozen=True)
class Bookmark:
    level: int
    title: str
    page: int  # 1-based


def bookmarks(path: Path) -> list[Bookmark]:
    reader = PdfReader(path)
    result: list[Bookmark] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                result.append(Bookmark(level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return result


def metadata(path: Path) -> dict[str, str]:
    reader = PdfReader(path)
    info = {key.lstrip("/"): str(value) for key, value in (reader.metadata or {}).items()}
    lang = reader.trailer["/Root"].get("/Lang")
    if lang is not None:
        info["Lang"] = str(lang)
    return info


def running_head(path: Path, page: int) -> str:
    """The text above the text block of one page: its running head (书眉)."""
    return _pdftotext(path, "-f", str(page), "-l", str(page), "-x", "0", "-y", "0", "-W", "1000",
                      "-H", str(round((TEXT_BLOCK_TOP - 1) * MM)))


def archive_conformance(path: Path) -> tuple[str, str]:
    """The PDF/A part and conformance level the file's XMP metadata declares, e.g. ("3", "B")."""
    root = PdfReader(path).trailer["/Root"]
    if "/Metadata" not in root or "/OutputIntents" not in root:
        return "", ""
    xmp = root["/Metadata"].get_object().get_data().decode()
    part = re.search(r'pdfaid:part="?(\d)', xmp)
    conformance = re.search(r'pdfaid:conformance="?([ABU])', xmp)
    return (part[1] if part else "", conformance[1] if conformance else "")
