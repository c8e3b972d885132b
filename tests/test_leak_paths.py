"""The paths around the documents, attacked as a careless or hostile editor would: links, attachment paths,
symbolic links and file types. Each is refused by the check with its file and line, and, should one reach
the build all the same, the build stops rather than publish it: only what the Publication lists is copied."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from factory import ContentFactory, jpeg
from gazette.checks import check_content
from gazette.loader import load_corpus
from gazette.publication import Unpublishable, build_publication
from gazette.static_files import clean_target

WITHHELD = {"disclosure": "不予公开", "withheld_reason": "过程性信息"}
CANARY = "机密内容金丝雀7Q"
PDF = b"%PDF-1.4\n% public attachment\n"


def codes(content: ContentFactory) -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {}
    for f in check_content(content.root)[1]:
        if f.level == "error":
            found.setdefault(f.code, []).append((f.path, f.line))
    return found


def unpublishable(content: ContentFactory) -> None:
    """The build's own view, the check left out: deriving the Publication must refuse."""
    corpus, _ = load_corpus(content.root)
    with pytest.raises(Unpublishable):
        build_publication(corpus)


@pytest.fixture
def private(content: ContentFactory) -> ContentFactory:
    return add_private(content)


def add_private(content: ContentFactory) -> ContentFactory:
    """A withheld, a draft and an on-request document, a draft page and a draft issue, each with a canary."""
    content.document("withheld", body=f"{CANARY}\n", **WITHHELD)
    content.document("draft-doc", body=f"{CANARY}\n", status="draft")
    content.document("on-request", body=f"{CANARY}\n", disclosure="依申请公开")
    content.write("pages/draft.zh.md", f"---\ntitle: 草稿页\nslug: draft\nlang: zh\nstatus: draft\n---\n{CANARY}\n")
    content.write("gazette/2026/2026-12.yml", f"year: 2026\nnumber: 12\ntotal: 12\nstatus: draft\n# {CANARY}\n")
    content.write("attachments/2026/withheld/scan.pdf", PDF)
    return content


@pytest.mark.parametrize("target", [
    "/documents/2026/withheld.zh.md", "/documents/2026/draft-doc.zh.md", "/documents/2026/on-request.zh.md",
    "/pages/draft.zh.md", "/gazette/2026/2026-12.yml", "/registry/agencies.yml",
    "../../documents/2026/withheld.zh.md",
])
def test_static_link_to_a_source_file_is_refused(private: ContentFactory, target: str) -> None:
    private.document("public", body=f"[原文]({{static}}{target})\n")
    assert codes(private).get("LINK-STATIC-FOLDER") == [("documents/2026/public.zh.md", 16)]
    unpublishable(private)


@pytest.mark.parametrize("file", [
    "documents/2026/withheld.zh.md", "registry/../documents/2026/draft-doc.zh.md",
    "attachments/2026/public/../../../documents/2026/withheld.zh.md", "attachments/2026/withheld/scan.pdf",
])
def test_attachment_path_to_a_private_file_is_refused(private: ContentFactory, file: str) -> None:
    path = private.document("public", attachments=[{"file": file, "title": "附件"}])
    found = codes(private)
    line = path.read_text(encoding="utf-8").splitlines().index(next(
        x for x in path.read_text(encoding="utf-8").splitlines() if file in x)) + 1
    assert (found.get("ATT-PATH") or found.get("LINK-ATTACHMENT-NOT-PUBLIC")) == [("documents/2026/public.zh.md",
                                                                                   line)]
    unpublishable(private)


@pytest.mark.parametrize("written", [
    "/images/a.jpg]/../../../../../../etc/hostname",
    "/images/a.jpg]/../withheld-scan.txt",
    "/attachments/2026/public/%2e%2e/%2e%2e/%2e%2e/documents/2026/withheld.zh.md",
    "/attachments/2026/public/a.pdf%00.md",
    "/attachments\\2026\\public\\a.pdf",
    "/attachments/2026/public/%252e%252e/a.pdf",
])
def test_a_path_that_leaves_its_folder_is_refused(content: ContentFactory, written: str) -> None:
    content.write("images/a.jpg", jpeg())
    content.write("attachments/2026/public/a.pdf", PDF)
    content.document("public", body=f'<a href="{{static}}{written}">x</a>\n')
    assert codes(content).get("LINK-PATH") == [("documents/2026/public.zh.md", 16)]
    unpublishable(content)


