"""Gazette issues."""

from __future__ import annotations

from typing import Any

from factory import ContentFactory, jpeg

TITLE = "དཀར་མཛེས་ཁུལ་གྱི་བརྡ་ཐོ།"


def issue_codes(content: ContentFactory) -> list[tuple[str, str]]:
    return sorted((f.code, f.path) for f in content.findings() if f.code.startswith("ISSUE-"))


def translated(content: ContentFactory, slug: str, **fields: Any) -> None:
    content.document(slug, **fields)
    content.translation(slug, title=TITLE)


def section(items: list[str], name: str = "prefecture-documents") -> dict[str, Any]:
    return {"section": name, "items": items}


def test_good_issues(content: ContentFactory) -> None:
    for slug in ("a", "b", "c"):
        translated(content, slug)
    content.write("images/gazette/2026-03/cover.jpg", jpeg())
    content.issue(2026, 3, total=30, sections=[section(["a"], "governor-speech"), section(["b"])],
                  cover_image="images/gazette/2026-03/cover.jpg",
                  back_cover={"image": "images/gazette/2026-03/cover.jpg", "zh": "贡嘎山", "bo": "མི་ཉག་གངས་དཀར།"})
    content.issue(2026, 4, total=31, sections=[section(["c"])])
    content.issue(2026, 5, sections=[], status="draft")
    assert issue_codes(content) == []


def test_file_name_number_range_duplicate_status(content: ContentFactory) -> None:
    translated(content, "a")
    content.write("gazette/2026/march.yml", "year: 2026\nnumber: 3\ntotal: 3\ndate: 2026-03-28\nsections: []\n")
    content.write("gazette/2026/2026-13.yml", "year: 2026\nnumber: 13\ntotal: 4\ndate: 2026-03-28\n"
                                              "sections: [{section: prefecture-documents, items: [a]}]\n")
    content.write("gazette/2026/2026-03.yml", "year: 2026\nnumber: 3\ntotal: 3\ndate: 2026-03-28\n"
                                              "status: 出版\nsections: []\n")
    found = set(issue_codes(content))
    assert ("ISSUE-FILE-NAME", "gazette/2026/march.yml") in found
    assert ("ISSUE-NUMBER", "gazette/2026/2026-13.yml") in found
    assert ("ISSUE-DUPLICATE", "gazette/2026/march.yml") in found
    assert ("ISSUE-STATUS", "gazette/2026/2026-03.yml") in found


def test_required_and_types(content: ContentFactory) -> None:
    content.write("gazette/2026/2026-03.yml", "year: 2026\nnumber: '第3期'\ndate: 2026-03-28\nsections: []\n")
    content.write("gazette/2026/2026-04.yml", "year: 2026\nnumber: 4\nstatus: draft\n")
    found = issue_codes(content)
    assert ("ISSUE-REQUIRED", "gazette/2026/2026-03.yml") in found  # total
    assert ("ISSUE-FIELD-TYPE", "gazette/2026/2026-03.yml") in found
    assert not any(path.endswith("2026-04.yml") for _, path in found)  # a draft is checked for form only


def test_totals_consecutive_over_published_issues(content: ContentFactory) -> None:
    for slug in ("a", "b", "c"):
        translated(content, slug)
    content.issue(2026, 3, total=10, sections=[section(["a"])])
    content.issue(2026, 4, total=12, sections=[section(["b"])])
    content.issue(2026, 5, total=99, status="draft", sections=[section(["c"])])
    content.issue(2026, 6, total=13, sections=[section(["c"])])
    found = [f for f in content.findings() if f.code == "ISSUE-TOTAL"]
    assert [(f.path, "total: 11" in f.fix_en) for f in found] == [("gazette/2026/2026-04.yml", True)]


def test_dates(content: ContentFactory) -> None:
    translated(content, "late-signed", signed="2026-03-30", published="2026-03-31",
               secrecy_review={"by": "小组", "date": "2026-03-31"})
    translated(content, "b", signed="2026-11-02", published="2026-11-03",
               secrecy_review={"by": "小组", "date": "2026-11-03"})
    content.issue(2026, 3, sections=[section(["late-signed"])])
    content.issue(2026, 11, total=4, date="2026-11-30", sections=[section(["b"])])
    assert issue_codes(content) == [("ISSUE-DATE-BEFORE-ITEM", "gazette/2026/2026-03.yml"),
                                    ("ISSUE-DATE-FUTURE", "gazette/2026/2026-11.yml")]


