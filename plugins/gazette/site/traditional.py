"""The Traditional-character (繁体) pages: each Chinese page as drawn, its text converted by OpenCC.

The copy is made from the Chinese page's own HTML, so it shows exactly what that page shows, from the
same Publication: nothing reaches it by another path.

OpenCC's `s2t` changes characters and keeps the words: 政府信息公开 becomes 政府信息公開, 发布机构 發佈機構.
The regional configurations also change vocabulary (`s2twp`: 政府資訊公開, 釋出機構, 文件 → 檔案), which
would rewrite the terms of the 条例 and of the documents themselves; the page is a reading aid for the
same official text, so only the script changes. `s2t` writes OpenCC's standard forms, which belong to no
region, as the page's `lang` (zh-Hant) says; `s2tw` and `s2hk` also keep the words but write one region's
variants (為, 裡, 著 for 爲, 裏, 着): the setting below, should the prefecture prefer one.

Left as written:
- an element marked `translate="no"` (document numbers, index numbers and the names of the languages in
  the templates);
- a document number of the Publication wherever a text quotes it (`甘府发〔2026〕3号` is an identifier,
  not a word), and the `〔year〕n号` part of any other;
- every name the registry gives its own Traditional label (`zh_hant`), which is written as given;
- addresses (`href`, `src`): an attachment's file name is the file's, whatever its script;
- whatever is not Chinese (OpenCC changes Chinese characters only: Tibetan, digits, URLs pass through).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cache

import opencc

from .. import urls
from ..registry import Registry

CONFIG = "s2t"
VERSION = f"opencc-{opencc.__version__}-{CONFIG}"  # part of the pages' keys: a new OpenCC redraws them
_SEPARATOR = "\ue000"  # a private-use character: OpenCC passes it through, so pieces convert in one call
_KEEP = r'<(?P<tag>[a-z][a-z0-9]*)\b[^>]*\stranslate="no"[^>]*>.*?</(?P=tag)>'
_NUMBER = (r"〔\d{4}〕\d+号", r"令第\d+号")  # 甘府发〔2026〕3号; an order: 甘孜藏族自治州人民政府令第1号
_ATTRIBUTES = ("href", "src", "srcset", "action")  # a file's name in a link is the file's, in any script
_LANG = 'lang="zh"'


def _word(word: str) -> str:
    """`word` at the start of a word (what `\\b` says), written to begin with its first letter: the scan
    then skips, in C, every place no alternative can start at (see `TraditionalConverter`)."""
    return f"{re.escape(word[0])}(?<!\\w{re.escape(word[0])}){re.escape(word[1:])}"


_LINK = re.compile(r'<(?:a|link)\s[^>]*>')
_CURRENT = ' aria-current="page"'


@cache
def _opencc() -> opencc.OpenCC:
    """Loading the dictionaries takes a tenth of a second: once a process, and only once a copy is drawn."""
    return opencc.OpenCC(CONFIG)


class TraditionalConverter:
    """Converts the HTML of a drawn Chinese page into its Traditional-character copy."""

    def __init__(self, registry: Registry, doc_numbers: Iterable[str], public_url: str = "") -> None:
        # A link to a Chinese page, root-relative or on the public address (the canonical link).
        self._href = re.compile(r'href="(' + re.escape(public_url) + r')?/zh/([^"]*)"')
        entries = [*registry.agencies.values(), *registry.catalogue.values(), *registry.sections.values(),
                   *registry.genres.values()]
        self.names = {e.zh: e.zh_hant for e in entries if e.zh and e.zh_hant}
        # The code before the bracket (甘府发) or before 令第 (the body that issues an order) of each known
        # number: found to the left of a 〔year〕n号 or a 令第n号, wherever a text quotes a number.
        self._codes = {re.split(r"〔|令第", n)[0] for n in doc_numbers if n and ("〔" in n or "令第" in n)}
        # One pattern, each alternative beginning with a literal character and none in a group: Python's
        # regular expressions then jump from one possible first character to the next instead of trying
        # every alternative at every place (five times faster on a document page). Leftmost first, in this
        # order: an element kept whole, an address, a number (before a name where both start at one place:
        # an order of a body the registry names keeps its number whole), the language, a name.
        codes = sorted(self._codes, key=len, reverse=True)
        numbers = [re.escape(code) + f"(?:{'|'.join(_NUMBER)})" for code in codes] + list(_NUMBER)
        names = sorted(self.names, key=len, reverse=True)
        parts = [_KEEP, f"(?:{'|'.join(map(_word, _ATTRIBUTES))})=\"[^\"]*\"", *numbers, _word(_LANG),
                 *map(re.escape, names)]
        self._pattern = re.compile("|".join(parts), re.DOTALL)
        # What a copy depends on beyond its Chinese page: part of the copies' page keys. The codes, not the
        # numbers, so that a new document redraws no other page's copy.
        self.fingerprint = hashlib.sha256("\0".join(
            [VERSION, public_url, *sorted(self._codes), *sorted(f"{k}={v}" for k, v in self.names.items())]
        ).encode()).hexdigest()

    @property
    def _cc(self) -> opencc.OpenCC:
        return _opencc()

    def page(self, html: str) -> str:
        """The Traditional copy of a Chinese page's HTML; its links to Chinese pages lead to their copies."""
        pieces: list[tuple[str, bool]] = []  # (text, convert it)
        end = 0
        for match in self._pattern.finditer(html):
            before = html[end:match.start()]
            kept = match.group()
            if kept == _LANG:
                kept = f'lang="{urls.TRADITIONAL_LANG}"'
            elif kept in self.names:
                kept = self.names[kept]
            pieces += [(before, True), (kept, False)]
            end = match.end()
        pieces.append((html[end:], True))
        converted = iter(self._convert([text for text, convert in pieces if convert]))
        out = "".join(next(converted) if convert else text for text, convert in pieces)
        return _LINK.sub(self._links, out)

    def _links(self, match: re.Match[str]) -> str:
        """A link to a Chinese page leads to its Traditional copy. One that names its language (`hreflang`:
        the language switch, the alternates) leads where it says; the switch marks the copy as current."""
        tag = match.group()
        if "hreflang=" in tag:
            if 'hreflang="zh"' in tag:
                return tag.replace(_CURRENT, "")
            if f'hreflang="{urls.TRADITIONAL_LANG}"' in tag and tag.startswith("<a"):
                return tag[:-1] + _CURRENT + ">"
            return tag

        def href(m: re.Match[str]) -> str:
            url = f"/zh/{m.group(2)}"
            if not urls.has_traditional(url):
                return m.group()
            return f'href="{m.group(1) or ""}{urls.traditional(url)}"'

        return self._href.sub(href, tag)

    def _convert(self, texts: list[str]) -> list[str]:
        joined = self._cc.convert(_SEPARATOR.join(texts))
        out = joined.split(_SEPARATOR)
        return out if len(out) == len(texts) else [self._cc.convert(t) for t in texts]
