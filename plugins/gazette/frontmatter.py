"""Reading a source file: bytes → text → YAML front matter (with line numbers) + Markdown body.

PyYAML does the parsing. Two things are added on top, because editors need them and PyYAML does not
give them: a key given twice is an error (PyYAML silently keeps the last one), and every key keeps the
line it stands on, so a finding can point at it. Dates stay strings here; the model parses them, so a
bad date becomes a finding rather than a traceback.

Reading is bounded: a file is opened without following a symbolic link anywhere under the content
folder, only if it is a regular file, and read no further than its size limit, so a link out of the
folder, a FIFO or a huge file costs nothing. YAML anchors, aliases and explicit tags are refused (an
editor needs none of them; an alias bomb expands to gigabytes, a `!!timestamp` gives a value no rule
expects), and so are collections nested deeper than any front matter needs.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from .findings import Finding, error


class SourceError(Exception):
    """A file that cannot be read at all; carries the finding that says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.as_text())
        self.finding = finding


# Size limits, generous for a real law: the longest national laws (the Civil Code: about 110,000
# characters, 330 KB of UTF-8) fit six times into a Markdown file, and the registries (the catalogue:
# 12 KB) twenty times into a YAML file. A file over its limit is refused unread.
MAX_MARKDOWN_BYTES = 2 * 1024 * 1024
MAX_YAML_BYTES = 256 * 1024
# One Markdown paragraph is one line; a law's longest paragraph is about 2,000 characters. A longer line is
# a paste accident (a whole document in one paragraph, a table exported on one line), and the length of
# a line bounds the work of every pattern the checks and the renderer run over it.
MAX_LINE_CHARS = 20_000
# Front matter nests three deep (a field, a list, a mapping: `review: [{step: …}]`).
MAX_YAML_DEPTH = 20


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def symlink_finding(path: str) -> Finding:
    return error("FILE-SYMLINK", path, 1, "",
                 "content/ 中不能有符号链接：构建不跟随链接读取任何文件", "no symbolic links in content/: "
                 "the build follows no link to read a file",
                 "删除这个链接，把文件本身放在这里", "remove the link and put the file itself there")


def special_finding(path: str) -> Finding:
    return error("FILE-SPECIAL", path, 1, "",
                 "这不是普通文件（命名管道、套接字或设备），不会被读取", "this is not a regular file (a FIFO, "
                 "a socket or a device) and is not read",
                 "删除它；content/ 中只放普通文件和文件夹", "remove it; content/ holds only plain files and "
                                                  "folders")


def unreadable_finding(path: str, exc: OSError) -> Finding:
    reason = exc.strerror or type(exc).__name__
    return error("FILE-UNREADABLE", path, 1, "",
                 f"无法读取：{reason}", f"cannot be read: {reason}",
                 "检查文件的权限（应对构建用户可读），或删除它", "check its permissions (readable by the "
                                                     "user who builds), or remove it")


def too_large_finding(path: str, size: int, limit: int) -> Finding:
    kind_zh, kind_en = ("Markdown 文件", "a Markdown file") if path.endswith(".md") else ("YAML 文件",
                                                                                       "a YAML file")
    return error("LIMIT-FILE-SIZE", path, 1, "",
                 f"文件太大（{_mb(size)}，{kind_zh}上限 {_mb(limit)}），未读取",
                 f"the file is too large ({_mb(size)}; the limit for {kind_en} is {_mb(limit)}) and was not "
                 "read",
                 "把它拆成几份文件；大的表格和扫描件作为附件（attachments）发布",
                 "split it into several files; publish large tables and scans as attachments")


def long_line_finding(path: str, line: int, length: int, field: str = "") -> Finding:
    return error("LIMIT-LINE", path, line, field,
                 f"这一行有 {length:,} 个字符，超过上限 {MAX_LINE_CHARS:,}",
                 f"this line has {length:,} characters, over the limit of {MAX_LINE_CHARS:,}",
                 "段落之间空一行，表格每行写一行；元数据的值不会这样长",
                 "separate paragraphs with a blank line and write one table row a line; no metadata value is "
                 "this long")


def _limit_for(path: str) -> int:
    return MAX_MARKDOWN_BYTES if path.endswith(".md") else MAX_YAML_BYTES


