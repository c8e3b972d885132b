"""The annual report's tables on the sample, recomputed by hand from the register and the catalogue; their
inputs' checks; the document skeleton; and the counts per unit."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from factory import ContentFactory
from gazette.cli import main

COLUMNS = ["natural", "business", "research", "public-interest", "legal-services", "other", "total"]

# The sample register for 2025, counted by hand (content/requests/): 29 received in 2025 (19 natural
# persons: 0001 0002 0005 0006 0008 0010-0017 0019 0022 0024 0026 0027 0029; businesses 0003 0007 0023 0028;
# research 0009 0025; public interest 0018; legal services 0004 0020; other 0021), 2 carried over from
# 2024 (2024-0031 natural person, 2024-0032 business), 2 not answered by Dec 31 (0028, 0029).
TABLE_3 = {
    "new": [19, 4, 2, 1, 2, 1, 29],
    "carried": [1, 1, 0, 0, 0, 0, 2],
    "results": None,
    # 2024-0031 0001 0002 0005 0013 0015 0027 | 0007 | 0009 0025 | 0018 | 0004 | 0021
    "disclosed": [7, 1, 2, 1, 1, 1, 13],
    "partial": [0, 3, 0, 0, 1, 0, 4],  # 2024-0032 0003 0023 | 0020
    "withheld": None,
    "withheld.1": [0] * 7, "withheld.2": [0] * 7, "withheld.3": [0] * 7,
    "withheld.4": [1, 0, 0, 0, 0, 0, 1],  # 0010
    "withheld.5": [0] * 7,
    "withheld.6": [1, 0, 0, 0, 0, 0, 1],  # 0008
    "withheld.7": [1, 0, 0, 0, 0, 0, 1],  # 0006
    "withheld.8": [0] * 7,
    "unavailable": None,
    "unavailable.1": [1, 0, 0, 0, 0, 0, 1],  # 0011
    "unavailable.2": [1, 0, 0, 0, 0, 0, 1],  # 0012
    "unavailable.3": [1, 0, 0, 0, 0, 0, 1],  # 0014, after a correction
    "not-processed": None,
    "not-processed.1": [1, 0, 0, 0, 0, 0, 1],  # 0016
    "not-processed.2": [1, 0, 0, 0, 0, 0, 1],  # 0017
    "not-processed.3": [1, 0, 0, 0, 0, 0, 1],  # 0019
    "not-processed.4": [0] * 7,
    "not-processed.5": [1, 0, 0, 0, 0, 0, 1],  # 0024
    "other-handling": None,
    "other-handling.1": [1, 0, 0, 0, 0, 0, 1],  # 0022, no correction came
    "other-handling.2": [0] * 7,
    "other-handling.3": [1, 0, 0, 0, 0, 0, 1],  # 0026
    "handled": [19, 4, 2, 1, 2, 1, 29],
    "forward": [1, 1, 0, 0, 0, 0, 2],  # 0029 | 0028
}
# Catalogue: gzfb-2025-9 and gzfbf-2025-7 are the normative documents signed in 2025; the second was
# repealed on 2026-03-31 and the first replaced by a document of 2026-08-12, so both were in force at the
# end of 2025. Figures: annual/2025/forestry.yml + kangding.yml.
TABLE_2 = {
    "art20-1": {"regulations": [0, 0, 0], "normative": [2, 0, 2]},
    "art20-5": {"licensing": [146 + 812]},
    "art20-6": {"penalties": [23 + 57], "enforcement": [2 + 4]},
    "art20-8": {"fees": [36.5]},
}
# Appeals: 2025-0008 行政复议 upheld; 2025-0020 行政诉讼 without reconsideration, pending.
TABLE_4 = {"reconsideration": [1, 0, 0, 0, 1], "litigation": [0, 0, 0, 1, 1], "litigation-after": [0, 0, 0, 0, 0]}


def _rows(table: dict) -> dict[str, list | None]:
    ids = [c["id"] for c in table["columns"]]
    return {r["id"]: [r["cells"][c] for c in ids] if r["cells"] is not None else None for r in table["rows"]}


@pytest.fixture(scope="module")
def sample_2025(sample_content: Path) -> dict:
    import contextlib

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["report", "annual", "--year", "2025", "--content", str(sample_content), "--format", "json"]) == 0
    return json.loads(out.getvalue())


def test_table_3_cell_by_cell(sample_2025: dict) -> None:
    table = sample_2025["tables"]["三"]
    assert [c["id"] for c in table["columns"]] == COLUMNS
    assert _rows(table) == TABLE_3
    assert sample_2025["balance"] == {"new": 29, "carried_over": 2, "handled": 29, "carried_forward": 2,
                                      "holds": True, "requests": []}


def test_tables_2_and_4_cell_by_cell(sample_2025: dict) -> None:
    assert {t["stub"]["id"]: _rows(t) for t in sample_2025["tables"]["二"]} == TABLE_2
    assert _rows(sample_2025["tables"]["四"]) == TABLE_4


def test_one_agency(sample_content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # forestry: 2024-0032 carried over (business, partial); new 0006 (natural, withheld), 0009 (research,
    # disclosed), 0020 (legal services, partial, in court), 0028 (business, carried forward)
    assert main(["report", "annual", "--year", "2025", "--agency", "forestry", "--content", str(sample_content),
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = _rows(data["tables"]["三"])
    assert rows["new"] == [1, 1, 1, 0, 1, 0, 4] and rows["carried"] == [0, 1, 0, 0, 0, 0, 1]
    assert rows["partial"] == [0, 1, 0, 0, 1, 0, 2] and rows["handled"][-1] == 4 and rows["forward"][-1] == 1
    assert {t["stub"]["id"]: _rows(t) for t in data["tables"]["二"]}["art20-6"] == {"penalties": [23],
                                                                                  "enforcement": [2]}
    assert _rows(data["tables"]["四"])["litigation"] == [0, 0, 0, 1, 1]


def test_markdown_csv_and_tibetan(sample_content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["report", "annual", "--year", "2025", "--content", str(sample_content)]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "## 三、收到和处理政府信息公开申请情况" in text
    assert "| 一、本年新收政府信息公开申请数量 | 19 | 4 | 2 | 1 | 2 | 1 | 29 |" in text
    assert "| 行政事业性收费 | 36.5 |" in text
    assert main([*args, "--lang", "bo"]) == 0
    bo = capsys.readouterr().out
    assert "| རང་བྱུང་མི། \\*" in bo and "ལོ་ཙཱ་བས་ཞིབ་བཤེར་བྱས་མེད" in bo
    assert main([*args, "--format", "csv"]) == 0
    cells = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(cells) == (2 * 3 + 4) + 25 * 7 + 3 * 5
    assert {(c["row_id"], c["column_id"]): c["value"] for c in cells}[("forward", "business")] == "1"


def test_the_sample_report_carries_the_computed_tables(sample_content: Path) -> None:
    from gazette.annual import annual_report
    from gazette.loader import load_corpus
    from gazette.reports.annual import section

    corpus, _ = load_corpus(sample_content)
    report = annual_report(corpus, 2025)
    doc = corpus.documents["gz-xxgk-ndbg-2025"]
    for lang, body in (("zh", doc.body), ("bo", doc.translations["bo"].body)):
        for part in ("proactive", "requests", "appeals"):
            assert section(report, part, lang) in body, (lang, part)


# --- the inputs' checks ----------------------------------------------------------------------------------


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


def test_a_reply_before_the_year_it_was_received_breaks_the_balance(content: ContentFactory,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    content.request("2025-0001", received="2025-12-29", replied="2026-01-05")
    content.request("2026-0001", received="2026-01-05", replied="2025-12-30")
    found = [(f.code, f.path, f.line) for f in content.findings() if f.code == "ANNUAL-BALANCE"]
    assert found == [("ANNUAL-BALANCE", "requests/2026/2026-0001.yml", 7)] * 2  # for 2025 and for 2026
    assert main(["report", "annual", "--year", "2025", "--content", str(content.root)]) == 1
    assert "2026-0001" in capsys.readouterr().err


# --- the document skeleton -------------------------------------------------------------------------------


def test_doc_skeleton_written_once_and_flagged(content: ContentFactory, capsys: pytest.CaptureFixture[str]) -> None:
    content.request("2025-0001", applicant="商业企业", outcome="不予公开", reason="属于国家秘密")
    content.request("2025-0002", received="2025-12-22", replied=None, outcome=None)
    args = ["report", "annual", "--year", "2025", "--content", str(content.root), "--format", "doc"]
    assert main(args) == 0
    written = sorted((content.root / "documents/2026").glob("gz-xxgk-ndbg-2025.*.md"))
    assert [p.name for p in written] == ["gz-xxgk-ndbg-2025.bo.md", "gz-xxgk-ndbg-2025.zh.md"]
    zh = written[1].read_text(encoding="utf-8")
    assert "| 1. 属于国家秘密 | 0 | 1 | 0 | 0 | 0 | 0 | 1 |" in zh
    assert "| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |" in zh
    assert "| 行政许可 | 【待填】 |" in zh and "## 六、其他需要报告的事项\n\n【待填：" in zh
    codes = {(f.code, f.path.rsplit(".", 2)[-2]) for f in content.findings() if f.is_error}
    assert {("DOC-PLACEHOLDER", "zh"), ("DOC-PLACEHOLDER", "bo"), ("SEC-SECRET", "zh"), ("DATE-INVALID", "zh")} <= codes
    before = [p.read_bytes() for p in written]
    capsys.readouterr()
    assert main(args) == 1
    assert "不覆盖" in capsys.readouterr().err and [p.read_bytes() for p in written] == before
    assert main(["report", "late", "--content", str(content.root), "--format", "doc"]) == 1


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
