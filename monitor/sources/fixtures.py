"""The ``fixtures`` source: a directory of text files, one article per file.

Used for the seeds, for tests and for replaying captured pages. Files are read
as bytes and decoded strictly, so a corrupt file fails loudly with its name
instead of feeding mojibake to the rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from monitor.article import RawItem
from monitor.errors import SourceError

__all__ = ["fixture_files", "iter_fixture_dir", "read_fixture_file"]


def read_fixture_file(path: Path, source: str) -> RawItem:
    """Read one fixture file as a :class:`RawItem` (item id = file name).

    The title is left ``None``: the normalizer picks the first line that is not
    page furniture. A UTF-8 BOM is tolerated because editors on Windows add one.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise SourceError(
            f"cannot read fixture file: {reason}", source=source, url=str(path)
        ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"fixture file is not valid UTF-8 (byte {exc.start}: {exc.reason})",
            source=source,
            url=str(path),
        ) from exc
    return RawItem(source=source, item_id=path.name, text=text)


def _is_fixture(path: Path) -> bool:
    """Visible regular ``*.txt`` files and suffix-less files; editors' backups are skipped."""
    name = path.name
    if name.startswith("."):
        return False
    if path.suffix and path.suffix.lower() != ".txt":
        return False
    return path.is_file()


def fixture_files(path: Path, source: str) -> list[Path]:
    """The directory's fixture files in file-name order: what replay and the daemon both read."""
    try:
        entries = sorted(path.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        if isinstance(exc, NotADirectoryError):
            reason = "not a directory"
        raise SourceError(
            f"cannot list fixture directory: {reason}", source=source, url=str(path)
        ) from exc
    return [entry for entry in entries if _is_fixture(entry)]


def iter_fixture_dir(path: Path, source: str) -> Iterator[RawItem]:
    """Yield the directory's fixture files in file-name order (stable replay order)."""
    for entry in fixture_files(path, source):
        yield read_fixture_file(entry, source)
