"""Reading a source file: bytes → text → YAML front matter (with line numbers) + Markdown body.

PyYAML does the parsing. Two things are added on top, because editors need them and PyYAML does not
give them: a key given twice is an error (PyYAML silently keeps the last one), and every key keeps the
line it stands on, so a finding can point at it. Dates stay strings here; the model parses them, so a
bad date becomes a finding rather than a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .findings import Finding, error


class SourceError(Exception):
    """A file that cannot be read at all; carries the finding that says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.as_text())
        self.finding = finding


class _DuplicateKey(Exception):
    def __init__(self, key: object, line: int) -> None:
        super().__init__(str(key))
        self.key = key
        self.line = line


# libyaml's parser (CSafeLoader) is several times faster than the pure-Python one and gives the same
# nodes with the same marks; the pure-Python loader is the fallback where PyYAML was built without it.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader without implicit timestamps and with duplicate keys refused."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise _DuplicateKey(key, key_node.start_mark.line)
            if isinstance(key, (str, int, float, bool)):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


@dataclass
class Source:
    """One file of content/: its metadata with line numbers and its body."""

    path: str  # relative to the content folder, with forward slashes
    text: str
    meta: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)  # key (or "key[i]") → 1-based line in the file
    body: str = ""
    body_line: int = 1
    raw: bytes = b""

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def decode(raw: bytes, path: str) -> str:
    """UTF-8 text with a leading BOM dropped and CRLF/CR folded to LF."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            raise SourceError(error(
                "TEXT-ENCODING", path, line, "",
                "文件不是 UTF-8 编码", "the file is not UTF-8",
                "请用 UTF-8 重新保存", "save it again as UTF-8")) from None
        raise SourceError(error(
            "TEXT-ENCODING-GBK", path, line, "",
            "文件是 GBK/GB18030 编码，不是 UTF-8", "the file is in GBK/GB18030, not UTF-8",
            f"请转换：iconv -f GB18030 -t UTF-8 '{path}' -o '{path}.utf8' && mv '{path}.utf8' '{path}'",
            f"convert it: iconv -f GB18030 -t UTF-8 '{path}' -o '{path}.utf8' && mv '{path}.utf8' '{path}'",
        )) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _mapping_lines(node: yaml.Node, offset: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        key = str(key_node.value)
        lines[key] = key_node.start_mark.line + offset
        if isinstance(value_node, yaml.SequenceNode):
            for i, item in enumerate(value_node.value):
                lines[f"{key}[{i}]"] = item.start_mark.line + offset
    return lines


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"


def _construct(loader: _Loader, node: yaml.Node, memo: dict[int, Any]) -> Any:
    """Plain strings, lists and mappings built straight from the nodes, the rest by PyYAML.

    Front matter is almost all strings, lists and mappings; building those directly skips PyYAML's
    generator-based constructor, which is most of the parse time once libyaml has composed the nodes.
    The result is the same as `construct_document` (the tests compare them); shared nodes (YAML
    aliases) are built once, so an alias bomb cannot blow up.
    """
    done = memo.get(id(node))
    if done is not None:
        return done
    if isinstance(node, yaml.ScalarNode):
        result = node.value if node.tag == _STR else loader.construct_object(node, deep=True)
    elif isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        result = [_construct(loader, item, memo) for item in node.value]
    elif isinstance(node, yaml.MappingNode) and node.tag == _MAP \
            and not any(k.tag == _MERGE for k, _ in node.value):
        result = {}
        for key_node, value_node in node.value:
            key = _construct(loader, key_node, memo)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "found unhashable key",
                    key_node.start_mark) from None
            if key in result:
                raise _DuplicateKey(key, key_node.start_mark.line)
            result[key] = _construct(loader, value_node, memo)
    else:
        result = loader.construct_object(node, deep=True)
    memo[id(node)] = result
    return result


def parse_yaml(text: str, path: str, offset: int = 1) -> tuple[Any, dict[str, int]]:
    """Parse YAML; `offset` is the file line of the YAML text's first line."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        data = _construct(loader, node, {})
        return data, _mapping_lines(node, offset)
    except _DuplicateKey as dup:
        raise SourceError(error(
            "META-DUPLICATE-KEY", path, dup.line + offset, str(dup.key),
            f"字段“{dup.key}”出现了两次", f"the key '{dup.key}' is given twice",
            "只保留一个", "keep one of them")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + offset) if mark else offset
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourceError(error(
            "META-YAML", path, line, "",
            f"YAML 格式错误：{problem}", f"the YAML is malformed: {problem}",
            "检查冒号、缩进和引号；含冒号或 # 的值请加引号",
            "check colons, indentation and quotes; quote values that contain ':' or '#'")) from None
    finally:
        loader.dispose()


def parse_markdown(raw: bytes, path: str) -> Source:
    """A Markdown file with a `---` YAML front-matter block."""
    text = decode(raw, path)
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise SourceError(error(
            "META-MISSING", path, 1, "",
            "文件开头没有元数据块", "the file does not start with a metadata block",
            "第一行写 ---，接着写元数据，再用 --- 结束", "start with a line '---', the metadata, then '---'"))
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise SourceError(error(
            "META-UNCLOSED", path, 1, "",
            "元数据块没有用 --- 结束", "the metadata block is not closed",
            "在元数据后加一行 ---", "add a line '---' after the metadata")) from None
    meta, key_lines = parse_yaml("\n".join(lines[1:end]), path, offset=2)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise SourceError(error(
            "META-YAML", path, 2, "",
            "元数据必须是“字段: 值”的列表", "the metadata must be 'key: value' lines",
            "每行写一个“字段: 值”", "write one 'key: value' a line"))
    body = "\n".join(lines[end + 1:])
    return Source(path, text, meta, key_lines, body, end + 2, raw)


def parse_yaml_file(raw: bytes, path: str) -> Source:
    text = decode(raw, path)
    data, key_lines = parse_yaml(text, path, offset=1)
    return Source(path, text, data if data is not None else {}, key_lines, "", 1, raw)


def read_source(root: Path, file: Path) -> Source:
    rel = file.relative_to(root).as_posix()
    raw = file.read_bytes()
    if file.suffix == ".md":
        return parse_markdown(raw, rel)
    return parse_yaml_file(raw, rel)
