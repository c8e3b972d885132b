"""The Tibetan web font, cut down to what the site's text draws, and Tibetan words drawn without a font.

Tibetan Machine Uni has 5,110 glyphs (4.5 MB; 765 KB as WOFF2): most are precomposed stacks that its
OpenType rules (GSUB/GPOS) substitute for letter sequences. A subset by characters alone keeps every stack
those characters could ever form (some 2,300 glyphs, 140 KB). Instead, each Tibetan syllable the site
shows is shaped with HarfBuzz (the shaper browsers use), and the subset keeps the glyphs shaping passes
through and ends with, with the layout rules that lead to them (fontTools, `layout_closure` off), plus a
glyph for every Tibetan character of the font's cmap, so that text typed into the search box shows
letters rather than boxes. A browser shaping the site's text with the subset reaches the same glyphs as
with the whole font.

Shaping never crosses a tsheg (stacks are built inside a syllable), so the unit is the syllable with its
tsheg. The syllables come from what the pages are drawn from (the Publication, the theme's strings, the
settings, labels.py), not from reading the written pages back: each document's are kept by its content
hash, so a build of 10,000 documents reads only the changed ones. The subset is cached in
`build/.cache/webfont/`, keyed by the font's bytes and the glyphs kept.

A Chinese page shows one Tibetan word, the language's name བོད་ཡིག (language switch, download labels):
rather than make every Chinese reader download a Tibetan font for it, `script_label` draws it as an inline
SVG of the same font's outlines (shaped the same way), with its text as the accessible name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .file_memo import FileMemo, identity
from .labels import PART_WORDS, TIBETAN_DIGITS, Labels

if TYPE_CHECKING:
    from .publication import Publication, PublicDocument

WEB_FONT = "gazette-tibetan.woff2"  # under /theme/fonts/: the name the theme's CSS gives in @font-face
TIBETAN_RUN = re.compile("[\u0f00-\u0fff]+")
SYLLABLE = re.compile("[^\u0f0b]+\u0f0b?|\u0f0b")
# Characters the font draws around Tibetan: joiners and the dotted circle a shaper shows for a lone mark.
EXTRA = (0x200B, 0x200C, 0x200D, 0x25CC)
RECIPE = "hb-shaped-glyphs-and-steps,no-layout-closure,cmap-tibetan,no-hinting,woff2-untransformed,v1"


def syllables(texts: Iterable[str]) -> set[str]:
    """Every Tibetan syllable (with its tsheg) of the texts."""
    found: set[str] = set()
    for text in texts:
        for run in TIBETAN_RUN.findall(text):
            found.update(SYLLABLE.findall(run))
    return found


def _shaped_each(font_bytes: bytes, words: Iterable[str]) -> dict[str, list[int]]:
    """Each word → every glyph shaping it passes through: the final ones and those in between (a stack is
    often built in steps, one lookup's output the next one's input; a subset without the steps' glyphs loses
    the rules that lead to the last one). HarfBuzz reports the buffer after each lookup to a message
    function."""
    import uharfbuzz as hb

    words = list(words)
    if not words:
        return {}
    font = hb.Font(hb.Face(font_bytes))
    shaped: dict[str, list[int]] = {}
    for word in words:
        glyphs: set[int] = set()
        buffer = hb.Buffer()
        buffer.add_str(word)
        buffer.guess_segment_properties()

        def seen(_message: str, buffer: hb.Buffer = buffer, glyphs: set[int] = glyphs) -> bool:
            glyphs.update(info.codepoint for info in buffer.glyph_infos)
            return True

        buffer.set_message_func(seen)
        hb.shape(font, buffer, {})
        glyphs.update(info.codepoint for info in buffer.glyph_infos)
        shaped[word] = sorted(glyphs)
    return shaped


def subset(font_file: Path, words: Iterable[str], cache: Path) -> bytes:
    """The WOFF2 subset of `font_file` that draws `words` as the whole font does; cached by its inputs."""
    font_bytes = font_file.read_bytes()
    font_sha = hashlib.sha256(font_bytes).hexdigest()
    glyphs = ShapedWords(cache / "shaped.json", font_sha).glyphs(font_bytes, words)
    key = hashlib.sha256(f"{font_sha}\0{sorted(glyphs)}\0{RECIPE}".encode())
    cached = cache / f"{key.hexdigest()[:32]}.woff2"
    if cached.is_file():
        return cached.read_bytes()
    if key.hexdigest() in _MADE:  # made in this process for another output
        data = _MADE[key.hexdigest()]
        _store(cache, cached, data)
        return data
    # Imported only to cut a new subset: the subsetter's import is a fifth of a second of every build
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.woff2 import WOFF2FlavorData

    font = TTFont(io.BytesIO(font_bytes), recalcTimestamp=False)  # the same inputs, the same bytes
    unicodes = [cp for cp in font.getBestCmap() if 0x0F00 <= cp <= 0x0FFF or cp in EXTRA]
    options = ft_subset.Options()
    options.layout_features = ["*"]  # every feature of the kept rules: Tibetan needs ccmp, abvs, blws, …
    options.layout_closure = False  # keep the rules that lead to kept glyphs, add no glyph they could make
    options.hinting = False  # browsers on phones do not use TrueType hinting; it is a third of the file
    options.name_IDs = ["*"]  # the licence (OFL… / GPL with font exception) stays in the font
    options.notdef_outline = True
    options.flavor = "woff2"
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(gids=sorted(glyphs), unicodes=unicodes)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    # WOFF2 without its glyf/loca transform: fontTools does that transform in Python, glyph by glyph (about
    # two thirds of the time to cut the font), for some 10 % of the file; Brotli still compresses the whole.
    font.flavorData = WOFF2FlavorData(transformedTables=())
    font.save(out)
    data = out.getvalue()
    _MADE[key.hexdigest()] = data
    _forget_oldest(_MADE, 4)
    _store(cache, cached, data)
    return data


# The last subsets this process made, by their keys: another output built by the same process (a preview
# beside a build; the tests) with the same text reuses them.
_MADE: dict[str, bytes] = {}
_SHAPED: dict[tuple[str, str], list[int]] = {}  # (font's SHA-256, syllable) → glyphs, shaped in this process


class ShapedWords:
    """The glyphs shaping each syllable passes through, kept by the font's SHA-256 (`file`, in the web
    font's cache): shaping does not cross a syllable, so the site's glyphs are the union of its syllables'
    and a build shapes only the syllables no build has shaped with this font."""

    def __init__(self, file: Path, font_sha: str) -> None:
        self.file, self.font_sha = file, font_sha
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            kept = data["words"] if data.get("font") == font_sha else {}
            self.known: dict[str, list[int]] = {
                str(w): [int(g) for g in glyphs] for w, glyphs in kept.items() if isinstance(glyphs, list)}
        except (OSError, ValueError, TypeError, AttributeError, KeyError):
            self.known = {}

    def glyphs(self, font_bytes: bytes, words: Iterable[str]) -> set[int]:
        words = set(words)
        new = sorted(words - self.known.keys())
        unknown = [word for word in new if (self.font_sha, word) not in _SHAPED]
        for word, glyphs in _shaped_each(font_bytes, unknown).items():
            _SHAPED[(self.font_sha, word)] = glyphs
        self.known.update({word: _SHAPED[(self.font_sha, word)] for word in new})
        while len(_SHAPED) > 200_000:
            del _SHAPED[next(iter(_SHAPED))]
        if len(self.known) != len(words):  # the text of a document no longer published leaves the file
            self.known = {word: self.known[word] for word in words}
        if new or len(self.known) != len(words):
            self._write()
        found: set[int] = set()
        for word in words:
            found.update(self.known[word])
        return found

    def _write(self) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        partial = self.file.with_suffix(".part")
        partial.write_text(json.dumps({"font": self.font_sha, "words": self.known}, ensure_ascii=False,
                                      separators=(",", ":")), encoding="utf-8")
        os.replace(partial, self.file)


def _forget_oldest(memo: dict[str, Any], keep: int) -> None:
    while len(memo) > keep:
        del memo[next(iter(memo))]


def _store(cache: Path, cached: Path, data: bytes) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("*.woff2"):  # one subset is kept: the site's glyphs change as its text does
        old.unlink()
    partial = cached.with_suffix(".part")
    partial.write_bytes(data)
    os.replace(partial, cached)


class SyllableCache:
    """Each document's Tibetan syllables, kept by its content hash: a build reads the text of the
    documents that changed only. Entries of documents no longer published leave with the next write."""

    def __init__(self, file: Path) -> None:
        self.file = file
        seen = identity(file)
        remembered = _syllable_files.get(file, seen) if seen is not None else None
        if remembered is not None:  # written or read by this process, and unchanged since
            self.old: dict[str, str] = dict(remembered)
        else:
            try:
                self.old = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.old = {}
            if not isinstance(self.old, dict) or not all(isinstance(v, str) for v in self.old.values()):
                self.old = {}
            if seen is not None:
                _syllable_files.put(file, dict(self.old), seen)
        self.kept = set(self.old)
        self.new: dict[str, str] = {}

    def of(self, doc: PublicDocument) -> list[str]:
        key = doc.content_hash
        if key not in self.old:
            texts = [part for t in doc.texts.values()
                     for part in (t.title, t.summary, " ".join(t.keywords), t.text, repr(t.parts))]
            texts += [a.title for a in doc.attachments]
            self.old[key] = "\n".join(sorted(syllables(texts)))
        self.new[key] = self.old[key]
        return self.new[key].split("\n") if self.new[key] else []

    def write(self) -> None:
        if self.new.keys() == self.kept:  # the same documents' syllables: the file holds them already
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        partial = self.file.with_suffix(".part")
        partial.write_text(json.dumps(self.new, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(partial, self.file)
        _syllable_files.put(self.file, dict(self.new))


_syllable_files = FileMemo(1)  # the syllables file this process last wrote or read


def _label_words(settings: Mapping[str, Any]) -> Iterator[str]:
    """What labels.py writes in Tibetan: its words, and digits in every pair and triple (Tibetan Machine
    Uni has contextual forms of a digit after another)."""
    labels = Labels.from_settings(settings)
    yield labels.date(dt.date(2026, 12, 31), "bo") + labels.issue(2026, 12, "bo") + labels.total(100, "bo")
    yield labels.printed(dt.date(2026, 1, 1), "bo") + labels.addressee("་", "bo") + labels.note("་", "bo")
    yield " ".join(labels.part(name, "bo") for name in PART_WORDS)
    yield " ".join(labels.file_size(n, "bo") for n in (1024, 2 << 20))
    digits = TIBETAN_DIGITS
    yield " ".join(a + b + c for a in digits for b in digits for c in ("", *digits))


def site_words(pub: Publication, settings: Mapping[str, Any], theme: Path, cache: SyllableCache) -> set[str]:
    """Every Tibetan syllable the site's pages (and the search service's, in the same theme) can show: the
    Publication's documents (by `cache`) and the other texts (`site_texts`)."""
    words = syllables(site_texts(pub, settings, theme))
    for doc in pub.documents.values():
        words.update(cache.of(doc))
    return words


