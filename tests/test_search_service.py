"""The search service's HTML and JSON answers, `gazette serve`'s dispatcher and `gazette search`, called
directly as WSGI applications (no server is started)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from gazette.cli import main
from gazette.search.service import SearchService
from gazette.serve import preview_app
from gazette.settings import load_settings
from search_corpus import build_search_corpus


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = build_search_corpus(tmp_path_factory.mktemp("service"))
    site = out / "site"
    (site / "zh").mkdir(parents=True)
    (site / "zh" / "index.html").write_text("<!DOCTYPE html><title>首页</title>", encoding="utf-8")
    (site / "data").mkdir()
    (site / "data" / "catalogue.json").write_text("{}", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def service(output: Path) -> SearchService:
    return SearchService(output / "search-index", load_settings())


class Response:
    def __init__(self, app: Any, path: str, query: dict[str, str] | str = "", method: str = "GET") -> None:
        qs = query if isinstance(query, str) else urlencode(query)
        environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": qs,
                   "SERVER_NAME": "localhost", "SERVER_PORT": "80", "wsgi.errors": io.StringIO(),
                   "wsgi.input": io.BytesIO()}

        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            self.status, self.headers = status, dict(headers)

        self.body = b"".join(app(environ, start_response))
        self.errors = environ["wsgi.errors"].getvalue()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


def test_html_results_in_the_readers_language(service):
    r = Response(service, "/zh/search/", {"q": "政府信息公开"})
    assert r.status == "200 OK" and r.headers["Content-Type"].startswith("text/html")
    assert '<html lang="zh"' in r.text
    assert 'href="/zh/documents/info-open/"' in r.text
    assert "<mark>政府信息公开</mark>" in r.text
    assert 'href="/theme/css/gazette.css"' in r.text  # the site's look: the theme's base template
    assert 'value="政府信息公开"' in r.text  # the query stays in the box


def test_html_in_tibetan(service):
    r = Response(service, "/bo/search/", {"q": "ལྷ་ས"})
    assert r.status == "200 OK" and '<html lang="bo"' in r.text
    assert 'href="/bo/documents/info-open/"' in r.text and 'href="/bo/documents/county-news/"' in r.text
    assert "<mark>ལྷ་ས" in r.text
    # the language switch leads to the same search in the other language
    assert 'href="/zh/search/?q=' in r.text


def test_a_bad_query_gets_a_page_that_says_why(service):
    for q in ("", '"', "***", "x" * 500):
        r = Response(service, "/zh/search/", {"q": q})
        assert r.status == "200 OK", q
        assert "notice-warning" in r.text and "Traceback" not in r.text and r.errors == ""


def test_a_first_visit_shows_the_form_without_a_warning(service):
    r = Response(service, "/zh/search/")
    assert r.status == "200 OK" and "notice-warning" not in r.text and 'name="q"' in r.text


def test_what_a_reader_types_is_escaped(service):
    r = Response(service, "/zh/search/", {"q": '<script>alert(1)</script>"'})
    assert "<script>alert" not in r.text and "&lt;script&gt;" in r.text


def test_pages_filters_and_sort_links(service):
    r = Response(service, "/zh/search/", {"q": "重点项目", "size": "5", "sort": "date"})
    assert "page=2" in r.text and 'rel="next"' in r.text
    r = Response(service, "/zh/search/", {"q": "重点项目", "size": "5", "page": "3"})
    assert 'rel="prev"' in r.text and 'rel="next"' not in r.text
    r = Response(service, "/zh/search/", {"q": "工作", "publisher": "forestry"})
    assert 'value="forestry" selected' in r.text and "/zh/documents/forest-fire/" in r.text
    assert "/zh/documents/info-open/" not in r.text


def test_no_results_offers_other_ways(service):
    r = Response(service, "/zh/search/", {"q": "不存在的词语组合"})
    assert r.status == "200 OK" and 'class="empty"' in r.text and "/zh/catalogue/" in r.text


def test_json(service):
    r = Response(service, "/api/search", {"q": "甘府发(2026)12号", "lang": "zh"})
    assert r.status == "200 OK" and r.headers["Content-Type"] == "application/json; charset=utf-8"
    data = r.json()
    assert data["total"] == 1 and data["problems"] == []
    hit = data["hits"][0]
    assert hit["url"] == "/zh/documents/info-open/" and hit["number"] == "甘府发〔2026〕12号"
    assert hit["publisher"] == "prefecture-government" and hit["published"] == "2026-03-04"


def test_json_for_a_bad_query(service):
    r = Response(service, "/api/search", {"q": ""})
    assert r.status == "400 Bad Request"
    problem = r.json()["problems"][0]
    assert problem["code"] == "empty" and problem["fatal"] and problem["zh"] and problem["en"]


def test_raw_utf8_in_the_query_string(service):
    raw = "q=森林草原防火".encode().decode("latin-1")  # as a WSGI server hands over unescaped bytes
    assert Response(service, "/api/search", raw).json()["total"] == 1


def test_other_paths_and_methods(service):
    assert Response(service, "/zh/search", "q=x").status == "301 Moved Permanently"
    assert Response(service, "/zh/search/", {"q": "x"}, method="POST").status == "405 Method Not Allowed"
    assert Response(service, "/en/search/").status == "404 Not Found"


def test_without_an_index_search_is_unavailable(tmp_path):
    service = SearchService(tmp_path / "missing", load_settings())
    r = Response(service, "/zh/search/", {"q": "公开"})
    assert r.status == "503 Service Unavailable" and "notice-warning" in r.text
    assert Response(service, "/api/search", {"q": "公开"}).json()["problems"][0]["code"] == "unavailable"


def test_preview_serves_files_and_search_on_one_port(output):
    app = preview_app(output)
    home = Response(app, "/zh/")
    assert home.status == "200 OK" and "首页" in home.text
    assert Response(app, "/data/catalogue.json").headers["Content-Type"].startswith("application/json")
    assert Response(app, "/zh").status == "301 Moved Permanently"
    assert Response(app, "/../../etc/passwd").status == "404 Not Found"
    assert Response(app, "/api/search", {"q": "公开"}).json()["total"] >= 2


def test_gazette_search_prints_url_and_title(output, capsys):
    assert main(["search", "森林草原防火", "--output", str(output)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["/zh/documents/forest-fire/\t甘孜藏族自治州林业局关于做好森林草原防火工作的通知"]
    assert main(["search", "ལྷ་ས", "--lang", "bo", "--output", str(output)]) == 0
    assert {line.split("\t")[0] for line in capsys.readouterr().out.splitlines()} == {
        "/bo/documents/info-open/", "/bo/documents/county-news/"}


def test_gazette_search_messages(output, tmp_path, capsys):
    assert main(["search", "***", "--output", str(output)]) == 2
    assert "Nothing in the query" in capsys.readouterr().err
    assert main(["search", "公开", "--output", str(tmp_path)]) == 1
    assert "gazette build" in capsys.readouterr().err


def test_a_damaged_index_is_said_not_a_traceback(output, tmp_path, capsys):
    import shutil

    damaged = tmp_path / "damaged"
    shutil.copytree(output / "search-index", damaged / "search-index", symlinks=False)
    for path in (damaged / "search-index").rglob("*"):
        if path.is_file() and path.suffix != ".json" and path.stat().st_size > 16:  # the engine's own files
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert main(["search", "公开", "--output", str(damaged)]) == 1
    err = capsys.readouterr().err
    assert "cannot be read" in err and "无法读取" in err and "Traceback" not in err


def test_head_of_the_api_answers_without_a_body(output):
    app = preview_app(output)
    head, get = Response(app, "/api/search", {"q": "公开"}, "HEAD"), Response(app, "/api/search", {"q": "公开"})
    assert head.status == get.status == "200 OK" and head.body == b"" and get.body
    assert head.headers["Content-Length"] == get.headers["Content-Length"]


def test_a_translation_without_its_own_summary_is_not_found_by_the_chinese_one(output):
    """info-open's Tibetan text states no summary: its page shows the Chinese one, marked Chinese. Its
    search entry holds none, so a Chinese word of it finds no Tibetan entry (and gives no Chinese snippet
    marked Tibetan)."""
    app = preview_app(output)
    hits = Response(app, "/api/search", {"q": "适用范围", "lang": "bo"}).json()["hits"]
    assert [h["url"] for h in hits if h["lang"] == "bo"] == []
    assert Response(app, "/api/search", {"q": "适用范围", "lang": "zh"}).json()["total"] >= 2  # the summaries
