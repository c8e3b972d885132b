"""The project's build against Hugo and vanilla Pelican on the same bilingual documents.

Generates N documents with bench/check_speed.py's generator (the project's own content format: disclosure
attributes, drafts, document numbers, Tibetan translations, links, issues), converts the published ones for
Hugo (`.zh.md`/`.bo.md` in one multilingual site) and for vanilla Pelican (`lang` metadata, translations
paired by slug), each with a minimal theme of bench/compare/: a page per document and language, a list per
language. Then, in one run, interleaved (each system in turn in every round), it times for every system:

  cold      an empty output folder and cache
  nothing   the same build again, nothing changed
  one edit  the same build after one document's Chinese body changed (a paragraph added)
  edit again  the next edit of the same document, 11 s later (an editor's next commit: the project's
            first build after a cold one writes a new output tree, the next ones update the spare tree)

and prints the medians over the rounds (wall time, CPU time, peak memory of the process tree: the sum of
the proportional set sizes of the build's processes, sampled, so that pages forked processes share count
once; or the largest one's maximum resident set if higher), with the
ratios project / Hugo and project / Pelican. The project's side is `gazette build --only site` (the check
included: every build runs it). Its full build (site, PDFs, search index) is timed once beside them, on
`--full-documents` documents (PDFs are a render each: thousands at 10,000 documents), with the time per
PDF page. `--stages` then times where the project's nothing-changed and one-edit builds spend their time.

Hugo is the Debian package, installed here with apt-get when missing (the product's set-up never installs
it); without apt the bench says so and leaves Hugo out. Pelican is the version the project pins, in a
virtualenv of its own (`--pelican-venv`, made on first use).

    .venv/bin/python bench/compare.py [--documents 10000] [--rounds 3] [--systems project,hugo,pelican]
                                      [--full-documents 1000] [--stages] [--stage-runs 1]
                                      [--stages-only site] [--keep DIR] [--pelican-venv DIR]

bench/README.md ("Compared with Hugo and Pelican") says how to run it again on a kept corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from check_speed import TODAY, generate  # noqa: E402

SYSTEMS = ("project", "hugo", "pelican")
# "edit again": the next edit, an editor's next commit: the project's first edit after a cold build has no
# spare tree to update and writes a new one; from the second on it updates the spare (generations.py).
KINDS = ("cold", "nothing", "edit", "edit again")
NEXT_COMMIT = 11.0  # seconds before "edit again": past generations.REMOVAL_GRACE
LANGS = ("zh", "bo")
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LINK = re.compile(r"\(\{filename\}/documents/\d{4}/([^/)]+)\.zh\.md\)")
UNTRANSLATED_BO = "ཡིག་ཆ་འདི་ད་དུང་བོད་ཡིག་ཏུ་བསྒྱུར་མེད། (本文件尚无藏文译本)"
ON_REQUEST = "本文件依申请公开，正文不在网上公开。"


# --- the corpus and its conversion -------------------------------------------------------------------


@dataclass
class Document:
    """A published document as the three systems show it: metadata, and a body per language."""

    year: str
    slug: str
    meta: dict[str, object]
    bodies: dict[str, tuple[str, str]] = field(default_factory=dict)  # lang → (title, Markdown)


def _split(path: Path) -> tuple[dict[str, object], str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.load(front, Loader=LOADER), body


def published_documents(content: Path) -> list[Document]:
    """The documents the project publishes (not drafts, not 不予公开), each with a page per language: the
    body of a 主动公开 text, a notice for one on request, and for a text not yet translated a notice in
    Tibetan (the project shows such a page too)."""
    documents = []
    for path in sorted((content / "documents").glob("*/*.zh.md")):
        meta, body = _split(path)
        if meta.get("status") == "draft" or meta.get("disclosure") == "不予公开":
            continue
        doc = Document(path.parent.name, str(meta["slug"]), meta)
        shown = meta["disclosure"] == "主动公开"
        doc.bodies["zh"] = (str(meta["title"]), body if shown else ON_REQUEST + "\n")
        bo_path = path.with_name(f"{doc.slug}.bo.md")
        if shown and bo_path.exists():
            bo_meta, bo_body = _split(bo_path)
            doc.bodies["bo"] = (str(bo_meta["title"]), bo_body)
        else:
            doc.bodies["bo"] = (str(meta["title"]), (UNTRANSLATED_BO if shown else ON_REQUEST) + "\n")
        documents.append(doc)
    return documents


def _shown_meta(doc: Document) -> dict[str, str]:
    meta = doc.meta
    shown = {"signed": str(meta["signed"]), "index_no": str(meta["index_no"]),
             "issuer": "、".join(map(str, meta["issuer"])), "disclosure": str(meta["disclosure"])}
    if meta.get("doc_number"):
        shown["doc_number"] = str(meta["doc_number"])
    return shown


def hugo_file(root: Path, doc: Document, lang: str) -> Path:
    return root / "content" / "documents" / doc.year / f"{doc.slug}.{lang}.md"


def pelican_file(root: Path, doc: Document, lang: str) -> Path:
    return root / "content" / "documents" / doc.year / f"{doc.slug}.{lang}.md"


def write_hugo(root: Path, documents: list[Document]) -> None:
    """Hugo's multilingual content: `slug.zh.md` and `slug.bo.md` side by side, YAML front matter."""
    shutil.copy(BENCH / "compare" / "hugo" / "config.toml", root / "config.toml")
    shutil.copytree(BENCH / "compare" / "hugo" / "layouts", root / "layouts", dirs_exist_ok=True)
    for lang, title in (("zh", "文件"), ("bo", "ཡིག་ཆ།")):
        index = root / "content" / "documents" / f"_index.{lang}.md"
        index.parent.mkdir(parents=True, exist_ok=True)
        index.write_text(f"---\ntitle: {title}\n---\n", encoding="utf-8")
    for doc in documents:
        for lang, (title, body) in doc.bodies.items():
            front = {"title": title, "slug": doc.slug, "date": str(doc.meta["published"]), **_shown_meta(doc)}
            body = LINK.sub(rf"(/{lang}/documents/\1/)", body)
            path = hugo_file(root, doc, lang)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
                            + "---\n" + body, encoding="utf-8")


