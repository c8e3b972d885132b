"""The `gazette` command: check, build, serve, search, import, new, report, seal, archive."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import os
import sys
from pathlib import Path

from .findings import count, format_findings


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期写作 YYYY-MM-DD / write the date as YYYY-MM-DD: {value}") from None


def _check(args: argparse.Namespace) -> int:
    from .checks import check_content
    from .settings import load_settings

    content = Path(args.content)
    if not content.is_dir():
        print(f"找不到内容目录 {content} / content folder not found: {content}", file=sys.stderr)
        return 2
    _, findings = check_content(content, load_settings(args.settings), args.as_of)
    if findings:
        print(format_findings(findings, args.format))
    errors, warnings = count(findings)
    if args.format == "text":
        print(f"{errors} 个错误，{warnings} 个警告 / {errors} errors, {warnings} warnings", file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


def _build(args: argparse.Namespace) -> int:
    from .build import STAGES, build

    only = [s.strip() for s in args.only.split(",")] if args.only else list(STAGES)
    unknown = [s for s in only if s not in STAGES]
    if unknown:
        print(f"--only 只能取 {','.join(STAGES)} / --only takes {','.join(STAGES)}: {','.join(unknown)}",
              file=sys.stderr)
        return 2
    if args.verbose:
        import logging

        logging.basicConfig(format="%(name)s: %(message)s")
        logging.getLogger("pelican").setLevel(logging.INFO)
    if args.watch:
        from .watch import watch

        return watch(Path(args.content), Path(args.output), only, args.settings, args.as_of, args.verbose,
                     force=args.force, renew=_start_afresh)
    return build(Path(args.content), Path(args.output), only, args.settings, args.as_of, args.verbose,
                 force=args.force)


def _start_afresh() -> None:
    """Replace this process with the same command (a watch whose memory has grown: `watch.RENEW_AFTER_MB`);
    its first build finds nothing changed. `--force` is not repeated."""
    import os

    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [arg for arg in sys.orig_argv if arg != "--force"])


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(Path(args.output), args.port, args.host, args.settings)


def _search(args: argparse.Namespace) -> int:
    from .search.cli import search_command

    return search_command(args)


def _report(args: argparse.Namespace) -> int:
    from .reports import report_command

    return report_command(args)


def _import(args: argparse.Namespace) -> int:
    from .word.command import import_command

    return import_command(args)


def _new(args: argparse.Namespace) -> int:
    from .new_document import new_command

    return new_command(args)


def _seal(args: argparse.Namespace) -> int:
    from .seal_command import seal_output

    return seal_output(Path(args.content), Path(args.output), args.settings)


def _archive(args: argparse.Namespace) -> int:
    from .archive import archive_command

    return archive_command(args)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gazette", description="甘孜州政府公报与政府信息公开发布系统 / "
                                "gazette and disclosure publishing")
    sub = p.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="检查内容 / check the content")
    check.add_argument("--content", default="content")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="警告也算失败 / warnings fail too")
    check.add_argument("--settings", help="pelicanconf.py or publishconf.py")
    check.add_argument("--as-of", type=_date, help="按该日检查日期（默认今天，北京时间）/ judge dates as of this day")
    check.set_defaults(func=_check)

    build = sub.add_parser("build", help="检查并构建网站、PDF、检索索引 / check, then build site, PDFs, index")
    build.add_argument("--content", default="content")
    build.add_argument("--output", default="build")
    build.add_argument("--only", help="site,pdf,search")
    build.add_argument("--settings", help="pelicanconf.py or publishconf.py")
    build.add_argument("--verbose", "-v", action="store_true",
                       help="每个警告和 Pelican 的详细日志 / every warning, and Pelican's own log")
    build.add_argument("--as-of", type=_date, help="按该日检查日期（默认今天，北京时间）/ judge dates as of this day")
    build.add_argument("--force", action="store_true",
                       help="即使无变化也重新检查和生成 / check and write again even when nothing changed")
    build.add_argument("--watch", action="store_true",
                       help="构建后监视内容、设置和主题，有修改即在同一进程中重新构建 / after building, build "
                            "again in the same process whenever the content, the settings or the theme change")
    build.set_defaults(func=_build)

    serve = sub.add_parser("serve", help="本地预览 / preview on localhost")
    serve.add_argument("--output", default="build")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--settings", default=None, help="设置文件 / settings file (for the search pages)")
    serve.set_defaults(func=_serve)

    search = sub.add_parser("search", help="检索 / search the built index")
    search.add_argument("query")
    search.add_argument("--lang", choices=("zh", "bo"))
    search.add_argument("--output", default="build")
    search.set_defaults(func=_search)

    word = sub.add_parser("import", help="导入 Word 公文 / import a Word document (.docx)")
    word.add_argument("file", help="FILE.docx")
    word.add_argument("--content", default="content")
    word.add_argument("--lang", choices=("zh", "bo"), default="zh",
                      help="bo: 作为已有原文的藏文译文 / as the Tibetan translation of an existing original")
    word.add_argument("--slug", help="默认由发文机关和文号生成 / default: from the issuer and the document number")
    word.add_argument("--attach", nargs="+", action="extend", metavar="FILE",
                      help="附件说明所列的附件文件 / the files the 附件说明 lists")
    word.set_defaults(func=_import)

    new = sub.add_parser("new", help="新建文件框架 / a new document's skeleton")
    new.add_argument("issuer", help="registry/agencies.yml 中的 id / an agency id")
    new.add_argument("--content", default="content")
    new.add_argument("--slug", help="默认为 <issuer>-<今天> / default: <issuer>-<today>")
    new.set_defaults(func=_new)

    report = sub.add_parser("report", help="编辑和公开办的报表 / the editors' and the disclosure office's reports")
    report.add_argument("kind", choices=("late", "translations", "requests", "chain", "units", "annual"))
    report.add_argument("--content", default="content")
    report.add_argument("--format", choices=("text", "json", "csv", "doc"), default="text",
                        help="doc：annual 写出年度报告文件 / doc: annual writes the report's document")
    report.add_argument("--year", type=int, help="年份 / the year (annual: default last year; units: this year)")
    report.add_argument("--as-of", type=_date, help="requests、units 按该日计算（默认今天）/ as of this day")
    report.add_argument("--months", type=int, help="units：几个月没有发布算沉默（默认 3）/ months of silence (3)")
    report.add_argument("--agency", help="annual：只统计该机构 / annual: this agency alone (registry id)")
    report.add_argument("--lang", choices=("zh", "bo"), default="zh", help="annual：表格标签的语言 / labels' language")
    report.add_argument("--out", help="写入文件（不得在构建输出目录或网站根目录下）/ write to this file "
                        "(never under the build output or a web root)")
    report.add_argument("--output", default="build",
                        help="构建输出目录，报表不写在其下 / the build output, which --out must stay out of")
    report.set_defaults(func=_report)
    seal = sub.add_parser("seal", help="为已构建的 PDF 加盖电子印章（PAdES）/ seal the built PDFs (PAdES)")
    seal.add_argument("--output", default="build")
    seal.add_argument("--content", default="content", help="盖章后重新构建所用的内容 / the content the build after "
                      "sealing reads")
    seal.add_argument("--settings", help="pelicanconf.py or publishconf.py (GAZETTE_SEAL)")
    seal.set_defaults(func=_seal)

    archive = sub.add_parser("archive", help="写出一期公报的归档包（BagIt）/ write an issue's archive package (BagIt)")
    archive.add_argument("issue", help="YEAR-NN，如 2026-10 / e.g. 2026-10")
    archive.add_argument("--out", required=True, help="归档包目录（不得在网站根目录或构建输出目录下）/ the package's "
                         "folder (never under the web root or the build output)")
    archive.add_argument("--content", default="content")
    archive.add_argument("--output", default="build")
    archive.add_argument("--settings", help="pelicanconf.py or publishconf.py")
    archive.set_defaults(func=_archive)
    return p


def tune_process() -> None:
    """A command is one short process that makes hundreds of thousands of objects (the corpus, the check's
    records, the Publication) and keeps most of them to its end. Python's collector, run every 700 new
    objects, walked them again and again: a fifth of an incremental check at 10,000 documents. Cycles are
    still collected, a hundred times less often."""
    gc.set_threshold(100_000, 50, 100)


def main(argv: list[str] | None = None) -> int:
    tune_process()
    p = parser()
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    from .config import ConfigError

    try:
        return int(args.func(args))
    except ConfigError as exc:  # settings a command cannot work with: said, not a traceback
        print(f"gazette {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader of the output went away (`gazette report … | head`): nothing to say
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 141


if __name__ == "__main__":
    sys.exit(main())
