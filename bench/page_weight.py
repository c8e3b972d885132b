"""How heavy is each page for a reader? Sums what a browser fetches for a page of a built site, and fails
over budget.

For every HTML page of the web root it adds up, as a browser at 1280 px (one device pixel per CSS pixel)
would fetch them:

  html     the page itself
  css      the stylesheets it links (`<link rel="stylesheet">`)
  fonts    the @font-face files of those stylesheets whose unicode-range covers a character the page
           shows (a browser downloads a web font only for text it draws with it)
  images   every `<img>`: from `srcset` the candidate a 1280 px window picks for the slot `sizes` gives
           (lazy images included: a reader who scrolls fetches them), else `src`; and `<link rel="icon">`

Pages are grouped by kind (home, issue, document, catalogue, …) and language; the heaviest page of each
group is reported against its budget: a Chinese page 150 KB, a Tibetan page 250 KB, an issue page 400 KB.

    .venv/bin/python bench/page_weight.py [--site build/site] [--json] [--all]

Exit status 1 when a page is over its budget, 2 when the folder is not a built site.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import tinycss2
from lxml import etree

KB = 1024
# A page in both scripts (a document side by side, the 404 page) needs the Tibetan font: the Tibetan budget.
BUDGETS = {"zh": 150 * KB, "bo": 250 * KB, "both": 250 * KB, "issue": 400 * KB}
VIEWPORT, ROOT_EM, DPR = 1280, 16, 1.0


@dataclass
class Page:
    url: str
    html: int = 0
    css: dict[str, int] = field(default_factory=dict)
    fonts: dict[str, int] = field(default_factory=dict)
    images: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.html + sum(self.css.values()) + sum(self.fonts.values()) + sum(self.images.values())

    @property
    def lang(self) -> str:
        if "/zh-bo/" in self.url or self.kind == "not found":
            return "both"
        first = self.url.strip("/").split("/", 1)[0]
        return first if first in ("zh", "bo") else "zh"  # zh-hant: Chinese in Traditional characters

    @property
    def kind(self) -> str:
        return page_kind(self.url)

    @property
    def budget(self) -> int:
        return BUDGETS["issue"] if self.kind == "issue" else BUDGETS[self.lang]


def page_kind(url: str) -> str:
    """The kind of page a URL of urls.py names."""
    parts = [p for p in url.strip("/").split("/") if p and p not in ("index.html", "large.html")]
    if not parts:
        return "language choice"
    if parts == ["404.html"]:
        return "not found"
    if parts[-1] == "zh-bo":
        return "side by side"
    rest = parts[1:]
    if not rest:
        return "home"
    head = rest[0]
    if head == "gazette":
        return {1: "gazette archive", 2: "gazette year", 3: "issue"}.get(len(rest), "gazette")
    if head == "documents":
        return "document"
    if head == "catalogue":
        return "catalogue" if len(rest) == 1 else f"catalogue {rest[1]}"
    if head == "search":
        return "search"
    return "page" if len(rest) == 1 else "other"


# Elements whose text a browser does not draw as text (an SVG's is drawn from its own outlines).
_UNDRAWN = ("head", "script", "style", "svg", "template")
_DRAWN_TEXT = etree.XPath("//text()[not(" + " or ".join(f"ancestor::{t}" for t in _UNDRAWN) + ")]")


@dataclass
class _Scan:
    """Stylesheets, images, icons and the text a page draws (body text and form placeholders), read with
    lxml's HTML parser (libxml2: the whole sample in a fraction of what html.parser takes)."""

    stylesheets: list[str] = field(default_factory=list)
    images: list[tuple[str, str, str]] = field(default_factory=list)  # (src, srcset, sizes)
    icons: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, html: str) -> _Scan:
        scan = cls()
        root = lxml.html.document_fromstring(html)
        for element in root.iter("link", "img", "input"):
            a = element.attrib
            rel = a.get("rel", "").lower().split()
            if element.tag == "link" and "stylesheet" in rel:
                scan.stylesheets.append(a.get("href", ""))
            elif element.tag == "link" and "icon" in rel:
                scan.icons.append(a.get("href", ""))
            elif element.tag == "img":
                scan.images.append((a.get("src", ""), a.get("srcset", ""), a.get("sizes", "")))
            elif element.tag == "input":
                scan.text.append(a.get("placeholder", "") + a.get("value", ""))
        scan.text.extend(str(t) for t in _DRAWN_TEXT(root))
        return scan


