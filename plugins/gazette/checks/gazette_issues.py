"""Gazette issues (公报, gazette/<year>/<year>-<NN>.yml).

Form (every issue, drafts included): the file name matches year and number; number 1–12; (year,
number) unique; status published or draft; sections known (REF-SECTION), each at most once, in the
registry's print order. A published issue also: all fields present; totals (总第N期) rise by one over
the published issues in (year, number) order; the date is not before any item's signing and not in
the future; every item exists, is 主动公开 and 非涉密 and not a draft, appears in one issue only, and
has its Tibetan translation (both editions are printed); the photographs' files exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..findings import Finding, error, warning
from ..model import Corpus, GazetteIssue, as_list
from ..visibility import Visibility
from .common import public_documents
from .rules import CheckContext, rule

STATUS_VALUES = ("published", "draft")
PHOTO_KEYS = ("inside_front", "inside_back", "back_cover")


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@rule(across=True)
def issue_form(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """ISSUE-REQUIRED, ISSUE-FIELD-TYPE, ISSUE-NUMBER, ISSUE-FILE-NAME, ISSUE-DUPLICATE, ISSUE-STATUS,
    ISSUE-SECTIONS, ISSUE-SECTION-REPEATED, ISSUE-SECTION-ORDER."""
    seen: dict[tuple[int, int], GazetteIssue] = {}
    for issue in corpus.issues:
        meta = issue.meta
        status = meta.get("status", "published")
        if status not in STATUS_VALUES:
            yield error("ISSUE-STATUS", issue.path, issue.line("status"), "status",
                        f"status“{status}”无效", f"unknown status '{status}'",
                        "写 published（出版）或 draft（编辑中，不发布）", "write 'published' or 'draft' "
                                                           "(not published)")
        required = ("year", "number", "total", "date", "sections") if status == "published" \
            else ("year", "number")
        for key in required:
            if meta.get(key) in (None, "", []):
                yield error("ISSUE-REQUIRED", issue.path, issue.line(key), key,
                            f"缺少字段 {key}", f"the field '{key}' is missing",
                            f"写 {key}: …（见 docs/checks.md 的示例）", f"add '{key}: …' (see "
                                                                 "docs/checks.md)")
        for key in ("year", "number", "total"):
            value = meta.get(key)
            if value not in (None, "") and (_int(value) is None or value < 1):
                yield error("ISSUE-FIELD-TYPE", issue.path, issue.line(key), key,
                            f"{key} 应为正整数，而不是“{value}”", f"'{key}' must be a positive whole number,"
                                                         f" not '{value}'",
                            f"如 {key}: 6（不加引号、不写“第”或“期”）", f"e.g. '{key}: 6' (no quotes, no 第 "
                                                           "or 期)")
        year, number = issue.year, issue.number
        if number is not None and not 1 <= number <= 12:
            yield error("ISSUE-NUMBER", issue.path, issue.line("number"), "number",
                        f"期号 {number} 不在 1–12 之间（月刊）", f"the issue number {number} is not 1–12 "
                                                       "(monthly)",
                        "写当年的期号 1–12；跨年连续的编号写在 total", "write the number within the year, "
                                                       "1–12; "
                        "the running number goes in 'total'")
        if year and number:
            expected = f"gazette/{year}/{year}-{number:02d}.yml"
            if issue.path != expected:
                yield error("ISSUE-FILE-NAME", issue.path, 1, "",
                            f"文件名与 year、number 不符，应为 {expected}", "the file name does not match "
                                                                  "year and "
                            f"number: it should be {expected}", f"改名为 {expected}，或核对 year、number",
                            f"rename it {expected}, or check year and number")
            first = seen.get((year, number))
            if first is not None:
                yield error("ISSUE-DUPLICATE", issue.path, issue.line("number"), "number",
                            f"{year} 年第 {number} 期已有 {first.path}", f"{year} no. {number} already "
                                                                    f"exists: {first.path}",
                            "每期只有一个文件；核对期号", "one file per issue; check the number")
            else:
                seen[(year, number)] = issue
        yield from _sections_form(corpus, issue)


def _sections_form(corpus: Corpus, issue: GazetteIssue) -> Iterator[Finding]:
    raw = issue.meta.get("sections")
    if raw is not None and not isinstance(raw, list):
        yield error("ISSUE-SECTIONS", issue.path, issue.line("sections"), "sections",
                    "sections 应为栏目列表", "'sections' must be a list of sections",
                    "每个栏目写 - {section: 栏目id, items: [slug, …]}", "write '- {section: id, items: "
                                                                 "[slug, …]}' each")
        return
    for i, item in enumerate(as_list(raw)):
        if not isinstance(item, dict) or not isinstance(item.get("items", []), list):
            line = issue.source.lines.get(f"sections[{i}]", issue.line("sections"))
            yield error("ISSUE-SECTIONS", issue.path, line,
                        "sections",
                        f"第 {i + 1} 个栏目格式不对", f"section {i + 1} is malformed",
                        "写 - {section: 栏目id, items: [slug, …]}", "write '- {section: id, items: [slug, "
                                                                 "…]}'")
    order = corpus.registry.section_order
    previous = None
    used: dict[str, int] = {}
    for section in issue.sections:
        if section.section in used:
            yield error("ISSUE-SECTION-REPEATED", issue.path, section.line, "sections",
                        f"栏目 {section.section} 出现了两次（第 {used[section.section]} 行）",
                        f"the section {section.section} appears twice (line {used[section.section]})",
                        "把两处的文件合并到一个栏目下", "merge the items into one entry")
            continue
        used[section.section] = section.line
        if section.section not in corpus.registry.sections:
            continue  # REF-SECTION
        if previous is not None and order(section.section) < order(previous):
            names = "、".join(corpus.registry.sections[s].zh for s in corpus.registry.sections)
            yield error("ISSUE-SECTION-ORDER", issue.path, section.line, "sections",
                        f"栏目 {section.section} 应排在 {previous} 之前", f"the section {section.section} "
                                                                   "comes before "
                        f"{previous} in print order", f"按登记表顺序排列栏目：{names}",
                        "order the sections as registry/sections.yml lists them")
        previous = section.section


@rule(across=True, dated=True)
def issue_contents(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """ISSUE-TOTAL, ISSUE-DATE-FUTURE, ISSUE-DATE-BEFORE-ITEM, ISSUE-EMPTY, ISSUE-ITEM-MISSING,
    ISSUE-ITEM-NOT-PUBLIC, ISSUE-ITEM-REPEATED, ISSUE-ITEM-UNTRANSLATED, ISSUE-IMAGE-MISSING."""
    published = [i for i in corpus.issues if i.is_published and i.year and i.number]
    published.sort(key=lambda i: (i.year or 0, i.number or 0))
    previous: GazetteIssue | None = None
    for issue in published:
        if previous is not None and previous.total is not None and issue.total is not None \
                and issue.total != previous.total + 1:
            yield error("ISSUE-TOTAL", issue.path, issue.line("total"), "total",
                        f"总期号 {issue.total} 不连续：上一期 {previous.key} 是总第 {previous.total} 期",
                        f"the running total {issue.total} does not follow {previous.key}'s {previous.total}",
                        f"写 total: {previous.total + 1}", f"write 'total: {previous.total + 1}'")
        previous = issue

    placed: dict[str, GazetteIssue] = {}
    for issue in published:
        date = issue.date
        if date and date > context.today:
            yield error("ISSUE-DATE-FUTURE", issue.path, issue.line("date"), "date",
                        f"出版日期 {date} 晚于今天（{context.today}）", f"the date {date} is after today "
                                                              f"({context.today})",
                        "未出版的一期写 status: draft", "an issue not yet out is 'status: draft'")
        if not issue.items():
            yield error("ISSUE-EMPTY", issue.path, issue.line("sections"), "sections",
                        "已出版的一期没有任何文件", "a published issue with no items",
                        "在 sections 中列出本期文件，或写 status: draft", "list the items, or mark it "
                                                               "'status: draft'")
        for section in issue.sections:
            for slug in section.items:
                yield from _item(corpus, public_documents(corpus, context), issue, section.line, slug, placed)
        for key in ("cover_image", *PHOTO_KEYS):
            value = issue.meta.get(key)
            photos = [value] if isinstance(value, (dict, str)) else as_list(value)
            for photo in photos:
                image = photo.get("image") if isinstance(photo, dict) else photo
                if not isinstance(image, str) or not image:
                    yield error("ISSUE-IMAGE-MISSING", issue.path, issue.line(key), key,
                                f"{key} 没有写图片文件", f"'{key}' names no image file",
                                "写 image: images/gazette/<年>-<期>/文件名.jpg", "write 'image: "
                                                                           "images/gazette/<year>-<NN>/name.jpg'")
                elif image.lstrip("/") not in corpus.files:
                    yield error("ISSUE-IMAGE-MISSING", issue.path, issue.line(key), key,
                                f"图片不存在：content/{image}", f"the image does not exist: content/{image}",
                                "把图片放到该路径，或改正路径", "put the image there or correct the path")
                elif isinstance(photo, dict) and key in PHOTO_KEYS and not str(photo.get("bo") or "").strip():
                    yield warning("ISSUE-CAPTION-BO", issue.path, issue.line(key), key,
                                  f"图片 {image} 缺少藏文说明，藏文版将显示中文", f"the photo {image} has "
                                                                 "no Tibetan "
                                  "caption; the Tibetan edition will show the Chinese one",
                                  "补充 bo: 藏文说明", "add 'bo: <Tibetan caption>'")


def _item(corpus: Corpus, vis: dict[str, Visibility], issue: GazetteIssue, line: int, slug: str,
          placed: dict[str, GazetteIssue]) -> Iterator[Finding]:
    doc = corpus.documents.get(slug)
    if doc is None and slug in corpus.unreadable:
        return  # its file could not be read, which is said
    if doc is None:
        yield error("ISSUE-ITEM-MISSING", issue.path, line, "sections",
                    f"本期列出的文件 {slug} 不存在", f"the item {slug} does not exist",
                    "核对 slug（文件名去掉 .zh.md）", "check the slug (the file name without .zh.md)")
        return
    first = placed.get(slug)
    if first is not None:
        where = "本期已列出" if first is issue else f"已刊登在 {first.key}"
        where_en = "is listed twice in this issue" if first is issue else f"already appears in {first.key}"
        yield error("ISSUE-ITEM-REPEATED", issue.path, line, "sections",
                    f"文件 {slug} {where}", f"the item {slug} {where_en}",
                    "一份文件只刊登在一期中，删去重复的一处", "an item appears in one issue only: remove "
                                           "the repeat")
        return
    placed[slug] = issue
    if vis[slug] is not Visibility.FULL:
        state = "草稿" if doc.is_draft else \
            f"{doc.disclosure or '未填公开属性'}、{doc.secrecy or '未填涉密状态'}"
        yield error("ISSUE-ITEM-NOT-PUBLIC", issue.path, line, "sections",
                    f"文件 {slug}（{state}）不能刊登：公报只刊登主动公开、非涉密的正式文件",
                    f"the item {slug} ({state}) cannot be printed: the gazette carries only 主动公开, 非涉密"
                    ", "
                    "final documents", "从本期删去，或核对该文件的公开属性", "remove it from the issue, or "
                                                            "check its disclosure")
    elif "bo" not in doc.translations:
        yield error("ISSUE-ITEM-UNTRANSLATED", issue.path, line, "sections",
                    f"文件 {slug} 没有藏文译文，藏文版无法印制", f"the item {slug} has no Tibetan "
                                                 "translation, so the "
                    "Tibetan edition cannot be printed", f"添加 {doc.path[:-len('.zh.md')]}.bo.md，或把本期"
                                                         "改为 status: draft",
                    f"add {doc.path[:-len('.zh.md')]}.bo.md, or mark the issue 'status: draft'")
    if issue.date and doc.signed and issue.date < doc.signed:
        yield error("ISSUE-DATE-BEFORE-ITEM", issue.path, issue.line("date"), "date",
                    f"出版日期 {issue.date} 早于文件 {slug} 的成文日期 {doc.signed}",
                    f"the issue date {issue.date} is before {slug} was signed ({doc.signed})",
                    "核对出版日期，或把该文件移到下一期", "check the date, or move the item to a later issue")
