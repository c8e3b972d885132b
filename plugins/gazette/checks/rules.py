"""The rule registry: what a rule is, what it is given, and the order rules run in.

A rule takes the whole corpus and the check context and yields findings; `@rule` registers it. Rule
modules import this module and nothing of the package's `__init__`, which imports them: no cycle.

A rule is either judged **per unit** (the default: its findings about a document group, a page or an issue
depend only on that unit's files and on the global inputs — the registry, the settings, the fonts, the
code, the day), so that an incremental check may keep them while the unit is unchanged
(`checks/incremental.py`), or **across units** (`@rule(across=True)`: a duplicate number, a link to another
document, an issue's items), which an incremental check runs again over the units tied to a change.

A rule that reads the day (`context.today`) is registered with `dated=True`, and keeps this contract: its
findings about a document, a page or an issue depend on the day only through the dates of that unit's
front matter that are later than the day (a date in the future). So when the day moves on, an
incremental check judges again only the units that held such a date; a unit whose dates had all passed
keeps its findings. (The requests register, whose deadlines age with the day, is judged on every check.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, overload
from zoneinfo import ZoneInfo

from ..findings import Finding
from ..model import Corpus


@dataclass
class CheckContext:
    """What rules may need beyond the corpus: the day the check is run for (Beijing), and the settings."""

    today: dt.date
    settings: dict[str, Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)  # what several rules derive once per run


Rule = Callable[[Corpus, CheckContext], Iterable[Finding]]
RULES: list[Rule] = []
_FIRST: list[Rule] = []
ACROSS: set[Rule] = set()  # rules that join units: run again over the units tied to a change
DATED: set[Rule] = set()  # rules that read the day (the contract above)


@overload
def rule(fn: Rule) -> Rule: ...
@overload
def rule(*, first: bool = False, across: bool = False, dated: bool = False) -> Callable[[Rule], Rule]: ...


def rule(fn: Rule | None = None, *, first: bool = False, across: bool = False,
         dated: bool = False) -> Rule | Callable[[Rule], Rule]:
    """Register a rule. `first=True`: it runs before every other rule, whatever the import order (the input
    limits, which empty a body no other rule may read), on everything the check reads. `across=True`: its findings
    about one unit depend on other units. `dated=True`: it reads the day (the module's docstring)."""

    def register(fn: Rule) -> Rule:
        (_FIRST if first else RULES).append(fn)
        if across or first:
            ACROSS.add(fn)
        if dated:
            DATED.add(fn)
        return fn

    return register(fn) if fn is not None else register


def ordered_rules() -> list[Rule]:
    return [*_FIRST, *RULES]


def first_rules() -> list[Rule]:
    return list(_FIRST)


def beijing_today() -> dt.date:
    """Today in Beijing, the date the date rules (nothing in the future, 20 working days) are judged by."""
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