@dataclass(frozen=True)
class FontFace:
    url: str
    ranges: tuple[tuple[int, int], ...]  # empty: every character

    def used_by(self, chars: set[str]) -> bool:
        if not self.ranges:
            return bool(chars)
        return self._pattern.search("".join(chars)) is not None

    @functools.cached_property
    def _pattern(self) -> re.Pattern[str]:
        """The ranges as one character class: a page's characters are tested in C, not one by one."""
        return re.compile("[" + "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in self.ranges) + "]")


def _unicode_range(value: str) -> tuple[tuple[int, int], ...]:
    out = []
    for part in value.replace(" ", "").split(","):
        part = part.upper().removeprefix("U+")
        if "-" in part:
            lo, hi = part.split("-", 1)
        elif "?" in part:
            lo, hi = part.replace("?", "0"), part.replace("?", "F")
        else:
            lo = hi = part
        if lo:
            out.append((int(lo, 16), int(hi, 16)))
    return tuple(out)


class Site:
    def __init__(self, root: Path) -> None:
        self.root = root

    def file(self, url: str) -> Path | None:
        path = unquote(urlsplit(url).path)
        if not path.startswith("/") or urlsplit(url).netloc:
            return None
        target = self.root / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        return target if target.is_file() else None

    def size(self, url: str) -> int:
        path = self.file(url)
        return path.stat().st_size if path else 0

    @cache  # noqa: B019 - one Site per run
    def font_faces(self, css_url: str) -> tuple[FontFace, ...]:
        path = self.file(css_url)
        if path is None:
            return ()
        faces = []
        for rule in tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"), skip_comments=True,
                                              skip_whitespace=True):
            if rule.type != "at-rule" or rule.lower_at_keyword != "font-face" or rule.content is None:
                continue
            src, ranges = "", ()
            for decl in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
                if decl.type != "declaration":
                    continue
                if decl.lower_name == "src":
                    src = next((t.value for t in decl.value if t.type == "url"), src)
                    if not src:
                        src = next((t.arguments[0].value for t in decl.value if t.type == "function"
                                    and t.lower_name == "url" and t.arguments), "")
                elif decl.lower_name == "unicode-range":
                    ranges = _unicode_range(tinycss2.serialize(decl.value))
            if src:
                faces.append(FontFace(urljoin(css_url, src), ranges))
        return tuple(faces)


def _slot_width(sizes: str) -> float:
    """The slot width `sizes` gives at the bench viewport: the first matching (min/max-width) condition."""
    if not sizes.strip():
        return VIEWPORT
    for entry in sizes.split(","):
        entry = entry.strip()
        match = re.match(r"^\((min|max)-width:\s*([\d.]+)(px|rem|em)\)\s+(.+)$", entry)
        if match:
            limit = float(match[2]) * (1 if match[3] == "px" else ROOT_EM)
            if (match[1] == "min" and limit > VIEWPORT) or (match[1] == "max" and limit < VIEWPORT):
                continue
            entry = match[4]
        length = re.match(r"^([\d.]+)(px|rem|em|vw)$", entry)
        if length:
            value, unit = float(length[1]), length[2]
            return value * {"px": 1, "rem": ROOT_EM, "em": ROOT_EM, "vw": VIEWPORT / 100}[unit]
    return VIEWPORT


