"""Secrecy: withheld, draft and on-request bodies can't be found, and are in no file of the index folder.

The corpus goes through `gazette build --only search` (check → Publication → the search stage → swap).
A public document carries a marker too: it must be found in the files, or the absence of the others
would prove nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gazette.build import build
from gazette.search.index import SearchIndex
from gazette.search.query import parse_request, run

PUBLIC = "zqxpublicbody"
HIDDEN = {
    "on-request body": "zqxrequestbody",
    "on-request attachment title": "zqxrequestattachment",
    "withheld title": "zqxwithheldtitle",
    "withheld body": "zqxwithheldbody",
    "withheld summary": "zqxwithheldsummary",
    "draft title": "zqxdrafttitle",
    "draft body": "zqxdraftbody",
}
REQUEST_BODY_WORDS = "林地审批明细"
REQUEST_BODY_BO = "ནགས་ས་ཆོག་མཆན་གྱི་ཞིབ་ཕྲའི་རེའུ་མིག"


@pytest.fixture
def built(content, tmp_path: Path) -> Path:
    content.document("public", body=f"本通知正文。{PUBLIC}")
    content.translation("public", body="ཡིག་ཆའི་ནང་དོན་ཁྱབ་བསྒྲགས།\n")
    content.document("on-request", disclosure="依申请公开",
                     title="甘孜藏族自治州林业局关于林地审批情况的报告", issuer=["forestry"],
                     index_no="S00000011/2026-00001", genre="report",
                     body=f"{HIDDEN['on-request body']} {REQUEST_BODY_WORDS}。",
                     attachments=[{"file": "attachments/2026/on-request/a.csv",
                                   "title": HIDDEN["on-request attachment title"]}])
    content.write("attachments/2026/on-request/a.csv", "x\n")
    content.translation("on-request", body=f"{REQUEST_BODY_BO}\n")
    content.document("withheld", disclosure="不予公开", withheld_reason="个人隐私", secrecy_review=None,
                     title=HIDDEN["withheld title"], summary=HIDDEN["withheld summary"],
                     body=HIDDEN["withheld body"])
    content.document("draft", status="draft", title=HIDDEN["draft title"], body=HIDDEN["draft body"])
    output = tmp_path / "build"
    assert build(content.root, output, ["search"]) == 0
    return output


def test_hidden_text_is_not_found(built: Path):
    index = SearchIndex.open(built / "search-index")
    assert index is not None
    assert run(index, parse_request({"q": PUBLIC})).total == 1
    for marker in HIDDEN.values():
        assert run(index, parse_request({"q": marker})).total == 0, marker
    assert run(index, parse_request({"q": REQUEST_BODY_WORDS})).total == 0
    assert run(index, parse_request({"q": "ཞིབ་ཕྲའི་རེའུ་མིག"})).total == 0


def test_an_on_request_item_is_found_by_its_catalogue_metadata(built: Path):
    index = SearchIndex.open(built / "search-index")
    hits = run(index, parse_request({"q": "林地审批情况", "lang": "zh"})).hits
    assert [h.key for h in hits] == ["doc:on-request:zh"]
    assert hits[0].fields["disclosure"] == "metadata"
    assert REQUEST_BODY_WORDS not in str(hits[0].snippet_html)


def test_hidden_text_is_in_no_file_of_the_index(built: Path):
    files = [p for p in (built / "search-index").rglob("*") if p.is_file()]
    data = b"".join(p.read_bytes() for p in files)
    assert PUBLIC.encode() in data  # the control: a public body is stored as plain bytes
    for what, marker in HIDDEN.items():
        assert marker.encode() not in data, what
    assert REQUEST_BODY_WORDS.encode() not in data and REQUEST_BODY_BO.encode() not in data
    assert b"doc:withheld" not in data and b"doc:draft" not in data
