"""Markdown → safe HTML. python-markdown renders; nh3 (the Ammonia sanitiser) decides what HTML survives,
so nothing an editor pastes can run in a reader's browser."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable

import markdown
import nh3

MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "smarty", "toc"]
MARKDOWN_CONFIG = {"toc": {"slugify": lambda value, sep: "h-" + re.sub(r"\W+", sep, value).strip(sep).lower()},
                   "smarty": {"smart_quotes": False}}

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "span", "strong",
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

# Pelican's intra-site link syntax: {filename}/documents/2026/x.zh.md, {static}/images/a.jpg
LINK = re.compile(r'(?P<attr>href|src)="\{(?P<kind>filename|static|attach)\}(?P<path>[^"]*)"')

LinkResolver = Callable[[str, str], str]  # (kind, path as written) → URL, or "" when it resolves to nothing


def render_markdown(body: str, resolve: LinkResolver | None = None) -> str:
    html = markdown.markdown(body, extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG,
                             output_format="html")
    if resolve is not None:
        html = LINK.sub(lambda m: f'{m["attr"]}="{resolve(m["kind"], m["path"])}"', html)
    return sanitize(html)


def sanitize(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True,
                     filter_style_properties={"text-align"})


def plain_text(html: str) -> str:
    """Text of rendered HTML, for search and summaries."""
    text = html_lib.unescape(nh3.clean(html, tags=set()))
    return re.sub(r"\s+", " ", text).strip()
