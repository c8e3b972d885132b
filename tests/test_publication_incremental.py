"""The Publication taken from its cache (`publication_cache.py`) equals a fresh derivation after random
edits, leaves unchanged documents' files unread, and keeps nothing of a document that is not 主动公开; the
search entries made from it with the last index's record (`search/build.py`) equal fresh ones."""

from __future__ import annotations

import dataclasses
import enum
import os
import random
import re
from pathlib import Path
from typing import Any

import pytest
from factory import ContentFactory
from gazette import build_inputs, publication_cache
from gazette.frontmatter import LazySource
from gazette.labels import Labels
from gazette.loader import load_corpus
from gazette.publication import Publication, PublicDocument, PublicIssue, build_publication
from gazette.search.build import entries, facets, wanted_entries
from gazette.search.entry import Held, made
from site_corpus import build_site_corpus
from test_check_incremental import _documents, _edit, _mutate


def _serial(value: Any) -> Any:
    """Every field, all the way down; a document's issue by its key and an issue's documents by their
    slugs (they point at each other)."""
    if isinstance(value, PublicDocument):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        fields["issue"] = value.issue.key if value.issue else None
        return ("document", {k: _serial(v) for k, v in fields.items()})
    if isinstance(value, PublicIssue):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        fields["sections"] = [(_serial(entry), [d.slug for d in docs]) for entry, docs in value.sections]
        return ("issue", {k: _serial(v) for k, v in fields.items()})
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, {f.name: _serial(getattr(value, f.name)) for f in dataclasses.fields(value)})
    if isinstance(value, dict):
        return ("dict", [(_serial(k), _serial(v)) for k, v in value.items()])  # in order: the order counts
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_serial(v) for v in value])
    if isinstance(value, enum.Enum):
        return value.name
    return value


def _publication(pub: Publication) -> Any:
    return _serial({"documents": pub.documents, "issues": pub.issues, "pages": pub.pages,
                    "static_files": pub.static_files, "fingerprint": pub.fingerprint()})


def _as_a_build_reads(root: Path):
    """The corpus as a build gives it: every document file the check judged unchanged left unread."""
    return _as_a_build_gives(root)[0]


def _as_a_build_gives(root: Path) -> tuple[Any, dict[str, str]]:
    """The corpus as a build reads it, and every content file's input digest (by which the Publication
    knows a file it published before without reading it)."""
    digests = build_inputs.compute(root, None, [], ["site"], "2026-11-22")
    assert digests is not None
    deferred = {rel: d for rel, d in digests.content.items() if rel.startswith("documents/") and rel.endswith(".md")}
    return load_corpus(root, deferred=deferred)[0], digests.content


def _built(root: Path, cache: Path) -> Publication:
    """The Publication as a build derives it, with its cache and the input digests."""
    corpus, digests = _as_a_build_gives(root)
    return build_publication(corpus, cache=cache, digests=digests)


def _undecoded(pub: Publication) -> int:
    """Texts whose body, taken from the cache, is not decoded yet (PublicText decodes on first use)."""
    return sum("_pending" in text.__dict__ and bool(text.__dict__["_pending"])
               for doc in pub.documents.values() for text in doc.texts.values())


def _unread(corpus) -> int:
    return sum(isinstance(s, LazySource) for d in corpus.documents.values()
               for s in (d.source, *(t.source for t in d.translations.values())))


