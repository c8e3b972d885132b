"""The search stage runs in a forked process beside the site: its value or its exception comes back, and it
never outlives the build that started it."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest
from factory import ContentFactory
from gazette import forked
from gazette.build import run_build
from gazette.forked import ForkedCall

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="needs fork and two CPUs")


def _answer(a: int, b: int) -> dict[str, int]:
    return {"sum": a + b, "pid": os.getpid()}


def _full_disk(path: str) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)


def _late_marker(path: str) -> None:
    time.sleep(0.4)
    Path(path).write_text("written", encoding="utf-8")


def test_the_value_comes_back_from_another_process() -> None:
    value = ForkedCall(_answer, 2, 3).result()
    assert value["sum"] == 5 and value["pid"] != os.getpid()


def test_the_exception_comes_back_with_its_details_and_the_childs_traceback() -> None:
    call = ForkedCall(_full_disk, "/output/search-index/facets.json")
    with pytest.raises(OSError) as raised:
        call.result()
    assert raised.value.errno == errno.ENOSPC and raised.value.filename == "/output/search-index/facets.json"
    assert any("_full_disk" in note for note in raised.value.__notes__)


def test_a_child_that_dies_without_a_result_is_an_error() -> None:
    call = ForkedCall(os._exit, 3)
    with pytest.raises(RuntimeError, match="exit status 3"):
        call.result()


def test_a_cancelled_child_writes_nothing_more(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    call = ForkedCall(_late_marker, str(marker))
    call.cancel()
    time.sleep(0.6)
    assert not marker.exists()


class _Stopped(BaseException):
    """Stops a build as a signal's handler would: not an Exception."""


def test_a_stopped_build_leaves_no_search_process_behind(content: ContentFactory, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import gazette.search.build as search_build
    import gazette.site.build as site_build

    content.document("one-doc")
    marker = tmp_path / "search-finished"

    def slow_index(*args: object) -> None:  # in the forked process
        _late_marker(str(marker))

    def stopped(*args: object) -> None:
        raise _Stopped

    monkeypatch.setattr(search_build, "write_index", slow_index)
    monkeypatch.setattr(site_build, "write_site", stopped)
    with pytest.raises(_Stopped):
        run_build(content.root, tmp_path / "out", ["site", "search"])
    time.sleep(0.6)
    assert not marker.exists()
