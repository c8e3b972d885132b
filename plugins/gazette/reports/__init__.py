"""`gazette report …`: the editors' and the disclosure office's reports, one module each.

| report | module | what |
|---|---|---|
| late | `editors.py` | 主动公开 items published more than 20 working days after signing, per publisher |
| translations | `editors.py` | Tibetan translation coverage per gazette section and per publisher |
| requests | `requests.py` | open requests for information with their due dates, overdue first; late replies |
| chain | `chain.py` | the release chain (录入 → 初审 → 审核 → 审发) per publisher: on time, late, none |
| units | `units.py` | items per month per county and department, timeliness, translation, silent units |
| annual | `annual.py`, `annual_doc.py` | the annual report's tables 二, 三, 四; `--format doc` its skeleton |

Reports work on the whole content model (withheld items and the requests register count) and are
printed, or written where the office asks with --out, never under the build output folder or a web
root (`output.out_refusal`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..loader import load_corpus
from ..model import Corpus
from . import annual, chain, editors, requests, units
from .output import BUILD_FOLDER, Options, Rendered, out_refusal

__all__ = ["Options", "Rendered", "out_refusal", "render", "report_command"]

_RENDER = {"requests": requests.render, "chain": chain.render, "units": units.render, "annual": annual.render}


def render(kind: str, corpus: Corpus, options: Options) -> Rendered:
    if kind in _RENDER:
        return _RENDER[kind](corpus, options)
    return Rendered(editors.render(kind, corpus, options.fmt, options.year, options.as_of))


# The years and spans a report may be asked for: a calendar's dates stop at 9999, and a year 0 or 10000
# would fail deep inside one.
FIRST_YEAR, LAST_YEAR, MOST_MONTHS = 1900, 2999, 600


def _today() -> dt.date:
    # Looked up on the checks package at call time, so a test that fixes "today" for the checks fixes it here.
    from .. import checks

    return checks.beijing_today()


def _usage(args: argparse.Namespace) -> str | None:
    if args.format == "doc" and args.kind != "annual":
        return "--format doc 只用于 annual / --format doc is for the annual report only"
    if args.format == "doc" and args.out:
        return ("--format doc 把报告写入 content/documents/，不用 --out / --format doc writes into "
                "content/documents/; --out does not apply")
    if args.months is not None and not 1 <= args.months <= MOST_MONTHS:
        return f"--months 应在 1 到 {MOST_MONTHS} 之间 / --months is from 1 to {MOST_MONTHS}"
    if args.year is not None and not FIRST_YEAR <= args.year <= LAST_YEAR:
        return f"--year 应在 {FIRST_YEAR} 到 {LAST_YEAR} 之间 / --year is from {FIRST_YEAR} to {LAST_YEAR}"
    return None


def report_command(args: argparse.Namespace) -> int:
    # commands.md: a report exits 0, or 1 when it is refused (a usage error of the options' own kind is
    # argparse's 2).
    content = Path(args.content)
    if not content.is_dir():
        print(f"找不到内容目录 {content} / content folder not found: {content}", file=sys.stderr)
        return 1
    usage = _usage(args)
    if usage:
        print(usage, file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else None
    refusal = out_refusal(out, Path(getattr(args, "output", None) or BUILD_FOLDER), content=content) if out else None
    if refusal:
        print(refusal, file=sys.stderr)
        return 1
    corpus, problems = load_corpus(content)
    if problems:
        print(f"注意：{len(problems)} 个文件无法读取，未计入报表（运行 gazette check 查看）/ note: {len(problems)} "
              "files could not be read and are not counted (run gazette check)", file=sys.stderr)
    agency = args.agency
    if agency and agency not in corpus.registry.agencies:
        print(f"“{agency}”不在 registry/agencies.yml 中 / '{agency}' is not in registry/agencies.yml", file=sys.stderr)
        return 1
    options = Options(today=_today(), fmt=args.format, as_of=args.as_of, year=args.year, months=args.months or 3,
                      agency=agency, lang=args.lang)
    if args.format == "doc":
        return _write_doc(content, corpus, options)
    rendered = render(args.kind, corpus, options)
    for message in rendered.errors:
        print(f"错误 / error: {message}", file=sys.stderr)
    status = 1 if rendered.errors else 0
    if out is None:
        sys.stdout.write(rendered.text)
        return status
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        # CSV with a byte-order mark, so that spreadsheet programs open the Chinese text as UTF-8.
        out.write_text(rendered.text, encoding="utf-8-sig" if args.format == "csv" else "utf-8")
    except OSError as exc:
        print(f"无法写入 {out} / cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"已写入 {out} / written to {out}", file=sys.stderr)
    return status


def _write_doc(content: Path, corpus: Corpus, options: Options) -> int:
    from .annual_doc import Refused, write_skeleton

    year = options.year or options.today.year - 1
    try:
        paths = write_skeleton(content, corpus, year, options.agency, options.today)
    except Refused as exc:
        print(f"未写入：{exc.zh}\nnothing written: {exc.en}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"已写入 / written: {path}")
    print("待填写 / to fill in: 【待填…】 一、五、六, signed, published, secrecy, secrecy_review "
          "（gazette check 逐项列出 / gazette check lists each）")
    report = annual.annual_report(corpus, year, options.agency)
    errors = annual.uncounted_errors(report) + annual.balance_errors(report)
    for message in errors:
        print(f"错误 / error: {message}", file=sys.stderr)
    return 1 if errors else 0
