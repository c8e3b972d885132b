"""Lifting the parts of a 公文 out of pandoc's tree into fields, and shaping what remains into the body.

GB/T 9704-2012 puts the parts in a fixed order, and that order is what is read here:

    份号 · 密级 · 紧急程度            (above the masthead; a secret mark refuses the import)
    发文机关标志 (…文件)             (the masthead: not kept, the site and the print set their own)
    发文字号 [签发人]                → doc_number
    标题 (large, centred lines)       → title
    主送机关：                        → addressee
    正文 (一、（一）1.（1）)          → the body, headings ## ### #### #####
    附件：1．… 2．…                   → attachments (matched with the files given by --attach)
    发文机关署名 (one line a body)    → signature (a list for a joint document)
    成文日期                          → signed
    （附注）                          → note
    [an embedded document: its centred title → #, then its text]
    抄送：…，…。                      → cc
    印发机关　印发日期印发            → printed

Each part is recognised by its form (patterns.py) and, for the title, by the layout Word gives it
(layout.py): pandoc's tree says nothing of centring or size.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from . import patterns as P
from .layout import Layout, Paragraph

Block = dict[str, Any]
Inline = dict[str, Any]
MAX_TITLE_LINES = 6
MAX_SIGNATURE_LINES = 6


def stringify(inlines: list[Inline]) -> str:
    out: list[str] = []
    for node in inlines:
        kind, c = node.get("t"), node.get("c")
        if kind == "Str":
            out.append(c)
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind == "LineBreak":
            out.append("\n")
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            out.append(stringify(c))
        elif kind in ("Span", "Link", "Quoted", "Cite"):
            out.append(stringify(c[1] if kind != "Cite" else c[1]))
        elif kind in ("Code", "Math"):
            out.append(c[1])
    return "".join(out)


def _segments(inlines: list[Inline]) -> list[list[Inline]]:
    """A paragraph's lines: Word's manual line breaks (Shift+Enter) split it as paragraphs would."""
    parts: list[list[Inline]] = [[]]
    for node in inlines:
        if node.get("t") == "LineBreak":
            parts.append([])
        else:
            parts[-1].append(node)
    return parts


def _flatten(blocks: list[Block]) -> list[Block]:
    """pandoc sets a paragraph indented from the left as a block quotation; a 公文 has none (its indents are
    layout), so their paragraphs rejoin the body."""
    out: list[Block] = []
    for block in blocks:
        if block.get("t") == "BlockQuote":
            out.extend(_flatten(block["c"]))
        elif block.get("t") == "Div":
            out.extend(_flatten(block["c"][1]))
        else:
            out.append(block)
    return out


@dataclass
class Line:
    block: int
    part: int
    text: str  # without the spaces Word users pad with at either end
    info: Paragraph | None


@dataclass
class Lifted:
    """What was found, with the words the import reports it in."""

    title: str = ""
    title_guessed: bool = False
    doc_number: str = ""
    doc_number_written: str = ""
    doc_year: int = 0
    doc_serial: int = 0
    addressee: str = ""
    signature: list[str] = field(default_factory=list)
    signed: dt.date | None = None
    signed_written: str = ""
    note: str = ""
    attachment_titles: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    printed_by: str = ""
    printed_date: dt.date | None = None
    masthead: list[str] = field(default_factory=list)
    secret_mark: str = ""
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)
    blocks: list[Block] = field(default_factory=list)  # the body


class Lifter:
    def __init__(self, tree: dict[str, Any], layout: Layout, lang: str, names: frozenset[str] = frozenset()) -> None:
        """`names`: the registered bodies' names in the file's language (Tibetan signatures are found by them)."""
        self.layout = layout
        self.lang = lang
        self.names = names
        self.blocks = _flatten(tree.get("blocks", []))
        self.meta = tree.get("meta", {})
        self.lines: list[Line] = []
        self.removed: set[tuple[int, int]] = set()
        self.replaced: dict[int, Block] = {}
        self.out = Lifted()
        self._index()

    # -- the lines, with Word's layout where it can be matched -------------------------------------------

    def _index(self) -> None:
        infos = self.layout.paragraphs
        cursor = 0
        for i, block in enumerate(self.blocks):
            kind = block.get("t")
            if kind not in ("Para", "Plain", "Header"):
                self.lines.append(Line(i, -1, "", None))  # a table, a list…: a boundary, never lifted
                continue
            inlines = block["c"][2] if kind == "Header" else block["c"]
            whole = P.squeeze(stringify(inlines).replace("\n", ""))
            info = None
            # pandoc drops empty paragraphs and those of list items sit in lists: look a little ahead.
            for j in range(cursor, min(cursor + 40, len(infos))):
                if P.squeeze(infos[j].text.replace("\n", "")) == whole:
                    info, cursor = infos[j], j + 1
                    break
            segments = _segments(inlines) if kind != "Header" else [inlines]
            for k, segment in enumerate(segments):
                text = stringify(segment).strip(P.SPACES)
                if text:
                    self.lines.append(Line(i, k, text, info))
                elif any(n.get("t") == "Image" for n in segment):
                    self.lines.append(Line(i, -1, "", None))

    def _text_lines(self, start: int, stop: int) -> list[int]:
        return [n for n in range(start, stop) if self.lines[n].part >= 0]

    def _remove(self, n: int) -> None:
        line = self.lines[n]
        self.removed.add((line.block, line.part))

    def _unplaced(self, zh: str, en: str) -> None:
        self.out.unplaced.append((zh, en))

    def _titleish(self, line: Line) -> bool:
        return line.info is not None and (line.info.centred or self.layout.is_large(line.info))

    # -- the parts -------------------------------------------------------------------------------------

    def run(self) -> Lifted:
        pos = self._head()
        pos = self._title(pos)
        pos = self._addressee(pos)
        end = self._record(len(self.lines))
        rest = self._closing(pos, end)
        self._shape(rest, end)
        return self.out

    def _head(self) -> int:
        """份号, 密级, 紧急程度, the masthead and the document number; returns where the title may start."""
        texts = self._text_lines(0, len(self.lines))
        pos = 0
        for n in texts[:4]:
            text = P.squeeze(self.lines[n].text)
            if P.SECRET_MARK.match(text):
                self.out.secret_mark = text
                return pos
            if not (P.COPY_NUMBER.match(text) or P.URGENCY.match(text)):
                break
            self._remove(n)
            self._unplaced(f"版头标注“{text}”（份号或紧急程度）未保留", f"the mark '{text}' (copy number or "
                           "urgency) above the masthead is not kept")
            pos = n + 1
        # The number stands under the masthead (a few short lines), before the title and the addressee.
        candidates = [n for n in texts if n >= pos][:8]
        for k, n in enumerate(candidates):
            text = self.lines[n].text
            if text.endswith(("：", ":")) or len(text) > 60:
                break
            head = P.SIGNER.split(text)[0]
            found = P.find_doc_number(head)
            order = P.ORDER_SERIAL.match(P.squeeze(text))
            above = [P.squeeze(self.lines[m].text) for m in candidates[:k]]
            if found and len(P.squeeze(head)) <= 30:
                self.out.doc_number, self.out.doc_year, self.out.doc_serial = found
            elif order and above and above[-1].endswith("令"):  # 命令: <body>令 / 第3号
                self.out.doc_number = f"{above[-1]}第{int(order['num'])}号"
                self.out.doc_serial = int(order["num"])
            else:
                continue
            if any(len(t) > 40 for t in above):
                break  # what stands above is text, not a masthead: this number is quoted in the text
            self.out.doc_number_written = P.squeeze(head)
            self.out.masthead = above
            if P.SIGNER.search(text):
                self._unplaced("签发人未保留（不是公开发布的要素）", "the signer (签发人) is not kept: it is not one "
                               "of the published parts")
            for m in candidates[:k + 1]:
                self._remove(m)
            return n + 1
        # No number: the masthead is the lines ending in 文件 (or 令) at the very top.
        for n in [m for m in texts if m >= pos][:3]:
            text = P.squeeze(self.lines[n].text)
            if not (text.endswith(("文件", "令")) and len(text) <= 40 and self._titleish(self.lines[n])):
                break
            self.out.masthead.append(text)
            self._remove(n)
            pos = n + 1
        return pos

    def _title(self, pos: int) -> int:
        meta_title = self.meta.get("title")
        if isinstance(meta_title, dict) and meta_title.get("c"):
            # A paragraph in Word's Title style, which pandoc keeps as metadata rather than text.
            inlines = meta_title["c"] if meta_title.get("t") == "MetaInlines" else []
            self.out.title = self._join([stringify(inlines)])
            return pos
        taken: list[str] = []
        for n in self._text_lines(pos, len(self.lines)):
            line = self.lines[n]
            if (len(taken) >= MAX_TITLE_LINES or not self._titleish(line) or line.text.endswith(("：", ":"))
                    or P.parse_date(line.text)):
                break
            taken.append(line.text)
            self._remove(n)
            pos = n + 1
        if not taken:
            # No layout to go by (a file typed without formatting): the first line, if it reads as a title.
            first = self._text_lines(pos, len(self.lines))[:1]
            if first:
                text = self.lines[first[0]].text
                if not text.endswith(("：", ":")) and not re.search(r"[。；]", text) and len(text) <= 100:
                    taken.append(text)
                    self._remove(first[0])
                    pos = first[0] + 1
                    self.out.title_guessed = True
        self.out.title = self._join(taken)
        return pos

    def _join(self, lines: list[str]) -> str:
        # Chinese lines join without a space; Tibetan ones with one unless a line ends on a tsheg.
        if self.lang != "bo":
            return "".join(t.strip(P.SPACES) for t in lines)
        out = ""
        for text in lines:
            out += text if not out or out.endswith("་") else " " + text
        return out

    def _addressee(self, pos: int) -> int:
        """The line right after the title that ends with a colon; in Tibetan also one that ends with ལ།
        and holds no other shad (the outputs add the colon, or ལ།, themselves)."""
        first = self._text_lines(pos, len(self.lines))[:1]
        if not first:
            return pos
        text = self.lines[first[0]].text
        if text.endswith(("：", ":")) and "。" not in text and len(text) <= 120:
            addressee = text.rstrip("：:").strip(P.SPACES)
        elif self.lang == "bo" and text.endswith("ལ།") and text.count("།") == 1 and len(text) <= 200:
            addressee = text[:-2].rstrip("་ " + P.SPACES)
        else:
            return pos
        self.out.addressee = addressee
        self._remove(first[0])
        return first[0] + 1

    def _record(self, end: int) -> int:
        """The 版记 at the very end: 抄送 (on one line or a few) and the 印发 line; Word templates often set it
        as a table to get its rules. Returns where the body ends."""
        end = self._record_table(end)
        pending: list[int] = []  # lines under 抄送： that go on with its list
        for n in reversed(self._text_lines(0, end)):
            if any(self.lines[m].part < 0 for m in range(n + 1, end)):
                break  # a table or a picture after it: not the 版记
            text = self.lines[n].text.translate(P.DIGITS)
            cc = P.CC_LINE.match(P.squeeze(text))
            printed = P.PRINTED_LINE.match(text.strip())
            if cc:
                more = "，".join(P.squeeze(self.lines[m].text) for m in reversed(pending))
                self.out.cc = P.split_list(cc["list"] + ("，" + more if more else "")) + self.out.cc
                for m in pending:
                    self._remove(m)
                pending = []
            elif pending or not (printed and P.parse_date(printed["date"])):
                if P.squeeze(text).startswith(("抄报", "主题词")) and not pending:
                    self._unplaced(f"版记中的“{text[:30]}”未保留（只取抄送和印发）", f"'{text[:30]}' in the 版记 "
                                   "is not kept (only 抄送 and 印发 are)")
                elif len(pending) < 3 and len(text) <= 80 and not re.search(r"[。；：:]\S", text) and (
                        self.out.printed_by or self.out.cc):
                    pending.append(n)
                    continue
                else:
                    break
            else:
                self.out.printed_by = printed["by"].strip(P.SPACES)
                self.out.printed_date = P.parse_date(printed["date"])
            self._remove(n)
            end = n
        return end

    def _record_table(self, end: int) -> int:
        """A last block that is a table holding only 抄送 and 印发 lines is the 版记."""
        if not end or self.lines[end - 1].part >= 0:
            return end
        block = self.lines[end - 1].block
        tables = [i for i, b in enumerate(self.blocks) if b.get("t") == "Table"]
        if self.blocks[block].get("t") != "Table" or len(tables) != len(self.layout.tables):
            return end
        rows = self.layout.tables[tables.index(block)].rows
        texts = [t for row in rows for t in dict.fromkeys(row) if t.strip()]  # merged cells repeat
        cc: list[str] = []
        printed: tuple[str, Any] | None = None
        for text in (t.replace("\n", "").translate(P.DIGITS) for t in texts):
            m_cc, m_printed = P.CC_LINE.match(P.squeeze(text)), P.PRINTED_LINE.match(text.strip())
            if m_cc:
                cc += P.split_list(m_cc["list"])
            elif m_printed and P.parse_date(m_printed["date"]):
                printed = (m_printed["by"].strip(P.SPACES), P.parse_date(m_printed["date"]))
            else:
                return end
        self.out.cc = cc
        if printed:
            self.out.printed_by, self.out.printed_date = printed
        self.removed.add((block, -1))
        return end - 1

    def _signature_like(self, line: Line) -> bool:
        text = line.text
        if re.search(r"\d|[。，；：！？,;:!?]", text) or P.parse_date(text):
            return False
        if self.lang == "bo":
            # Tibetan sentences end with a shad like names do: a signature is set apart (right or centred)
            # or is a registered body's Tibetan name.
            aligned = line.info is not None and line.info.align in ("right", "end", "center")
            return len(text) <= 150 and (aligned or P.squeeze(text).rstrip("།་") in self.names)
        return (len(P.squeeze(text)) <= 40 and not P.heading_level(text) and not P.ATTACHMENT_HEAD.match(text)
                and not P.ATTACHMENT_ITEM.match(text) and not P.CLOSING.match(P.squeeze(text)))

    def _closing(self, pos: int, end: int) -> int:
        """附件说明, signature, date and note: the first line that is a date and nothing else is the 成文日期.
        Returns where what follows them (an embedded document) starts, or `end` when there is no date."""
        texts = self._text_lines(pos, end)
        date_at = next((n for n in texts if P.parse_date(self.lines[n].text)), None)
        if date_at is None:
            return end
        self.out.signed = P.parse_date(self.lines[date_at].text)
        self.out.signed_written = P.squeeze(self.lines[date_at].text)
        self._remove(date_at)
        before = [n for n in texts if n < date_at]
        signature: list[int] = []  # bottom up
        for n in reversed(before):
            if len(signature) >= MAX_SIGNATURE_LINES or not self._signature_like(self.lines[n]):
                break
            signature.append(n)
        for n in reversed(signature):
            # Two bodies on one line, set apart with spaces, are two signatures.
            names = re.split(r"[ \t\u3000\u00a0]{2,}", self.lines[n].text.strip(P.SPACES))
            self.out.signature.extend(name for name in names if name)
            self._remove(n)
        top = signature[-1] if signature else date_at
        # A picture standing alone between signature and date is the seal: not kept.
        for m in range(top, date_at):
            block = self.lines[m].block
            if self.lines[m].part < 0 and self.blocks[block].get("t") in ("Para", "Plain") and not any(
                    ln.block == block and ln.part >= 0 for ln in self.lines):
                self.removed.add((block, -1))
                self._unplaced("署名处的图片（印章）未保留", "the picture at the signature (the seal) is not kept")
        self._attachments([n for n in before if n < top])
        after = [n for n in texts if n > date_at]
        if not after:
            return end
        note = P.NOTE_LINE.match(P.squeeze(self.lines[after[0]].text))
        if not note:
            return after[0]
        self.out.note = note["note"]
        self._remove(after[0])
        return after[1] if len(after) > 1 else end

    def _attachments(self, before: list[int]) -> None:
        """附件说明: `附件：1．…` and the numbered lines under it, just above the signature."""
        block: list[int] = []
        for n in reversed(before):
            text = self.lines[n].text
            if P.ATTACHMENT_HEAD.match(text):
                block.append(n)
                break
            if not P.ATTACHMENT_ITEM.match(text) or len(block) >= 30:
                return
            block.append(n)
        else:
            return
        titles: list[str] = []
        for n in reversed(block):
            text = P.ATTACHMENT_HEAD.sub("", self.lines[n].text)
            text = P.ATTACHMENT_ITEM.sub("", text).strip(P.SPACES)
            if text:
                titles.append(text)
            self._remove(n)
        self.out.attachment_titles = titles

    # -- the body ----------------------------------------------------------------------------------------

    def _shape(self, rest: int, end: int) -> None:
        """The body's blocks: what was lifted left out, headings by their numbers, an embedded document's
        title as #, paragraphs without the spaces typed to indent them."""
        self._embedded_titles(rest, end)
        body: list[Block] = []
        for i, block in enumerate(self.blocks):
            if i in self.replaced:
                body.append(self.replaced[i])
            elif (i, -1) not in self.removed:
                shaped = self._shape_block(i, block)
                if shaped is not None:
                    body.append(shaped)
        self.out.blocks = body

    def _embedded_titles(self, rest: int, end: int) -> None:
        """After the date, runs of centred lines: the first run (or a large one, or one under an 附件 line) is
        the title of the document the notice issues or attaches (#); a centred 第一章 is a chapter (##)."""
        runs: list[list[int]] = []
        previous = -2
        for n in self._text_lines(rest, end):
            line = self.lines[n]
            whole = sum(1 for ln in self.lines if ln.block == line.block and ln.part >= 0) == 1
            if (line.block, line.part) in self.removed or not whole or not (line.info and line.info.centred):
                previous = -2
                continue
            if P.CHAPTER.match(P.squeeze(line.text)):
                self.replaced[line.block] = _header(2, line.text)
                previous = -2
                continue
            if previous == n - 1 and runs:
                runs[-1].append(n)
            else:
                runs.append([n])
            previous = n
        for k, run in enumerate(runs):
            above = self._text_lines(rest, run[0])[-1:]
            under_attachment = bool(above) and bool(re.match(r"^附\s*件\s*\d*$", P.squeeze(self.lines[above[0]].text)))
            large = any(self.layout.is_large(self.lines[n].info) for n in run if self.lines[n].info)
            if k == 0 or large or under_attachment:
                texts = [self.lines[n].text for n in run][:MAX_TITLE_LINES]
                self.replaced[self.lines[run[0]].block] = _header(1, self._join(texts))
                for n in run[1:]:
                    self.removed.add((self.lines[n].block, -1))

    def _shape_block(self, i: int, block: Block) -> Block | None:
        kind = block.get("t")
        if kind not in ("Para", "Plain", "Header"):
            return block
        inlines = block["c"][2] if kind == "Header" else block["c"]
        segments = _segments(inlines) if kind != "Header" else [inlines]
        kept = [s for k, s in enumerate(segments) if (i, k) not in self.removed]
        if not any(stringify(s).strip(P.SPACES) or any(n.get("t") == "Image" for n in s) for s in kept):
            return None
        if len(kept) == 1:
            text = stringify(kept[0]).strip(P.SPACES)
            level = P.heading_level(text)
            if level or kind == "Header":
                # Word's Heading 1 is not the page's h1 (that is an embedded document's title): one down.
                return _header(level or min(block["c"][0] + 1, 6), text)
        joined: list[Inline] = []
        for k, segment in enumerate(kept):
            if k:
                joined.append({"t": "LineBreak"})
            joined.extend(_lstrip(segment))
        return {"t": "Para", "c": joined}


def _header(level: int, text: str) -> Block:
    return {"t": "Header", "c": [level, ["", [], []], [{"t": "Str", "c": text.strip(P.SPACES)}]]}


def _lstrip(inlines: list[Inline]) -> list[Inline]:
    """Without the spaces typed at a paragraph's start to indent it (the site indents paragraphs itself)."""
    out = list(inlines)
    while out:
        head = out[0]
        if head.get("t") in ("Space", "SoftBreak"):
            out.pop(0)
        elif head.get("t") == "Str" and head["c"].lstrip(P.SPACES) != head["c"]:
            stripped = head["c"].lstrip(P.SPACES)
            if stripped:
                out[0] = {"t": "Str", "c": stripped}
                break
            out.pop(0)
        else:
            break
    return out
