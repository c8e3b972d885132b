"""The registries under content/registry/: publishing bodies, the catalogue tree, gazette sections, genres.

Every entry has a stable ASCII `id` and labels in both languages. A Tibetan label may be marked
`bo_reviewed: false` until the prefecture's translators confirm it; the site's Tibetan pages then show a
small mark beside it where a name is given as the name (a document's metadata, a catalogue heading).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import Finding, error
from .frontmatter import Source, SourceError, read_source

REGISTRY_FILES = ("agencies", "catalogue", "sections", "genres")


@dataclass
class Entry:
    id: str
    zh: str
    bo: str
    bo_reviewed: bool = True  # False: the site marks the Tibetan label as not yet reviewed
    zh_hant: str = ""  # the Traditional-character label where OpenCC's conversion of `zh` is not the name
    path: str = ""
    line: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    def label(self, lang: str) -> str:
        return (self.bo or self.zh) if lang == "bo" else self.zh


@dataclass
class Agency(Entry):
    kind: str = ""
    code_prefix: str = ""
    org_code: str = ""


@dataclass
class CatalogueClass(Entry):
    parent: str | None = None
    children: list[str] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass
class Registry:
    agencies: dict[str, Agency] = field(default_factory=dict)
    catalogue: dict[str, CatalogueClass] = field(default_factory=dict)  # every node, in tree order
    sections: dict[str, Entry] = field(default_factory=dict)  # in print order
    genres: dict[str, Entry] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)

    def catalogue_roots(self) -> list[CatalogueClass]:
        return [c for c in self.catalogue.values() if c.parent is None]

    def catalogue_leaves(self) -> list[CatalogueClass]:
        return [c for c in self.catalogue.values() if c.is_leaf]

    def section_order(self, section_id: str) -> int:
        return list(self.sections).index(section_id) if section_id in self.sections else len(self.sections)


def _entry_kwargs(item: dict[str, Any], path: str, line: int) -> dict[str, Any]:
    known = {"id", "zh", "bo", "bo_reviewed", "zh_hant", "children", "kind", "code_prefix", "org_code"}
    return {
        "id": str(item.get("id", "")),
        "zh": str(item.get("zh", "")),
        "bo": str(item.get("bo", "") or ""),
        "bo_reviewed": item.get("bo_reviewed", True) is not False,
        "zh_hant": str(item.get("zh_hant", "") or ""),
        "path": path,
        "line": line,
        "extra": {k: v for k, v in item.items() if k not in known},
    }


def _bad_entry(path: str, line: int, what_zh: str, what_en: str) -> Finding:
    return error("REG-ENTRY", path, line, "id",
                 f"登记表条目不完整：{what_zh}", f"incomplete registry entry: {what_en}",
                 "每个条目都要有 id（ASCII）和 zh、bo 两种标签",
                 "every entry needs an ASCII id and labels zh and bo")


def _items(source: Source, findings: list[Finding]) -> list[tuple[dict[str, Any], int]]:
    data = source.meta
    if not isinstance(data, list):
        findings.append(error("REG-FORMAT", source.path, 1, "", "登记表应是条目列表",
                              "a registry is a list of entries", "每个条目以“- ”开头",
                              "start each entry with '- '"))
        return []
    return [(item, source.lines.get(f"[{i}]", 1)) for i, item in enumerate(data)]


def _sequence_lines(source: Source) -> None:
    """Line numbers of top-level list items (registries are lists, not mappings)."""
    import yaml

    # libyaml's composer: the same nodes and marks as the pure-Python one, several times faster (the
    # registries are read by every check run).
    node = yaml.compose(source.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            source.lines[f"[{i}]"] = item.start_mark.line + 1
            if isinstance(item, yaml.MappingNode):
                for k, v in item.value:
                    if k.value == "children" and isinstance(v, yaml.SequenceNode):
                        for j, child in enumerate(v.value):
                            source.lines[f"[{i}].children[{j}]"] = child.start_mark.line + 1


def load_registry(content: Path, findings: list[Finding]) -> Registry:
    reg = Registry()
    folder = content / "registry"
    for name in REGISTRY_FILES:
        file = folder / f"{name}.yml"
        rel = f"registry/{name}.yml"
        if not os.path.lexists(file):  # a link or a FIFO in its place is refused by read_source, unread
            findings.append(error("REG-MISSING", rel, 1, "", f"缺少登记表 {rel}",
                                  f"the registry {rel} is missing", "从 shared/reference 复制并补充",
                                  "copy it from the reference data and extend it"))
            continue
        try:
            source = read_source(content, file)
        except SourceError as exc:
            findings.append(exc.finding)
            continue
        _sequence_lines(source)
        reg.sources[name] = source
        for i, (item, line) in enumerate(_items(source, findings)):
            if not isinstance(item, dict) or not item.get("id") or not item.get("zh"):
                findings.append(_bad_entry(rel, line, "缺少 id 或 zh", "missing id or zh"))
                continue
            kwargs = _entry_kwargs(item, rel, line)
            if name == "agencies":
                reg.agencies[kwargs["id"]] = Agency(
                    **kwargs, kind=str(item.get("kind", "")), code_prefix=str(item.get("code_prefix", "") or ""),
                    org_code=str(item.get("org_code", "") or ""))
            elif name == "catalogue":
                _add_class(reg, item, None, rel, line, source, f"[{i}]", findings)
            elif name == "sections":
                reg.sections[kwargs["id"]] = Entry(**kwargs)
            else:
                reg.genres[kwargs["id"]] = Entry(**kwargs)
    return reg


def _add_class(reg: Registry, item: dict[str, Any], parent: str | None, path: str, line: int,
               source: Source, key: str, findings: list[Finding]) -> None:
    node = CatalogueClass(**_entry_kwargs(item, path, line), parent=parent)
    reg.catalogue[node.id] = node
    for j, child in enumerate(item.get("children") or []):
        child_line = source.lines.get(f"{key}.children[{j}]", line)
        if not isinstance(child, dict) or not child.get("id") or not child.get("zh"):
            findings.append(_bad_entry(path, child_line, "缺少 id 或 zh", "missing id or zh"))
            continue
        node.children.append(str(child["id"]))
        _add_class(reg, child, node.id, path, child_line, source, f"{key}.children[{j}]", findings)
