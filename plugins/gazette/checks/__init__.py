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
from pathlib import Path
from typing import Any

from ..findings import Finding, error
from ..frontmatter_cache import FrontMatterCache
from ..loader import load_corpus
from ..model import Corpus
from .common import public_documents
from .rules import CheckContext, Rule, beijing_today, ordered_rules

__all__ = ["CheckContext", "check_content", "run_rules"]


def run_rules(corpus: Corpus, context: CheckContext, cache: Path | None = None,
              refused: bool = False) -> list[Finding]:
    """Every rule over the corpus. With `cache` (an existing folder: the build's), the findings of the
    per-unit rules about unchanged public units come from it (`incremental.py`); `refused`: reading already
    found an error, so the cache is only read."""
    _load_rule_modules()
    if cache is not None and cache.is_dir():
        import sqlite3

        from .incremental import run_incrementally

        try:
            return run_incrementally(corpus, context, ordered_rules(), cache, _run, refused)
        except (OSError, sqlite3.Error):
            pass  # an unwritable or damaged cache: the full check below
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
                  today: dt.date | None = None, cache: Path | None = None) -> tuple[Corpus, list[Finding]]:
    """Read and check the content folder. `today`: the day to judge dates by (default: today in Beijing;
    `--as-of` checks the content as it stood on another day). `cache`: see `run_rules`."""
    if settings is None:
        from ..settings import load_settings

        settings = load_settings(None, {"PATH": str(content.resolve())})
    kept = FrontMatterCache(cache) if cache is not None and cache.is_dir() else None
    corpus, findings = load_corpus(content, kept)
    context = CheckContext(today=today or beijing_today(), settings=settings)
    findings.extend(run_rules(corpus, context, cache, refused=any(f.is_error for f in findings)))
    if kept is not None and not any(f.is_error for f in findings):
        kept.commit_public(corpus, public_documents(corpus, context))  # a refused build changes nothing
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
