"""`gazette report chain [--year Y]`: per publisher, how many catalogue entries went through the release
chain (录入 → 初审 → 审核 → 审发) on time, late, with an incomplete chain, or with none recorded.

Entries are the documents the catalogue lists (主动公开 and 依申请公开, not drafts), by their lead issuer;
`--year` keeps those published in that year. Steps and dates only: who did a step is never read here.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from ..model import REVIEW_LIMITS, REVIEW_STEPS, Corpus
from ..release_chain import INCOMPLETE, LATE, NONE, ON_TIME, UNJUDGED, judge
from ..visibility import Visibility, corpus_visibility
from .editors import publisher
from .output import Options, Rendered, csv_text


@dataclass
class LateStep:
    step: str
    date: str
    working_days: int
    limit: int


@dataclass
class ChainEntry:
    slug: str
    published: str
    status: str
    late_steps: list[LateStep] = field(default_factory=list)
    released_after_publication: bool = False


@dataclass
class PublisherChains:
    id: str
    name: str
    on_time: int = 0
    late: int = 0
    unjudged: int = 0  # a step outside the holiday calendar: neither on time nor late
    incomplete: int = 0
    none: int = 0
    entries: list[ChainEntry] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.unjudged + self.incomplete + self.none


def chain_report(corpus: Corpus, year: int | None = None) -> list[PublisherChains]:
    vis = corpus_visibility(corpus)
    publishers: dict[str, PublisherChains] = {}
    for doc in corpus.documents.values():
        if vis[doc.slug] is Visibility.NONE or (year and (not doc.published or doc.published.year != year)):
            continue
        pid, name = publisher(corpus, doc)
        row = publishers.setdefault(pid, PublisherChains(pid, name))
        chain = judge(doc)
        setattr(row, chain.status, getattr(row, chain.status) + 1)
        late = [LateStep(t.step, t.date.isoformat(), t.working_days or 0, t.limit) for t in chain.late_steps]
        row.entries.append(ChainEntry(doc.slug, doc.published.isoformat() if doc.published else "", chain.status,
                                      late, chain.released_after_publication))
    for row in publishers.values():
        row.entries.sort(key=lambda e: (e.status, e.slug))
    return sorted(publishers.values(), key=lambda p: (-(p.late + p.none + p.incomplete), p.id))


LIMITS = "/".join(str(REVIEW_LIMITS[s]) for s in REVIEW_STEPS)
STATUS_ZH = {ON_TIME: "按时", LATE: "逾期", UNJUDGED: "无法判断", INCOMPLETE: "不完整", NONE: "无记录"}
STATUS_EN = {ON_TIME: "on time", LATE: "late", UNJUDGED: "not judged (outside the holiday calendar)",
             INCOMPLETE: "incomplete", NONE: "without a chain"}


def _text(rows: list[PublisherChains], year: int | None) -> str:
    scope = f"{year} 年发布的" if year else ""
    out = [f"{scope}目录条目的发布流程（{' → '.join(REVIEW_STEPS)}，时限 {LIMITS} 个工作日）/ the release chain of "
           f"catalogue entries{f' published in {year}' if year else ''} (limits {LIMITS} working days)", ""]
    for row in rows:
        out.append(f"{row.name} ({row.id}): 条目 {row.total}，按时 {row.on_time}，逾期 {row.late}，无法判断 "
                   f"{row.unjudged}，不完整 {row.incomplete}，无记录 {row.none} / {row.total} entries: {row.on_time} "
                   f"on time, {row.late} late, {row.unjudged} not judged, {row.incomplete} incomplete, {row.none} "
                   "without a chain")
        for entry in row.entries:
            if entry.status == LATE:
                steps = "，".join(f"{s.step} {s.working_days}/{s.limit} 个工作日" for s in entry.late_steps)
                if entry.released_after_publication:
                    steps = "，".join(filter(None, [steps, "审发晚于发布日期 / released after publication"]))
                out.append(f"  逾期 / late: {entry.slug}（{steps}）")
        for status in (UNJUDGED, INCOMPLETE, NONE):
            slugs = [e.slug for e in row.entries if e.status == status]
            if slugs:
                out.append(f"  {STATUS_ZH[status]} / {STATUS_EN[status]}: {', '.join(slugs)}")
    totals = {s: sum(getattr(r, s) for r in rows) for s in (ON_TIME, LATE, UNJUDGED, INCOMPLETE, NONE)}
    out += ["", "合计 / in all: " + "，".join(f"{STATUS_ZH[s]} {n}" for s, n in totals.items()) + " / "
            + ", ".join(f"{n} {STATUS_EN[s]}" for s, n in totals.items())]
    return "\n".join(out) + "\n"


def render(corpus: Corpus, options: Options) -> Rendered:
    rows = chain_report(corpus, options.year)
    if options.fmt == "json":
        data = {"steps": list(REVIEW_STEPS), "limits": [REVIEW_LIMITS[s] for s in REVIEW_STEPS],
                "year": options.year, "publishers": [{**asdict(r), "total": r.total} for r in rows]}
        return Rendered(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    if options.fmt == "csv":
        lines = ({"publisher_id": r.id, "publisher": r.name, "slug": e.slug, "published": e.published,
                  "status": e.status,
                  "late_steps": "; ".join(f"{s.step} {s.working_days}/{s.limit}" for s in e.late_steps),
                  "released_after_publication": e.released_after_publication}
                 for r in rows for e in r.entries)
        return Rendered(csv_text(["publisher_id", "publisher", "slug", "published", "status", "late_steps",
                                  "released_after_publication"], lines))
    return Rendered(_text(rows, options.year))
