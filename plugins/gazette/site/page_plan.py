"""What each page was made from, kept with the generation that holds it, so that a build finds the pages a
change touches without building every page's context and key (as Sphinx keeps, for each document, what it
depends on).

A page's key (`page_keys.py`) hashes its context: the entities it shows (documents, with the history their
page shows; issues; pages; PDFs) and how they are laid out (which pages there are, which entities each
lists, in what order, the counts). The plan (`generations.PAGE_PLAN`, beside `site/` in each generation)
records, for the build that wrote it:

- `base`: what every page depends on alike (`plan_base`: the page-drawing environment, the registry, the
  Traditional-character conversion, the Markdown renderer's version, the languages);
- `structure`: the layout's digest (`pages.structure`);
- `entities`: each entity's digest (`PageKeys.entity`);
- `pages`: each page listed from the Publication, in order: its URL, language, key and the entities it shows;
- `listing`: every page written, with its language, in order (what the sitemap is made from).

When a build's base and structure are the recorded ones, a page's key can change only with the digest of an
entity it shows: only those pages are listed (their contexts built) and keyed again, and every other page
keeps its recorded key. Otherwise (or when the record is missing, unreadable or not the one the last good
build's page keys agree with) every page is listed and keyed. The plan decides only which keys are worked
out again: which pages exist and what they show still come from the current Publication alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..file_memo import FileMemo, identity
from ..generations import write_record_file

VERSION = 2


SEPARATOR = " "  # between the entities of a page: no entity's name holds a space (slugs, URLs, keys)


class PlannedPage(NamedTuple):
    url: str
    lang: str
    key: str
    entities: str  # the names of the entities it shows, joined by SEPARATOR: split only when needed


@dataclass
class Plan:
    base: str
    structure: str
    entities: dict[str, str] = field(default_factory=dict)  # entity → digest
    pages: list[PlannedPage] = field(default_factory=list)
    listing: list[tuple[str, str]] = field(default_factory=list)  # every page written, with its language

    def touched(self, digests: dict[str, str]) -> set[str]:
        """The URLs of the pages that show an entity whose digest (in `digests`, the current ones) is not
        the recorded one."""
        changed = {name for name, recorded in self.entities.items() if digests.get(name) != recorded}
        if not changed:
            return set()
        # A substring test first (one document changed: thousands of pages tested in C), then the names.
        return {page.url for page in self.pages if any(name in page.entities for name in changed)
                and not changed.isdisjoint(page.entities.split(SEPARATOR))}


def plan_base(environment: str, registry: str, conversion: str, renderer: str, langs: Iterable[str]) -> str:
    return hashlib.sha256("\0".join([str(VERSION), environment, registry, conversion, renderer,
                                     *langs]).encode()).hexdigest()


def read_plan(path: Path) -> Plan | None:
    """The plan recorded at `path`; None when missing or not of the expected shape (it vouches for nothing
    then: every page is keyed)."""
    seen = identity(path)
    remembered = _plans.get(path, seen) if seen is not None else None
    if remembered is not None:  # written or read by this process, and unchanged since
        return _copy(remembered)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return None
        entities = data["entities"]
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in entities.items()):
            return None
        plan = Plan(str(data["base"]), str(data["structure"]), entities)
        pages = data["pages"]
        if not all(type(p) is list and len(p) == 4 and all(type(v) is str for v in p) for p in pages):
            return None
        plan.pages = list(map(PlannedPage._make, pages))
        listing = data["listing"]
        plan.listing = [(url, lang) for url, _, lang in (line.partition("\t") for line in listing.split("\n"))
                        ] if listing else []
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    if seen is not None:
        _plans.put(path, _copy(plan), seen)
    return plan


def write_plan(path: Path, plan: Plan) -> None:
    data = {"version": VERSION, "base": plan.base, "structure": plan.structure, "entities": plan.entities,
            "pages": [[p.url, p.lang, p.key, p.entities] for p in plan.pages],
            "listing": "\n".join(f"{url}\t{lang}" for url, lang in plan.listing)}
    write_record_file(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    _plans.put(path, _copy(plan))


def _copy(plan: Plan) -> Plan:
    """A plan whose lists and mapping the caller may change (their items are immutable)."""
    return Plan(plan.base, plan.structure, dict(plan.entities), list(plan.pages), list(plan.listing))


# The plans this process last wrote or read (the live tree's is read by the next build).
_plans = FileMemo(2)
