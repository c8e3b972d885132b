"""Compiled templates kept in the build's cache: used by the next process, compiled again when a template's
source changes, and never read or written through a link planted there."""

from __future__ import annotations

from pathlib import Path

import jinja2
from gazette.theme import _CompiledTemplates


def _render(folder: Path, templates: dict[str, str]) -> tuple[str, int]:
    """The page, and how many templates the environment compiled (a new cache object: a new process)."""
    env = jinja2.Environment(loader=jinja2.DictLoader(templates), bytecode_cache=_CompiledTemplates(folder=folder))
    compiled = 0
    real = env._compile

    def counting(source: str, filename: str) -> object:
        nonlocal compiled
        compiled += 1
        return real(source, filename)

    env._compile = counting  # type: ignore[method-assign]
    return env.get_template("page.html").render(name="甘孜"), compiled


def test_the_next_process_takes_the_compiled_template_and_an_edited_one_is_compiled_again(tmp_path: Path) -> None:
    folder = tmp_path / "jinja"
    assert _render(folder, {"page.html": "<p>{{ name }}</p>"}) == ("<p>甘孜</p>", 1)
    assert _render(folder, {"page.html": "<p>{{ name }}</p>"}) == ("<p>甘孜</p>", 0)
    assert _render(folder, {"page.html": "<h1>{{ name }}</h1>"}) == ("<h1>甘孜</h1>", 1)


def test_a_link_planted_in_the_cache_is_neither_read_nor_written_through(tmp_path: Path) -> None:
    folder = tmp_path / "jinja"
    _render(folder, {"page.html": "<p>{{ name }}</p>"})
    (name,) = [p.name for p in folder.iterdir()]
    outside = tmp_path / "host-file"
    outside.write_bytes(b"not bytecode")
    (folder / name).unlink()
    (folder / name).symlink_to(outside)
    assert _render(folder, {"page.html": "<p>{{ name }}</p>"}) == ("<p>甘孜</p>", 1)
    assert outside.read_bytes() == b"not bytecode"
    assert not (folder / name).is_symlink()
