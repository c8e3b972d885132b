"""Incremental index updates, for both engines: after random edits, additions and removals the updated
index answers as one built from scratch, and no file of it holds a text that was removed or replaced
(a canary word in each text); tantivy's newest-first pages are those of ranking every hit."""

from __future__ import annotations

import json
import random
import re
import shutil
from dataclasses import fields, replace
from pathlib import Path

import pytest
from gazette.search import index as whoosh_index
from gazette.search import tantivy_index
from gazette.search.build import _with_fingerprint, update_index
from gazette.search.engine import Entry, open_index
from gazette.search.query import parse_request, run

WORDS = ["政府", "信息", "公开", "森林", "草原", "防火", "康定", "泸定", "项目", "资金", "教育", "卫生", "工作",
         "通知", "安全", "生产", "ལྷ་ས", "ནགས་ཚལ", "ཆ་འཕྲིན"]
QUERIES = [{"q": "政府信息"}, {"q": "防火"}, {"q": "工作", "sort": "date"}, {"q": "项目 资金"},
           {"q": "康", "lang": "zh"}, {"q": "ནགས་ཚལ"}, {"q": "公开", "sort": "date", "from": "2020", "to": "2023"},
           {"q": "通知", "validity": "失效"}]


def _entry(rng: random.Random, slug: str, lang: str) -> Entry:
    body = "".join(rng.choice(WORDS) + rng.choice(("，", "。", "", "")) for _ in range(rng.randrange(3, 40)))
    canary = f"zqx{rng.randrange(10**9)}"  # this text's own word
    year = rng.choice((2020, 2021, 2022, 2023))
    published = f"{year}-0{rng.randrange(1, 4)}-1{rng.randrange(0, 3)}"  # few dates: many ties
    return _with_fingerprint(Entry(
        key=f"doc:{slug}:{lang}", kind="document", slug=slug, lang=lang, url=f"/{lang}/{slug}/",
        title=rng.choice(WORDS) + rng.choice(WORDS), body=f"{body} {canary}".strip(), summary=rng.choice(WORDS),
        meta=rng.choice(WORDS), publisher="forestry", issuers=["forestry"], signed=published,
        published=published, year=year, validity=rng.choice(("有效", "失效")), disclosure="full"))


def test_a_fingerprint_changes_with_every_field() -> None:
    """An update rewrites an entry only when its fingerprint changes: any field's change must change it
    (and a value moved from one field to the next, or "" made [], too)."""
    base = _entry(random.Random(1), "d001", "zh")
    seen = {base.fingerprint}
    for field in fields(Entry):
        if field.name == "fingerprint":
            continue
        value = getattr(base, field.name)
        other = (value + "x" if isinstance(value, str) else value + 1 if isinstance(value, int)
                 else [*value, "x"] if isinstance(value, list) else {**value, "x": "y"})
        changed = _with_fingerprint(replace(base, **{field.name: other}))
        assert changed.fingerprint not in seen, field.name
        seen.add(changed.fingerprint)
    assert _with_fingerprint(replace(base, fingerprint="")).fingerprint == base.fingerprint
    moved = replace(base, summary=base.summary + base.meta[:1], meta=base.meta[1:])
    assert _with_fingerprint(moved).fingerprint != base.fingerprint
    assert _with_fingerprint(replace(base, body=base.body + "\x00]")).fingerprint != base.fingerprint


def _corpus(rng: random.Random, n: int) -> dict[str, Entry]:
    found = {}
    for i in range(n):
        for lang in ("zh", "bo") if i % 3 == 0 else ("zh",):
            entry = _entry(rng, f"d{i:03d}", lang)
            found[entry.key] = entry
    return found


