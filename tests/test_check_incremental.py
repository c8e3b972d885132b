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
from gazette import build_inputs
from gazette.checks import CheckContext, run_rules
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


def _check(root: Path, settings: dict, cache: Path | None,
           with_digests: bool = False) -> tuple[list[tuple], CheckContext]:
    """The findings of a full check (no cache) or an incremental one, and the context that says what the
    incremental check judged again."""
    context = CheckContext(today=TODAY, settings=settings)
    if cache is None:
        corpus, findings = load_corpus(root)
        findings.extend(run_rules(corpus, context))
    else:
        digests = build_inputs.compute(root, None, [], ["site"], "2026-11-22") if with_digests else None
        corpus, findings = check_incrementally(root, context, cache, digests.content if digests else None)
        # the front matter kept by earlier checks, and the files left unread, read as a fresh parse does
        assert _readings(corpus) == _readings(load_corpus(root)[0])
    return sorted({(f.path, f.line, f.code, f.level.value, f.field, f.zh, f.en) for f in findings}), context


def check_incrementally(root: Path, context: CheckContext, cache: Path, digests: dict[str, str] | None):
    from gazette.checks import _load_rule_modules, _run
    from gazette.checks.incremental import check_incrementally as run
    from gazette.checks.rules import ordered_rules

    _load_rule_modules()
    return run(root, context, cache, ordered_rules(), _run, digests)


def _documents(root: Path) -> list[Path]:
    return sorted((root / "documents").rglob("*.md"))


def _edit(path: Path, pattern: str, replacement: str) -> None:
    if path.exists():
        path.write_text(re.sub(pattern, replacement, path.read_text(encoding="utf-8"), count=1), encoding="utf-8")


def _slug(path: Path) -> str:
    return path.name.split(".")[0]


def _mutate(content: ContentFactory, rng: random.Random, round_: int, snapshot: dict[str, bytes]) -> str:
    docs = _documents(content.root)
    target = rng.choice(docs) if docs else None
    zh = [p for p in docs if p.name.endswith(".zh.md")]
    kind = rng.choice(["punctuation", "duplicate-number", "withdraw", "publish", "delete", "link", "no-title",
                       "secret", "new", "registry", "issue", "future", "translation", "touch", "replaced",
                       "interprets", "page", "attachment", "rename", "move", "duplicate-slug",
                       "duplicate-index", "withhold-linked", "issue-item", "restore", "restore", "restore",
                       "body", "body", "attachment-bytes"])
    if target is None or kind == "new":
        content.document(f"new-{round_}", body=f"第{round_}号新文件正文。",
                         doc_number=rng.choice([None, "甘府发〔2026〕3号", f"甘府发〔2026〕{50 + round_}号"]))
    elif kind == "punctuation":
        target.write_text(target.read_text(encoding="utf-8") + "\n测试,文本.\n", encoding="utf-8")
    elif kind == "body":  # an edit that changes no fact another file reads: lines move under it
        text = target.read_text(encoding="utf-8")
        head, _, body = text.partition("\n---\n")
        target.write_text(f"{head}\n---\n第{round_}段补充说明。\n\n{body}", encoding="utf-8")
    elif kind == "duplicate-number":
        _edit(target, r"(?m)^slug:", "doc_number: 甘府发〔2026〕3号\nslug:")
    elif kind == "duplicate-index" and zh:
        other = rng.choice(zh).read_text(encoding="utf-8")
        found = re.search(r"(?m)^index_no: (.*)$", other)
        if found:
            _edit(rng.choice(zh), r"(?m)^index_no: .*$", f"index_no: {found[1]}")
    elif kind == "duplicate-slug" and zh:
        source = rng.choice(zh)
        copy = content.root / "documents" / "2025" / source.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(source.read_bytes())
    elif kind == "rename" and zh:
        source = rng.choice(zh)
        old, new = _slug(source), f"renamed-{round_}"
        for path in sorted(source.parent.glob(f"{old}.*.md")):
            text = path.read_text(encoding="utf-8").replace(f"slug: {old}\n", f"slug: {new}\n")
            path.unlink()
            path.with_name(path.name.replace(old, new, 1)).write_text(text, encoding="utf-8")
    elif kind == "move" and zh:
        source = rng.choice(zh)
        folder = content.root / "documents" / rng.choice(["2024", "2026"])
        folder.mkdir(parents=True, exist_ok=True)
        for path in sorted(source.parent.glob(f"{_slug(source)}.*.md")):
            path.rename(folder / path.name)
    elif kind == "withhold-linked":  # a document others link or list made 不予公开
        linked = [p for p in zh if any(f"/{p.relative_to(content.root).as_posix()})" in d.read_text(encoding="utf-8")
                                       or f"- {_slug(p)}" in d.read_text(encoding="utf-8")
                                       for d in [*docs, *sorted((content.root / "gazette").rglob("*.yml"))])]
        _edit(rng.choice(linked or zh), "disclosure: 主动公开", "disclosure: 不予公开\nwithheld_reason: 内部事务信息")
    elif kind == "issue-item":
        issues = sorted((content.root / "gazette").rglob("*.yml"))
        if issues and zh:
            _edit(rng.choice(issues), r"(?m)^(\s*)- ([a-z0-9-]+)$", rf"\1- {_slug(rng.choice(zh))}")
    elif kind == "restore":  # a file back as it was at the start, or gone if it was not there: errors resolve
        rels = sorted({*snapshot, *(p.relative_to(content.root).as_posix() for p in docs)})
        rel = rng.choice(rels)
        if rel in snapshot:
            content.write(rel, snapshot[rel])
        else:
            (content.root / rel).unlink()
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
        slugs = [_slug(p) for p in zh]
        content.issue(2026, 3, [{"section": "prefecture-documents", "items": rng.sample(slugs, min(2, len(slugs)))}],
                      date="2026-03-28", total=40)
    elif kind == "future":
        _edit(target, r"(?m)^published: .*$", "published: '2027-01-04'")
    elif kind in ("replaced", "interprets"):
        other = _slug(rng.choice(docs))
        field = "replaced_by" if kind == "replaced" else "interprets"
        extra = "validity: 失效\n" if kind == "replaced" else ""
        _edit(target, r"(?m)^slug:", f"{field}: {other}\n{extra}slug:")
    elif kind == "page":
        content.page("guide", rng.choice(["zh", "bo"]), "政府信息公开指南",
                     f"指南正文{round_}，电话 0836-2822{round_:03d}。\n")
    elif kind == "attachment":
        for file in sorted((content.root / "attachments").rglob("*.csv"))[:1]:
            file.unlink()
    elif kind == "attachment-bytes":  # a file whose bytes the rules read (a web page named .csv is refused)
        files = sorted((content.root / "attachments").rglob("*.*"))
        if files:
            rng.choice(files).write_bytes(rng.choice([b"<html><script>x</script>", b"a,b\n1,2\n"]))
    elif kind == "translation" and zh:
        slug = _slug(rng.choice(zh))
        content.translation(slug, year=rng.choice(zh).parent.name, body=f"ཡིག་ཆ།{round_} abc\n")
    elif kind == "touch":
        os.utime(target)
    return kind


