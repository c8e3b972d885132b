"""Photographs resized for the pages that show them (Pillow): covers, the issue's photographs, images in a
document's text.

An editor's photograph is often 1600 px wide or more and carries EXIF (camera, time, sometimes the GPS
position); a page shows it 160 to 1000 px wide. Each image is derived at the widths its role needs,
listed in `srcset` with `sizes`, `width` and `height`, so a phone and a desktop each fetch the smallest file
that fills the slot. Derived files carry no metadata (EXIF, XMP, comments are not written), are named by
the source's SHA-256 (a changed photograph gets new URLs) and are cached in `build/.cache/images/` by the
source bytes and the width. Only files the Publication lists (`static_files.py`) are ever read. The
original stays where the page links it.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from .. import urls
from ..publication import Publication
from ..static_files import extension, read_plain_file, shown_size

# Widths (px) made for each role: the CSS width of the slot and twice that, for screens of two device
# pixels per CSS pixel. `sizes` says how wide the slot is, so a browser picks before layout.
ROLES = {
    "cover-thumb": ((120, 160, 240, 320), "(min-width: 50rem) 160px, 110px"),
    "cover": ((180, 360), "180px"),
    "photo": ((400, 800), "(min-width: 40rem) 17rem, 100vw"),
    "body": ((640, 1000, 1600), "(min-width: 50rem) 46rem, 100vw"),
}
RESIZED = frozenset({"jpg", "jpeg", "png", "webp"})  # GIFs (often animated) are left as they are
JPEG_QUALITY = 82
# What the derived files depend on besides the source bytes: a change here makes them again.
RECIPE = f"exif-transposed,lanczos,q{JPEG_QUALITY},progressive,no-metadata,v1"
BODY_IMG = re.compile(r'<img (?P<attrs>[^>]*?)src="(?P<src>/images/[^"]+)"(?P<rest>[^>]*)>')


@dataclass(frozen=True)
class Variant:
    url: str
    width: int
    height: int


class SiteImages:
    """The resized images of one site build: what the templates link, and the files behind them."""

    def __init__(self, pub: Publication, cache: Path) -> None:
        self.root = pub.content_root
        self.listed = pub.static_files  # content path → SHA-256: the only files read
        self.cache = cache

    def _size(self, rel: str) -> tuple[int, int] | None:
        """The image's width and height as shown (EXIF orientation applied); None if it is not resized."""
        if rel not in self.listed or extension(rel) not in RESIZED:
            return None
        digest = self.listed[rel]
        if digest not in _SIZES:  # by the bytes' hash: the same photograph is decoded once per process
            _SIZES[digest] = shown_size(read_plain_file(self.root, rel))
        return _SIZES[digest]

    def variants(self, rel: str, role: str) -> list[Variant]:
        """The sizes made of `rel` for `role`, smallest first; never wider than the original."""
        rel = rel.lstrip("/")
        size = self._size(rel)
        if size is None:
            return []
        width, height = size
        digest = self.listed[rel]
        ext = "png" if extension(rel) == "png" else "jpg"
        widths = sorted({min(w, width) for w in ROLES[role][0]})
        return [Variant(urls.resized_image(digest, w, ext), w, max(1, round(height * w / width))) for w in widths]

    def img(self, rel: str, role: str, alt: str, lazy: bool = True, css_class: str = "") -> Markup:
        """An `<img>` for `rel` in `role`; the original when it cannot be resized."""
        attrs = {"class": css_class, "alt": alt}
        found = self.variants(rel, role)
        if found:
            attrs |= {"src": found[0].url, "srcset": ", ".join(f"{v.url} {v.width}w" for v in found),
                      "sizes": ROLES[role][1], "width": str(found[0].width), "height": str(found[0].height)}
        else:
            attrs["src"] = urls.static_file(rel)
        if lazy:
            attrs |= {"loading": "lazy", "decoding": "async"}
        return Markup("<img {}>").format(Markup(" ").join(
            Markup('{}="{}"').format(k, v) for k, v in attrs.items() if v or k == "alt"))

    def in_body(self, html: str) -> str:
        """A rendered body with each of its images given the sizes of the text column (lazy: a body's
        images are below its title and metadata)."""

        def one(match: re.Match[str]) -> str:
            rel = match["src"].lstrip("/")
            found = self.variants(rel, "body")
            if not found:
                return match[0]
            extra = (f' srcset="{escape(", ".join(f"{v.url} {v.width}w" for v in found))}" '
                     f'sizes="{ROLES["body"][1]}" width="{found[-1].width}" height="{found[-1].height}" '
                     f'loading="lazy" decoding="async"')
            return f'<img {match["attrs"]}src="{escape(found[0].url)}"{extra}{match["rest"]}>'

        return BODY_IMG.sub(one, html)

    def planned(self, pub: Publication) -> set[tuple[str, str]]:
        """(content path, role) of every image the pages show: issue covers and photographs by their role,
        every other listed image as a body image. Made from the Publication, whichever pages are drawn."""
        plan: set[tuple[str, str]] = set()
        roles: dict[str, set[str]] = {}
        for issue in pub.issues:
            if issue.cover_image:
                roles.setdefault(issue.cover_image.lstrip("/"), set()).update({"cover", "cover-thumb"})
            for photo in issue.inside_front + issue.inside_back + issue.back_cover:
                roles.setdefault(photo.image.lstrip("/"), set()).add("photo")
        for rel in self.listed:
            if rel.startswith("images/"):
                for role in roles.get(rel, {"body"}):
                    plan.add((rel, role))
        return plan

    def write(self, pub: Publication, out: Path) -> int:
        """Write every planned variant under `out`, from the cache where it is; returns how many were made."""
        made = 0
        self.cache.mkdir(parents=True, exist_ok=True)
        for rel, role in sorted(self.planned(pub)):
            for variant in self.variants(rel, role):
                target = out / urls.output_path(variant.url)
                if target.exists():
                    continue
                key = hashlib.sha256(f"{self.listed[rel]}\0{variant.width}\0{RECIPE}".encode()).hexdigest()
                cached = self.cache / f"{key}{Path(variant.url).suffix}"
                if not cached.is_file():
                    data = _MADE.get(key) or resize(read_plain_file(self.root, rel), variant.width,
                                                    variant.url.endswith(".png"))
                    _MADE[key] = data
                    while len(_MADE) > 400:
                        del _MADE[next(iter(_MADE))]
                    partial = cached.with_suffix(".part")
                    partial.write_bytes(data)
                    os.replace(partial, cached)
                    made += 1
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(cached, target)
                except OSError:
                    shutil.copyfile(cached, target)
        return made


# Images this process resized, by their cache key: a second output in the same process (a preview beside a
# build, the tests) copies them rather than decode the photographs again. Bounded: the last few hundred.
_MADE: dict[str, bytes] = {}
_SIZES: dict[str, tuple[int, int] | None] = {}  # source SHA-256 → size shown


def resize(data: bytes, width: int, png: bool) -> bytes:
    """The image `width` px wide, turned upright, without any of the source's metadata."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as source:
        if source.format == "JPEG":
            source.draft("RGB", (width, source.height * width // max(1, source.width)))  # decode scaled down
        image = ImageOps.exif_transpose(source)
        height = max(1, round(image.height * width / image.width))
        if png:
            image = image.convert("RGBA") if image.mode in ("RGBA", "LA", "P") else image.convert("RGB")
        else:
            image = image.convert("RGB")
        if image.width != width:
            image = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        # Pillow carries some of the source's metadata on (a JPEG's comment, a PNG's colour profile) unless
        # the image forgets it; exif=, comment= and icc_profile= are not passed either.
        image.info = {}
        out = io.BytesIO()
        if png:
            image.save(out, "PNG", optimize=True)
        else:
            image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        return out.getvalue()
