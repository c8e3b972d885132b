"""Checksums of the downloads on the sample site: the open data, the yearly SHA256SUMS and the document
pages agree with the files served; nothing of an on-request entry is listed; without a seal configured,
no page mentions one."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_open_data_sums_and_pages_agree_with_the_files(sample_site: Path) -> None:
    records = json.loads((sample_site / "data/catalogue.json").read_text(encoding="utf-8"))["records"]
    attachments = [(r, a) for r in records for a in r["attachments"]]
    assert attachments
    sums = {}
    for path in sorted((sample_site / "checksums").glob("*/SHA256SUMS")):
        for line in path.read_text(encoding="utf-8").splitlines():
            digest, _, name = line.partition("  ")
            sums[name] = digest
    for record, attachment in attachments:
        file = sample_site / attachment["url"].lstrip("/")
        assert attachment["sha256"] == _sha256(file)
        assert sums[attachment["url"].lstrip("/")] == attachment["sha256"]
        slug = record["url_zh"].rstrip("/").rsplit("/", 1)[-1]
        assert attachment["sha256"] in (sample_site / f"zh/documents/{slug}/index.html").read_text(encoding="utf-8")
    for year in (sample_site / "checksums").iterdir():
        done = subprocess.run(["sha256sum", "--check", "--quiet", f"checksums/{year.name}/SHA256SUMS"],
                              cwd=sample_site, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    csv = (sample_site / "data/catalogue.csv").read_text(encoding="utf-8-sig")
    assert "attachments_sha256" in csv.splitlines()[0] and attachments[0][1]["sha256"] in csv


def test_an_on_request_entry_lists_no_file(sample_site: Path) -> None:
    records = json.loads((sample_site / "data/catalogue.json").read_text(encoding="utf-8"))["records"]
    on_request = [r for r in records if r["disclosure"] == "依申请公开"]
    assert on_request
    listed = "".join(p.read_text(encoding="utf-8") for p in (sample_site / "checksums").glob("*/SHA256SUMS"))
    for record in on_request:
        assert record["attachments"] == [] and record["pdfs"] == {}
        slug = record["url_zh"].rstrip("/").rsplit("/", 1)[-1]
        assert f"/{slug}/" not in listed and f"{slug}." not in listed


def test_without_a_seal_no_page_mentions_one(sample_site: Path) -> None:
    assert not (sample_site / "zh/verify").exists() and not (sample_site / "verify").exists()
    for page in (sample_site / "zh/documents").glob("*/index.html"):
        text = page.read_text(encoding="utf-8")
        assert "已加盖电子印章" not in text and "/verify/" not in text
