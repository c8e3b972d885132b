"""`gazette seal [--output DIR]`: seal the last good build's PDFs, then build again to publish them.

The signing and the store of sealed copies are `seal.py`'s; this is the command around them, apart from
`seal.py` because it runs the build, which itself imports `seal.py`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import generations, urls
from .build import STAGES, run_build
from .checksums import sha256_file
from .seal import SealError, SealSettings, SealStore, fingerprint, load_signer, seal_pdf
from .settings import load_settings


def seal_output(content: Path, output: Path, settings_path: str | None = None) -> int:
    """`gazette seal`: sign every PDF of the last good build that has no sealed copy yet, then build again
    so that the site takes them up. The exit status."""
    settings = load_settings(settings_path, {"PATH": str(content.resolve())})
    try:
        seal = SealSettings.from_settings(settings)
        if seal is None:
            print("未配置 GAZETTE_SEAL，未加盖印章 / GAZETTE_SEAL is not configured: nothing sealed", file=sys.stderr)
            return 0
        signer = load_signer(seal, refuse_under=(output, content))
    except SealError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        lock = generations.lock(output)
    except generations.BuildLocked:
        print(f"构建正在进行：请等它结束后再加盖印章 / a build of {output} is running: seal when it has finished",
              file=sys.stderr)
        return 1
    try:
        current = generations.prepare(output)
        record = generations.read_manifest(current).get("pdf") if current is not None else None
        if current is None or record is None:
            print(f"{output} 中没有已构建的 PDF：请先运行 gazette build / no built PDFs in {output}: run gazette build "
                  f"first", file=sys.stderr)
            return 1
        store = SealStore.for_certificate(output / ".cache", fingerprint(signer))
        store.make_current(signer)
        index = store.index()
        made, kept = 0, set()
        for url in sorted(record.files):
            path = current / "site" / urls.output_path(url)
            if not path.is_file():
                continue
            digest = sha256_file(path)
            unsealed = next((k for k, v in index.items() if v == digest), digest)
            kept.add(unsealed)
            if unsealed in index and store.copy_for(unsealed).is_file():
                continue
            try:
                seal_pdf(path, store.copy_for(digest), signer, seal)
            except Exception as exc:  # pyHanko's and the timestamp service's errors, named for the operator
                print(f"无法为 {url} 加盖印章：{exc} / cannot seal {url}: {exc}", file=sys.stderr)
                return 1
            index[digest] = sha256_file(store.copy_for(digest))
            store.write_index(index)  # after each file: a seal stopped half-way keeps what it made
            made += 1
        for digest in set(index) - kept:  # sealed copies of PDFs no longer published
            store.copy_for(digest).unlink(missing_ok=True)
            del index[digest]
        store.write_index(index)
    finally:
        os.close(lock)
    print(f"已加盖印章（{seal.level}）：新盖 {made} 个，共 {len(kept)} 个 PDF；重新构建以发布 / sealed ({seal.level}): "
          f"{made} new, {len(kept)} PDFs in all; building again to publish them", file=sys.stderr)
    # Forced: the sealed copies are taken up by a build, and the content itself has not changed.
    return run_build(content, output, list(STAGES), settings_path, force=True).status