def test_items(content: ContentFactory) -> None:
    translated(content, "ok")
    translated(content, "on-request", disclosure="依申请公开")
    translated(content, "draft", status="draft")
    content.document("untranslated")
    translated(content, "twice")
    content.issue(2026, 3, sections=[section(["ok", "missing", "on-request", "draft", "untranslated", "twice"])])
    content.issue(2026, 4, total=4, sections=[section(["twice"])])
    slugs = ("ok", "missing", "on-request", "draft", "untranslated", "twice")
    found = sorted((f.code, next(s for s in slugs if f" {s}" in f.zh)) for f in content.findings()
                   if f.code.startswith("ISSUE-ITEM"))
    assert found == [("ISSUE-ITEM-MISSING", "missing"), ("ISSUE-ITEM-NOT-PUBLIC", "draft"),
                     ("ISSUE-ITEM-NOT-PUBLIC", "on-request"), ("ISSUE-ITEM-REPEATED", "twice"),
                     ("ISSUE-ITEM-UNTRANSLATED", "untranslated")]


def test_sections_repeated_and_out_of_order(content: ContentFactory) -> None:
    for slug in ("a", "b", "c"):
        translated(content, slug)
    content.issue(2026, 3, sections=[section(["a"], "prefecture-documents"), section(["b"], "governor-speech"),
                                     section(["c"], "prefecture-documents")])
    content.issue(2026, 4, total=4, status="draft",
                  sections=[section([], "auspicious-kham"), section([], "work-research")])
    found = issue_codes(content)
    assert ("ISSUE-SECTION-ORDER", "gazette/2026/2026-03.yml") in found
    assert ("ISSUE-SECTION-REPEATED", "gazette/2026/2026-03.yml") in found
    assert ("ISSUE-SECTION-ORDER", "gazette/2026/2026-04.yml") in found  # form: drafts too


def test_images_exist_and_empty_issue(content: ContentFactory) -> None:
    translated(content, "a")
    content.issue(2026, 3, sections=[section(["a"])], cover_image="images/gazette/2026-03/cover.jpg",
                  inside_front=[{"image": "images/gazette/2026-03/a.jpg", "zh": "调研"}])
    content.issue(2026, 4, total=4, sections=[])
    found = issue_codes(content)
    assert found.count(("ISSUE-IMAGE-MISSING", "gazette/2026/2026-03.yml")) == 2
    assert ("ISSUE-EMPTY", "gazette/2026/2026-04.yml") in found


def test_malformed_issue_files(content: ContentFactory) -> None:
    content.write("gazette/2026/2026-03.yml", "- year: 2026\n- number: 3\n")
    content.write("gazette/2026/2026-04.yml", "year: 2026\nnumber: 4\nsections: prefecture-documents\n"
                                              "status: draft\n")
    found = issue_codes(content)
    assert ("ISSUE-FORMAT", "gazette/2026/2026-03.yml") in found
    assert ("ISSUE-SECTIONS", "gazette/2026/2026-04.yml") in found


def test_an_issue_marked_secret_stops_and_a_misspelt_status_is_an_error(content: ContentFactory) -> None:
    for slug in ("a", "b", "c"):
        translated(content, slug)
    content.issue(2026, 3, total=30, sections=[section(["a"])], secrecy="秘密")
    content.issue(2026, 4, total=31, sections=[section(["b"])], stauts="draft")
    content.issue(2026, 5, total=32, sections=[section(["c"])], secrecy="非涉密", editor_note="x")
    found = sorted((f.code, f.path, f.is_error) for f in content.findings()
                   if f.code in ("SEC-SECRET", "DOC-FIELD-LOOKALIKE", "DOC-FIELD-UNKNOWN"))
    assert found == [("DOC-FIELD-LOOKALIKE", "gazette/2026/2026-04.yml", True),
                     ("DOC-FIELD-UNKNOWN", "gazette/2026/2026-05.yml", False),
                     ("SEC-SECRET", "gazette/2026/2026-03.yml", True)]
