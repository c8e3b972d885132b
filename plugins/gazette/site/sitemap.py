"""sitemap.xml with hreflang alternates. The pelican-sitemap plugin knows only Pelican's own articles
and pages; the gazette's pages come from its own generator, so the sitemap is written from the list of
pages that generator wrote, with the standard library's XML writer. Its addresses are absolute, on the
public address (`GazetteConfig.public_url`), a preview's too; the large-print copies are left out (their
canonical link names the standard page), and so is the 404 page."""

from __future__ import annotations

import hashlib
from pathlib import Path
from xml.etree import ElementTree as ET

from .. import urls
from ..config import GazetteConfig

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def fingerprint(written: list[tuple[str, str]], config: GazetteConfig) -> str:
    """What the sitemap is made from: the pages and the public address."""
    return hashlib.sha256("\n".join([config.public_url, " ".join(config.langs),
                                      *(f"{url} {lang}" for url, lang in written)]).encode()).hexdigest()


def write_sitemap(out: Path, written: list[tuple[str, str]], config: GazetteConfig) -> list[str]:
    """Write `sitemap.xml`; returns its path under `out`."""
    base = config.public_url
    ET.register_namespace("", NS)
    ET.register_namespace("xhtml", XHTML)
    root = ET.Element(f"{{{NS}}}urlset")
    for url, _lang in written:
        if url == urls.NOT_FOUND:
            continue
        entry = ET.SubElement(root, f"{{{NS}}}url")
        ET.SubElement(entry, f"{{{NS}}}loc").text = base + url
        for other, href in urls.language_versions(url, config.langs):
            ET.SubElement(entry, f"{{{XHTML}}}link", rel="alternate", hreflang=other, href=base + href)
    ET.ElementTree(root).write(out / "sitemap.xml", encoding="utf-8", xml_declaration=True)
    return ["sitemap.xml"]
