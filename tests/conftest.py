from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from factory import ROOT, ContentFactory

if TYPE_CHECKING:
    from pdf_corpus import Built

pytest_plugins = ["module_order"]

TODAY = dt.date(2026, 11, 22)

# Compiled code is kept between runs even where the environment asks for none (PYTHONDONTWRITEBYTECODE):
# without it every worker compiles the package and rewrites the asserts of every test module again, some
# seconds of each run. The files go to __pycache__/ folders, which git ignores and no build input hashes.
# Set before this file imports the package (the fixtures import it when they run) and passed on to the
# Python processes the tests start.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# Each worker collects cycles as `gazette` does, not every 700 new objects: the builds and corpora of the
# session fixtures stay alive, and the collector walked them again and again.
from gazette.cli import tune_process  # noqa: E402  (after the bytecode settings above)

tune_process()

# The suite's workers use every core already: a build here renders and draws in its own process, as a build
# of few pages does (tests/test_site_workers.py shares the work over processes on purpose).
from gazette import workers  # noqa: E402

workers.SHARED_FROM = 10**9


@pytest.fixture(autouse=True, scope="session")
def fixed_today() -> Iterator[None]:
    """Tests see a fixed "today" (Beijing), so date rules do not drift with the calendar; module-scoped
    builds included."""
    import gazette.checks

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gazette.checks, "beijing_today", lambda: TODAY)
        yield


@pytest.fixture(autouse=True, scope="session")
def no_removal_grace() -> Iterator[None]:
    """A replaced generation is removed at once (tests read whole output folders after a build)."""
    import gazette.generations

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gazette.generations, "REMOVAL_GRACE", 0.0)
        yield


@pytest.fixture(autouse=True, scope="session")
def shared_web_font_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One web-font cache for every build of this test process: its entries are keyed by the font's bytes
    and the glyphs kept, so builds of the same text need not cut the font again each in its own output."""
    import gazette.webfont

    folder = tmp_path_factory.mktemp("webfont-cache")
    real = gazette.webfont.write_web_font

    def shared(pub, settings, web_root, theme, font_file, cache):  # type: ignore[no-untyped-def]
        return real(pub, settings, web_root, theme, font_file, folder)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gazette.webfont, "write_web_font", shared)
        yield


@pytest.fixture(autouse=True, scope="session")
def registry_read_once() -> Iterator[None]:
    """The registries read once a test process for each set of their files' bytes: nearly every check and
    build of the suite reads the project's own four files, which cost some 15 ms to parse each time (in
    all some 500 times). Keyed by the bytes as the loader reads them (no link followed, no special file
    opened); a folder where that fails is read by the loader itself, with its findings. Each caller gets
    its own copy of the registry and of the findings (unpickled: a fifth of a deep copy's time)."""
    import pickle

    import gazette.loader
    from gazette.frontmatter import SourceError, read_bytes
    from gazette.registry import REGISTRY_FILES, Registry, load_registry

    known: dict[tuple[bytes, ...], bytes] = {}  # the registry and its findings, pickled

    def read_once(content: Path, findings: list) -> Registry:
        try:
            key = tuple(read_bytes(content, f"registry/{name}.yml", 1 << 26) for name in REGISTRY_FILES)
        except SourceError:
            return load_registry(content, findings)
        if key not in known:
            found: list = []
            known[key] = pickle.dumps((load_registry(content, found), found), pickle.HIGHEST_PROTOCOL)
        registry, found = pickle.loads(known[key])
        findings.extend(found)
        return registry

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gazette.loader, "load_registry", read_once)
        yield


@pytest.fixture(autouse=True, scope="session")
def one_pdf_process() -> Iterator[None]:
    """One PDF process a build: the tests already run on every core, and each process a build starts
    loads WeasyPrint and the fonts again for the few PDFs a test renders. It is forked from a test process
    that has imported WeasyPrint (before the first build that renders), so none imports it again: some
    0.7 s each, cffi parsing its C declarations. Nothing of it runs here (no Pango state is forked), and
    what its import changes in Pillow (it accepts truncated images) holds in the forked processes alone,
    as if each had imported it: the test process resizes the site's photographs as a build does."""
    import gazette.pdf.build

    imported: list[bool] = []

    def one_process(settings: object, jobs: int) -> int:
        if not imported:
            from PIL import ImageFile

            before = ImageFile.LOAD_TRUNCATED_IMAGES
            import weasyprint  # noqa: F401

            after = ImageFile.LOAD_TRUNCATED_IMAGES
            ImageFile.LOAD_TRUNCATED_IMAGES = before
            os.register_at_fork(after_in_child=lambda: setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", after))
            imported.append(True)
        return 1

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gazette.pdf.build, "workers", one_process)
        yield


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This run's folder, shared by its processes: the workers of pytest-xdist have their base folders in
    it (without xdist, it is the base folder itself)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def run_lock(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[None]:
    """Held by one process of the run at a time: what it makes once is there when the others get it."""
    with open(run_folder(tmp_path_factory) / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture(autouse=True, scope="session")
def shared_form_pdfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The application form's PDFs kept for every build of this run: like every PDF they are keyed by what
    they print, which is the same in almost every test build, so each is rendered once, not once a build.
    A cache entry is written under another name and renamed into place, so the workers can share them."""
    import gazette.pdf.build
    from gazette.pdf.cache import PdfCache
    from gazette.pdf.html import FORM_ITEM, Output

    folder = run_folder(tmp_path_factory) / "form-pdfs"
    folder.mkdir(exist_ok=True)

    class SharedForms(PdfCache):
        def path(self, name: str, key: str, output: Output) -> Path:
            if name.startswith(FORM_ITEM + "."):
                return PdfCache(folder).path(name, key, output)
            return super().path(name, key, output)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gazette.pdf.build, "PdfCache", SharedForms)
        yield


@pytest.fixture
def content(tmp_path: Path) -> ContentFactory:
    return ContentFactory(tmp_path / "content")


@pytest.fixture(scope="session")
def sample_content() -> Path:
    return ROOT / "content"


@pytest.fixture(scope="session")
def sample_site(sample_content: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content's site, built once for the whole run (`--only site`)."""
    from gazette.build import build

    output = run_folder(tmp_path_factory) / "sample-site" / "build"
    with run_lock(tmp_path_factory, "sample-site"):
        if not (output / "current").is_symlink():
            assert build(sample_content, output, ["site"]) == 0
    return output / "site"


@pytest.fixture(scope="session")
def issue_pdfs(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The PDF stage run on a small issue (pdf_corpus.write_issue), for every test that reads PDFs.
    Its content is at `issue_pdfs.site.parent.parent / "content"`; tests that change it work on a copy.
    Each worker builds its own, but the PDFs are rendered once a run: the first build's PDF cache is
    linked into the others', whose builds find every PDF there (by its key: the same content prints the
    same) and render none."""
    from pdf_corpus import build, write_issue

    root = tmp_path_factory.mktemp("issue-pdfs")
    content = ContentFactory(root / "content")
    write_issue(content)
    rendered = run_folder(tmp_path_factory) / "issue-pdfs-cache"
    cache = root / "build" / ".cache" / "pdf"
    with run_lock(tmp_path_factory, "issue-pdfs"):
        if rendered.is_dir():
            shutil.copytree(rendered, cache, copy_function=os.link)
        built = build(content.root, root / "build")
        if not rendered.is_dir():
            shutil.copytree(cache, rendered, copy_function=os.link)
    return built

