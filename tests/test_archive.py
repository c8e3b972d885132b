"""The archive package (BagIt) of the session's small issue: it validates with bagit, holds what the
Publication lists for the issue and nothing of the on-request or withheld documents, and its PDF/As pass
the structure checks free tools allow (veraPDF is not among them: docs/authenticity.md)."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import bagit
import pytest
from gazette import urls
from gazette.archive import committed_source, write_bag
from gazette.checksums import sha256_file
from gazette.cli import main
from gazette.pdf import readback
from pdf_corpus import ON_REQUEST_PHRASE, WITHHELD_PHRASE, Built
from pypdf import PdfReader
from pypdf.generic import IndirectObject


@pytest.fixture(scope="module")
def bag(issue_pdfs: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package of the issue as if it held its first section alone (the speech): two PDF/A renders
    instead of six keep the suite short; the editions are the whole issue's."""
    root = tmp_path_factory.mktemp("archive")
    issue = issue_pdfs.publication.issues[0]
    issue = dataclasses.replace(issue, sections=issue.sections[:1])
    settings = {**issue_pdfs.settings, "GAZETTE_PDF_WORKERS": 1}
    return write_bag(issue_pdfs.publication, issue, issue_pdfs.site, root / "package", settings,
                     root / ".cache", "0" * 40)


def _issue(issue_pdfs: Built):
    issue = issue_pdfs.publication.issues[0]
    return dataclasses.replace(issue, sections=issue.sections[:1])


def _payload(bag: Path) -> set[str]:
    return {p.relative_to(bag / "data").as_posix() for p in (bag / "data").rglob("*") if p.is_file()}


def test_the_package_validates_and_holds_the_issue(bag: Path, issue_pdfs: Built) -> None:
    bagit.Bag(str(bag)).validate()
    pub = issue_pdfs.publication
    issue = _issue(issue_pdfs)
    items = [doc.slug for doc in issue.documents()]
    assert items == ["gz-speech"]
    expected = {f"issue/{issue.key}.{lang}.pdfa.pdf" for lang in ("zh", "bo")}
    expected |= {f"documents/{slug}.{lang}.pdfa.pdf" for slug in items for lang in ("zh", "bo")}
    expected |= {f"sources/{issue.source}"} | {f"sources/{p}" for d in issue.documents() for p in d.sources.values()}
    expected |= {f"photographs/{p}" for p in (issue.cover_image, *(x.image for x in
                                                                   [*issue.inside_front, *issue.inside_back,
                                                                    *issue.back_cover]))}
    expected |= {"metadata/issue.json"} | {f"metadata/{slug}.json" for slug in items}
    assert _payload(bag) == expected
    # The editions are the build's files, byte for byte.
    for lang in ("zh", "bo"):
        assert sha256_file(bag / "data" / "issue" / f"{issue.key}.{lang}.pdfa.pdf") == sha256_file(
            issue_pdfs.pdf(urls.issue_pdfa(issue.year, issue.number, lang)))
    meta = json.loads((bag / "data/metadata/issue.json").read_text(encoding="utf-8"))
    assert meta["files"][f"issue/{issue.key}.zh.pdfa.pdf"] == sha256_file(bag / f"data/issue/{issue.key}.zh.pdfa.pdf")
    doc = json.loads((bag / f"data/metadata/{items[0]}.json").read_text(encoding="utf-8"))
    assert doc["slug"] == items[0] and doc["titles"]["zh"] == pub.documents[items[0]].texts["zh"].title


def test_a_changed_byte_fails_bagit(bag: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(bag, copy)
    source = next((copy / "data" / "sources").rglob("*.md"))
    data = bytearray(source.read_bytes())
    data[0] ^= 1  # the same size: only the checksum can tell
    source.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(copy)).validate()


def test_nothing_non_public_enters(bag: Path) -> None:
    names = _payload(bag)
    assert not [n for n in names if "gz-request" in n or "gz-withheld" in n]
    for path in (bag / "data").rglob("*"):
        if path.suffix in {".md", ".yml", ".json", ".txt"}:
            text = path.read_text(encoding="utf-8")
            assert ON_REQUEST_PHRASE not in text and WITHHELD_PHRASE not in text, path
        elif path.suffix == ".pdf" and path.parent.name == "documents":  # rendered here; the issue's are the build's
            text = readback.normalise(readback.body_text(path))
            assert readback.normalise(ON_REQUEST_PHRASE) not in text and readback.normalise(WITHHELD_PHRASE) not in text


