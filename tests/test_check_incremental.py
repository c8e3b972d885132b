"""The incremental check (`checks/incremental.py`) finds exactly what a full check finds, after random
edits, additions, deletions and registry changes, while judging again only the units that changed."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from factory import ContentFactory
from gazette import build_inputs
from gazette.checks import CheckContext, run_rules
from gazette.checks import incremental as incremental_module
from gazette.checks.incremental import CACHE_NAME, remember
from gazette.findings import warning
from gazette.loader import load_corpus
from gazette.model import parse_date
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
           with_digests: bool = False, day: dt.date = TODAY) -> tuple[list[tuple], CheckContext]:
    """The findings of a full check (no cache) or an incremental one on `day`, and the context that says
    what the incremental check judged again."""
    context = CheckContext(today=day, settings=settings)
    if cache is None:
        corpus, findings = load_corpus(root)
        findings.extend(run_rules(corpus, context))
    else:
        digests = build_inputs.compute(root, None, [], ["site"], day.isoformat()) if with_digests else None
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


def _review_ahead(corpus, context: CheckContext):
    """A probe rule that reads the day as the contract of `dated=True` allows (a date of the unit after the
    day), and warns, so that its findings are kept: the product's rules that read the day find errors, and a
    check that finds an error keeps nothing."""
    for doc in corpus.documents.values():
        printed = doc.meta.get("printed")
        date = parse_date(printed.get("date")) if isinstance(printed, dict) else None
        if date and date > context.today:
            yield warning("X-PRINTED-AHEAD", doc.path, doc.line("printed"), "printed",
                          f"印发日期 {date} 晚于 {context.today}", f"printed {date}, after {context.today}")


@pytest.fixture
def dated_probe() -> Iterator[None]:
    from gazette.checks import _load_rule_modules
    from gazette.checks.rules import DATED, RULES

    _load_rule_modules()  # registered first: the probe is removed from the same list afterwards
    RULES.append(_review_ahead)
    DATED.add(_review_ahead)
    try:
        yield
    finally:
        RULES.remove(_review_ahead)
        DATED.discard(_review_ahead)


# More seeds and rounds: GAZETTE_CHECK_SEEDS=40 (each seed is 10 rounds of random edits).
SEEDS = range(1, 1 + int(os.environ.get("GAZETTE_CHECK_SEEDS", "1")))


@pytest.mark.parametrize("seed", SEEDS)
def test_an_incremental_check_equals_a_full_one_after_random_edits(tmp_path: Path, seed: int,
                                                                    dated_probe: None) -> None:
    content = ContentFactory(tmp_path / "content")
    build_site_corpus(content)
    snapshot = {p.relative_to(content.root).as_posix(): p.read_bytes()
                for p in sorted(content.root.rglob("*")) if p.is_file() and "registry" not in p.parts}
    settings = load_settings(None, {"PATH": str(content.root)})
    cache = tmp_path / "cache"
    cache.mkdir()
    rng = random.Random(seed)
    kept_total, edits, day, remembered = 0, ["start"], TODAY, 0
    for round_ in range(10):
        full, _ = _check(content.root, settings, None, day=day)
        # as a build gives it the digests its input digest made, or as a check makes them itself
        incremental, context = _check(content.root, settings, cache, with_digests=round_ % 2 == 0, day=day)
        assert incremental == full, edits
        kept_total += context.cache.get("units_kept", 0)
        if round_ % 3 != 2:  # as a watching process does once a build is live: the next check reads it from memory
            remember(cache)
            remembered += str(cache / CACHE_NAME) in incremental_module._read
        else:  # as a new process would: read from the file
            incremental_module._read.clear()
        edits.append(_mutate(content, rng, round_, snapshot))
        # the day the check judges by moves too: mostly on (a day, past a review date, past the future
        # date of `_mutate`), sometimes back (`--as-of`)
        if rng.random() < 0.5:
            day += dt.timedelta(days=rng.choice([1, 1, 3, 45, -2]))
            edits.append(f"day {day}")
        if rng.random() < 0.3 and zh_files(content.root):
            printed = day + dt.timedelta(days=rng.choice([1, 2, 30]))
            _edit(rng.choice(zh_files(content.root)), r"(?m)^slug:",
                  f"printed: {{by: 甘孜州人民政府办公室, date: '{printed}'}}\nslug:")
    assert kept_total > 0  # units were taken from the cache, not judged again
    assert remembered >= 5  # and the kept check read from memory, in most rounds


def test_a_kept_check_read_again_once_another_check_wrote_it(tmp_path: Path) -> None:
    """What this process remembers of the kept check stands only under the token the file still holds."""
    content = ContentFactory(tmp_path / "content")
    content.document("doc-a")
    settings = load_settings(None, {"PATH": str(content.root)})
    cache = tmp_path / "cache"
    cache.mkdir()
    _check(content.root, settings, cache)
    remember(cache)
    ours = dict(incremental_module._read)
    content.document("doc-b")
    _check(content.root, settings, cache)  # as another process would: new rows, a new token
    incremental_module._read.clear()
    incremental_module._read.update(ours)
    kept = incremental_module._Kept.read(cache / CACHE_NAME)
    kept.close()
    incremental_module._read.clear()
    fresh = incremental_module._Kept.read(cache / CACHE_NAME)
    fresh.close()
    assert kept.nodes == fresh.nodes and len(kept.nodes) == 2 and kept.files == fresh.files


def zh_files(root: Path) -> list[Path]:
    return [p for p in _documents(root) if p.name.endswith(".zh.md") and "printed:" not in p.read_text("utf-8")]


def test_a_new_day_judges_again_only_the_units_holding_a_later_date(tmp_path: Path, dated_probe: None) -> None:
    """The day is an input of the check (no date may be in the future). When it moves on, only the units that
    held a date after the day they were judged by are judged again; a day before the kept one judges
    everything again. Each time the findings equal a full check's on that day."""
    content = ContentFactory(tmp_path / "content")
    for n in range(4):
        content.document(f"past-{n}")
    office = {"by": "甘孜州人民政府办公室"}
    content.document("ahead-1", printed={**office, "date": "2026-11-23"})
    content.document("ahead-40", printed={**office, "date": "2027-01-01"})
    settings = load_settings(None, {"PATH": str(content.root)})
    cache = tmp_path / "cache"
    cache.mkdir()

    def same(day: dt.date) -> tuple[list[tuple], dict]:
        incremental, context = _check(content.root, settings, cache, day=day)
        full, _ = _check(content.root, settings, None, day=day)
        assert incremental == full, day
        return incremental, context.cache

    found, _ = same(TODAY)
    assert sum(f[2] == "X-PRINTED-AHEAD" for f in found) == 2
    found, judged = same(TODAY + dt.timedelta(days=1))  # ahead-1's date is no longer after the day
    assert sum(f[2] == "X-PRINTED-AHEAD" for f in found) == 1
    assert judged["units_judged"] == judged["units_judged_across"] == 2  # the two that held a later date
    found, judged = same(TODAY + dt.timedelta(days=2))
    assert judged["units_judged"] == 1  # ahead-40 alone
    assert judged["units_read"] == 1
    found, judged = same(dt.date(2027, 1, 2))
    assert not any(f[2] == "X-PRINTED-AHEAD" for f in found) and judged["units_judged"] == 1
    _, judged = same(dt.date(2027, 1, 3))
    assert judged["units_judged"] == 0 and judged["units_read"] == 0  # no date left after the day
    # back before the reviews and the documents' own dates: everything judged again, and found
    found, judged = same(dt.date(2026, 3, 3))
    assert judged["units_judged"] == 6
    assert {"X-PRINTED-AHEAD", "DATE-FUTURE"} <= {f[2] for f in found}


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


