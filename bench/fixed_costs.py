"""What a build pays before any writer runs, after one edited document: the process's start and imports,
the settings, the inputs' digest and the check.

Each round appends a sentence to one public document's body, then, for this checkout's code and (with
`--before DIR`) another's (an older commit extracted with `git archive`, its fonts copied in), runs in a
process of its own what `gazette build` runs before the Publication: its imports, `load_settings`,
`build_inputs.compute` (with the stats the last run recorded, as a build has them from its last
generation) and `check_content` with a cache folder of that code's own, filled by a first untimed pass.
The codes take turns in each round, so both see the same load. A last round changes nothing but the day
the check judges by (the first build of a new day). Prints each part's time and the process's wall time;
the load average beside each round.

    .venv/bin/python bench/fixed_costs.py --content DIR [--before CODE] [--rounds 5] [--work DIR]

Use a copy of a corpus (it is edited): `bench/check_speed.py --keep` or `bench/republish_speed.py --keep`
make one.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-22"


def one_run(code: Path, content: Path, work: Path, day: str) -> None:
    """In a process of its own: the parts of a build before the Publication, timed, as JSON on stdout."""
    started = time.perf_counter()
    sys.path.insert(0, str(code / "plugins"))
    import datetime as dt

    from gazette import build_inputs, cli  # (what `gazette build` imports first)

    if hasattr(cli, "tune_process"):  # as `gazette` does first (code of before it: nothing)
        cli.tune_process()
    from gazette.build import run_build  # noqa: F401
    from gazette.checks import check_content
    from gazette.config import GazetteConfig
    from gazette.settings import load_settings, settings_file

    times = {"imports": time.perf_counter() - started}
    mark = time.perf_counter()
    settings = load_settings(str(code / "pelicanconf.py"), {"PATH": str(content.resolve())})
    config = GazetteConfig.from_settings(settings)
    times["settings"] = time.perf_counter() - mark
    record = work / "inputs.json"
    previous = build_inputs.Inputs.from_json(json.loads(record.read_text())) if record.is_file() else None
    mark = time.perf_counter()
    inputs = build_inputs.compute(content, settings_file(str(code / "pelicanconf.py")), [config.theme],
                                  ["site", "search"], day, previous)
    times["digest"] = time.perf_counter() - mark
    assert inputs is not None
    mark = time.perf_counter()
    cache = work / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    _, findings = check_content(content, settings, dt.date.fromisoformat(day), cache=cache, digests=inputs.content)
    times["check"] = time.perf_counter() - mark
    assert not any(f.is_error for f in findings), [f.as_text() for f in findings if f.is_error][:5]
    record.write_text(json.dumps(inputs.to_json()))
    print(json.dumps(times))


def _run(code: Path, content: Path, work: Path, day: str = AS_OF) -> tuple[float, dict[str, float]]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--one", str(code), str(content), str(work), day],
                          capture_output=True, text=True, check=False, cwd=code)
    wall = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        sys.exit(f"run failed ({code}):\n{done.stderr[-3000:]}")
    return wall, json.loads(lines[-1])


def _public(text: str) -> bool:
    front = text.split("\n---\n", 1)[0]
    return "\ndisclosure: 主动公开\n" in front and "\nstatus: draft\n" not in front


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--content", help="a corpus to edit (a copy)")
    ap.add_argument("--before", help="another checkout's folder (its plugins/, pelicanconf.py, themes/)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--work", default="/tmp/gazette-fixed-costs", help="each code's cache folder, kept")
    ap.add_argument("--one", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        one_run(Path(args.one[0]), Path(args.one[1]), Path(args.one[2]), args.one[3])
        return 0
    if not args.content:
        ap.error("--content is required")
    content = Path(args.content)
    codes = {"after": ROOT, **({"before": Path(args.before).resolve()} if args.before else {})}
    work = Path(args.work)
    for label, code in codes.items():  # fill each code's cache: a first check reads and judges everything
        wall, _ = _run(code, content, work / label)
        print(f"{label}: first run (fills the cache) {wall:.1f} s", flush=True)
    edited = sorted(p for p in content.glob("documents/*/*.zh.md") if _public(p.read_text("utf-8")))
    parts = ("imports", "settings", "digest", "check")
    print(f"{'round':>5} {'code':>7} {'wall':>6} " + " ".join(f"{p:>8}" for p in parts) + "  (load)")
    for number in range(args.rounds):
        path = edited[(number * 13 + 5) % len(edited)]
        path.write_text(path.read_text("utf-8") + f"\n另补充第{number + 1}段。\n", "utf-8")
        order = list(codes.items()) if number % 2 == 0 else list(reversed(codes.items()))
        for label, code in order:
            wall, times = _run(code, content, work / label)
            print(f"{number + 1:>5} {label:>7} {wall:6.2f} " + " ".join(f"{times[p]:8.2f}" for p in parts)
                  + f"  ({os.getloadavg()[0]:.1f})", flush=True)
    import datetime as dt

    next_day = (dt.date.fromisoformat(AS_OF) + dt.timedelta(days=1)).isoformat()
    for label, code in codes.items():  # nothing edited: the first build of the next day
        wall, times = _run(code, content, work / label, next_day)
        print(f"{'day+1':>5} {label:>7} {wall:6.2f} " + " ".join(f"{times[p]:8.2f}" for p in parts)
              + f"  ({os.getloadavg()[0]:.1f})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