def test_the_release_chain_names_stay_out_of_the_sources() -> None:
    raw = ("---\ntitle: 通知\nreview:\n  - {step: 录入, by: 王丽, date: 2026-10-13}\n  - {step: 审发, by: 周明, "
           "date: 2026-10-14}\nsecrecy: 非涉密\n---\n正文，review: 不是字段。\n").encode()
    kept = committed_source(raw).decode()
    assert "王丽" not in kept and "周明" not in kept
    assert "title: 通知\nsecrecy: 非涉密\n---\n正文，review: 不是字段。\n" in kept
    flush = "---\ntitle: 通知\nreview:\n- {step: 录入, by: 王丽}\nlang: zh\n---\n正文\n".encode()
    assert committed_source(flush).decode() == "---\ntitle: 通知\nlang: zh\n---\n正文\n"


@pytest.mark.parametrize("review", [
    '"review":\n  - {step: 录入, by: 王丽, date: 2026-10-13}\n',  # a quoted key
    "review:\n# 审核链\n  - {step: 录入, by: 王丽, date: 2026-10-13}\n",  # a comment at the margin inside
    "review: [{step: 录入, by: 王丽, date: 2026-10-13},\n{step: 审发, by: 周明, date: 2026-10-14}]\n",  # flow, flush
    "? review\n: - {step: 录入, by: 王丽}\n",  # an explicit key
])
def test_the_release_chain_names_stay_out_however_written(review: str) -> None:
    raw = f"---\ntitle: 通知\n{review}secrecy: 非涉密\n---\n正文。\n".encode()
    kept = committed_source(raw).decode()
    assert "王丽" not in kept and "周明" not in kept
    assert kept == "---\ntitle: 通知\nsecrecy: 非涉密\n---\n正文。\n"


def test_a_front_matter_in_one_flow_mapping_is_written_anew_without_the_chain() -> None:
    raw = "---\n{title: 通知, review: [{step: 录入, by: 王丽}], signed: 2026-10-13}\n---\n正文。\n".encode()
    kept = committed_source(raw).decode()
    assert "王丽" not in kept and kept.endswith("---\n正文。\n")
    assert "title: 通知" in kept and "2026-10-13" in kept


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def pdfa_structure(path: Path) -> list[str]:
    """What free tools can check of PDF/A-3b: the declaration, the output intent with its ICC profile,
    every font embedded, no encryption, a blending colour space wherever a page uses transparency."""
    problems = []
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    if readback.archive_conformance(path) != ("3", "B"):
        problems.append("no PDF/A-3b declaration in the XMP metadata")
    intents = [_resolve(i) for i in _resolve(root.get("/OutputIntents", []))]
    if not any(i.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i for i in intents):
        problems.append("no GTS_PDFA1 output intent with an ICC profile")
    if "/Encrypt" in reader.trailer:
        problems.append("encrypted")
    problems += [f"font not embedded: {f.name}" for f in readback.fonts(path) if not f.embedded]
    for number, page in enumerate(reader.pages, 1):
        group = _resolve(page.get("/Group"))
        if group is not None and group.get("/S") == "/Transparency" and "/CS" not in group:
            problems.append(f"page {number}: transparency group without a colour space")
    if re.search(rb"/JavaScript|/JS\s", path.read_bytes()):
        problems.append("JavaScript")
    return problems


def test_every_pdfa_in_the_package_passes_the_structure_checks(bag: Path) -> None:
    pdfs = sorted((bag / "data").rglob("*.pdf"))
    assert len(pdfs) >= 4
    for path in pdfs:
        assert pdfa_structure(path) == [], path


def test_the_command_refuses_a_package_under_the_web_root_or_over_a_folder(tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "build"
    assert main(["archive", "2026-10", "--out", str(output / "site" / "bag"), "--output", str(output)]) == 1
    assert "web root" in capsys.readouterr().err
    existing = tmp_path / "there"
    existing.mkdir()
    assert main(["archive", "2026-10", "--out", str(existing), "--output", str(output)]) == 1
    assert "never overwrites" in capsys.readouterr().err
    assert main(["archive", "2026-1", "--out", str(tmp_path / "new"), "--output", str(output)]) == 1
    assert "YEAR-NN" in capsys.readouterr().err
    assert main(["archive", "2026-10\n", "--out", str(tmp_path / "new"), "--output", str(output)]) == 1
    assert "YEAR-NN" in capsys.readouterr().err
    other_site = tmp_path / "www"  # another web root: a folder with an index page
    other_site.mkdir()
    (other_site / "index.html").write_text("<html></html>", encoding="utf-8")
    assert main(["archive", "2026-10", "--out", str(other_site / "bag"), "--output", str(output)]) == 1
    assert "an archive package is never written in a web root" in capsys.readouterr().err
    assert not output.exists() and not (tmp_path / "new").exists() and not (other_site / "bag").exists()
