"""Reading files: front matter, encodings, pairing of translations, registries."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from gazette.frontmatter import MAX_YAML_BYTES, SourceError, parse_markdown, read_bytes, read_source
from gazette.loader import load_corpus, walk


def test_bom_and_crlf_are_accepted() -> None:
    source = parse_markdown("\ufeff---\r\ntitle: 通知\r\nsigned: 2026-03-02\r\n---\r\n正文\r\n".encode(), "a.zh.md")
    assert source.meta == {"title": "通知", "signed": "2026-03-02"}
    assert source.lines["signed"] == 3 and source.body_line == 5 and source.body == "正文\n"


@pytest.mark.parametrize("text, code, line", [
    ("---\ntitle: a\ntitle: b\n---\n", "META-DUPLICATE-KEY", 3),
    ("---\ntitle: [a\n---\n", "META-YAML", 3),  # the parser notices at the end of the block
    ("---\ntitle: a\n", "META-UNCLOSED", 1),
    ("title: a\n", "META-MISSING", 1),
])
def test_malformed_front_matter_is_a_finding(text: str, code: str, line: int) -> None:
    with pytest.raises(SourceError) as caught:
        parse_markdown(text.encode(), "x.zh.md")
    assert caught.value.finding.code == code and caught.value.finding.line == line


def test_gbk_file_is_named_with_the_fix() -> None:
    with pytest.raises(SourceError) as caught:
        parse_markdown("---\ntitle: 甘孜州通知\n---\n".encode("gbk"), "x.zh.md")
    finding = caught.value.finding
    assert finding.code == "TEXT-ENCODING-GBK" and "iconv -f GB18030 -t UTF-8" in finding.fix_en


def test_translations_pair_by_slug(content) -> None:
    content.document("a")
    content.translation("a")
    content.translation("lonely")
    corpus, findings = load_corpus(content.root)
    assert set(corpus.documents) == {"a"} and set(corpus.documents["a"].translations) == {"bo"}
    assert [s.path for s in corpus.orphans] == ["documents/2026/lonely.bo.md"]
    assert not findings


def test_registries_load_with_tree_and_order(sample_content) -> None:
    corpus, findings = load_corpus(sample_content)
    reg = corpus.registry
    assert not [f for f in findings if f.path.startswith("registry/")]
    assert reg.catalogue["rules.normative"].is_leaf and not reg.catalogue["rules"].is_leaf
    assert reg.catalogue["rules.normative"].parent == "rules"
    assert list(reg.sections)[0] == "governor-speech" and list(reg.sections)[-1] == "auspicious-kham"
    assert reg.agencies["prefecture-government"].code_prefix == "甘府"
    assert all(entry.bo for entry in [*reg.agencies.values(), *reg.catalogue.values(), *reg.sections.values()])


@pytest.mark.parametrize("yaml_text, code, line, field", [
    ("title: 通知\nkeywords: &k [a, b]\nsummary: *k\n", "META-YAML-ALIAS", 3, "keywords"),
    ("title: &t 通知\n", "META-YAML-ALIAS", 2, "title"),
    ("x:\n  y: [*nothing]\n", "META-YAML-ALIAS", 3, "x"),
    ("published: !!timestamp 2026-03-04 10:00:00\n", "META-YAML-TAG", 2, "published"),
    ("title: !!python/object/apply:os.system [ls]\n", "META-YAML-TAG", 2, "title"),
    ("title: !custom 通知\n", "META-YAML-TAG", 2, "title"),
    ("title: ! 通知\n", "META-YAML-TAG", 2, "title"),
    ("review:\n  - !!map {step: 录入}\n", "META-YAML-TAG", 3, "review"),
    ("x: " + "[" * 21 + "]" * 21 + "\n", "LIMIT-YAML-DEPTH", 2, "x"),
    ("x: " + "[\n" * 100_000 + "]\n" * 100_000, "LIMIT-YAML-DEPTH", 21, "x"),
    ("x:\n" + "".join(" " * i + "y:\n" for i in range(1, 21)) + " " * 21 + "z: 1\n", "LIMIT-YAML-DEPTH", 22, "x"),
    ("x: " + "- " * 30 + "a\n", "META-YAML", 2, ""),  # not valid after a key; at the top level a sequence
    ("title: " + "1" * 5_000 + "\n", "META-YAML", 2, ""),
    ("title: " + "通" * 20_001 + "\n", "LIMIT-LINE", 2, ""),
])
def test_yaml_an_editor_never_needs_is_refused(yaml_text: str, code: str, line: int, field: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_markdown(f"---\n{yaml_text}---\n正文\n".encode(), "x.zh.md")
    finding = caught.value.finding
    assert (finding.code, finding.line, finding.field) == (code, line, field), finding.as_text()
    assert finding.zh and finding.en and finding.fix_zh and finding.fix_en


def test_yaml_without_anchors_or_tags_reads_as_before() -> None:
    text = ("title: 注意! R&D *重点* 工作\nissuer: [a, b]\nreview: [{step: 录入, by: 甲, date: 2026-03-02}, "
            "{step: 初审, by: 乙}]\nsecrecy_review: {by: 州政府办公室, date: 2026-03-03}\nx: " + "[" * 19
            + "]" * 19 + "\n")  # with the mapping around them: 20 levels
    source = parse_markdown(f"---\n{text}---\n正文\n".encode(), "x.zh.md")
    assert source.meta["title"] == "注意! R&D *重点* 工作"
    assert source.meta["review"][1] == {"step": "初审", "by": "乙"}
    assert source.meta["secrecy_review"]["date"] == "2026-03-03" and source.lines["x"] == 6


def test_a_file_is_read_no_further_than_its_limit(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "registry").mkdir(parents=True)
    (root / "registry" / "a.yml").write_bytes(b"- id: a\n" * (MAX_YAML_BYTES // 8 + 1))
    with pytest.raises(SourceError) as caught:
        read_source(root, root / "registry" / "a.yml")
    assert caught.value.finding.code == "LIMIT-FILE-SIZE" and "256 KB" in caught.value.finding.en
    with pytest.raises(SourceError):  # over the limit it was given: refused before a byte is read
        read_bytes(root, "registry/a.yml", 16)
    (root / "registry" / "b.yml").write_bytes(b"- id: b\n")
    assert read_bytes(root, "registry/b.yml", 8) == b"- id: b\n"


def test_no_link_is_followed_on_the_way_to_a_file(tmp_path: Path) -> None:
    root, outside = tmp_path / "content", tmp_path / "outside"
    (outside / "2026").mkdir(parents=True)
    (outside / "2026" / "a.zh.md").write_text("---\ntitle: 外部\n---\n", encoding="utf-8")
    (root / "documents").mkdir(parents=True)
    os.symlink(outside / "2026", root / "documents" / "2026")
    os.symlink(outside / "2026" / "a.zh.md", root / "documents" / "b.zh.md")
    for rel, linked in (("documents/2026/a.zh.md", "documents/2026"), ("documents/b.zh.md", "documents/b.zh.md")):
        with pytest.raises(SourceError) as caught:
            read_source(root, root / rel)
        assert (caught.value.finding.code, caught.value.finding.path) == ("FILE-SYMLINK", linked)


def test_walk_lists_regular_files_in_path_order(tmp_path: Path) -> None:
    root = tmp_path / "content"
    for rel in ("documents/2026-x/a.zh.md", "documents/2026/b.zh.md", "documents/2026/.hidden", "z.txt"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x", encoding="utf-8")
    os.symlink("z.txt", root / "link.txt")
    os.mkfifo(root / "pipe.zh.md")
    files, findings = walk(root)
    assert files == ["documents/2026/.hidden", "documents/2026/b.zh.md", "documents/2026-x/a.zh.md", "z.txt"]
    assert sorted((f.code, f.path) for f in findings) == [("FILE-SPECIAL", "pipe.zh.md"),
                                                          ("FILE-SYMLINK", "link.txt")]
