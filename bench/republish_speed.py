"""How long does one edited document take to go live, stage by stage?

Generates N documents with bench/check_speed.py's generator (or takes the corpus of an earlier `--keep`),
builds it once (`--only site,search`: the PDFs are pdf_speed.py's), then, for each round, appends a
sentence to one public document's body and builds again, each build a `gazette build` process of its own.
For every build it prints the wall time of the whole process and the time of each stage (wall, and on a
second line the CPU time of the build's process in it: on a busy machine the wall times mostly measure
the others' work), taken by wrapping the functions that do them (`build_inputs.compute`,
`check_content`, `build_publication`, the stage functions, `generations.take_spare`,
`generations.switch`). The first round after the cold build writes a new tree; from the second on, the
build updates the spare tree in place. A change of the code
that draws pages changes every page's key: the first two rounds after one redraw or relink every page.
`live` is `wall` less what the build did after the switch made its output live (writing the site's page
records, which only make the next build faster). Target: one edit live in ≤ 2 s.

The corpus is built with the search engine `--engine` names (tantivy by default: docs/search.md
recommends it from about 5,000 documents), through a settings file the bench writes beside the corpus
(the project's pelicanconf.py with that engine and an absolute theme folder).

    .venv/bin/python bench/republish_speed.py [--documents 10000] [--rounds 3] [--keep DIR] [--pause 10]
                                              [--engine tantivy|whoosh] [--watch]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
AS_OF = "2026-11-22"
STAGES = {  # label → (module, function)
    "digest": ("gazette.build_inputs", "compute"),
    "check": ("gazette.checks", "check_content"),
    "publication": ("gazette.publication", "build_publication"),
    "spare": ("gazette.generations", "take_spare"),
    "site": ("gazette.site.build", "write_site"),
    "search": ("gazette.search.build", "write_index"),
    "switch": ("gazette.generations", "switch"),
}


def settings_for(base: Path, engine: str) -> Path:
    """The project's settings with `engine` as the search engine, written into `base` (the theme named by
    its absolute path: Pelican takes a relative one from the settings file's folder)."""
    path = base / f"pelicanconf_{engine}.py"
    text = (ROOT / "pelicanconf.py").read_text("utf-8")
    text += f"\n\nTHEME = {str(ROOT / 'themes' / 'gazette')!r}\nGAZETTE_SEARCH_ENGINE = {engine!r}\n"
    if not path.is_file() or path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")
    return path


def _timed_stages() -> tuple[dict[str, float], dict[str, float]]:
    """Wrap each stage's function to add its wall and CPU time to the dicts returned (cleared by the caller
    between builds). Imports the package as `gazette` does, after tuning the process as it does."""
    import importlib

    sys.path.insert(0, str(ROOT / "plugins"))
    from gazette import cli

    if hasattr(cli, "tune_process"):  # what `gazette` does first
        cli.tune_process()

    times: dict[str, float] = {}
    cpu: dict[str, float] = {}  # this process's CPU time (all its threads) in each stage
    for label, (module_name, name) in STAGES.items():
        module = importlib.import_module(module_name)
        real = getattr(module, name, None)
        if real is None:  # a stage this version of the build does not have
            continue

        def timed(*args, _real=real, _label=label, **kwargs):  # type: ignore[no-untyped-def]
            started, used = time.perf_counter(), time.process_time()
            try:
                return _real(*args, **kwargs)
            finally:
                times[_label] = times.get(_label, 0.0) + time.perf_counter() - started
                cpu[_label] = cpu.get(_label, 0.0) + time.process_time() - used

        setattr(module, name, timed)  # the build looks each one up in its module when it calls it
    return times, cpu


def _print_record(result, times: dict[str, float], cpu: dict[str, float],  # type: ignore[no-untyped-def]
                  idle_mb: int | None = None) -> None:
    site = result.reports.get("site")
    # The process's resident memory now: a watching process must not grow from one build to the next.
    rss = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    # From the switch (the output live) to now: the page records written after it
    after_live = time.monotonic() - result.live if getattr(result, "live", None) is not None else 0.0
    print(json.dumps({"status": result.status, "times": times, "cpu": cpu, "unchanged": result.unchanged,
                      "after_live": after_live, "idle_mb": idle_mb,
                      "drawn": getattr(site, "written", None), "reused": getattr(site, "reused", None),
                      "rss_mb": round(rss)}), flush=True)
    times.clear()
    cpu.clear()


def one_build(content: Path, output: Path, settings: str) -> None:
    """In a process of its own: one build, with each stage's time written to stdout as JSON."""
    import datetime as dt

    times, cpu = _timed_stages()
    from gazette.build import run_build

    result = run_build(content, output, ["site", "search"], settings, today=dt.date.fromisoformat(AS_OF))
    _print_record(result, times, cpu)


