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
    """The same page in `lang`."""
    parts = url.split("/", 2)
    return f"/{lang}/{parts[2] if len(parts) > 2 else ''}"


def output_path(url: str) -> str:
    """Where a URL's file lives under the web root."""
    path = url.lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


def issue_pdfa(year: int, number: int, lang: str) -> str:
    """The PDF/A-3b copy of an issue edition, for the archives (档案馆)."""
    return f"/pdf/gazette/{year}-{number:02d}.{lang}.pdfa.pdf"
