"""The editors' checks. Each rule family is a module; each rule is a function registered with `@rule`.

A rule takes the whole corpus and the check context and yields findings. Adding a rule touches one
module: write the function, decorate it, document its code in docs/checks.md.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..findings import Finding
from ..loader import load_corpus
from ..model import Corpus


@dataclass
class CheckContext:
    """What rules may need beyond the corpus: today's date in Beijing, and the settings."""

    today: dt.date
    settings: dict[str, Any] = field(default_factory=dict)


Rule = Callable[[Corpus, CheckContext], Iterable[Finding]]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def beijing_today() -> dt.date:
    """Today in Beijing; GAZETTE_TODAY=YYYY-MM-DD pins it (tests, rebuilding an old state)."""
    pinned = os.environ.get("GAZETTE_TODAY")
    if pinned:
        return dt.date.fromisoformat(pinned)
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def run_rules(corpus: Corpus, context: CheckContext) -> list[Finding]:
    _load_rule_modules()
    findings: list[Finding] = []
    for check in RULES:
        findings.extend(check(corpus, context))
    return findings


def check_content(content: Path, settings: dict[str, Any] | None = None) -> tuple[Corpus, list[Finding]]:
    corpus, findings = load_corpus(content)
    context = CheckContext(today=beijing_today(), settings=settings or {})
    findings.extend(run_rules(corpus, context))
    return corpus, sorted(set(findings), key=Finding.sort_key)


def _load_rule_modules() -> None:
    # Importing a family module registers its rules.
    from . import documents, secrecy  # noqa: F401
