"""The pinned fonts. They are taken from Debian packages (installed by scripts/setup.sh), checked
against the checksums below, and copied into the theme, so no output depends on which other fonts a
machine happens to have. `python -m gazette.fonts install` does it; the build refuses without them.

Tibetan Machine Uni is used for Tibetan because text copied out of its PDFs round-trips exactly
(Noto Serif Tibetan's does not). Noto Serif/Sans CJK SC are extracted from the Debian collections.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class PinnedFont:
    name: str  # file name in the theme's fonts folder
    source: str  # file installed by the Debian package
    source_sha256: str
    collection_face: str = ""  # for a .ttc: the PostScript name of the face to extract
    debian_package: str = ""


FONTS = (
    PinnedFont("TibetanMachineUni.ttf", "/usr/share/fonts/truetype/tibetan-machine/TibetanMachineUni.ttf",
               "16c16ea5ded720946ba0b0921cb3f9bb624af4f6bf867e31faf0773c1b5b8f76",
               debian_package="fonts-tibetan-machine"),
    PinnedFont("NotoSerifCJKsc-Regular.otf", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
               "a04178ec485dffdff7cc0c0c20e1fce9202d7e2160d805e8e44a4c8841c58481",
               "NotoSerifCJKsc-Regular", "fonts-noto-cjk"),
    PinnedFont("NotoSerifCJKsc-Bold.otf", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
               "a5d4b046c127da3d7c72f98b46c41489cd29bf52abfdf18aba920903e920d4ac",
               "NotoSerifCJKsc-Bold", "fonts-noto-cjk"),
    PinnedFont("NotoSansCJKsc-Regular.otf", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
               "b76b0433203017ca80401b2ee0dd69350349871c4b19d504c34dbdd80541690a",
               "NotoSansCJKsc-Regular", "fonts-noto-cjk"),
    PinnedFont("NotoSansCJKsc-Bold.otf", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
               "faa5f3656a78b2e2d450d27fe8382c778bc2b6bb5ea29c986664a6a435056ceb",
               "NotoSansCJKsc-Bold", "fonts-noto-cjk"),
    # LXGW WenKai (OFL 1.1), the Kai face of 二级标题 (GB/T 9704: 楷体). AR PL KaitiM GB, nearer 楷体_GB2312 in
    # style, draws its characters some 15 % smaller than the body face's within the same em, with
    # typewriter digits: set beside the body, its headings looked a size too small and spaced out.
    PinnedFont("LXGWWenKai-Regular.ttf", "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
               "bbf534b0ca093928f94d1782855e65a19a32cde82b075d495d072025521953c8",
               debian_package="fonts-lxgw-wenkai"),
)


@dataclass(frozen=True)
class PrintFace:
    """A face the print templates use, by the family name they give it in CSS."""

    family: str
    weight: int
    file: str  # a PinnedFont name


# The PDFs' faces. GB/T 9704 asks for FangSong (仿宋) in the body; no free FangSong with a licence fit
# for redistribution is pinned here, so Noto Serif CJK SC (a Song/Ming face) is the nearest free face.
# Titles are in its Bold (bold Song, 小标宋's stand-in), 一级标题 in Noto Sans CJK SC (Hei, 黑体), 二级标题
# in LXGW WenKai (楷体; a character it lacks falls back to the Song).
PRINT_FACES = (
    PrintFace("Gazette Song", 400, "NotoSerifCJKsc-Regular.otf"),
    PrintFace("Gazette Song", 700, "NotoSerifCJKsc-Bold.otf"),
    PrintFace("Gazette Hei", 400, "NotoSansCJKsc-Regular.otf"),
    PrintFace("Gazette Hei", 700, "NotoSansCJKsc-Bold.otf"),
    PrintFace("Gazette Kai", 400, "LXGWWenKai-Regular.ttf"),
    PrintFace("Gazette Tibetan", 400, "TibetanMachineUni.ttf"),
)


TIBETAN_FONT = "TibetanMachineUni.ttf"
CJK_FONTS = ("NotoSerifCJKsc-Regular.otf", "NotoSansCJKsc-Regular.otf")
class FontsMissing(Exception):
    pass


def _font_key(path: Path) -> str:
    """The font's own checksum (head.checkSumAdjustment) and size: changes whenever the file does."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    try:
        return f"{path.name}:{path.stat().st_size}:{font['head'].checkSumAdjustment}"
    finally:
        font.close()


