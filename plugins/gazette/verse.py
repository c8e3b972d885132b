"""Verse in a body: lines that begin with `| ` keep their breaks; a line that is only `|`, or a blank line,
ends a stanza. The syntax is Pandoc's line block, so a poem imported from Word arrives already written so.

    | 贡嘎雪山映朝晖，
    | 折多河水向东归。
    |
    | 牦牛踏过青草地，
    | 经幡迎风处处飞。

Each stanza becomes `<p class="verse">` with `<br>` between its lines (the site and the print set it
without the first-line indent of prose). A table (`| a | b |` with a `|---|` row) is left to the table
extension.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension
from markdown.blockprocessors import BlockProcessor

VERSE_LINE = re.compile(r"^\|(?: |$)")
TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


class VerseProcessor(BlockProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        lines = block.split("\n")
        return all(VERSE_LINE.match(line) for line in lines) and not any(TABLE_RULE.match(line) for line in lines)

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        stanza: list[str] = []
        for line in [*blocks.pop(0).split("\n"), "|"]:
            text = line[2:] if line.startswith("| ") else ""
            if text.strip():
                stanza.append(text.rstrip())
            elif stanza:
                p = etree.SubElement(parent, "p")
                p.set("class", "verse")
                p.text = "  \n".join(stanza)  # Markdown's hard line break, so each line keeps its inline markup
                stanza = []


class VerseExtension(Extension):
    def extendMarkdown(self, md: Any) -> None:
        # Before the table processor (75), which would otherwise take a one-column run of `|` lines.
        md.parser.blockprocessors.register(VerseProcessor(md.parser), "verse", 80)
