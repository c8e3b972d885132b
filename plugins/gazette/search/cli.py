"""`gazette search QUERY [--lang zh|bo] [--output DIR]`: the built index, from the terminal.

One line a hit: the page's URL path (it contains the slug), a tab, the title. What is wrong with a query,
or a missing index, is said on stderr in Chinese and English.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..settings import load_settings
from .build import INDEX_FOLDER
from .engine import EngineMismatch, engine_setting, open_index
from .query import MAX_PAGE_SIZE, parse_request, run


def _unreadable(folder: Path, exc: Exception) -> int:
    print(f"检索索引 {folder} 无法读取（{type(exc).__name__}），请重新运行 gazette build / the search index in "
          f"{folder} cannot be read ({type(exc).__name__}): run gazette build again", file=sys.stderr)
    return 1


def search_command(args: argparse.Namespace) -> int:
    folder = Path(args.output) / INDEX_FOLDER
    settings = load_settings(getattr(args, "settings", None))
    fast = bool(settings.get("GAZETTE_SEARCH_FAST_PATH", True))
    try:
        index = open_index(folder, engine_setting(settings), fast=fast)
    except EngineMismatch as exc:
        print(exc, file=sys.stderr)
        return 1
    except Exception as exc:  # damaged on disk (see below)
        return _unreadable(folder, exc)
    if index is None:
        print(f"找不到检索索引 {folder}，请先运行 gazette build / "
              f"no search index in {folder}: run gazette build first", file=sys.stderr)
        return 1
    params = {"q": args.query, "size": str(MAX_PAGE_SIZE)}
    if args.lang:
        params["lang"] = args.lang
    try:
        results = run(index, parse_request(params, facets=index.facets))
    except Exception as exc:  # an index damaged on disk fails inside the engine, in any of its ways
        return _unreadable(folder, exc)
    for problem in results.problems:
        print(f"{problem.zh} / {problem.en}", file=sys.stderr)
    if any(p.fatal for p in results.problems):
        return 2
    for hit in results.hits:
        print(f"{hit.url}\t{hit.title}")
    shown = len(results.hits)
    more = f"（仅列出前 {shown} 条）/ (first {shown} shown)" if results.total > shown else ""
    print(f"{results.total} 条结果{more} / {results.total} results", file=sys.stderr)
    return 0
