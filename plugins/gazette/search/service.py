"""The search service: a WSGI application.

    GET /zh/search/?q=…&page=…&sort=relevance|date&publisher=…&class=…&genre=…&from=YYYY&to=YYYY&validity=…
    GET /bo/search/?…           an HTML results page in the reader's language, in the site's look
    GET /api/search?q=…&lang=…  the same as JSON (also `size`, and the filters above)

Run it with any WSGI server (`gazette serve` for preview; waitress or gunicorn in production, see
docs/search.md): `gazette.search.service:application` reads the index from $GAZETTE_SEARCH_INDEX
(default build/search-index). A query never makes an error page: what is wrong with it is said on the
results page. The index is reopened when a new build replaces it: `build/search-index` is a symlink into
the build's generation folder (see gazette.build), and the service opens the folder it resolves to, so a
query is answered from one build's index, never from files of two.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from .. import urls
from .engine import EngineMismatch, engine_setting, open_index
from .engine import Index as SearchIndex
from .query import LANGS, MAX_PAGE, Results, SearchRequest, parse_request, run

StartResponse = Callable[..., Any]
API_PATH = "/api/search"
FILTER_PARAMS = ("publisher", "class", "genre", "from", "to", "validity", "lang")
MAX_QUERY_STRING = 4096  # bytes of a query string read at all; a longer one is cut (and the query reported)

# Sent with every answer of the service and of `gazette serve` (docs/search.md gives nginx the same). The
# site is plain HTML without JavaScript: its styles, fonts and images come from the site itself, its forms
# go to the site, and nothing else may load, run, frame a page or change its base URL.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; "
                           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# Browsers' PDF viewers draw a page of their own around a PDF under the PDF's policy, with inline styles
# and the PDF as a plugin object; a PDF has no markup into which anything could be injected.
PDF_SECURITY_POLICY = ("default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; "
                       "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
# An attachment sent as a download: should a browser render it anyway, it runs nothing and loads nothing.
DOWNLOAD_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox"
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),  # a type is never guessed from the bytes
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Frame-Options", "DENY"),  # frame-ancestors for browsers without CSP
    ("Referrer-Policy", "same-origin"),  # a search query in the URL never reaches another site
)


def with_security_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """`headers` and each security header they do not set themselves (a PDF has its own policy)."""
    headers = list(headers)
    present = {name.lower() for name, _ in headers}
    return headers + [h for h in SECURITY_HEADERS if h[0].lower() not in present]


def secure_start_response(start_response: StartResponse) -> StartResponse:
    """`start_response` that adds the security headers to whatever answer is started through it."""

    def secured(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
        return start_response(status, with_security_headers(headers), *exc_info)

    return secured


def _params(environ: dict[str, Any]) -> dict[str, str]:
    raw = environ.get("QUERY_STRING", "")[:MAX_QUERY_STRING]
    # WSGI hands the query string over as latin-1; raw (not %-escaped) UTF-8 from some clients is
    # decoded here.
    raw = raw.encode("latin-1", "replace").decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}


class SearchService:
    """The WSGI application. `handles(path)` tells a dispatcher which requests are its own."""

    def __init__(self, index_folder: Path, settings: dict[str, Any] | None = None) -> None:
        self.index_folder = Path(index_folder)
        self._settings = settings
        self._index: SearchIndex | None = None
        self._refused: Path | None = None  # an index folder of the other engine, already reported
        self._envs: dict[str, Any] = {}
        self._lock = threading.Lock()

    @property
    def settings(self) -> dict[str, Any]:
        if self._settings is None:
            from ..settings import load_settings

            self._settings = load_settings()  # `--settings` of `gazette serve`, or GAZETTE_SETTINGS
        return self._settings

    @staticmethod
    def handles(path: str) -> bool:
        return path == API_PATH or any(path in (urls.search(lang), urls.search(lang).rstrip("/"))
                                       for lang in LANGS)

    def index(self) -> SearchIndex | None:
        """The index of the current build: opened on first use, again whenever `index_folder` resolves
        to another folder (a build has switched to its new generation), and retried while there is none
        (a build may create it). Opened by its resolved path, so that Whoosh, which opens files by name
        as it needs them, never reads a file of the next build."""
        folder = Path(os.path.realpath(self.index_folder))
        index = self._index
        if index is None or index.folder != folder:
            with self._lock:
                index = self._index
                if index is None or index.folder != folder:
                    fast = bool(self.settings.get("GAZETTE_SEARCH_FAST_PATH", True))
                    try:
                        index = self._index = open_index(folder, engine_setting(self.settings), fast=fast)
                    except EngineMismatch as exc:
                        # Answered as "no index" (503), and said once a folder in the server's log.
                        if self._refused != folder:
                            self._refused = folder
                            print(exc, file=sys.stderr)
                        index = self._index = None
        return index

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        start_response = secure_start_response(start_response)
        try:
            if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
                return self._plain(start_response, "405 Method Not Allowed", "只支持 GET / GET ཁོ་ན། / GET only",
                                   [("Allow", "GET, HEAD")])
            if path == API_PATH:
                return self._json(environ, start_response)
            for lang in LANGS:
                if path == urls.search(lang):
                    return self._html(environ, start_response, lang)
                if path == urls.search(lang).rstrip("/"):
                    query = environ.get("QUERY_STRING", "")
                    location = urls.search(lang) + (f"?{query}" if query else "")
                    return self._plain(start_response, "301 Moved Permanently", location,
                                       [("Location", location)])
            return self._plain(start_response, "404 Not Found", "not found")
        except Exception:  # the reader gets a short page, the operator the traceback
            traceback.print_exc(file=environ.get("wsgi.errors", sys.stderr))
            return self._plain(start_response, "500 Internal Server Error",
                               "检索出错，请稍后再试 / search failed, please try again later")

    @staticmethod
    def _plain(start_response: StartResponse, status: str, text: str,
               headers: list[tuple[str, str]] | None = None) -> list[bytes]:
        body = (text + "\n").encode()
        start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                                ("Content-Length", str(len(body))), *(headers or [])])
        return [body]

    def _search(self, params: dict[str, str], page_lang: str | None,
                index: SearchIndex | None = None) -> Results:
        index = index if index is not None else self.index()
        request = parse_request(params, page_lang=page_lang, facets=index.facets if index else None)
        return run(index, request)

    @staticmethod
    def _status(results: Results, html: bool = False) -> str:
        """503 without an index; for scripts, 400 for a query that could not run (a reader gets the page
        that says why, with 200)."""
        if any(p.code == "unavailable" for p in results.problems):
            return "503 Service Unavailable"
        if not html and any(p.fatal for p in results.problems):
            return "400 Bad Request"
        return "200 OK"

    def _json(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        results = self._search(_params(environ), page_lang=None)
        body = json.dumps(results.as_dict(), ensure_ascii=False).encode()
        start_response(self._status(results), [
            ("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body))),
            ("Access-Control-Allow-Origin", "*"), ("Cache-Control", "no-cache")])
        return [body] if environ.get("REQUEST_METHOD") != "HEAD" else []

    def _environment(self, lang: str) -> Any:
        # One environment per language: render_page installs the language's translations into it, and
        # requests in the two languages may be served at the same time.
        if lang not in self._envs:
            from ..theme import environment

            self._envs[lang] = environment(self.settings)
        return self._envs[lang]

    def render(self, lang: str, params: dict[str, str]) -> tuple[Results, str]:
        from ..theme import render_page

        index = self.index()  # one index for the results and the filters beside them
        results = self._search(params, page_lang=lang, index=index)
        context = page_context(results, lang, params, index.facets if index else {})
        return results, render_page(self._environment(lang), "search.html", lang, self.settings, **context)

    def _html(self, environ: dict[str, Any], start_response: StartResponse, lang: str) -> list[bytes]:
        results, html = self.render(lang, _params(environ))
        body = html.encode()
        start_response(self._status(results, html=True), [
            ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))),
            ("Content-Language", lang), ("Cache-Control", "no-cache")])
        return [body] if environ.get("REQUEST_METHOD") != "HEAD" else []


def _url(page_lang: str, params: dict[str, str], **changes: Any) -> str:
    merged = {**params, **{k: str(v) for k, v in changes.items() if v is not None}}
    for key in [k for k, v in changes.items() if v is None]:
        merged.pop(key, None)
    kept = {k: v for k, v in merged.items() if v and not (k == "page" and v == "1")}
    return urls.search(page_lang) + ("?" + urlencode(kept) if kept else "")


def page_context(results: Results, lang: str, params: dict[str, str],
                 facets: dict[str, Any]) -> dict[str, Any]:
    """What search.html needs: results, links (pages, sort, other language) and the filter form's choices."""
    request: SearchRequest = results.request
    known = ("q", "sort", "publisher", "class", "genre", "from", "to", "validity", "lang", "size")
    current = {k: v for k, v in params.items() if k in known and v}
    pages = results.pages
    window = range(max(1, results.page - 4), min(pages, results.page + 4) + 1) if pages > 1 else range(0)
    for hit in results.hits:
        for name in ("published", "signed"):
            value = hit.fields.get(name)
            hit.fields[f"{name}_date"] = dt.date.fromisoformat(value) if value else None
    # A first visit (no q at all) shows the form, not the "type a word" notice an empty submission gets.
    notices = [p for p in results.problems if not (p.code == "empty" and "q" not in params)]
    return {
        "results": results,
        "notices": notices,
        "request": request,
        "query": request.q,
        "params": current,
        "facets": facets,
        "filters_used": any(k in current for k in FILTER_PARAMS),
        "page_url": _url(lang, {k: v for k, v in current.items() if k != "lang"}, page=None),
        "page_links": [(n, _url(lang, current, page=n)) for n in window],
        "previous_url": _url(lang, current, page=results.page - 1) if results.page > 1 else "",
        "next_url": _url(lang, current, page=results.page + 1) if results.page < min(pages, MAX_PAGE) else "",
        "sort_urls": {s: _url(lang, current, sort=s, page=None) for s in ("relevance", "date")},
        "all_languages_url": _url(lang, current, lang="all", page=None),
    }


def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """The service for a WSGI server, on the index in $GAZETTE_SEARCH_INDEX (default build/search-index)."""
    global _default
    if _default is None:
        _default = SearchService(Path(os.environ.get("GAZETTE_SEARCH_INDEX", "build/search-index")))
    return _default(environ, start_response)


_default: SearchService | None = None
