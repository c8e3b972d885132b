"""Findings: what a check says about the content, in Chinese and English, with where and how to fix it."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem in one file. `fix_zh`/`fix_en` say what to write instead."""

    code: str
    level: Level
    path: str
    line: int
    field: str
    zh: str
    en: str
    fix_zh: str = ""
    fix_en: str = ""

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR

    def message_zh(self) -> str:
        return f"{self.zh}；{self.fix_zh}" if self.fix_zh else self.zh

    def message_en(self) -> str:
        return f"{self.en}; {self.fix_en}" if self.fix_en else self.en

    def as_text(self) -> str:
        where = f"[{self.field}] " if self.field else ""
        return (
            f"{self.path}:{self.line}: {self.code} {self.level.value}: "
            f"{where}{self.message_zh()} / {self.message_en()}"
        )

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["level"] = self.level.value
        return data

    def sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.line, self.code)


def error(code: str, path: str, line: int, field: str, zh: str, en: str, fix_zh: str = "",
          fix_en: str = "") -> Finding:
    return Finding(code, Level.ERROR, path, line, field, zh, en, fix_zh, fix_en)


def warning(code: str, path: str, line: int, field: str, zh: str, en: str, fix_zh: str = "",
            fix_en: str = "") -> Finding:
    return Finding(code, Level.WARNING, path, line, field, zh, en, fix_zh, fix_en)


def format_findings(findings: list[Finding], fmt: str = "text") -> str:
    ordered = sorted(findings, key=Finding.sort_key)
    if fmt == "json":
        return "\n".join(json.dumps(f.as_dict(), ensure_ascii=False) for f in ordered)
    return "\n".join(f.as_text() for f in ordered)


def count(findings: list[Finding]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.is_error)
    return errors, len(findings) - errors


# How many warnings `gazette build` lists before it only counts them.
WARNINGS_SHOWN = 10


def format_summary(findings: list[Finding], shown: int = WARNINGS_SHOWN) -> str:
    """What `gazette build` prints: every error in full (they stop the build and must all be fixed), then
    the warnings: all of them when there are no more than `shown`, otherwise their count by code and the
    first `shown`, with where to see the rest. A corpus of thousands of documents can carry thousands of
    warnings; listing them all on every build buries the line that matters."""
    ordered = sorted(findings, key=Finding.sort_key)
    errors = [f for f in ordered if f.is_error]
    warnings = [f for f in ordered if not f.is_error]
    lines = [f.as_text() for f in errors]
    if len(warnings) <= shown:
        return "\n".join(lines + [f.as_text() for f in warnings])
    by_code = Counter(f.code for f in warnings)
    codes = ", ".join(f"{code} {n}" for code, n in sorted(by_code.items(), key=lambda item: (-item[1], item[0])))
    lines.append(f"{len(warnings)} 个警告 / {len(warnings)} warnings: {codes}")
    lines += [f.as_text() for f in warnings[:shown]]
    rest = len(warnings) - shown
    lines.append(f"……另有 {rest} 个警告未列出；全部列出：gazette check 或 gazette build --verbose / "
                 f"{rest} more warnings not shown: `gazette check` or `gazette build --verbose` lists them all")
    return "\n".join(lines)