def site_texts(pub: Publication, settings: Mapping[str, Any], theme: Path) -> Iterator[str]:
    """Every text the site's pages can show besides the documents': the Publication's issues, pages and
    registry; the theme's strings; the settings' names; the words and digits of labels.py; the languages'
    names."""
    for issue in pub.issues:
        yield " ".join(p.bo for p in issue.inside_front + issue.inside_back + issue.back_cover)
    for page in pub.pages.values():
        yield page.title
        yield page.html
    for source in pub.registry.sources.values():
        yield source.raw.decode("utf-8", "replace")
    for strings in sorted((theme / "translations").rglob("*")):
        if strings.suffix in {".yml", ".po"}:
            yield strings.read_text(encoding="utf-8")
    yield repr(sorted((k, repr(v)) for k, v in settings.items() if k.startswith("GAZETTE_")))
    yield from _label_words(settings)
    yield "བོད་ཡིག"


def write_web_font(pub: Publication, settings: Mapping[str, Any], web_root: Path, theme: Path, font_file: Path,
                   cache: Path) -> int:
    """Write the subset for the site's text to /theme/fonts/; returns its size."""
    documents = SyllableCache(cache / "syllables.json")
    data = subset(font_file, site_words(pub, settings, theme, documents), cache)
    documents.write()
    target = web_root / "theme" / "fonts" / WEB_FONT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return len(data)


