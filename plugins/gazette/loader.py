"""Read the content folder into the model. Files that cannot be read become findings, never tracebacks."""

from __future__ import annotations

import re
from pathlib import Path

from .findings import Finding, error
from .frontmatter import Source, SourceError, read_source
from .model import LANGS, ORIGINAL_LANG, Corpus, Document, GazetteIssue, Page, Translation
from .registry import load_registry

DOCUMENT_NAME = re.compile(r"^(?P<slug>[^.]+)\.(?P<lang>[a-z]{2})\.md$")


def _bad_name(path: str, zh: str, en: str) -> Finding:
    return error("FILE-NAME", path, 1, "", f"文件名不符合约定：{zh}",
                 f"the file name breaks the layout: {en}",
                 "文件名写作 <slug>.zh.md 或 <slug>.bo.md", "name it <slug>.zh.md or <slug>.bo.md")


def load_corpus(content: Path) -> tuple[Corpus, list[Finding]]:
    content = content.resolve()
    findings: list[Finding] = []
    corpus = Corpus(root=str(content), registry=load_registry(content, findings))
    corpus.files = {p.relative_to(content).as_posix() for p in content.rglob("*") if p.is_file()}

    translations: list[tuple[str, str, Source]] = []
    for file in sorted((content / "documents").rglob("*.md")):
        rel = file.relative_to(content).as_posix()
        match = DOCUMENT_NAME.match(file.name)
        if not match:
            findings.append(_bad_name(rel, "缺少语言后缀", "no language suffix"))
            continue
        slug, lang = match["slug"], match["lang"]
        try:
            source = read_source(content, file)
        except SourceError as exc:
            findings.append(exc.finding)
            continue
        if lang == ORIGINAL_LANG:
            if slug in corpus.documents:
                corpus.duplicates.append(source)
            else:
                corpus.documents[slug] = Document(slug, source)
        elif lang in LANGS:
            translations.append((slug, lang, source))
        else:
            findings.append(_bad_name(rel, f"未知语言 {lang}", f"unknown language {lang}"))

    for slug, lang, source in translations:
        doc = corpus.documents.get(slug)
        if doc is None:
            corpus.orphans.append(source)
        elif lang in doc.translations:
            corpus.duplicates.append(source)
        else:
            doc.translations[lang] = Translation(lang, source)

    for file in sorted((content / "gazette").rglob("*.yml")):
        try:
            source = read_source(content, file)
        except SourceError as exc:
            findings.append(exc.finding)
            continue
        if not isinstance(source.meta, dict):
            findings.append(error(
                "ISSUE-FORMAT", source.path, 1, "", "公报期次文件应是“字段: 值”的列表",
                "a gazette issue file must be 'key: value' lines", "参照 docs/checks.md 中的示例填写",
                "follow the example in docs/checks.md"))
            continue
        corpus.issues.append(GazetteIssue(source))

    for file in sorted((content / "pages").glob("*.md")):
        rel = file.relative_to(content).as_posix()
        match = DOCUMENT_NAME.match(file.name)
        if not match or match["lang"] not in LANGS:
            findings.append(_bad_name(rel, "页面应为 <name>.<lang>.md", "a page is <name>.<lang>.md"))
            continue
        try:
            source = read_source(content, file)
        except SourceError as exc:
            findings.append(exc.finding)
            continue
        corpus.pages[(match["slug"], match["lang"])] = Page(match["slug"], match["lang"], source)

    corpus.issues.sort(key=lambda i: (i.year or 0, i.number or 0, i.path))
    return corpus, findings
