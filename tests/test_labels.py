"""Dates, issue numbers, running totals and digits: one wording in every output (labels.py).

The issue's labels are drawn through each output's own path (the site's Jinja macros, the print HTML of
the issue PDF, the search index entries) and compared; no PDF is rendered and no site is built."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from factory import ContentFactory
from gazette import theme as templates
from gazette.checks import check_content
from gazette.labels import Labels, tibetan_digits, to_arabic
from gazette.pdf import readback
from gazette.pdf.furniture import Furniture
from gazette.pdf.html import HtmlBuilder
from gazette.publication import Publication, PublicIssue, build_publication
from gazette.search.build import entries
from gazette.settings import load_settings

SITE_LABELS = ('{% import "components.html" as c with context %}'
               '{{ c.issue_label(issue) }}|{{ issue.date|date_in(lang) }}|{{ issue.year|digits(lang) }}')


def test_tibetan_wording() -> None:
    labels = Labels(tibetan_digits=True)
    assert labels.issue(2026, 8, "bo") == "སྤྱི་ལོ་༢༠༢༦ ལོའི་དེབ་ ༨ པ།"
    assert labels.total(158, "bo") == "དེབ་བསྡོམས་ ༡༥༨ པ།"
    assert labels.date(dt.date(2026, 3, 2), "bo") == "སྤྱི་ལོ་༢༠༢༦ ལོའི་ཟླ་ ༣ ཚེས་ ༢ ཉིན།"
    assert labels.counter_style("bo") == "tibetan"
    assert (labels.issue(2026, 8, "zh"), labels.total(158, "zh")) == ("2026年第8期", "总第158期")
    assert labels.date(dt.date(2026, 3, 2), "zh") == "2026年3月2日"
    arabic = Labels(tibetan_digits=False)
    assert arabic.total(158, "bo") == "དེབ་བསྡོམས་ 158 པ།" and arabic.counter_style("bo") == "decimal"


def test_one_setting_one_default() -> None:
    assert tibetan_digits({}) is True  # unset: Tibetan text with Tibetan digits, on the site and in print
    assert tibetan_digits({"GAZETTE_TIBETAN_DIGITS": False}) is False
    assert Furniture("bo", {}).labels == Labels.from_settings({}) == Labels(tibetan_digits=True)


def test_digits_read_back() -> None:
    assert to_arabic("༢༠༢༦ 0836") == "2026 0836"
    assert readback.arabic("༡༥༨") == 158
    assert readback.folio("text\n— ༡༢ —\n") == 12


@pytest.fixture(scope="module")
def publication(tmp_path_factory: pytest.TempPathFactory) -> Publication:
    content = ContentFactory(tmp_path_factory.mktemp("labels") / "content")
    content.document("notice-a")
    content.translation("notice-a")
    content.issue(2026, 3, [{"section": "prefecture-documents", "items": ["notice-a"]}], date="2026-03-28",
                  total=158)
    corpus, findings = check_content(content.root)
    assert not [f for f in findings if f.level == "error"], findings
    return build_publication(corpus)


def _site(issue: PublicIssue, settings: dict[str, Any], lang: str) -> tuple[str, str, str, str]:
    env = templates.environment(settings)
    env.install_gettext_translations(templates.translations(settings, lang), newstyle=True)  # type: ignore[attr-defined]
    rendered = env.from_string(SITE_LABELS).render(issue=issue, lang=lang)
    label, date, year = rendered.split("|")
    number, total = re.fullmatch(r'(.*) <span class="issue-total">(.*)</span>', label).groups()  # type: ignore[union-attr]
    return number, html.unescape(total), date, year


def _print(publication: Publication, issue: PublicIssue, settings: dict[str, Any], lang: str) -> tuple[str, str]:
    page = HtmlBuilder(publication, settings).issue_job(issue, lang).html
    cover = re.search(r'<p class="issue">(.*?)</p>', page)[1]  # type: ignore[index]
    date = re.search(r'<p class="date">(.*?)</p>', page)[1]  # type: ignore[index]
    return html.unescape(cover), html.unescape(date)


@pytest.mark.parametrize("digits", [None, True, False])
@pytest.mark.parametrize("lang", ["bo", "zh"])
def test_site_print_and_search_agree(publication: Publication, lang: str, digits: bool | None) -> None:
    settings = load_settings()
    if digits is None:
        settings.pop("GAZETTE_TIBETAN_DIGITS", None)  # the default is one for every output too
    else:
        settings["GAZETTE_TIBETAN_DIGITS"] = digits
    issue = publication.issues[0]
    number, total, date, year = _site(issue, settings, lang)
    cover, printed_date = _print(publication, issue, settings, lang)
    assert cover == f"{number}　{total}"  # the cover prints the issue and the running total as the site shows them
    assert printed_date == date
    furniture = Furniture(lang, settings)
    assert (furniture.issue(issue.year, issue.number), furniture.total(issue.total)) == (number, total)
    searched = [e for e in entries(publication, Labels.from_settings(settings)) if e.lang == lang and e.issue]
    assert searched and {e.labels["issue"] for e in searched} == {number}
    assert {e.issue for e in searched} == {"2026-03"}  # the filter's key stays plain
    if lang == "bo":
        assert "དེབ་བསྡོམས་" in total and "ཕྲེང་" not in number + total
        tibetan = digits is not False
        assert (year == "༢༠༢༦") is tibetan and ("༡༥༨" in total) is tibetan and ("158" in total) is not tibetan
        assert furniture.counter_style == ("tibetan" if tibetan else "decimal")
    else:
        assert (number, total, date) == ("2026年第3期", "总第158期", "2026年3月28日")

