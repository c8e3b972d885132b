"""`gazette serve`: the built site and the search service on one localhost port, for preview.

One WSGI application under waitress: requests for the search pages (/zh/search/, /bo/search/) and
/api/search go to the search service; everything else is a file under <output>/site. In production a web
server serves the files and proxies the search paths to the service (docs/search.md).

Every answer carries the security headers of `search.service.SECURITY_HEADERS`. Only regular files inside
the web root are served: a path is refused before it reaches the file system when it is malformed (400) or
names what can never be a file of the site (404: `..`, over-long names, hidden files), and a symlink that
leads out of the web root is not followed. Files an editor supplied (attachments, images) that a browser
would run (HTML, SVG, XML, scripts) are sent as downloads.
"""

from __future__ import annotations

import html
import mimetypes
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote_to_bytes

from . import urls
from .search.service import (
    DOWNLOAD_SECURITY_POLICY,
    PDF_SECURITY_POLICY,
    SearchService,
    secure_start_response,
)

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

# The table built into Python only, not the host's /etc/mime.types: the same answer on every machine.
_MIME = mimetypes.MimeTypes()
# What the site writes, typed here rather than guessed: `.xml` is the sitemap, `.atom.xml` the feeds.
SITE_TYPES = (
    (".atom.xml", "application/atom+xml"),
    (".xml", "application/xml"),
    (".json", "application/json"),
    (".csv", "text/csv"),
    (".html", "text/html"),
    (".css", "text/css"),
    (".pdf", "application/pdf"),
    (".woff2", "font/woff2"),
    (".woff", "font/woff"),
    (".otf", "font/otf"),
    (".ttf", "font/ttf"),
)
TEXT_TYPES = ("application/json", "application/xml", "application/atom+xml")  # also text/*: charset=utf-8
# Copied from content/ as editors gave them; nothing in them is a page of the site.
CONTENT_FOLDERS = ("attachments", "images")
# Types a browser renders as a document that can run script (or load and style other content).
ACTIVE_TYPES = {"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml",
                "text/xsl", "application/xslt+xml", "text/javascript", "application/javascript",
                "application/ecmascript", "text/ecmascript", "application/x-shockwave-flash",
                "multipart/related", "message/rfc822", "application/vnd.wap.xhtml+xml"}
ACTIVE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".xht", ".svg", ".svgz", ".xml", ".xsl", ".xslt",
                   ".js", ".mjs", ".swf", ".mht", ".mhtml", ".hta", ".xsd", ".rdf")
DOWNLOAD = "application/octet-stream"
MAX_NAME_BYTES = 255  # NAME_MAX: a longer name cannot exist, and asking the OS for it raises
MAX_PATH_BYTES = 4096  # PATH_MAX
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# The small answers a reader may meet, in the site's two languages and English.
BAD_PATH_TEXT = "请求地址无效 / དྲ་ཚིགས་ཀྱི་ས་གནས་ནོར་འདུག / bad request path"

class BadRequest(ValueError):
    """A path that is not a well-formed URL path (400)."""


def _decode(raw: str) -> str:
    """PATH_INFO as text. WSGI hands over the percent-decoded bytes as latin-1 code points; the site's
    URLs are UTF-8 (an attachment 通知.pdf is linked as %E9%80%9A%E7%9F%A5.pdf)."""
    try:
        data = raw.encode("latin-1")
    except UnicodeEncodeError:
        return raw  # already text (a caller outside a WSGI server)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("not UTF-8") from None


def _percent_decoded(path: str) -> str:
    if _BAD_ESCAPE.search(path):
        raise BadRequest("invalid percent-encoding")
    try:
        return unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("not UTF-8") from None


