"""The requests register: every check code on small inputs, the deadlines on the national calendar (real
holidays with their moved working days), and `gazette report requests`."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from factory import ContentFactory
from gazette.cli import main
from gazette.deadlines import days_left, deadline
from gazette.frontmatter import Source
from gazette.model import Request

D = dt.date.fromisoformat


def request(**meta: object) -> Request:
    return Request(Source("requests/2025/2025-0001.yml", "", {"id": "2025-0001", **meta}))


# --- deadlines on the national calendar -----------------------------------------------------------------


def test_spring_festival_and_its_moved_working_days() -> None:
    # 2025: Jan 28 – Feb 4 off; Sunday Jan 26 and Saturday Feb 8 are working days. Counted by hand:
    # Jan 21 22 23 24 26 27 | Feb 5 6 7 8 10 11 12 13 14 17 18 19 20 21 → the 20th is Feb 21, the 7th Feb 5.
    clock = deadline(request(received="2025-01-20"))
    assert (clock.start, clock.due, clock.correction_due) == (D("2025-01-20"), D("2025-02-21"), D("2025-02-05"))


def test_national_day_extension_and_correction() -> None:
    # 2025: Oct 1–8 off; Sunday Sep 28 and Saturday Oct 11 are working days. From Sep 22 the 20th working
    # day is Oct 24; an extension told on Oct 14 (inside the 20) adds 20: Nov 21.
    clock = deadline(request(received="2025-09-22", extended="2025-10-14"))
    assert (clock.base_due, clock.due, clock.extended) == (D("2025-10-24"), D("2025-11-21"), True)
    # A correction is asked within 7: from Friday Sep 26, Sep 28 29 30, Oct 9 10 11 13 → Oct 13.
    assert deadline(request(received="2025-09-26")).correction_due == D("2025-10-13")


def test_correction_restarts_the_clock_and_stops_it_while_awaited() -> None:
    # Received Mar 17, correction in on Mar 26: 20 working days from then, Qingming (Apr 4) off → Apr 24.
    clock = deadline(request(received="2025-03-17", correction={"asked": "2025-03-20", "received": "2025-03-26"}))
    assert (clock.start, clock.due) == (D("2025-03-26"), D("2025-04-24"))
    waiting = deadline(request(received="2025-03-17", correction={"asked": "2025-03-20"}))
    assert waiting.awaiting_correction and waiting.due is None


def test_an_extension_told_after_the_twenty_days_does_not_count() -> None:
    clock = deadline(request(received="2025-01-20", extended="2025-02-24"))
    assert (clock.due, clock.extended, clock.extension_late) == (D("2025-02-21"), False, True)


def test_days_left_count_working_days() -> None:
    # As of Dec 31, 2025, due Jan 6, 2026: Jan 1–3 off, Sunday Jan 4 worked → 3 left; overdue is negative.
    assert days_left(D("2026-01-06"), D("2025-12-31")) == 3
    assert days_left(D("2025-07-01"), D("2025-07-03")) == -2


# --- every check code ------------------------------------------------------------------------------------


def test_a_clean_request_passes(content: ContentFactory) -> None:
    content.request("2025-0001", correction={"asked": "2025-03-04", "received": "2025-03-06"},
                    extended="2025-03-20", replied="2025-04-10", outcome="不予公开", reason="危及\"三安全一稳定\"",
                    documents=[], appeal=[{"kind": "行政复议", "result": "纠正", "filed": "2025-05-06"},
                                          {"kind": "复议后起诉", "result": "尚未审结"}])
    content.request("2026-0002", received="2026-11-16", replied=None, outcome=None)  # open, in time on TODAY
    assert [f.as_text() for f in content.findings() if f.path.startswith("requests/")] == []


BAD_REQUESTS: dict[str, tuple[dict[str, object], set[str]]] = {
    # id: (fields, codes expected for that file)
    # A reply without an outcome or with no valid reason fits no row of table 三: the year does not balance.
    "2025-0001": ({"office": None, "outcome": None}, {"REQ-REQUIRED", "ANNUAL-BALANCE"}),
    "2025-0002": ({"subject": ["甲", "乙"], "correction": "2025-03-04", "appeal": "行政复议"}, {"REQ-FIELD-TYPE"}),
    "2025-0003": ({"repiled": "2025-03-10"}, {"REQ-FIELD-UNKNOWN"}),
    "2025-0004": ({"received": "2024-12-30", "replied": "2025-01-10"}, {"REQ-ID"}),
    "2025-0005": ({"channel": "微信", "applicant": "企业", "outcome": "已答复"},
                  {"REQ-CHANNEL", "REQ-APPLICANT", "REQ-OUTCOME"}),
    "2025-0006": ({"outcome": "不予公开"}, {"REQ-REASON", "ANNUAL-BALANCE"}),
    "2025-0007": ({"outcome": "无法提供", "reason": "重复申请"}, {"REQ-REASON", "ANNUAL-BALANCE"}),
    "2025-0008": ({"appeal": {"kind": "诉讼", "result": "败诉"}}, {"REQ-APPEAL"}),
    "2025-0009": ({"replied": "2025-02-27"}, {"REQ-DATE-ORDER"}),
    "2025-0010": ({"received": "2025-02-30", "extended": "2025/03/05"}, {"DATE-INVALID"}),
    "2025-0011": ({"received": "2026-12-01", "replied": None, "outcome": None}, {"DATE-FUTURE", "REQ-ID"}),
    "2025-0012": ({"office": "finance-bureau", "documents": ["no-such-doc"]}, {"REQ-OFFICE", "REQ-DOCUMENTS"}),
    "2025-0013": ({"correction": {"asked": "2025-03-20", "received": "2025-03-21"}, "replied": "2025-04-01"},
                  {"REQ-CORRECTION-LATE"}),
    "2025-0014": ({"received": "2025-01-20", "extended": "2025-02-24", "replied": "2025-03-05"},
                  {"REQ-EXTENSION-LATE", "REQ-LATE"}),
    "2025-0015": ({"received": "2026-10-08", "replied": None, "outcome": None}, {"REQ-OVERDUE", "REQ-ID"}),
    "2025-0016": ({"subject": "申请人：张三，身份证号11010519491231002X，电话0836-2822114，abc@example.com，"
                              "住康定市向阳路12号"},
                  {"PII-NAME", "PII-ID-NUMBER", "PII-PHONE", "PII-EMAIL", "PII-ADDRESS"}),
    "2025-0017": ({"appeal": {"kind": "行政复议", "result": "维持", "filed": "王先生 13812345678"}},
                  {"PII-NAME", "PII-MOBILE", "DATE-INVALID"}),
    # A correction received, never asked for: the 7 working days to ask cannot be judged.
    "2025-0019": ({"correction": {"received": "2025-03-05"}, "replied": "2025-03-20"}, {"REQ-FIELD-TYPE"}),
}


@pytest.fixture(scope="module")
def bad_register(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    content = ContentFactory(tmp_path_factory.mktemp("register") / "content")
    for rid, (fields, _) in BAD_REQUESTS.items():
        content.request(rid, **fields)
    content.write("requests/2025/2025-0018.yml", "- id: 2025-0018\n")  # a list, not a mapping
    content.write("requests/2025/copy.yml", (content.root / "requests/2025/2025-0003.yml").read_text("utf-8"))
    found: dict[str, set[str]] = {}
    for finding in content.findings():
        found.setdefault(finding.path.rsplit("/", 1)[-1].removesuffix(".yml"), set()).add(finding.code)
    return found


@pytest.mark.parametrize("rid", list(BAD_REQUESTS))
def test_each_bad_request_gets_its_codes(bad_register: dict[str, set[str]], rid: str) -> None:
    assert bad_register.get(rid, set()) == BAD_REQUESTS[rid][1]


def test_format_and_duplicate_ids(bad_register: dict[str, set[str]]) -> None:
    assert bad_register["2025-0018"] == {"REQ-FORMAT"}
    assert bad_register["copy"] == {"REQ-ID", "REQ-ID-DUPLICATE", "REQ-FIELD-UNKNOWN"}


def test_subject_without_personal_data_passes(content: ContentFactory) -> None:
    subjects = ["某村道路修建质量问题", "康定市城区老旧小区改造项目清单", "G318线改建工程招标文件",
                "州林业局办公地址和办公时间", "甘府发〔2025〕3号文件的执行情况", "2024年12月统计数据"]
    for i, subject in enumerate(subjects):
        content.request(f"2025-{i + 1:04d}", subject=subject)
    assert [f.as_text() for f in content.findings() if f.path.startswith("requests/")] == []


# --- gazette report requests -----------------------------------------------------------------------------


def _requests_json(content: Path, capsys: pytest.CaptureFixture[str], as_of: str) -> dict:
    assert main(["report", "requests", "--content", str(content), "--as-of", as_of, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_report_on_the_sample_at_the_years_end(sample_content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _requests_json(sample_content, capsys, "2025-12-31")
    assert [(r["id"], r["due"], r["days_left"]) for r in data["open"]] == [
        ("2025-0028", "2026-01-06", 3), ("2025-0029", "2026-01-20", 13)]
    assert [(r["id"], r["due"], r["replied"], r["days_late"]) for r in data["late"]] == [
        ("2025-0015", "2025-07-01", "2025-07-07", 4)]


def test_report_lists_overdue_first(sample_content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # On Jul 3, 2025 the request of Jun 3 (due Jul 1) is overdue; Jun 16's is open in time; a correction
    # or extension not yet made by that day does not count.
    data = _requests_json(sample_content, capsys, "2025-07-03")
    assert [(r["id"], r["overdue"]) for r in data["open"]][:2] == [("2025-0015", True), ("2025-0017", False)]
    assert main(["report", "requests", "--content", str(sample_content), "--as-of", "2025-07-03"]) == 0
    text = capsys.readouterr().out
    assert "2025-0015" in text and "已逾期 2 个工作日" in text
    assert main(["report", "requests", "--content", str(sample_content), "--as-of", "2025-12-31",
                 "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("state,id,") and [r.split(",")[0] for r in rows[1:]] == ["open", "open", "late"]


def test_a_report_cell_that_would_start_a_formula_is_written_as_text() -> None:
    import csv as csv_module

    from gazette.reports.output import csv_text

    rows = list(csv_module.DictReader(io.StringIO(csv_text(
        ["subject", "count"], [{"subject": '=HYPERLINK("http://x","点击")', "count": -3},
                               {"subject": "@SUM(1+1)", "count": 2}, {"subject": "预算", "count": None}]))))
    assert [(r["subject"], r["count"]) for r in rows] == [
        ("'=HYPERLINK(\"http://x\",\"点击\")", "-3"), ("'@SUM(1+1)", "2"), ("预算", "")]


def test_a_reply_on_a_day_off_after_the_deadline_is_late(content: ContentFactory,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Due Thu 2026-04-30 (from Apr 1: Apr 2, 3, then 7 … 30; Apr 4–6 off); replied Sat May 2, inside the May
    Day break: no working day between, late all the same."""
    from gazette.deadlines import days_late

    holiday = request(received="2026-04-01", replied="2026-05-02", outcome="予以公开")
    assert deadline(holiday).due == D("2026-04-30") and days_late(holiday, deadline(holiday)) == 1
    content.request("2026-0132", received="2026-04-01", replied="2026-05-02")
    late = [f for f in content.findings() if f.code == "REQ-LATE"]
    assert [(f.path, "1 working day late" in f.en) for f in late] == [("requests/2026/2026-0132.yml", True)]
    assert main(["report", "requests", "--content", str(content.root), "--as-of", "2026-11-22",
                 "--format", "json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)["late"]] == ["2026-0132"]


def test_the_annual_report_names_requests_it_cannot_count(content: ContentFactory,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    content.request("2026-0209", applicant="个体工商户")
    content.request("2026-0210", appeal={"kind": "行政复议", "result": "撤销"})
    content.request("2026-0211")
    assert main(["report", "annual", "--year", "2026", "--content", str(content.root), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert "2026-0209" in captured.err and "2026-0210" in captured.err and "could not be counted" in captured.err
    data = json.loads(captured.out)
    assert [r["id"] for r in data["uncounted_requests"]] == ["2026-0209", "2026-0210"]


def test_the_office_adds_the_next_years_holidays_and_deadlines_run_into_it(content: ContentFactory) -> None:
    """The pinned calendar ends with 2026: a request received on Thu 2026-12-10 had no due date. With 2027's
    arrangement in registry/calendar.yml (here: Jan 1 and Jan 4 off, Saturday Jan 9 worked), counted by hand:
    Dec 11, 14–18, 21–25, 28–31 (15), then Jan 5, 6, 7, 8 and Saturday 9 → 2027-01-09."""
    from gazette.loader import load_corpus
    from gazette.workdays import package_years, use_added

    assert package_years()[1] == 2026
    content.request("2026-0300", received="2026-12-10", replied=None, outcome=None)
    try:
        corpus, problems = load_corpus(content.root)
        assert problems == [] and deadline(corpus.requests[0]).due is None  # beyond the calendar
        content.write("registry/calendar.yml", "2027:\n  source: 国办发明电〔2026〕12号\n"
                      "  holidays: [2027-01-01, 2027-01-04]\n  workdays: [2027-01-09]\n"
                      "2029:\n  holidays: [2029-01-01]\n"  # after a year not given: not used
                      "2025:\n  holidays: [2025-01-01]\n")  # the package's own year: not used
        corpus, problems = load_corpus(content.root)
        assert deadline(corpus.requests[0]).due == D("2027-01-09")
        assert sorted(f.code for f in problems) == ["CAL-GAP", "CAL-KNOWN"]
        content.write("registry/calendar.yml", "2027:\n  holidays: [2027-01-01, 2027-13-01]\n"
                      "  workdays: [2027-01-05]\n")  # not a date; a Tuesday is no moved working day
        corpus, problems = load_corpus(content.root)
        assert [f.code for f in problems] == ["CAL-FORMAT", "CAL-FORMAT"] and all(f.is_error for f in problems)
        assert deadline(corpus.requests[0]).due is None  # a faulty year is not used
    finally:
        use_added({})
