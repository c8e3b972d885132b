"""An incremental check: a build reads, parses and judges again only what changed since its last good
check, and the rules across units re-judge only the units that changed and the units tied to them.

A **unit** is what a per-unit rule judges together: a document group (the original and its translations),
a page or a gazette issue. Its **key** hashes the global inputs every rule may read (the registry's files,
the settings the rules read, the fonts' identity, this package's code) and its files' paths and digests
(SHA-256 of the bytes, the digest `build_inputs.py` makes of every content file). A change of a global
input changes every key: everything is read and judged again.

The day the check judges by is not in the key: the rules that read it (`dated=True`, `rules.py`) find
something about a unit only because of a date of its front matter later than the day. Each unit keeps
whether it held such a date on the day it was judged (``node.dated``); when the day moves on, those units
alone are judged again, as if they had changed. A day before the kept one judges everything again.

What is kept, in `check.sqlite` in the build's cache folder (`<output>/.cache/`, never under the site):

- ``file``: each content file's digest, by a hash of its path. A document file whose digest is the kept
  one is not read: the loader gives the Corpus a `LazySource`, read (and its digest verified) only when
  something asks for it: the rules that need it here, the Publication later.
- ``unit``: the findings of the per-unit rules, by unit key.
- ``node``: per unit (by a hash of its name): its key, the digest of its **facts** (what the rules
  across units read of it: for a document its paths, its visibility and its front matter; for a page
  its path and visibility; for an issue its bytes), its findings of the rules across units, its
  visibility, the keys of its kept front-matter readings and whether it held a date after the day.
- ``rel``: per unit, hashes of its **ties**: ``doc:<slug>`` (itself, and every document it links,
  interprets, is replaced by or lists in an issue), ``idx:<index number>``, ``num:<document number>``,
  ``file:<path>`` and ``folder:<folder>`` (its files, its attachments, the files it links), ``page:…``,
  and ``issues`` (every issue: totals and repeated items join them all). Two units that share a tie may
  affect each other's findings across units; units that share none cannot.

A check then: (1) finds the changed units (keys) and the changed other files (digests); (2) the changed
units whose facts changed, and the changed files, bring in every unit sharing a tie with them, old or
new (a document made 不予公开 brings in every text that links it and every issue that lists it); those
and the changed units are **judged again** across units; (3) the rules across units run over the judged
units with every unit tied to them (so that a duplicate, a link target or an issue's neighbours are
there to be seen), and only the findings about the judged units are taken; the others' come from
``node``; (4) the per-unit rules run over the units whose key has no kept findings. The requests register,
the yearly figures, the registry and files the loader could not place (orphan translations, duplicates)
are judged on every check. `tests/test_check_incremental.py` compares it with a full check after random
edits, additions, renames and deletions.

Secrecy: the findings about a withheld, on-request, draft or secret unit may quote its text, so they are
never kept; for such a unit only the fact that it had **no** finding is kept (an empty list), and a unit
with findings is judged again on every check. The ties, paths and names are kept as hashes only, and the
facts as a digest: nothing of a non-public unit is kept in readable form but its visibility (which the
front-matter cache needs to know which readings it may keep) and whether it held a date after the day.
Nothing is written by a check that found an error: a refused build changes no byte under its output.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import posixpath
import re
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding, Level
from ..frontmatter import LazySource, Source, SourceError, file_digest
from ..frontmatter_cache import FrontMatterCache
from ..loader import load_corpus, walk
from ..model import Corpus, Document, GazetteIssue, Page, as_list
from ..static_files import ATTACHMENTS, IMAGES, read_plain_file
from ..visibility import Visibility, corpus_visibility, issue_is_public, page_visibility
from .links import _document_slug, links
from .numbers import corrected_number
from .rules import ACROSS, CheckContext, Rule, first_rules

CACHE_NAME = "check.sqlite"
SCHEMA = 3

STATIC_FOLDERS = (ATTACHMENTS, IMAGES)  # files whose bytes the rules read (`StaticFiles.sniff`)
Run = Callable[[list[Rule], Corpus, CheckContext], list[Finding]]


@functools.lru_cache(maxsize=1 << 16)  # the same paths and names, build after build of a watching process
def _h(text: str) -> str:
    """What is kept of a name, a path or a tie: its hash."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def global_key(digests: Mapping[str, str], context: CheckContext) -> str:
    """What every rule may read beyond its unit."""
    from ..config import GazetteConfig
    from ..fonts import CJK_FONTS, TIBETAN_FONT, FontsMissing, _cache_file

    digest = hashlib.blake2b(digest_size=32)
    digest.update(f"schema {SCHEMA}\0".encode())
    for rel in sorted(p for p in digests if p.startswith("registry/")):
        digest.update(f"registry {rel} {digests[rel]}\0".encode())
    digest.update(json.dumps({k: v for k, v in context.settings.items() if k.startswith("GAZETTE_")},
                             sort_keys=True, default=repr).encode())
    try:
        fonts = GazetteConfig.from_settings(context.settings).fonts
        paths = [fonts / name for name in (TIBETAN_FONT, *CJK_FONTS)]
        digest.update(_cache_file(fonts, paths).name.encode() if all(p.is_file() for p in paths) else b"no fonts")
    except (FontsMissing, Exception):  # the glyph rule reports missing fonts or settings itself
        digest.update(b"fonts unknown")
    digest.update(code_digest())
    return digest.hexdigest()


