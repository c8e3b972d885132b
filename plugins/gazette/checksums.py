"""SHA-256 checksums of what readers download: the PDFs (as served, sealed or not) and the attachments.

One place computes them; the document and issue pages, the open data and the yearly `SHA256SUMS` files
show the same values. Each `SHA256SUMS` lists paths relative to the web root in the format of
`sha256sum -c` (`<hex>  <path>`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

from . import urls
from .publication import Publication


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def pdf_digests(site: Path, pdf_urls: list[str]) -> dict[str, str]:
    """URL → SHA-256 of each PDF in this build's web root (read from the bytes that will be served)."""
    return {url: sha256_file(site / urls.output_path(url)) for url in pdf_urls
            if (site / urls.output_path(url)).is_file()}


def by_year(pub: Publication, pdf_digests: dict[str, str]) -> dict[int, dict[str, str]]:
    """Year → {URL: SHA-256}: issue PDFs by the issue's year, a document's PDFs and attachments by the
    year it was signed. Only what the Publication lists and the build wrote."""
    years: dict[int, dict[str, str]] = defaultdict(dict)
    for issue in pub.issues:
        for url in pdf_digests:
            if url.startswith(f"/pdf/gazette/{issue.year}-{issue.number:02d}."):
                years[issue.year][url] = pdf_digests[url]
    for doc in pub.documents.values():
        for lang in doc.texts if doc.full else ():
            url = urls.document_pdf(doc.slug, lang)
            if url in pdf_digests:
                years[doc.signed.year][url] = pdf_digests[url]
        for attachment in doc.attachments:
            years[doc.signed.year][attachment.url] = attachment.sha256
    return years


def write_sha256sums(site: Path, pub: Publication, pdf_digests: dict[str, str]) -> list[str]:
    """One `SHA256SUMS` per year under the web root; returns their URLs."""
    written = []
    for year, entries in sorted(by_year(pub, pdf_digests).items()):
        target = site / urls.output_path(urls.checksums(year))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("".join(f"{digest}  {url.lstrip('/')}\n" for url, digest in sorted(entries.items())),
                          encoding="utf-8")
        written.append(urls.checksums(year))
    return written
