"""The annual report's tables: their inputs' checks, the catalogue's counts in table 二, and the balance of
table 三; the counts per unit."""

from __future__ import annotations

import csv
import io
import json

import pytest
from factory import ContentFactory
from gazette.cli import main


def test_yearly_figures_ceased_and_placeholders(content: ContentFactory) -> None:
    content.write("annual/2025/forestry.yml", "licensing: 12\npenalties: 3\nenforcement: 0\nfees: 1.5\n")
    content.write("annual/2025/linye.yml", "licensing: 十二\npenalties: 12.5\nfees: \"36.5万元\"\nlicense: 3\n")
    content.write("annual/2025.yml", "licensing: 1\n")
    content.write("annual/2025/kangding.yml", "- licensing: 1\n")
    content.document("rule-a", signed="2025-03-02", published="2025-03-04", catalogue="rules.normative",
                     validity="废止", index_no="S00000001/2025-00001")
    content.document("rule-b", signed="2025-03-02", published="2025-03-04", catalogue="rules.normative",
                     ceased="2025-06-30", index_no="S00000001/2025-00002")
    content.document("report", body="## 一、总体情况\n\n【待填：总体情况】\n")
    found = {(f.code, f.path.rsplit("/", 1)[-1], f.field) for f in content.findings()}
    assert {c for c in found if c[1] == "forestry.yml"} == set()
    assert {(c[0], c[2]) for c in found if c[1] == "linye.yml"} == {
        ("ANNUAL-FILE", ""), ("ANNUAL-FIELD", "licensing"), ("ANNUAL-FIELD", "penalties"),
        ("ANNUAL-FIELD", "enforcement"), ("ANNUAL-FIELD", "fees"), ("ANNUAL-FIELD", "license")}
    assert ("ANNUAL-FILE", "2025.yml", "") in found and ("ANNUAL-FORMAT", "kangding.yml", "") in found
    assert ("DOC-CEASED-MISSING", "rule-a.zh.md", "validity") in found
    assert ("DOC-CEASED", "rule-b.zh.md", "ceased") in found
    assert ("DOC-PLACEHOLDER", "report.zh.md", "body") in found


def test_table_2_first_row_from_the_catalogue(content: ContentFactory) -> None:
    from gazette.annual import annual_report
    from gazette.loader import load_corpus

    def doc(slug: str, signed: str, **fields: object) -> None:
        content.document(slug, signed=signed, published=signed, secrecy_review={"by": "小组", "date": signed},
                         index_no=f"S00000001/{signed[:4]}-{len(list(content.root.rglob('*.zh.md'))) + 1:05d}",
                         **fields)

    doc("old-reg", "2024-05-06", catalogue="rules.regulations", genre="order")
    doc("made-repealed", "2025-02-10", catalogue="rules.normative", validity="废止", ceased="2025-09-01")
    doc("made-replaced", "2025-03-03", catalogue="rules.normative", validity="失效", replaced_by="successor")
    doc("successor", "2026-01-05", catalogue="rules.normative")
    doc("old-repealed-later", "2024-01-08", catalogue="rules.normative", validity="废止", ceased="2026-02-02")
    doc("draft-rule", "2025-04-01", catalogue="rules.normative", status="draft")
    doc("not-a-rule", "2025-04-01", catalogue="rules.other")
    corpus, _ = load_corpus(content.root)
    rules = annual_report(corpus, 2025).table2[0]
    assert {r.label.id: r.cells for r in rules.rows} == {"regulations": [0, 0, 1], "normative": [2, 1, 2]}
    rules_2026 = annual_report(corpus, 2026).table2[0]
    assert {r.label.id: r.cells for r in rules_2026.rows} == {"regulations": [0, 0, 1], "normative": [1, 1, 1]}


def test_a_reply_before_the_year_it_was_received_breaks_the_balance(content: ContentFactory) -> None:
    content.request("2025-0001", received="2025-12-29", replied="2026-01-05")
    content.request("2026-0001", received="2026-01-05", replied="2025-12-30")
    found = [(f.code, f.path, f.line) for f in content.findings() if f.code == "ANNUAL-BALANCE"]
    assert found == [("ANNUAL-BALANCE", "requests/2026/2026-0001.yml", 7)] * 2  # for 2025 and for 2026


# --- counts per unit -------------------------------------------------------------------------------------


def test_units_report(content: ContentFactory, capsys: pytest.CaptureFixture[str]) -> None:
    content.document("kd-1", issuer=["kangding"], index_no="S00000101/2026-00001", signed="2026-03-02",
                     published="2026-03-04", catalogue="licensing.guides")
    content.translation("kd-1")
    content.document("kd-2", issuer=["kangding"], index_no="S00000101/2026-00002", signed="2026-09-01",
                     published="2026-10-20", catalogue="other.news",
                     secrecy_review={"by": "小组", "date": "2026-10-19"})
    content.document("fo-1", issuer=["forestry"], index_no="S00000011/2026-00001", disclosure="依申请公开",
                     catalogue="licensing.results", signed="2026-05-04", published="2026-05-06",
                     secrecy_review={"by": "小组", "date": "2026-05-05"})
    args = ["report", "units", "--content", str(content.root), "--year", "2026", "--as-of", "2026-11-22"]
    assert main([*args, "--format", "json"]) == 0
    units = {u["id"]: u for u in json.loads(capsys.readouterr().out)["units"]}
    kd, fo = units["kangding"], units["forestry"]
    assert [m["items"] for m in kd["months"]] == [0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0]
    assert kd["months"][9]["catalogue"] == {"other": 1} and kd["months"][2]["disclosure"] == {"主动公开": 1}
    # kd-2: 34 working days from signing to publication (National Day off): 1 of 2 within 20; 1 of 2 translated
    assert (kd["within_deadline_percent"], kd["translated_percent"], kd["silent"]) == (50.0, 50.0, False)
    assert (fo["items"], fo["proactive"], fo["silent"], fo["last_published"]) == (1, 0, True, "2026-05-06")
    assert units["luding"]["silent"] and "prefecture-government" not in units
    assert main([*args, "--months", "8", "--format", "csv"]) == 0
    rows = [r for r in csv.DictReader(io.StringIO(capsys.readouterr().out)) if r["unit_id"] == "forestry"]
    assert len(rows) == 13 and rows[4]["依申请公开"] == "1" and rows[12]["silent"] == "False"
    assert main(args) == 0
    assert "沉默 / silent" in capsys.readouterr().out
