"""An incremental check: the findings of per-unit rules kept between builds for units whose bytes did not
change; rules across units run over the whole corpus every time.

A **unit** is what a per-unit rule judges together: a document group (the original and its translations), a
page or a gazette issue. Its key hashes its files (paths and bytes) and the **global inputs** every rule
may read: the registry's files, the settings the rules read, the fonts' identity (the glyph rule), this
package's code and the day the check judges by. A unit whose key is in the cache is not given to the
per-unit rules again; their findings about it come from the cache.

Only public units are kept (主动公开 documents, published pages, published issues): the findings about a
withheld, on-request, draft or secret item, and the requests register, may quote what must never be kept
under the output, so they are judged again on every check (a few per cent of an archive). A unit with a
finding of the input limits, which run first and may empty a body, is never kept either.

`tests/test_check_incremental.py` compares an incremental check with a full one after random edits.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from ..findings import Finding, Level
from ..frontmatter import Source
from ..model import Corpus
from ..visibility import Visibility, issue_is_public, page_visibility
from .common import public_documents
from .rules import ACROSS, CheckContext, Rule, first_rules

CACHE_NAME = "check.sqlite"
SCHEMA = 1


def global_key(corpus: Corpus, context: CheckContext) -> str:
    """What every rule may read beyond its unit."""
    from ..config import GazetteConfig
    from ..fonts import CJK_FONTS, TIBETAN_FONT, FontsMissing, _cache_file

    digest = hashlib.blake2b(digest_size=32)
    digest.update(f"schema {SCHEMA}\0today {context.today.isoformat()}\0".encode())
    for name, source in sorted(corpus.registry.sources.items()):
        digest.update(f"registry {name} {source.path}\0".encode() + source.raw + b"\0")
    digest.update(json.dumps({k: v for k, v in context.settings.items() if k.startswith("GAZETTE_")},
                             sort_keys=True, default=repr).encode())
    try:
        fonts = GazetteConfig.from_settings(context.settings).fonts
        paths = [fonts / name for name in (TIBETAN_FONT, *CJK_FONTS)]
        digest.update(_cache_file(fonts, paths).name.encode() if all(p.is_file() for p in paths) else b"no fonts")
    except (FontsMissing, Exception):  # the glyph rule reports missing fonts or settings itself
        digest.update(b"fonts unknown")
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class _Unit:
    __slots__ = ("kind", "name", "sources", "key")

    def __init__(self, kind: str, name: str, sources: list[Source], base: str) -> None:
        self.kind, self.name, self.sources = kind, name, sources
        digest = hashlib.blake2b(base.encode(), digest_size=32)
        for source in sources:
            digest.update(b"\0" + source.path.encode() + b"\0" + source.raw)
        self.key = digest.hexdigest()


def _public_units(corpus: Corpus, context: CheckContext, base: str) -> Iterator[_Unit]:
    """The units whose findings may be kept: public documents, pages and issues."""
    visibility = public_documents(corpus, context)  # worked out once a check, for the rules too
    for slug, doc in corpus.documents.items():
        if visibility[slug] is Visibility.FULL:
            yield _Unit("document", slug, [doc.source, *(t.source for t in doc.translations.values())], base)
    for key, page in corpus.pages.items():
        if page_visibility(page) is Visibility.FULL:
            yield _Unit("page", "/".join(key), [page.source], base)
    for index, issue in enumerate(corpus.issues):
        if issue_is_public(issue):
            yield _Unit("issue", str(index), [issue.source], base)


def _only(corpus: Corpus, units: list[_Unit], kept: set[str]) -> Corpus:
    """The corpus without the units in `kept`: what the per-unit rules must judge this time."""
    skip_docs = {u.name for u in units if u.kind == "document" and u.key in kept}
    skip_pages = {u.name for u in units if u.kind == "page" and u.key in kept}
    skip_issues = {int(u.name) for u in units if u.kind == "issue" and u.key in kept}
    return Corpus(
        root=corpus.root, registry=corpus.registry,
        documents={s: d for s, d in corpus.documents.items() if s not in skip_docs},
        issues=[i for n, i in enumerate(corpus.issues) if n not in skip_issues],
        pages={k: p for k, p in corpus.pages.items() if "/".join(k) not in skip_pages},
        orphans=corpus.orphans, duplicates=corpus.duplicates, files=corpus.files,
        requests=corpus.requests, figures=corpus.figures)


def _encode(findings: list[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], ensure_ascii=False)


def _decode(data: str) -> list[Finding]:
    return [Finding(**{**item, "level": Level(item["level"])}) for item in json.loads(data)]


def run_incrementally(corpus: Corpus, context: CheckContext, rules: list[Rule], cache: Path,
                      run: Any, refused: bool = False) -> list[Finding]:
    """The findings of `rules` over `corpus`, per-unit findings of unchanged public units from `cache`
    (a folder). `run(rules, corpus, context)` runs rules and turns a failing rule into a finding."""
    first = [r for r in rules if r in first_rules()]
    findings = list(run(first, corpus, context))
    limited = {f.path for f in findings}
    base = global_key(corpus, context)
    units = [u for u in _public_units(corpus, context, base) if not any(s.path in limited for s in u.sources)]
    stored: dict[str, str] = {}
    if (cache / CACHE_NAME).is_file():
        with closing(sqlite3.connect(cache / CACHE_NAME)) as db:
            stored = dict(db.execute("SELECT key, findings FROM unit"))
    kept = {u.key for u in units if u.key in stored}
    context.cache["units_kept"], context.cache["units_judged"] = len(kept), len(units) - len(kept)
    for unit in units:
        if unit.key in kept:
            findings.extend(_decode(stored[unit.key]))
    per_unit = [r for r in rules if r not in ACROSS]
    judged = list(run(per_unit, _only(corpus, units, kept), CheckContext(context.today, context.settings)))
    findings.extend(judged)
    findings.extend(run(_across_only(rules), corpus, context))
    if refused or any(f.is_error for f in findings):
        return findings  # a refused build changes nothing under its output, its caches included
    fresh = [u for u in units if u.key not in kept]
    owner = {s.path: u.key for u in fresh for s in u.sources}
    by_unit: dict[str, list[Finding]] = {u.key: [] for u in fresh}
    for finding in judged:
        if finding.path in owner:
            by_unit[owner[finding.path]].append(finding)
    used = {u.key for u in units}
    with closing(sqlite3.connect(cache / CACHE_NAME)) as db:
        db.execute("PRAGMA secure_delete = ON")
        db.execute("CREATE TABLE IF NOT EXISTS unit (key TEXT PRIMARY KEY, findings TEXT NOT NULL)")
        db.executemany("DELETE FROM unit WHERE key = ?", [(k,) for k in stored if k not in used])
        db.executemany("INSERT OR REPLACE INTO unit VALUES (?, ?)", [(k, _encode(v)) for k, v in by_unit.items()])
        db.commit()
    return findings


def _across_only(rules: list[Rule]) -> list[Rule]:
    """The rules across units, in their order, without the rules that run first."""
    first = first_rules()
    return [r for r in rules if r in ACROSS and r not in first]