def write_pelican(root: Path, documents: list[Document]) -> None:
    """Pelican's Markdown with its own metadata lines; the Tibetan text is the Chinese one's translation
    by slug (ARTICLE_TRANSLATION_ID), links stay Pelican's `{filename}` links."""
    for doc in documents:
        for lang, (title, body) in doc.bodies.items():
            meta = {"Title": title, "Slug": doc.slug, "Lang": lang, "Date": str(doc.meta["published"]),
                    **{key.capitalize(): value for key, value in _shown_meta(doc).items()}}
            path = pelican_file(root, doc, lang)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(f"{k}: {v}\n" for k, v in meta.items()) + "\n" + body, encoding="utf-8")


# --- the tools: Hugo from Debian, Pelican in its own virtualenv ----------------------------------------


def ensure_hugo() -> str | None:
    """The `hugo` command, installed from Debian's package when missing; None when that is not possible."""
    found = shutil.which("hugo")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None:
        print("Hugo: not installed and no apt-get here: Hugo is left out", file=sys.stderr)
        return None
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is None:
        print("Hugo: not installed, and installing it needs root (apt-get install hugo): Hugo is left out",
              file=sys.stderr)
        return None
    print("Hugo: installing the Debian package (apt-get install hugo) …", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in ([*prefix, apt, "install", "-y", "-q", "hugo"], [*prefix, apt, "update", "-q"],
                    [*prefix, apt, "install", "-y", "-q", "hugo"]):
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode == 0 and command[-1] == "hugo":
            break
    found = shutil.which("hugo")
    if found is None:
        print(f"Hugo: apt-get could not install it ({done.stderr.strip()[-300:]}): Hugo is left out",
              file=sys.stderr)
    return found


def _pin(name: str) -> str:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for requirement in pyproject["project"]["dependencies"]:
        if requirement.split("==")[0].strip() == name:
            return requirement.split("#")[0].strip()
    raise SystemExit(f"pyproject.toml pins no {name}")


def ensure_pelican(venv: Path) -> Path | None:
    """The `pelican` command of a virtualenv holding the project's pinned Pelican and Markdown only."""
    wanted = [_pin("pelican"), _pin("markdown")]
    marker = venv / "requirements.txt"
    command = venv / "bin" / "pelican"
    if command.exists() and marker.exists() and marker.read_text().split() == wanted:
        return command
    print(f"Pelican: making a virtualenv in {venv} with {' '.join(wanted)} …", file=sys.stderr)
    shutil.rmtree(venv, ignore_errors=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *wanted], check=True, capture_output=True)
    except subprocess.CalledProcessError as exc:
        print(f"Pelican: could not install it ({exc.stderr.decode(errors='replace').strip()[-300:]}): Pelican "
              f"is left out", file=sys.stderr)
        return None
    marker.write_text("\n".join(wanted) + "\n")
    return command


