"""The disclosure rules across every output: a withheld, on-request or draft document's text and
attachments appear in no file under build/, and a secret document stops the build and leaves the
previous output exactly as it was."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest
from factory import ContentFactory
from gazette.build import build
from site_corpus import MARKS, build_site_corpus


def _tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _texts(path: Path) -> list[str]:
    """What a reader or a tool could get out of a file: its bytes as text, and a PDF's extracted text."""
    raw = path.read_bytes()
    texts = [raw.decode("utf-8", "ignore").lower(), raw.decode("utf-16-le", "ignore").lower()]
    if path.suffix == ".pdf":
        texts.append(subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                                    text=True, check=True).stdout.lower())
    return texts


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("secrecy")
    content = ContentFactory(root / "content")
    build_site_corpus(content)
    assert build(content.root, root / "build", ["pdf", "site", "search"]) == 0
    return root


def test_marks_appear_in_no_output_file(built: Path) -> None:
    files = [p for p in (built / "build").rglob("*") if p.is_file() and ".cache" not in p.parts]
    assert any(p.suffix == ".pdf" for p in files) and any("search-index" in p.parts for p in files)
    leaks = [(p.relative_to(built).as_posix(), mark) for p in files for text in _texts(p)
             for mark in MARKS if mark in text]
    assert leaks == []


def test_marks_are_not_in_the_cache_either(built: Path) -> None:
    cache = built / "build" / ".cache"
    files = [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []
    assert [(p.name, m) for p in files for t in _texts(p) for m in MARKS if m in t] == []


def test_search_finds_no_mark(built: Path) -> None:
    import argparse
    import contextlib
    import io

    from gazette.search.cli import search_command

    for mark in MARKS:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            search_command(argparse.Namespace(query=mark, lang=None, output=str(built / "build")))
        assert mark not in out.getvalue() and "/documents/" not in out.getvalue(), mark


def test_the_register_and_the_chain_were_read(built: Path) -> None:
    # the marks of a request and of a release chain are in the content the build read, and in no output
    from gazette.loader import load_corpus

    corpus, _ = load_corpus(built / "content")
    assert "zqxrequestsubject" in corpus.requests[0].subject
    assert "zqxreviewname" in str(corpus.documents["notice-a"].meta["review"])


def test_public_text_is_there(built: Path) -> None:
    # the check above would pass on an empty build: make sure the public document did get through
    site = built / "build" / "site"
    assert "各县（市）人民政府" in (site / "zh/documents/notice-a/index.html").read_text(encoding="utf-8")
    assert (site / "pdf").is_dir()


@pytest.mark.parametrize("value", ["涉密", "秘密", "机密", "绝密", "非涉密 ", "非涉密\u200b", None])
def test_every_value_but_not_secret_stops_the_check(built: Path, tmp_path: Path, value: str | None) -> None:
    import shutil

    from gazette.checks import check_content

    content = tmp_path / "content"
    shutil.copytree(built / "content", content)
    ContentFactory(content, serial=900).document("secret-one", secrecy=value, body="zqxsecretbody")
    codes = {(f.code, f.path) for f in check_content(content)[1] if f.level == "error"}
    assert ("SEC-SECRET", "documents/2026/secret-one.zh.md") in codes


def test_secret_document_stops_the_build_and_keeps_the_last_output(built: Path, tmp_path: Path) -> None:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(built / "content", content)
    before = _tree_digest(built / "build" / "site")
    factory = ContentFactory(content, serial=900)
    factory.document("secret-one", secrecy="秘密", body="zqxsecretbody", title="zqxsecrettitle")
    output = tmp_path / "build"
    shutil.copytree(built / "build", output, symlinks=True)
    everything = _tree_digest(output)
    assert build(content, output, ["pdf", "site", "search"]) == 1
    assert _tree_digest(output / "site") == before
    # Not a byte of the output changed, caches included: nothing of the secret document can be in it.
    assert _tree_digest(output) == everything
    assert sorted(p.name for p in output.iterdir()) == sorted(p.name for p in (built / "build").iterdir())
