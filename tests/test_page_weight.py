"""What a reader's browser fetches, on the built sample: every page within its budget (bench/page_weight.py),
the Tibetan web font cut to the site's text yet shaping it as the whole font does, no Tibetan font on a
Chinese page, photographs resized without their metadata, both scripts marked where they meet."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from gazette import webfont
from gazette.fonts import TIBETAN_FONT
from gazette.labels import MINUS, is_number, signed_number
from gazette.site.images import resize
from gazette.static_files import shown_size
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "themes" / "gazette" / "static" / "fonts"
sys.path.insert(0, str(ROOT / "bench"))

import page_weight  # noqa: E402


@pytest.fixture(scope="module")
def pages(sample_site: Path) -> list[page_weight.Page]:
    return page_weight.weigh_site(sample_site)


def read(site: Path, url: str) -> str:
    return (site / url.lstrip("/") / "index.html").read_text(encoding="utf-8")


def test_every_page_kind_in_both_languages_within_budget(pages: list[page_weight.Page], sample_site: Path,
                                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kinds = {(p.kind, p.lang) for p in pages}
    for kind in ("home", "issue", "document", "catalogue", "catalogue class", "gazette archive", "page", "search"):
        assert {(kind, "zh"), (kind, "bo")} <= kinds
    over = [(p.url, p.total) for p in pages if p.total > p.budget]
    assert over == []
    monkeypatch.setattr(page_weight, "weigh_site", lambda root: pages)  # weighed once, by the fixture
    assert page_weight.main(["--site", str(sample_site)]) == 0
    assert page_weight.main(["--site", str(tmp_path)]) == 2  # not a built site


def test_chinese_pages_fetch_no_tibetan_font_and_tibetan_pages_the_subset(pages: list[page_weight.Page]) -> None:
    zh = [p for p in pages if p.lang == "zh" and p.kind != "language choice"]
    bo = [p for p in pages if p.lang == "bo"]
    assert zh and all(p.fonts == {} for p in zh), [p.url for p in zh if p.fonts][:3]
    assert bo and all(list(p.fonts) == ["/theme/fonts/" + webfont.WEB_FONT] for p in bo)


def test_tibetan_name_on_chinese_pages_is_drawn_not_typed(sample_site: Path) -> None:
    html = read(sample_site, "/zh/documents/czj-2026-zbj-yusuan/")
    body = html.split("<body", 1)[1]
    symbol = re.search(r'<symbol id="script-name-bo" viewBox="[-\d ]+"><path d="M[^"]{200,}"/></symbol>', body)
    assert symbol, "the outlines of བོད་ཡིག are defined once in the page"
    switch = body.split('class="language-switch"', 1)[1].split("</nav>", 1)[0]
    assert '<span lang="bo"><svg class="script-label" role="img" aria-label="བོད་ཡིག"' in switch
    assert '<use href="#script-name-bo"/>' in switch
    # No Tibetan character is left as text for a font to draw (only the SVG's accessible name).
    text = re.sub(r"<svg.*?</svg>|<[^>]+>", "", body, flags=re.S)
    assert not re.search("[\u0f00-\u0fff]", text)


def test_web_font_draws_the_site_as_the_whole_font_does(sample_site: Path) -> None:
    import uharfbuzz as hb
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTFont

    subset_bytes = (sample_site / "theme/fonts" / webfont.WEB_FONT).read_bytes()
    full_bytes = (FONTS / TIBETAN_FONT).read_bytes()
    assert len(subset_bytes) < 100_000 < len(full_bytes)
    subset_font = TTFont(io.BytesIO(subset_bytes))
    full_font = TTFont(io.BytesIO(full_bytes))
    assert subset_font.flavor == "woff2" and len(subset_font.getGlyphOrder()) < 600
    # Every Tibetan character of the font is still mapped (typed queries show letters, not boxes).
    assert {c for c in full_font.getBestCmap() if 0x0F00 <= c <= 0x0FFF} <= set(subset_font.getBestCmap())
    woff2 = io.BytesIO()  # HarfBuzz reads sfnt, not WOFF2
    subset_font.flavor = None
    subset_font.save(woff2)

    def shaper(data: bytes, font_tables: TTFont):  # type: ignore[no-untyped-def]
        font, glyph_set, order = hb.Font(hb.Face(data)), font_tables.getGlyphSet(), font_tables.getGlyphOrder()
        outlines: dict[int, tuple] = {}

        def outline(gid: int) -> tuple:  # a glyph by its drawing: a subset renames the glyphs it keeps
            if gid not in outlines:
                pen = DecomposingRecordingPen(glyph_set)
                glyph_set[order[gid]].draw(pen)
                outlines[gid] = tuple(pen.value)
            return outlines[gid]

        def shape(word: str) -> list[tuple]:
            buffer = hb.Buffer()
            buffer.add_str(word)
            buffer.guess_segment_properties()
            hb.shape(font, buffer, {})
            return [(outline(i.codepoint), p.x_advance, p.x_offset, p.y_offset)
                    for i, p in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)]
        return shape

    full = shaper(full_bytes, full_font)
    cut = shaper(woff2.getvalue(), TTFont(io.BytesIO(woff2.getvalue())))
    # Every syllable the written pages show (read back here; the build takes them from the Publication).
    pages = [p.read_text(encoding="utf-8") for p in [sample_site / "index.html", *(sample_site / "bo").rglob("*.html")]]
    words = webfont.syllables(pages)
    assert len(words) > 500
    # The same outlines at the same places: stacks built as the whole font builds them.
    assert [w for w in sorted(words) if cut(w) != full(w)] == []


def test_photographs_resized_into_srcset(sample_site: Path) -> None:
    html = read(sample_site, "/zh/gazette/2026/10/")
    imgs = re.findall(r"<img [^>]+>", html)
    cover, photos = imgs[0], imgs[1:]
    assert 'class="cover"' in cover and "loading" not in cover  # above the fold
    assert photos and all('loading="lazy"' in i and 'sizes="' in i for i in photos)
    for img in imgs:
        width, height = re.search(r'width="(\d+)" height="(\d+)"', img).groups()  # type: ignore[union-attr]
        for url, w in re.findall(r"(/resized/\S+) (\d+)w", img):
            with Image.open(sample_site / url.lstrip("/")) as made:
                assert made.width == int(w) and not made.getexif() and "exif" not in made.info
                assert abs(made.height / made.width - int(height) / int(width)) < 0.01
    # The originals stay one click away, and every derived file comes from a published original.
    originals = re.findall(r'<a class="original" href="(/images/[^"]+)"', html)
    assert len(originals) == len(imgs) and all((sample_site / o.lstrip("/")).is_file() for o in originals)
    import hashlib

    published = {hashlib.sha256(p.read_bytes()).hexdigest()[:24] for p in (sample_site / "images").rglob("*.*")}
    derived = {p.name.rsplit("-", 1)[0] for p in (sample_site / "resized").iterdir()}
    assert derived and derived <= published


def test_resize_strips_metadata_and_turns_upright() -> None:
    source = Image.new("RGB", (1600, 1000), "steelblue")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated a quarter turn: shown 1000 × 1600
    exif[0x010F] = "Camera maker"
    exif.get_ifd(0x8825)[2] = (30.0, 3.0, 0.0)  # GPS latitude
    buffer = io.BytesIO()
    source.save(buffer, "JPEG", exif=exif, comment=b"editor's note")
    made = Image.open(io.BytesIO(resize(buffer.getvalue(), 400, png=False)))
    assert made.size == (400, 640)
    assert not made.getexif() and not {"exif", "comment", "icc_profile", "xmp"} & set(made.info)
    # What Pillow cannot decode whole the check refuses (LINK-IMAGE-UNREADABLE): it is never resized.
    assert shown_size(buffer.getvalue()) == (1000, 1600)
    assert shown_size(buffer.getvalue()[: len(buffer.getvalue()) // 2]) is None
    assert shown_size(b"\xff\xd8\xff\xe0 not a jpeg") is None


def test_numbers_and_mixed_scripts_marked(sample_site: Path) -> None:
    assert signed_number("-3.1%") == f"{MINUS}3.1%" and signed_number("2026-10") == "2026-10"
    assert is_number("1,204.5") and not is_number("0836-2822000")
    zh = read(sample_site, "/zh/documents/czj-2026-zbj-yusuan/")
    assert f'<td class="num">{MINUS}3.1%</td>' in zh and "-3.1%" not in zh
    bo = read(sample_site, "/bo/documents/czj-2026-zbj-yusuan/")
    # The translation has no keywords of its own: the Chinese ones, marked as Chinese.
    assert re.search(r'<td lang="zh">预算公开、', bo)
    # The other language's name, in its own script, marked (language switch, download labels).
    assert '<span lang="zh">中文</span>' in read(sample_site, "/bo/gazette/2026/10/")
