"""Replicas: the service over a read-only index that a build replaces while it runs. A build switches
to its new generation in one step (gazette.generations.switch); a client loop on 127.0.0.1 asking
through the switches sees no error and never an answer mixing two builds. Two service processes over
one index answer alike, so any number of them can stand behind a load balancer."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from gazette import generations
from gazette.search.build import _with_fingerprint, update_index
from gazette.search.engine import Entry, write_facets
from gazette.search.service import SearchService
from gazette.settings import load_settings
from waitress.server import create_server

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [{"q": "公报"}, {"q": "森林防火", "sort": "date"}, {"q": "公报", "page": "2", "size": "5"}, {"q": "ཆ་འཕྲིན"}]


def _entries(build: str, n: int) -> list[Entry]:
    """The entries of one build: each title names its build, so an answer shows which build gave it."""
    return [_with_fingerprint(Entry(
        key=f"doc:d{i:02d}:zh", kind="document", slug=f"d{i:02d}", lang="zh", url=f"/zh/d{i:02d}/",
        title=f"第{build}版公报{i}", body="森林防火工作。ཆ་འཕྲིན་ཁྱབ་བསྒྲགས།" * (1 + i % 3),
        published=f"2026-01-{1 + i % 9:02d}", signed="2026-01-01", year=2026, disclosure="full")) for i in range(n)]


BUILDS = {"甲": 12, "乙": 9}  # two builds of different sizes: a mixed answer shows in titles or totals


def _publish(output: Path, build: str, engine: str) -> None:
    """What `gazette build` does with a new index: a new generation, then the switch."""
    output.mkdir(exist_ok=True)
    generations.prepare(output)
    generation = generations.new_generation(output)
    update_index(generation / "search-index", output / "search-index", _entries(build, BUILDS[build]), engine=engine)
    write_facets(generation / "search-index", {})
    generations.switch(output, generation, remove_in_background=True)


def _get(port: int, params: dict[str, str]) -> tuple[int, dict]:
    url = f"http://127.0.0.1:{port}/api/search?{urlencode({**params, 'lang': 'zh'})}"
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, json.loads(answer.read())


def _build_of(answer: dict) -> str:
    builds = {hit["title"][1] for hit in answer["hits"]}
    assert len(builds) == 1, answer  # never hits of two builds
    build = builds.pop()
    assert answer["total"] == {"甲": BUILDS["甲"], "乙": BUILDS["乙"]}[build] or answer["total"] < BUILDS[build]
    return build


@pytest.mark.parametrize("engine", ["tantivy", "whoosh"])
def test_the_index_switches_under_load_without_an_error_or_a_mixed_answer(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(generations, "REMOVAL_GRACE", 10.0)  # as a build: the old index stays a moment
    output = tmp_path / "build"
    _publish(output, "甲", engine)
    service = SearchService(output / "search-index", {**load_settings(), "GAZETTE_SEARCH_ENGINE": engine})
    server = _serve(service)
    port = server.effective_port
    seen: list[tuple[int, str, int]] = []
    failures: list[BaseException] = []

    switching = threading.Event()
    switching.set()

    def client(k: int) -> None:
        try:
            for i in range(300):  # bounded: while the builds switch, and never more
                params = QUERIES[(k + i) % len(QUERIES)]
                status, answer = _get(port, params)
                seen.append((status, _build_of(answer), answer["total"]))
                if not switching.is_set():
                    return
        except BaseException as exc:  # reported below
            failures.append(exc)

    clients = [threading.Thread(target=client, args=(k,)) for k in range(3)]
    for thread in clients:
        thread.start()
    for switch in range(6):
        _publish(output, "乙" if switch % 2 == 0 else "甲", engine)
        time.sleep(0.01)
    switching.clear()
    for thread in clients:
        thread.join()
    server.close()
    assert not failures, failures[0]
    assert {status for status, _, _ in seen} == {200} and len(seen) < 900
    assert {build for _, build, _ in seen} == {"甲", "乙"}  # the switches were seen


def test_two_service_processes_over_one_index_answer_alike(tmp_path):
    # A service in a process of its own (waitress, as in production) and one in this process.
    output = tmp_path / "build"
    _publish(output, "甲", "tantivy")
    settings = tmp_path / "settings.py"
    settings.write_text(f"exec(open({str(ROOT / 'pelicanconf.py')!r}, encoding='utf-8').read())\n"
                        f"PATH = {str(ROOT / 'content')!r}\nTHEME = {str(ROOT / 'themes' / 'gazette')!r}\n"
                        "GAZETTE_SEARCH_ENGINE = 'tantivy'\n")
    env = {**os.environ, "GAZETTE_SEARCH_INDEX": str(output / "search-index"), "GAZETTE_SETTINGS": str(settings)}
    waitress = shutil.which("waitress-serve", path=str(Path(sys.executable).parent))
    assert waitress
    port = _free_port()
    other = subprocess.Popen([waitress, f"--listen=127.0.0.1:{port}", "--threads=2",
                              "gazette.search.service:application"], env=env, cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    service = SearchService(output / "search-index", {**load_settings(), "GAZETTE_SEARCH_ENGINE": "tantivy"})
    server = _serve(service)
    try:
        _wait_for(port, other)
        answers = [[_get(p, params)[1] for params in QUERIES] for p in (port, server.effective_port)]
    finally:
        server.close()
        other.terminate()
        errors = other.communicate(timeout=10)[1].decode()
    assert "Traceback" not in errors, errors
    assert answers[0] == answers[1]
    assert [a["total"] for a in answers[0]] == [12, 12, 12, 12] and answers[0][2]["page"] == 2


def _serve(app: SearchService) -> Any:
    """The service under waitress on a free port of 127.0.0.1, in a thread of this process."""
    server = create_server(app, host="127.0.0.1", port=0, threads=4)

    def run() -> None:
        with contextlib.suppress(OSError):  # its socket closed by server.close(): the end of the test
            server.run()

    threading.Thread(target=run, daemon=True).start()
    return server


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen) -> None:
    """Until the service listens (it may be starting), at most 20 s."""
    import socket

    for _ in range(400):
        assert server.poll() is None, server.communicate()[1].decode()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"no service on port {port}")