@functools.cache
def code_digest() -> bytes:
    """This package's code, once a process: the code that judges is the code this process imported."""
    digest = hashlib.blake2b(digest_size=32)
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.digest()


def content_digests(content: Path, files: Iterable[str]) -> dict[str, str]:
    """Every file's digest, read as the build's input digest reads it (without following a link)."""
    result: dict[str, str] = {}
    for rel in files:
        try:
            result[rel] = file_digest(read_plain_file(content, rel))
        except OSError:
            continue  # the loader reports it
    return result


class _Unit:
    __slots__ = ("name", "kind", "item", "sources", "key", "hname")

    def __init__(self, name: str, kind: str, item: Document | Page | GazetteIssue, sources: list[Source]) -> None:
        self.name, self.kind, self.item, self.sources = name, kind, item, sources
        self.hname = _h(name)
        self.key = ""

    @property
    def loaded(self) -> bool:
        return not any(type(s) is LazySource for s in self.sources)


def _units(corpus: Corpus) -> list[_Unit]:
    units = [_Unit(f"document:{slug}", "document", doc, [doc.source, *(t.source for t in doc.translations.values())])
             for slug, doc in corpus.documents.items()]
    units += [_Unit(f"page:{slug}/{lang}", "page", page, [page.source]) for (slug, lang), page in corpus.pages.items()]
    units += [_Unit(f"issue:{issue.path}", "issue", issue, [issue.source]) for issue in corpus.issues]
    return units


def _unit_key(base: str, unit: _Unit, read: dict[str, str]) -> str:
    """The unit's key, from the digests of the bytes it was given: a lazy source's (the kept digest, which
    its bytes are checked against when read), or those the loader read (noted in `read`)."""
    parts = [base, unit.name]
    for source in unit.sources:
        if isinstance(source, LazySource):
            parts += [source.path, source.digest]
        else:
            read[source.path] = digest = file_digest(source.raw)
            parts += [source.path, digest]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=32).hexdigest()


def _file_ties(path: str) -> list[str]:
    """A file, and for an attachment its folder (a document owns the files of its folder: `static_files.py`)."""
    if path.startswith(ATTACHMENTS):
        return [f"file:{path}", f"folder:{posixpath.dirname(path)}/"]
    return [f"file:{path}"]


def _link_ties(source: Source) -> Iterator[str]:
    for _, _, target, _ in links(source):
        if target is None:
            continue
        yield from _file_ties(target)
        slug = _document_slug(target)
        if slug:
            yield f"doc:{slug}"
        if target.startswith("pages/"):
            name = posixpath.basename(target).split(".")
            if len(name) == 3:
                yield f"page:{name[0]}/{name[1]}"


