"""How fast are the gazette PDFs, and how much does the cache save?

Generates a gazette year in a temporary folder (default 3 issues of 8 documents each, every document in
Chinese and Tibetan, several pages long, with photographs), or uses an existing content folder
(--content content), then times in the same run, through the real build stage (gazette.pdf.build):

  full       a rebuild with an empty cache: every issue edition, its PDF/A copy, every document PDF
  unchanged  the same build again: nothing changed, so nothing is rendered (copied from the cache)
  one edit   one translation changed: that document's PDF and its issue's edition in that language are
             rendered again

and prints seconds per PDF page and per issue edition, and the ratio full / unchanged.

    .venv/bin/python bench/pdf_speed.py [--issues 3] [--documents 8] [--content DIR] [--workers N]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from factory import ContentFactory  # noqa: E402
from gazette.loader import load_corpus  # noqa: E402
from gazette.pdf.build import PdfReport, build_pdfs  # noqa: E402
from gazette.publication import build_publication  # noqa: E402
from gazette.settings import load_settings  # noqa: E402
from gazette.stages import BuildDirs  # noqa: E402

ZH = ["各县（市）人民政府，州级各部门：", "为深入贯彻落实党中央、国务院决策部署，",
      "进一步加强政府信息公开工作，", "切实保障人民群众的知情权、参与权和监督权，",
      "结合我州实际，现将有关事项通知如下。", "全州共完成投资12.5亿元，同比增长8.3%，",
      "加快推进乡村振兴和牧区现代化建设，", "巩固拓展脱贫攻坚成果，"]
BO = ["བོད", "ཡིག", "སྲིད", "གཞུང", "ཁུལ", "དཀར", "མཛེས", "མི", "དམངས", "ལས", "དོན", "འཕྲིན", "བསྒྲགས",
      "སྤྱི", "ཚོགས", "འཕེལ", "རྒྱས", "སློབ", "གསོ", "ཞིབ", "བཤེར", "བྱེད", "རྒྱུ", "གྲོས", "ཆོད"]
SECTIONS = ["governor-speech", "prefecture-documents", "office-documents", "work-research"]


def _zh_body(rng: random.Random, paragraphs: int) -> str:
    parts = []
    for i in range(paragraphs):
        if i % 4 == 0:
            parts.append(f"## {'一二三四五六七八九十'[i // 4 % 10]}、工作要求")
        parts.append("".join(rng.choice(ZH) for _ in range(rng.randint(5, 9))).rstrip("，") + "。")
    return "\n\n".join(parts) + "\n"


def _bo_body(rng: random.Random, paragraphs: int) -> str:
    return "\n\n".join("་".join(rng.choice(BO) for _ in range(rng.randint(40, 70))) + "།"
                       for _ in range(paragraphs)) + "\n"


def _jpeg(rng: random.Random) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), tuple(rng.randrange(256) for _ in range(3))).save(buffer, "JPEG")
    return buffer.getvalue()


def generate(root: Path, issues: int, documents: int) -> Path:
    rng = random.Random(8)
    content = ContentFactory(root / "content")
    for number in range(1, issues + 1):
        slugs = []
        for i in range(documents):
            slug = f"bench-{number:02d}-{i:02d}"
            month = f"2026-{number:02d}"
            content.document(slug, body=_zh_body(rng, rng.randint(6, 16)), signed=f"{month}-02",
                             published=f"{month}-04",
                             secrecy_review={"by": "州政府办公室保密审查小组", "date": f"{month}-03"})
            content.translation(slug, body=_bo_body(rng, rng.randint(4, 10)))
            slugs.append(slug)
        folder = f"images/gazette/2026-{number:02d}"
        for name in ("cover", "a", "b", "back"):
            content.write(f"{folder}/{name}.jpg", _jpeg(rng))
        per = -(-documents // len(SECTIONS))
        content.issue(2026, number, total=number, sections=[
            {"section": s, "items": slugs[k * per:(k + 1) * per]} for k, s in enumerate(SECTIONS)
            if slugs[k * per:(k + 1) * per]], cover_image=f"{folder}/cover.jpg",
            inside_front=[{"image": f"{folder}/a.jpg", "zh": "州长调研", "bo": "ཞིབ་བཤེར།"}],
            inside_back=[{"image": f"{folder}/b.jpg", "zh": "丹巴", "bo": "རོང་བྲག"}],
            back_cover={"image": f"{folder}/back.jpg", "zh": "贡嘎山", "bo": "མི་ཉག་གངས་དཀར།"})
    return content.root


def run(content: Path, output: Path, settings: dict) -> tuple[PdfReport, float]:
    publication = build_publication(load_corpus(content)[0])
    dirs = BuildDirs(site=output / "site", search_index=output / "search-index", cache=output / ".cache",
                     previous=output)
    dirs.site.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    report = build_pdfs(publication, dirs, settings, lambda message: None)
    return report, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=3)
    parser.add_argument("--documents", type=int, default=8, help="documents per issue")
    parser.add_argument("--content", help="an existing content folder instead of a generated one")
    parser.add_argument("--workers", type=int, help="processes (default: the machine's cores)")
    args = parser.parse_args()
    settings = load_settings()
    if args.workers:
        settings["GAZETTE_PDF_WORKERS"] = args.workers
    with tempfile.TemporaryDirectory() as folder:
        content = Path(args.content).resolve() if args.content else generate(Path(folder), args.issues,
                                                                            args.documents)
        output = Path(folder) / "build"
        full, full_s = run(content, output, settings)
        unchanged, unchanged_s = run(content, output, settings)
        pages = sum(r.pages for r in full.rendered)
        issue_renders = [r for r in full.rendered if r.name[:4].isdigit()]
        render_s = sum(r.seconds for r in full.rendered)
        print(f"content: {content if args.content else 'generated'}; {len(full.rendered)} renders "
              f"({len(issue_renders)} issue editions), {len(full.files)} PDF files, {pages} pages, "
              f"{os.cpu_count()} cores")
        print(f"full rebuild        {full_s:7.2f} s   ({pages / full_s:.1f} pages/s wall, "
              f"{render_s / pages:.3f} s/page of one process's rendering time)")
        if issue_renders:
            per_issue = sum(r.seconds for r in issue_renders) / len(issue_renders)
            issue_pages = sum(r.pages for r in issue_renders) / len(issue_renders)
            print(f"per issue edition   {per_issue:7.2f} s   ({issue_pages:.0f} pages; the PDF and its "
                  "PDF/A-3b copy from one layout)")
        print(f"nothing changed     {unchanged_s:7.2f} s   ({len(unchanged.rendered)} renders, "
              f"{len(unchanged.cached)} from the cache)")
        print(f"ratio full / unchanged: {full_s / unchanged_s:.1f}×")
        if not args.content:
            translation = content / "documents" / "2026" / "bench-01-00.bo.md"
            translation.write_text(translation.read_text(encoding="utf-8") + "\nབསྐྱར་ཞིབ།\n", encoding="utf-8")
            edited, edited_s = run(content, output, settings)
            print(f"one translation     {edited_s:7.2f} s   ({len(edited.rendered)} renders: "
                  f"{', '.join(sorted(r.name for r in edited.rendered))})")
        return 0


if __name__ == "__main__":
    sys.exit(main())
