"""The editors' checks. Each rule family is a module; each rule is a function registered with `@rule`
(`rules.py`).

A rule takes the whole corpus and the check context and yields findings. Adding a rule touches one
module: write the function, decorate it, document its code in docs/checks.md. A rule whose findings about one
unit (a document with its translations, a page, an issue) depend on another unit is registered with
`@rule(across=True)`; otherwise an incremental check keeps its findings while the unit is unchanged
(`incremental.py`), and `tests/test_check_incremental.py` is the test that says when that is wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..findings import Finding, error
from ..loader import load_corpus
from ..model import Corpus
from .rules import CheckContext, Rule, beijing_today, ordered_rules

__all__ = ["CheckContext", "check_content", "run_rules"]


def run_rules(corpus: Corpus, context: CheckContext) -> list[Finding]:
    """Every rule over the corpus."""
    _load_rule_modules()
    return _run(ordered_rules(), corpus, context)


def _run(rules: list[Rule], corpus: Corpus, context: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    for check in rules:
        try:
            findings.extend(check(corpus, context))
        except Exception as exc:  # a bug in a rule must not hide the other findings, nor let a build pass
            name = getattr(check, "__name__", "rule")
            findings.append(error(
                "CHECK-INTERNAL", "", 0, "", f"检查规则 {name} 出错：{exc!r}", f"the rule {name} failed: "
                                                                        f"{exc!r}",
                "请把这条信息报告给系统维护人员", "report this message to the maintainers"))
    return findings


def check_content(content: Path, settings: dict[str, Any] | None = None,
                  today: dt.date | None = None, cache: Path | None = None,
                  digests: Mapping[str, str] | None = None) -> tuple[Corpus, list[Finding]]:
    """Read and check the content folder. `today`: the day to judge dates by (default: today in Beijing;
    `--as-of` checks the content as it stood on another day). `cache` (the build's cache folder, made by the
    first check that finds no error): read and judge again only what changed since the last check that
    found no error (`incremental.py`); `digests`: every content file's digest, where the caller has made them."""
    if settings is None:
        from ..settings import load_settings

        settings = load_settings(None, {"PATH": str(content.resolve())})
    context = CheckContext(today=today or beijing_today(), settings=settings)
    if cache is not None:
        import sqlite3

        from .incremental import check_incrementally

        _load_rule_modules()
        try:
            corpus, findings = check_incrementally(content, context, cache, ordered_rules(), _run, digests)
            return corpus, sorted(set(findings), key=Finding.sort_key)
        except (OSError, sqlite3.Error):
            pass  # an unwritable or damaged cache: the full check below
    corpus, findings = load_corpus(content)
    findings.extend(run_rules(corpus, context))
    return corpus, sorted(set(findings), key=Finding.sort_key)


def _load_rule_modules() -> None:
    # Importing a family module registers its rules, in this order.
    from . import (  # noqa: F401
        annual,
        dates,
        disclosure,
        fields,
        fonts,
        gazette_issues,
        html,
        limits,
        links,
        numbers,
        official,
        personal_data,
        placeholders,
        registry_refs,
        requests,
        review,
        secrecy,
        text,
        tibetan,
        translations,
    )
