"""`gazette report units [--year Y] [--months N] [--as-of DATE]`: what each county and each department
published, month by month.

Units are the registry's agencies of kind `county` and `department`; an item counts for its lead issuer,
in the month of `published` (drafts left out, withheld items in). Per unit: items per month by
disclosure attribute and by catalogue class (the top of the tree), the share of its 主动公开 items
published within 20 working days of signing (Art. 26), the share of them with a Tibetan translation,
and whether it has been silent: nothing published in the N months (default 3) up to the day the report
is made for (`--as-of`, else today, or the year's last day for a past year).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field

from ..model import DISCLOSURE_VALUES, PROACTIVE, Corpus, Document
from ..workdays import DISCLOSURE_DEADLINE, CalendarRangeError, working_days_between
from .output import Options, Rendered, csv_text

UNIT_KINDS = {"county": ("县（市）", "counties"), "department": ("州级部门", "departments")}


@dataclass
class UnitCounts:
    id: str
    name: str
    kind: str
    months: list[dict[str, Counter[str]]] = field(default_factory=list)  # 12 × {disclosure, catalogue}
    proactive: int = 0
    within_deadline: int = 0
    uncounted: int = 0  # outside the holiday calendar
    translated: int = 0
    last_published: str | None = None
    silent: bool = False

    @property
    def items(self) -> int:
        return sum(sum(m["disclosure"].values()) for m in self.months)

    @property
    def within_share(self) -> float | None:
        counted = self.proactive - self.uncounted
        return round(100.0 * self.within_deadline / counted, 1) if counted else None

    @property
    def translation_share(self) -> float | None:
        return round(100.0 * self.translated / self.proactive, 1) if self.proactive else None

    def total(self, key: str) -> Counter[str]:
        result: Counter[str] = Counter()
        for month in self.months:
            result.update(month[key])
        return result


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the month's last day where it has fewer)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def _root(corpus: Corpus, cls: str) -> str:
    node = corpus.registry.catalogue.get(cls)
    while node is not None and node.parent is not None:
        node = corpus.registry.catalogue.get(node.parent)
    return node.id if node is not None else (cls or "-")


def units_report(corpus: Corpus, year: int, day: dt.date, silent_months: int) -> list[UnitCounts]:
    units = {a.id: UnitCounts(a.id, a.zh, a.kind, [{"disclosure": Counter(), "catalogue": Counter()}
                                                      for _ in range(12)])
             for a in corpus.registry.agencies.values() if a.kind in UNIT_KINDS}
    since = months_before(day, silent_months)
    latest: dict[str, dt.date] = {}
    for doc in corpus.documents.values():
        unit = units.get(doc.issuers[0]) if doc.issuers else None
        if unit is None or doc.is_draft or doc.published is None:
            continue
        if doc.published <= day and doc.published > latest.get(unit.id, dt.date.min):
            latest[unit.id] = doc.published
        if doc.published.year != year:
            continue
        month = unit.months[doc.published.month - 1]
        month["disclosure"][doc.disclosure or "-"] += 1
        month["catalogue"][_root(corpus, doc.catalogue)] += 1
        if doc.disclosure == PROACTIVE:
            _proactive(unit, doc)
    for unit in units.values():
        last = latest.get(unit.id)
        unit.last_published = last.isoformat() if last else None
        unit.silent = last is None or last <= since
    order = list(UNIT_KINDS)
    return sorted(units.values(), key=lambda u: (order.index(u.kind), u.silent is False, u.id))


def _proactive(unit: UnitCounts, doc: Document) -> None:
    unit.proactive += 1
    if "bo" in doc.translations:
        unit.translated += 1
    if doc.signed is None or doc.published is None:
        unit.uncounted += 1
        return
    try:
        if working_days_between(doc.signed, doc.published) <= DISCLOSURE_DEADLINE:
            unit.within_deadline += 1
    except CalendarRangeError:
        unit.uncounted += 1


def _pad(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - used)


def _share(value: float | None) -> str:
    return f"{value:.1f}%" if value is not None else "—"


def _text(units: list[UnitCounts], year: int, day: dt.date, months: int) -> str:
    out = [f"{year} 年各县（市）和州级部门的公开情况（截至 {day}）/ what each county and department published in "
           f"{year} (as of {day})",
           "按发布月份计数；20日内：主动公开文件成文后 20 个工作日内发布的比例；译文：有藏文译文的比例",
           "counted by month of publication; within 20: share of 主动公开 items out within 20 working days of "
           "signing; translated: share with a Tibetan translation", ""]
    for kind, (zh, en) in UNIT_KINDS.items():
        out.append(f"{zh} / {en}")
        out.append(_pad("  单位 / unit", 34) + " ".join(f"{m:>3}" for m in range(1, 13))
                   + "  合计  20日内    译文")
        for unit in (u for u in units if u.kind == kind):
            counts = [sum(m["disclosure"].values()) for m in unit.months]
            mark = "  沉默 / silent" if unit.silent else ""
            out.append(_pad(f"  {unit.name}", 34) + " ".join(f"{c:>3}" for c in counts)
                       + f"  {unit.items:>4}  {_share(unit.within_share):>6}  {_share(unit.translation_share):>6}"
                       + mark)
            if unit.items:
                attrs = "，".join(f"{k} {v}" for k, v in sorted(unit.total("disclosure").items()))
                classes = "，".join(f"{k} {v}" for k, v in sorted(unit.total("catalogue").items()))
                out.append(f"      {attrs}；{classes}")
        out.append("")
    silent = [u for u in units if u.silent]
    out.append(f"{months} 个月内没有发布的单位 {len(silent)} 个 / {len(silent)} units silent for {months} months:")
    for unit in silent:
        out.append(f"  {unit.name} ({unit.id})  最近发布 / last published: {unit.last_published or '—'}")
    return "\n".join(out) + "\n"


def render(corpus: Corpus, options: Options) -> Rendered:
    today = options.as_of or options.today
    year = options.year or today.year
    day = options.as_of or min(today, dt.date(year, 12, 31))
    units = units_report(corpus, year, day, options.months)
    if options.fmt == "json":
        rows = []
        for unit in units:
            data = asdict(unit)
            data["months"] = [{"month": i + 1, "items": sum(m["disclosure"].values()),
                               "disclosure": dict(m["disclosure"]), "catalogue": dict(m["catalogue"])}
                              for i, m in enumerate(unit.months)]
            rows.append({**data, "items": unit.items, "within_deadline_percent": unit.within_share,
                         "translated_percent": unit.translation_share})
        return Rendered(json.dumps({"year": year, "as_of": day.isoformat(), "silent_months": options.months,
                                    "units": rows}, ensure_ascii=False, indent=2) + "\n")
    if options.fmt == "csv":
        classes = [c.id for c in corpus.registry.catalogue_roots()]
        columns = ["unit_id", "unit", "kind", "month", "items", *DISCLOSURE_VALUES, *classes, "proactive",
                   "within_deadline", "within_deadline_percent", "translated", "translated_percent",
                   "last_published", "silent"]
        lines = []
        for unit in units:
            for i, month in enumerate([*unit.months, {"disclosure": unit.total("disclosure"),
                                                      "catalogue": unit.total("catalogue")}]):
                line = {"unit_id": unit.id, "unit": unit.name, "kind": unit.kind,
                        "month": f"{year}-{i + 1:02d}" if i < 12 else str(year),
                        "items": sum(month["disclosure"].values()), **dict.fromkeys([*DISCLOSURE_VALUES, *classes], 0),
                        **month["disclosure"], **month["catalogue"]}
                if i == 12:
                    line |= {"proactive": unit.proactive, "within_deadline": unit.within_deadline,
                             "within_deadline_percent": unit.within_share, "translated": unit.translated,
                             "translated_percent": unit.translation_share, "last_published": unit.last_published,
                             "silent": unit.silent}
                lines.append(line)
        return Rendered(csv_text(columns, lines))
    return Rendered(_text(units, year, day, options.months))