# Where the drawn labels are kept between processes (`kept_labels`): loading the font with fontTools to draw
# the one label takes a third of a second, more than the few pages an edit redraws.
_LABELS: list[Path] = []
LABEL_RECIPE = "svg-path-round,bounds-pad-1/16,v1"


@contextmanager
def kept_labels(folder: Path) -> Iterator[None]:
    """Within it, `_label_path` keeps what it draws in `folder` (`labels.json`), by the font's SHA-256, the
    text and the recipe."""
    _LABELS.append(folder / "labels.json")
    try:
        yield
    finally:
        _LABELS.pop()


@lru_cache(maxsize=8)
def _label_path(font_file: Path, text: str) -> tuple[str, tuple[int, int, int, int], int]:
    """(SVG path data, ink box (x, y, width, height) in SVG coordinates, units per em) of `text` in the font."""
    font_bytes = font_file.read_bytes()
    if not _LABELS:
        return _draw_label(font_bytes, text)
    key = hashlib.sha256(f"{hashlib.sha256(font_bytes).hexdigest()}\0{text}\0{LABEL_RECIPE}".encode()).hexdigest()
    try:
        kept = json.loads(_LABELS[-1].read_text(encoding="utf-8"))
        kept = kept if isinstance(kept, dict) else {}
    except (OSError, ValueError):
        kept = {}
    try:
        path, box, per_em = kept[key]
        x, y, w, h = (int(v) for v in box)
        return str(path), (x, y, w, h), int(per_em)
    except (ValueError, TypeError, KeyError):
        drawn = _draw_label(font_bytes, text)
    kept = {k: v for k, v in kept.items() if k != key}
    kept = dict(list(kept.items())[-7:]) | {key: drawn}  # a few: the labels of one font, of one or two fonts
    _LABELS[-1].parent.mkdir(parents=True, exist_ok=True)
    partial = _LABELS[-1].with_suffix(f".{os.getpid()}.part")  # processes drawing pages at once (workers.py)
    partial.write_text(json.dumps(kept), encoding="utf-8")
    os.replace(partial, _LABELS[-1])
    return drawn


