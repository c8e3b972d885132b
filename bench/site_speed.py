"""How fast is the site stage, and what does the Markdown cache save?

Generates N documents with the same generator as bench/check_speed.py, then, in one run, times:

  baseline   `check_content`: reading and checking the corpus (what every build does first)
  cold       `gazette build --only site` with an empty cache (Markdown rendered, every page written)
  warm       the same build again, nothing changed (Markdown from the cache, pages from the last build)
  one edit   the same build after one document's body changed (that document's pages are drawn again)

and prints pages per second and the ratios of the site builds to the baseline.

    .venv/bin/python bench/site_speed.py [--documents 3000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_speed import TODAY, generate
from gazette.build import build
from gazette.checks import check_content


def _timed(fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--keep", help="generate into this folder and keep it")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="site-bench-"))
    try:
        content = root / "content"
        if not content.is_dir():
            generate(content, args.documents)
        (_, findings), baseline = _timed(lambda: check_content(content, today=TODAY))
        errors = [f for f in findings if f.is_error]
        if errors:
            print(f"generated corpus has {len(errors)} errors, first: {errors[0].as_text()}", file=sys.stderr)
            return 1
        output = root / "build"
        shutil.rmtree(output, ignore_errors=True)
        devnull = open(os.devnull, "w")  # noqa: SIM115
        stderr, sys.stderr = sys.stderr, devnull
        try:
            code_cold, cold = _timed(lambda: build(content, output, ["site"], today=TODAY))
            code_warm, warm = _timed(lambda: build(content, output, ["site"], today=TODAY))
            edited = next(iter(sorted((content / "documents").rglob("*.zh.md"))))
            edited.write_text(edited.read_text(encoding="utf-8") + "\n本段为性能测试所加。\n", encoding="utf-8")
            code_edit, edit = _timed(lambda: build(content, output, ["site"], today=TODAY))
        finally:
            sys.stderr = stderr
        assert code_cold == code_warm == code_edit == 0
        pages = sum(1 for _ in (output / "site").rglob("*.html"))
        print(f"documents: {args.documents}, HTML pages: {pages}")
        print(f"baseline (check): {baseline:6.1f} s")
        print(f"site, cold cache: {cold:6.1f} s  ({cold / baseline:4.1f}× baseline, {pages / cold:6.0f} pages/s)")
        print(f"site, warm cache: {warm:6.1f} s  ({warm / baseline:4.1f}× baseline, {pages / warm:6.0f} pages/s)")
        print(f"site, one edit:   {edit:6.1f} s  ({edit / baseline:4.1f}× baseline)")
        print(f"cold / warm: {cold / warm:.2f}×, cold / one edit: {cold / edit:.2f}×")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
