"""The fixtures source: files in name order, strict UTF-8, errors that name the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.article import RawItem
from monitor.errors import MonitorError, SourceError
from monitor.sources.fixtures import iter_fixture_dir, read_fixture_file

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_read_fixture_file(tmp_path: Path) -> None:
    path = tmp_path / "001_a.txt"
    path.write_text("Headline\n\nBody ’quoted’.\n", encoding="utf-8")
    item = read_fixture_file(path, "fx")
    assert item == RawItem(source="fx", item_id="001_a.txt", text="Headline\n\nBody ’quoted’.\n")
    assert item.title is None


def test_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffHeadline\nBody".encode())
    assert read_fixture_file(path, "fx").text == "Headline\nBody"


def test_undecodable_file_raises_source_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Headline\n\xff\xfe broken")
    with pytest.raises(SourceError) as info:
        read_fixture_file(path, "fx")
    err = info.value
    assert err.source == "fx"
    assert err.url == str(path)
    assert "UTF-8" in str(err) and "bad.txt" in str(err)
    assert isinstance(err, MonitorError)


def test_missing_file_raises_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read"):
        read_fixture_file(tmp_path / "nope.txt", "fx")


def test_directory_as_file_raises_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError):
        read_fixture_file(tmp_path, "fx")


def test_iter_orders_by_name_and_filters(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("B", encoding="utf-8")
    (tmp_path / "a.txt").write_text("A", encoding="utf-8")
    (tmp_path / "c").write_text("C", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("H", encoding="utf-8")
    (tmp_path / "notes.md").write_text("M", encoding="utf-8")
    (tmp_path / "backup.txt~").write_text("X", encoding="utf-8")
    (tmp_path / "sub.txt").mkdir()
    items = list(iter_fixture_dir(tmp_path, "fx"))
    assert [i.item_id for i in items] == ["a.txt", "b.txt", "c"]
    assert [i.text for i in items] == ["A", "B", "C"]


def test_iter_bad_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("fine", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x80")
    it = iter_fixture_dir(tmp_path, "fx")
    assert next(it).item_id == "a.txt"
    with pytest.raises(SourceError) as info:
        next(it)
    assert info.value.url is not None and info.value.url.endswith("b.txt")


def test_iter_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot list"):
        list(iter_fixture_dir(tmp_path / "missing", "fx"))


def test_iter_not_a_directory(tmp_path: Path) -> None:
    path = tmp_path / "file.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(SourceError, match="not a directory"):
        list(iter_fixture_dir(path, "fx"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("x", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(SourceError, match="cannot read"):
        read_fixture_file(path, "fx")


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
def test_any_unicode_text_round_trips(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.txt"
        path.write_bytes(text.encode("utf-8"))
        expected = text[1:] if text.startswith("\ufeff") else text
        assert read_fixture_file(path, "fx").text == expected


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seeds not present")
def test_seed_directory_reads() -> None:
    items = list(iter_fixture_dir(SEEDS, "seeds"))
    assert len(items) >= 5
    assert [i.item_id for i in items] == sorted(i.item_id for i in items)
    assert all(i.source == "seeds" and i.text for i in items)


def test_the_daemon_reads_a_utf16_fixture_file(tmp_path: Path) -> None:
    text = "A wide headline\n\nWritten for this test in UTF-16 without a BOM.\n"
    (tmp_path / "wide.txt").write_bytes(text.encode("utf-16-le"))
    assert read_fixture_file(tmp_path / "wide.txt", "fx").text == text


def test_a_text_file_too_large_to_be_an_article_is_refused_without_reading_it_whole(
    tmp_path: Path,
) -> None:
    from monitor.sources.fixtures import TEXT_FILE_MAX_BYTES

    big = tmp_path / "dump.txt"
    with big.open("wb") as fh:
        fh.write(b"A headline\n\n")
        fh.truncate(TEXT_FILE_MAX_BYTES * 3)  # sparse: a large file on disk, cheaply
    with pytest.raises(SourceError, match="larger than the 8 MB a text article may be"):
        read_fixture_file(big, "fx")