def _mutate_more(content: ContentFactory, rng: random.Random, round_: int, snapshot: dict[str, bytes]) -> str:
    """The check's random edits, and edits that change what a document shows without changing what the
    check reads across files: a title, an attachment's bytes, a registry name."""
    zh = [p for p in _documents(content.root) if p.name.endswith(".zh.md")]
    kind = rng.choice(["check", "check", "title", "attachment-replaced", "agency-renamed", "draft", "linked-withheld",
                       "issue-changed"])
    if kind == "check":
        return _mutate(content, rng, round_, snapshot)
    if kind == "title" and zh:
        _edit(rng.choice(zh), r"(?m)^title: (.*)$", rf"title: \g<1>（第{round_}次修订）")
    elif kind == "attachment-replaced":
        for file in sorted((content.root / "attachments").rglob("*.csv"))[:1]:
            file.write_text(f"县,条数\n康定,{round_}\n", encoding="utf-8")
    elif kind == "agency-renamed":
        registry = content.root / "registry" / "agencies.yml"
        text = registry.read_text(encoding="utf-8")
        registry.write_text(re.sub(r"(?m)^(\s*zh: )(.+)$", rf"\g<1>\g<2>{round_}", text, count=1), encoding="utf-8")
    elif kind == "linked-withheld" and zh:  # a document another one links made 不予公开, or back
        texts = "".join(p.read_text(encoding="utf-8") for p in zh)
        linked = [p for p in zh if f"/{p.relative_to(content.root).as_posix()})" in texts] or zh
        target = rng.choice(linked)
        if "disclosure: 不予公开" in target.read_text(encoding="utf-8"):
            _edit(target, "disclosure: 不予公开\nwithheld_reason: 内部事务信息", "disclosure: 主动公开")
        else:
            _edit(target, "disclosure: 主动公开", "disclosure: 不予公开\nwithheld_reason: 内部事务信息")
    elif kind == "issue-changed" and zh:  # documents leave their issue or join it: their issue changes
        for issue in sorted((content.root / "gazette").rglob("*.yml"))[:1]:
            if "items: []" in issue.read_text(encoding="utf-8"):
                _edit(issue, re.escape("items: []"), f"items: [{rng.choice(zh).name.split('.')[0]}]")
            else:
                _edit(issue, r"items: \[[^\]]*\]", "items: []")
    elif kind == "draft" and zh:
        _edit(rng.choice(zh), r"(?m)^slug:", "status: draft\nslug:")
    return kind


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _restore(root: Path, saved: dict[str, bytes]) -> None:
    for rel in set(_files(root)) - set(saved):
        (root / rel).unlink()
    for rel, data in saved.items():
        path = root / rel
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


