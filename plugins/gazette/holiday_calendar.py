"""The years of the national holiday calendar that the office adds itself: `content/registry/calendar.yml`.

The pinned `chinese-calendar` package carries the State Council's announcements up to its last year. Each
autumn the State Council announces the next year's holidays and moved working days (国务院办公厅关于某年部分
节假日安排的通知); until a package release carries them, every deadline that runs into that year cannot be
counted, and a request received in December would get no due date. The office copies the announcement here:

    2027:
      source: 国办发明电〔2026〕…号        # the announcement
      holidays: [2027-01-01, 2027-02-06, …]  # days off that would be working days (weekdays of the breaks)
      workdays: [2027-02-14, …]              # weekend days that are working days (调休上班日)

A year is used only where it follows the last year known (the package's, or one added before it); a year the
package knows is left to the package. Every fault is a finding with the file's line, and a faulty year is not
used: a wrong holiday would move every deadline around it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .findings import Finding, error, warning
from .frontmatter import SourceError, read_source
from .model import parse_date
from .workdays import AddedYear, package_years

FILE = "registry/calendar.yml"


def read_calendar(content: Path, files: set[str] | list[str], findings: list[Finding]) -> dict[int, AddedYear]:
    """The usable years of `registry/calendar.yml` (none without the file); its faults go to `findings`."""
    if FILE not in files:
        return {}
    try:
        source = read_source(content, FILE)
    except SourceError as exc:
        findings.append(exc.finding)
        return {}
    data = source.meta
    if not isinstance(data, dict):
        findings.append(_fault(1, "", "应按年份写：2027: {holidays: [...], workdays: [...]}", "write one entry a "
                               "year: '2027: {holidays: [...], workdays: [...]}'"))
        return {}
    known_first, known_last = package_years()
    years: dict[int, AddedYear] = {}
    for key, entry in data.items():
        line = source.line(str(key))
        year = key if isinstance(key, int) and not isinstance(key, bool) else None
        if year is None or not isinstance(entry, dict):
            findings.append(_fault(line, str(key), f"“{key}”应是年份，下面写 holidays 和 workdays",
                                   f"'{key}' must be a year with 'holidays' and 'workdays' under it"))
            continue
        if known_first <= year <= known_last:
            findings.append(warning("CAL-KNOWN", FILE, line, str(year),
                                    f"chinese-calendar 已包含 {year} 年，此处的安排不使用",
                                    f"chinese-calendar already has {year}; this entry is not used",
                                    "删去这一年", "remove the year"))
            continue
        parsed = _year(year, entry, line, findings)
        if parsed is not None:
            years[year] = parsed
    usable: dict[int, AddedYear] = {}
    next_year = known_last + 1
    while next_year in years:
        usable[next_year] = years.pop(next_year)
        next_year += 1
    for year in sorted(years):
        findings.append(warning("CAL-GAP", FILE, source.line(str(year)), str(year),
                                f"{year} 年之前的 {next_year} 年没有节假日安排，{year} 年暂不使用",
                                f"{next_year}, before {year}, has no holiday arrangement: {year} is not used yet",
                                f"先补上 {next_year} 年", f"add {next_year} first"))
    return usable


def _year(year: int, entry: dict, line: int, findings: list[Finding]) -> AddedYear | None:
    days: dict[str, list[dt.date]] = {}
    ok = True
    for field in ("holidays", "workdays"):
        values = entry.get(field, [])
        values = values if isinstance(values, list) else [values]
        dates = [parse_date(v) for v in values]
        bad = [str(v) for v, d in zip(values, dates, strict=True) if d is None or d.year != year]
        weekday_off = field == "workdays" and [d for d in dates if d is not None and d.weekday() < 5]
        if bad:
            findings.append(_fault(line, f"{year}.{field}", f"{field} 中有不是 {year} 年日期的值：{', '.join(bad)}",
                                   f"'{field}' holds values that are not dates of {year}: {', '.join(bad)}"))
            ok = False
        elif weekday_off:
            findings.append(_fault(line, f"{year}.workdays", "workdays 只写周末调休上班的日子："
                                   + ", ".join(d.isoformat() for d in weekday_off),
                                   "'workdays' lists weekend days that are working days only: "
                                   + ", ".join(d.isoformat() for d in weekday_off)))
            ok = False
        days[field] = [d for d in dates if d is not None]
    both = set(days["holidays"]) & set(days["workdays"])
    if both:
        findings.append(_fault(line, str(year), "同一天既放假又上班：" + ", ".join(sorted(d.isoformat() for d in both)),
                               "a day both off and worked: " + ", ".join(sorted(d.isoformat() for d in both))))
        ok = False
    if not days["holidays"]:
        findings.append(_fault(line, f"{year}.holidays", f"{year} 年没有写放假日期", f"{year} lists no holidays"))
        ok = False
    return AddedYear(frozenset(days["holidays"]), frozenset(days["workdays"])) if ok else None


def _fault(line: int, field: str, zh: str, en: str) -> Finding:
    return error("CAL-FORMAT", FILE, line, field, zh, en,
                 "按国务院办公厅的节假日安排通知照抄日期（YYYY-MM-DD）；该年不使用，直到改正",
                 "copy the dates (YYYY-MM-DD) from the State Council's announcement; the year is not used until "
                 "corrected")
