"""The test modules in the order that ends a parallel run soonest: the longest first.

pytest-xdist (`--dist loadfile`) hands each worker a whole module at a time, in the order collected
(`--no-loadscope-reorder`), so the run ends when the module a worker took last ends: with the long modules
taken first and the short ones left to fill the gaps, the workers end together. Each module's seconds in
the last run that ran it are kept in pytest's cache (`.pytest_cache/`); a module without a record (a new
one, or every module on a fresh checkout) goes first, those with the most tests first.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

CACHE_KEY = "gazette/module-seconds"

_seconds: defaultdict[str, float] = defaultdict(float)


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    cache = getattr(config, "cache", None)  # None with `-p no:cacheprovider`
    known: dict[str, float] = cache.get(CACHE_KEY, {}) if cache is not None else {}
    modules: dict[str, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(_module(item.nodeid), []).append(item)
    order = sorted(modules, key=lambda m: (m in known, -known.get(m, 0.0), -len(modules[m])))
    items[:] = [item for module in order for item in modules[module]]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _seconds[_module(report.nodeid)] += report.duration  # setup, call and teardown


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    cache = getattr(config, "cache", None)
    if hasattr(config, "workerinput") or cache is None or not _seconds:
        return  # a worker: the controlling process, which sees every report, keeps the record
    known = cache.get(CACHE_KEY, {})
    known.update({module: round(seconds, 2) for module, seconds in _seconds.items()})
    cache.set(CACHE_KEY, known)