def _edit(rng: random.Random, wanted: dict[str, Entry], serial: int) -> set[str]:
    """One edited text, one removed, one made on request (metadata only), one added: the canaries of
    the texts that are gone."""
    edited, removed, on_request = rng.sample(sorted(wanted), 3)
    gone = {_canary(wanted[k]) for k in (edited, removed, on_request)}
    wanted[edited] = _entry(rng, wanted[edited].slug, wanted[edited].lang)
    del wanted[removed]
    added = _entry(rng, f"n{serial}", "zh")
    wanted[added.key] = added
    wanted[on_request] = _with_fingerprint(replace(wanted[on_request], body="", disclosure="metadata"))
    return gone


def _canary(entry: Entry) -> str:
    return entry.body.split()[-1]


def _held(folder: Path, engine: str) -> set[str]:
    """Every canary word the files of an index hold. Whoosh stores texts as they are; tantivy compresses
    its stored texts, so its files are read through tantivy: the term dictionaries, every stored entry,
    and only after checking that every file belongs to a listed segment without deleted entries."""
    found = set()
    store = [tantivy_index.default_store(folder)] if engine == "tantivy" else []
    # tantivy's segment files are compressed: bytes of them look like canaries
    for path in [p for f in (folder, *store) for p in f.rglob("*")]:
        if path.is_file() and (engine == "whoosh" or not tantivy_index.is_segment_file(path.name)):
            found |= {m.decode() for m in re.findall(rb"zqx[0-9]+", path.read_bytes())}
    if engine == "tantivy":
        import tantivy

        served = {s["segment_id"] for s in json.loads((folder / "meta.json").read_text(encoding="utf-8"))["segments"]}
        for shard in folder.glob(f"{tantivy_index.SHARD_PREFIX}*"):  # each a part of the index's segments
            assert {s["segment_id"] for s in json.loads((shard / "meta.json").read_text())["segments"]} <= served
        shards = [*folder.glob(f"{tantivy_index.SHARD_PREFIX}*")]
        store = tantivy_index.default_store(folder)  # the bucket store (outside the index folder)
        for index in (folder, store, *shards):  # what is searched, and what it is merged from
            meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
            listed = {s["segment_id"].replace("-", "") for s in meta["segments"]}
            assert {p.name.split(".")[0] for p in index.iterdir()
                    if p.is_file() and tantivy_index.is_segment_file(p.name)} == listed
            searcher = tantivy.Index.open(str(index)).searcher()
            # no deleted entry but the empty ones that order a group's buckets (a merge drops them)
            deleted = sum((s["deletes"] or {}).get("num_deleted_docs", 0) for s in meta["segments"])
            assert deleted == searcher.doc_freq("key", tantivy_index.PADDING_KEY)
            for field in ("title", "body", "meta"):
                found |= {term for term, _ in searcher.terms_with_prefix(field, "zqx")}
            everything = searcher.search(tantivy.Query.all_query(), limit=max(1, searcher.num_docs)).hits
            for _, address in everything:
                found |= set(re.findall("zqx[0-9]+", bytes(searcher.doc(address).get_first("stored")).decode()))
    return found