def watch_builds(content: Path, output: Path, settings: str) -> None:
    """`gazette build --watch` in this process: each build's stage times written to stdout as JSON."""
    import datetime as dt

    times, cpu = _timed_stages()
    from gazette import watch as watching

    real = watching.run_build

    idle: list[int] = []

    def run_build(*args, **kwargs):  # type: ignore[no-untyped-def]
        times.clear()  # what the watch did while idle (the inputs compared after a build) is no build's
        cpu.clear()
        # The resident memory between builds, once the watch has tidied after the last one
        idle[:] = [int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 10**6]
        return real(*args, **kwargs)

    watching.run_build = run_build
    watching.watch(content, output, ["site", "search"], settings, today=dt.date.fromisoformat(AS_OF),
                   on_build=lambda result: _print_record(result, times, cpu, idle[0] if idle else None))


def _public(text: str) -> bool:
    """A 主动公开 document that is not a draft: an edit of it changes pages."""
    front = text.split("\n---\n", 1)[0]
    return "\ndisclosure: 主动公开\n" in front and "\nstatus: draft\n" not in front


def _build(content: Path, output: Path, settings: Path) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--one-build", str(content), str(output), str(settings)],
                          cwd=ROOT,
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        sys.exit(f"build failed:\n{done.stderr[-3000:]}")
    return wall, json.loads(lines[-1])


class _Watcher:
    """One `gazette build --watch` process (its first build done: nothing changed since the cold one)."""

    def __init__(self, content: Path, output: Path, settings: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--watch-builds", str(content), str(output), str(settings)], cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.next_build(time.perf_counter())

    def next_build(self, since: float) -> tuple[float, dict[str, object]]:
        """The next build's record, and the wall time from `since` to its end."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("{"):
                record = json.loads(line)
                if record["status"] != 0:
                    sys.exit("a build of the watching process failed")
                return time.perf_counter() - since, record
        sys.exit("the watching process ended")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--documents", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--keep", help="the corpus and its output in this folder (made when missing), kept")
    ap.add_argument("--pause", type=float, default=10.0,
                    help="seconds between builds (an editor's next commit; a build taking up the spare tree "
                         "sooner than generations.REMOVAL_GRACE after the last switch waits for the rest)")
    ap.add_argument("--engine", choices=("tantivy", "whoosh"), default="tantivy",
                    help="the search engine the corpus is built with (default tantivy)")
    ap.add_argument("--watch", action="store_true",
                    help="the rounds' builds by one `gazette build --watch` process: the wall time is from the "
                         "edit's write to the build's end, the wait for the change's notice included")
    ap.add_argument("--one-build", nargs=3, metavar=("CONTENT", "OUTPUT", "SETTINGS"), help=argparse.SUPPRESS)
    ap.add_argument("--watch-builds", nargs=3, metavar=("CONTENT", "OUTPUT", "SETTINGS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one_build:
        one_build(Path(args.one_build[0]), Path(args.one_build[1]), args.one_build[2])
        return 0
    if args.watch_builds:
        watch_builds(Path(args.watch_builds[0]), Path(args.watch_builds[1]), args.watch_builds[2])
        return 0

    from check_speed import generate

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="gazette-republish-"))
    content, output = base / "content", base / "out"
    if not content.is_dir():
        generate(content, args.documents)
    settings = settings_for(base, args.engine)
    print(f"search engine: {args.engine}")
    if not (output / "site").is_dir():
        wall, record = _build(content, output, settings)
        print(f"cold build: {wall:.1f} s wall")
    print(f"load average {os.getloadavg()[0]:.1f}")
    edited = sorted(p for p in content.glob("documents/*/*.zh.md") if _public(p.read_text("utf-8")))
    watcher = _Watcher(content, output, settings) if args.watch else None
    header = (f"{'round':>5} {'wall':>6} {'live':>6} " + " ".join(f"{label:>11}" for label in STAGES)
              + "  pages drawn")
    print(header)
    for number in range(args.rounds):
        time.sleep(args.pause)
        path = edited[number * 7 % len(edited)]
        # No long number in the sentence: nineteen digits can pass for a bank card (PII-BANK-CARD)
        path.write_text(path.read_text("utf-8") + f"\n补充说明第{number + 1}段。\n", "utf-8")
        if watcher is not None:
            wall, record = watcher.next_build(time.perf_counter())
        else:
            wall, record = _build(content, output, settings)
        times = record["times"]
        assert isinstance(times, dict)
        live = wall - float(record.get("after_live") or 0.0)
        print(f"{number + 1:>5} {wall:6.2f} {live:6.2f} "
              + " ".join(f"{times.get(label, 0.0):11.2f}" for label in STAGES)
              + f"  {record['drawn']} of {int(record['drawn'] or 0) + int(record['reused'] or 0)}"
              + f"   (load {os.getloadavg()[0]:.1f}, {record.get('rss_mb', '?')} MB resident at its end"
              + (f", {record['idle_mb']} MB before it" if record.get("idle_mb") else "") + ")")
        cpu = record.get("cpu") or {}
        assert isinstance(cpu, dict)
        print(f"{'cpu':>5} {'':>6} {'':>6} " + " ".join(f"{cpu.get(label, 0.0):11.2f}" for label in STAGES))
    if watcher is not None:
        watcher.stop()
    if not args.keep:
        import shutil

        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