def test_the_check_and_the_build_read_the_same_path() -> None:
    assert clean_target("documents/2026/a.zh.md", "../../attachments/2026/a/b.pdf") == "attachments/2026/a/b.pdf"
    assert clean_target("documents/2026/a.zh.md", "/attachments/2026/a/%E9%99%84%E4%BB%B6.pdf") == \
        "attachments/2026/a/附件.pdf"
    for bad in ("/images/a.jpg]/../x", "/a/../b", "/../etc/passwd", "../../../../etc/passwd", "/a//b", "/a/./b",
                "/a\x00b", "/%2e%2e/x"):
        assert clean_target("documents/2026/a.zh.md", bad) is None, bad


def test_symlinked_attachment_and_image_are_refused(content: ContentFactory) -> None:
    folder = content.root / "attachments/2026/public"
    folder.mkdir(parents=True)
    os.symlink("/etc/passwd", folder / "passwd.txt")
    (content.root / "images").mkdir()
    os.symlink("/etc/hostname", content.root / "images" / "host.jpg")
    content.document("public", body="![图]({static}/images/host.jpg)\n",
                     attachments=[{"file": "attachments/2026/public/passwd.txt", "title": "附件"}])
    found = check_content(content.root)[1]
    assert [f for f in found if f.level == "error" and "passwd" in f.as_text()], found
    assert [f for f in found if f.level == "error" and "host.jpg" in f.as_text()], found
    unpublishable(content)


def test_symlinked_folder_of_attachments_is_refused(content: ContentFactory, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.pdf").write_bytes(PDF)
    (content.root / "attachments/2026").mkdir(parents=True)
    os.symlink(outside, content.root / "attachments/2026/public")
    content.document("public", body="[附件]({static}/attachments/2026/public/a.pdf)\n")
    assert [f for f in check_content(content.root)[1] if f.level == "error" and "public" in f.as_text()]
    unpublishable(content)


@pytest.mark.parametrize(("name", "data", "code"), [
    ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "LINK-FILE-TYPE"),
    ("x.html", b"<html><script>alert(1)</script></html>", "LINK-FILE-TYPE"),
    ("x.htm", b"<script>alert(1)</script>", "LINK-FILE-TYPE"),
    ("x.xml", b"<?xml version='1.0'?><x/>", "LINK-FILE-TYPE"),
    ("x.pdf", b"<html><script>alert(1)</script></html>", "LINK-FILE-CONTENT"),
    ("x.txt", b"  <svg onload=alert(1)>", "LINK-FILE-CONTENT"),
    ("y.txt", b" <p><script>alert(1)</script>", "LINK-FILE-CONTENT"),  # any markup, not only a page's first tag
    ("z.csv", b"\xef\xbb\xbf<!-- c --><script>alert(1)</script>", "LINK-FILE-CONTENT"),
    ("w.txt", "<div onclick=x>".encode("utf-16"), "LINK-FILE-CONTENT"),  # UTF-16, with its byte-order mark
    ("x.jpg", b"GIF89a not a jpeg", "LINK-FILE-CONTENT"),
])
def test_active_content_is_refused(content: ContentFactory, name: str, data: bytes, code: str) -> None:
    content.write(f"attachments/2026/public/{name}", data)
    content.document("public", attachments=[{"file": f"attachments/2026/public/{name}", "title": "附件"}])
    assert [path for path, _ in codes(content).get(code, [])] == ["documents/2026/public.zh.md"]
    unpublishable(content)


def test_attachment_of_no_public_document_is_refused(content: ContentFactory) -> None:
    content.write("attachments/2026/nobody/a.pdf", PDF)
    content.document("public", body="[附件]({static}/attachments/2026/nobody/a.pdf)\n")
    assert codes(content).get("LINK-ATTACHMENT-UNOWNED") == [("documents/2026/public.zh.md", 16)]
    unpublishable(content)


