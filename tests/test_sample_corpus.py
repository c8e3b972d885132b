"""The sample corpus is what a prefecture would recognise, checks clean, and builds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from gazette.checks import check_content
from gazette.model import ON_REQUEST, PROACTIVE, WITHHELD


@pytest.fixture(scope="module")
def checked(sample_content: Path):
    return check_content(sample_content)


def test_sample_checks_clean(checked) -> None:
    """No errors; the warnings are the ones the sample is meant to show: three entries whose 录入 came
    late, and one request answered after its deadline."""
    _, findings = checked
    assert sorted((f.code, f.path) for f in findings) == [
        ("REQ-LATE", "requests/2025/2025-0015.yml"),
        ("REVIEW-LATE", "documents/2026/gz-xxgk-ndbg-2025.zh.md"),
        ("REVIEW-LATE", "documents/2026/gzfb-2026-4.zh.md"),
        ("REVIEW-LATE", "documents/2026/ld-tjgb-2025.zh.md"),
    ], [f.as_text() for f in findings]


def test_sample_has_three_complete_issues_of_one_year(checked) -> None:
    corpus, _ = checked
    published = [i for i in corpus.issues if i.is_published]
    assert len(published) >= 3 and len({i.year for i in published}) == 1
    for issue in published:
        sections = [s.section for s in issue.sections]
        assert sections == list(corpus.registry.sections), issue.path
        assert all(1 <= len(s.items) <= 3 for s in issue.sections), issue.path
        assert issue.cover_image and issue.photos("inside_front") and issue.photos("back_cover")
        for slug in issue.items():
            assert "bo" in corpus.documents[slug].translations, slug


def test_sample_disclosure_entries(checked) -> None:
    corpus, _ = checked
    docs = list(corpus.documents.values())
    assert len(docs) >= 40
    kinds = Counter(corpus.registry.agencies[d.issuers[0]].kind for d in docs)
    assert kinds["department"] and kinds["county"] and kinds["prefecture"] and kinds["office"]
    assert len({d.issuers[0] for d in docs if corpus.registry.agencies[d.issuers[0]].kind == "department"}) >= 5
    assert len({d.issuers[0] for d in docs if corpus.registry.agencies[d.issuers[0]].kind == "county"}) >= 5
    assert len({d.catalogue.split(".")[0] for d in docs}) >= 10
    values = Counter(d.disclosure for d in docs)
    assert values[PROACTIVE] and values[ON_REQUEST] and values[WITHHELD]
    normative = [d for d in docs if d.catalogue == "rules.normative"]
    assert {d.validity for d in normative} >= {"有效", "失效", "废止"}
    assert any(d.replaced_by for d in docs)
    extensions = {a.file.rsplit(".", 1)[-1] for d in docs for a in d.attachments}
    assert {"pdf", "xlsx"} <= extensions
    assert any("|---" in d.body or "| ---" in d.body for d in docs)


def test_sample_site_builds(sample_site: Path) -> None:
    site = sample_site
    assert (site / "zh/gazette/2026/index.html").is_file() and (site / "bo/gazette/2026/index.html").is_file()
    html = (site / "zh/index.html").read_text(encoding="utf-8")
    assert "示例内容" in html
