"""The sample site as browsers see it: every page kind in both languages, served as `gazette serve` serves it,
loaded in the system Chromium's headless shell (Playwright drives it; no browser of its own is downloaded) and
checked

- by axe-core (WCAG 2.x A and AA and the best practices it tests): no violation;
- by the Nu HTML checker (vnu.jar, one JVM for every page): no error;
- for reflow (WCAG 1.4.10): no horizontal scrolling on a 360 px phone, nor at 1280 px zoomed to 200 %.

axe-core and vnu.jar come pinned from package-lock.json (`npm ci` in scripts/setup.sh --tests), Java and
Chromium from Debian. One browser and one page serve the whole module; each URL is loaded once."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import quote
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from factory import ROOT
from gazette.serve import preview_app
from search_corpus import build_search_corpus

# Debian's chromium-headless-shell: Chromium's engine without the browser around it (the old headless mode,
# which Playwright's own headless runs use too), a third less CPU than the whole browser for the same pages.
CHROMIUM = Path("/usr/bin/chromium-headless-shell")
NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SETUP = "scripts/setup.sh --tests installs it"

# A translated document (so it has a side-by-side page), with a table and a related 解读.
DOCUMENT = "gzfb-2026-4"
PAGES = {
    "home": "/{lang}/",
    "issue": "/{lang}/gazette/2026/10/",
    "document": f"/{{lang}}/documents/{DOCUMENT}/",
    "side by side": f"/{{lang}}/documents/{DOCUMENT}/zh-bo/",
    "catalogue": "/{lang}/catalogue/",
    "catalogue list": "/{lang}/catalogue/class/rules/",
    "request": "/{lang}/request/",
    "application form": "/{lang}/request/form/",
    "large print": "/{lang}/large.html",
}
# The search service's pages, on the search tests' corpus (the sample site is built without an index):
# results with a pager in Chinese, a Tibetan query's results.
SEARCHES = ["/zh/search/?q=" + quote("重点项目"), "/bo/search/?q=" + quote("མེ་འགོག")]
URLS = sorted({pattern.format(lang=lang) for pattern in PAGES.values() for lang in ("zh", "bo")} |
              {f"/zh-hant/documents/{DOCUMENT}/", "/no-such-page/", *SEARCHES})
# Not a page of the site: faults every check must find (no lang, an image without alt, grey on white, a
# line too wide for any screen, a stray end tag), loaded in the same browser and checked in the same JVM.
FAULTY = "faulty"
FAULTY_HTML = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head><body><main><p><div></span>'
               '<img src="a.png"><p style="color:#bbb;background:#fff">灰字</p>'
               '<p style="white-space:nowrap">' + "宽" * 100 + "</p></main></body></html>")
# Widths in CSS pixels: a phone, and a 1280 px window at 200 % zoom (the layout sees 640 px).
WIDTHS = {"360 px": 360, "1280 px at 200 %": 640}

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary)}));
}"""
# What overflows, to say where: the widest elements past the right edge outside any scrolling box.
OVERFLOW = """() => {
  const width = document.scrollingElement.scrollWidth;
  if (width <= innerWidth) return {width, culprits: []};
  const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement)
    if (getComputedStyle(p).overflowX !== "visible") return true; return false; };
  const culprits = [...document.body.querySelectorAll("*")]
    .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5 && !scrolls(e))
    .slice(-3).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "") + ": "
                        + (e.textContent || "").trim().slice(0, 40));
  return {width, culprits};
}"""


def _missing() -> str | None:
    for path, what in ((CHROMIUM, "Chromium's headless shell"), (AXE, "axe-core"), (VNU, "vnu.jar")):
        if not path.is_file():
            return f"{what} not found at {path}: {SETUP}"
    if shutil.which("java") is None:
        return f"java not found: {SETUP}"
    return None


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


@dataclass
class Seen:
    """What the browser found on one URL."""

    status: int
    violations: list[dict[str, Any]]
    font_family: str = ""  # the body's, as computed
    overflow: dict[str, dict[str, Any]] = field(default_factory=dict)  # width label → {width, culprits}