def test_filename_link_to_a_draft_page_is_refused(private: ContentFactory) -> None:
    private.page("about", "zh", "关于", "见[草稿]({filename}/pages/draft.zh.md)。\n")
    assert ("pages/about.zh.md", 4) in codes(private).get("LINK-NOT-PUBLIC", [])
    unpublishable(private)


def test_issue_photo_outside_images_is_refused(private: ContentFactory) -> None:
    private.document("public")
    private.translation("public")
    private.issue(2026, 3, [{"section": "prefecture-documents", "items": ["public"]}],
                  cover_image="registry/../documents/2026/withheld.zh.md")
    assert "ISSUE-IMAGE-PATH" in codes(private)
    unpublishable(private)


# --- fixed pages carry the secrecy and disclosure rules too -------------------------------------------

def _page(content: ContentFactory, slug: str, **fields: str) -> None:
    meta = "".join(f"{key}: {value}\n" for key, value in fields.items())
    content.write(f"pages/{slug}.zh.md", f"---\ntitle: 页面\nslug: {slug}\nlang: zh\n{meta}---\n{CANARY}\n")


def test_a_secret_page_stops_the_build(content: ContentFactory) -> None:
    _page(content, "x", secrecy="绝密", disclosure="不予公开")
    found = check_content(content.root)[1]
    assert [(f.code, f.path, f.line) for f in found if f.level == "error"] == [("SEC-SECRET", "pages/x.zh.md", 5)]
    assert not [f for f in found if f.code == "DOC-FIELD-UNKNOWN"]


@pytest.mark.parametrize("disclosure", ["不予公开", "依申请公开"])
def test_a_page_not_proactive_is_not_published(content: ContentFactory, disclosure: str) -> None:
    _page(content, "x", secrecy="非涉密", disclosure=disclosure)
    _page(content, "y", secrecy="非涉密", disclosure="主动公开")
    corpus, findings = check_content(content.root)
    assert not [f for f in findings if f.level == "error" or f.code == "DOC-FIELD-UNKNOWN"]
    publication = build_publication(corpus)
    assert set(publication.pages) == {("y", "zh")}


def test_a_page_with_an_unknown_disclosure_is_an_error(content: ContentFactory) -> None:
    _page(content, "x", disclosure="公开")
    assert codes(content).get("DOC-DISCLOSURE") == [("pages/x.zh.md", 5)]


# --- what is published is keyed by its bytes ------------------------------------------------------------

def test_replacing_an_attachment_changes_every_key(content: ContentFactory) -> None:
    content.write("attachments/2026/public/a.pdf", PDF)
    content.document("public", attachments=[{"file": "attachments/2026/public/a.pdf", "title": "附件"}])
    corpus, _ = check_content(content.root)
    before = build_publication(corpus)
    content.write("attachments/2026/public/a.pdf", PDF + b"% replaced, longer\n")
    corpus, _ = check_content(content.root)
    after = build_publication(corpus)
    assert before.documents["public"].content_hash != after.documents["public"].content_hash
    assert before.fingerprint() != after.fingerprint()
    assert after.documents["public"].attachments[0].size == len(PDF) + len(b"% replaced, longer\n")


# --- the build copies exactly what the Publication lists ------------------------------------------------

