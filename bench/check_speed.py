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
import os
import random
import re
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


def incremental(root: Path, base: Path, t_full: float, rounds: int) -> None:
    """The incremental check of a build (`checks/incremental.py`): its cache filled once, then the same
    content again, then `rounds` times one public document's body edited, then one document that others
    link made 不予公开 and a new document added. Each check is given the content files' digests as the build
    gives them (made by `build_inputs.compute`, timed apart: a build makes them anyway, to see whether
    anything changed at all), and compared with a full check of the same content."""
    import statistics

    from gazette import build_inputs
    from gazette.checks import CheckContext, check_content
    from gazette.settings import load_settings

    cache = base / "check-cache"
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir()
    settings = load_settings(None, {"PATH": str(root)})

    def one(label: str, compare: bool = True) -> float:
        t_digest, inputs = _timed(lambda: build_inputs.compute(root, None, [], ["site"], TODAY.isoformat()))
        context = CheckContext(TODAY, settings)
        from gazette.checks import _load_rule_modules, _run
        from gazette.checks.incremental import check_incrementally
        from gazette.checks.rules import ordered_rules

        _load_rule_modules()
        t, (_, found) = _timed(lambda: check_incrementally(root, context, cache, ordered_rules(), _run,
                                                             inputs.content))
        same = ""
        if compare:
            full = check_content(root, settings, TODAY)[1]
            same = f"; same findings as a full check: {sorted(set(found), key=str) == sorted(full, key=str)}"
        info = context.cache
        print(f"incremental, {label:<34} {t:6.3f} s   ({t_full / t:5.1f}× faster than the full check; "
              f"digests {t_digest:.2f} s; read {info['units_read']}, judged {info['units_judged']}, "
              f"across {info['units_judged_across']} of {info['units_kept'] + info['units_judged']} units{same})")
        return t

    one("filling its cache:")
    one("nothing changed:")
    public = [p for p in sorted(root.glob("documents/*/*.zh.md")) if "disclosure: 主动公开" in p.read_text("utf-8")]
    edits = []
    for n in range(rounds):
        edited = public[(n * 997) % len(public)]
        edited.write_text(edited.read_text("utf-8") + f"\n补充说明第{n + 1}段。\n", encoding="utf-8")
        edits.append(one(f"one document's body edited ({n + 1}):", compare=n == 0))
    print(f"incremental, one edit, median of {rounds}:        {statistics.median(edits):6.3f} s   "
          f"({t_full / statistics.median(edits):.1f}× faster than the full check of this run)")
    linked = next(p for p in public if f"/{p.parent.name}/{p.name})" in "".join(
        q.read_text("utf-8") for q in public[-400:]))
    original = linked.read_text("utf-8")
    linked.write_text(original.replace("disclosure: 主动公开", "disclosure: 不予公开\nwithheld_reason: 内部事务信息"),
                      encoding="utf-8")
    one("a linked document made 不予公开:")
    linked.write_text(original, encoding="utf-8")
    one("the same made public again:", compare=False)
    text = re.sub(r"(?m)^doc_number: .*\n", "", public[0].read_text("utf-8"))
    text = re.sub(r"(?m)^(index_no: [^/]+/\d{4}-)\d{5}$", r"\g<1>99999", text)
    new = public[0].with_name("bench-new.zh.md")
    new.write_text(text.replace(f"slug: {public[0].name.split('.')[0]}", "slug: bench-new"), encoding="utf-8")
    one("a new document:")
    new.unlink()


def main() -> int:
    sys.path.insert(0, str(ROOT / "plugins"))
    from gazette.checks import check_content
    from gazette.findings import count

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--documents", type=int, default=10_000)
    ap.add_argument("--keep", help="generate into this folder and keep it")
    ap.add_argument("--rounds", type=int, default=3, help="edits timed in the incremental mode")
    ap.add_argument("--only-incremental", action="store_true",
                    help="with --keep: the corpus already there, no baselines; the full check still runs once")
    args = ap.parse_args()

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="gazette-bench-"))
    root = base / "content"
    try:
        print(f"load average {os.getloadavg()[0]:.1f}")
        if args.only_incremental and root.is_dir():
            t_check, (_, findings) = _timed(lambda: check_content(root, today=TODAY))
            print(f"check_content (full):                    {t_check:6.2f} s")
            incremental(root, base, t_check, args.rounds)
            return 0
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
        incremental(root, base, t_check, args.rounds)
        target = 10.0 * args.documents / 10_000
        verdict = "PASS" if t_check < target else "FAIL"
        print(f"target: under {target:.1f} s for {args.documents} documents: {verdict}")
        return 0 if t_check < target else 1
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
