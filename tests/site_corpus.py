"""A small bilingual corpus that exercises every page kind and every disclosure value."""

from __future__ import annotations

from factory import ContentFactory

NORMATIVE_BODY = """## 一、总体要求

各县（市）人民政府，州级各部门：为进一步做好政府信息公开工作，现将有关事项通知如下。

1. 按时录入、审核、发布应主动公开的政府信息。
2. 规范目录分类，做到分类到末级。

| 县（市） | 应公开条数 |
|---|---|
| 康定市 | 12 |
| 泸定县 | 8 |

相关要求见[补充通知]({filename}/documents/2026/notice-b.zh.md)。
"""

TIBETAN_BODY = """## དང་པོ། སྤྱིའི་བླང་བྱ།

རྫོང་ཁག་དང་ལས་ཁུངས་ཁག་གིས་སྲིད་གཞུང་གི་ཆ་འཕྲིན་ཁྱབ་བསྒྲགས་ཀྱི་ལས་ཀ་ལེགས་པོར་བྱེད་དགོས།
"""


def build_site_corpus(content: ContentFactory) -> None:
    content.document("notice-a", body=NORMATIVE_BODY, doc_number="甘府发〔2026〕3号", catalogue="rules.normative",
                     title="甘孜藏族自治州人民政府关于进一步加强政府信息公开工作的通知",
                     keywords=["政府信息公开", "通知"],
                     review=[{"step": step, "by": f"zqxreviewname{i}", "date": "2026-03-03"}
                             for i, step in enumerate(("录入", "初审", "审核", "审发"))])
    content.request("2026-0001", subject="zqxrequestsubject 州本级部门预算执行情况", documents=["notice-a"],
                    outcome="部分公开", appeal={"kind": "行政复议", "result": "尚未审结"})
    content.translation("notice-a", body=TIBETAN_BODY, title="དཀར་མཛེས་ཁུལ་སྲིད་གཞུང་གི་ཆ་འཕྲིན་ཁྱབ་བསྒྲགས་སྐོར་གྱི་བརྡ་ཐོ།")
    content.document("notice-b", signed="2026-03-05", published="2026-03-09",
                     secrecy_review={"by": "州政府办公室保密审查小组", "date": "2026-03-06"},
                     title="甘孜藏族自治州人民政府关于政府信息公开工作的补充通知", catalogue="rules.other")
    content.document("old-rule", signed="2025-04-01", published="2025-04-03", index_no="S00000001/2025-00900",
                     secrecy_review={"by": "州政府办公室保密审查小组", "date": "2025-04-02"},
                     doc_number="甘府发〔2025〕9号", catalogue="rules.normative", validity="失效",
                     replaced_by="notice-a",
                     title="甘孜藏族自治州人民政府关于政府信息公开工作的通知")
    content.document("county-report", issuer=["kangding"], index_no="S00000101/2026-00001", catalogue="other.news",
                     genre="article", title="康定市推进政务公开标准化建设", keywords=["=1+2", "政务公开", "@SUM(1+1)"],
                     summary="康定市推进政务公开标准化建设的做法：<b>目录</b>、指南和年报按期更新，R&D 经费公开。",
                     attachments=[{"file": "attachments/2026/county-report/统计表.csv", "title": "公开情况统计表"}])
    content.write("attachments/2026/county-report/统计表.csv", "县,条数\n康定,12\n")
    content.document("on-request", disclosure="依申请公开", title="甘孜藏族自治州林业局关于林地审批情况的报告",
                     issuer=["forestry"], index_no="S00000011/2026-00001", catalogue="licensing.results",
                     genre="report", body="zqxrequestbody 审批明细。", keywords=["zqxrequestkeyword"],
                     addressee="zqxrequestaddressee", note="zqxrequestnote",
                     attachments=[{"file": "attachments/2026/on-request/明细.csv", "title": "zqxrequestattachtitle"}])
    content.write("attachments/2026/on-request/明细.csv", "zqxrequestattachbytes\n")
    content.document("withheld", disclosure="不予公开", withheld_reason="个人隐私", secrecy_review=None,
                     title="zqxwithheldtitle", body="zqxwithheldbody",
                     attachments=[{"file": "attachments/2026/withheld/名单.csv", "title": "zqxwithheldattachtitle"}])
    content.write("attachments/2026/withheld/名单.csv", "zqxwithheldattachbytes\n")
    content.document("draft-doc", status="draft", title="zqxdrafttitle", body="zqxdraftbody")
    content.issue(2026, 3, [{"section": "prefecture-documents", "items": ["notice-a"]}], date="2026-03-28",
                  total=40)
    content.page("about", "zh", "关于本站", "本站内容为示例。")
    content.page("about", "bo", "དྲ་ཚིགས་འདིའི་སྐོར།", "འདི་ནི་དཔེ་མཚོན་ཡིན།")
    content.page("request", "zh", "依申请公开", "申请方式：当面、信函、网络。")
    content.page("guide", "zh", "政府信息公开指南", "本指南说明公开的范围和方式。")


MARKS = ("zqxrequestbody", "zqxrequestkeyword", "zqxrequestaddressee", "zqxrequestnote", "zqxrequestattachtitle",
         "zqxrequestattachbytes", "zqxrequestsubject", "zqxreviewname",
         "zqxwithheldtitle", "zqxwithheldbody", "zqxwithheldattachtitle", "zqxwithheldattachbytes",
         "zqxdrafttitle", "zqxdraftbody")