def test_the_site_holds_exactly_the_listed_files(content: ContentFactory, tmp_path: Path) -> None:
    from gazette.build import build

    content.write("attachments/2026/public/附件一.pdf", PDF)
    content.write("attachments/2026/public/unlisted-but-in-folder.xlsx", b"PK\x03\x04 xlsx")
    content.write("images/photo.jpg", jpeg())
    content.write("images/unused.jpg", jpeg((30, 30, 180)))
    content.write("attachments/2026/withheld/scan.pdf", PDF + CANARY.encode())
    content.document("withheld", body=f"{CANARY}\n", **WITHHELD)
    content.document("public", body="![图]({static}/images/photo.jpg)\n\n"
                     "[表]({static}/attachments/2026/public/unlisted-but-in-folder.xlsx)\n",
                     attachments=[{"file": "attachments/2026/public/附件一.pdf", "title": "附件一"}])
    assert build(content.root, tmp_path / "build", ["site"]) == 0
    site = tmp_path / "build" / "site"
    copied = {p.relative_to(site).as_posix() for p in site.rglob("*")
              if p.is_file() and (content.root / p.relative_to(site)).exists()}
    assert copied == {"attachments/2026/public/附件一.pdf", "attachments/2026/public/unlisted-but-in-folder.xlsx",
                      "images/photo.jpg"}
    for path in site.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path
    assert (site / "attachments/2026/public/附件一.pdf").read_bytes() == PDF
    outside = {p.name for p in tmp_path.iterdir()}
    assert outside == {"content", "build"}


def test_a_pdf_embeds_only_listed_images(content: ContentFactory) -> None:
    from gazette.pdf.html import HtmlBuilder
    from gazette.settings import load_settings

    content.write("images/photo.jpg", jpeg())
    content.document("public", body="![图]({static}/images/photo.jpg)\n\n"
                     '<img src="../../../../../../usr/share/common-licenses/GPL-3">\n\n'
                     '<img src="/documents/2026/public.zh.md">\n\n<img src="https://example.org/a.png">\n')
    corpus, findings = check_content(content.root)
    publication = build_publication(corpus)
    job = HtmlBuilder(publication, load_settings()).document_job(
        publication.documents["public"], "zh")
    assert job.images == ("images/photo.jpg",)
    assert "common-licenses" not in job.html and "public.zh.md" not in job.html and "example.org" not in job.html


def test_every_build_drops_cached_pdfs_of_what_is_no_longer_published(content: ContentFactory,
                                                                       tmp_path: Path) -> None:
    from gazette.build import build

    content.document("public")
    content.document("made-withheld", body=f"{CANARY}\n")
    output = tmp_path / "build"
    cached = output / ".cache" / "pdf"
    for name in ("public.zh", "made-withheld.zh", "2026-03.zh"):
        (cached / name).mkdir(parents=True)
        (cached / name / "0123.pdf").write_bytes(b"%PDF-1.7 " + name.encode())
    content.document("made-withheld", body=f"{CANARY}\n", **WITHHELD)
    assert build(content.root, output, ["site"]) == 0  # the PDF stage does not even run
    assert sorted(p.name for p in cached.iterdir()) == ["public.zh"]


def test_a_replaced_attachment_is_served_and_sized_anew(content: ContentFactory, tmp_path: Path) -> None:
    from gazette.build import build

    content.write("attachments/2026/public/a.pdf", PDF)
    content.document("public", attachments=[{"file": "attachments/2026/public/a.pdf", "title": "附件"}])
    output = tmp_path / "build"
    assert build(content.root, output, ["site"]) == 0
    replaced = PDF + b"% a longer replacement, " + b"x" * 3000 + b"\n"
    content.write("attachments/2026/public/a.pdf", replaced)
    assert build(content.root, output, ["site"]) == 0  # incremental: unchanged pages are reused
    assert (output / "site/attachments/2026/public/a.pdf").read_bytes() == replaced
    page = (output / "site/zh/documents/public/index.html").read_text(encoding="utf-8")
    assert "3 KB" in page or "3.1 KB" in page or "3.0 KB" in page, page[page.find("a.pdf") - 200:][:600]

    # --only pdf with other content than the site was made from: the old site (and its old copy) goes
    content.write("attachments/2026/public/a.pdf", PDF)
    assert build(content.root, output, ["pdf"]) == 0
    assert not (output / "site/attachments/2026/public/a.pdf").exists()


# --- the requests register and the yearly figures are inputs too ------------------------------------------

