"""Inputs that once passed the check and then hung or crashed the build, or crashed the check itself.

Each gets an error finding naming the file (and the line where there is one) from `gazette check`,
in well under a second; the big inputs are made just over their limits where the size does not matter.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from factory import ContentFactory
from gazette.checks import check_content
from gazette.checks.limits import (
    MAX_BLOCKS,
    MAX_HEADINGS,
    MAX_HTML_NESTING,
    MAX_MARKS,
    MAX_NESTING,
    body_problems,
)
from gazette.findings import Finding
from gazette.frontmatter import MAX_LINE_CHARS, MAX_MARKDOWN_BYTES

MB = 1024 * 1024
BODY_LINE = 16  # the first body line of a document the factory writes with its default fields


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A check that blocks (a FIFO opened for reading) fails the test instead of stopping the run."""
    def stop(signum: int, frame: object) -> None:
        raise TimeoutError("the check did not finish in 20 s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def errors(content: ContentFactory, seconds: float = 5.0) -> list[Finding]:
    start = time.perf_counter()
    _, findings = check_content(content.root)
    assert time.perf_counter() - start < seconds
    return [f for f in findings if f.is_error]


def only(findings: list[Finding], code: str, path: str) -> Finding:
    found = [f for f in findings if f.code == code and f.path == path]
    assert found, [f.as_text()[:160] for f in findings]
    return found[0]


@pytest.mark.parametrize("body, code, line", [
    ("[" * 8_000, "LIMIT-BRACKETS", BODY_LINE),
    ("甘孜州人民政府通知如下。\n\n" + "[a](" * 8_000, "LIMIT-BRACKETS", BODY_LINE + 2),
    ("## 第一条\n" * 100_000, "LIMIT-HEADINGS", BODY_LINE + MAX_HEADINGS),
    ("正文。\n\n" + ">" * 200 + " 引用\n", "LIMIT-NESTING", BODY_LINE + 2),
    ("<div>" * 300 + "正文" + "</div>" * 300 + "\n", "LIMIT-NESTING", BODY_LINE),
    ("<div>\n" * 300 + "正文\n" + "</div>\n" * 300, "LIMIT-NESTING", BODY_LINE + MAX_HTML_NESTING),
    ("".join("    " * i + "- 第一项\n" for i in range(1_000)), "LIMIT-NESTING", BODY_LINE + MAX_NESTING),
    ("x <a\n\n" * 2_000, "LIMIT-TAGS", None),
    ("*a* " * 10_000 + "\n", "LIMIT-INLINE", BODY_LINE),
    ("第一条。\n\n" * (MAX_BLOCKS + 1), "LIMIT-BLOCKS", BODY_LINE + 2 * MAX_BLOCKS),
    ("| 县 | 数 |\n|---|---|\n" + "| 康定市 | 1 |\n" * MAX_BLOCKS, "LIMIT-BLOCKS", BODY_LINE + MAX_BLOCKS),
    ("甘" * (MAX_LINE_CHARS + 1) + "\n", "LIMIT-LINE", BODY_LINE),
    ("正文。\n\n" + ("ཀ" + "\u0f71\u0f72" * 5_000 + "།\n\n") * 40, "LIMIT-MARKS", BODY_LINE + 2),
], ids=["8000 [", "8000 [a](", "100000 headings", "quote 200 deep", "300 nested div on a line",
        "300 nested div", "lists 1000 deep", "unclosed tags", "emphasis", "paragraphs", "table rows", "long line",
        "a stack of 10000 marks"])
def test_a_body_over_a_limit_is_an_error_with_its_line(content: ContentFactory, body: str, code: str,
                                                        line: int | None) -> None:
    path = content.document("x", body=body).relative_to(content.root).as_posix()
    found = errors(content)
    finding = only(found, code, path)
    assert finding.field == "body" and finding.zh and finding.en and finding.fix_zh and finding.fix_en
    if line is not None:
        assert finding.line == line
    # the refused body reaches no other rule: every error about this file is a limit
    assert {f.code.split("-")[0] for f in found if f.path == path} == {"LIMIT"}


def test_bodies_just_under_the_limits_pass() -> None:
    bodies = [
        "[" * 1_400, "[a](" * 700, "[" * 990 + "a" + "]" * 990, "*a* " * 4_999, "a  \n" * 4_999,
        "第一条。\n\n" * (MAX_BLOCKS - 1), "## 第一条\n" * (MAX_HEADINGS - 1), "x <a\n\n" * 800,
        "".join("    " * i + "- a\n" for i in range(MAX_NESTING)), ">" * MAX_NESTING + " a\n",
        "<div>" * MAX_HTML_NESTING + "a" + "</div>" * MAX_HTML_NESTING, "甘" * MAX_LINE_CHARS,
        "<p>一<p>二<li>三" * 100 + "<https://www.gzz.gov.cn/> <a@b.cn>" * 100,  # tags that do not nest
        "ཀ" + "\u0f71" * MAX_MARKS + "་བསྒྲུབས་ཧཱུྂ་ཀྵྨྱཱ།",  # real stacks, and a run at the limit
    ]
    for body in bodies:
        assert body_problems(body) == [], body[:40]


def test_a_huge_file_is_refused_unread(content: ContentFactory) -> None:
    line = content.write("documents/2026/line.zh.md", b"---\ntitle: x\n---\n" + b"a" * (15 * MB) + b"\n")
    body = content.write("documents/2026/body.zh.md",
                         b"---\ntitle: x\n---\n" + "甘孜州人民政府通知如下。\n\n".encode() * (50 * MB // 38))
    found = errors(content, seconds=2.0)
    for path in (line, body):
        finding = only(found, "LIMIT-FILE-SIZE", path.relative_to(content.root).as_posix())
        assert finding.line == 1 and "2.0 MB" in finding.en
    assert MAX_MARKDOWN_BYTES == 2 * MB


def _alias_bomb(indent: str) -> str:
    lines = [f"{indent}a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        lines.append(f"{indent}{chr(97 + i)}: &{chr(97 + i)} [{', '.join(['*' + chr(96 + i)] * 9)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("where", ["top level", "unknown field"])
@pytest.mark.parametrize("lang", ["zh", "bo"])
def test_a_yaml_alias_bomb_fails_at_its_first_anchor(content: ContentFactory, where: str, lang: str) -> None:
    content.document("x")
    meta = f"title: 通知\nslug: x\nlang: {lang}\n"
    meta += _alias_bomb("") if where == "top level" else "zzz:\n" + _alias_bomb("  ")
    path = f"documents/2026/{'y' if lang == 'zh' else 'x'}.{lang}.md"
    content.write(path, f"---\n{meta}---\n正文\n")
    finding = only(errors(content, seconds=2.0), "META-YAML-ALIAS", path)
    assert finding.line == (5 if where == "top level" else 6)
    assert finding.field == ("a" if where == "top level" else "zzz")


def test_an_explicit_yaml_tag_is_refused_with_its_line(content: ContentFactory) -> None:
    path = content.document("x").relative_to(content.root).as_posix()
    text = (content.root / path).read_text(encoding="utf-8")
    text = text.replace("published: '2026-03-04'", "published: !!timestamp 2026-03-04 10:00:00")
    assert "!!timestamp" in text
    content.write(path, text)
    content.write("gazette/2026/2026-01.yml", "year: 2026\nnumber: !!python/object:os.system 1\n")
    found = errors(content)
    finding = only(found, "META-YAML-TAG", path)
    assert (finding.line, finding.field) == (8, "published") and "!!timestamp" in finding.en
    assert only(found, "META-YAML-TAG", "gazette/2026/2026-01.yml").line == 2
    assert not [f for f in found if f.code == "CHECK-INTERNAL"]


def test_links_and_special_files_are_errors_never_followed(content: ContentFactory, tmp_path: Path) -> None:
    content.document("a", attachments=[{"file": "attachments/2026/a/passwd.txt", "title": "名单"}])
    root = content.root
    (root / "attachments/2026/a").mkdir(parents=True)
    os.symlink("/etc/passwd", root / "attachments/2026/a/passwd.txt")
    os.symlink("nowhere.zh.md", root / "documents/2026/dangling.zh.md")
    os.symlink("loop2.zh.md", root / "documents/2026/loop1.zh.md")
    os.symlink("loop1.zh.md", root / "documents/2026/loop2.zh.md")
    outside = tmp_path / "outside"
    (outside / "2026").mkdir(parents=True)
    (outside / "2026" / "b.zh.md").write_text((root / "documents/2026/a.zh.md").read_text(encoding="utf-8")
                                              .replace("slug: a", "slug: b"), encoding="utf-8")
    os.symlink(outside, root / "pages")
    os.symlink(outside / "2026", root / "documents/2027")
    os.mkfifo(root / "documents/2026/x.zh.md")
    os.mkfifo(root / "gazette.yml")

    corpus, findings = check_content(root)
    found = [f for f in findings if f.is_error]
    for path in ("attachments/2026/a/passwd.txt", "documents/2026/dangling.zh.md", "documents/2026/loop1.zh.md",
                 "documents/2026/loop2.zh.md", "pages", "documents/2027"):
        assert only(found, "FILE-SYMLINK", path).line == 1
    for path in ("documents/2026/x.zh.md", "gazette.yml"):
        only(found, "FILE-SPECIAL", path)
    assert corpus.files == {"documents/2026/a.zh.md", *(f"registry/{n}.yml" for n in
                                                         ("agencies", "catalogue", "genres", "sections"))}
    assert set(corpus.documents) == {"a"} and not corpus.pages
    assert only(found, "ATT-MISSING", "documents/2026/a.zh.md")


def test_a_linked_registry_is_not_read(content: ContentFactory, tmp_path: Path) -> None:
    root = content.root
    (tmp_path / "registry").mkdir()
    (root / "registry" / "genres.yml").rename(tmp_path / "registry" / "genres.yml")
    os.symlink(tmp_path / "registry" / "genres.yml", root / "registry" / "genres.yml")
    corpus, findings = check_content(root)
    assert only(findings, "FILE-SYMLINK", "registry/genres.yml")
    assert not corpus.registry.genres and "genres" not in corpus.registry.sources


@pytest.mark.parametrize("unit", ["href=", "src="])
def test_the_link_scans_read_a_line_once(content: ContentFactory, unit: str) -> None:
    """A pattern that looked for a plain link to a source tried again from every address of a line: twelve
    lines of them (under every input limit; a ".md" elsewhere so the scan runs) took half a minute. (Lines of
    "<a " or "![" are refused by the limits before any scan: LIMIT-TAGS, LIMIT-BRACKETS.)"""
    line = unit * ((MAX_LINE_CHARS - 10) // len(unit))
    content.document("a", body="见 readme.md。\n\n" + "\n\n".join([line] * 12) + "\n")
    assert not [f for f in errors(content, seconds=5.0) if f.code.startswith("LIMIT-")]


def test_a_holiday_calendar_linked_from_outside_is_not_read(content: ContentFactory, tmp_path: Path) -> None:
    from gazette.loader import load_corpus
    from gazette.workdays import covered_range, use_added

    outside = tmp_path / "calendar.yml"
    outside.write_text("2027:\n  holidays: [2027-01-01]\n", encoding="utf-8")
    os.symlink(outside, content.root / "registry" / "calendar.yml")
    try:
        corpus, findings = load_corpus(content.root)
        assert [f.code for f in findings if f.path == "registry/calendar.yml"] == ["FILE-SYMLINK"]
        assert covered_range()[1].year == 2026  # the linked year is not used
    finally:
        use_added({})


@pytest.mark.parametrize("text", ["2027:\n  holidays: " + "[" * 5_000 + "\n",
                                  "a: &a [1, 2]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n",
                                  "2027:\n  holidays: [" + ", ".join(["2027-01-01"] * 200_000) + "]\n"])
def test_a_hostile_holiday_calendar_is_a_finding(content: ContentFactory, text: str) -> None:
    """Nested past the limit, an alias, a file of millions of characters: said with the file, never a
    traceback, and no year taken from it."""
    from gazette.workdays import covered_range, use_added

    content.write("registry/calendar.yml", text)
    try:
        found = [f for f in errors(content) if f.path == "registry/calendar.yml"]
        assert found and covered_range()[1].year == 2026
    finally:
        use_added({})
