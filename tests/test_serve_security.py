"""What `gazette serve` and the search service answer to hostile requests, and where `gazette report --out`
refuses to write. The WSGI applications are called directly on a small hand-made web root: no build, no
sockets."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from gazette.cli import main
from gazette.search.service import SearchService
from gazette.serve import preview_app
from gazette.settings import load_settings

SECRET = "TOP-SECRET-OUTSIDE-THE-WEB-ROOT"


def wsgi_path(path: str) -> str:
    """PATH_INFO as a WSGI server hands it over: the percent-decoded bytes, one latin-1 character each."""
    return path.encode("utf-8").decode("latin-1")


class Response:
    def __init__(self, app: Any, path: str, method: str = "GET", query: str = "") -> None:
        environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
                   "SERVER_NAME": "localhost", "SERVER_PORT": "80", "wsgi.errors": io.StringIO(),
                   "wsgi.input": io.BytesIO()}

        def start_response(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> None:
            self.status, self.header_list = status, headers
            self.headers = {name.lower(): value for name, value in headers}

        self.body = b"".join(app(environ, start_response))
        self.code = int(self.status.split()[0])

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@pytest.fixture
def output(tmp_path: Path) -> Path:
    """<output>/site with pages, feeds, sitemap, open data, theme files and attachments; a secret beside it."""
    out = tmp_path / "build"
    site = out / "site"
    files = {
        "index.html": "<!DOCTYPE html><title>语言</title>",
        "zh/index.html": "<!DOCTYPE html><title>首页</title>",
        "bo/index.html": "<!DOCTYPE html><title>དྲ་ངོས་དང་པོ།</title>",
        "zh/feeds/all.atom.xml": "<?xml version='1.0'?><feed/>",
        "zh/feeds/publisher/forestry.atom.xml": "<?xml version='1.0'?><feed/>",
        "sitemap.xml": "<?xml version='1.0'?><urlset/>",
        "data/catalogue.json": "{}",
        "data/catalogue.csv": "slug,title\n",
        "theme/css/gazette.css": "body{}",
        "pdf/documents/x.zh.pdf": "%PDF-1.7",
        "attachments/2026/x/附件一：实施方案.pdf": "%PDF-1.7 chinese",
        "attachments/2026/x/plan.pdf": "%PDF-1.7",
        "attachments/2026/x/map.svg": "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        "attachments/2026/x/MAP.SVG": "<svg onload='alert(1)'/>",
        "attachments/2026/x/地图.svg": "<svg onload='alert(1)'/>",
        "attachments/2026/x/page.html": "<script>alert(1)</script>",
        "attachments/2026/x/page.htm": "<script>alert(1)</script>",
        "attachments/2026/x/page.xhtml": "<html xmlns='http://www.w3.org/1999/xhtml'><script>1</script></html>",
        "attachments/2026/x/data.xml": "<?xml-stylesheet href='x.xsl'?><a/>",
        "attachments/2026/x/style.xsl": "<xsl:stylesheet/>",
        "attachments/2026/x/code.js": "alert(1)",
        "attachments/2026/x/index.html": "<script>alert(1)</script>",
        "attachments/2026/x/sitemap.xml": "<a/>",
        "attachments/2026/x/feeds/all.atom.xml": "<feed/>",
        "images/gazette/2026-10/cover.jpg": "jpeg",
        "images/gazette/2026-10/logo.svg": "<svg onload='alert(1)'/>",
    }
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (out / "secret.txt").write_text(SECRET, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text(SECRET, encoding="utf-8")
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    return out


@pytest.fixture
def app(output: Path) -> Any:
    return preview_app(output)


def assert_security_headers(r: Response) -> None:
    assert r.headers.get("x-content-type-options") == "nosniff", r.status
    assert r.headers.get("x-frame-options") == "DENY", r.status
    assert r.headers.get("referrer-policy") in ("no-referrer", "same-origin", "strict-origin-when-cross-origin",
                                                "strict-origin"), r.status
    policy = csp(r)
    assert policy["default-src"] == ["'none'"], r.status
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'none'"], r.status
    assert "script-src" not in policy, r.status
    assert [name for name, _ in r.header_list].count("Content-Security-Policy") == 1, r.status


def csp(r: Response) -> dict[str, list[str]]:
    policy = r.headers.get("content-security-policy", "")
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


# --- headers ----------------------------------------------------------------------------------------


def test_every_answer_of_gazette_serve_carries_the_security_headers(app: Any) -> None:
    answers = [Response(app, path) for path in (
        "/", "/zh/", "/zh", "/sitemap.xml", "/zh/feeds/all.atom.xml", "/data/catalogue.json",
        "/data/catalogue.csv", "/theme/css/gazette.css", "/pdf/documents/x.zh.pdf", "/attachments/2026/x/map.svg",
        "/images/gazette/2026-10/cover.jpg", "/missing/", "/zh/%00", "/../secret.txt", "/zh/search/",
        "/zh/search", "/api/search")]
    answers.append(Response(app, "/zh/", method="POST"))
    answers.append(Response(app, "/api/search", query="q=%E5%85%AC%E5%BC%80"))
    assert {r.code for r in answers} >= {200, 301, 400, 404, 405, 503}
    for r in answers:
        assert_security_headers(r)


def test_the_page_policy_allows_what_the_pages_load_and_nothing_else(app: Any) -> None:
    policy = csp(Response(app, "/zh/"))
    # the theme's stylesheet, its web font, covers and photos, and the search form: all from the site
    assert policy["style-src"] == ["'self'"] and policy["font-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert not any("unsafe" in source or "*" in source or ":" in source
                   for sources in policy.values() for source in sources)
    assert set(policy) <= {"default-src", "style-src", "font-src", "img-src", "form-action",
                           "frame-ancestors", "base-uri"}


def test_the_search_service_alone_sends_the_security_headers(tmp_path: Path) -> None:
    service = SearchService(tmp_path / "missing", load_settings())  # as in production, without gazette serve
    for r in (Response(service, "/zh/search/", query="q=x"), Response(service, "/api/search", query="q=x"),
              Response(service, "/zh/search"), Response(service, "/en/search/"),
              Response(service, "/zh/search/", method="POST")):
        assert_security_headers(r)


# --- active content ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/attachments/2026/x/map.svg", "/attachments/2026/x/MAP.SVG", "/attachments/2026/x/page.html",
    "/attachments/2026/x/page.htm", "/attachments/2026/x/page.xhtml", "/attachments/2026/x/data.xml",
    "/attachments/2026/x/style.xsl", "/attachments/2026/x/code.js", "/attachments/2026/x/index.html",
    "/attachments/2026/x/", "/attachments/2026/x/sitemap.xml", "/attachments/2026/x/feeds/all.atom.xml",
    "/images/gazette/2026-10/logo.svg"])
def test_active_attachments_are_served_as_downloads(app: Any, path: str) -> None:
    r = Response(app, path)
    assert r.code == 200
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"].startswith("attachment")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in csp(r)


def test_a_download_keeps_its_chinese_name(app: Any) -> None:
    r = Response(app, wsgi_path("/attachments/2026/x/地图.svg"))
    assert r.code == 200 and r.headers["content-type"] == "application/octet-stream"
    assert "filename*=UTF-8''%E5%9C%B0%E5%9B%BE.svg" in r.headers["content-disposition"]
    r.headers["content-disposition"].encode("latin-1")  # a header value a server can send


# --- paths ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/zh/%00", "/zh/\x00", "/zh/%00.html", "/%00/", "/zh/x%00/../index.html",
                                  "/zh/\r\nSet-Cookie: a=b", "/%zz", "/zh/%E9%80", "/zh/%", "/zh/%g0/",
                                  "/zh/\xff\xfe"])
def test_nul_control_characters_and_bad_encoding_are_a_bad_request(app: Any, path: str) -> None:
    r = Response(app, path)
    assert r.code in (400, 404), (path, r.status)
    assert SECRET not in r.text
    assert "set-cookie" not in r.headers
    assert_security_headers(r)
    if r.code == 400:  # said in the site's two languages
        assert "请求地址无效" in r.text and "ས་གནས" in r.text


@pytest.mark.parametrize("path", ["/zh/" + "a" * 256, "/zh/" + "a" * 5000 + ".html",
                                  "/zh/" + "公" * 86 + "/", "/" + "a/" * 3000,
                                  wsgi_path("/attachments/2026/x/" + "附" * 90 + ".pdf")])
def test_over_long_names_are_not_found(app: Any, path: str) -> None:
    r = Response(app, path)
    assert r.code in (400, 404), r.status
    assert_security_headers(r)


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/../../secret.txt", "/zh/../../secret.txt", "/%2e%2e/secret.txt",
    "/%2E%2E/%2e%2e/secret.txt", "/%252e%252e/secret.txt", "/..%2fsecret.txt", "/..%2f..%2fsecret.txt",
    "/zh/..\\..\\secret.txt", "/..\\secret.txt", "/zh/%5c..%5c..%5csecret.txt", "//../secret.txt",
    "/./../secret.txt", "/zh/./../../secret.txt", "/..%00/secret.txt", "/%2e%2e%00/secret.txt",
    "/zh/..;/../secret.txt", "/zh/.%2e/.%2e/secret.txt", "/zh/%c0%ae%c0%ae/secret.txt",
    "/" + "/".join([".."] * 40) + "/etc/passwd", "/../../../../../../../../etc/passwd"])
def test_traversal_never_leaves_the_web_root(app: Any, path: str) -> None:
    r = Response(app, path)
    assert r.code in (400, 404), (path, r.status)
    assert SECRET not in r.text and "root:" not in r.text
    assert_security_headers(r)


def test_symlinks_out_of_the_web_root_are_not_followed(app: Any, output: Path, tmp_path: Path) -> None:
    site = output / "site"
    (site / "attachments/2026/x/passwd.txt").symlink_to("/etc/passwd")
    (site / "attachments/2026/x/secret.txt").symlink_to(tmp_path / "secret.txt")
    (site / "attachments/2026/x/relative.txt").symlink_to("../../../../secret.txt")
    (site / "attachments/2026/out").symlink_to(tmp_path / "outside", target_is_directory=True)
    (site / "zh/about").mkdir()
    (site / "zh/about/index.html").symlink_to(tmp_path / "outside/index.html")  # inside a folder URL
    (site / "zh/loop").symlink_to(site / "zh/loop")
    (site / "zh/a").symlink_to(site / "zh/b")
    (site / "zh/b").symlink_to(site / "zh/a")
    (site / "zh/dangling.pdf").symlink_to(tmp_path / "gone.pdf")
    os.mkfifo(site / "zh/pipe.html")  # reading a FIFO would block the server
    (site / "zh/home").symlink_to(site / "zh", target_is_directory=True)  # inside: still served
    for path in ("/attachments/2026/x/passwd.txt", "/attachments/2026/x/secret.txt",
                 "/attachments/2026/x/relative.txt", "/attachments/2026/out/secret.txt",
                 "/attachments/2026/out/", "/attachments/2026/out", "/zh/about/", "/zh/loop", "/zh/loop/",
                 "/zh/a", "/zh/a/x", "/zh/dangling.pdf", "/zh/pipe.html"):
        r = Response(app, path)
        assert r.code == 404, (path, r.status)
        assert SECRET not in r.text and "root:" not in r.text
    assert "首页" in Response(app, "/zh/home/").text


def test_a_folder_redirect_stays_on_the_site(app: Any) -> None:
    for path, location in (("/zh", "/zh/"), ("//zh", "/zh/"), ("///zh", "/zh/"), ("/zh//feeds", "/zh/feeds/")):
        r = Response(app, path)
        assert r.code == 301 and r.headers["location"] == location, (path, r.headers.get("location"))


def test_attachments_with_chinese_names_are_found(app: Any) -> None:
    # The page links /attachments/2026/x/%E9%99%84…; the server decodes the escapes into bytes, handed over
    # as latin-1 characters.
    r = Response(app, wsgi_path("/attachments/2026/x/附件一：实施方案.pdf"))
    assert r.code == 200 and r.body == b"%PDF-1.7 chinese"
    assert r.headers["content-type"] == "application/pdf"
    # HEAD: the same answer without the body
    head = Response(app, wsgi_path("/attachments/2026/x/附件一：实施方案.pdf"), method="HEAD")
    assert head.code == 200 and head.body == b"" and head.headers["content-length"] == str(len(r.body))


def test_each_file_is_sent_with_its_own_type(app: Any) -> None:
    assert Response(app, "/sitemap.xml").headers["content-type"] == "application/xml; charset=utf-8"
    for feed in ("/zh/feeds/all.atom.xml", "/zh/feeds/publisher/forestry.atom.xml"):
        assert Response(app, feed).headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert Response(app, "/data/catalogue.json").headers["content-type"] == "application/json; charset=utf-8"
    assert Response(app, "/data/catalogue.csv").headers["content-type"] == "text/csv; charset=utf-8"
    assert Response(app, "/theme/css/gazette.css").headers["content-type"] == "text/css; charset=utf-8"
    # Passive attachments and the site's own pages are shown, not downloaded.
    for path, kind in (("/attachments/2026/x/plan.pdf", "application/pdf"),
                       ("/images/gazette/2026-10/cover.jpg", "image/jpeg"),
                       ("/zh/", "text/html; charset=utf-8"), ("/", "text/html; charset=utf-8")):
        r = Response(app, path)
        assert r.code == 200 and r.headers["content-type"] == kind, path
        assert "content-disposition" not in r.headers, path


def test_not_found_is_a_small_page_in_both_languages(app: Any) -> None:
    r = Response(app, "/zh/no-such-page/")
    assert r.code == 404 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert "<!DOCTYPE html>" in r.text and 'lang="zh"' in r.text and 'lang="bo"' in r.text
    assert "页面不存在" in r.text and "ཤོག་ངོས" in r.text
    assert 'href="/zh/"' in r.text and 'href="/bo/"' in r.text
    assert "<script" not in r.text and len(r.body) < 2048
    assert_security_headers(r)
    assert Response(app, "/zh/no-such-page/", method="HEAD").body == b""


def test_only_get_and_head_are_answered(app: Any) -> None:
    for method in ("POST", "PUT", "DELETE"):
        r = Response(app, "/zh/", method=method)
        assert r.code == 405 and "GET" in r.headers["allow"]


# --- gazette report --out ---------------------------------------------------------------------------


def test_report_refuses_any_web_root(content: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    content.report_corpus()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    (work / "public").mkdir()
    (work / "public/index.html").write_text("<!DOCTYPE html>", encoding="utf-8")
    (work / "old-site").mkdir()
    (work / "old-site/index.htm").write_text("<!DOCTYPE html>", encoding="utf-8")
    (work / "link").symlink_to(work / "public", target_is_directory=True)
    (work / "to-output").symlink_to(work / "out", target_is_directory=True)
    refused = [
        ["--output", "out", "--out", "out/late.txt"],  # the build output given with --output
        ["--output", "out", "--out", "out/site/late.txt"],
        ["--output", "out", "--out", "to-output/late.txt"],  # reached through a symlink
        ["--output", str(work / "out"), "--out", "out/reports/x/late.txt"],
        ["--out", "build/site/late.txt"],  # the default output
        ["--out", "public/late.txt"],  # a folder holding an index page is a web root
        ["--out", "public/reports/2026/late.txt"],
        ["--out", "old-site/late.txt"],
        ["--out", "link/late.txt"],  # a symlink to one
        ["--out", "reports/../public/late.txt"],
        ["--out", "/var/www/html/late.txt"], ["--out", "/var/www/late.txt"],
        ["--out", "/srv/www/gazette/late.txt"], ["--out", "/usr/share/nginx/html/late.txt"],
        ["--out", "/usr/share/httpd/late.txt"], ["--out", "/var/lib/nginx/late.txt"],
    ]
    before = {p for p in Path("/var/www").rglob("late.txt")} if Path("/var/www").is_dir() else set()
    for args in refused:
        code = main(["report", "late", "--content", str(content.root), *args])
        err = capsys.readouterr().err
        assert code == 1, args
        assert "报表不能写在" in err and "a report is never written" in err, args
    assert not list(work.rglob("late.txt"))
    for root in ("/var/www", "/srv/www", "/usr/share/nginx", "/usr/share/httpd", "/var/lib/nginx"):
        found = {p for p in Path(root).rglob("late.txt")} if Path(root).is_dir() else set()
        assert found <= before
    # Elsewhere is fine, also beside a web root.
    assert main(["report", "late", "--content", str(content.root), "--out", "reports/late.txt"]) == 0
    assert main(["report", "late", "--content", str(content.root), "--output", "out",
                 "--out", "outputs/late.txt"]) == 0
    assert (work / "reports/late.txt").is_file() and (work / "outputs/late.txt").is_file()