@pytest.fixture(scope="module")
def server(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site with a search service, as `gazette serve` answers, on a free local port."""
    output = tmp_path_factory.mktemp("served-output")
    (output / "site").symlink_to(sample_site)
    (output / "search-index").symlink_to(build_search_corpus(output / "search") / "search-index")
    httpd = make_server("127.0.0.1", 0, preview_app(output), server_class=_ThreadingServer,
                        handler_class=_Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def nu_checker(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[subprocess.Popen[str]]:
    """vnu.jar started on every page as served, in one JVM, while the browser works."""
    if (reason := _missing()) is not None:
        pytest.fail(reason)
    folder = tmp_path_factory.mktemp("served")
    files = []
    for i, url in enumerate(URLS):
        try:
            body = urllib.request.urlopen(server + url).read()
        except urllib.error.HTTPError as error:  # the 404 page
            body = error.read()
        path = folder / f"{i:02d}.html"
        path.write_bytes(body)
        files.append(str(path))
    (folder / f"{FAULTY}.html").write_text(FAULTY_HTML, encoding="utf-8")
    files.append(str(folder / f"{FAULTY}.html"))
    # A short run: the quick compiler alone and the serial collector take less than half the CPU time;
    # the checker's schema needs a deep stack without the optimising compiler.
    java = ["java", "-Xss8m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"]
    process = subprocess.Popen([*java, "-jar", str(VNU), "--format", "json", "--errors-only", *files],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield process
    if process.poll() is None:
        process.kill()
        process.communicate()


@pytest.fixture(scope="module")
def nu_report(seen: dict[str, Seen], nu_checker: subprocess.Popen[str]) -> list[dict[str, Any]]:
    """The checker's messages (collected after the browser's work, which it ran beside)."""
    out, err = nu_checker.communicate(timeout=120)
    assert nu_checker.returncode in (0, 1), err
    return json.loads(out or err)["messages"]  # vnu writes its JSON report to stderr


@pytest.fixture(scope="module")
def seen(server: str, nu_checker: subprocess.Popen[str]) -> dict[str, Seen]:
    """Each URL loaded once at 1280 px for axe, then narrowed to each width of WIDTHS."""
    from playwright.sync_api import sync_playwright

    axe = AXE.read_text(encoding="utf-8")
    found: dict[str, Seen] = {}
    with sync_playwright() as playwright:
        # No GPU process (nothing is drawn to a screen), nothing fetched or updated in the background.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            # The site's Content-Security-Policy allows no script; axe is the test's, not the page's. It is
            # handed to the browser once, which runs it in each page it loads (sent with every page, its
            # half megabyte cost more than the page itself).
            context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
            context.add_init_script(axe)
            page = context.new_page()
            for url in URLS:
                page.set_viewport_size({"width": 1280, "height": 900})
                response = page.goto(server + url, wait_until="load")
                assert response is not None
                result = Seen(response.status, page.evaluate(AXE_RUN),
                              page.evaluate("getComputedStyle(document.body).fontFamily"))
                for label, width in WIDTHS.items():
                    page.set_viewport_size({"width": width, "height": 780})
                    result.overflow[label] = page.evaluate(OVERFLOW)
                found[url] = result
            page.set_viewport_size({"width": 1280, "height": 900})
            page.set_content(FAULTY_HTML)  # written into the open page: no init script runs for it
            page.evaluate(axe)
            result = Seen(0, page.evaluate(AXE_RUN))
            for label, width in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": 780})
                result.overflow[label] = page.evaluate(OVERFLOW)
            found[FAULTY] = result
        finally:
            browser.close()
    return found


@pytest.mark.parametrize("url", URLS)
def test_axe_finds_no_violation(seen: dict[str, Seen], url: str) -> None:
    result = seen[url]
    assert result.status == (404 if url == "/no-such-page/" else 200)
    assert result.violations == [], json.dumps(result.violations, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_scrolling(seen: dict[str, Seen], url: str, width: str) -> None:
    overflow = seen[url].overflow[width]
    assert overflow["width"] <= WIDTHS[width], f"{url} at {width}: {overflow}"


def test_traditional_pages_prefer_traditional_faces(seen: dict[str, Seen]) -> None:
    """A 繁体 page asks for the Traditional-Chinese faces first, a Simplified one for the Simplified faces."""
    for url, first, second in ((f"/zh-hant/documents/{DOCUMENT}/", "CJK TC", "CJK SC"),
                               (f"/zh/documents/{DOCUMENT}/", "CJK SC", "CJK TC")):
        family = seen[url].font_family
        assert first in family, (url, family)
        assert second not in family or family.index(first) < family.index(second), (url, family)


def test_nu_html_checker_finds_no_error(nu_report: list[dict[str, Any]]) -> None:
    names = {f"{i:02d}.html": url for i, url in enumerate(URLS)}
    errors = [f"{names[m['url'].rsplit('/', 1)[-1]]}:{m.get('lastLine')}: {m['message']}"
              for m in nu_report if m.get("type") == "error" and not m["url"].endswith(f"/{FAULTY}.html")]
    assert errors == []


def test_the_checkers_see_what_is_wrong(seen: dict[str, Seen], nu_report: list[dict[str, Any]]) -> None:
    """A page with faults each check must find, checked in the same runs: a passing run means they looked."""
    bad = seen[FAULTY]
    assert {"html-has-lang", "image-alt", "color-contrast"} <= {v["id"] for v in bad.violations}
    assert all(o["width"] > WIDTHS[label] for label, o in bad.overflow.items())
    assert any("Stray end tag" in m["message"] for m in nu_report if m["url"].endswith("/faulty.html"))