# More seeds and rounds: GAZETTE_CHECK_SEEDS=40 (each seed is 10 rounds of random edits).
SEEDS = range(1, 1 + int(os.environ.get("GAZETTE_CHECK_SEEDS", "1")))


@pytest.mark.parametrize("seed", SEEDS)
def test_an_incremental_check_equals_a_full_one_after_random_edits(tmp_path: Path, seed: int) -> None:
    content = ContentFactory(tmp_path / "content")
    build_site_corpus(content)
    snapshot = {p.relative_to(content.root).as_posix(): p.read_bytes()
                for p in sorted(content.root.rglob("*")) if p.is_file() and "registry" not in p.parts}
    settings = load_settings(None, {"PATH": str(content.root)})
    cache = tmp_path / "cache"
    cache.mkdir()
    rng = random.Random(seed)
    kept_total, edits = 0, ["start"]
    for round_ in range(10):
        full, _ = _check(content.root, settings, None)
        # as a build gives it the digests its input digest made, or as a check makes them itself
        incremental, context = _check(content.root, settings, cache, with_digests=round_ % 2 == 0)
        assert incremental == full, edits
        kept_total += context.cache.get("units_kept", 0)
        edits.append(_mutate(content, rng, round_, snapshot))
    assert kept_total > 0  # units were taken from the cache, not judged again