_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def read_bytes(root: Path, rel: str, limit: int) -> bytes:
    """The bytes of `root/rel`, a regular file reached without crossing a symbolic link.

    Each folder on the way is opened relative to the one before with O_NOFOLLOW, so neither a linked
    file nor a linked folder (even one swapped in while the build runs) leads out of `root`. The file is
    opened non-blocking and checked to be regular before a byte is read (a FIFO would block), and at
    most `limit` + 1 bytes are read. Raises SourceError with the finding that says why not.
    """
    parts = rel.split("/")
    try:
        folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise SourceError(unreadable_finding(rel, exc)) from None
    try:
        for i, part in enumerate(parts[:-1]):
            try:
                inner = os.open(part, _DIR_FLAGS, dir_fd=folder)
            except OSError as exc:
                here = "/".join(parts[: i + 1])
                link = exc.errno == errno.ELOOP or (exc.errno == errno.ENOTDIR and os.path.islink(root / here))
                raise SourceError(symlink_finding(here) if link else unreadable_finding(here, exc)) from None
            os.close(folder)
            folder = inner
        try:
            mode = os.stat(parts[-1], dir_fd=folder, follow_symlinks=False).st_mode
            if stat.S_ISLNK(mode):
                raise SourceError(symlink_finding(rel))
            if not stat.S_ISREG(mode):  # never opened: opening a FIFO blocks, a device may act
                raise SourceError(special_finding(rel))
            fd = os.open(parts[-1], _FILE_FLAGS, dir_fd=folder)
        except OSError as exc:
            raise SourceError(symlink_finding(rel) if exc.errno == errno.ELOOP
                              else unreadable_finding(rel, exc)) from None
    finally:
        os.close(folder)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # replaced between the check and the open
            raise SourceError(special_finding(rel))
        if info.st_size > limit:
            raise SourceError(too_large_finding(rel, info.st_size, limit))
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise SourceError(unreadable_finding(rel, exc)) from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > limit:  # grew after the size was read
        raise SourceError(too_large_finding(rel, len(raw), limit))
    return raw


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


class _Refused(Exception):
    """YAML that is well formed but refused: a finding's code, line (0-based) and messages."""

    def __init__(self, code: str, line: int, zh: str, en: str, fix_zh: str, fix_en: str) -> None:
        super().__init__(en)
        self.code, self.line, self.zh, self.en, self.fix_zh, self.fix_en = code, line, zh, en, fix_zh, fix_en
        self.field = ""


def _too_deep(line: int) -> _Refused:
    return _Refused("LIMIT-YAML-DEPTH", line, f"列表和键值嵌套超过 {MAX_YAML_DEPTH} 层",
                    f"lists and mappings nested more than {MAX_YAML_DEPTH} deep",
                    "元数据只需要“字段: 值”、列表和一层键值，按 docs/checks.md 的示例写",
                    "front matter needs 'key: value', lists and one level of mappings; follow docs/checks.md")


def _construct(loader: _Loader, node: yaml.Node, memo: dict[int, Any], depth: int = 0) -> Any:
    """Plain strings, lists and mappings built straight from the nodes, the rest by PyYAML.

    Front matter is almost all strings, lists and mappings; building those directly skips PyYAML's
    generator-based constructor, which is most of the parse time once libyaml has composed the nodes.
    The result is the same as `construct_document` (the tests compare them). Aliases never reach here
    (`_screen` refuses them); `depth` counts the collections around `node`.
    """
    done = memo.get(id(node))
    if done is not None:
        return done
    if isinstance(node, yaml.CollectionNode) and depth >= MAX_YAML_DEPTH:
        raise _too_deep(node.start_mark.line)
    if isinstance(node, yaml.ScalarNode):
        result = node.value if node.tag == _STR else _scalar(loader, node)
    elif isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        result = [_construct(loader, item, memo, depth + 1) for item in node.value]
    elif isinstance(node, yaml.MappingNode) and node.tag == _MAP \
            and not any(k.tag == _MERGE for k, _ in node.value):
        result = {}
        for key_node, value_node in node.value:
            key = _construct(loader, key_node, memo, depth + 1)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "found unhashable key",
                    key_node.start_mark) from None
            if key in result:
                raise _DuplicateKey(key, key_node.start_mark.line)
            result[key] = _construct(loader, value_node, memo, depth + 1)
    else:
        result = loader.construct_object(node, deep=True)
    memo[id(node)] = result
    return result


