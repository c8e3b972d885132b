"""What `gazette serve` and the search service answer to hostile requests. The WSGI applications are called
directly: no build, no sockets."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from gazette.search.service import SearchService
from gazette.settings import load_settings


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


def test_the_search_service_alone_sends_the_security_headers(tmp_path: Path) -> None:
    service = SearchService(tmp_path / "missing", load_settings())  # as in production, without gazette serve
    for r in (Response(service, "/zh/search/", query="q=x"), Response(service, "/api/search", query="q=x"),
              Response(service, "/zh/search"), Response(service, "/en/search/"),
              Response(service, "/zh/search/", method="POST")):
        assert_security_headers(r)
