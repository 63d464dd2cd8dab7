"""The ``fixtures`` source: a directory of text files, one article per file.

Used for the seeds, for tests and for replaying captured pages. The daemon's
fixtures source reads files as bytes and decodes them strictly, so a corrupt
file fails loudly with its name instead of feeding mojibake to the rules.

Replay reads files as a user has them: a page saved years ago by a Windows
tool is Windows-1252 or Latin-1 (a BBC article with a ``£``), and skipping it
would hide an article the user asked about. :func:`read_text_file` decodes
UTF-8 when it can and otherwise lets charset-normalizer pick the legacy
encoding, and says which it picked, so the guess is never silent.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from monitor.article import RawItem
from monitor.errors import SourceError

__all__ = [
    "decode_text",
    "fixture_files",
    "iter_fixture_dir",
    "read_fixture_file",
    "read_text_file",
]

#: Wins a tie between single-byte encodings that fit the bytes equally well: the
#: legacy encoding of most Western news pages (and a superset of Latin-1's text).
PREFERRED_LEGACY = "cp1252"


def read_fixture_file(path: Path, source: str) -> RawItem:
    """Read one fixture file as a :class:`RawItem` (item id = file name).

    The title is left ``None``: the normalizer picks the first line that is not
    page furniture. A UTF-8 BOM is tolerated because editors on Windows add one.
    """
    data = _read(path, source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"fixture file is not valid UTF-8 (byte {exc.start}: {exc.reason})",
            source=source,
            url=str(path),
        ) from exc
    return RawItem(source=source, item_id=path.name, text=text)


def read_text_file(path: Path, source: str) -> tuple[RawItem, str | None]:
    """Read a text file in whatever encoding it has: the item, and the encoding if not UTF-8.

    Replay's reader (see the module docstring): the caller prints a note
    naming the encoding. A file no encoding fits raises ``SourceError``.
    """
    data = _read(path, source)
    try:
        text, encoding = decode_text(data)
    except ValueError as exc:
        raise SourceError(str(exc), source=source, url=str(path)) from exc
    return RawItem(source=source, item_id=path.name, text=text), encoding


def decode_text(data: bytes) -> tuple[str, str | None]:
    """UTF-8 (a BOM tolerated), else the legacy encoding detected: ``(text, encoding or None)``.

    charset-normalizer ranks encodings by how little mess the decoded text
    has; short Western texts fit several single-byte code pages equally
    well (``è`` is ``č`` in Windows-1250), so among the equally good ones
    Windows-1252 wins. ``ValueError`` when nothing fits.
    """
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        first_bad = exc
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise ValueError(
            f"file is neither UTF-8 (byte {first_bad.start}: {first_bad.reason}) "
            "nor in an encoding that could be detected"
        )
    tied = {best.encoding, *best.could_be_from_charset}
    tied.update(
        m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)
    )
    if PREFERRED_LEGACY in tied:
        try:
            return data.decode(PREFERRED_LEGACY), PREFERRED_LEGACY
        except UnicodeDecodeError:
            pass  # a byte Windows-1252 leaves undefined: take the detector's choice
    return str(best), codecs.lookup(best.encoding).name


def _read(path: Path, source: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise SourceError(
            f"cannot read fixture file: {reason}", source=source, url=str(path)
        ) from exc


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
