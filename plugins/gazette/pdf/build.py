"""The build stage: every PDF of the gazette, rendered where the cache has no copy, in parallel.

`write_pdfs(publication, dirs, settings, progress)` is the stage `gazette build` calls. It writes
  <site>/pdf/gazette/<year>-<NN>.<lang>.pdf        each issue, each edition   (urls.issue_pdf)
  <site>/pdf/gazette/<year>-<NN>.<lang>.pdfa.pdf   its PDF/A-3b archive copy  (urls.issue_pdfa)
  <site>/pdf/documents/<slug>.<lang>.pdf           each 主动公开 document, in each language it has
                                                   (urls.document_pdf)
  <site>/pdf/forms/application.<lang>.pdf          the 政府信息公开申请表 to print and fill in, in each
                                                   language (urls.application_form_pdf)
Nothing else: a 依申请公开 entry has no body to print, and withheld documents are not in the Publication.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import urls
from ..config import GazetteConfig
from ..fonts import print_fonts_checksum
from ..publication import Publication
from ..stages import BuildDirs, Progress, StageReport
from ..workers import end_with
from .cache import PdfCache, environment_key, job_key
from .html import HtmlBuilder, PdfJob, settings_checksum, stylesheet_texts, theme_checksum
from .render import RenderResult, RenderTask, Roots, render


@dataclass
class PdfReport(StageReport):
    """What a PDF build did: `files` holds every PDF's URL and size (the site shows them); the tests count
    renders, the benchmark times them."""

    stage: str = "pdf"
    digests: dict[str, str] = field(default_factory=dict)  # URL → SHA-256 of the file placed
    rendered: list[RenderResult] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    pruned: int = 0


# Where the PDF workers' temporary files go (WeasyPrint copies the fonts there, about 100 MB a worker).
SCRATCH = "pdf-scratch"


def _start_worker(parent: int, scratch: str) -> None:
    """A worker dies with the build (a build ended by SIGTERM left its workers holding the output's lock),
    and its temporary files go under the output's cache: what a killed worker leaves there (a font copy
    of 100 MB) the next pool removes, where in /tmp it stayed for good."""
    end_with(parent)
    tempfile.tempdir = scratch


@contextlib.contextmanager
def worker_pool(count: int, scratch: Path) -> Iterator[ProcessPoolExecutor]:
    """`count` processes forked from this one, which never loads WeasyPrint (versions are read from package
    metadata), so no Pango or GLib state is forked; fork, as the workers then start at once and need no
    importable __main__ (scripts and tests call this). One build of an output runs at a time (its lock), so
    whatever `scratch` holds when the pool starts was left by a killed one."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_start_worker, initargs=(os.getpid(), str(scratch))) as pool:
            yield pool
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def workers(settings: dict[str, Any], jobs: int) -> int:
    configured = settings.get("GAZETTE_PDF_WORKERS")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(int(configured or cores), jobs))


def keyed_jobs(publication: Publication, settings: Mapping[str, Any]) -> list[tuple[PdfJob, str]]:
    """Every PDF job with its cache key: everything that shapes the PDF, and nothing else."""
    fonts = GazetteConfig.from_settings(settings).fonts
    environment = environment_key(theme_checksum(settings), print_fonts_checksum(fonts), settings_checksum(settings))
    return [(job, job_key(job, environment, publication.content_root))
            for job in HtmlBuilder(publication, settings).jobs()]


def build_pdfs(publication: Publication, dirs: BuildDirs, settings: Mapping[str, Any],
               progress: Progress) -> PdfReport:
    started = time.monotonic()
    report = PdfReport()
    cache = PdfCache(dirs.cache / "pdf")
    stylesheets = tuple(stylesheet_texts(settings))
    keyed = keyed_jobs(publication, settings)
    todo = [(job, key) for job, key in keyed if not cache.has(job.name, key, job.outputs)]
    report.cached = [job.name for job, key in keyed if cache.has(job.name, key, job.outputs)]
    fonts = str(GazetteConfig.from_settings(settings).fonts)
    tasks = [RenderTask(job.name, job.html, job.base_url, stylesheets,
                        tuple((str(cache.path(job.name, key, out)), out.variant) for out in job.outputs),
                        Roots(str(publication.content_root), fonts, frozenset(job.images)))
             for job, key in todo]
    shutil.rmtree(dirs.cache / SCRATCH, ignore_errors=True)  # a killed build's, also when nothing renders now
    if tasks:
        count = workers(settings, len(tasks))
        progress(f"PDF：渲染 {len(tasks)} 个（{count} 个进程），缓存 {len(report.cached)} 个 / "
                 f"PDF: rendering {len(tasks)} on {count} processes, {len(report.cached)} from the cache")
        with worker_pool(count, dirs.cache / SCRATCH) as pool:
            futures = [pool.submit(render, task) for task in tasks]
            rendering = time.monotonic()
            for done, future in enumerate(as_completed(futures), 1):
                result = future.result()
                report.rendered.append(result)
                left = _time_left((time.monotonic() - rendering) / done * (len(tasks) - done))
                progress(f"PDF {done}/{len(tasks)} {result.name} ({result.pages} 页/pages, "
                         f"{result.seconds:.1f} s){left}")

    used = set()
    for job, key in keyed:
        for output in job.outputs:
            source = cache.path(job.name, key, output)
            target = dirs.site / urls.output_path(output.url)
            cache.place(source, target)
            used.update((source, cache.digest_file(source)))
            report.files[output.url] = target.stat().st_size
            report.digests[output.url] = cache.digest(source)
    report.pruned = cache.prune(used)
    report.seconds = time.monotonic() - started
    report.written, report.reused, report.removed = len(report.rendered), len(report.cached), report.pruned
    progress(f"PDF：共 {len(report.files)} 个文件，渲染 {len(report.rendered)} 次，"
             f"{len(report.cached)} 个来自缓存 / {len(report.files)} PDF files, {len(report.rendered)} "
             f"rendered, {len(report.cached)} from the cache ({report.seconds:.1f} s)")
    return report


def write_pdfs(publication: Publication, dirs: BuildDirs, settings: Mapping[str, Any], progress: Progress,
               reports: Mapping[str, StageReport]) -> PdfReport:
    """The PDF stage of `gazette build`."""
    return build_pdfs(publication, dirs, settings, progress)


def _time_left(seconds: float) -> str:
    """The estimate shown beside each rendered PDF: from the mean time per render so far."""
    if seconds < 1:
        return ""
    if seconds < 90:
        return f"，约剩 {seconds:.0f} 秒 / about {seconds:.0f} s left"
    return f"，约剩 {seconds / 60:.0f} 分钟 / about {seconds / 60:.0f} min left"
