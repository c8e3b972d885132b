from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from factory import ROOT, ContentFactory
from pdf_corpus import Built, build, write_issue

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True, scope="session")
def fixed_today() -> Iterator[None]:
    """Tests see a fixed "today" (Beijing), so date rules do not drift with the calendar; module-scoped
    builds included."""
    import gazette.checks

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gazette.checks, "beijing_today", lambda: TODAY)
        yield


@pytest.fixture
def content(tmp_path: Path) -> ContentFactory:
    return ContentFactory(tmp_path / "content")


@pytest.fixture(scope="session")
def sample_content() -> Path:
    return ROOT / "content"


@pytest.fixture(scope="session")
def sample_site(sample_content: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content's site, built once (`--only site`)."""
    from gazette.build import build

    output = tmp_path_factory.mktemp("sample") / "build"
    assert build(sample_content, output, ["site"]) == 0
    return output / "site"


@pytest.fixture(scope="session")
def issue_pdfs(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The PDF stage run once on a small issue (pdf_corpus.write_issue), for every test that reads PDFs.
    Its content is at `issue_pdfs.site.parent.parent / "content"`; tests that change it work on a copy."""
    root = tmp_path_factory.mktemp("issue-pdfs")
    content = ContentFactory(root / "content")
    write_issue(content)
    return build(content.root, root / "build")

