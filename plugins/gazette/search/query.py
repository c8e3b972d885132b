"""Readers' queries: parsing, limits, filters, sorting, pages, and the results they get back.

A query is words and "quoted phrases" (all must appear), or an exact document number (甘府发〔2012〕12号,
also typed with [] () 【】) or index number. Nothing a reader types raises an error: a query that cannot run
gets a `Problem` saying why and what to type instead; one that can run with a change (an unclosed quote,
operators that are not used) runs and says so.

No search engine here: `run` asks any object with `search(request) -> RawPage` (see index.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from markupsafe import Markup

from ..labels import ANY_TO_ARABIC
from . import highlight
from .analysis import QueryToken, document_number_key, index_number_key, query_tokens, script_of

LANGS = ("zh", "bo")
SORTS = ("relevance", "date")
# Characters (code points): a Tibetan title pasted whole runs to 210 (each stack is several code points).
MAX_QUERY_CHARS = 300
MAX_CLAUSES = 10
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 50
MAX_PAGE = 100
# 有效性 as written in the content, and the English words scripts may use for it.
VALIDITY = {"有效": "有效", "失效": "失效", "废止": "废止", "in-force": "有效", "valid": "有效",
            "lapsed": "失效", "repealed": "废止"}

_QUOTES = str.maketrans({c: '"' for c in "“”„‟「」『』＂"})
# Characters of query languages (Lucene, Whoosh, web search) that this search does not use.
_SYNTAX = re.compile(r"[*?:^~{}\[\]()<>|&\\=!+]|(?<!\S)(?:AND|OR|NOT)(?!\S)")
_YEAR = re.compile(r"^[0-9]{4}\Z")


@dataclass(frozen=True)
class Problem:
    """Something about a query the reader should know. `fatal`: the query was not run.

    `msgid` (English, with %(name)s placeholders) is also the gettext message id: the HTML page shows it
    through the theme's catalogues (themes/gazette/translations/search.yml); `zh` is kept here for the
    terminal and the JSON answer, which have no catalogue."""

    code: str
    msgid: str
    zh_template: str
    values: tuple[tuple[str, str], ...] = ()
    fatal: bool = False

    @property
    def params(self) -> dict[str, str]:
        return dict(self.values)

    @property
    def en(self) -> str:
        return self.msgid % self.params

    @property
    def zh(self) -> str:
        return self.zh_template % self.params

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "en": self.en, "zh": self.zh, "fatal": self.fatal}


def _problem(code: str, fatal: bool = False, **values: Any) -> Problem:
    msgid, zh = _MESSAGES[code]
    return Problem(code, msgid, zh, tuple((k, str(v)) for k, v in values.items()), fatal)


_MESSAGES = {
    "empty": ("Type a word, a phrase in quotation marks or a document number to search for.",
              "请输入要检索的词语、用引号括起的短语或文号。"),
    "too-long": ("The query is too long (%(length)s characters); use at most %(limit)s.",
                 "检索词过长（%(length)s 个字符），最多 %(limit)s 个字符。"),
    "nothing": ("Nothing in the query can be searched for: type words, not only punctuation or operators.",
                "检索词中没有可检索的内容：请输入词语，而不只是标点或运算符。"),
    "unbalanced": ("A quotation mark is not closed; the phrase was taken to run to the end of the query.",
                   "引号未配对，短语已按延续到检索词末尾处理。"),
    "syntax": ("Operators and special characters (%(chars)s) are not used: every word must appear; put a "
               "phrase in quotation marks.",
               "不使用运算符和特殊字符（%(chars)s）：所有词语都须出现；短语请加引号。"),
    "too-many": ("Only the first %(limit)s words of the query were used.",
                 "只使用了检索词中的前 %(limit)s 个词语。"),
    "page": ("The page number must be a whole number from 1 to %(limit)s; showing page %(page)s.",
             "页码应为 1 至 %(limit)s 的整数，现显示第 %(page)s 页。"),
    "size": ("The number of results a page must be from 1 to %(limit)s; showing %(size)s.",
             "每页条数应为 1 至 %(limit)s，现每页 %(size)s 条。"),
    "sort": ("Results can be sorted by relevance or by date; sorted by relevance.",
             "结果只能按相关度或日期排序，现按相关度排序。"),
    "lang": ("The language must be zh or bo; searching both.", "语言只能是 zh 或 bo，现检索两种语言。"),
    "unknown-publisher": ("There is no publisher “%(value)s”; that filter was not applied.",
                          "没有“%(value)s”这一发布机构，该筛选条件未使用。"),
    "unknown-class": ("There is no catalogue class “%(value)s”; that filter was not applied.",
                      "没有“%(value)s”这一目录分类，该筛选条件未使用。"),
    "unknown-genre": ("There is no genre “%(value)s”; that filter was not applied.",
                      "没有“%(value)s”这一体裁，该筛选条件未使用。"),
    "unknown-validity": ("Validity is one of 有效, 失效, 废止 (in-force, lapsed, repealed); “%(value)s” was "
                         "not applied.",
                         "有效性只能是有效、失效或废止；“%(value)s”未使用。"),
    "year": ("A year is written with four digits, like 2012; “%(value)s” was not used.",
             "年份应写成四位数字，如 2012；“%(value)s”未使用。"),
    "year-range": ("The year range is empty: “from” (%(start)s) is after “to” (%(end)s).",
                   "年份范围为空：起始年（%(start)s）晚于截止年（%(end)s）。"),
    "widened": ("Nothing was found in this language; showing results in both languages.",
                "本语种中没有找到结果，现显示两种语言的结果。"),
    "past-end": ("There are only %(pages)s pages of results; showing the last.",
                 "结果只有 %(pages)s 页，现显示最后一页。"),
    "unavailable": ("Search is unavailable: the search index has not been built.",
                    "检索暂不可用：尚未生成检索索引。"),
}


@dataclass(frozen=True)
class Clause:
    """One part of a query that must match: words or a phrase (`tokens`), or an exact number (`key`)."""

    kind: str  # "text" | "number" (发文字号) | "index_no" (索引号)
    text: str  # as typed, for highlighting
    tokens: tuple[QueryToken, ...] = ()
    key: str = ""


@dataclass(frozen=True)
class Filters:
    lang: str | None = None
    publisher: str | None = None
    catalogue_class: str | None = None
    genre: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    validity: str | None = None

    def as_params(self) -> dict[str, str]:
        values = {"publisher": self.publisher, "class": self.catalogue_class, "genre": self.genre,
                  "from": self.year_from, "to": self.year_to, "validity": self.validity}
        return {k: str(v) for k, v in values.items() if v is not None}


@dataclass(frozen=True)
class SearchRequest:
    q: str
    clauses: tuple[Clause, ...] = ()
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    lang_implicit: bool = False  # the language came from the page or the query's script, not from `lang`
    collapse: bool = False  # one hit per document (searching both languages for a reader of one)
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return bool(self.clauses) and not any(p.fatal for p in self.problems)


@dataclass
class RawPage:
    """What the engine returns: the total and the stored fields of one page of hits."""

    total: int
    page: int
    hits: list[dict[str, Any]]


class Engine(Protocol):
    def search(self, request: SearchRequest) -> RawPage: ...


@dataclass
class Hit:
    key: str
    kind: str  # "document" | "page"
    slug: str
    lang: str
    url: str
    title: str
    title_html: Markup
    snippet_html: Markup
    fields: dict[str, Any]  # the stored metadata: number, publisher, dates, labels, validity…

    def as_dict(self) -> dict[str, Any]:
        return {"url": self.url, "title": self.title, "lang": self.lang, "slug": self.slug, "kind": self.kind,
                "snippet_html": str(self.snippet_html), **self.fields}


@dataclass
class Results:
    request: SearchRequest
    total: int = 0
    page: int = 1
    hits: list[Hit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, math.ceil(self.total / self.request.size)) if self.total else 0

    def as_dict(self) -> dict[str, Any]:
        r = self.request
        return {"query": r.q, "ran": r.ok, "total": self.total, "page": self.page, "pages": self.pages,
                "size": r.size, "sort": r.sort, "lang": r.filters.lang, "filters": r.filters.as_params(),
                "problems": [p.as_dict() for p in self.problems], "hits": [h.as_dict() for h in self.hits]}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None and value.strip() else None
    except ValueError:
        return None


def parse_clauses(q: str) -> tuple[list[Clause], list[Problem]]:
    """The clauses of a query string (already within the length limit) and what the reader should know."""
    problems: list[Problem] = []
    text = q.translate(_QUOTES)
    whole = text.replace('"', "").strip()
    for kind, key in (("number", document_number_key(whole)), ("index_no", index_number_key(whole))):
        if key:
            return [Clause(kind, whole, key=key)], problems

    parts = text.split('"')
    if len(parts) % 2 == 0:  # an odd number of quotation marks: the last phrase runs to the end
        problems.append(_problem("unbalanced"))
    clauses: list[Clause] = []
    syntax: list[str] = []
    for i, part in enumerate(parts):
        quoted = i % 2 == 1
        chunks = [part] if quoted else part.split()
        for chunk in chunks:
            key = None if quoted else document_number_key(chunk)
            if key:
                clauses.append(Clause("number", chunk, key=key))
                continue
            key = None if quoted else index_number_key(chunk)
            if key:
                clauses.append(Clause("index_no", chunk, key=key))
                continue
            syntax += [m.group() for m in _SYNTAX.finditer(chunk)]
            tokens = query_tokens(_SYNTAX.sub(" ", chunk))
            if tokens:
                clauses.append(Clause("text", chunk, tuple(tokens)))
    if syntax:
        problems.append(_problem("syntax", chars=" ".join(dict.fromkeys(syntax))))
    if not clauses:
        problems.append(_problem("nothing", fatal=True))
    elif len(clauses) > MAX_CLAUSES:
        problems.append(_problem("too-many", limit=MAX_CLAUSES))
        clauses = clauses[:MAX_CLAUSES]
    return clauses, problems


def parse_request(params: Mapping[str, str], page_lang: str | None = None,
                  facets: Mapping[str, Any] | None = None) -> SearchRequest:
    """A request from URL parameters (q, lang, page, size, sort, publisher, class, genre, from, to, validity).

    `page_lang`: the language of the results page (HTML); without `lang`, the reader's query is searched
    in the language of its script, else in the page's. `facets`: the ids the index knows, to check filters.
    """
    problems: list[Problem] = []
    q = (params.get("q") or "").strip()
    clauses: list[Clause] = []
    if not q:
        problems.append(_problem("empty", fatal=True))
    elif len(q) > MAX_QUERY_CHARS:
        problems.append(_problem("too-long", fatal=True, length=len(q), limit=MAX_QUERY_CHARS))
    else:
        clauses, found = parse_clauses(q)
        problems += found

    lang_param = (params.get("lang") or "").strip()
    lang_implicit = False
    if lang_param in LANGS:
        lang: str | None = lang_param
    elif lang_param in ("", "all"):
        lang = None
        if page_lang and not lang_param:
            # A number is the same in both languages: it does not say which the reader wants.
            words = " ".join(c.text for c in clauses if c.kind == "text")
            lang, lang_implicit = script_of(words) or page_lang, True
    else:
        lang = None
        problems.append(_problem("lang"))

    page = _int(params.get("page"))
    if params.get("page") and (page is None or not 1 <= page <= MAX_PAGE):
        page = min(max(page or 1, 1), MAX_PAGE)
        problems.append(_problem("page", limit=MAX_PAGE, page=page))
    size = _int(params.get("size"))
    if params.get("size") and (size is None or not 1 <= size <= MAX_PAGE_SIZE):
        size = min(max(size or DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE)
        problems.append(_problem("size", limit=MAX_PAGE_SIZE, size=size))
    sort = (params.get("sort") or "relevance").strip()
    if sort not in SORTS:
        problems.append(_problem("sort"))
        sort = "relevance"

    chosen: dict[str, str | None] = {}
    for name in ("publisher", "class", "genre"):
        value = (params.get(name) or "").strip() or None
        known = (facets or {}).get(name)
        if value and known is not None and value not in known:
            problems.append(_problem(f"unknown-{name}", value=value))
            value = None
        chosen[name] = value
    years: dict[str, int | None] = {}
    for name in ("from", "to"):
        value = (params.get(name) or "").strip()
        years[name] = int(value.translate(ANY_TO_ARABIC)) if _YEAR.match(value.translate(ANY_TO_ARABIC)) else None
        if value and years[name] is None:
            problems.append(_problem("year", value=value))
    if years["from"] and years["to"] and years["from"] > years["to"]:
        problems.append(_problem("year-range", fatal=True, start=years["from"], end=years["to"]))
    validity_param = (params.get("validity") or "").strip()
    validity = VALIDITY.get(validity_param)
    if validity_param and not validity:
        problems.append(_problem("unknown-validity", value=validity_param))

    filters = Filters(lang=lang, publisher=chosen["publisher"], catalogue_class=chosen["class"],
                      genre=chosen["genre"], year_from=years["from"], year_to=years["to"], validity=validity)
    return SearchRequest(q=q, clauses=tuple(clauses), filters=filters, sort=sort, page=page or 1,
                         size=size or DEFAULT_PAGE_SIZE, lang_implicit=lang_implicit,
                         problems=tuple(problems))


def run(engine: Engine | None, request: SearchRequest) -> Results:
    """Run a parsed request; a request that cannot run, or a missing index, gives results with problems."""
    results = Results(request, problems=list(request.problems))
    if engine is None:
        results.problems.append(_problem("unavailable", fatal=True))
        return results
    if not request.ok:
        return results
    raw = engine.search(request)
    if raw.total == 0 and request.lang_implicit:
        # A reader of one language may look for a document that has no text in it (not translated).
        others = [lang for lang in LANGS if lang != request.filters.lang]
        request = replace(request, filters=replace(request.filters, lang=None), collapse=True)
        # Nothing matched in the reader's language, so every hit is in another; with one other language
        # that is one entry a document already, and the engines need not read every hit to collapse them.
        asked = replace(request, filters=replace(request.filters, lang=others[0]), collapse=False) \
            if len(others) == 1 else request
        raw = engine.search(asked)
        if raw.total:
            results.problems.append(_problem("widened"))
            results.request = request
    results.total, results.page = raw.total, raw.page
    if request.page > results.page and raw.total:
        results.problems.append(_problem("past-end", pages=results.pages))
    wanted = highlight.needles([c.key if c.key else c.text for c in request.clauses])
    results.hits = [_hit(stored, wanted) for stored in raw.hits]
    return results


def _hit(stored: dict[str, Any], wanted: list[tuple[str, str]]) -> Hit:
    body = stored.get("body") or ""
    summary = stored.get("summary") or ""
    snippet = (highlight.snippet(body, wanted) or highlight.snippet(summary, wanted)
               or (highlight.opening(summary) if summary else highlight.opening(body)))
    title = stored.get("title") or ""
    shown = ("number", "index_no", "publisher", "publisher_label", "genre", "genre_label", "class_id",
             "class_label", "signed", "published", "validity", "disclosure", "issue", "issue_label")
    return Hit(key=stored["key"], kind=stored.get("kind", "document"), slug=stored.get("slug", ""),
               lang=stored.get("lang", ""), url=stored.get("url", ""), title=title,
               title_html=highlight.mark(title, wanted), snippet_html=snippet,
               fields={k: stored[k] for k in shown if stored.get(k) not in (None, "")})
