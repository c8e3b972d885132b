"""Reading PDFs back, as a reader or a print shop would: page count, text per page (pdftotext), the text
block alone (without running heads and page numbers), where each line stands and where rules are drawn,
fonts (pdffonts), bookmarks and metadata (pypdf).
Only the tests use these, never a build: pypdf comes with the `test` extra and poppler-utils with
scripts/setup.sh."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from pypdf import PdfReader

from ..labels import DIGIT, to_arabic

MM = 72 / 25.4  # points per millimetre
# GB/T 9704's text block lies between 37 mm and 37 + 225 mm from the top; heads and folios are outside it.
TEXT_BLOCK_TOP, TEXT_BLOCK_HEIGHT = 37, 225
# It is 156 mm wide, 28 mm from the binding edge: left on a right-hand page (the first, and every odd one).
PAGE_WIDTH, TEXT_BLOCK_WIDTH, BINDING_MARGIN = 210, 156, 28
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


def text_block_edges(page: int) -> tuple[float, float]:
    """The left and right edge of the text block of one page (1-based), in points from the left."""
    left = BINDING_MARGIN if page % 2 else PAGE_WIDTH - BINDING_MARGIN - TEXT_BLOCK_WIDTH
    return left * MM, (left + TEXT_BLOCK_WIDTH) * MM


@dataclass(frozen=True)
class Line:
    """A line of text as printed, its box in points from the page's top left corner (x0, x1: the start
    and the end of its characters' advances)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def lines(path: Path, page: int) -> list[Line]:
    """The lines of one page (1-based), top to bottom: the words pdftotext finds, those whose middles lie
    within a few points of each other making one line (a page's lines are 20 points apart or more)."""
    out = _pdftotext(path, "-bbox", "-f", str(page), "-l", str(page))
    words = sorted((float(y0), float(x0), float(x1), float(y1), unescape(text))
                   for x0, y0, x1, y1, text in _WORD.findall(out))
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for word in words:
        if rows and abs((word[0] + word[3]) / 2 - (rows[-1][0][0] + rows[-1][0][3]) / 2) < 5:
            rows[-1].append(word)
        else:
            rows.append([word])
    result = []
    for row in rows:
        row.sort(key=lambda w: w[1])
        result.append(Line(" ".join(w[4] for w in row), row[0][1], min(w[0] for w in row), row[-1][2],
                           max(w[3] for w in row)))
    return result


@dataclass(frozen=True)
class Rule:
    """A horizontal rule across the text block: its top and bottom in points from the page's top."""

    y0: float
    y1: float

    @property
    def thickness(self) -> float:
        return self.y1 - self.y0


def rules(path: Path, page: int, dpi: int = 300) -> list[Rule]:
    """The horizontal rules of one page (1-based) that run across at least 95 % of the text block, top
    to bottom, found in the page drawn in grey at `dpi` (the 版记's rules, a table's borders)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", "-f", str(page), "-l",
                        str(page), str(path), f"{folder}/page"], check=True, capture_output=True)
        image = Image.open(f"{folder}/page.png").convert("L")
    scale = dpi / 72
    left, right = (round(edge * scale) for edge in text_block_edges(page))
    # each row of the text block averaged into 100 cells: a rule darkens them all, a line of text some
    cells = image.crop((left, 0, right, image.height)).resize((100, image.height), Image.Resampling.BOX)
    values = list(cells.tobytes())  # one byte a cell (mode L)
    found: list[Rule] = []
    previous = False
    for y in range(image.height):
        ruled = sum(1 for v in values[y * 100:(y + 1) * 100] if v < 160) >= 95
        if ruled and previous:
            found[-1] = Rule(found[-1].y0, (y + 1) / scale)
        elif ruled:
            found.append(Rule(y / scale, (y + 1) / scale))
        previous = ruled
    return found


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