def _scalar(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError):  # an integer of thousands of digits: Python refuses to convert it
        raise _Refused("META-YAML", node.start_mark.line, "数值太长，无法读取", "the number is too long to "
                                                                         "be read",
                       "加引号写成文字：'…'", "quote it as text: '…'") from None


def _may_need_screening(text: str) -> bool:
    """Whether `text` may hold an anchor, an alias or a tag (it has `&`, `*` or `!`), or nest too deep.

    A level of nesting takes a `[` or `{`, a `-`, `?` or `:` on its line, or more indentation (a block
    sequence may share its mapping's column: two levels a column), so text whose count stays under the
    limit on every line cannot nest too deep, and needs no event-by-event screening: most front matter.
    """
    if "&" in text or "*" in text or "!" in text:
        return True
    flow = text.count("[") + text.count("{")
    if flow >= MAX_YAML_DEPTH:
        return True
    for line in text.split("\n"):
        rest = line.lstrip(" ")
        if flow + 2 * (len(line) - len(rest) + 1) + rest.count("-") + rest.count(":") + rest.count("?") \
                >= MAX_YAML_DEPTH:
            return True
    return False


def _screen(loader: _Loader) -> None:
    """Walk the parser's events: refuse anchors, aliases, explicit tags and deep nesting.

    This runs before anything is composed, so an alias bomb stops at its first anchor and a list nested a
    hundred thousand deep at its twenty-first level (libyaml's composer recurses, and would crash).
    """
    stack: list[list[bool]] = []  # per open collection: [is a mapping, next node is a key]
    field = ""
    while loader.check_event():
        event = loader.get_event()
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            stack.pop()
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        is_key = bool(stack) and stack[-1][0] and stack[-1][1]
        if stack and stack[-1][0]:
            stack[-1][1] = not stack[-1][1]
        if len(stack) == 1 and is_key:
            field = str(event.value) if isinstance(event, yaml.ScalarEvent) else ""
        line = event.start_mark.line
        problem: _Refused | None = None
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            mark = f"*{event.anchor}" if isinstance(event, yaml.AliasEvent) else f"&{event.anchor}"
            problem = _Refused(
                "META-YAML-ALIAS", line, f"不支持 YAML 锚点和别名（{mark}）", f"YAML anchors and aliases "
                                                                     f"({mark}) are not supported",
                "把值直接写出来；值中的 & 或 * 请加引号", "write the value out; quote a value that starts with "
                                                   "& or *")
        elif getattr(event, "tag", None) is not None:
            tag = str(event.tag).replace("tag:yaml.org,2002:", "!!")  # as the editor wrote it
            problem = _Refused(
                "META-YAML-TAG", line, f"不支持 YAML 标记 {tag}", f"YAML tags ({tag}) are not supported",
                "删去标记，直接写值（日期写 2026-03-04）；以 ! 开头的文字请加引号",
                "remove the tag and write the plain value (dates as 2026-03-04); quote text that starts "
                "with !")
        elif isinstance(event, yaml.CollectionStartEvent):
            stack.append([isinstance(event, yaml.MappingStartEvent), True])
            if len(stack) > MAX_YAML_DEPTH:
                problem = _too_deep(line)
        if problem is not None:
            problem.field = field if stack else ""
            raise problem


def parse_yaml(text: str, path: str, offset: int = 1) -> tuple[Any, dict[str, int]]:
    """Parse YAML; `offset` is the file line of the YAML text's first line."""
    if len(text) > MAX_LINE_CHARS:
        for number, line in enumerate(text.split("\n")):
            if len(line) > MAX_LINE_CHARS:
                raise SourceError(long_line_finding(path, number + offset, len(line)))
    loader = _Loader(text)
    try:
        if _may_need_screening(text):
            screen = _Loader(text)
            try:
                _screen(screen)
            finally:
                screen.dispose()
        node = loader.get_single_node()
        if node is None:
            return None, {}
        data = _construct(loader, node, {})
        return data, _mapping_lines(node, offset)
    except _Refused as refused:
        raise SourceError(error(refused.code, path, refused.line + offset, refused.field, refused.zh,
                                refused.en, refused.fix_zh, refused.fix_en)) from None
    except _DuplicateKey as dup:
        raise SourceError(error(
            "META-DUPLICATE-KEY", path, dup.line + offset, str(dup.key),
            f"字段“{dup.key}”出现了两次", f"the key '{dup.key}' is given twice",
            "只保留一个", "keep one of them")) from None
    except (ValueError, OverflowError, RecursionError) as exc:  # a value PyYAML's constructors choke on
        raise SourceError(error(
            "META-YAML", path, offset, "", f"YAML 中有无法读取的值：{exc}", f"a value cannot be read: {exc}",
            "把该值加引号写成文字", "quote the value as text")) from None
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


