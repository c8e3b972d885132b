"""How fast is `gazette check` on a large content folder?

Generates N documents (default 10,000: a realistic mix of disclosure attributes, drafts, document
numbers, Tibetan translations, attachments, links between documents, gazette issues and pages) in a
temporary folder, then times, in the same run:

  baseline 1  reading every file's bytes                      (what any checker must at least do)
  baseline 2  reading + parsing the YAML front matter only    (what any metadata checker must do)
  check       `check_content`: reading, the model, every rule

and prints the figures with the ratios of the check to the baselines. Target: 10,000 documents
in under 10 seconds on a 2-core machine.

    .venv/bin/python bench/check_speed.py [--documents 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 22)  # the generated corpus is dated against this day

ZH_PHRASES = [
    "各县（市）人民政府，州级各部门：", "为深入贯彻落实党中央、国务院决策部署，",
    "进一步加强政府信息公开工作，", "切实保障人民群众的知情权、参与权和监督权，",
    "结合我州实际，现将有关事项通知如下。", "坚持以公开为常态、不公开为例外，",
    "推进决策、执行、管理、服务、结果公开，", "各地各部门要高度重视，明确责任分工，",
    "按照“谁制作、谁公开”的原则，",
    "于每月25日前报送州政府办公室。", "本通知自印发之日起施行。", "全州共完成投资12.5亿元，同比增长8.3%，",
    "会议于上午10:30在州政府三楼会议室召开，", "联系电话：0836-2822114。", "详见附件1。",
    "加快推进乡村振兴和牧区现代化建设，", "巩固拓展脱贫攻坚成果，", "做好森林草原防灭火工作，",
]
TOPICS = ["政府信息公开", "森林草原防火", "乡村振兴", "统计调查"]
TABLE = ("| 县（市） | 完成数 | 占比 |\n| --- | ---: | ---: |\n"
         "| 康定市 | 120 | 12.5% |\n| 泸定县 | 98 | 9.8% |\n")
BO_SYLLABLES = ["བོད", "ཡིག", "སྲིད", "གཞུང", "ཁུལ", "དཀར", "མཛེས", "མི", "དམངས", "ལས", "དོན", "ཆ", "འཕྲིན",
                "གསལ", "བསྒྲགས", "སྤྱི", "ཚོགས", "འཕེལ", "རྒྱས", "སློབ", "གསོ", "ཞིབ", "བཤེར", "བྱེད", "པ",
                "ཡོད", "རེད", "དང", "གི", "ལ", "ཀྱི", "ནས", "ཐོག", "རྒྱུ", "གྲོས", "ཆོད"]


def _zh_paragraph(rng: random.Random) -> str:
    return "".join(rng.choice(ZH_PHRASES) for _ in range(rng.randint(3, 8))).rstrip("，") + "。"


def _bo_paragraph(rng: random.Random) -> str:
    clauses = ["་".join(rng.choice(BO_SYLLABLES) for _ in range(rng.randint(4, 12))) + "།"
               for _ in range(rng.randint(2, 6))]
    return " ".join(clauses)


def _front(meta: dict[str, object]) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n"


def generate(root: Path, count: int, seed: int = 20261122) -> None:
    """A content folder with `count` documents (originals), about half translated into Tibetan."""
    rng = random.Random(seed)
    shutil.copytree(ROOT / "content" / "registry", root / "registry")
    agencies = yaml.safe_load((root / "registry" / "agencies.yml").read_text(encoding="utf-8"))
    catalogue = yaml.safe_load((root / "registry" / "catalogue.yml").read_text(encoding="utf-8"))
    leaves = [c["id"] for node in catalogue for c in node["children"]]
    genres = ["notice", "opinion", "decision", "announcement", "reply", "letter", "report", "plan"]
    serial: dict[tuple[str, int], int] = {}
    public_translated: dict[int, list[tuple[str, str]]] = {}
    previous: list[str] = []
    for n in range(count):
        year = 2018 + n * 9 // count  # 2018 … 2026, oldest first
        month, day = rng.randint(1, 10 if year == 2026 else 12), rng.randint(1, 28)
        signed = f"{year}-{month:02d}-{day:02d}"
        published = f"{year}-{month:02d}-{min(28, day + rng.randint(0, 6)):02d}"
        if month < 10 and rng.random() < 0.02:  # now and then a late one (a DATE-LATE warning)
            published = f"{year}-{month + 2:02d}-{day:02d}"
        review = signed
        agency = rng.choice(agencies)
        key = (agency["id"], year)
        serial[key] = serial.get(key, 0) + 1
        slug = f"{agency['id']}-{year}-{serial[key]}"
        roll = rng.random()
        disclosure = "主动公开" if roll < 0.8 else ("依申请公开" if roll < 0.92 else "不予公开")
        meta: dict[str, object] = {
            "title": f"{agency['zh']}关于做好{rng.choice(TOPICS)}工作的通知",
            "slug": slug, "lang": "zh", "genre": rng.choice(genres), "issuer": [agency["id"]],
            "signed": signed, "published": published,
            "index_no": f"{agency['org_code']}/{year}-{serial[key]:05d}",
            "catalogue": rng.choice(leaves),
            "keywords": ["政府信息公开", "通知"],
            "summary": "要求各县、各部门按时录入、审核、发布应主动公开的政府信息，并明确责任分工和报送时间。",
            "disclosure": disclosure, "secrecy": "非涉密",
        }
        if agency.get("code_prefix") and rng.random() < 0.7:
            meta["doc_number"] = f"{agency['code_prefix']}发〔{year}〕{serial[key]}号"
        if disclosure != "不予公开":
            meta["secrecy_review"] = {"by": "州政府办公室保密审查小组", "date": review}
        else:
            meta["withheld_reason"] = rng.choice(["内部事务信息", "过程性信息", "个人隐私"])
        if rng.random() < 0.03:
            meta["status"] = "draft"
        paragraphs = [_zh_paragraph(rng) for _ in range(rng.randint(4, 16))]
        body = "## 一、总体要求\n\n" + "\n\n".join(paragraphs[: len(paragraphs) // 2])
        steps = paragraphs[len(paragraphs) // 2:]
        body += "\n\n## 二、工作措施\n\n" + "\n".join(f"{i}. {p}" for i, p in enumerate(steps, 1))
        if rng.random() < 0.1:
            body += "\n\n" + TABLE
        public = disclosure == "主动公开" and "status" not in meta
        if public and previous and rng.random() < 0.15:
            target = rng.choice(previous)
            body += f"\n\n参见[相关文件]({{filename}}/documents/{target}.zh.md)。\n"
        if public and rng.random() < 0.1:
            att = f"attachments/{year}/{slug}/附件1.pdf"
            (root / att).parent.mkdir(parents=True, exist_ok=True)
            (root / att).write_bytes(b"%PDF-1.4\n%%EOF\n")
            meta["attachments"] = [{"file": att, "title": "附件1"}]
        folder = root / "documents" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug}.zh.md").write_text(_front(meta) + body + "\n", encoding="utf-8")
        if public:
            previous.append(f"{year}/{slug}")
        if disclosure != "不予公开" and rng.random() < 0.55:
            bo_title = "་".join(rng.choice(BO_SYLLABLES) for _ in range(8)) + "།"
            bo = {"title": bo_title, "slug": slug, "lang": "bo"}
            bo_body = "\n\n".join(_bo_paragraph(rng) for _ in range(len(paragraphs)))
            (folder / f"{slug}.bo.md").write_text(_front(bo) + bo_body + "\n", encoding="utf-8")
            if public:
                public_translated.setdefault(year, []).append((slug, signed))
    total = 0
    for year in sorted(public_translated):
        items = public_translated[year]
        for number in range(1, 11 if year == 2026 else 13):
            chosen = [slug for slug, signed in items if int(signed[5:7]) == number][:12]
            if not chosen:
                continue
            total += 1
            issue = {"year": year, "number": number, "total": total, "date": f"{year}-{number:02d}-28",
                     "status": "published",
                     "sections": [{"section": "prefecture-documents", "items": chosen}]}
            path = root / "gazette" / str(year) / f"{year}-{number:02d}.yml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pages = root / "pages"
    pages.mkdir()
    for name, zh in (("about", "关于本刊"), ("guide", "政府信息公开指南"), ("request", "依申请公开")):
        (pages / f"{name}.zh.md").write_text(_front({"title": zh, "slug": name, "lang": "zh"})
                                             + _zh_paragraph(rng) + "\n", encoding="utf-8")
        (pages / f"{name}.bo.md").write_text(_front({"title": "གསལ་བསྒྲགས།", "slug": name, "lang": "bo"})
                                             + _bo_paragraph(rng) + "\n", encoding="utf-8")


def _timed(fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def read_bytes_only(root: Path) -> int:
    return sum(len(p.read_bytes()) for p in root.rglob("*.md"))


def parse_yaml_only(root: Path) -> int:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    parsed = 0
    for p in root.rglob("*.md"):
        text = p.read_text(encoding="utf-8")
        _, front, _ = text.split("---\n", 2)
        yaml.load(front, Loader=loader)
        parsed += 1
    return parsed


def main() -> int:
    sys.path.insert(0, str(ROOT / "plugins"))
    from gazette.checks import check_content
    from gazette.findings import count

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--documents", type=int, default=10_000)
    ap.add_argument("--keep", help="generate into this folder and keep it")
    args = ap.parse_args()

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="gazette-bench-"))
    root = base / "content"
    try:
        if root.exists():
            shutil.rmtree(root)
        t_gen, _ = _timed(lambda: generate(root, args.documents))
        files = sum(1 for _ in root.rglob("*.md"))
        print(f"generated {args.documents} documents ({files} Markdown files) in {t_gen:.1f} s: {root}")
        t_bytes, size = _timed(lambda: read_bytes_only(root))
        t_yaml, _ = _timed(lambda: parse_yaml_only(root))
        t_check, (_, findings) = _timed(lambda: check_content(root, today=TODAY))
        errors, warnings = count(findings)
        print(f"baseline, read bytes ({size / 1e6:.1f} MB): {t_bytes:6.2f} s")
        print(f"baseline, parse YAML only (libyaml):     {t_yaml:6.2f} s")
        print(f"check_content:                           {t_check:6.2f} s   "
              f"({t_check / t_bytes:.1f}× read bytes, {t_check / t_yaml:.1f}× parse YAML)")
        print(f"findings: {errors} errors, {warnings} warnings (the generated content is valid; some are late)")
        for f in findings[:2]:
            print("  ", f.as_text()[:150], "…")
        # The incremental check of a build (`checks/incremental.py`): the cache filled once, then the
        # same content again, then after one public document's body changed.
        cache = base / "check-cache"
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir()
        t_fill, _ = _timed(lambda: check_content(root, today=TODAY, cache=cache))
        t_same, (_, same) = _timed(lambda: check_content(root, today=TODAY, cache=cache))
        edited = next(p for p in sorted(root.glob("documents/*/*.zh.md")) if "主动公开" in p.read_text("utf-8"))
        edited.write_text(edited.read_text("utf-8") + "\n补充说明一段。\n", encoding="utf-8")
        t_edit, (_, after) = _timed(lambda: check_content(root, today=TODAY, cache=cache))
        print(f"incremental check, filling its cache:    {t_fill:6.2f} s")
        print(f"incremental check, nothing changed:      {t_same:6.2f} s   ({t_check / t_same:.1f}× faster than "
              f"check_content)")
        print(f"incremental check, one document edited:  {t_edit:6.2f} s   ({t_check / t_edit:.1f}× faster; "
              f"same findings as the full check: {sorted(same, key=str) == sorted(findings, key=str)})")
        target = 10.0 * args.documents / 10_000
        verdict = "PASS" if t_check < target else "FAIL"
        print(f"target: under {target:.1f} s for {args.documents} documents: {verdict}")
        return 0 if t_check < target else 1
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
