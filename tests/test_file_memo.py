"""A value remembered for a record file is given back only while the file is the one it was taken from."""

from __future__ import annotations

import os
from pathlib import Path

from gazette.file_memo import FileMemo


def test_a_remembered_value_stands_only_while_the_file_is_unchanged(tmp_path: Path) -> None:
    record = tmp_path / "record.json"
    record.write_text('{"a": "1"}', encoding="utf-8")
    memo = FileMemo(2)
    memo.put(record, {"a": "1"})
    assert memo.get(record) == {"a": "1"}
    before = os.stat(record)
    record.write_text('{"a": "2"}', encoding="utf-8")  # same size
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same modification time
    assert memo.get(record) is None  # its change time moved
    renamed = tmp_path / "renamed.json"
    memo.put(record, {"a": "2"})
    os.replace(record, renamed)
    assert memo.get(renamed) is None and memo.get(record) is None
    assert memo.get(tmp_path / "missing.json") is None


def test_only_the_last_few_are_kept(tmp_path: Path) -> None:
    memo = FileMemo(2)
    files = [tmp_path / f"{n}.json" for n in range(3)]
    for number, file in enumerate(files):
        file.write_text(str(number), encoding="utf-8")
        memo.put(file, number)
    assert memo.get(files[0]) is None and memo.get(files[1]) == 1 and memo.get(files[2]) == 2


def test_a_record_is_written_whole_and_never_through_a_link(tmp_path: Path) -> None:
    from gazette.generations import write_record_file

    outside = tmp_path / "outside.txt"
    outside.write_text("kept", encoding="utf-8")
    record = tmp_path / "gen" / ".site-pages.json"
    record.parent.mkdir()
    (record.parent / ".site-pages.json.part").symlink_to(outside)
    write_record_file(record, '{"/": "key"}')
    assert record.read_text(encoding="utf-8") == '{"/": "key"}' and not record.is_symlink()
    assert outside.read_text(encoding="utf-8") == "kept"
    assert not (record.parent / ".site-pages.json.part").exists()
