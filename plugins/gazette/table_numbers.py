"""Numbers in a body's tables: set right, with a real minus sign.

A column of a Markdown table whose cells hold only numbers (`28200`, `-3.1%`, `1,204.5`) gets
`class="num"` on its cells and its heading (the site sets them right-aligned, in figures of one width); a
number's hyphen-minus becomes the minus sign (U+2212), by `labels.signed_number`, in every cell. A column
the editor aligned (`|:--|`) keeps that alignment.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from .labels import is_number, signed_number


class TableNumbers(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            rows = [[c for c in row if c.tag in ("td", "th")] for row in table.iter("tr")]
            numeric: dict[int, bool] = {}
            for row in rows:
                for i, cell in enumerate(row):
                    text = (cell.text or "").strip()
                    if cell.tag == "td" and (text or len(cell)):
                        numeric[i] = numeric.get(i, True) and not len(cell) and is_number(text)
            for row in rows:
                for i, cell in enumerate(row):
                    if cell.tag == "td" and not len(cell) and cell.text:
                        cell.text = signed_number(cell.text)
                    if numeric.get(i) and not cell.get("align"):
                        cell.set("class", "num")


class TableNumbersExtension(Extension):
    def extendMarkdown(self, md: Any) -> None:
        # After the inline processors (20), when a cell's text is final; before the prettifier (10).
        md.treeprocessors.register(TableNumbers(md), "table_numbers", 15)
