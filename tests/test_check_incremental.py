"""The incremental check (`checks/incremental.py`) finds exactly what a full check finds, after random
edits, additions, deletions and registry changes, while judging again only the units that changed."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
from pathlib import Path

import pytest
from factory import ContentFactory
from gazette.checks import CheckContext, run_rules
from gazette.checks.common import public_documents
from gazette.frontmatter_cache import FrontMatterCache
from gazette.loader import load_corpus
from gazette.settings import load_settings
from site_corpus import build_site_corpus

TODAY = dt.date(2026, 11, 22)


def _readings(corpus) -> dict[str, tuple]:
    """Every document source's metadata, with the types of its values, and key lines."""
    def typed(value):
        if isinstance(value, dict):
            return tuple((typed(k), typed(v)) for k, v in value.items())
        if isinstance(value, list):
            return ("list", *map(typed, value))
        return (type(value).__name__, value)

    sources = [s for d in corpus.documents.values() for s in (d.source, *(t.source for t in d.translations.values()))]
    return {s.path: (typed(s.meta), s.lines, s.body, s.body_line) for s in sources}


def _check(root: Path, settings: dict, cache: Path | None) -> tuple[list[tuple], CheckContext]:
    kept = FrontMatterCache(cache) if cache is not None else None
    corpus, findings = load_corpus(root, kept)
    if cache is not None:  # the front matter kept by earlier checks reads as a fresh parse does
        assert _readings(corpus) == _readings(load_corpus(root)[0])
    context = CheckContext(today=TODAY, settings=settings)
    findings.extend(run_rules(corpus, context, cache))
    if kept is not None and not any(f.is_error for f in findings):
        kept.commit_public(corpus, public_documents(corpus, context))
    return sorted({(f.path, f.line, f.code, f.level.value, f.field, f.zh, f.en) for f in findings}), context


def _documents(root: Path) -> list[Path]:
    return sorted((root / "documents").rglob("*.md"))


def _edit(path: Path, pattern: str, replacement: str) -> None:
    if path.exists():
        path.write_text(re.sub(pattern, replacement, path.read_text(encoding="utf-8"), count=1), encoding="utf-8")


def _mutate(content: ContentFactory, rng: random.Random, round_: int) -> str:
    docs = _documents(content.root)
    target = rng.choice(docs) if docs else None
    kind = rng.choice(["punctuation", "duplicate-number", "withdraw", "publish", "delete", "link", "no-title",
                       "secret", "new", "registry", "issue", "future", "translation", "touch", "replaced",
                       "interprets", "page", "attachment"])
    if target is None or kind == "new":
        content.document(f"new-{round_}", body=f"第{round_}号新文件正文。",
                         doc_number=rng.choice([None, "甘府发〔2026〕3号", f"甘府发〔2026〕{50 + round_}号"]))
    elif kind == "punctuation":
        target.write_text(target.read_text(encoding="utf-8") + "\n测试,文本.\n", encoding="utf-8")
    elif kind == "duplicate-number":
        _edit(target, r"(?m)^slug:", "doc_number: 甘府发〔2026〕3号\nslug:")
    elif kind == "withdraw":
        _edit(target, "disclosure: 主动公开", "disclosure: 依申请公开")
    elif kind == "publish":
        _edit(target, "disclosure: 依申请公开", "disclosure: 主动公开")
    elif kind == "delete":
        target.unlink()
    elif kind == "link":
        other = rng.choice(docs).relative_to(content.root).as_posix()
        target.write_text(target.read_text(encoding="utf-8") + f"\n见[相关文件]({{filename}}/{other})。\n",
                          encoding="utf-8")
    elif kind == "no-title":
        _edit(target, r"(?m)^title: .*$", "title: ''")
    elif kind == "secret":
        _edit(target, "secrecy: 非涉密", "secrecy: 秘密")
    elif kind == "registry":
        registry = content.root / "registry" / "agencies.yml"
        registry.write_text(registry.read_text(encoding="utf-8") + f"\n# {round_}\n", encoding="utf-8")
    elif kind == "issue":
        slugs = [p.name.split(".")[0] for p in docs if p.name.endswith(".zh.md")]
        content.issue(2026, 3, [{"section": "prefecture-documents", "items": rng.sample(slugs, min(2, len(slugs)))}],
                      date="2026-03-28", total=40)
    elif kind == "future":
        _edit(target, r"(?m)^published: .*$", "published: '2027-01-04'")
    elif kind in ("replaced", "interprets"):
        other = rng.choice(docs).name.split(".")[0]
        field = "replaced_by" if kind == "replaced" else "interprets"
        extra = "validity: 失效\n" if kind == "replaced" else ""
        _edit(target, r"(?m)^slug:", f"{field}: {other}\n{extra}slug:")
    elif kind == "page":
        content.page("guide", rng.choice(["zh", "bo"]), "政府信息公开指南",
                     f"指南正文{round_}，电话 0836-2822{round_:03d}。\n")
    elif kind == "attachment":
        for file in sorted((content.root / "attachments").rglob("*.csv"))[:1]:
            file.unlink()
    elif kind == "translation":
        zh = [p for p in docs if p.name.endswith(".zh.md")]
        slug = rng.choice(zh).name.split(".")[0]
        content.translation(slug, year=rng.choice(zh).parent.name, body=f"ཡིག་ཆ།{round_} abc\n")
    return kind


# More seeds and rounds: GAZETTE_CHECK_SEEDS=40 (each seed is 10 rounds of random edits).
SEEDS = range(1, 1 + int(os.environ.get("GAZETTE_CHECK_SEEDS", "1")))


@pytest.mark.parametrize("seed", SEEDS)
def test_an_incremental_check_equals_a_full_one_after_random_edits(tmp_path: Path, seed: int) -> None:
    content = ContentFactory(tmp_path / "content")
    build_site_corpus(content)
    settings = load_settings(None, {"PATH": str(content.root)})
    cache = tmp_path / "cache"
    cache.mkdir()
    rng = random.Random(seed)
    kept_total, edits = 0, ["start"]
    for round_ in range(10):
        full, _ = _check(content.root, settings, None)
        incremental, context = _check(content.root, settings, cache)
        assert incremental == full, edits
        kept_total += context.cache.get("units_kept", 0)
        edits.append(_mutate(content, rng, round_))
    assert kept_total > 0  # units were taken from the cache, not judged again


def test_only_public_units_are_kept(tmp_path: Path) -> None:
    import sqlite3

    content = ContentFactory(tmp_path / "content")
    build_site_corpus(content)
    settings = load_settings(None, {"PATH": str(content.root)})
    cache = tmp_path / "cache"
    cache.mkdir()
    _check(content.root, settings, cache)
    _, context = _check(content.root, settings, cache)
    assert context.cache["units_judged"] == 0
    stored = b"".join(row[0].encode() for row in sqlite3.connect(cache / "check.sqlite").execute(
        "SELECT findings FROM unit"))
    for canary in (b"zqxwithheld", b"zqxrequest", b"zqxdraft"):
        assert canary not in stored
    for name in ("check.sqlite", "frontmatter.sqlite"):
        kept = (cache / name).read_bytes()
        for canary in (b"zqxwithheld", b"zqxrequest", b"zqxdraft"):
            assert canary not in kept, name
