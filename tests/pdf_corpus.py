"""A small gazette issue for the PDF tests, and the PDF stage run on it (check, publish, render)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from factory import ContentFactory
from gazette import urls
from gazette.checks import check_content
from gazette.findings import count
from gazette.pdf.build import PdfReport, build_pdfs
from gazette.publication import Publication, build_publication
from gazette.settings import load_settings
from gazette.stages import BuildDirs
from PIL import Image

ON_REQUEST_PHRASE = "依申请公开的正文只给申请人"
WITHHELD_PHRASE = "不予公开的内部事务信息正文"
ZH_BODY = ("## 一、总体要求\n\n各县（市）人民政府，州级各部门：为做好2026年政府信息公开工作，"
           "现将有关事项通知如下。"
           + "各地要按时录入、审核、发布应主动公开的政府信息，确保信息真实准确。" * 30
           + "\n\n## 二、工作措施\n\n加强组织领导，落实工作责任，确保各项任务按时完成。\n")
BO_BODY = ("སྤྱིར་བཏང་གི་བླང་བྱ། ཡིག་ཆ་འདི་ལ་ཞིབ་བཤེར་བྱེད། "
           + "ཀྲུང་ཧྭ་མི་དམངས་སྤྱི་མཐུན་རྒྱལ་ཁབ་ཀྱི་སྲིད་གཞུང་གི་ཆ་འཕྲིན་ཁྱབ་བསྒྲགས་ཀྱི་སྒྲིག་སྲོལ་བསྒྲུབས། " * 6
           + "\n\nབསྐྱར་ཞིབ་དང་རྒྱུན་སྐྱོང་། ཕྱོགས་བསྡོམས་བྱས་ནས་སྙན་ཞུ་འབུལ་དགོས།\n")


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def write_issue(content: ContentFactory) -> None:
    """Three documents in three sections, their translations, photographs, and two that must not print."""
    content.document("gz-speech", genre="speech", body="同志们：今天召开全州政府信息公开工作会议。\n")
    content.translation("gz-speech", title="ཁུལ་དཔོན་གྱིས་ཚོགས་འདུར་གནང་བའི་གསུང་བཤད།",
                        body="ལས་བྱེད་པ་རྣམས། དེ་རིང་ཁུལ་ཡོངས་ཀྱི་ཚོགས་འདུ་འཚོགས།\n")
    content.document("gz-notice", doc_number="甘府发〔2026〕3号", body=ZH_BODY)
    content.translation("gz-notice", title="སྲིད་གཞུང་ཆ་འཕྲིན་ཁྱབ་བསྒྲགས་ཀྱི་བརྡ་ཐོ།", body=BO_BODY)
    # this one's editors typed the 署名 and 成文日期 into the text, as many do
    content.document("gz-office", issuer=["general-office"], doc_number="甘府办发〔2026〕5号",
                     index_no="S00000002/2026-00001",
                     body="各县（市）人民政府办公室：\n\n1. 按时报送。\n2. 专人负责。\n\n"
                          "甘孜藏族自治州人民政府办公室\n\n2026年3月2日\n")
    content.translation("gz-office", title="ཁུལ་སྲིད་གཞུང་གཞུང་ལས་ཁང་གི་བརྡ་ཐོ།",
                        body="1. དུས་ཐོག་ཏུ་འབུལ་དགོས།\n2. མི་སྣ་ངེས་ཅན་གཏན་འཁེལ།\n\n"
                             "དཀར་མཛེས་ཁུལ་སྲིད་གཞུང་གཞུང་ལས་ཁང་།\n\n༢༠༢༦ལོའི་ཟླ་༣པའི་ཚེས་༢ཉིན།\n")
    content.document("gz-request", disclosure="依申请公开", body=f"{ON_REQUEST_PHRASE}。\n")
    content.document("gz-withheld", disclosure="不予公开", withheld_reason="内部事务信息",
                     body=f"{WITHHELD_PHRASE}。\n")
    for name, colour in (("cover", (40, 90, 160)), ("a", (200, 120, 40)), ("b", (60, 140, 60)),
                         ("back", (120, 120, 180))):
        content.write(f"images/gazette/2026-03/{name}.jpg", _jpeg(colour))
    content.issue(2026, 3, total=3, sections=[
        {"section": "governor-speech", "items": ["gz-speech"]},
        {"section": "prefecture-documents", "items": ["gz-notice"]},
        {"section": "office-documents", "items": ["gz-office"]},
    ], cover_image="images/gazette/2026-03/cover.jpg",
        inside_front=[{"image": "images/gazette/2026-03/a.jpg", "zh": "州长调研康定",
                       "bo": "ཁུལ་དཔོན་དར་རྩེ་མདོར་ཞིབ་བཤེར།"}],
        inside_back=[{"image": "images/gazette/2026-03/b.jpg", "zh": "丹巴美人谷", "bo": "རོང་བྲག"}],
        back_cover={"image": "images/gazette/2026-03/back.jpg", "zh": "贡嘎山", "bo": "མི་ཉག་གངས་དཀར།"})


@dataclass
class Built:
    publication: Publication
    site: Path
    settings: dict
    report: PdfReport

    def pdf(self, url: str) -> Path:
        return self.site / urls.output_path(url)


def build(content_root: Path, output: Path, settings: dict | None = None) -> Built:
    settings = settings or load_settings()
    corpus, findings = check_content(content_root, settings)
    assert count(findings)[0] == 0, [str(f) for f in findings]
    publication = build_publication(corpus)
    dirs = BuildDirs(site=output / "site", search_index=output / "search-index", cache=output / ".cache",
                     previous=output)
    dirs.site.mkdir(parents=True, exist_ok=True)
    report = build_pdfs(publication, dirs, settings, lambda message: None)
    return Built(publication, dirs.site, settings, report)
