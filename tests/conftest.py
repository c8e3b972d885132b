from __future__ import annotations

import os
from pathlib import Path

import pytest
from factory import ROOT, ContentFactory

# Tests see a fixed "today" (Beijing), so date rules do not drift with the calendar.
os.environ.setdefault("GAZETTE_TODAY", "2026-11-22")


@pytest.fixture
def content(tmp_path: Path) -> ContentFactory:
    return ContentFactory(tmp_path / "content")


@pytest.fixture(scope="session")
def sample_content() -> Path:
    return ROOT / "content"