def _ties(unit: _Unit) -> set[str]:
    """What other units this one may affect, or be affected by (see the module's docstring)."""
    ties: set[str] = set()
    for source in unit.sources:
        ties.update(_file_ties(source.path))
    if isinstance(unit.item, Document):
        doc = unit.item
        ties.add(f"doc:{doc.slug}")
        for source in unit.sources:
            ties.update(_link_ties(source))
        meta = doc.meta
        if isinstance(meta.get("index_no"), str) and meta["index_no"].strip():
            ties.add(f"idx:{meta['index_no'].strip()}")
        if isinstance(meta.get("doc_number"), str) and doc.doc_number:
            ties.add(f"num:{corrected_number(doc.doc_number) or doc.doc_number}")
        for key in ("interprets", "replaced_by"):
            if meta.get(key) not in (None, ""):
                ties.add(f"doc:{meta[key]}")
        for item in as_list(meta.get("attachments")):
            if isinstance(item, dict) and isinstance(item.get("file"), str):
                ties.update(_file_ties(posixpath.normpath(item["file"].lstrip("/"))))
        if doc.signed:
            ties.add(f"folder:{ATTACHMENTS}{doc.signed.year}/{doc.slug}/")
    elif isinstance(unit.item, Page):
        ties.add(f"page:{unit.item.slug}/{unit.item.lang}")
        ties.update(_link_ties(unit.item.source))
    else:
        issue = unit.item
        ties.add("issues")
        ties.update(f"doc:{slug}" for slug in issue.items())
        images = [issue.cover_image, *(p.image for key in ("inside_front", "inside_back", "back_cover")
                                       for p in issue.photos(key))]
        for image in images:
            if image:
                ties.update(_file_ties(posixpath.normpath(image.lstrip("/"))))
    return {_h(t) for t in ties}


def _facts(unit: _Unit, vis: Visibility | None) -> str:
    """The digest of what the rules across units read of this unit when they judge another."""
    if isinstance(unit.item, GazetteIssue):
        return file_digest(unit.item.source.raw)
    paths = [s.path for s in unit.sources]
    if isinstance(unit.item, Page):
        return _h(json.dumps([paths, page_visibility(unit.item).name]))
    # repr, not JSON: a date and its ISO string differ here, and front matter holds only plain values
    return _h(repr((paths, vis.name if vis else "", unit.item.meta, sorted(unit.item.translations))))