def chosen_image(src: str, srcset: str, sizes: str) -> str:
    candidates = []
    for item in srcset.split(","):
        bits = item.split()
        if len(bits) == 2 and bits[1].endswith("w"):
            candidates.append((int(bits[1][:-1]), bits[0]))
    if not candidates:
        return src
    need = _slot_width(sizes) * DPR
    fitting = sorted(c for c in candidates if c[0] >= need)
    return (fitting[0] if fitting else max(candidates))[1]


def weigh(site: Site, path: Path) -> Page:
    rel = path.relative_to(site.root).as_posix()
    url = "/" + rel.removesuffix("index.html")
    page = Page(url, html=path.stat().st_size)
    scan = _Scan.of(path.read_text(encoding="utf-8"))
    chars = set("".join(scan.text)) - set(" \n\t\r")
    for href in scan.stylesheets:
        css = urljoin(url, href)
        page.css[css] = site.size(css)
        for face in site.font_faces(css):
            if face.used_by(chars):
                page.fonts[face.url] = site.size(face.url)
    for src, srcset, sizes in scan.images:
        image = urljoin(url, chosen_image(src, srcset, sizes))
        page.images[image] = site.size(image)
    for icon in scan.icons:
        page.images[urljoin(url, icon)] = site.size(urljoin(url, icon))
    return page


def weigh_site(root: Path) -> list[Page]:
    site = Site(root)
    return [weigh(site, path) for path in sorted(root.rglob("*.html"))]


def heaviest(pages: list[Page]) -> dict[tuple[str, str], tuple[Page, int]]:
    """(kind, language) → (its heaviest page, how many pages of that kind)."""
    groups: dict[tuple[str, str], list[Page]] = defaultdict(list)
    for page in pages:
        groups[(page.kind, page.lang)].append(page)
    return {key: (max(group, key=lambda p: p.total), len(group)) for key, group in sorted(groups.items())}


def _kb(n: int) -> str:
    return f"{n / KB:7.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="build/site", help="the web root of a build (default build/site)")
    parser.add_argument("--json", action="store_true", help="one JSON object per kind and language")
    parser.add_argument("--all", action="store_true", help="list every page over its budget, not only the count")
    args = parser.parse_args(argv)
    root = Path(args.site)
    if not (root / "index.html").is_file():
        print(f"{root}: not a built site (no index.html); run `gazette build` first", file=sys.stderr)
        return 2
    pages = weigh_site(root)
    over = [p for p in pages if p.total > p.budget]
    rows = heaviest(pages)
    if args.json:
        print(json.dumps([{"kind": kind, "lang": lang, "pages": count, "url": p.url, "total": p.total,
                           "html": p.html, "css": sum(p.css.values()), "fonts": sum(p.fonts.values()),
                           "images": sum(p.images.values()), "budget": p.budget}
                          for (kind, lang), (p, count) in rows.items()], ensure_ascii=False, indent=1))
    else:
        print(f"{'kind':<20}{'lang':<5}{'pages':>6}  {'total':>7}  {'html':>7}{'css':>7}{'fonts':>7}{'images':>7}"
              f"  {'budget':>6} {'used':>5}  heaviest page (KB)")
        for (kind, lang), (p, count) in rows.items():
            flag = "  OVER" if p.total > p.budget else ""
            print(f"{kind:<20}{lang:<5}{count:>6}  {_kb(p.total)}  {_kb(p.html)}{_kb(sum(p.css.values()))}"
                  f"{_kb(sum(p.fonts.values()))}{_kb(sum(p.images.values()))}  {p.budget // KB:>6} "
                  f"{p.total / p.budget:5.0%}  {p.url}{flag}")
        print(f"{len(pages)} pages, {len(over)} over budget")
        for p in over if args.all else over[:10]:
            print(f"  over: {p.url} {p.total / KB:.1f} KB > {p.budget // KB} KB")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