def test_register_files_that_attack_the_reader_are_findings(content: ContentFactory, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "2026-0001.yml").write_text("id: 2026-0001\nsubject: 外面的文件\n", encoding="utf-8")
    (content.root / "requests").mkdir()
    (content.root / "requests" / "2026").symlink_to(outside)  # a folder of the register elsewhere
    content.write("requests/2025/2025-0001.yml",
                  "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nsubject: *b\n")
    content.write("annual/2025/forestry.yml", "licences: " + "9" * 300_000 + "\n")
    corpus, findings = check_content(content.root)
    codes = {(f.code, f.path.split("/")[0]) for f in findings if f.level == "error"}
    assert ("FILE-SYMLINK", "requests") in codes
    assert ("META-YAML-ALIAS", "requests") in codes
    assert ("LIMIT-FILE-SIZE", "annual") in codes
    assert [r.path for r in corpus.requests] == []  # nothing read through the link, nothing half-read


def test_interprets_cannot_name_a_path(private: ContentFactory) -> None:
    private.document("jd", interprets="../2026/withheld", catalogue="rules.interpretation")
    private.document("jd2", interprets="withheld", catalogue="rules.interpretation")
    assert sorted(p for p, _ in codes(private).get("DOC-INTERPRETS", [])) == ["documents/2026/jd.zh.md",
                                                                             "documents/2026/jd2.zh.md"]
    corpus, _ = load_corpus(private.root)  # the build's own view, the check left out
    publication = build_publication(corpus)
    assert publication.documents["jd2"].interprets == "" and "withheld" not in publication.documents


# --- what builds keep for each other: a file published before is not read again while its bytes stand ---

@pytest.mark.parametrize("attack", ["link to a host file", "source of a withheld document"])
def test_a_published_attachment_swapped_for_a_link_after_a_good_build_is_refused(
        content: ContentFactory, tmp_path: Path, attack: str) -> None:
    """The Publication keeps a published file's size and SHA-256 by its input digest; a file made a link
    since has no input digest to match, so it is judged again: refused, and its target reaches no output."""
    from gazette.build import build

    content.write("attachments/2026/public/a.pdf", PDF)
    content.document("public", attachments=[{"file": "attachments/2026/public/a.pdf", "title": "附件"}])
    content.document("closed", body="内部讨论稿不得公开的文字。", disclosure="不予公开", withheld_reason="内部事务信息")
    output = tmp_path / "build"
    assert build(content.root, output, ["site"]) == 0
    host = tmp_path / "host-secret.txt"
    host.write_bytes(b"%PDF-1.4\nhost file that must not be published\n")
    target = host if attack.startswith("link") else next(content.root.rglob("closed.zh.md"))
    attachment = content.root / "attachments/2026/public/a.pdf"
    attachment.unlink()
    attachment.symlink_to(target)
    assert build(content.root, output, ["site"]) == 1
    for path in output.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            assert b"host file that must not" not in data and "内部讨论稿".encode() not in data, path


def _noise(kind: str) -> bytes:
    """A 64 × 48 picture of noise (it does not compress: cutting the file cuts the picture)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise((64, 48), 60).convert("RGB").save(buffer, kind)
    return buffer.getvalue()


def _png(width: int, height: int, rows: int) -> bytes:
    """A greyscale PNG declaring `width` × `height` with `rows` rows of data (fewer: truncated)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\0" + b"\x80" * width for _ in range(rows)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.mark.parametrize(("name", "data"), [
    ("bomb.png", _png(50_000, 50_000, 1)),  # a few kilobytes asking every reader's browser for 2.5 gigapixels
    ("cut.png", _noise("PNG")[:1500]),  # the file ends inside the picture's data
    ("cut.jpg", _noise("JPEG")[:600]),
    ("fake.png", b"\x89PNG\r\n\x1a\n" + b"<html><script>alert(1)</script></html>"),  # the signature, then a page
])
def test_an_image_that_does_not_decode_whole_is_refused(content: ContentFactory, name: str, data: bytes) -> None:
    content.write(f"images/2026/{name}", data)
    content.write("images/2026/good.png", _png(64, 48, 48))
    content.document("public", body=f"![图]({{static}}/images/2026/{name})\n\n![图]({{static}}/images/2026/good.png)\n")
    assert [path for path, _ in codes(content).get("LINK-IMAGE-UNREADABLE", [])] == ["documents/2026/public.zh.md"]
    unpublishable(content)