# --- timing a build: wall, CPU, peak memory of its process tree ---------------------------------------


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _tree_memory(pid: int) -> int:
    """Bytes of memory `pid` and all its descendants hold, now: the sum of their proportional set sizes
    (a page that forked processes share is counted once, divided among them; the resident set where
    /proc has no `smaps_rollup`)."""
    tree, todo, total = _children(), [pid], 0
    while todo:
        current = todo.pop()
        todo.extend(tree.get(current, ()))
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) * 1024 for line in rollup if line.startswith("Pss:"))
            continue
        except (OSError, IndexError, ValueError, StopIteration):
            pass
        try:
            with open(f"/proc/{current}/statm") as statm:
                total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            pass
    return total


def timed(command: list[str], cwd: Path, log: Path) -> Run:
    """Run a build; its output goes to `log`. Fails loudly with the log's end if the build fails."""
    with open(log, "w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        peak = 0
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.wait(0.1):
                peak = max(peak, _tree_memory(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        stop.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:]
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{tail}")
    peak = max(peak, usage.ru_maxrss * 1024)  # the largest single process, waited for
    return Run(wall, usage.ru_utime + usage.ru_stime, peak / 2**20)


# --- the three systems --------------------------------------------------------------------------------


class System:
    name: str
    root: Path  # this system's folder: its content, output and caches

    def command(self) -> list[str]:
        raise NotImplementedError

    def site(self) -> Path:
        raise NotImplementedError

    def clear(self) -> None:
        """Remove the output and every cache, for a cold build."""
        raise NotImplementedError

    def edited_file(self, doc: Document) -> Path:
        raise NotImplementedError

    def build(self, kind: str, log_dir: Path) -> Run:
        if kind == "cold":
            self.clear()
        return timed(self.command(), self.cwd(), log_dir / f"{self.name}-{kind}.log")

    def cwd(self) -> Path:
        return self.root


class Project(System):
    name = "project"

    def __init__(self, root: Path, only: str = "site") -> None:
        self.root, self.only = root, only
        self.content, self.output = root / "content", root / "build"

    def command(self) -> list[str]:
        return [str(ROOT / ".venv" / "bin" / "gazette"), "build", "--content", str(self.content),
                "--output", str(self.output), "--only", self.only, "--as-of", TODAY.isoformat()]

    def cwd(self) -> Path:
        return ROOT  # the project's settings (pelicanconf.py) and fonts are found from here

    def site(self) -> Path:
        return self.output / "site"

    def clear(self) -> None:
        shutil.rmtree(self.output, ignore_errors=True)

    def edited_file(self, doc: Document) -> Path:
        return self.content / "documents" / doc.year / f"{doc.slug}.zh.md"


class Hugo(System):
    name = "hugo"

    def __init__(self, root: Path, hugo: str) -> None:
        self.root, self.hugo = root, hugo

    def command(self) -> list[str]:
        return [self.hugo, "--quiet", "--source", str(self.root), "--destination", str(self.site()),
                "--cacheDir", str(self.root / "cache")]

    def site(self) -> Path:
        return self.root / "public"

    def clear(self) -> None:
        for folder in ("public", "resources", "cache"):
            shutil.rmtree(self.root / folder, ignore_errors=True)

    def edited_file(self, doc: Document) -> Path:
        return hugo_file(self.root, doc, "zh")


class Pelican(System):
    name = "pelican"

    def __init__(self, root: Path, pelican: Path) -> None:
        self.root, self.pelican = root, pelican

    def command(self) -> list[str]:
        return [str(self.pelican), str(self.root / "content"), "--output", str(self.site()), "--settings",
                str(BENCH / "compare" / "pelican" / "pelicanconf.py"), "--quiet",
                "--extra-settings", f"CACHE_PATH={str(self.root / 'cache')!r}".replace("'", '"')]

    def site(self) -> Path:
        return self.root / "output"

    def clear(self) -> None:
        for folder in ("output", "cache"):
            shutil.rmtree(self.root / folder, ignore_errors=True)

    def edited_file(self, doc: Document) -> Path:
        return pelican_file(self.root, doc, "zh")


def edit(system: System, doc: Document, marker: str) -> None:
    """The same change everywhere: a paragraph at the end of the document's Chinese body."""
    path = system.edited_file(doc)
    path.write_text(path.read_text(encoding="utf-8") + f"\n\n{marker}\n", encoding="utf-8")


@dataclass
class Pages:
    html: int
    documents: dict[str, int]  # lang → document pages


def count_pages(site: Path) -> Pages:
    html = sum(1 for _ in site.rglob("*.html"))
    documents = {lang: sum(1 for _ in (site / lang / "documents").glob("*/index.html")) for lang in LANGS}
    return Pages(html, documents)


def document_page(system: System, doc: Document) -> Path:
    return system.site() / "zh" / "documents" / doc.slug / "index.html"


# --- the stages of the project's own build -----------------------------------------------------------


def stage_times(content: Path, output: Path, only: list[str], doc: Document, rounds: int) -> None:
    """Where the project's nothing-changed and one-edit builds spend their time, in this process (after a
    first build if there is none): each stage function wrapped and timed, the rest of the build as `other`.
    The stages' modules are imported before the first timed build."""
    sys.path.insert(0, str(ROOT / "plugins"))
    os.chdir(ROOT)  # the project's settings are found from here, as for the command
    import importlib

    from gazette import build as build_module

    spent: dict[str, float] = {}

    def wrap(module_name: str, attribute: str, label: str) -> None:
        module = importlib.import_module(module_name)
        original = getattr(module, attribute, None)
        if original is None:
            return

        def timed_call(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - started

        setattr(module, attribute, timed_call)

    wrap("gazette.checks", "check_content", "check (check_content)")
    wrap("gazette.build", "build_publication", "Publication (build_publication)")
    wrap("gazette.build", "drop_unpublished", "PDF cache pruning (drop_unpublished)")
    wrap("gazette.generations", "prepare", "previous output (generations.prepare)")
    wrap("gazette.site.build", "write_site", "site stage (write_site)")
    wrap("gazette.search.build", "write_index", "search stage (write_index)")
    wrap("gazette.pdf.build", "write_pdfs", "PDF stage (write_pdfs)")
    wrap("gazette.generations", "switch", "switch (generations.switch)")
    runs: list[tuple[str, dict[str, float], float]] = []
    devnull = open(os.devnull, "w")  # noqa: SIM115
    stderr, sys.stderr = sys.stderr, devnull
    try:
        if not (output / "site").exists():  # the stages of a build that has a last build to start from
            build_module.build(content, output, only, today=TODAY)
        for kind in ["nothing"] * rounds + ["edit"] * rounds:
            if kind == "edit":
                path = content / "documents" / doc.year / f"{doc.slug}.zh.md"
                path.write_text(path.read_text(encoding="utf-8") + f"\n\n本段为分段计时所加（{len(runs)}）。\n",
                                encoding="utf-8")
            spent.clear()
            started = time.perf_counter()
            status = build_module.build(content, output, only, today=TODAY)
            total = time.perf_counter() - started
            assert status == 0, "the project's build failed"
            runs.append((kind, dict(spent), total))
    finally:
        sys.stderr = stderr
    labels = list(dict.fromkeys(label for _, times, _ in runs for label in times))
    print(f"\nWhere the project's build (--only {','.join(only)}) spends its time, seconds, one column a run:")
    header = " | ".join(kind for kind, _, _ in runs)
    print(f"| stage | {header} |")
    print("|---|" + "---|" * len(runs))
    for label in labels:
        print(f"| {label} | " + " | ".join(f"{times.get(label, 0.0):.2f}" for _, times, _ in runs) + " |")
    print("| other (settings, manifest, carrying over, the rest) | "
          + " | ".join(f"{total - sum(times.values()):.2f}" for _, times, total in runs) + " |")
    print("| **total** | " + " | ".join(f"**{total:.2f}**" for _, _, total in runs) + " |")


# --- the run ------------------------------------------------------------------------------------------


def _median(runs: list[Run], attribute: str) -> float:
    return statistics.median(getattr(run, attribute) for run in runs)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _pdf_pages(site: Path) -> tuple[int, int]:
    """PDF files and their pages (pypdf when the test extras are installed, else counted from the page
    objects)."""
    files = sorted(path for path in site.rglob("*.pdf") if "attachments" not in path.parts)  # not rendered
    try:
        from pypdf import PdfReader

        return len(files), sum(len(PdfReader(path).pages) for path in files)
    except ImportError:
        page = re.compile(rb"/Type\s*/Page[^s]")
        return len(files), sum(len(page.findall(path.read_bytes())) for path in files)


def full_build(base: Path, documents: int, content: Path, log_dir: Path, same: bool) -> None:
    """The project's whole build (site, PDFs, search) once: cold, nothing changed, one edit. `same`: on
    the corpus of the comparison (copied), else on one of `documents` documents generated for it."""
    root = base / f"full-{documents}"
    if not same:
        if not (root / "content").is_dir():
            generate(root / "content", documents)
    else:
        root.mkdir(parents=True, exist_ok=True)
        if not (root / "content").exists():
            shutil.copytree(content, root / "content")
    project = Project(root, "site,pdf,search")
    doc = published_documents(root / "content")[0]
    print(f"\nThe project's full build (site, PDFs, search) on {documents} documents, once (load {_load()}):")
    cold = project.build("cold", log_dir)
    pages = count_pages(project.site())
    pdfs, pdf_pages = _pdf_pages(project.site())
    nothing = project.build("nothing", log_dir)
    edit(project, doc, "本段为完整构建计时所加。")
    edited = project.build("edit", log_dir)
    print(f"  {pages.html} HTML pages, {pdfs} PDF files, {pdf_pages} PDF pages")
    print(f"  cold:    {cold.wall:7.1f} s wall, {cold.cpu:7.1f} s CPU, {cold.peak_mb:6.0f} MB peak; "
          f"a PDF page: {cold.wall / max(pdf_pages, 1):.3f} s wall, {cold.cpu / max(pdf_pages, 1):.3f} s CPU")
    print(f"  nothing: {nothing.wall:7.1f} s wall, {nothing.cpu:7.1f} s CPU, {nothing.peak_mb:6.0f} MB peak")
    print(f"  one edit:{edited.wall:7.1f} s wall, {edited.cpu:7.1f} s CPU, {edited.peak_mb:6.0f} MB peak")
    print(f"  (load after: {_load()})")


def report(systems: list[System], results: dict[str, dict[str, list[Run]]], pages: dict[str, Pages],
           published: int, generated: int, rounds: int) -> None:
    """The page counts, the medians and the ratios."""
    print(f"\n{generated} documents, {published} published; medians of {rounds} rounds; "
          f"load average after: {_load()}")
    print("| system | HTML pages (document pages zh + bo) | kind | wall s | CPU s | peak MB |")
    print("|---|---|---|---|---|---|")
    for system in systems:
        p = pages[system.name]
        for kind in KINDS:
            runs = results[system.name][kind]
            print(f"| {system.name} | {p.html:,} ({p.documents['zh']:,} + {p.documents['bo']:,}) | {kind} | "
                  f"{_median(runs, 'wall'):.1f} | {_median(runs, 'cpu'):.1f} | {_median(runs, 'peak_mb'):.0f} |")
    if "project" in results:
        for other in ("hugo", "pelican"):
            if other not in results:
                continue
            print(f"\nproject / {other} (below 1: the project is faster or smaller):")
            for kind in KINDS:
                mine, theirs = results["project"][kind], results[other][kind]
                ratios = [_median(mine, a) / max(_median(theirs, a), 1e-9) for a in ("wall", "cpu", "peak_mb")]
                print(f"  {kind:10} wall {ratios[0]:5.2f}×   CPU {ratios[1]:5.2f}×   memory {ratios[2]:5.2f}×")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="any of project,hugo,pelican")
    parser.add_argument("--full-documents", type=int, default=1000,
                        help="documents for the project's full build (site, PDFs, search); 0: not run")
    parser.add_argument("--stages", action="store_true",
                        help="then time the stages of the project's nothing-changed and one-edit builds")
    parser.add_argument("--stage-runs", type=int, default=1, help="--stages: builds of each kind (1)")
    parser.add_argument("--stages-only", default="site", help="the stages' build: --only of it (site)")
    parser.add_argument("--keep", help="work in this folder and keep it (a kept corpus is used again)")
    parser.add_argument("--pelican-venv", default=str(Path(tempfile.gettempdir()) / "gazette-bench-pelican"))
    args = parser.parse_args()
    wanted = [name.strip() for name in args.systems.split(",") if name.strip()]
    unknown = set(wanted) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems: {', '.join(sorted(unknown))}; choose from {', '.join(SYSTEMS)}")

    base = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="gazette-compare-"))
    base.mkdir(parents=True, exist_ok=True)
    log_dir = base / "logs"
    log_dir.mkdir(exist_ok=True)
    try:
        content = base / "project" / "content"
        if not content.is_dir():
            started = time.perf_counter()
            generate(content, args.documents)
            print(f"generated {args.documents} documents in {time.perf_counter() - started:.1f} s: {content}")
        documents = published_documents(content)
        # The edited document: a public one with a Tibetan translation, so both its pages have a body.
        doc = next(d for d in documents if d.meta["disclosure"] == "主动公开"
                   and d.bodies["bo"][1] != UNTRANSLATED_BO + "\n")
        systems: list[System] = []
        for name in wanted:
            if name == "project":
                systems.append(Project(base / "project"))
            elif name == "hugo" and (hugo := ensure_hugo()):
                root = base / "hugo"
                if not (root / "content").is_dir():
                    root.mkdir(exist_ok=True)
                    write_hugo(root, documents)
                systems.append(Hugo(root, hugo))
            elif name == "pelican" and (pelican := ensure_pelican(Path(args.pelican_venv))):
                root = base / "pelican"
                if not (root / "content").is_dir():
                    write_pelican(root, documents)
                systems.append(Pelican(root, pelican))
        versions = {"hugo": [shutil.which("hugo") or "hugo", "version"],
                    "pelican": [str(Path(args.pelican_venv) / "bin" / "pelican"), "--version"]}
        print(f"{len(documents)} published documents, a page each in {' and '.join(LANGS)}; "
              f"edited in every round: {doc.year}/{doc.slug}")
        for system in systems:
            if system.name in versions:
                version = subprocess.run(versions[system.name], capture_output=True, text=True).stdout.strip()
                print(f"  {system.name}: {version.splitlines()[0] if version else '?'}")
        print(f"machine: {os.cpu_count()} CPUs; load average before: {_load()}")

        results: dict[str, dict[str, list[Run]]] = {s.name: {k: [] for k in KINDS} for s in systems}
        pages: dict[str, Pages] = {}
        for number in range(1, args.rounds + 1):
            for system in systems:
                for kind in KINDS:
                    marker = f"本段为对比测试所加（第 {number} 轮{'，再次' if kind == 'edit again' else ''}）。"
                    if kind == "edit again":
                        time.sleep(NEXT_COMMIT)
                    if kind.startswith("edit"):
                        edit(system, doc, marker)
                    run = system.build(kind, log_dir)
                    results[system.name][kind].append(run)
                    print(f"round {number}, {system.name:8} {kind:10} {run.wall:7.1f} s wall {run.cpu:7.1f} s CPU "
                          f"{run.peak_mb:6.0f} MB   (load {_load()})", flush=True)
                    if kind == "cold" and system.name not in pages:
                        pages[system.name] = got = count_pages(system.site())
                        if any(got.documents[lang] != len(documents) for lang in LANGS):  # like with like
                            raise SystemExit(f"{system.name} wrote {got.documents} document pages, not "
                                             f"{len(documents)} a language")
                    if kind.startswith("edit") and marker not in document_page(system, doc).read_text(encoding="utf-8"):
                        raise SystemExit(f"{system.name}: the edited document's page does not show the edit")
        if args.rounds:
            report(systems, results, pages, len(documents), args.documents, args.rounds)
        if args.stages and "project" in wanted:
            only = [s.strip() for s in args.stages_only.split(",")]
            stage_times(content, base / "project" / "build", only, doc, args.stage_runs)
        if args.full_documents and "project" in wanted:
            full_build(base, args.full_documents, content, log_dir, args.full_documents == args.documents)
        print(f"\nload average at the end: {_load()}; date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
