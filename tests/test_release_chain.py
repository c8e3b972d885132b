"""The release chain (`review`): each check code, and `gazette report chain`, which never shows a name."""

from __future__ import annotations

import json

import pytest
from factory import ContentFactory
from gazette.cli import main

# signed 2026-03-02 (Mon), published 2026-03-04 by the factory's defaults
ON_TIME = [{"step": "录入", "by": "zqxnamea", "date": "2026-03-03"},
           {"step": "初审", "by": "zqxnameb", "date": "2026-03-03"},
           {"step": "审核", "by": "zqxnamec", "date": "2026-03-04"},
           {"step": "审发", "by": "zqxnamed", "date": "2026-03-04"}]


def chain(*dates: str, steps: tuple[str, ...] = ("录入", "初审", "审核", "审发")) -> list[dict[str, str]]:
    return [{"step": s, "by": "zqxname", "date": d} for s, d in zip(steps, dates, strict=False)]


CASES: dict[str, tuple[dict[str, object], set[str]]] = {
    "on-time": ({"review": ON_TIME}, set()),
    # 录入 on the 4th working day after signing (Mar 6), then 审发 8 working days after 审核
    "late": ({"published": "2026-03-20", "review": chain("2026-03-06", "2026-03-06", "2026-03-06", "2026-03-18")},
             {"REVIEW-LATE"}),
    "not-a-list": ({"review": "已审核"}, {"REVIEW-FORMAT"}),
    "no-name": ({"review": [{"step": "录入", "date": "2026-03-03"}]}, {"REVIEW-FORMAT"}),
    "bad-date": ({"review": chain("2026-03-33")}, {"DATE-INVALID"}),
    "unknown-step": ({"review": chain("2026-03-03", "2026-03-03", steps=("录入", "复核"))}, {"REVIEW-STEP"}),
    "skipped": ({"review": chain("2026-03-03", "2026-03-03", steps=("录入", "审核"))}, {"REVIEW-STEP"}),
    "backwards": ({"review": chain("2026-03-03", "2026-03-02", "2026-03-03", "2026-03-04")}, {"REVIEW-ORDER"}),
    "before-signing": ({"review": chain("2026-02-27", "2026-03-03", "2026-03-03", "2026-03-04")}, {"REVIEW-ORDER"}),
    "released-after": ({"review": chain("2026-03-03", "2026-03-03", "2026-03-04", "2026-03-05")},
                       {"REVIEW-RELEASE"}),
    "incomplete": ({"review": chain("2026-03-03", "2026-03-03")}, {"REVIEW-INCOMPLETE"}),
    "incomplete-draft": ({"status": "draft", "review": chain("2026-03-03", "2026-03-03")}, set()),
    "none": ({}, set()),
}


@pytest.fixture(scope="module")
def chains(tmp_path_factory: pytest.TempPathFactory) -> ContentFactory:
    content = ContentFactory(tmp_path_factory.mktemp("chains") / "content")
    for slug, (fields, _) in CASES.items():
        content.document(slug, **fields)
    content.document("county-none", issuer=["kangding"], index_no="S00000101/2026-00001")
    return content


@pytest.fixture(scope="module")
def found(chains: ContentFactory) -> dict[str, set[str]]:
    result: dict[str, set[str]] = {}
    for finding in chains.findings():
        if finding.code.startswith(("REVIEW-", "DATE-")):
            result.setdefault(finding.path.rsplit("/", 1)[-1].split(".")[0], set()).add(finding.code)
    return result


@pytest.mark.parametrize("slug", list(CASES))
def test_each_chain_gets_its_codes(found: dict[str, set[str]], slug: str) -> None:
    assert found.get(slug, set()) == CASES[slug][1]


def test_messages_name_no_one(chains: ContentFactory) -> None:
    assert not [f for f in chains.findings() if "zqxname" in f.as_text()]


def test_report_chain_per_publisher(chains: ContentFactory, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "chain", "--content", str(chains.root), "--format", "json"]) == 0
    out = capsys.readouterr().out
    rows = {p["id"]: p for p in json.loads(out)["publishers"]}
    pg = rows["prefecture-government"]
    # drafts are no catalogue entries; a chain malformed, partial or dated backwards is incomplete; one
    # released after publication is late
    assert (pg["on_time"], pg["late"], pg["none"], pg["incomplete"], pg["total"]) == (1, 2, 1, 8, 12)
    late = next(e for e in pg["entries"] if e["slug"] == "late")
    assert [(s["step"], s["working_days"], s["limit"]) for s in late["late_steps"]] == [("录入", 4, 3), ("审发", 8, 6)]
    assert (rows["kangding"]["none"], rows["kangding"]["total"]) == (1, 1)
    for fmt in ("text", "csv"):
        assert main(["report", "chain", "--content", str(chains.root), "--format", fmt, "--year", "2026"]) == 0
        text = capsys.readouterr().out
        assert "late" in text and "county-none" in text
        out += text
    assert "zqxname" not in out


def test_report_chain_on_the_sample(sample_content, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "chain", "--content", str(sample_content), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["publishers"]
    totals = {s: sum(r[s] for r in rows) for s in ("on_time", "late", "incomplete", "none")}
    assert totals == {"on_time": 38, "late": 3, "incomplete": 0, "none": 11}


def test_a_chain_the_holiday_calendar_cannot_count_is_not_called_on_time(
        content: ContentFactory, capsys: pytest.CaptureFixture[str]) -> None:
    """2003 is before the calendar's first year: 初审 nine working days after 录入 cannot be counted, so the
    entry is neither on time nor late."""
    content.document("old", signed="2003-05-06", published="2003-05-30", index_no="S00000001/2003-00001",
                     secrecy_review={"by": "小组", "date": "2003-05-29"},
                     review=chain("2003-05-07", "2003-05-20", "2003-05-21", "2003-05-22"))
    assert main(["report", "chain", "--content", str(content.root), "--year", "2003", "--format", "json"]) == 0
    row = json.loads(capsys.readouterr().out)["publishers"][0]
    assert (row["on_time"], row["late"], row["unjudged"], row["total"]) == (0, 0, 1, 1)
    assert main(["report", "chain", "--content", str(content.root), "--year", "2003"]) == 0
    assert "无法判断 1" in capsys.readouterr().out