def _from_memory(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each PublicationCache from now on takes its rows from this process's memory, in order."""
    taken: list[bool] = []
    real_find = publication_cache.PublicationCache.find

    def find(self: publication_cache.PublicationCache, keys: dict[str, str]) -> dict[str, Any]:
        taken.append(self._remembered is not None)
        return real_find(self, keys)

    monkeypatch.setattr(publication_cache.PublicationCache, "find", find)
    return taken


# More seeds: GAZETTE_PUBLICATION_SEEDS=40 (each seed is 12 rounds of random edits).
SEEDS = range(1, 1 + int(os.environ.get("GAZETTE_PUBLICATION_SEEDS", "1")))


@pytest.mark.parametrize("seed", SEEDS)
def test_a_publication_from_its_cache_equals_a_fresh_one_after_random_edits(tmp_path: Path, seed: int,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # The rows this process left in the file are taken from memory (as `gazette build --watch` does):
    # counted, so that the comparison below covers them.
    remembered = _from_memory(monkeypatch)
    content = ContentFactory(tmp_path / "content")
    build_site_corpus(content)
    snapshot = {p.relative_to(content.root).as_posix(): p.read_bytes()
                for p in sorted(content.root.rglob("*")) if p.is_file() and "registry" not in p.parts}
    cache = tmp_path / "cache"
    rng = random.Random(seed)
    unread, lazy, built, edits = 0, 0, 0, ["start"]
    record: dict[str, str] = {}  # the search index's record of its entries, build to build
    held = 0
    for round_ in range(13):
        saved = _files(content.root)
        if round_:
            edits.append(_mutate_more(content, rng, round_, snapshot))
        corpus, unreadable = load_corpus(content.root)
        # fresh: no Publication cache (the Markdown cache alone, rendered bodies by their text, saves time)
        (tmp_path / "fresh" / "publication.sqlite").unlink(missing_ok=True)
        try:
            fresh_pub = None if unreadable else build_publication(corpus, cache=tmp_path / "fresh")
            fresh = None if fresh_pub is None else _publication(fresh_pub)
        except Exception:  # what the check refuses: no build; the edit is undone so that the next ones build
            fresh = None
        if fresh is None:
            _restore(content.root, saved)
            edits[-1] += " (undone)"
            continue
        corpus, digests = _as_a_build_gives(content.root)
        if round_ % 2:  # as a new process would: the rows read from the file (their bodies decoded lazily)
            publication_cache._memory.clear()
        cached = build_publication(corpus, cache=cache, digests=digests)
        lazy += _undecoded(cached)  # compared below, field by field, once decoded
        # The search stage's entries: held by the last record where it matches, made where it does not;
        # each one, made, equals the fresh Publication's entry field by field.
        formats = Labels(tibetan_digits=round_ != 7)  # a change of format makes every entry again (twice)
        wanted, record, _ = wanted_entries(cached, formats, record)
        assert fresh_pub is not None
        fresh_entries = list(entries(fresh_pub, formats))
        assert [(w.key, w.fingerprint) for w in wanted] == [(e.key, e.fingerprint) for e in fresh_entries], edits
        assert made(wanted) == fresh_entries, edits
        held += sum(isinstance(w, Held) for w in wanted)
        # the search form's filters, now taken from the Publication: the values the entries hold
        shown = facets(cached)
        assert (set(shown["publisher"]), set(shown["class"]), set(shown["genre"])) == (
            {i for e in fresh_entries for i in e.issuers}, {c for e in fresh_entries for c in e.classes},
            {e.genre for e in fresh_entries if e.genre}), edits
        years = sorted({e.year for e in fresh_entries if e.kind == "document"})
        assert shown["years"] == ([years[0], years[-1]] if years else []), edits
        assert _publication(cached) == fresh, edits
        unread += _unread(corpus)
        built += 1
    assert built >= 6, edits
    assert unread > 0  # documents taken from the cache were not read
    assert lazy > 0  # and their bodies not decoded until asked for
    assert held > 0  # search entries known by the last record were not made again
    assert sum(remembered) >= 3  # the other cached builds after the first, from memory


CANARY = "zqxpubcachecanary"


@pytest.mark.parametrize("change", [
    ("disclosure: 主动公开", "disclosure: 不予公开\nwithheld_reason: 内部事务信息"),
    ("disclosure: 主动公开", "disclosure: 依申请公开"),
    ("slug:", "status: draft\nslug:"),
], ids=["withheld", "on-request", "draft"])
def test_a_document_no_longer_public_leaves_nothing_in_the_cache(tmp_path: Path, change: tuple[str, str]) -> None:
    content = ContentFactory(tmp_path / "content")
    build_site_corpus(content)
    path = content.document("canary-doc", body=f"{CANARY}body 正文。", title=f"{CANARY}title 通知",
                            attachments=[{"file": "attachments/2026/canary-doc/表.csv", "title": f"{CANARY}att"}])
    content.write("attachments/2026/canary-doc/表.csv", f"{CANARY}bytes\n")
    cache = tmp_path / "out" / ".cache"
    pub = _built(content.root, cache)
    kept = (cache / "publication.sqlite").read_bytes()
    assert CANARY.encode() in kept  # public: kept, so the test below can fail
    sha256 = pub.static_files["attachments/2026/canary-doc/表.csv"]
    assert sha256.encode() in kept  # the published file's digest, by its bytes

    _edit(path, re.escape(change[0]), change[1])
    pub = _built(content.root, cache)
    assert pub.documents.get("canary-doc") is None or not pub.documents["canary-doc"].full
    # 依申请公开: its catalogue entry (the title) is published, so kept; its body and attachment are not
    secret = ([CANARY + "body", CANARY + "att", CANARY + "bytes", "canary-doc/表", sha256] if "依申请公开" in change[1]
              else [CANARY, "canary-doc/表", sha256])
    for file in sorted(cache.rglob("*")):
        if file.is_file():
            data = file.read_bytes()
            assert not [s for s in secret if s.encode() in data], file
    shown = repr(_publication(pub))  # and what is published does not show it either
    assert not [s for s in secret if s in shown]


def test_what_a_kept_document_took_from_another_follows_that_one(tmp_path: Path) -> None:
    """A document kept unchanged shows the replacing document only while that one is published."""
    content = ContentFactory(tmp_path / "content")
    content.document("old-rule", replaced_by="new-rule", validity="失效")
    new = content.document("new-rule")
    cache = tmp_path / "out" / ".cache"
    withheld = "disclosure: 不予公开\nwithheld_reason: 内部事务信息"
    steps = [("", "", "new-rule"), ("", "", "new-rule"),  # the second build takes both from the cache
             ("disclosure: 主动公开", "disclosure: 依申请公开", "new-rule"),  # old-rule derived again, each time
             ("disclosure: 依申请公开", withheld, ""), (withheld, "disclosure: 主动公开", "new-rule")]
    for number, (before, after, shown) in enumerate(steps):
        if before:
            _edit(new, re.escape(before), after)
        corpus = _as_a_build_reads(content.root)
        pub = build_publication(corpus, cache=cache)
        assert pub.documents["old-rule"].replaced_by == shown
        assert isinstance(corpus.documents["old-rule"].source, LazySource) == (number == 1)
        assert _publication(pub) == _publication(build_publication(load_corpus(content.root)[0]))


def test_a_file_published_before_is_not_read_again_until_its_bytes_change(tmp_path: Path, monkeypatch) -> None:
    """Its size, SHA-256 and sniff are kept by its input digest; new bytes are read and sniffed again."""
    from gazette import publication, static_files
    from gazette.publication import Unpublishable

    content = ContentFactory(tmp_path / "content")
    content.document("with-file", attachments=[{"file": "attachments/2026/with-file/表.pdf", "title": "表"}])
    content.write("attachments/2026/with-file/表.pdf", "%PDF-1.4 first\n")
    cache = tmp_path / "out" / ".cache"
    first = _built(content.root, cache)
    read: list[str] = []
    real = static_files.read_plain_file

    def reading(root: Path, rel: str, limit: int | None = None) -> bytes:
        read.append(rel)
        return real(root, rel, limit)

    monkeypatch.setattr(static_files, "read_plain_file", reading)
    monkeypatch.setattr(publication, "read_plain_file", reading)
    again = _built(content.root, cache)
    assert read == [] and again.static_files == first.static_files
    assert again.documents["with-file"].attachments == first.documents["with-file"].attachments

    content.write("attachments/2026/with-file/表.pdf", "%PDF-1.4 second, longer\n")
    changed = _built(content.root, cache)
    assert "attachments/2026/with-file/表.pdf" in read
    attachment = changed.documents["with-file"].attachments[0]
    assert attachment.size == len(b"%PDF-1.4 second, longer\n")
    assert attachment.sha256 != first.documents["with-file"].attachments[0].sha256

    content.write("attachments/2026/with-file/表.pdf", "<html><script>alert(1)</script>\n")
    with pytest.raises(Unpublishable):  # sniffed again: its bytes are not the ones that passed
        _built(content.root, cache)


def test_rows_remembered_are_not_trusted_once_another_build_changed_the_file(tmp_path: Path) -> None:
    """Another process's build changes the file (its token): this process's memory of it is not used, and
    a row the other build added for a document since removed is deleted all the same."""
    content = ContentFactory(tmp_path / "content")
    content.document("plain-doc")
    cache = tmp_path / "out" / ".cache"
    _built(content.root, cache)
    ours = dict(publication_cache._memory)  # what this process remembers of the file
    path = content.document("canary-doc", body=f"{CANARY}body 正文。")
    _built(content.root, cache)  # as another process would: its rows and token in the file
    assert CANARY.encode() in (cache / "publication.sqlite").read_bytes()
    publication_cache._memory.clear()
    publication_cache._memory.update(ours)  # this process knows nothing of that build
    path.unlink()  # gone: no row is written for it, its old one must be deleted
    pub = _built(content.root, cache)
    assert "canary-doc" not in pub.documents
    assert CANARY.encode() not in (cache / "publication.sqlite").read_bytes()


def test_rows_read_ahead_by_a_watching_process_equal_a_fresh_derivation(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """`build.warm` (a watch waiting for its first edit) reads the rows as a build that used them all
    leaves them; the build after an edit takes them from memory and equals a fresh derivation. A file with
    a row this code did not write is not read ahead."""
    from gazette.build import warm

    content = ContentFactory(tmp_path / "content")
    build_site_corpus(content)
    output = tmp_path / "out"
    from gazette.build import run_build

    assert run_build(content.root, output, ["search"]).status == 0
    publication_cache._memory.clear()  # as in a new process
    warm(content.root, output)
    file = str(output / ".cache" / "publication.sqlite")
    assert file in publication_cache._memory and len(publication_cache._memory[file][2]) > 5
    used = _from_memory(monkeypatch)
    _edit(next(content.root.glob("documents/*/*.zh.md")), r"\n---\n", "\n---\n补充一句。\n")
    cached = _built(content.root, output / ".cache")
    assert used == [True]
    assert _publication(cached) == _publication(build_publication(load_corpus(content.root)[0]))

    import pickle
    import sqlite3

    with sqlite3.connect(file) as db:
        db.execute("INSERT INTO document VALUES ('planted', 'key', ?)", (pickle.dumps({"not": "a row"}),))
    publication_cache._memory.clear()
    warm(content.root, output)
    assert file not in publication_cache._memory
