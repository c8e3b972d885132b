"""Large print (适老化): every page again as `large.html` beside it, in the large-print style.

Why its own URLs rather than a switch in the page: without a script or a cookie, a static site can keep a
reader's choice from page to page only in the address (a stylesheet pair with `rel="alternate stylesheet"`
needs a browser menu that only Firefox has). The copy is the drawn page itself with the mark
that selects the large-print rules of `views.css` (larger text, stronger contrast, wider spacing) and its
links to pages leading to their large-print copies, so it costs a string pass, not a second drawing. Its canonical link
names the standard page, so search engines list one of the two.
"""

from __future__ import annotations

import re

from .. import urls

_HTML = re.compile(r"<html\b")
_LINK = re.compile(r"<a\s[^>]*>")
_HREF = re.compile(r'href="(/[^"]*)"')
MARK = 'class="large-print"'


def large_print_page(html: str) -> str:
    html = _HTML.sub(f"<html {MARK}", html, count=1)
    return _LINK.sub(_large_links, html)


def _large_links(match: re.Match[str]) -> str:
    tag = match.group()
    if "data-standard" in tag:  # the way back to the standard page
        return tag

    def href(m: re.Match[str]) -> str:
        url = m.group(1)
        return f'href="{urls.large_print(url)}"' if urls.has_large_print(url) else m.group()

    return _HREF.sub(href, tag)
