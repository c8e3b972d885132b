"""The catalogue's metadata as open data: JSON and CSV, one record per public catalogue entry.

On-request (依申请公开) entries are listed with their metadata only; attachments and PDFs are listed
for 主动公开 entries alone, each with its size and SHA-256 (of the file as served: sealed, where it is).
Withheld and draft documents are not in the Publication and so not here.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .. import urls
from ..file_memo import FileMemo, identity
from ..publication import Publication
from ..spreadsheet import safe_cell

FIELDS = ("index_no", "title_zh", "title_bo", "publisher", "publisher_id", "issuers", "doc_number", "signed",
          "published", "catalogue", "catalogue_id", "genre", "disclosure", "validity", "replaced_by",
          "summary", "keywords", "url_zh", "url_bo", "attachments", "attachments_sha256", "pdf_zh", "pdf_zh_sha256",
          "pdf_bo", "pdf_bo_sha256")


def _pdfs(doc: Any, base: str, digests: dict[str, str], sealed: set[str]) -> dict[str, dict[str, Any]]:
    """Language → the document's PDF, for the languages it has one in."""
    found = {}
    for lang in sorted(doc.texts) if doc.full else ():
        url = urls.document_pdf(doc.slug, lang)
        if url in digests:
            found[lang] = {"url": base + url, "sha256": digests[url], "sealed": url in sealed}
    return found


def _record(doc: Any, base: str) -> dict[str, Any]:
    """A document's record, but for its PDFs."""
    zh = doc.text("zh")
    return {
        "index_no": doc.index_no,
        "title_zh": zh.title,
        "title_bo": doc.texts["bo"].title if "bo" in doc.texts else "",
        "publisher": doc.publisher.zh if doc.publisher else "",
        "publisher_id": doc.publisher.id if doc.publisher else "",
        "issuers": [a.id for a in doc.issuers],
        "doc_number": doc.doc_number,
        "signed": doc.signed.isoformat(),
        "published": doc.published.isoformat(),
        "catalogue": doc.catalogue.zh if doc.catalogue else "",
        "catalogue_id": doc.catalogue.id if doc.catalogue else "",
        "genre": doc.genre.id if doc.genre else "",
        "disclosure": doc.disclosure,
        "validity": doc.validity,
        "replaced_by": doc.replaced_by,
        "summary": zh.summary,
        "keywords": list(zh.keywords),
        "url_zh": base + doc.url("zh"),
        "url_bo": base + doc.url("bo"),
        "attachments": [{"title": a.title, "url": base + a.url, "size": a.size, "sha256": a.sha256}
                        for a in doc.attachments],
    }


def records(pub: Publication, base: str, digests: dict[str, str] | None = None,
            sealed: set[str] | None = None) -> list[dict[str, Any]]:
    """`digests`: URL → SHA-256 of each PDF the build wrote; `sealed`: the URLs of the sealed ones."""
    digests, sealed = digests or {}, sealed or set()
    return [{**_record(doc, base), "pdfs": _pdfs(doc, base, digests, sealed)}
            for doc in sorted(pub.documents.values(), key=lambda d: d.index_no)]


class RecordDigests:
    """Each document's record (but its PDFs) as a digest, kept between builds (`file`) by what it is made
    from: the document's content hash (its sources' bytes and visibility), its `replaced_by` (which depends
    on another document's visibility) and `environment` (the code, the registry's bytes, the site's
    address). A build makes the records of changed documents only to know whether the open data changed;
    the file holds digests alone, and only of documents published by the last build that wrote it."""

    def __init__(self, file: Path, environment: str) -> None:
        self.file, self.environment = file, environment
        seen = identity(file)
        remembered = _record_files.get(file, seen) if seen is not None else None
        if remembered is not None:  # written or read by this process, and unchanged since
            kept_environment, kept = remembered
            self.old = dict(kept) if kept_environment == environment else {}
        else:
            try:
                data = json.loads(file.read_text(encoding="utf-8"))
                kept = {str(k): str(v) for k, v in data["records"].items()}
                if seen is not None:
                    _record_files.put(file, (str(data["environment"]), kept), seen)
                self.old = dict(kept) if data["environment"] == environment else {}
            except (OSError, ValueError, TypeError, KeyError, AttributeError):
                self.old = {}
        self.new: dict[str, str] = {}

    def of(self, doc: Any, base: str) -> str:
        key = f"{doc.content_hash}:{doc.replaced_by}"
        digest = self.old.get(key)
        if digest is None:
            record = json.dumps(_record(doc, base), ensure_ascii=False, sort_keys=True)
            digest = hashlib.sha256(record.encode()).hexdigest()
        self.new[key] = digest
        return digest

    def write(self) -> None:
        if self.new == self.old:
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        partial = self.file.with_suffix(".part")
        partial.write_text(json.dumps({"environment": self.environment, "records": self.new}), encoding="utf-8")
        os.replace(partial, self.file)
        _record_files.put(self.file, (self.environment, dict(self.new)))


_record_files = FileMemo(1)  # the records file this process last wrote or read: (environment, records)


def fingerprint(pub: Publication, settings: dict[str, Any], digests: dict[str, str] | None = None,
                sealed: set[str] | None = None, kept: RecordDigests | None = None) -> str:
    """What the open data shows: its records (a body's edit leaves them as they were), each by its digest
    (`kept`: the records of unchanged documents are not made again)."""
    base = str(settings.get("SITEURL") or "").rstrip("/")
    digests, sealed = digests or {}, sealed or set()
    h = hashlib.sha256(base.encode())
    for doc in sorted(pub.documents.values(), key=lambda d: d.index_no):
        record = kept.of(doc, base) if kept is not None else hashlib.sha256(json.dumps(
            _record(doc, base), ensure_ascii=False, sort_keys=True).encode()).hexdigest()
        pdfs = _pdfs(doc, base, digests, sealed) if digests else {}
        h.update(f"\0{record}:{json.dumps(pdfs, sort_keys=True) if pdfs else ''}".encode())
    return h.hexdigest()


def write_open_data(pub: Publication, out: Path, settings: dict[str, Any], digests: dict[str, str] | None = None,
                    sealed: set[str] | None = None) -> list[str]:
    """Write the catalogue as JSON and CSV; returns their paths under `out`."""
    base = str(settings.get("SITEURL") or "").rstrip("/")
    rows = records(pub, base, digests, sealed)
    folder = out / "data"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "catalogue.json").write_text(
        json.dumps({"count": len(rows), "records": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    # A BOM so that spreadsheet programs on editors' desks open the Chinese text correctly.
    with (folder / "catalogue.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        for row in rows:
            flat = {k: v for k, v in row.items() if k != "pdfs"}
            flat["issuers"] = ";".join(row["issuers"])
            # Each keyword guarded too: a spreadsheet that splits the cell at ";" would read "=…" after one.
            flat["keywords"] = ";".join(safe_cell(k) for k in row["keywords"])
            flat["attachments"] = ";".join(a["url"] for a in row["attachments"])
            flat["attachments_sha256"] = ";".join(a["sha256"] for a in row["attachments"])
            for lang in ("zh", "bo"):
                pdf = row["pdfs"].get(lang)
                flat[f"pdf_{lang}"], flat[f"pdf_{lang}_sha256"] = (pdf["url"], pdf["sha256"]) if pdf else ("", "")
            writer.writerow({key: safe_cell(value) for key, value in flat.items()})
    return ["data/catalogue.json", "data/catalogue.csv"]