class KeptReadings(Protocol):
    """Front matter read by earlier builds (`frontmatter_cache.FrontMatterCache`)."""

    def get(self, path: str, front: str) -> tuple[Any, dict[str, int]] | None: ...

    def parsed(self, path: str, front: str, meta: Any, lines: dict[str, int]) -> None: ...


def parse_markdown(raw: bytes, path: str, cache: KeptReadings | None = None) -> Source:
    """A Markdown file with a `---` YAML front-matter block. `cache`: readings kept by earlier builds."""
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
    front = "\n".join(lines[1:end])
    kept = cache.get(path, front) if cache is not None else None
    if kept is not None:
        meta, key_lines = kept
    else:
        meta, key_lines = parse_yaml(front, path, offset=2)
        if cache is not None:
            cache.parsed(path, front, meta, key_lines)
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


# The hash of a content file's bytes that every cache keys it by, the build's input digest included:
# SHA-256, which processors compute in hardware (here twice blake2b's speed: 50 MB in 0.05 s).
FILE_HASH = hashlib.sha256


def file_digest(raw: bytes) -> str:
    """The digest every cache of the check keys a file's bytes by (the build's input digest uses the same)."""
    return FILE_HASH(raw).hexdigest()


def changed_finding(path: str) -> Finding:
    return error("FILE-CHANGED", path, 1, "",
                 "构建过程中文件被修改：本次构建未使用它", "the file changed while the build ran: this build did "
                 "not use it",
                 "等保存完成后重新构建", "build again once the edit is saved")


class LazySource(Source):
    """A source the check found unchanged (its bytes' digest is the one its kept findings were judged from):
    read and parsed only when something asks for its text, its metadata or its body.

    The bytes read then must have the digest the check relied on; if the file was edited in between, the
    reading raises `SourceError` (FILE-CHANGED) rather than hand on text that no rule has judged.
    """

    def __init__(self, root: Path, path: str, digest: str, cache: KeptReadings | None = None) -> None:
        self.path = path
        self.digest = digest
        self._root, self._cache = root, cache

    loaded = False  # once read, the object is a plain `Source`

    def load(self) -> Source:
        """Read and parse the file; from then on this object is a plain `Source`, its fields plain
        attributes (the model reads them millions of times a build: no property in the way)."""
        raw = read_bytes(self._root, self.path, _limit_for(self.path))
        if file_digest(raw) != self.digest:
            raise SourceError(changed_finding(self.path))
        parsed = parse_markdown(raw, self.path, self._cache)
        self.__dict__.clear()
        self.__class__ = Source  # type: ignore[assignment]
        self.__dict__.update(parsed.__dict__)
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # a worker process gets the plain source
        s = self.load()
        return (Source, (s.path, s.text, s.meta, s.lines, s.body, s.body_line, s.raw))


def _lazy(name: str) -> property:
    def get(self: LazySource) -> Any:
        return getattr(self.load(), name)

    def put(self: LazySource, value: Any) -> None:  # the input limits empty a body they refuse
        setattr(self.load(), name, value)

    return property(get, put)


for _name in ("text", "meta", "lines", "body", "body_line", "raw"):
    setattr(LazySource, _name, _lazy(_name))


def read_source(root: Path, file: Path | str, cache: KeptReadings | None = None) -> Source:
    """A file of the content folder `root` (a path under it, or one relative to it with forward slashes),
    read as `read_bytes` reads it, then parsed."""
    rel = file if isinstance(file, str) else file.relative_to(root).as_posix()
    raw = read_bytes(root, rel, _limit_for(rel))
    if rel.endswith(".md"):
        return parse_markdown(raw, rel, cache)
    return parse_yaml_file(raw, rel)
