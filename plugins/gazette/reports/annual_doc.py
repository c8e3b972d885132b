"""`gazette report annual --year Y --format doc`: the annual report as a document, ready to be finished.

Writes `documents/<Y+1>/<slug>.zh.md` and its Tibetan `.bo.md` (never over an existing file or slug):
the front matter of a 主动公开 report in the catalogue class `other.annual-reports`, the six parts of the
format of 2021 with tables 二, 三 and 四 filled in, and a 【待填…】 placeholder for each text part (一, 五,
六) that the check reports (DOC-PLACEHOLDER) until an editor has written it. What only an editor decides
(the publication date, the secrecy review) is a placeholder too, as `gazette new` leaves it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import annual_labels as L
from ..annual import AnnualReport, annual_report
from ..model import Corpus
from ..new_document import Refused, Writer, next_index_no
from .annual import section

PLACEHOLDER = "待填"
TEXT_PARTS_ZH = {
    "overview": "【待填：主动公开、依申请公开、政府信息管理、平台建设、监督保障等方面的总体情况】",
    "problems": "【待填：上一年度问题的改进情况，本年度存在的主要问题和改进措施】",
    "other": "【待填：收取信息处理费的情况和其他需要报告的事项；没有的写“无”】",
}
TEXT_PARTS_BO = {
    "overview": "【待填：སྤྱིའི་གནས་ཚུལ་འདི་བྲིས།】",
    "problems": "【待填：གནད་དོན་གཙོ་བོ་དང་ལེགས་བཅོས་ཀྱི་གནས་ཚུལ་འདི་བྲིས།】",
    "other": "【待填：སྙན་ཞུ་བྱ་དགོས་པའི་དོན་དག་གཞན་འདི་བྲིས།】",
}


def _tibetan_year(year: int) -> str:
    return str(year).translate(str.maketrans("0123456789", L.TIBETAN_NUMBERS))


def _front_matter(lines: list[tuple[str, str, str]]) -> str:
    """`key: value  # comment` lines between `---`."""
    body = [f"{key}: {value}" + (f"  # {comment}" if comment else "") for key, value, comment in lines]
    return "---\n" + "\n".join(body) + "\n---\n"


def texts(corpus: Corpus, report: AnnualReport, issuer: str, slug: str, today: dt.date) -> tuple[str, str]:
    """The Chinese original and the Tibetan translation."""
    year = report.year
    agency = corpus.registry.agencies[issuer]
    whole = report.agency is None
    signed = today.isoformat() if today.year == year + 1 else PLACEHOLDER
    summary = (f"报告{year}年{'全州' if whole else '本机关'}主动公开、依申请公开、行政复议和行政诉讼情况，"
               f"全年新收政府信息公开申请{report.new}件，办结{report.handled}件，结转下年{report.forward}件。")
    index_no = next_index_no(corpus, agency, year + 1) if agency.org_code else PLACEHOLDER
    original = _front_matter([
        ("title", f"{agency.zh}{year}年政府信息公开工作年度报告", ""),
        ("slug", slug, ""), ("lang", "zh", ""), ("genre", "report", ""), ("issuer", f"[{issuer}]", ""),
        ("signed", signed, "" if signed != PLACEHOLDER else "成文日期 YYYY-MM-DD / signing date"),
        ("published", PLACEHOLDER, "发布日期 YYYY-MM-DD，不晚于 1 月 31 日 / publication date, by 31 January"),
        ("index_no", index_no, ""), ("catalogue", "other.annual-reports", ""),
        ("keywords", f"[政府信息公开, 年度报告, {year}年]", ""), ("summary", summary, ""),
        ("disclosure", "主动公开", ""),
        ("secrecy", PLACEHOLDER, "保密审查通过后写 非涉密 / write 非涉密 once the secrecy review has passed"),
        ("secrecy_review", "{by: , date: " + PLACEHOLDER + "}", "审查人和审查日期 / reviewer and date"),
    ])
    scope = "汇总全州各县（市）人民政府和州级各部门的情况" if whole else f"为{agency.zh}本机关的情况"
    parts = {p.id: p for p in L.PARTS}
    zh = [f"本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函"
          f"〔2021〕30号）编制，{scope}。报告所列数据统计期限为{year}年1月1日至12月31日。"]
    bo_year = _tibetan_year(year)
    bo = [f"སྙན་ཞུ་འདི་《ཀྲུང་ཧྭ་མི་དམངས་སྤྱི་མཐུན་རྒྱལ་ཁབ་ཀྱི་སྲིད་གཞུང་ཆ་འཕྲིན་གསལ་བསྒྲགས་སྒྲིག་སྲོལ》དང་ལོ་འཁོར་སྙན་ཞུའི་རྣམ་པ་ལྟར་"
          f"རྩོམ་སྒྲིག་བྱས། སྙན་ཞུའི་ནང་གི་གཞི་གྲངས་ནི་{bo_year}ལོའི་ཟླ་༡པའི་ཚེས་༡ཉིན་ནས་ཟླ་༡༢པའི་ཚེས་༣༡ཉིན་བར་གྱི་ཡིན།"]
    for part in L.PARTS:
        if part.id in TEXT_PARTS_ZH:
            zh_part, bo_part = TEXT_PARTS_ZH[part.id], TEXT_PARTS_BO[part.id]
        else:
            zh_part, bo_part = section(report, part.id, "zh"), section(report, part.id, "bo")
        zh.append(f"## {parts[part.id].zh}\n\n{zh_part}")
        bo.append(f"## {parts[part.id].bo}\n\n{bo_part}")
    unit = "དཀར་མཛེས་བོད་རིགས་རང་སྐྱོང་ཁུལ་" if whole else (agency.bo or agency.zh)
    translation = _front_matter([
        ("title", f"{unit}{bo_year}ལོའི་སྲིད་གཞུང་ཆ་འཕྲིན་གསལ་བསྒྲགས་ལས་དོན་གྱི་ལོ་འཁོར་སྙན་ཞུ།", ""),
        ("slug", slug, ""), ("lang", "bo", ""),
    ])
    return original + "\n\n".join(zh) + "\n", translation + "\n\n".join(bo) + "\n"


def write_skeleton(content: Path, corpus: Corpus, year: int, agency: str | None, today: dt.date) -> list[Path]:
    """Write the report's two files; returns their paths. Refuses (nothing written) where a document with
    the slug exists or the agency is unknown."""
    agencies = corpus.registry.agencies
    if agency is not None and agency not in agencies:
        raise Refused(f"“{agency}”不在 registry/agencies.yml 中", f"'{agency}' is not in registry/agencies.yml")
    issuer = agency or next((a.id for a in agencies.values() if a.kind == "prefecture"), None)
    if issuer is None:
        raise Refused("registry/agencies.yml 中没有 kind: prefecture 的机构，请用 --agency 指定",
                      "registry/agencies.yml has no agency of kind prefecture; name one with --agency")
    slug = f"gz-xxgk-ndbg-{year}" if agency is None else f"{agency}-xxgk-ndbg-{year}"
    folder = f"documents/{year + 1}"
    taken = slug in corpus.documents or any(s.path.rsplit("/", 1)[-1].split(".")[0] == slug
                                            for s in corpus.orphans + corpus.duplicates)
    if taken or any((content / "documents").glob(f"*/{slug}.*")):
        raise Refused(f"已有 slug 为 {slug} 的文件，不覆盖；把年度表格粘贴进去（gazette report annual），或先移走它",
                      f"a document with the slug {slug} exists and is not overwritten; paste the tables into it "
                      "(gazette report annual), or move it away first")
    zh, bo = texts(corpus, annual_report(corpus, year, agency), issuer, slug, today)
    writer = Writer(content)
    written: list[Path] = []
    try:
        for lang, text in (("zh", zh), ("bo", bo)):
            written.append(writer.write(f"{folder}/{slug}.{lang}.md", text.encode("utf-8")))
    except (OSError, Refused) as exc:
        writer.undo()
        if isinstance(exc, Refused):
            raise
        raise Refused(f"无法写入：{exc.strerror or exc}", f"cannot write: {exc.strerror or exc}") from None
    return written
