"""`gazette check` and `gazette report` as editors and CI run them; garbage input; the sample corpus."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from factory import ROOT, ContentFactory
from gazette.checks import check_content
from gazette.cli import main


def check(content: ContentFactory, *extra: str) -> int:
    return main(["check", "--content", str(content.root), *extra])


def test_exit_codes(content: ContentFactory, capsys: pytest.CaptureFixture[str]) -> None:
    content.document("fine")
    assert check(content) == 0
    content.document("late", signed="2026-01-05", published="2026-03-02",
                     secrecy_review={"by": "小组", "date": "2026-03-01"})
    assert check(content) == 0  # a warning only
    assert check(content, "--strict") == 1
    content.document("secret", secrecy="秘密")
    assert check(content) == 1
    assert main(["check", "--content", str(content.root / "nowhere")]) == 2
    assert main(["check", "--format", "xml", "--content", str(content.root)]) == 2
    out = capsys.readouterr()
    assert "documents/2026/secret.zh.md:" in out.out and "SEC-SECRET error:" in out.out
    assert "Traceback" not in out.out + out.err


def test_text_format_line(content: ContentFactory, capsys: pytest.CaptureFixture[str]) -> None:
    content.document("bracket", doc_number="甘府发[2026]12号")
    check(content)
    line = next(x for x in capsys.readouterr().out.splitlines() if "NUM-BRACKETS" in x)
    assert line.startswith("documents/2026/bracket.zh.md:15: NUM-BRACKETS error: [doc_number] ")
    assert " / " in line and "甘府发〔2026〕12号" in line


def test_json_one_object_per_line(content: ContentFactory, capsys: pytest.CaptureFixture[str]) -> None:
    content.document("bracket", doc_number="甘府发[2026]12号")
    content.document("secret", secrecy="绝密")
    assert check(content, "--format", "json") == 1
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert {r["code"] for r in rows} == {"NUM-BRACKETS", "SEC-SECRET"}
    for row in rows:
        assert set(row) == {"code", "level", "path", "line", "field", "zh", "en", "fix_zh", "fix_en"}
        assert row["level"] == "error" and row["line"] > 1 and row["fix_zh"] and row["fix_en"]


@pytest.mark.parametrize(("name", "data"), [
    ("binary.zh.md", bytes(range(256)) * 4),
    ("gbk.zh.md", "---\ntitle: 关于做好防火工作的通知\nslug: gbk\n---\n正文。\n".encode("gbk")),
    ("empty.zh.md", b""),
    ("list.zh.md", "---\n- title\n- slug\n---\n正文\n".encode()),
    ("scalar.zh.md", b"---\njust a string\n---\n"),
    ("unclosed.zh.md", b"---\ntitle: x\n"),
    ("bad-yaml.zh.md", "---\ntitle: [未闭合\n---\n".encode()),
    ("dup.zh.md", b"---\ntitle: a\ntitle: b\n---\n"),
    ("weird-types.zh.md", "---\ntitle: {a: 1}\nissuer: {x: y}\nsigned: 20260302\npublished: [1]\n"
                          "secrecy_review: [a]\nattachments: x\nkeywords: {a: b}\nreplaced_by: 3\n"
                          "validity: [有效]\nstatus: {a: 1}\nindex_no: 5\ndoc_number: [1]\n---\n".encode()),
    ("nested.zh.md", ("---\ntitle: x\nsections: " + "[" * 200 + "]" * 200 + "\n---\n").encode()),
])
def test_garbage_input_gives_findings_not_tracebacks(content: ContentFactory, name: str, data: bytes,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    content.document("fine")
    content.write(f"documents/2026/{name}", data)
    content.write("gazette/2026/2026-03.yml", data if name != "empty.zh.md" else b"- a\n- b\n")
    content.write("pages/about.zh.md", data)
    assert check(content) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    _, findings = check_content(content.root)
    assert not any(f.code == "CHECK-INTERNAL" for f in findings)
    assert any(f.path == f"documents/2026/{name}" for f in findings)


def test_gbk_error_names_the_conversion(content: ContentFactory, capsys: pytest.CaptureFixture[str]) -> None:
    content.write("documents/2026/gbk.zh.md", "---\ntitle: 关于做好防火工作的通知\n---\n正文。\n".encode("gbk"))
    check(content)
    assert "iconv -f GB18030 -t UTF-8" in capsys.readouterr().out


def test_build_refuses_on_errors_and_writes_nothing(content: ContentFactory, tmp_path: Path) -> None:
    content.document("secret", secrecy="秘密")
    output = tmp_path / "build"
    assert main(["build", "--content", str(content.root), "--output", str(output)]) == 1
    assert not output.exists() or not any(output.iterdir())


def test_sample_corpus_has_no_errors(sample_content: Path) -> None:
    if not (sample_content / "documents").is_dir():
        pytest.skip("content/documents does not exist yet: the sample corpus is still being written")
    _, findings = check_content(sample_content)
    errors = [f.as_text() for f in findings if f.is_error]
    assert errors == [], "\n".join(errors)


# --- reports -------------------------------------------------------------------------------------------


def test_report_late(content: ContentFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content.report_corpus()
    assert main(["report", "late", "--content", str(content.root), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_id = {p["id"]: p for p in data["publishers"]}
    assert by_id["prefecture-government"]["proactive"] == 2 and by_id["prefecture-government"]["late"] == 1
    assert [i["slug"] for i in by_id["prefecture-government"]["items"]] == ["late-a"]
    assert by_id["forestry"]["late"] == 1 and by_id["forestry"]["items"][0]["working_days"] > 20
    out = tmp_path / "reports" / "late.csv"
    assert main(["report", "late", "--content", str(content.root), "--format", "csv", "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert sorted(r["slug"] for r in rows) == ["late-a", "late-b"]
    assert main(["report", "late", "--content", str(content.root)]) == 0
    assert "late-a" in capsys.readouterr().out


def test_report_translations(content: ContentFactory, capsys: pytest.CaptureFixture[str]) -> None:
    content.report_corpus()
    assert main(["report", "translations", "--content", str(content.root), "--format", "json"]) == 0
    rows = {(r["kind"], r["id"]): r for r in json.loads(capsys.readouterr().out)["coverage"]}
    section = rows[("section", "prefecture-documents")]
    assert (section["items"], section["translated"], section["missing"]) == (2, 1, ["late-a"])
    publisher = rows[("publisher", "prefecture-government")]
    assert (publisher["items"], publisher["translated"], publisher["percent"]) == (2, 1, 50.0)
    assert main(["report", "translations", "--content", str(content.root), "--format", "csv"]) == 0
    assert "prefecture-documents" in capsys.readouterr().out


def test_report_never_under_build(content: ContentFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    content.report_corpus()
    monkeypatch.chdir(tmp_path)
    elsewhere = tmp_path / "elsewhere" / "out"  # a build output by its layout, whatever its name
    (elsewhere / ".generations").mkdir(parents=True)
    for target in ("build/late.txt", "build/site/late.csv", str(elsewhere / "x.json"), "build"):
        assert main(["report", "late", "--content", str(content.root), "--out", target]) == 1
        assert not (tmp_path / "build").exists()
    assert "build/" in capsys.readouterr().err
    assert main(["report", "late", "--content", str(content.root), "--out", "builds/late.txt"]) == 0


def test_every_code_is_documented() -> None:
    import re

    sources = [*(ROOT / "plugins" / "gazette" / "checks").glob("*.py"),
               *(ROOT / "plugins" / "gazette" / name for name in ("frontmatter.py", "loader.py", "registry.py",
                                                                "holiday_calendar.py", "static_files.py"))]
    codes = {code for path in sources
             for code in re.findall(r'"([A-Z]+(?:-[A-Z0-9]+)+)"', path.read_text(encoding="utf-8"))}
    documented = set(re.findall(r"^\| ([A-Z]+(?:-[A-Z0-9]+)+) \|", (ROOT / "docs" / "checks.md").read_text(
        encoding="utf-8"), re.MULTILINE))
    assert len(codes) > 100
    assert codes - documented == set()
    assert documented - codes == set()


def test_settings_pelican_refuses_are_said_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A settings file Pelican refuses (its PATH does not exist): exit 1 and the reason, in both languages."""
    (tmp_path / "pelicanconf.py").write_text(f"exec(open({str(ROOT / 'pelicanconf.py')!r}, encoding='utf-8').read())\n"
                                             "PATH = 'no-such-folder'\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["search", "政府", "--output", str(tmp_path / "build")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "设置文件" in err and "the settings file" in err


def test_without_a_settings_file_a_command_says_so_instead_of_using_pelicans_defaults(
        content: ContentFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Run outside the project, Pelican's defaults gave another theme: fonts "missing", a search page that
    failed on every query. Now the commands say where they looked; --settings or GAZETTE_SETTINGS names it."""
    content.document("doc")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GAZETTE_SETTINGS", raising=False)
    for argv in (["check", "--content", str(content.root)], ["serve", "--output", str(tmp_path / "none")]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert "no settings file" in err and "找不到设置文件" in err and "Traceback" not in err
    assert main(["check", "--content", str(content.root), "--settings", str(ROOT / "pelicanconf.py")]) == 0
    monkeypatch.setenv("GAZETTE_SETTINGS", str(ROOT / "pelicanconf.py"))
    assert main(["check", "--content", str(content.root)]) == 0


def test_report_never_into_the_content_nor_through_a_loop(content: ContentFactory, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Written over a public document's attachment, a report of the requests register was published by the
    next build; a loop of links, or a year no calendar has, ended in a traceback."""
    content.report_corpus()
    attachment = content.write("attachments/2026/a/表.csv", "县,条数\n")
    before = attachment.read_bytes()
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    (tmp_path / "into").symlink_to(content.root / "attachments")  # a link into the content
    for target in (str(attachment), str(content.root / "documents" / "r.md"), str(tmp_path / "loop1"),
                   str(content.root / "nowhere" / ".." / "attachments" / "r.csv"), str(tmp_path / "into" / "r.csv")):
        assert main(["report", "requests", "--content", str(content.root), "--out", target]) == 1
        err = capsys.readouterr().err
        assert ("content folder" in err or "cannot be resolved" in err) and "Traceback" not in err
    assert attachment.read_bytes() == before and not (content.root / "documents" / "r.md").exists()
    assert not (content.root / "attachments" / "r.csv").exists()
    for argv in (["annual", "--year", "10000"], ["units", "--year", "0"], ["units", "--months", "100000"]):
        assert main(["report", *argv, "--content", str(content.root)]) == 1
        assert "--" in capsys.readouterr().err


def test_every_report_reads_the_year_and_the_day_it_is_asked_for(content: ContentFactory,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """commands.md gives every report --year and --as-of; late and translations read neither, requests not
    --year. late-a (published 2026-03-02) and late-b (2026-02-27) are late; a request of 2025 is open."""
    content.report_corpus()
    content.request("2025-0100", received="2025-12-29", replied=None, outcome=None)

    def run(kind: str, *args: str) -> dict:
        assert main(["report", kind, "--content", str(content.root), "--format", "json", *args]) == 0
        return json.loads(capsys.readouterr().out)

    def late(*args: str) -> set[str]:
        return {i["slug"] for p in run("late", *args)["publishers"] for i in p["items"]}

    assert late() == late("--year", "2026") == {"late-a", "late-b"}
    assert late("--year", "2025") == set() and late("--as-of", "2026-02-28") == {"late-b"}
    publishers = {r["id"]: r["items"] for r in run("translations", "--as-of", "2026-01-31")["coverage"]
                  if r["kind"] == "publisher"}
    assert publishers == {"prefecture-government": 1}  # on-time alone was published by then
    requests = {r["id"] for r in run("requests", "--as-of", "2026-11-22", "--year", "2026")["open"]}
    assert "2025-0100" not in requests
    assert "2025-0100" in {r["id"] for r in run("requests", "--as-of", "2026-11-22", "--year", "2025")["open"]}


def test_a_reader_that_goes_away_ends_the_command_quietly(content: ContentFactory,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """`gazette new … | head -1`: the pipe closed under the command, which printed a traceback."""
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    content.report_corpus()
    monkeypatch.setattr("sys.stdout", Closed())
    assert main(["report", "late", "--content", str(content.root)]) == 141
