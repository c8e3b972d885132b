"""Atom feeds, written with feedgenerator (Pelican's own feed library): everything, and one per publisher.

Only 主动公开 documents are in a feed: an on-request entry is a catalogue record, not news, and its
text is not public. A language's feed carries the documents that exist in that language.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from feedgenerator import Atom1Feed

from .. import urls
from ..config import GazetteConfig
from ..publication import Publication, PublicDocument

BEIJING = ZoneInfo("Asia/Shanghai")


def _site_url(settings: dict[str, Any]) -> str:
    """The public address: a preview's feeds name the public site, never the preview's own host."""
    return GazetteConfig.from_settings(settings).public_url


def _feed(title: str, link: str, feed_url: str, lang: str, docs: list[PublicDocument], base: str) -> Atom1Feed:
    feed = Atom1Feed(title=title, link=base + link, feed_url=base + feed_url, description="", language=lang)
    for doc in docs:
        text = doc.text(lang)
        moment = dt.datetime.combine(doc.published, dt.time(9, 0), BEIJING)
        feed.add_item(
            title=text.title, link=base + doc.url(lang), unique_id=f"tag:gazette,{doc.index_no}:{lang}",
            # feedgenerator types the summary as HTML; it is an editor's plain text, so it is escaped.
            description=html.escape(text.summary, quote=False), content=text.html, pubdate=moment, updateddate=moment,
            author_name=doc.publisher.label(lang) if doc.publisher else "", categories=list(text.keywords),
        )
    return feed


def _write(feed: Atom1Feed, out: Path, url: str) -> None:
    path = out / urls.output_path(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        feed.write(handle, "utf-8")


def feed_plan(pub: Publication, settings: dict[str, Any],
              langs: list[str]) -> list[tuple[str, str, str, str, list[PublicDocument]]]:
    """Every feed: (its URL, title, the page it stands for, language, the documents it lists)."""
    limit = int(settings.get("GAZETTE_FEED_LIMIT", 50))
    names = settings.get("GAZETTE_SITE_NAME", {})
    plan = []
    for lang in langs:
        docs = pub.feed_documents(lang)
        plan.append((urls.feed_all(lang), names.get(lang, ""), urls.home(lang), lang, docs[:limit]))
        by_issuer: dict[str, list[PublicDocument]] = {}
        for doc in docs:  # one pass: the registry lists dozens of agencies
            for issuer in dict.fromkeys(a.id for a in doc.issuers):
                by_issuer.setdefault(issuer, []).append(doc)
        for agency in pub.registry.agencies.values():
            own = by_issuer.get(agency.id, [])
            if own:
                plan.append((urls.feed_publisher(agency.id, lang), f"{agency.label(lang)} — {names.get(lang, '')}",
                             urls.catalogue_publisher(agency.id, lang), lang, own[:limit]))
    return plan


class Feed:
    """One feed of the plan: what it is made from (`key`), and how it is written."""

    def __init__(self, base: str, url: str, title: str, link: str, lang: str, docs: list[PublicDocument]) -> None:
        self.base, self.url, self.title, self.link, self.lang, self.docs = base, url, title, link, lang, docs

    @property
    def key(self) -> str:
        """Its address, title, page and documents (by content hash, with their publisher's name: the
        registry's, not the document's), and the public address it names."""
        parts = [self.base, self.url, self.title, self.link, self.lang,
                 *(f"{d.slug}:{d.content_hash}:{d.publisher.label(self.lang) if d.publisher else ''}"
                   for d in self.docs)]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def write(self, out: Path) -> list[str]:
        """Write it; returns its path under `out`."""
        _write(_feed(self.title, self.link, self.url, self.lang, self.docs, self.base), out, self.url)
        return [urls.output_path(self.url)]


def feeds(pub: Publication, settings: dict[str, Any], langs: list[str]) -> list[Feed]:
    """Every feed, each keyed on its own: an edited document's feeds are written again, not all of them
    (an edit of a recent document is the usual one, and it is in its publisher's feed and the main one)."""
    base = _site_url(settings)
    return [Feed(base, *planned) for planned in feed_plan(pub, settings, langs)]
