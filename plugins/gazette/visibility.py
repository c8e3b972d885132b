"""What of an item may appear in any output: the disclosure rules, in one place.

| value                   | what reaches the outputs                                             |
|-------------------------|----------------------------------------------------------------------|
| 主动公开 + 非涉密        | everything: page, body, attachments, PDF, search, feeds, open data   |
| 依申请公开 + 非涉密      | a catalogue entry: metadata only, no body, no attachments            |
| 不予公开, drafts, 涉密   | nothing (and 涉密 stops the build before anything is written)        |

Fixed pages follow the same rule: a page is published only when it is not a draft, states no secrecy
other than 非涉密 and no disclosure other than 主动公开 (pages state neither as a rule; stating one is
taken at its word). This module depends on the model alone, so the checks, the Publication and the
editors' reports all ask the same function.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from .model import NOT_SECRET, ON_REQUEST, PROACTIVE, Corpus, Document, GazetteIssue, Page, text


class Visibility(Enum):
    FULL = "full"  # 主动公开
    METADATA = "metadata"  # 依申请公开: the catalogue entry only
    NONE = "none"


def visibility(doc: Document) -> Visibility:
    """The one rule that decides what of a document may appear in any output."""
    if doc.is_draft or doc.secrecy != NOT_SECRET:
        return Visibility.NONE
    if doc.disclosure == PROACTIVE:
        return Visibility.FULL
    if doc.disclosure == ON_REQUEST:
        return Visibility.METADATA
    return Visibility.NONE


def corpus_visibility(corpus: Corpus, known: Mapping[str, Visibility] | None = None) -> dict[str, Visibility]:
    """Every document's visibility, by slug: what the checks, the Publication and the reports all use.
    `known`: what this rule said of some documents' same bytes in an earlier build (the Publication's
    cache, `publication_cache.py`), so that their files need not be read to say it again."""
    known = known or {}
    return {slug: known[slug] if slug in known else visibility(doc) for slug, doc in corpus.documents.items()}


def page_visibility(page: Page) -> Visibility:
    """A fixed page is published whole or not at all."""
    meta = page.source.meta
    if page.is_draft:
        return Visibility.NONE
    if "secrecy" in meta and text(meta.get("secrecy")) != NOT_SECRET:
        return Visibility.NONE
    if "disclosure" in meta and text(meta.get("disclosure")) != PROACTIVE:
        return Visibility.NONE
    return Visibility.FULL


def issue_is_public(issue: GazetteIssue) -> bool:
    """A gazette issue is published when its manifest says so; its items are filtered one by one."""
    return issue.is_published and issue.year is not None and issue.number is not None


def past_visibility(raw: bytes, path: str) -> Visibility:
    """The visibility an earlier version of a document's original had (its bytes from git), by the same
    rule; a version that cannot be read counts as never public."""
    from .frontmatter import parse_markdown

    try:
        source = parse_markdown(raw, path)
    except Exception:  # any unreadable version: not public, so none of its dates is shown
        return Visibility.NONE
    return visibility(Document(source.path.rsplit("/", 1)[-1].split(".", 1)[0], source))
