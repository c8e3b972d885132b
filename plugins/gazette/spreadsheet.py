"""Cells of the CSV files people open in a spreadsheet (the open data, the reports).

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel, WPS and
LibreOffice as a formula: a title written `=HYPERLINK(…)` would run on the desk of whoever opens the open
data. Such a cell is written with a leading apostrophe, as OWASP's "CSV injection" advice says: the
spreadsheet shows the text, and the JSON beside the CSV keeps the value as written.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value`, or a text that would start a formula with an apostrophe before it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
