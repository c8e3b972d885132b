"""Every public URL, in one place. Root-relative paths; the language is the first path segment and the
slug is the same in both languages, so a page's counterpart is found by swapping the segment."""

from __future__ import annotations


def home(lang: str) -> str:
    return f"/{lang}/"


def document(slug: str, lang: str) -> str:
    return f"/{lang}/documents/{slug}/"


def gazette_archive(lang: str) -> str:
    return f"/{lang}/gazette/"


def gazette_year(year: int, lang: str) -> str:
    return f"/{lang}/gazette/{year}/"


def issue(year: int, number: int, lang: str) -> str:
    return f"/{lang}/gazette/{year}/{number:02d}/"


def catalogue(lang: str) -> str:
    return f"/{lang}/catalogue/"


def catalogue_class(class_id: str, lang: str) -> str:
    return f"/{lang}/catalogue/class/{class_id}/"


def catalogue_publisher(agency_id: str, lang: str) -> str:
    return f"/{lang}/catalogue/publisher/{agency_id}/"


def catalogue_year(year: int, lang: str) -> str:
    return f"/{lang}/catalogue/year/{year}/"


def page(slug: str, lang: str) -> str:
    return f"/{lang}/{slug}/"


# The folders of a language that the site's own pages take (the functions here): a fixed page named like
# one would be written over the catalogue or the search page, or they over it.
SITE_FOLDERS = frozenset({"documents", "gazette", "catalogue", "search", "feeds", "verify"})


def search(lang: str) -> str:
    return f"/{lang}/search/"


def static_file(content_path: str) -> str:
    """An attachment or image, at the same path as under content/."""
    return "/" + content_path.lstrip("/")


def resized_image(source_sha256: str, width: int, ext: str) -> str:
    """A photograph resized for a page (site/images.py), named by its source's hash: immutable."""
    return f"/resized/{source_sha256[:24]}-{width}.{ext}"


def web_font(name: str) -> str:
    """A web font the build makes (webfont.py); the theme's CSS names it by this URL."""
    return f"/theme/fonts/{name}"


def issue_pdf(year: int, number: int, lang: str) -> str:
    return f"/pdf/gazette/{year}-{number:02d}.{lang}.pdf"


def document_pdf(slug: str, lang: str) -> str:
    return f"/pdf/documents/{slug}.{lang}.pdf"


def feed_all(lang: str) -> str:
    return f"/{lang}/feeds/all.atom.xml"


def feed_publisher(agency_id: str, lang: str) -> str:
    return f"/{lang}/feeds/publisher/{agency_id}.atom.xml"


def other_language(url: str, lang: str) -> str:
    """The same page in `lang` (a Traditional-character page's counterpart included)."""
    parts = url.split("/", 2)
    return f"/{lang}/{parts[2] if len(parts) > 2 else ''}"


# The Traditional-character (繁体) copies of the Chinese pages: the same path under this segment; their
# `lang` is zh-Hant. The search pages and the feeds stay Simplified: they have no copy.
TRADITIONAL = "zh-hant"
TRADITIONAL_LANG = "zh-Hant"


def has_traditional(url: str) -> bool:
    parts = url.split("/")
    return len(parts) > 2 and parts[1] == "zh" and parts[2] not in ("search", "feeds")


def traditional(url: str) -> str:
    """The Traditional-character copy of a Chinese page."""
    return other_language(url, TRADITIONAL)


def simplified(url: str) -> str:
    """The Chinese page a Traditional-character copy was made from (any other URL unchanged)."""
    return other_language(url, "zh") if url.startswith(f"/{TRADITIONAL}/") else url


def language_versions(url: str, langs: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """(hreflang, URL) of every language version of a page, its Traditional-character copy included:
    the alternates of the page's head and of the sitemap."""
    original = simplified(url)
    out: list[tuple[str, str]] = []
    for lang in langs:
        out.append((lang, other_language(original, lang)))
        if lang == "zh" and has_traditional(out[-1][1]):
            out.append((TRADITIONAL_LANG, traditional(out[-1][1])))
    return out


# Large print (适老化): every page again as `large.html` beside its `index.html`, the same HTML marked for
# the large-print style and linking to the large-print copies, so the choice holds from page to page without
# a script or a cookie. Beside the page, not under a prefix of its own: no second tree of folders to write
# and remove on every build.
LARGE_PRINT = "large.html"


def has_large_print(url: str) -> bool:
    """Pages a reader browses: not the search pages (the search service draws them) nor the feeds."""
    parts = url.split("/")
    return (url.endswith("/") and len(parts) > 2 and parts[1] in ("zh", TRADITIONAL, "bo")
            and parts[2] not in ("search", "feeds"))


def large_print(url: str) -> str:
    return url + LARGE_PRINT


def standard_print(url: str) -> str:
    return url.removesuffix(LARGE_PRINT) if url.endswith("/" + LARGE_PRINT) else url


def side_by_side(slug: str, lang: str) -> str:
    """A translated document's Chinese and Tibetan texts aligned block by block (中藏对照)."""
    return f"/{lang}/documents/{slug}/zh-bo/"


def application_form(lang: str) -> str:
    """The printable 政府信息公开申请表 the request page offers."""
    return f"/{lang}/request/form/"


def application_form_pdf(lang: str) -> str:
    """The same form as an A4 PDF in one language, made by the PDF stage."""
    return f"/pdf/forms/application.{lang}.pdf"


NOT_FOUND = "/404.html"  # both languages on one page: the server cannot tell which one a wrong URL wanted
FAVICON = "/theme/favicon.svg"  # Pelican copies the theme's static files under /theme/


def output_path(url: str) -> str:
    """Where a URL's file lives under the web root."""
    path = url.lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


def issue_pdfa(year: int, number: int, lang: str) -> str:
    """The PDF/A-3b copy of an issue edition, for the archives (档案馆)."""
    return f"/pdf/gazette/{year}-{number:02d}.{lang}.pdfa.pdf"


def seal_verification(lang: str) -> str:
    """How to verify the seal on the PDFs, with the certificate's fingerprint (only when PDFs are sealed)."""
    return f"/{lang}/verify/"


def seal_certificate() -> str:
    """The seal's certificate (public part only, PEM)."""
    return "/verify/seal-certificate.pem"


def checksums(year: int) -> str:
    """`SHA256SUMS` of every PDF and attachment of a year, paths relative to the web root."""
    return f"/checksums/{year}/SHA256SUMS"
