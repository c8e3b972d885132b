"""`gazette serve`: the built site and the search service on one localhost port, for preview.

One WSGI application under waitress: requests for the search pages (/zh/search/, /bo/search/) and
/api/search go to the search service; everything else is a file under <output>/site. In production a web
server serves the files and proxies the search paths to the service (docs/search.md).
"""

from __future__ import annotations

import mimetypes
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .search.service import SearchService

StartResponse = Callable[..., Any]
mimetypes.add_type("application/atom+xml", ".xml")
mimetypes.add_type("font/woff2", ".woff2")


class StaticFiles:
    """Files under a folder, `index.html` for a folder URL. Written here rather than taken from a
    library: preview needs nothing more (no ranges, no caching), and production uses a real web server."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _file(self, path: str) -> Path | None:
        relative = unquote(path).lstrip("/")
        target = (self.root / relative).resolve()
        if target != self.root and self.root not in target.parents:
            return None  # outside the web root (../)
        if target.is_dir():
            if not path.endswith("/"):
                return target  # redirected to the folder URL below
            target = target / "index.html"
        return target if target.is_file() else None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        target = self._file(path)
        if target is not None and target.is_dir():
            start_response("301 Moved Permanently", [("Location", path + "/"), ("Content-Length", "0")])
            return [b""]
        if target is None:
            not_found = self.root / "404.html"
            body = not_found.read_bytes() if not_found.is_file() else "404 页面不存在 / not found\n".encode()
            kind = "text/html; charset=utf-8" if not_found.is_file() else "text/plain; charset=utf-8"
            start_response("404 Not Found", [("Content-Type", kind), ("Content-Length", str(len(body)))])
            return [body]
        kind, _ = mimetypes.guess_type(target.name)
        kind = kind or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/json", "application/atom+xml",
                                                 "application/xml"):
            kind += "; charset=utf-8"
        body = target.read_bytes()
        start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(body)))])
        return [body] if environ.get("REQUEST_METHOD") != "HEAD" else [b""]


def preview_app(output: Path) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """The site's files and the search service as one WSGI application."""
    files = StaticFiles(output / "site")
    search = SearchService(output / "search-index")

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if search.handles(environ.get("PATH_INFO", "")):
            return search(environ, start_response)
        return files(environ, start_response)

    return app


def serve(output: Path, port: int, host: str) -> int:
    from waitress import serve as waitress_serve

    if not (output / "site").is_dir():
        print(f"找不到 {output / 'site'}，请先运行 gazette build / "
              f"{output / 'site'} not found: run gazette build first", file=sys.stderr)
        return 1
    if not (output / "search-index").is_dir():
        print("尚无检索索引，搜索页将显示“暂不可用” / "
              "no search index yet: the search page will say search is unavailable", file=sys.stderr)
    print(f"预览 / preview: http://{host}:{port}/  (Ctrl+C 停止 / to stop)", file=sys.stderr)
    try:
        waitress_serve(preview_app(output), host=host, port=port, threads=4, ident="gazette")
    except OSError as exc:
        print(f"无法在 {host}:{port} 上监听 / cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        return 1
    return 0
