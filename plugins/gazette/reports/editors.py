"""The editors' reports.

- late: 主动公开 items published more than 20 working days after they were signed (Art. 26), per
  publisher, with each publisher's count of proactive items and of late ones.
- translations: Tibetan translation coverage per gazette section (items of published issues) and per
  publisher (主动公开 documents).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from ..model import Corpus, Document
from ..visibility import Visibility, corpus_visibility
from ..workdays import DISCLOSURE_DEADLINE, CalendarRangeError, working_days_between
from .output import csv_text


@dataclass
class LateItem:
    slug: str
    title: str
    signed: str
    published: str
    working_days: int | None  # None: outside the holiday calendar
    path: str


@dataclass
class PublisherLateness:
    id: str
    name: str
    proactive: int = 0
    late: int = 0
    uncounted: int = 0  # dates the holiday calendar does not cover
    items: list[LateItem] = field(default_factory=list)


@dataclass
class Coverage:
    kind: str  # "section" | "publisher"
    id: str
    name: str
    items: int = 0
    translated: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        return round(100.0 * self.translated / self.items, 1) if self.items else None


def publisher(corpus: Corpus, doc: Document) -> tuple[str, str]:
    agency_id = doc.issuers[0] if doc.issuers else ""
    agency = corpus.registry.agencies.get(agency_id)
    return agency_id or "-", agency.zh if agency else (agency_id or "（未填发布机构）")


def within(day: dt.date | None, year: int | None, as_of: dt.date | None) -> bool:
    """Whether an item dated `day` (published, or an issue's date) is in the report asked for: of `year`,
    and no later than `as_of` (the register or the catalogue as it stood that day)."""
    return day is not None and (year is None or day.year == year) and (as_of is None or day <= as_of)


def late_report(corpus: Corpus, year: int | None = None, as_of: dt.date | None = None) -> list[PublisherLateness]:
    publishers: dict[str, PublisherLateness] = {}
    vis = corpus_visibility(corpus)
    for doc in corpus.documents.values():
        if vis[doc.slug] is not Visibility.FULL or not doc.signed or not within(doc.published, year, as_of):
            continue
        pid, name = publisher(corpus, doc)
        entry = publishers.setdefault(pid, PublisherLateness(pid, name))
        entry.proactive += 1
        try:
            days: int | None = working_days_between(doc.signed, doc.published)
        except CalendarRangeError:
            days = None
            entry.uncounted += 1
        if days is None or days > DISCLOSURE_DEADLINE:
            if days is not None:
                entry.late += 1
            entry.items.append(LateItem(doc.slug, doc.title, doc.signed.isoformat(), doc.published.isoformat(),
                                        days, doc.path))
    for entry in publishers.values():
        entry.items.sort(key=lambda i: (-(i.working_days or 0), i.slug))
    return sorted(publishers.values(), key=lambda p: (-p.late, p.id))


def translation_report(corpus: Corpus, year: int | None = None, as_of: dt.date | None = None) -> list[Coverage]:
    rows: list[Coverage] = []
    sections: dict[str, Coverage] = {
        sid: Coverage("section", sid, entry.zh) for sid, entry in corpus.registry.sections.items()}
    for issue in corpus.issues:
        if not issue.is_published or not within(issue.date, year, as_of):
            continue
        for section in issue.sections:
            row = sections.setdefault(section.section, Coverage("section", section.section, section.section))
            for slug in section.items:
                doc = corpus.documents.get(slug)
                if doc is None:
                    continue
                row.items += 1
                if "bo" in doc.translations:
                    row.translated += 1
                else:
                    row.missing.append(slug)
    rows.extend(sections.values())
    publishers: dict[str, Coverage] = {}
    vis = corpus_visibility(corpus)
    for doc in corpus.documents.values():
        if vis[doc.slug] is not Visibility.FULL or not within(doc.published, year, as_of):
            continue
        pid, name = publisher(corpus, doc)
        row = publishers.setdefault(pid, Coverage("publisher", pid, name))
        row.items += 1
        if "bo" in doc.translations:
            row.translated += 1
        else:
            row.missing.append(doc.slug)
    rows.extend(sorted(publishers.values(), key=lambda r: (r.percent or 0.0, r.id)))
    return rows


# --- output ---------------------------------------------------------------------------------------


def _late_text(report: list[PublisherLateness]) -> str:
    out = [f"逾期主动公开（成文后超过 {DISCLOSURE_DEADLINE} 个工作日发布）/ proactive items published more than "
           f"{DISCLOSURE_DEADLINE} working days after signing", ""]
    total = sum(p.late for p in report)
    for p in report:
        out.append(f"{p.name} ({p.id}): 逾期 {p.late} / 主动公开 {p.proactive}"
                   + (f"，{p.uncounted} 件超出节假日日历范围 / {p.uncounted} outside the holiday calendar"
                      if p.uncounted else ""))
        for item in p.items:
            days = f"{item.working_days} 个工作日" if item.working_days is not None else "无法计算 / not counted"
            out.append(f"  {item.signed} → {item.published}  {days}  {item.slug}  {item.title}")
    out += ["", f"合计逾期 {total} 件 / {total} late in all"]
    return "\n".join(out) + "\n"


def _late_rows(report: list[PublisherLateness]) -> Iterable[dict[str, Any]]:
    for p in report:
        for item in p.items:
            yield {"publisher_id": p.id, "publisher": p.name, **asdict(item)}


def _coverage_text(report: list[Coverage]) -> str:
    out = ["藏文译文覆盖率 / Tibetan translation coverage", ""]
    for kind, heading in (("section", "按栏目（已出版各期）/ by gazette section (published issues)"),
                          ("publisher", "按发布机构（主动公开文件）/ by publisher (主动公开 documents)")):
        out.append(heading)
        for row in report:
            if row.kind == kind:
                share = f"{row.percent:.1f}%" if row.percent is not None else "—"
                out.append(f"  {row.name} ({row.id}): {row.translated}/{row.items}  {share}")
                if row.missing:
                    shown = ", ".join(row.missing[:10]) + (" …" if len(row.missing) > 10 else "")
                    out.append(f"    缺译文 / untranslated: {shown}")
        out.append("")
    return "\n".join(out)


def render(kind: str, corpus: Corpus, fmt: str, year: int | None = None, as_of: dt.date | None = None) -> str:
    """`late` or `translations` in `fmt` (text, csv, json), of the items published in `year` and by `as_of`."""
    if kind == "late":
        late = late_report(corpus, year, as_of)
        if fmt == "json":
            data = {"deadline_working_days": DISCLOSURE_DEADLINE, "publishers": [asdict(p) for p in late]}
            return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if fmt == "csv":
            return csv_text(["publisher_id", "publisher", "slug", "title", "signed", "published", "working_days",
                             "path"], _late_rows(late))
        return _late_text(late)
    coverage = translation_report(corpus, year, as_of)
    if fmt == "json":
        rows = [{**asdict(r), "percent": r.percent} for r in coverage]
        return json.dumps({"coverage": rows}, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        rows_csv = ({"kind": r.kind, "id": r.id, "name": r.name, "items": r.items, "translated": r.translated,
                     "percent": r.percent, "missing": " ".join(r.missing)} for r in coverage)
        return csv_text(["kind", "id", "name", "items", "translated", "percent", "missing"], rows_csv)
    return _coverage_text(coverage)
