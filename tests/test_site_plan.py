"""After random edits, a site built incrementally (the spare tree updated, only the pages the page plan
finds touched keyed again: `site/page_plan.py`) equals a fresh build byte for byte, and a document made
不予公开 or 依申请公开 leaves no page of its text."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

from factory import ContentFactory
from gazette import generations
from gazette.build import build, run_build
from gazette.site import page_keys
from site_corpus import build_site_corpus
from test_site_incremental import _tree

CANARY = "zqxplancanary"
PUBLIC = ("notice-a", "notice-b", "county-report")


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1)
    assert changed != text, (path, pattern)
    path.write_text(changed, encoding="utf-8")


def _document(content: ContentFactory, slug: str, lang: str = "zh") -> Path:
    return next((content.root / "documents").rglob(f"{slug}.{lang}.md"))


def _apply(kind: str, content: ContentFactory, rng: random.Random, round_: int) -> None:
    if kind == "body":
        path = _document(content, rng.choice(PUBLIC))
        path.write_text(path.read_text(encoding="utf-8") + f"\n第{round_}段补充说明。\n", encoding="utf-8")
    elif kind == "title":
        _edit(_document(content, rng.choice(PUBLIC)), r"(?m)^(title: .*)$", rf"\g<1>（第{round_}次修订）")
    elif kind in ("withdrawn", "on-request"):
        withheld = "disclosure: 不予公开\nwithheld_reason: 内部事务信息"
        after = withheld if kind == "withdrawn" else "disclosure: 依申请公开"
        _edit(_document(content, kind), "disclosure: 主动公开", after)
    elif kind == "translation":
        content.translation("notice-b", title=f"ཁ་སྐོང་བརྡ་ཐོ་{round_}།")
    elif kind == "issue":
        _edit(content.root / "gazette/2026/2026-03.yml", r"(?m)^total: .*$", f"total: {40 + round_}")
    elif kind == "attachment":
        content.write("attachments/2026/county-report/统计表.csv", f"县,条数\n康定,{round_}\n")
    elif kind == "plan-garbled":  # a record that vouches for nothing: every page is keyed
        current = generations.current_generation(OUTPUT["incremental"])
        assert current is not None
        (current / generations.PAGE_PLAN).write_text('{"version": 1, "pages": [[', encoding="utf-8")
        _apply("body", content, rng, round_)
    elif kind == "registry":
        registry = content.root / "registry" / "agencies.yml"
        _edit(registry, r"(zh: )([^,}]+)", rf"\g<1>\g<2>{round_}")
    else:
        raise AssertionError(kind)


OUTPUT: dict[str, Path] = {}


def _build(content: ContentFactory) -> None:
    result = run_build(content.root, OUTPUT["incremental"], ["site"])
    assert result.status == 0


SEED = int(os.environ.get("GAZETTE_SITE_PLAN_SEED", "7"))


def test_an_incremental_site_equals_a_fresh_one_after_random_edits(content: ContentFactory, tmp_path: Path,
                                                                    monkeypatch) -> None:
    build_site_corpus(content)
    for number, slug in enumerate(("withdrawn", "on-request")):  # public at first: shown by the first tree
        content.document(slug, index_no=f"S00000001/2026-{701 + number:05d}", catalogue="rules.other",
                         title=f"甘孜藏族自治州人民政府关于{CANARY}事项的通知", body=f"{CANARY}{slug}body 正文。")
    OUTPUT["incremental"] = tmp_path / "incremental"
    _build(content)
    keyed: list[str] = []
    real = page_keys.PageKeys.key_and_entities

    def counted(self, url, lang, context):  # type: ignore[no-untyped-def]
        keyed.append(url)
        return real(self, url, lang, context)

    monkeypatch.setattr(page_keys.PageKeys, "key_and_entities", counted)
    rng = random.Random(SEED)
    # Each edit that changes the layout alone (each build is compared with a fresh one: a second apiece), those
    # that do not together; the registry's, which changes what every page depends on, alone.
    middle = [["issue", "attachment"], ["withdrawn"], ["on-request"], ["translation"], ["registry"]]
    rng.shuffle(middle)
    rounds = [["body", "title"], *middle, ["plan-garbled"], ["body"]]
    touched_only, hidden = 0, []
    for round_, edits in enumerate(rounds, 1):
        kind = "+".join(edits)
        for edit in edits:
            _apply(edit, content, rng, round_)
        hidden += [f"{CANARY}{edit}body".encode() for edit in edits if edit in ("withdrawn", "on-request")]
        keyed.clear()
        _build(content)
        pages = len(keyed)
        fresh = tmp_path / f"fresh-{round_}"
        assert build(content.root, fresh, ["site"]) == 0
        listed = len(keyed) - pages  # the fresh build keys every page
        if kind in ("body", "body+title", "issue+attachment"):  # the same pages, laid out the same: the plan
            # was followed (a title shows on every list of its document: more than half of this small site)
            assert 0 < pages < (listed / 2 if kind == "body" else listed), (kind, pages, listed)
            touched_only += 1
        elif kind == "plan-garbled":
            assert pages == listed
        incremental, fresh_tree = _tree(OUTPUT["incremental"] / "site"), _tree(fresh / "site")
        assert sorted(incremental) == sorted(fresh_tree), kind
        assert [name for name in fresh_tree if incremental[name] != fresh_tree[name]] == [], kind
        assert not [name for name, data in incremental.items() if any(c in data for c in hidden)], kind
    assert touched_only == 3 and len(hidden) == 2