def test_every_rule_that_reads_the_day_is_declared_dated() -> None:
    """An incremental check keeps the findings of a rule across days unless it is declared `dated=True`
    (and so bound by the contract in `checks/rules.py`)."""
    import inspect

    from gazette.checks import _load_rule_modules
    from gazette.checks.rules import DATED, ordered_rules

    _load_rule_modules()
    reading = {r.__name__ for r in ordered_rules() if "today" in inspect.getsource(r)}
    assert reading and reading <= {r.__name__ for r in DATED}


def test_a_first_build_keeps_its_check_for_the_next_one_and_a_refused_one_writes_nothing(tmp_path: Path) -> None:
    from gazette.build import build
    from gazette.checks.incremental import CACHE_NAME

    content = ContentFactory(tmp_path / "content")
    for n in range(6):
        content.document(f"doc-{n}")
    refused = tmp_path / "refused"
    bad = content.document("secret", secrecy="秘密")
    assert build(content.root, refused, ["search"], today=TODAY) == 1
    assert not refused.exists()
    bad.unlink()
    output = tmp_path / "build"
    assert build(content.root, output, ["search"], today=TODAY) == 0
    assert (output / ".cache" / CACHE_NAME).is_file()
    body = next(iter(_documents(content.root)))
    body.write_text(body.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    findings, context = _check(content.root, load_settings(None, {"PATH": str(content.root)}), output / ".cache")
    assert context.cache["units_judged"] == 1 and context.cache["units_kept"] >= 5
    assert findings == _check(content.root, load_settings(None, {"PATH": str(content.root)}), None)[0]
