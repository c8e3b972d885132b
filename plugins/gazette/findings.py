"""Findings: what a check says about the content, in Chinese and English, with where and how to fix it."""

from __future__ import annotations

import json
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