def test_an_edit_reads_and_judges_again_only_the_units_it_touches(tmp_path: Path) -> None:
    content = ContentFactory(tmp_path / "content")
    build_site_corpus(content)
    for n in range(20):  # documents tied to nothing that changes
        content.document(f"other-{n}")
    settings = load_settings(None, {"PATH": str(content.root)})
    cache = tmp_path / "cache"
    cache.mkdir()
    _, first = _check(content.root, settings, cache)
    total = first.cache["units_judged"]
    body = next(p for p in _documents(content.root) if "disclosure: 主动公开" in p.read_text(encoding="utf-8"))
    body.write_text(body.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    findings, context = _check(content.root, settings, cache)
    assert findings == _check(content.root, settings, None)[0]
    assert context.cache["units_judged"] == 1  # the per-unit rules: the edited document alone
    assert context.cache["units_judged_across"] == 1  # its facts did not change: nothing else
    issues = len(list((content.root / "gazette").rglob("*.yml")))
    pages = len(list((content.root / "pages").glob("*.md")))
    # read: the edited document, the units tied to it (its links, what links it, its issue), the issues
    # and the pages (a few small files, read whole); nothing else
    assert context.cache["units_read"] <= context.cache["units_seen"] + issues + pages
    assert context.cache["units_seen"] <= 5 and context.cache["units_read"] < total / 2
    # Made 不予公开: every text that links it and every issue that lists it is judged again, and says so.
    slug = _slug(body)
    _edit(body, "disclosure: 主动公开", "disclosure: 不予公开\nwithheld_reason: 内部事务信息")
    findings, context = _check(content.root, settings, cache)
    assert findings == _check(content.root, settings, None)[0]
    tied = [p for p in [*_documents(content.root), *(content.root / "gazette").rglob("*.yml")]
            if p != body and (f"/{slug}.zh.md" in p.read_text(encoding="utf-8")
                              or re.search(rf"(?m)^\s*- {slug}$", p.read_text(encoding="utf-8")))]
    assert context.cache["units_judged_across"] >= 1 + len({_slug(p) for p in tied})


def test_only_public_units_are_kept(tmp_path: Path) -> None:
    """Findings about a withheld, on-request or draft unit may quote it: none is kept. Of such a unit the
    cache keeps no name, path, number or text, only hashes and the fact that it had no finding."""
    import sqlite3

    content = ContentFactory(tmp_path / "content")
    build_site_corpus(content)
    # a withheld document with findings that quote its text (half-width punctuation, a personal number)
    content.document("zqxquoted", disclosure="不予公开", withheld_reason="个人隐私", secrecy_review=None,
                     index_no="S00000001/2026-09999", body="zqxquotedbody,联系人身份证号 513301199001011234.\n")
    content.document("warned", body="公开的正文,半角标点.\n")  # a public document's finding is kept
    settings = load_settings(None, {"PATH": str(content.root)})
    cache = tmp_path / "cache"
    cache.mkdir()
    findings, _ = _check(content.root, settings, cache)
    assert any("qxquotedbody" in f[5] + f[6] for f in findings if f[0].endswith("zqxquoted.zh.md"))
    findings_again, context = _check(content.root, settings, cache)
    assert findings_again == findings
    assert context.cache["units_judged"] == 1  # the withheld document with findings, judged again
    for name in ("check.sqlite", "frontmatter.sqlite"):
        kept = (cache / name).read_bytes()
        for canary in (b"zqxwithheld", b"zqxrequest", b"zqxdraft", b"qxquoted", b"draft-doc", "名单".encode(),
                       b"S00000001/2026-09999", b"513301199001011234"):
            assert canary not in kept, (name, canary)
    stored = [row[0] for row in sqlite3.connect(cache / "check.sqlite").execute("SELECT findings FROM unit")]
    assert any("TEXT-HALFWIDTH" in row and "warned.zh.md" in row for row in stored)


def test_a_file_edited_after_the_check_is_refused_when_it_is_read(tmp_path: Path) -> None:
    """A document the check left unread (unchanged) is read later by the Publication; if it was edited in
    between, its bytes are not the ones judged: reading it fails (FILE-CHANGED), never hands them on."""
    from gazette.frontmatter import LazySource, SourceError

    content = ContentFactory(tmp_path / "content")
    build_site_corpus(content)
    settings = load_settings(None, {"PATH": str(content.root)})
    cache = tmp_path / "cache"
    cache.mkdir()
    _check(content.root, settings, cache)
    context = CheckContext(today=TODAY, settings=settings)
    corpus, _ = check_incrementally(content.root, context, cache, None)
    lazy = [d for d in corpus.documents.values() if isinstance(d.source, LazySource) and not d.source.loaded]
    assert lazy
    doc = lazy[0]
    path = content.root / doc.path
    path.write_text(path.read_text(encoding="utf-8").replace("secrecy: 非涉密", "secrecy: 秘密"), encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        _ = doc.meta
    assert raised.value.finding.code == "FILE-CHANGED" and raised.value.finding.path == doc.path