# A date as the front matter may write it, strictly (2026-03-02) or loosely (2026年3月2日, 2026/3/2): more
# than the rules accept as a date, never less, so that no date a rule compares with the day is missed.
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def _dated(unit: _Unit, day: dt.date) -> bool:
    """Whether the unit's front matter holds a date after `day`: such a unit is judged again when the
    day moves on (the contract of `dated=True` rules, `rules.py`)."""
    after = day.isoformat()

    def later(value: object) -> bool:
        if isinstance(value, dt.date):
            return value.isoformat()[:10] > after
        if isinstance(value, str):
            for y, m, d in _DATE.findall(value):
                try:
                    if dt.date(int(y), int(m), int(d)) > day:
                        return True
                except ValueError:
                    continue
            return False
        if isinstance(value, dict):
            return any(later(k) or later(v) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return any(map(later, value))
        return False

    return any(later(source.meta) for source in unit.sources)


def _public(unit: _Unit, vis: Mapping[str, Visibility]) -> bool:
    if isinstance(unit.item, Document):
        return vis.get(unit.item.slug) is Visibility.FULL
    if isinstance(unit.item, Page):
        return page_visibility(unit.item) is Visibility.FULL
    return issue_is_public(unit.item)


def _sub(corpus: Corpus, names: set[str]) -> Corpus:
    """The corpus with only the units named (and everything that is judged on every check)."""
    return Corpus(
        root=corpus.root, registry=corpus.registry,
        documents={s: d for s, d in corpus.documents.items() if f"document:{s}" in names},
        issues=[i for i in corpus.issues if f"issue:{i.path}" in names],
        pages={k: p for k, p in corpus.pages.items() if f"page:{k[0]}/{k[1]}" in names},
        orphans=corpus.orphans, duplicates=corpus.duplicates, files=corpus.files,
        requests=corpus.requests, figures=corpus.figures, unreadable=corpus.unreadable)


def _encode(findings: list[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], ensure_ascii=False)


def _decode(data: str) -> list[Finding]:
    if data == "[]":
        return []
    return [Finding(**{**item, "level": Level(item["level"])}) for item in json.loads(data)]


@dataclass
class _Kept:
    """What the last good check kept: read whole where every unit needs it, else asked for (`db`)."""

    base: str = ""
    day: str = ""  # the day the kept findings were judged by (ISO)
    dated: set[str] = field(default_factory=set)  # units (name hashes) that held a date after it
    files: dict[str, str] = field(default_factory=dict)  # path hash → digest
    nodes: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # name hash → key, across findings
    findings: dict[str, str] = field(default_factory=dict)  # unit key → per-unit findings
    db: sqlite3.Connection | None = None

    @classmethod
    def read(cls, path: Path) -> _Kept:
        kept = cls()
        if not path.is_file():  # never created by reading: a refused build writes nothing
            return kept
        db = sqlite3.connect(path)
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        meta = dict(db.execute("SELECT name, value FROM meta")) if "meta" in tables else {}
        if not {"file", "unit", "node", "rel"} <= tables or meta.get("schema") != str(SCHEMA):
            db.close()
            return kept
        kept.base, kept.day, kept.db = meta.get("base", ""), meta.get("day", ""), db
        # What this process read of the file under the same token (each write sets a new one) and base (a
        # build of other code sets its own): the same rows, not read again. Shared: never changed here.
        stamp = (meta.get("token"), kept.base, kept.day)
        remembered = _read.get(str(path))
        if stamp[0] and remembered is not None and remembered[0] == stamp:
            kept.dated, kept.files, kept.nodes, kept.findings = remembered[1]
            return kept
        kept.dated = {name for name, in db.execute("SELECT name FROM node WHERE dated = 1")}
        kept.files = dict(db.execute("SELECT path, digest FROM file"))
        kept.nodes = {n: (k, a) for n, k, a in db.execute("SELECT name, key, across FROM node")}
        kept.findings = dict(db.execute("SELECT key, findings FROM unit"))
        if stamp[0]:
            _read.clear()  # one file: a process checks one content folder at a time
            _read[str(path)] = (stamp, (kept.dated, kept.files, kept.nodes, kept.findings))
        return kept

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def _select(self, sql: str, values: Iterable[str]) -> Iterator[tuple[str, str]]:
        listed = sorted(set(values))
        for start in range(0, len(listed), 500):
            chunk = listed[start:start + 500]
            if self.db is not None and chunk:
                yield from self.db.execute(sql.format(",".join("?" * len(chunk))), chunk)

    def tied(self, ties: Iterable[str]) -> set[str]:
        """The units (name hashes) that share one of `ties`."""
        return {name for name, in self._select("SELECT name FROM rel WHERE tie IN ({})", ties)}  # type: ignore[misc]

    def ties(self, names: Iterable[str]) -> dict[str, set[str]]:
        result: dict[str, set[str]] = {}
        for name, tie in self._select("SELECT name, tie FROM rel WHERE name IN ({})", names):
            result.setdefault(name, set()).add(tie)
        return result

    def column(self, column: str, names: Iterable[str]) -> dict[str, str]:
        return dict(self._select(f"SELECT name, {column} FROM node WHERE name IN ({{}})", names))

    def file_ties(self, paths: Iterable[str]) -> dict[str, str]:
        return dict(self._select("SELECT path, ties FROM file WHERE path IN ({})", paths))


# What `_Kept.read` last read: file → ((token, base, day), (dated, files, nodes, findings)).
_read: dict[str, tuple[tuple[str | None, str, str], tuple[set[str], dict[str, str], dict[str, tuple[str, str | None]],
                                                          dict[str, str]]]] = {}


def remember(cache: Path) -> None:
    """Read the kept check into this process's memory ahead of the next build (a watching process, once
    its output is live)."""
    _Kept.read(cache / CACHE_NAME).close()


def _load(sources: Iterable[Source]) -> list[Finding]:
    """Read the lazy sources among `sources` now, so that no rule meets a file that changed meanwhile."""
    problems = []
    for source in sources:
        if isinstance(source, LazySource):
            try:
                source.load()
            except SourceError as exc:
                problems.append(exc.finding)
    return problems


def check_incrementally(content: Path, context: CheckContext, cache: Path, rules: list[Rule], run: Run,
                        digests: Mapping[str, str] | None = None) -> tuple[Corpus, list[Finding]]:
    """Read and check `content`, judging again only what changed since the last good check kept in
    `cache` (a folder). `digests`: every content file's digest (in the loader's order), when the caller
    has them (the build's input digest); otherwise they are made here. `run(rules, corpus, context)` runs
    rules and turns a failing rule into a finding."""
    path = cache / CACHE_NAME
    kept = _Kept.read(path)
    try:
        return _check(content.resolve(), context, cache, rules, run, digests, kept)
    finally:
        kept.close()


def _check(content: Path, context: CheckContext, cache: Path, rules: list[Rule], run: Run,
           digests: Mapping[str, str] | None, kept: _Kept) -> tuple[Corpus, list[Finding]]:
    walked = None
    if digests is None:
        walked, problems = walk(content)
        digests = content_digests(content, walked) if not problems else {}
    base = global_key(digests, context)
    day = context.today.isoformat()
    # A day before the kept one: a date it held that was past may now be in the future; nothing says where.
    valid = bool(kept.base) and kept.base == base and kept.day <= day
    if not valid:
        kept.close()
        kept = _Kept()
    path_hash = {rel: _h(rel) for rel in digests}
    deferred = {rel: d for rel, d in digests.items() if valid and rel.startswith("documents/")
                and rel.endswith(".md") and kept.files.get(path_hash[rel]) == d}
    fm = FrontMatterCache(cache)
    corpus, findings = load_corpus(content, fm, deferred, list(digests) if walked is None and digests else None)
    units = _units(corpus)
    by_name = {u.name: u for u in units}
    hashed = {u.hname: u for u in units}
    read: dict[str, str] = {}
    for unit in units:
        unit.key = _unit_key(base, unit, read)
    # A new day: the units that held a date after the kept day are judged again as if they had changed.
    redated = {hashed[n].name for n in kept.dated if n in hashed} if valid and kept.day != day else set()
    changed = {u.name for u in units if (node := kept.nodes.get(u.hname)) is None or node[0] != u.key} | redated
    removed = {n for n in kept.nodes if n not in hashed}
    findings.extend(_load(s for name in changed for s in by_name[name].sources))

    # The changed units' facts and ties; the ties of what changed, old and new.
    changed_vis = corpus_visibility(_sub(corpus, {n for n in changed if n.startswith("document:")}))
    facts = {name: _facts(by_name[name], changed_vis.get(by_name[name].item.slug)
                          if isinstance(by_name[name].item, Document) else None) for name in changed}
    ties = {name: _ties(by_name[name]) for name in changed}
    old_facts = kept.column("facts", (by_name[n].hname for n in changed))
    old_ties = kept.ties([*(by_name[n].hname for n in changed), *removed])
    seeds: set[str] = set()
    for name in changed:
        if name in redated or old_facts.get(by_name[name].hname) != facts[name]:
            seeds |= ties[name] | old_ties.get(by_name[name].hname, set())
    for name in removed:
        seeds |= old_ties.get(name, set())
    # Files that came or went, and changed files the rules read the bytes of (attachments, photographs).
    current = set(path_hash.values())
    gone = [p for p in kept.files if p not in current]
    for rel, hashed_path in path_hash.items() if valid else ():
        before = kept.files.get(hashed_path)
        if before is None or (before != digests[rel] and rel.startswith(STATIC_FOLDERS)):
            seeds.update(_h(t) for t in _file_ties(rel))
    for file_ties in kept.file_ties(gone).values():
        seeds.update(json.loads(file_ties))

    def sharing(wanted: set[str]) -> set[str]:
        return {hashed[n].name for n in kept.tied(wanted) if n in hashed} | {n for n in changed if ties[n] & wanted}

    if valid:
        judged = changed | sharing(seeds) | {u.name for u in units if (n := kept.nodes.get(u.hname)) and n[1] is None}
        unit_ties = {**ties, **{hashed[n].name: t for n, t in kept.ties(
            by_name[name].hname for name in judged - changed).items()}}
        seen = judged | sharing(set().union(*unit_ties.values()))
    else:
        judged = seen = set(by_name)
    if any(n.startswith("issue:") for n in judged):  # an issue's items decide where each is first placed
        seen |= {u.name for u in units if u.kind == "issue"}
        seen |= {f"document:{slug}" for issue in corpus.issues for slug in issue.items()}
    seen |= {f"document:{slug}" for request in corpus.requests for slug in request.documents}
    seen &= set(by_name)
    per_unit = {u.name for u in units if u.key not in kept.findings} | redated if valid else set(by_name)
    findings.extend(_load(s for name in seen | per_unit for s in by_name[name].sources))
    findings.extend(_load([*corpus.orphans, *corpus.duplicates]))
    refused = any(f.is_error for f in findings)

    def fresh() -> CheckContext:  # each part of the corpus its own context: rules cache what they derive
        return CheckContext(context.today, context.settings)

    findings.extend(run(first_rules(), _sub(corpus, seen | per_unit), fresh()))
    own = run([r for r in rules if r not in ACROSS], _sub(corpus, per_unit), fresh())
    owner = {s.path: u.name for u in units for s in u.sources}
    across = [f for f in run([r for r in rules if r in ACROSS and r not in first_rules()], _sub(corpus, seen), fresh())
              if owner.get(f.path) is None or owner[f.path] in judged]
    findings += own + across
    for unit in units:  # most units have no finding: "[]"
        if unit.name not in per_unit and (data := kept.findings[unit.key]) != "[]":
            findings.extend(_decode(data))
        if unit.name not in judged and (data := kept.nodes[unit.hname][1] or "[]") != "[]":
            findings.extend(_decode(data))
    loaded = {u.name for u in units if u.loaded}
    context.cache.update(units_kept=len(units) - len(per_unit), units_judged=len(per_unit),
                         units_judged_across=len(judged), units_seen=len(seen), units_read=len(loaded))
    if refused or any(f.is_error for f in findings):
        return corpus, findings  # a refused build changes nothing under its output, its caches included

    # Keep what this check found, for the next one (a first build's too: its next build is an editor's edit).
    cache.mkdir(parents=True, exist_ok=True)
    vis = corpus_visibility(_sub(corpus, loaded))
    if valid:  # the readings of the units that changed or went, unless read again now
        dropped = {k for keys in kept.column("fm", [*(by_name[n].hname for n in changed), *removed]).values()
                   for k in json.loads(keys)}
        fm.commit_public(corpus, vis, dropped=dropped)
    else:
        fm.commit_public(corpus, vis)
    unchanged = kept.column("facts", (by_name[n].hname for n in judged - changed))
    facts.update({name: unchanged.get(by_name[name].hname, "") for name in judged - changed})
    kept.close()
    _write(cache / CACHE_NAME, base, context.today, units, by_name, changed, removed, judged, per_unit, own, across,
           vis, fm, digests, read, path_hash, valid, kept, facts, owner, ties)
    return corpus, findings


def _write(path: Path, base: str, day: dt.date, units: list[_Unit], by_name: dict[str, _Unit], changed: set[str],
           removed: set[str], judged: set[str], per_unit: set[str], own: list[Finding], across: list[Finding],
           vis: Mapping[str, Visibility], fm: FrontMatterCache, digests: Mapping[str, str],
           read: Mapping[str, str], path_hash: Mapping[str, str], valid: bool, kept: _Kept, facts: Mapping[str, str],
           owner: Mapping[str, str], ties: Mapping[str, set[str]]) -> None:

    def grouped(found: list[Finding], names: set[str]) -> dict[str, list[Finding]]:
        result: dict[str, list[Finding]] = {name: [] for name in names}
        for finding in found:
            name = owner.get(finding.path)
            if name in result:
                result[name].append(finding)
        return result

    def stored(unit: _Unit, found: list[Finding]) -> str | None:
        """Findings as kept: those of a public unit; of any other unit only the fact that there are none."""
        return _encode(found) if _public(unit, vis) else ("[]" if not found else None)

    own_by = grouped(own, per_unit)
    across_by = grouped(across, judged)
    files = {**digests, **read}  # what the check read, not what was digested before it read
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA secure_delete = ON")
        if not valid:
            for table in ("meta", "file", "unit", "node", "rel"):
                db.execute(f"DROP TABLE IF EXISTS {table}")
        db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS file (path TEXT PRIMARY KEY, digest TEXT NOT NULL, ties TEXT NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS unit (key TEXT PRIMARY KEY, findings TEXT NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS node (name TEXT PRIMARY KEY, key TEXT NOT NULL, facts TEXT NOT NULL, "
                   "across TEXT, vis TEXT NOT NULL, fm TEXT NOT NULL, dated INTEGER NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS rel (name TEXT NOT NULL, tie TEXT NOT NULL)")
        db.execute("CREATE INDEX IF NOT EXISTS rel_tie ON rel (tie)")
        db.execute("CREATE INDEX IF NOT EXISTS rel_name ON rel (name)")
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [("schema", str(SCHEMA)), ("base", base),
                                                                    ("day", day.isoformat()),
                                                                    ("token", secrets.token_hex(16))])
        hashed_files = {path_hash.get(rel) or _h(rel): rel for rel in files}
        db.executemany("DELETE FROM file WHERE path = ?", [(p,) for p in kept.files if p not in hashed_files])
        db.executemany("INSERT OR REPLACE INTO file VALUES (?, ?, ?)", [
            (p, files[rel], json.dumps([_h(t) for t in _file_ties(rel)])) for p, rel in hashed_files.items()
            if kept.files.get(p) != files[rel]])
        keys = {u.key for u in units}
        db.executemany("DELETE FROM unit WHERE key = ?", [(k,) for k in kept.findings if k not in keys])
        db.executemany("INSERT OR REPLACE INTO unit VALUES (?, ?)", [
            (by_name[n].key, data) for n, found in own_by.items()
            if (data := stored(by_name[n], found)) is not None])
        db.executemany("DELETE FROM node WHERE name = ?", [(n,) for n in removed])
        db.executemany("DELETE FROM rel WHERE name = ?", [(n,) for n in removed | {by_name[n].hname for n in changed}])
        rows = []
        for name in judged | changed:
            unit = by_name[name]
            slug = unit.item.slug if isinstance(unit.item, Document) else ""
            state = vis.get(slug, Visibility.NONE).name if slug else ("FULL" if _public(unit, vis) else "NONE")
            fm_keys = [fm.keys[s.path] for s in unit.sources if s.path in fm.keys] if _public(unit, vis) else []
            rows.append((unit.hname, unit.key, facts[name], stored(unit, across_by.get(name, [])),
                         state, json.dumps(fm_keys), int(_dated(unit, day))))
        db.executemany("INSERT OR REPLACE INTO node VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO rel VALUES (?, ?)", [
            (by_name[name].hname, tie) for name in changed for tie in ties[name]])
        db.commit()
