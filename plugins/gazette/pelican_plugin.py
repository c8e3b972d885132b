"""The Pelican plugin: adds the gazette site generator to Pelican's run."""

from __future__ import annotations

from pelican import signals


def _generators(pelican: object) -> type:
    from .site.generator import GazetteSiteGenerator

    return GazetteSiteGenerator


def register() -> None:
    signals.get_generators.connect(_generators)
