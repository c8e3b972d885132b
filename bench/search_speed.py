"""Search index speed: full build, incremental update, query latency under concurrent clients.

    .venv/bin/python bench/search_speed.py [--docs 10000] [--large [--large-engine E]] [--procs N] [--clients 4]
                                           [--queries 300] [--engine whoosh|tantivy|both] [--keep DIR | --index DIR]
                                           [--no-cache]

Generates a Publication of `--docs` documents (Chinese texts of about 1,500 characters drawn from official
vocabulary; every other document also in Tibetan, about 400 syllables with case affixes; one in ten on
request, metadata only) with the project's real registries, then in one run:

1. builds the index from scratch with the search stage's own code (`update_index`): time, entries/s, size;
2. rebuilds with nothing changed (copy of the last index + fingerprint scan), and after one changed
   document, three times (another document each time, each update from the last): time, CPU time,
   entries written, ratio against the full build, the median;
3. asks each query once on a freshly opened index (one client, nothing cached), then runs `--clients`
   threads sending `--queries` requests each to the WSGI application (/api/search and the HTML page),
   no network: median and p95 latency, requests/s. The queries repeat, so most answers then use the
   searchers' cache of matched documents; `--no-cache` turns it off (Whoosh's cache; tantivy has none of
   ours). The same with one client first, for its median and p95.

`--engine` (default whoosh): the engine of the index (GAZETTE_SEARCH_ENGINE); `both` runs 1–3 for each
engine on the same generated documents, tantivy's runs (both sizes) first.

`--large` repeats 1–3 at 100,000 documents (long: tens of minutes), for the engines of `--large-engine`
(default: those of `--engine`; Whoosh takes most of an hour there). `--keep DIR` keeps the full index in
DIR (with `both`, DIR-whoosh and DIR-tantivy); `--index DIR` skips 1–2 and measures 3 on that kept index
(to compare code changes on one index), with the engine the folder records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from gazette.publication import (  # noqa: E402
    Publication,
    PublicDocument,
    PublicText,
    Visibility,
)
from gazette.registry import load_registry  # noqa: E402
from gazette.search import index as search_index  # noqa: E402
from gazette.search.build import entries, facets, update_index  # noqa: E402
from gazette.search.engine import ENGINES, recorded_engine, write_facets  # noqa: E402
from gazette.search.service import SearchService  # noqa: E402
from gazette.settings import load_settings  # noqa: E402

# Official vocabulary, placed among generated words whose frequencies follow Zipf's law, so that common
# bigrams (政府, 工作) are in most documents and a phrase like 森林草原防火 in a few hundred, as in real text.
DOMAIN_WORDS = [
    "政府信息公开", "工作", "通知", "各县", "人民政府", "州级各部门", "进一步", "加强", "规范", "管理", "落实", "责任",
    "监督", "检查", "安全生产", "森林草原防火", "乡村振兴", "脱贫攻坚", "成果", "巩固", "生态环境", "保护", "项目",
    "建设", "资金", "预算", "决算", "教育", "医疗", "卫生", "社会保障", "就业", "交通运输", "公路", "旅游", "文化",
    "民族团结", "应急", "预案", "审批", "许可", "服务", "群众", "办事", "指南", "标准化", "康定", "泸定", "丹巴",
    "道孚", "炉霍", "德格", "理塘", "稻城", "要求", "如下", "现将", "有关", "事项", "认真", "贯彻", "执行", "确保",
]
COMMON_CHARS = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
                "种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业"
                "本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反明看原又么利比"
                "或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
                "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别手角期根论运农指几九区强放决西被干做必"
                "战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收"
                "证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马"
                "节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断"
                "深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候")
SYLLABLES = ["སྲིད", "གཞུང", "ཆ", "འཕྲིན", "ཁྱབ", "བསྒྲགས", "ལས", "དོན", "ཀ", "རྫོང", "ཁག", "ཁུལ", "དཀར", "མཛེས",
             "བོད", "རིགས", "རང", "སྐྱོང", "མི", "དམངས", "ནགས", "ཚལ", "རྩྭ", "ཐང", "མེ", "འགོག", "སློབ", "གསོ", "སྨན",
             "བཅོས", "འཕྲོད", "བསྟེན", "དབུལ", "སྐྱོར", "གསར", "སྤེལ", "འཆར", "གཞི", "ལམ", "སྟོན", "བརྡ", "ཐོ", "ཡིག",
             "གི", "གྱི", "ཀྱི", "ལ", "དང", "ནས", "གིས", "ཀྱིས", "ལྷ", "ས", "སའི", "སར", "ཁྲིམས", "ལུགས", "བྱེད", "དགོས"]
ROOTS = "ཀཁགངཅཆཇཉཏཐདནཔཕབམཙཚཛཝཞཟའཡརལཤསཧ"
VOWELS = ["", "ི", "ུ", "ེ", "ོ"]
SUFFIXES = ["", "", "ག", "ང", "ད", "ན", "བ", "མ", "འི", "ར", "ལ", "ས"]
PUNCT = "，，，。、；"


def zipf_vocabulary(rng: random.Random, generated: list[str], domain: list[str]) -> tuple[list[str], list[float]]:
    words = list(generated)
    for k, word in enumerate(domain):  # domain words at ranks 3, 13, 23, …
        words.insert(min(len(words), 3 + 10 * k), word)
    weights = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(words))))
    return words, weights


def chinese_vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    generated = ["".join(rng.choice(COMMON_CHARS) for _ in range(rng.choice((2, 2, 2, 2, 3, 4))))
                 for _ in range(6000)]
    return zipf_vocabulary(rng, generated, DOMAIN_WORDS)


def tibetan_vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    generated = [rng.choice(ROOTS) + rng.choice(VOWELS) + rng.choice(SUFFIXES) for _ in range(2000)]
    return zipf_vocabulary(rng, generated, SYLLABLES)


def chinese_text(rng: random.Random, vocabulary: tuple[list[str], list[float]], chars: int) -> str:
    words, weights = vocabulary
    out: list[str] = []
    size = 0
    while size < chars:
        for word in rng.choices(words, cum_weights=weights, k=50):
            out.append(word)
            size += len(word)
            if rng.random() < 0.15:
                out.append(rng.choice(PUNCT))
    return "".join(out)[:chars]


def tibetan_text(rng: random.Random, vocabulary: tuple[list[str], list[float]], syllables: int) -> str:
    words, weights = vocabulary
    chosen = rng.choices(words, cum_weights=weights, k=syllables)
    return "".join(s + ("། " if i % 12 == 11 else "་") for i, s in enumerate(chosen))


def publication(n: int, seed: int = 7) -> Publication:
    registry = load_registry(ROOT / "content", [])
    rng = random.Random(seed)
    zh, bo = chinese_vocabulary(rng), tibetan_vocabulary(rng)
    agencies = list(registry.agencies.values())
    leaves = registry.catalogue_leaves()
    genres = list(registry.genres.values())
    documents: dict[str, PublicDocument] = {}
    for i in range(n):
        slug = f"doc-{i:06d}"
        full = i % 10 != 9
        signed = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(5000))
        body = chinese_text(rng, zh, 1500) if full else ""
        texts = {"zh": PublicText("zh", "关于" + chinese_text(rng, zh, 20) + "的通知", chinese_text(rng, zh, 90),
                                  ("政府信息公开", "通知"), "", body)}
        if i % 2 == 0:
            texts["bo"] = PublicText("bo", tibetan_text(rng, bo, 12), tibetan_text(rng, bo, 30), (), "",
                                     tibetan_text(rng, bo, 400) if full else "")
        agency = rng.choice(agencies)
        documents[slug] = PublicDocument(
            slug=slug, visibility=Visibility.FULL if full else Visibility.METADATA,
            disclosure="主动公开" if full else "依申请公开", index_no=f"{agency.org_code}/{signed.year}-{i:05d}",
            doc_number=f"甘府发〔{signed.year}〕{i}号", issuers=[agency], genre=rng.choice(genres),
            catalogue=rng.choice(leaves), signed=signed, published=signed + dt.timedelta(days=2),
            validity=rng.choice(("有效", "有效", "有效", "失效", "废止")), replaced_by="", texts=texts,
            content_hash=f"{i:064x}")
    return Publication(registry, ROOT / "content", documents, [], {}, set())


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def build_figures(n: int, procs: int, work: Path, engine: str = "whoosh") -> Path:
    pub, t_pub = timed(publication, n)
    wanted, t_entries = timed(lambda: list(entries(pub)))
    print(f"\n== {engine}: {n:,} documents, {len(wanted):,} index entries (generated in {t_pub:.1f} s, "
          f"entries in {t_entries:.1f} s) ==")
    full = work / f"full-{engine}-{n}"
    stats, t_full = timed(update_index, full, work / "none", wanted, procs, engine=engine)
    write_facets(full, facets(pub))
    size = folder_size(full)
    print(f"full build ({procs} processes): {t_full:8.1f} s  {len(wanted) / t_full:7.0f} entries/s  "
          f"size {size / 1e6:.1f} MB ({size / len(wanted) / 1024:.1f} KB an entry)")

    same = work / f"same-{engine}-{n}"
    stats, t_same = timed(update_index, same, full, wanted, procs, engine=engine)
    assert stats.written == 0 and not stats.rebuilt
    print(f"nothing changed:        {t_same:8.2f} s  (copy + fingerprints)   full / this = "
          f"{t_full / t_same:6.1f}x")

    # One edit, three times (three documents), each update from the last, as builds follow each other.
    last, walls = full, []
    for round_ in range(3):
        slug = list(pub.documents)[round_ * 97]
        doc = pub.documents[slug]
        doc.texts["zh"] = replace(doc.texts["zh"], text=doc.texts["zh"].text + f"本文件已修订{round_}。")
        doc.content_hash = f"changed {round_}"
        changed = list(entries(pub))
        one = work / f"one-{engine}-{n}-{round_}"
        cpu = time.process_time()
        stats, t_one = timed(update_index, one, last, changed, procs, engine=engine)
        cpu = time.process_time() - cpu  # an update runs in this process: its CPU time is less load-bound
        how = "written again from scratch" if stats.rebuilt else f"{stats.written} entries written"
        print(f"one document changed:   {t_one:8.2f} s  (CPU {cpu:.2f} s; {how})   full / this = "
              f"{t_full / t_one:6.1f}x")
        walls.append(t_one)
        if last != full:
            shutil.rmtree(last)
        last = one
    print(f"one document changed, median of 3: {statistics.median(walls):.2f} s")
    shutil.rmtree(same)
    shutil.rmtree(last)
    return full


QUERIES = [
    {"q": "政府信息公开"}, {"q": "公开"}, {"q": "森林草原防火 康定"}, {"q": '"安全生产 监督"'}, {"q": "县"},
    {"q": "甘府发[2015]123号"}, {"q": "乡村振兴", "sort": "date"}, {"q": "项目", "from": "2015", "to": "2018"},
    {"q": "ལྷ་ས"}, {"q": "ཆ་འཕྲིན་ཁྱབ་བསྒྲགས"}, {"q": "ནགས་ཚལ", "lang": "bo"}, {"q": "教育", "page": "3"},
]


def caller(service: SearchService):
    def call(path: str, params: dict[str, str]) -> None:
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": urlencode(params),
                   "wsgi.errors": sys.stderr}
        b"".join(service(environ, lambda status, headers: None))
    return call


def service(index_folder: Path) -> SearchService:
    engine = recorded_engine(index_folder) or "whoosh"
    return SearchService(index_folder, {**load_settings(), "GAZETTE_SEARCH_ENGINE": engine})


def first_time_figures(index_folder: Path) -> None:
    """Each query once, by one client, on a freshly opened index: no answer comes from a cache."""
    call = caller(service(index_folder))
    call("/api/search", {"q": "通知"})  # open the index (a query not in QUERIES)
    times, cpu = [], []
    for params in QUERIES:
        started, cpu_started = time.perf_counter(), time.process_time()
        call("/api/search", params)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    print(f"{'/api/search':12} each query asked once, 1 client: median {statistics.median(times) * 1000:6.1f} ms  "
          f"max {max(times) * 1000:6.1f} ms  all {len(times)} {sum(times) * 1000:7.1f} ms  "
          f"CPU median {statistics.median(cpu) * 1000:5.1f} ms, max {max(cpu) * 1000:5.1f} ms")


def latency_figures(index_folder: Path, clients: int, per_client: int) -> None:
    call = caller(service(index_folder))

    for path in ("/api/search", "/zh/search/"):
        call(path, QUERIES[0])  # open the index and the templates once
        per_thread: list[list[float]] = [[] for _ in range(clients)]

        def client(k: int, path: str, mine: list[float]) -> None:
            for i in range(per_client):
                params = QUERIES[(k + i) % len(QUERIES)]
                started = time.perf_counter()
                call(path, params)
                mine.append(time.perf_counter() - started)

        threads = [threading.Thread(target=client, args=(k, path, per_thread[k])) for k in range(clients)]
        started, cpu = time.perf_counter(), time.process_time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        ordered = sorted(d for mine in per_thread for d in mine)
        p95 = ordered[int(len(ordered) * 0.95) - 1]
        # CPU time a request: what the machine's other work does not inflate (the latencies it does)
        print(f"{path:12} {clients} clients × {per_client}: median {statistics.median(ordered) * 1000:6.1f} ms  "
              f"p95 {p95 * 1000:6.1f} ms  {len(ordered) / wall:6.1f} requests/s  "
              f"CPU {cpu / len(ordered) * 1000:5.1f} ms a request")


def memory_figures() -> None:
    """This process's memory: resident, and of it what is not a file's (the index files are read through
    the OS cache, shared by every process that opens them). After a build in the same process the
    anonymous part includes what the build left; `--index` measures a process that only searches."""
    try:
        lines = Path("/proc/self/smaps_rollup").read_text().splitlines()
    except OSError:
        return
    kb = {line.split(":")[0]: int(line.split()[1]) for line in lines[1:] if line.split()[-1] == "kB"}
    print(f"memory of this process: resident {kb.get('Rss', 0) / 1024:.0f} MB, anonymous "
          f"{kb.get('Anonymous', 0) / 1024:.0f} MB")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--docs", type=int, default=10_000)
    p.add_argument("--large", action="store_true", help="also 100,000 documents (tens of minutes)")
    p.add_argument("--procs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--queries", type=int, default=300, help="requests per client")
    kept = p.add_mutually_exclusive_group()
    kept.add_argument("--keep", type=Path, help="copy the full index of --docs documents to this folder")
    kept.add_argument("--index", type=Path, help="measure query latency only, on this kept index")
    p.add_argument("--no-cache", action="store_true", help="keep no matched documents between queries")
    p.add_argument("--engine", choices=[*ENGINES, "both"], default="whoosh")
    p.add_argument("--large-engine", choices=[*ENGINES, "both"], help="the engines --large runs (default: --engine)")
    args = p.parse_args()
    if args.no_cache:
        search_index.MATCH_CACHE_DOCUMENTS = 0
    if args.index:
        print(f"\n== query latency on the index in {args.index} ({len(QUERIES)} queries in turn) ==")
        first_time_figures(args.index)
        latency_figures(args.index, 1, args.queries)
        latency_figures(args.index, args.clients, args.queries)
        memory_figures()
        return
    engines = list(ENGINES) if args.engine == "both" else [args.engine]
    large = (list(ENGINES) if args.large_engine == "both" else [args.large_engine]) if args.large_engine else engines
    print(f"started {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores")
    runs = [(engine, args.docs) for engine in engines]
    if args.large:
        runs += [(engine, 100_000) for engine in large]
    # tantivy's runs first: they carry the targets, and a run of both engines lasts hours (Whoosh's build
    # at 100,000 documents alone about one), so its figures are taken before anything else can start.
    runs.sort(key=lambda run: run[0] != "tantivy")
    for engine, docs in runs:
        with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
            work = Path(tmp)
            index = build_figures(docs, args.procs, work, engine)
            if args.keep:
                name = f"{args.keep.name}-{engine}-{docs}" if len(runs) > 1 else args.keep.name
                keep = args.keep.with_name(name)
                shutil.rmtree(keep, ignore_errors=True)
                shutil.copytree(index, keep)
            print(f"\n== {engine}: query latency on {docs:,} documents ({len(QUERIES)} queries in turn) ==")
            first_time_figures(index)
            latency_figures(index, 1, args.queries)
            latency_figures(index, args.clients, args.queries)
            memory_figures()
            print(f"load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