def _draw_label(font_bytes: bytes, text: str) -> tuple[str, tuple[int, int, int, int], int]:
    import uharfbuzz as hb
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_bytes))
    glyph_set, order = font.getGlyphSet(), font.getGlyphOrder()
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(hb.Font(hb.Face(font_bytes)), buffer, {})
    pen, bounds = SVGPathPen(glyph_set, ntos=lambda v: str(round(v))), BoundsPen(glyph_set)
    x = 0
    for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        # y grows downwards in SVG: flip the outlines about the baseline.
        move = (1, 0, 0, -1, x + pos.x_offset, -pos.y_offset)
        glyph_set[order[info.codepoint]].draw(TransformPen(pen, move))
        glyph_set[order[info.codepoint]].draw(TransformPen(bounds, move))
        x += pos.x_advance
    x0, y0, x1, y1 = (round(v) for v in bounds.bounds or (0, 0, x, 0))
    pad = font["head"].unitsPerEm // 16
    return pen.getCommands(), (x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad), font["head"].unitsPerEm


def script_label_symbol(text: str, font_file: Path, symbol_id: str) -> Markup:
    """The outlines of `text`, defined once in a page (an SVG symbol) for `script_label` to show."""
    path, (x, y, w, h), _ = _label_path(font_file, text)
    return Markup('<svg class="symbols" aria-hidden="true" focusable="false"><symbol id="{id}" '
                  'viewBox="{x} {y} {w} {h}"><path d="{path}"/></symbol></svg>').format(
        id=symbol_id, x=x, y=y, w=w, h=h, path=path)


def script_label(text: str, lang: str, font_file: Path, symbol_id: str) -> Markup:
    """`text` (a language's name in its own script) drawn from the page's symbol, in a span marked with its
    language (which the theme sets at that script's size); named by the text itself for screen readers."""
    _, (_, y, w, h), per_em = _label_path(font_file, text)
    scale = 1 / per_em  # in em of its span, which the theme sets at the Tibetan size (`[lang="bo"]`)
    return Markup('<span lang="{lang}"><svg class="script-label" role="img" aria-label="{text}" width="{w:.2f}em" '
                  'height="{h:.2f}em" viewBox="0 0 {vw} {vh}" fill="currentColor"><use href="#{id}"/></svg></span>'
                  ).format(
        text=text, lang=lang, w=w * scale, h=h * scale, vw=w, vh=h, id=symbol_id)