def _segments(path: str) -> list[str] | None:
    """The path's names, or None when it names nothing the site can hold (answered 404)."""
    if _CONTROL.search(path):
        raise BadRequest("control character")  # NUL among them: the OS would refuse it with an error
    if len(path.encode()) > MAX_PATH_BYTES:
        return None
    names = [name for name in path.split("/") if name]
    for name in names:
        if name in (".", "..") or "\\" in name or len(name.encode()) > MAX_NAME_BYTES:
            return None  # traversal (also written with backslashes), or a name no file system holds
        if name.startswith(".") and name != ".well-known":
            return None  # hidden files are never pages of the site
    return names


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def content_type(names: list[str]) -> tuple[str, bool]:
    """The Content-Type of a file at `names`, and whether it is sent as a download."""
    name = names[-1].lower()
    kind = next((k for suffix, k in SITE_TYPES if name.endswith(suffix)), None)
    if kind is None:
        guessed, encoding = _MIME.guess_type(name, strict=False)
        # A compressed file (x.svgz, x.csv.gz) is sent as stored, never as the type inside it.
        kind = guessed if guessed and not encoding else DOWNLOAD
    active = kind in ACTIVE_TYPES or kind.endswith("+xml") or name.endswith(ACTIVE_SUFFIXES)
    if active and not _site_document(names):
        return DOWNLOAD, True
    if kind.startswith("text/") or kind in TEXT_TYPES:
        kind += "; charset=utf-8"
    return kind, False


def _site_document(names: list[str]) -> bool:
    """A page, feed or sitemap the build writes: the only active content served as such."""
    if names[0] in CONTENT_FOLDERS:
        return False
    name = names[-1]
    return (name in ("index.html", urls.LARGE_PRINT, urls.NOT_FOUND.lstrip("/")) or names == ["sitemap.xml"]
            or (name.endswith(".atom.xml") and "feeds" in names))


def _disposition(name: str) -> str:
    # filename* (RFC 6266) for non-ASCII names; the plain filename is an ASCII stand-in for old clients.
    fallback = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


