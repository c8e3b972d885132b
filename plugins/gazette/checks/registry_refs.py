"""Registries and references to them: unknown issuer, genre, catalogue class or section; a class that
is not a leaf; registry entries themselves (duplicate ids, missing Tibetan labels, organisation codes)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..findings import Finding, error, warning
from ..model import Corpus, as_list
from ..registry import REGISTRY_FILES
from .rules import CheckContext, rule

ORG_CODE = re.compile(r"^[0-9A-Z]{9}\Z")
ENTRY_ID = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*\Z")
CODE_PREFIX = re.compile(r"^[\u4e00-\u9fff]+\Z")


def _suggest(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return close[0] if close else ""


def _unknown(code: str, path: str, line: int, field: str, value: str, registry: str,
             choices: Iterable[str]) -> Finding:
    near = _suggest(value, choices)
    hint_zh = f"是否应为 {near}？" if near else ""
    hint_en = f"did you mean {near}? " if near else ""
    return error(code, path, line, field,
                 f"“{value}”不在 registry/{registry}.yml 中", f"'{value}' is not in registry/{registry}.yml",
                 f"{hint_zh}写登记表中的 id，或先在 registry/{registry}.yml 中登记",
                 f"{hint_en}write an id from the registry, or add it to registry/{registry}.yml first")


@rule
def references(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """REF-ISSUER, REF-GENRE, REF-CATALOGUE, REF-CATALOGUE-LEAF: documents name registry entries."""
    reg = corpus.registry
    for doc in corpus.documents.values():
        if not reg.sources:
            break
        for i, issuer in enumerate(as_list(doc.meta.get("issuer"))):
            if isinstance(issuer, str) and issuer and "agencies" in reg.sources \
                    and issuer not in reg.agencies:
                line = doc.source.lines.get(f"issuer[{i}]", doc.line("issuer"))
                yield _unknown("REF-ISSUER", doc.path, line, "issuer", issuer, "agencies", reg.agencies)
        genre = doc.meta.get("genre")
        if isinstance(genre, str) and genre and "genres" in reg.sources and genre not in reg.genres:
            yield _unknown("REF-GENRE", doc.path, doc.line("genre"), "genre", genre, "genres", reg.genres)
        cls = doc.meta.get("catalogue")
        if isinstance(cls, str) and cls and "catalogue" in reg.sources:
            node = reg.catalogue.get(cls)
            if node is None:
                leaves = [c.id for c in reg.catalogue_leaves()]
                yield _unknown("REF-CATALOGUE", doc.path, doc.line("catalogue"), "catalogue", cls,
                               "catalogue", leaves)
            elif not node.is_leaf:
                children = "、".join(node.children)
                yield error("REF-CATALOGUE-LEAF", doc.path, doc.line("catalogue"), "catalogue",
                            f"目录分类“{cls}”不是末级分类", f"the catalogue class '{cls}' is not a leaf",
                            f"归入其下的末级分类之一：{children}", "classify it to one of its leaves: "
                                                       f"{', '.join(node.children)}")


@rule
def section_references(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """REF-SECTION: a gazette issue's sections are ids from registry/sections.yml."""
    reg = corpus.registry
    if "sections" not in reg.sources:
        return
    for issue in corpus.issues:
        if not isinstance(issue.meta, dict):
            continue
        for section in issue.sections:
            if section.section not in reg.sections:
                yield _unknown("REF-SECTION", issue.path, section.line, "sections",
                               section.section or "（空）", "sections", reg.sections)


def _walk(items: Any, lines: dict[str, int], key: str = "") -> Iterator[tuple[dict[str, Any], int]]:
    """Every entry of a registry list, catalogue children included, with its line."""
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        here = f"{key}[{i}]" if not key else f"{key}.children[{i}]"
        yield item, lines.get(here, 1)
        yield from _walk(item.get("children"), lines, here)


@rule(across=True)
def registry_entries(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """REG-DUPLICATE-ID, REG-ID-FORMAT, REG-BO-MISSING, REG-ORG-CODE, REG-CODE-PREFIX."""
    reg = corpus.registry
    for name in REGISTRY_FILES:
        source = reg.sources.get(name)
        if source is None:
            continue
        seen: dict[str, int] = {}
        org_codes: dict[str, int] = {}
        for item, line in _walk(source.meta, source.lines):
            entry_id = str(item.get("id", "") or "")
            if not entry_id:
                continue  # reported by the registry loader (REG-ENTRY)
            if entry_id in seen:
                yield error("REG-DUPLICATE-ID", source.path, line, "id",
                            f"id“{entry_id}”重复（第 {seen[entry_id]} 行已使用）",
                            f"the id '{entry_id}' is used twice (first on line {seen[entry_id]})",
                            "每个 id 只登记一次；改用新的 id", "register each id once; choose a new id")
            else:
                seen[entry_id] = line
            if not ENTRY_ID.match(entry_id):
                yield error("REG-ID-FORMAT", source.path, line, "id",
                            f"id“{entry_id}”应只含小写 ASCII 字母、数字、连字符和点",
                            f"the id '{entry_id}' must be lower-case ASCII letters, digits, '-' and '.'",
                            "id 一经使用不得更改，请用如 forestry、rules.normative 的写法",
                            "ids are stable; write them like forestry or rules.normative")
            if not str(item.get("bo", "") or "").strip():
                yield warning("REG-BO-MISSING", source.path, line, "bo",
                              f"“{item.get('zh', entry_id)}”缺少藏文标签，藏文版将显示中文",
                              f"'{entry_id}' has no Tibetan label; the Tibetan edition will show the "
                              "Chinese one",
                              "补充 bo: 藏文名称（未经审定可加 bo_reviewed: false）",
                              "add 'bo: <Tibetan label>' (with 'bo_reviewed: false' until it is reviewed)")
            if name == "agencies":
                yield from _agency(source.path, line, item, entry_id, org_codes)


def _agency(path: str, line: int, item: dict[str, Any], entry_id: str,
            org_codes: dict[str, int]) -> Iterator[Finding]:
    org_code = str(item.get("org_code", "") or "")
    if not ORG_CODE.match(org_code):
        yield error("REG-ORG-CODE", path, line, "org_code",
                    f"发布机构“{entry_id}”的组织机构代码“{org_code}”应为 9 位数字或大写字母",
                    f"the organisation code '{org_code}' of '{entry_id}' must be 9 digits or capital letters",
                    "写 org_code: 9 位组织机构代码（如 000014349，不含连字符）",
                    "write 'org_code: <9 characters>' (e.g. 000014349, no hyphen); index numbers are built "
                    "from it")
    elif org_code in org_codes:
        yield error("REG-ORG-CODE", path, line, "org_code",
                    f"组织机构代码 {org_code} 与第 {org_codes[org_code]} 行的机构重复",
                    f"the organisation code {org_code} is also used on line {org_codes[org_code]}",
                    "每个机构的代码唯一", "each body has its own code")
    else:
        org_codes[org_code] = line
    prefix = item.get("code_prefix")
    # An empty prefix would turn the document-number rule off for the body without a word.
    if prefix is not None and not CODE_PREFIX.match(str(prefix)):
        yield error("REG-CODE-PREFIX", path, line, "code_prefix",
                    f"发文机关代字“{prefix}”应只含汉字（如 甘府、甘府办）",
                    f"the document-number code '{prefix}' must be Chinese characters only (e.g. 甘府)",
                    "写机关代字，不含年份、括号和序号", "write the body's code, without year, brackets or "
                                        "number")
