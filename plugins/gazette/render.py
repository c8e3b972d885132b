"""Markdown → safe HTML. python-markdown renders; nh3 (the Ammonia sanitiser) decides what HTML survives,
so nothing an editor pastes can run in a reader's browser."""

from __future__ import annotations

import hashlib
import html as html_lib
import re
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

import markdown
import nh3

from . import workers
from .cache_rows import keep_only
from .table_numbers import TableNumbersExtension
from .verse import VerseExtension

MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "smarty", "toc"]
MARKDOWN_CONFIG = {"toc": {"slugify": lambda value, sep: "h-" + re.sub(r"\W+", sep, value).strip(sep).lower()},
                   "smarty": {"smart_quotes": False},
                   # align="…", not style="text-align: …": the sites' Content-Security-Policy allows no inline
                   # style, so a style attribute would be ignored by browsers.
                   "tables": {"use_align_attribute": True}}

# h1 is the title of a document a body embeds (the 办法 a notice issues); h2–h4 the 一、（一）1. levels.
ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "lang", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "scope", "style"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
ALLOWED_CLASSES = {"p": {"verse"}, "td": {"num"}, "th": {"num"}}  # verse.py, table_numbers.py

# Pelican's intra-site link syntax: {filename}/documents/2026/x.zh.md, {static}/images/a.jpg. Matched in
# the sanitised HTML, where every attribute is double-quoted and escaped, whatever quoting the editor used.
LINK = re.compile(r'(?P<attr>href|src)="\{(?P<kind>filename|static|attach)\}(?P<path>[^"]*)"')

LinkResolver = Callable[[str, str], str]  # (kind, path as written) → URL, or "" when it resolves to nothing


class MarkdownRenderer:
    """Markdown → HTML, remembering results by the hash of the source text.

    Markdown is the slowest part of reading a large corpus, and its output depends on the text alone
    (links are resolved afterwards), so the cache (an SQLite file under the build's cache folder) makes an
    unchanged body cost a lookup. One `markdown.Markdown` instance is reused: building one costs more than
    converting a short document, so it is built on first use (a build after one edit finds most bodies
    cached, often all of them).
    """

    # What a cached body depends on besides its text: the Markdown and sanitiser versions and this module's
    # configuration (a change to the allowed tags changes the key, so no stale body is served).
    # Sets are sorted all the way down: the repr of a set of strings changes from one process to the next
    # (string hashing is randomised), and a key that changes with the process never finds a cached body.
    VERSION = hashlib.sha256(repr((
        markdown.__version__, nh3.__version__ if hasattr(nh3, "__version__") else "", MARKDOWN_EXTENSIONS,
        sorted(ALLOWED_TAGS), sorted((tag, sorted(names)) for tag, names in ALLOWED_ATTRIBUTES.items()),
        sorted(URL_SCHEMES), sorted((tag, sorted(names)) for tag, names in ALLOWED_CLASSES.items()),
        "verse-4", "table-numbers-1")).encode()).hexdigest()

    def __init__(self, cache_file: Path | None = None) -> None:
        self._md: markdown.Markdown | None = None
        self._db: sqlite3.Connection | None = None
        self._used: set[str] = set()
        if cache_file is not None:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(cache_file)
            # A body that is no longer public leaves the cache at the end of the run; secure_delete makes
            # SQLite overwrite its bytes rather than leave them in free pages of the file.
            self._db.execute("PRAGMA secure_delete = ON")
            self._db.execute("DROP TABLE IF EXISTS html")  # the earlier layout: unsanitised HTML only
            self._db.execute("CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, html TEXT NOT NULL, "
                             "text TEXT NOT NULL)")
        self._memo: dict[str, tuple[str, str]] = {}

    def markdown(self, body: str) -> str:
        """The Markdown converted, not yet sanitised (uncached)."""
        if self._md is None:
            self._md = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG,
                                         output_format="html")
            VerseExtension().extendMarkdown(self._md)
            TableNumbersExtension().extendMarkdown(self._md)
        return self._md.reset().convert(body)

    def key(self, body: str) -> str:
        """The cache's key of a body."""
        return hashlib.sha256(f"{self.VERSION}\0{body}".encode()).hexdigest()

    def keep(self, keys: Iterable[str]) -> None:
        """Keep these bodies in the cache though this run did not render them (the Publication took their
        documents from its own cache; a later change of a linked document renders them again)."""
        self._used.update(keys)

    def prepare(self, bodies: Iterable[str], processes: int) -> int:
        """Render ahead, shared by `processes` (`workers.py`), the bodies neither remembered nor cached, as
        `_body` would one by one (a first build renders every body: a fifth of its time); returns how many.
        Few bodies are left to `_body`."""
        todo: dict[str, str] = {}
        for body in bodies:
            key = self.key(body)
            if key not in self._memo:
                todo.setdefault(key, body)
        if self._db is not None and len(todo) >= workers.SHARED_FROM:
            keys = list(todo)
            for start in range(0, len(keys), 500):  # SQLite's limit of bound values, kept well under
                chunk = keys[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for (key,) in self._db.execute(f"SELECT key FROM bodies WHERE key IN ({marks})", chunk):
                    del todo[key]
        if len(todo) < workers.SHARED_FROM:
            return 0
        rendered = workers.map_shared(self._rendered, list(todo.values()), processes)
        for key, result in zip(todo, rendered, strict=True):
            self._memo[key] = result
            if self._db is not None:
                self._db.execute("INSERT OR REPLACE INTO bodies VALUES (?, ?, ?)", (key, *result))
        return len(todo)

    def _rendered(self, body: str) -> tuple[str, str]:
        html = sanitize(self.markdown(body))
        return html, plain_text(html)

    def _body(self, body: str) -> tuple[str, str]:
        """(sanitised HTML with its links unresolved, plain text) of a body, from the cache where it is.
        Links are resolved afterwards, in attributes only, so the plain text does not depend on them."""
        key = self.key(body)
        self._used.add(key)
        if key in self._memo:
            return self._memo[key]
        row = None
        if self._db is not None:
            row = self._db.execute("SELECT html, text FROM bodies WHERE key = ?", (key,)).fetchone()
        if row:
            result = (str(row[0]), str(row[1]))
        else:
            result = self._rendered(body)
            if self._db is not None:
                self._db.execute("INSERT OR REPLACE INTO bodies VALUES (?, ?, ?)", (key, *result))
        self._memo[key] = result
        return result

    def text(self, body: str) -> str:
        """The body's plain text, for search and summaries."""
        return self._body(body)[1]

    def render(self, body: str, resolve: LinkResolver | None = None) -> str:
        html = self._body(body)[0]
        if resolve is not None:
            html = LINK.sub(lambda m: '{}="{}"'.format(
                m["attr"], html_lib.escape(resolve(m["kind"], html_lib.unescape(m["path"])))), html)
        return html

    def close(self) -> None:
        """Keep only the entries this run used, so the cache does not grow with every edit."""
        if self._db is None:
            return
        keep_only(self._db, "bodies", "key", self._used)
        self._db.commit()
        self._db.close()
        self._db = None


def sanitize(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     allowed_classes=ALLOWED_CLASSES,
                     link_rel="noopener noreferrer", strip_comments=True,
                     filter_style_properties={"text-align"})


def plain_text(html: str) -> str:
    """Text of rendered HTML, for search and summaries."""
    text = html_lib.unescape(nh3.clean(html, tags=set()))
    return re.sub(r"\s+", " ", text).strip()
