"""What `gazette build` prints about the check: every error, a summary of many warnings; `--verbose` and
`gazette check` print every warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from factory import ContentFactory
from gazette.cli import main
from gazette.findings import WARNINGS_SHOWN

LATE = 14  # more than the build lists


def _late(content: ContentFactory) -> None:
    review = {"by": "小组", "date": "2026-03-01"}
    for n in range(LATE):
        content.document(f"late-{n:02d}", signed="2026-01-05", published="2026-03-02", secrecy_review=review)


def _lines(text: str, code: str) -> list[str]:
    """The findings of `code` listed in `text` (not the summary line that counts them)."""
    return [line for line in text.splitlines() if f" {code} warning:" in line or f" {code} error:" in line]


def test_build_summarises_many_warnings(content: ContentFactory, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    _late(content)
    args = ["build", "--content", str(content.root), "--output", str(tmp_path / "out"), "--only", "search"]
    capsys.readouterr()
    assert main(args) == 0
    err = capsys.readouterr().err
    assert len(_lines(err, "DATE-LATE")) == WARNINGS_SHOWN
    assert f"{LATE} warnings: DATE-LATE {LATE}" in err
    assert f"{LATE - WARNINGS_SHOWN} more warnings not shown" in err and "gazette check" in err
    assert "--verbose" in err
    # the first ones in the order `gazette check` prints them
    assert "late-00.zh.md" in err and f"late-{LATE - 1}.zh.md" not in err

    assert main([*args, "--verbose", "--force"]) == 0
    err = capsys.readouterr().err
    assert len(_lines(err, "DATE-LATE")) == LATE and "not shown" not in err

    assert main(["check", "--content", str(content.root)]) == 0
    out = capsys.readouterr()
    assert len(_lines(out.out, "DATE-LATE")) == LATE and "not shown" not in out.out + out.err


def test_build_prints_every_error(content: ContentFactory, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    _late(content)
    for n in range(WARNINGS_SHOWN + 2):
        content.document(f"secret-{n:02d}", secrecy="秘密")
    capsys.readouterr()
    assert main(["build", "--content", str(content.root), "--output", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert len(_lines(err, "SEC-SECRET")) == WARNINGS_SHOWN + 2
    assert len(_lines(err, "DATE-LATE")) == WARNINGS_SHOWN and f"{LATE} warnings:" in err
    assert "build refused" in err and not (tmp_path / "out" / "site").exists()


def test_a_few_warnings_are_listed(content: ContentFactory, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    content.document("late", signed="2026-01-05", published="2026-03-02",
                     secrecy_review={"by": "小组", "date": "2026-03-01"})
    capsys.readouterr()
    assert main(["build", "--content", str(content.root), "--output", str(tmp_path / "out"),
                 "--only", "search"]) == 0
    err = capsys.readouterr().err
    assert len(_lines(err, "DATE-LATE")) == 1 and "not shown" not in err
