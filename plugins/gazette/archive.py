"""`gazette archive YEAR-NN --out DIR`: an issue's archive package (BagIt, RFC 8493) for the archives (档案馆).

The package holds what the Publication lists for the issue, nothing else:

    data/issue/<year>-<NN>.<lang>.pdfa.pdf         both editions as PDF/A-3b, from the last good build
                                                   (sealed where `gazette seal` sealed them)
    data/documents/<slug>.<lang>.pdfa.pdf          each item in each language, as PDF/A-3b
    data/sources/<path under content/>             the manifest and the items' Markdown files as committed
                                                   (less the `review` block, whose names appear in no output)
    data/attachments/<path under content/>         the items' attachments
    data/photographs/<path under content/>         the cover, inside covers and back cover
    data/metadata/issue.json, data/metadata/<slug>.json   each item's metadata with every file's SHA-256

The PDFs of the issue come from the build only when it was made from exactly this content (its
fingerprint in outputs.json); otherwise the command asks for a build first. The per-document PDF/As are
rendered here (cached in `<output>/.cache/pdf-archive/<year>-<NN>/`). The package is made in a temporary
folder beside `--out`, validated with bagit's own validator, then renamed into place: a package stopped
half-way is never taken for a whole one. `--out` may not be under the build output or the content folder.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from . import generations, urls
from .checksums import sha256_file
from .config import GazetteConfig
from .frontmatter import parse_yaml
from .publication import Publication, PublicDocument, PublicIssue
from .reports.output import out_refusal

ISSUE = re.compile(r"([0-9]{4})-([0-9]{2})\Z")  # ASCII digits, no line end after


class ArchiveError(Exception):
    """An archive that cannot be made; the message (zh / en) says what to do."""


def document_pdfa(slug: str, lang: str) -> str:
    return f"documents/{slug}.{lang}.pdfa.pdf"


def render_document_pdfas(pub: Publication, issue: PublicIssue, settings: Mapping[str, Any], cache: Path,
                          target: Path) -> list[str]:
    """Each item of the issue in each language as PDF/A-3b, into `target`; returns the paths under it."""
    from .pdf.build import keyed_jobs, worker_pool, workers
    from .pdf.cache import PdfCache
    from .pdf.html import Output, stylesheet_texts
    from .pdf.render import RenderTask, Roots, render

    slugs = {doc.slug for doc in issue.documents()}
    store = PdfCache(cache / "pdf-archive" / issue.key)
    jobs = []
    for job, key in keyed_jobs(pub, settings):
        if job.kind != "document" or job.name.rsplit(".", 1)[0] not in slugs:
            continue
        slug, lang = job.name.rsplit(".", 1)
        jobs.append((dataclasses.replace(job, outputs=(Output("/" + document_pdfa(slug, lang), "pdf/a-3b"),)),
                     key))
    fonts = str(GazetteConfig.from_settings(settings).fonts)
    stylesheets = tuple(stylesheet_texts(settings))
    todo = [RenderTask(job.name, job.html, job.base_url, stylesheets,
                       tuple((str(store.path(job.name, key, out)), out.variant) for out in job.outputs),
                       Roots(str(pub.content_root), fonts, frozenset(job.images)))
            for job, key in jobs if not store.has(job.name, key, job.outputs)]
    if todo:
        print(f"渲染 {len(todo)} 个 PDF/A / rendering {len(todo)} PDF/As …", file=sys.stderr, flush=True)
        # As the build does: WeasyPrint only in forked workers, never in this process.
        with worker_pool(workers(dict(settings), len(todo)), cache / "pdf-archive-scratch") as pool:
            list(pool.map(render, todo))
    used, written = set(), []
    for job, key in jobs:
        for out in job.outputs:
            source = store.path(job.name, key, out)
            store.place(source, target / out.url.lstrip("/"))
            used.add(source)
            written.append(out.url.lstrip("/"))
    store.prune(used)
    return sorted(written)


def committed_source(raw: bytes) -> bytes:
    """A source file as committed, less its front matter's `review` (the release chain's names, which
    appear in no output): the lines from the `review` key to the next key go, however the key and its value
    are written (quoted, a comment inside, a flow list over several lines). The rest is parsed again and
    must equal the front matter less `review`; where it does not (a front matter in one flow mapping), the
    front matter is written anew from its values."""
    text = raw.decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if not lines or lines[0].strip() != "---" or end is None:
        return raw
    front = lines[1:end]
    node = yaml.compose("".join(front), Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return raw
    starts = sorted({key.start_mark.line for key, _ in node.value})
    cut: set[int] = set()
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "review":
            first = key.start_mark.line
            cut.update(range(first, next((s for s in starts if s > first), len(front))))
    if not cut:
        return raw
    kept = [line for number, line in enumerate(front) if number not in cut]
    wanted = {k: v for k, v in (parse_yaml("".join(front), "source")[0] or {}).items() if k != "review"}
    if (parse_yaml("".join(kept), "source")[0] or {}) != wanted:
        kept = [yaml.safe_dump(wanted, allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000)]
    return "".join([lines[0], *kept, *lines[end:]]).encode("utf-8")


def _uncommitted(content: Path, files: list[str]) -> tuple[list[str], str]:
    """Files differing from the last commit, and that commit (none of either outside a git work tree)."""
    try:
        commit = subprocess.run(["git", "-C", str(content), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=30, check=True).stdout.strip()
        status = subprocess.run(["git", "-C", str(content), "status", "--porcelain", "--", *files],
                                capture_output=True, text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return [], ""
    return [line[3:] for line in status.splitlines() if line.strip()], commit


def _metadata(doc: PublicDocument, files: dict[str, str]) -> dict[str, Any]:
    return {
        "slug": doc.slug, "index_no": doc.index_no, "doc_number": doc.doc_number,
        "titles": {lang: t.title for lang, t in doc.texts.items()},
        "summaries": {lang: t.summary for lang, t in doc.texts.items() if t.summary},
        "keywords": {lang: list(t.keywords) for lang, t in doc.texts.items() if t.keywords},
        "publisher": doc.publisher.id if doc.publisher else "", "issuers": [a.id for a in doc.issuers],
        "genre": doc.genre.id if doc.genre else "", "catalogue": doc.catalogue.id if doc.catalogue else "",
        "signed": doc.signed.isoformat(), "published": doc.published.isoformat(), "disclosure": doc.disclosure,
        "validity": doc.validity, "replaced_by": doc.replaced_by,
        "section": doc.section.id if doc.section else "",
        "urls": {lang: doc.url(lang) for lang in doc.texts},
        "attachments": [{"title": a.title, "file": a.file, "sha256": a.sha256} for a in doc.attachments],
        "files": files,
    }


def write_bag(pub: Publication, issue: PublicIssue, issue_pdfs: Path, out: Path, settings: Mapping[str, Any],
              cache: Path, source_commit: str = "") -> Path:
    """The package of `issue` at `out` (which must not exist), the issue PDF/As taken from the web root
    `issue_pdfs`. Validated before it is renamed into place."""
    import bagit

    work = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    generations.remove(work)
    work.mkdir(parents=True)
    try:
        payload: dict[str, Path] = {}  # path in the bag's payload → the file it copies
        for lang in GazetteConfig.from_settings(settings).langs:
            url = urls.issue_pdfa(issue.year, issue.number, lang)
            payload[f"issue/{Path(url).name}"] = issue_pdfs / urls.output_path(url)
        payload[f"sources/{issue.source}"] = pub.content_root / issue.source
        for doc in issue.documents():
            for path in doc.sources.values():
                payload[f"sources/{path}"] = pub.content_root / path
            for attachment in doc.attachments:
                payload[f"attachments/{attachment.file}"] = pub.content_root / attachment.file
        for image in [issue.cover_image, *(p.image for p in [*issue.inside_front, *issue.inside_back,
                                                              *issue.back_cover])]:
            if image:
                payload[f"photographs/{image.lstrip('/')}"] = pub.content_root / image.lstrip("/")
        for rel, source in payload.items():
            target = work / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink() or not source.is_file():
                raise ArchiveError(f"找不到 {source}：请先重新构建 / {source} is missing: build again first")
            if rel.startswith("sources/"):
                target.write_bytes(committed_source(source.read_bytes()))
            else:
                shutil.copyfile(source, target)
        for rel in render_document_pdfas(pub, issue, settings, cache, work):
            payload[rel] = work / rel
        digests = {rel: sha256_file(work / rel) for rel in sorted(payload)}
        metadata = work / "metadata"
        metadata.mkdir()
        for doc in issue.documents():
            files = {rel: digest for rel, digest in digests.items() if f"/{doc.slug}." in f"/{Path(rel).name}"
                     or any(rel == f"sources/{p}" for p in doc.sources.values())
                     or any(rel == f"attachments/{a.file}" for a in doc.attachments)}
            (metadata / f"{doc.slug}.json").write_text(
                json.dumps(_metadata(doc, files), ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        (metadata / "issue.json").write_text(json.dumps({
            "issue": issue.key, "year": issue.year, "number": issue.number, "total": issue.total,
            "date": issue.date.isoformat(), "source_commit": source_commit,
            "sections": [{"section": entry.id, "items": [d.slug for d in docs]} for entry, docs in issue.sections],
            "files": digests,
        }, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        name = settings.get("GAZETTE_NAME", {}).get("zh", "")
        bag = bagit.make_bag(str(work), {
            "Source-Organization": settings.get("GAZETTE_MASTHEAD", {}).get("editor", {}).get("zh", ""),
            "External-Identifier": f"{name} {issue.key}",
            "External-Description": f"{name} {issue.year}年第{issue.number}期（总第{issue.total}期）",
            "Bagging-Date": dt.date.today().isoformat(),
            **({"Gazette-Source-Commit": source_commit} if source_commit else {}),
        }, checksums=["sha256", "sha512"])
        bag.validate()
        os.replace(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return out


def _refuse(out: Path, folder: Path, what_zh: str, what_en: str) -> None:
    if out.resolve().is_relative_to(folder.resolve()):
        raise ArchiveError(f"--out {out} 位于{what_zh} {folder} 之下：归档包不得写在那里，请另选目录 / --out {out} is "
                           f"under the {what_en} {folder}: the package may not be written there; choose another "
                           f"folder")


def archive_command(args: argparse.Namespace) -> int:
    import bagit

    from .checks import check_content
    from .findings import count
    from .publication import build_publication
    from .settings import load_settings

    content, output, out = Path(args.content), Path(args.output), Path(args.out)
    match = ISSUE.match(args.issue)
    try:
        if match is None:
            raise ArchiveError(f"期号写作 YEAR-NN，如 2026-10 / write the issue as YEAR-NN, e.g. 2026-10: {args.issue}")
        _refuse(out, output, "构建输出目录（网站根目录）", "build output (the web root)")
        _refuse(out, content, "内容目录", "content folder")
        # The package holds every source as committed: never where a web server could publish it.
        if (refusal := out_refusal(out, output, ("归档包", "an archive package"), content)) is not None:
            raise ArchiveError(refusal)
        if out.exists() or out.is_symlink():
            raise ArchiveError(f"{out} 已存在：归档包从不覆盖已有目录 / {out} exists: a package never overwrites a "
                               f"folder")
        settings = load_settings(args.settings, {"PATH": str(content.resolve())})
        corpus, findings = check_content(content, settings)
        if count(findings)[0]:
            raise ArchiveError("内容检查有错误：请先运行 gazette check 并改正 / the content has errors: run "
                               "gazette check and fix them first")
        pub = build_publication(corpus, cache=output / ".cache")
        year, number = int(match.group(1)), int(match.group(2))
        issue = next((i for i in pub.issues if (i.year, i.number) == (year, number)), None)
        if issue is None:
            raise ArchiveError(f"没有已发布的 {args.issue} 期公报 / no published issue {args.issue}")
        files = [issue.source, *(p for d in issue.documents() for p in d.sources.values())]
        changed, commit = _uncommitted(content, files)
        if not commit:
            print(f"注意：内容目录 {content} 不在 git 工作区中：归档包不记录提交，也无法确认源文件都已提交 / note: the "
                  f"content folder {content} is not in a git work tree: the package records no commit, and cannot "
                  "tell that its sources were committed", file=sys.stderr)
        if changed:
            raise ArchiveError(f"以下文件有未提交的修改，归档包只收已提交的内容：{', '.join(changed)} / these files "
                               f"have changes not committed, and a package holds sources as committed: "
                               f"{', '.join(changed)}")
        if not (output / generations.CURRENT).is_dir():
            raise ArchiveError(f"{output} 中没有构建输出：请先运行 gazette build / no build in {output}: run gazette "
                               f"build first")
        try:  # the build's lock: no build switches the output while the package copies from it
            lock = generations.lock(output)
        except generations.BuildLocked:
            raise ArchiveError(f"构建正在进行：请等它结束后再写归档包 / a build of {output} is running: write the "
                               f"package when it has finished") from None
        try:
            current = output / generations.CURRENT
            record = generations.read_manifest(current).get("pdf")
            if record is None or record.fingerprint != pub.fingerprint():
                raise ArchiveError(f"{output} 中的 PDF 不是由当前内容生成的：请先运行 gazette build / the PDFs in "
                                   f"{output} were not made from the current content: run gazette build first")
            write_bag(pub, issue, current / "site", out, settings, output / ".cache", commit)
        finally:
            os.close(lock)
    except ArchiveError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"无法写出归档包：{exc.filename or out}（{exc.strerror}）；未留下任何部分 / cannot write the package: "
              f"{exc.filename or out} ({exc.strerror}); nothing of it was left", file=sys.stderr)
        return 1
    except bagit.BagValidationError as exc:
        print(f"归档包未通过 BagIt 校验，未写入：{exc} / the package failed BagIt validation and was not written: "
              f"{exc}", file=sys.stderr)
        return 1
    print(f"已写出归档包 {out}（BagIt，已校验）/ wrote the package {out} (BagIt, validated)", file=sys.stderr)
    return 0