NOT_FOUND_PAGE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>404 页面不存在 · ཤོག་ངོས་རྙེད་མ་སོང་།</title>
<link rel="stylesheet" href="/theme/css/gazette.css">
</head>
<body>
<main class="container">
<h1>404</h1>
<p>您要找的页面不存在或已移除。 <a href="/zh/">返回首页</a></p>
<p lang="bo">ཁྱེད་ཀྱིས་འཚོལ་བའི་ཤོག་ངོས་རྙེད་མ་སོང་། <a href="/bo/">དྲ་ངོས་དང་པོ།</a></p>
</main>
</body>
</html>
"""


class StaticFiles:
    """Files under a folder, `index.html` for a folder URL. Written here rather than taken from a
    library: preview needs nothing more (no ranges, no caching), and production uses a real web server."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _find(self, names: list[str], folder_url: bool) -> Path | None:
        """The regular file (or, for a redirect, the folder) that `names` leads to inside the web root."""
        try:
            # Resolved on every request: the build replaces the folder, perhaps by a symlink swap.
            root = self.root.resolve(strict=True)
            target = root.joinpath(*names).resolve(strict=True)
            if not _inside(target, root):
                return None  # a symlink leading out of the web root
            if target.is_dir():
                if not folder_url:
                    return target
                target = (target / "index.html").resolve(strict=True)
                if not _inside(target, root):
                    return None
            elif folder_url:
                return None  # /x.pdf/ is not x.pdf
            return target if target.is_file() else None  # never a FIFO or a device: reading one blocks
        except (OSError, RuntimeError):  # missing, too long, a symlink loop, not readable
            return None

    def _locate(self, raw: str) -> tuple[list[str], Path | None]:
        """The URL's names (ending in index.html for a folder URL) and the file they lead to."""
        path = _decode(raw)
        names, target = self._lookup(path)
        if target is None and "%" in path:
            # A path still percent-encoded (a client or proxy that left it so): decoded once more, and
            # checked again from the start.
            names, target = self._lookup(_percent_decoded(path))
        return names, target

    def _lookup(self, path: str) -> tuple[list[str], Path | None]:
        names = _segments(path)
        if names is None:
            return [], None
        folder_url = path.endswith("/")
        target = self._find(names, folder_url)
        return (names + ["index.html"] if folder_url else names), target

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        head = environ.get("REQUEST_METHOD", "GET") == "HEAD"
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            return self._text(start_response, "405 Method Not Allowed", "只支持 GET / GET ཁོ་ན། / GET only", head,
                              [("Allow", "GET, HEAD")])
        try:
            names, target = self._locate(environ.get("PATH_INFO", "") or "/")
        except BadRequest:
            return self._text(start_response, "400 Bad Request", BAD_PATH_TEXT, head)
        if target is None:
            return self._not_found(start_response, head)
        if target.is_dir():
            # Built from the checked names, so it can never become //host/ (an open redirect).
            location = "".join("/" + quote(name) for name in names) + "/"
            start_response("301 Moved Permanently", [("Location", location), ("Content-Length", "0")])
            return [b""]
        try:
            body = target.read_bytes()
        except OSError:
            return self._not_found(start_response, head)
        kind, download = content_type(names)
        headers = [("Content-Type", kind), ("Content-Length", str(len(body)))]
        if download:
            headers += [("Content-Disposition", _disposition(names[-1])),
                        ("Content-Security-Policy", DOWNLOAD_SECURITY_POLICY)]
        elif kind == "application/pdf":
            headers.append(("Content-Security-Policy", PDF_SECURITY_POLICY))
        start_response("200 OK", headers)
        return [b""] if head else [body]

    def _not_found(self, start_response: StartResponse, head: bool) -> list[bytes]:
        try:
            custom = self.root / "404.html"
            body = custom.read_bytes() if custom.is_file() and not custom.is_symlink() else b""
        except OSError:
            body = b""
        body = body or NOT_FOUND_PAGE.encode()
        start_response("404 Not Found", [("Content-Type", "text/html; charset=utf-8"),
                                         ("Content-Length", str(len(body)))])
        return [b""] if head else [body]

    @staticmethod
    def _text(start_response: StartResponse, status: str, text: str, head: bool,
              headers: list[tuple[str, str]] | None = None) -> list[bytes]:
        body = f"<!DOCTYPE html>\n<title>{html.escape(status)}</title>\n<p>{html.escape(text)}</p>\n".encode()
        start_response(status, [("Content-Type", "text/html; charset=utf-8"),
                                ("Content-Length", str(len(body))), *(headers or [])])
        return [b""] if head else [body]


def preview_app(output: Path, settings: dict[str, Any] | None = None) -> WSGIApp:
    """The site's files and the search service as one WSGI application (`settings`: the search pages'; read
    when first needed where not given)."""
    files = StaticFiles(output / "site")
    search = SearchService(output / "search-index", settings)

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        start_response = secure_start_response(start_response)
        if search.handles(environ.get("PATH_INFO", "")):
            return search(environ, start_response)
        return files(environ, start_response)

    return app


def serve(output: Path, port: int, host: str, settings_path: str | None = None) -> int:
    from waitress import serve as waitress_serve

    from .settings import load_settings

    settings = load_settings(settings_path)  # a file that cannot be used is said now, not as a 500 later
    if not (output / "site").is_dir():
        print(f"找不到 {output / 'site'}，请先运行 gazette build / "
              f"{output / 'site'} not found: run gazette build first", file=sys.stderr)
        return 1
    if not (output / "search-index").is_dir():
        print("尚无检索索引，搜索页将显示“暂不可用” / "
              "no search index yet: the search page will say search is unavailable", file=sys.stderr)
    print(f"预览 / preview: http://{host}:{port}/  (Ctrl+C 停止 / to stop)", file=sys.stderr)
    try:
        waitress_serve(preview_app(output, settings), host=host, port=port, threads=4, ident="gazette")
    except OSError as exc:
        print(f"无法在 {host}:{port} 上监听 / cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        return 1
    return 0