def _answers(folder: Path, engine: str) -> list[list[tuple[int, list[str]]]]:
    """Two pages of each query. Whoosh orders equal scores by the order entries were written, which an
    update changes: for Whoosh the hits of both pages as a set."""
    index = open_index(folder, engine)
    assert index is not None
    answers = []
    for params in QUERIES:
        pages = []
        for page in ("1", "2"):
            results = run(index, parse_request({**params, "size": "7", "page": page}, facets=index.facets))
            pages.append((results.total, [h.key for h in results.hits]))
        if engine == "whoosh":
            pages = [(pages[0][0], sorted(pages[0][1] + pages[1][1]))]
        answers.append(pages)
    return answers


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Buckets and segments of a few entries, so an update rewrites some and keeps most."""
    monkeypatch.setattr(tantivy_index, "BUCKET_ENTRIES", 4)
    monkeypatch.setattr(whoosh_index, "SEGMENT_ENTRIES", 12)


@pytest.mark.parametrize("engine", ["tantivy", "whoosh", "tantivy-shards"])
def test_an_updated_index_answers_as_a_fresh_one(engine, small_parts, tmp_path, monkeypatch):
    if engine == "tantivy-shards":  # several groups, served in two shards
        monkeypatch.setattr(tantivy_index, "BUCKET_ENTRIES", 1)
        monkeypatch.setattr(tantivy_index, "SHARD_FROM_GROUPS", 2)
        engine = "tantivy"
    rng = random.Random(20261130)
    wanted = _corpus(rng, 24)
    previous = tmp_path / "0"
    assert update_index(previous, tmp_path / "none", list(wanted.values()), engine=engine).rebuilt
    assert _held(previous, engine) == {_canary(e) for e in wanted.values()}  # the check sees them
    for serial in range(1, 3):
        gone = _edit(rng, wanted, serial)
        updated, fresh = tmp_path / str(serial), tmp_path / f"fresh-{serial}"
        stats = update_index(updated, previous, list(wanted.values()), engine=engine)
        assert not stats.rebuilt and stats.written == 3 and stats.removed == 1
        held = _held(updated, engine)
        assert not held & gone and held == {_canary(e) for e in wanted.values() if e.body}
        update_index(fresh, tmp_path / "none", list(wanted.values()), engine=engine,
                     store=tmp_path / "fresh" / "store")  # not the updated index's
        assert _answers(updated, engine) == _answers(fresh, engine), serial
        previous = updated


def test_a_store_planted_as_a_link_is_neither_followed_nor_emptied(small_parts, tmp_path):
    """tantivy's store sits in the build's cache: a link put there (to a folder outside the output) is
    removed, never written through or emptied, whether the index is built, updated or dropped."""
    from gazette.search.build import STORE_FOLDER, drop_store

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("keep me", encoding="utf-8")
    wanted = list(_corpus(random.Random(6), 12).values())
    store = tmp_path / "cache" / STORE_FOLDER
    store.parent.mkdir()
    store.symlink_to(outside, target_is_directory=True)
    update_index(tmp_path / "0", tmp_path / "none", wanted, engine="tantivy", store=store)  # a full build
    assert not store.is_symlink() and store.is_dir()
    shutil.rmtree(store)
    store.symlink_to(outside, target_is_directory=True)
    stats = update_index(tmp_path / "1", tmp_path / "0", wanted, engine="tantivy", store=store)  # an update
    assert stats.rebuilt and not store.is_symlink()
    assert open_index(tmp_path / "1", "tantivy").doc_count() == len(wanted)
    shutil.rmtree(store)
    store.symlink_to(outside, target_is_directory=True)
    drop_store(store.parent)
    assert not store.exists() and not store.is_symlink()
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"]
    assert (outside / "victim.txt").read_text(encoding="utf-8") == "keep me"


def test_a_bucket_missing_from_the_store_is_written_again(small_parts, tmp_path):
    """The store is shared by the builds: after a failed build it may lack a bucket the last good index
    lists (the failed build's update replaced it); the next update writes that bucket again."""
    wanted = list(_corpus(random.Random(5), 24).values())
    previous = tmp_path / "0"
    update_index(previous, tmp_path / "none", wanted, engine="tantivy")
    store = tantivy_index.default_store(previous)
    segments = json.loads((previous / tantivy_index.LAYOUT_FILE).read_text(encoding="utf-8"))["segments"]
    lost = segments["1"]["segment"].replace("-", "")
    for path in store.glob(f"{lost}.*"):
        path.unlink()
    stats = update_index(tmp_path / "1", previous, wanted, engine="tantivy")
    assert not stats.rebuilt and stats.written == segments["1"]["entries"] > 0
    assert _held(tmp_path / "1", "tantivy") == {_canary(e) for e in wanted}
    fresh = tmp_path / "fresh"
    update_index(fresh, tmp_path / "none", wanted, engine="tantivy", store=tmp_path / "fresh-store")
    assert _answers(tmp_path / "1", "tantivy") == _answers(fresh, "tantivy")


def test_entries_only_in_another_order_rewrite_their_buckets(small_parts, tmp_path):
    """The order of equal scores is the order of a bucket's entries: a build that wants the same entries
    in another order writes those buckets again, so the updated index is the one a fresh build writes."""
    wanted = list(_corpus(random.Random(9), 24).values())
    update_index(tmp_path / "0", tmp_path / "none", wanted, engine="tantivy")
    random.Random(3).shuffle(wanted)
    stats = update_index(tmp_path / "1", tmp_path / "0", wanted, engine="tantivy")
    assert not stats.rebuilt and stats.written == 0
    fresh = tmp_path / "fresh"
    update_index(fresh, tmp_path / "none", wanted, engine="tantivy", store=tmp_path / "fresh-store")

    def digests(folder: Path) -> dict[str, str]:
        layout = json.loads((folder / tantivy_index.LAYOUT_FILE).read_text(encoding="utf-8"))
        return {b: s["digest"] for b, s in layout["segments"].items()}

    assert digests(tmp_path / "1") == digests(fresh) != digests(tmp_path / "0")
    assert _answers(tmp_path / "1", "tantivy") == _answers(fresh, "tantivy")


def test_tantivy_newest_first_is_every_hit_ranked_by_date_then_score(small_parts, tmp_path):
    rng = random.Random(7)
    wanted = list(_corpus(rng, 40).values())  # twelve dates for 53 entries: most dates are shared
    update_index(tmp_path / "index", tmp_path / "none", wanted, engine="tantivy")
    index = open_index(tmp_path / "index", "tantivy")
    assert index is not None
    for q in ("工作", "政府 信息", "ནགས་ཚལ", "康"):
        by_score = run(index, parse_request({"q": q, "size": "50"}, facets=index.facets))
        expected = [h.key for h in sorted(by_score.hits, key=lambda h: h.fields["published"], reverse=True)]
        assert len(set(h.fields["published"] for h in by_score.hits)) < by_score.total < 50, q  # ties
        pages = [run(index, parse_request({"q": q, "size": "4", "page": str(n), "sort": "date"},
                                          facets=index.facets)) for n in range(1, 15)]
        assert [h.key for p in pages for h in p.hits][:len(expected)] == expected, q


@pytest.mark.parametrize("engine", ["tantivy", "whoosh"])
def test_links_in_the_last_index_are_neither_followed_nor_carried_over(engine, small_parts, tmp_path):
    """The next build starts from a copy of the last index: a link planted in it (to a file or a folder
    outside the output, in the index or in the bucket store) is not followed, read or copied."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("zqx-outside-secret", encoding="utf-8")
    wanted = _corpus(random.Random(3), 12)
    previous = tmp_path / "0"
    update_index(previous, tmp_path / "none", list(wanted.values()), engine=engine)
    folders = [previous, *([tantivy_index.default_store(previous)] if engine == "tantivy" else [])]
    for folder in folders:
        (folder / "meta.store").symlink_to(outside / "secret.txt")
        (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    _edit(random.Random(4), wanted, 1)
    stats = update_index(tmp_path / "1", previous, list(wanted.values()), engine=engine)
    assert not stats.rebuilt
    for path in [*(tmp_path / "1").rglob("*"), *folders[1:][0].rglob("*")] if engine == "tantivy" else \
            (tmp_path / "1").rglob("*"):
        assert not path.is_symlink() and path.name not in ("meta.store", "elsewhere"), path
        assert not path.is_file() or b"zqx-outside-secret" not in path.read_bytes(), path
    assert (outside / "secret.txt").read_text(encoding="utf-8") == "zqx-outside-secret"  # not removed through
    assert open_index(tmp_path / "1", engine) is not None