def _cache_file(folder: Path, paths: list[Path]) -> Path:
    key = hashlib.sha256("|".join(_font_key(p) for p in paths).encode()).hexdigest()[:16]
    return folder / f"glyphs-{key}.json"


@lru_cache(maxsize=4)
def coverage(folder: Path, write_cache: bool = False) -> tuple[frozenset[str], frozenset[str]]:
    """(Tibetan font's characters, characters every CJK face has).

    Read once per process. `install` also writes the character lists beside the
    fonts (a small JSON file keyed by the fonts' checksums), so a check does not parse the 20 MB CJK
    fonts every time; a check or a build only reads that file and never writes outside its output.
    """
    paths = [folder / name for name in (TIBETAN_FONT, *CJK_FONTS)]
    for path in paths:
        if not path.is_file():
            raise FontsMissing(path.name)
    cache = _cache_file(folder, paths)
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        return frozenset(map(chr, data["tibetan"])), frozenset(map(chr, data["cjk"]))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    from fontTools.ttLib import TTFont

    def cmap(path: Path) -> frozenset[int]:
        font = TTFont(str(path), lazy=True)
        try:
            return frozenset(font.getBestCmap())
        finally:
            font.close()

    tibetan = cmap(paths[0])
    cjk = frozenset.intersection(*(cmap(path) for path in paths[1:]))
    if write_cache:
        cache.write_text(json.dumps({"tibetan": sorted(tibetan), "cjk": sorted(cjk)}), encoding="utf-8")
    return frozenset(map(chr, tibetan)), frozenset(map(chr, cjk))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class FontError(Exception):
    pass


def font_path(name: str, folder: Path) -> Path:
    path = folder / name
    if not path.is_file():
        raise FontError(f"字体 {name} 未安装，请运行 scripts/setup.sh / "
                        f"font {name} is missing: run scripts/setup.sh")
    return path


def print_fonts_checksum(folder: Path) -> str:
    """One checksum over the installed files the PDFs embed: a changed font file changes every PDF."""
    from .build_inputs import file_digest

    h = hashlib.sha256()
    for name in sorted({face.file for face in PRINT_FACES}):
        h.update(name.encode() + b"\0" + file_digest(font_path(name, folder)).encode())
    return h.hexdigest()


def install(folder: Path) -> None:
    """Copy the pinned fonts from the Debian packages into `folder` (the theme's static/fonts) and write
    the glyph lists the font check reads. (The site's web font is cut from the Tibetan one by each build:
    webfont.py.)"""
    from fontTools.ttLib import TTCollection

    folder.mkdir(parents=True, exist_ok=True)
    for font in FONTS:
        source = Path(font.source)
        if not source.is_file():
            raise FontError(f"{source} missing: apt-get install {font.debian_package}")
        if font.source_sha256 and _sha256(source) != font.source_sha256:
            raise FontError(f"{source} is not the pinned version (sha256 differs)")
        target = folder / font.name
        if target.is_file():
            continue
        if font.collection_face:
            collection = TTCollection(str(source))
            face = next(f for f in collection.fonts if f["name"].getDebugName(6) == font.collection_face)
            face.save(str(target))
        else:
            target.write_bytes(source.read_bytes())
    # The characters each font draws, for the font check (read by `gazette check`, written only here).
    coverage(folder, write_cache=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["install"]:
        from .config import GazetteConfig
        from .settings import load_settings

        install(GazetteConfig.from_settings(load_settings()).fonts)
    elif sys.argv[1:] == ["checksums"]:
        for font in FONTS:
            print(font.source, _sha256(Path(font.source)))
    else:
        print("usage: python -m gazette.fonts install|checksums", file=sys.stderr)
        sys.exit(2)
