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
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from charset_normalizer import from_bytes

from monitor.article import RawItem
from monitor.errors import SourceError

__all__ = [
    "SIDECAR_SUFFIX",
    "as_utf8",
    "decode_text",
    "fixture_files",
    "parse_published",
    "iter_fixture_dir",
    "read_fixture_file",
    "read_text_file",
    "utf16_codec",
    "stated_time",
]

#: Wins a tie between single-byte encodings that fit the bytes equally well: the
#: legacy encoding of most Western news pages (and a superset of Latin-1's text).
PREFERRED_LEGACY = "cp1252"


#: A text file's sidecar: ``article.txt`` → ``article.json`` with ``{"published": "…"}``.
SIDECAR_SUFFIX = ".json"
#: Header lines that state when the text was published, among its first lines.
_HEADER = re.compile(
    r"^\s*(?:published|publication date|date|dated)\s*:\s*(?P<when>\S.*?)\s*$", re.I
)
_HEADER_LINES = 6
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
#: A full date: "March 16, 2023", "16 March 2023".
_DAY = rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}})"
#: A dateline with a full date: "SEOUL, March 16, 2023 (Reuters) —", "TOKYO, 16 March 2023 —".
_DATELINE = re.compile(
    r"^\s*[A-Z][\w.'’ -]{1,40}?(?:,\s*[A-Z][\w.'’ -]{1,30}?)?,\s*"
    rf"(?P<when>{_DAY})"
    r"\s*(?:\([^)]{1,40}\)\s*)?[-–—]"
)

_CLOCK = r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+(?-i:[A-Z]{2,5}))?"
#: A line that is a date and a clock and nothing else, as a page's byline time is copied
#: with its text: "15:59 JST, November 17, 2024", "March 16, 2023 10:00 KST". A bare date
#: on a line of its own may be a schedule's or a timeline's heading, not when the text
#: was published, so the clock is required (before the date or after it).
_DATE_LINE = re.compile(
    rf"^\s*(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    rf"(?:{_CLOCK},?\s+{_DAY}|{_DAY},?\s+{_CLOCK})\s*$",
    re.I,
)


def stated_time(text: str) -> tuple[datetime | None, str, str | None]:
    """When a text says it was published: ``(time, text without the header line, how)``.

    A ``Published:`` (or ``Date:``) line among the first lines — removed from
    the text, it is not the article's — else a dateline with a full date
    ("SEOUL, March 16, 2023 (Reuters) —", kept: it is the article's) or a
    line that is a date and a clock and nothing else ("15:59 JST, November
    17, 2024", the byline time of a page copied as text; kept too; a bare
    date may head a schedule or a timeline). Dates
    are read by dateparser (ISO 8601, RFC 2822, "March 16, 2023 10:00 JST" …),
    in UTC when the text gives no zone; a date without a year, or a relative
    one ("yesterday"), is no publication time. ``how`` says which it was.
    """
    lines = text.split("\n")
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > _HEADER_LINES:
            break
        m = _HEADER.match(line)
        if m:
            when = parse_published(m.group("when"))
            if when is not None:
                return when, "\n".join(lines[:i] + lines[i + 1 :]), "published line"
    for line in [line for line in lines if line.strip()][:_HEADER_LINES]:
        m = _DATELINE.match(line)  # it opens the first paragraph, below the headline
        if m and (when := parse_published(m.group("when"))) is not None:
            return when, text, "dateline"
        if _DATE_LINE.match(line) and (when := parse_published(line.strip())) is not None:
            return when, text, "date line"
    return None, text, None


def parse_published(value: str) -> datetime | None:
    """A publication time as a user writes it (``2023-03-16``, ``March 16, 2023 09:00 JST``), UTC.

    None when it is no date with a day, a month and a year.
    """
    if not re.search(r"\b\d{4}\b", value):
        return None  # no year: not a publication time
    import dateparser  # loaded only for texts that state a time (0.1 s)

    settings = {
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": "UTC",
        "TO_TIMEZONE": "UTC",
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    when = dateparser.parse(value, languages=["en"], settings=settings)
    return when.astimezone(UTC) if when is not None else None


def sidecar_time(path: Path, source: str) -> datetime | None:
    """The ``published`` of the file's sidecar (``NAME.json`` beside ``NAME.txt``), if any.

    A sidecar that is not JSON, or a ``published`` that is not a time, is an
    error naming the sidecar: the user wrote it to date the article.
    """
    side = path.with_suffix(SIDECAR_SUFFIX)
    if not side.is_file():
        return None
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(
            f"sidecar is not readable JSON: {exc}", source=source, url=str(side)
        ) from exc
    value = data.get("published") if isinstance(data, dict) else None
    if value is None:
        return None
    when = parse_published(str(value))
    if when is None:
        raise SourceError(
            f"sidecar: published {value!r} is not a date with a year", source=source, url=str(side)
        )
    return when


def with_time(
    raw: RawItem, path: Path, published: datetime | None = None
) -> tuple[RawItem, str | None]:
    """The item with its publication time: the sidecar's, else the text's, else ``published``.

    ``(item, how)``; ``how`` is ``None`` when the item stays undated.
    """
    side = sidecar_time(path, raw.source)
    when, text, how = stated_time(raw.text)
    if side is not None:
        when, how = side, "sidecar"
    elif when is None and published is not None:
        when, how = published.astimezone(UTC), "--published"
    return RawItem(raw.source, raw.item_id, text, raw.title, raw.url, when), how


def read_fixture_file(path: Path, source: str, published: datetime | None = None) -> RawItem:
    """Read one fixture file as a :class:`RawItem` (item id = file name).

    The title is left ``None``: the normalizer picks the first line that is not
    page furniture. A UTF-8 BOM is tolerated because editors on Windows add one,
    and UTF-16 (what Windows calls "Unicode") is read, with or without its BOM.
    The publication time is the sidecar's or the text's, else ``published``
    (:func:`with_time`).
    """
    data = _read(path, source)
    try:
        wide = utf16_codec(data)
        text = data.decode(wide) if wide else data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"fixture file is not valid UTF-8 (byte {exc.start}: {exc.reason})",
            source=source,
            url=str(path),
        ) from exc
    return with_time(RawItem(source=source, item_id=path.name, text=text), path, published)[0]


def read_text_file(
    path: Path, source: str, published: datetime | None = None
) -> tuple[RawItem, str | None, str | None]:
    """Read a text file in whatever encoding it has: ``(item, encoding, how it was dated)``.

    Replay's reader (see the module docstring): the caller prints a note
    naming the encoding if not UTF-8. A file no encoding fits raises
    ``SourceError``. The publication time is the sidecar's, the text's, else
    ``published`` (``replay --published``); ``how`` is ``None`` when undated.
    """
    data = _read(path, source)
    try:
        text, encoding = decode_text(data)
    except ValueError as exc:
        raise SourceError(str(exc), source=source, url=str(path)) from exc
    raw, how = with_time(RawItem(source=source, item_id=path.name, text=text), path, published)
    return raw, encoding, how


def decode_text(data: bytes) -> tuple[str, str | None]:
    """UTF-8 (a BOM tolerated), else the legacy encoding detected: ``(text, encoding or None)``.

    charset-normalizer ranks encodings by how little mess the decoded text
    has; short Western texts fit several single-byte code pages equally
    well (``è`` is ``č`` in Windows-1250), so among the equally good ones
    Windows-1252 wins. ``ValueError`` when nothing fits.
    """
    wide = utf16_codec(data)
    if wide is not None:
        try:
            return data.decode(wide), "utf-16"
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: let the detector look
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


def utf16_codec(data: bytes) -> str | None:
    """``"utf-16"`` (BOM), ``"utf-16-le"`` / ``"utf-16-be"`` (no BOM), or None.

    Without a BOM, text that is mostly ASCII has a NUL in every other byte:
    at odd offsets for little-endian, at even ones for big-endian. A binary
    file has NULs too, but not in such a regular pattern.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:1024]
    pairs = len(head) // 2
    if pairs < 4:
        return None
    even = sum(1 for i in range(0, 2 * pairs, 2) if head[i] == 0)
    odd = sum(1 for i in range(1, 2 * pairs, 2) if head[i] == 0)
    if odd >= 0.6 * pairs and even == 0:
        return "utf-16-le"
    if even >= 0.6 * pairs and odd == 0:
        return "utf-16-be"
    return None


def as_utf8(data: bytes) -> bytes:
    """UTF-16 bytes (a feed, a text) as UTF-8, with an XML declaration that says so;
    other bytes as they are."""
    wide = utf16_codec(data)
    if wide is None:
        return data
    try:
        text = data.decode(wide)
    except UnicodeDecodeError:
        return data
    text = _XML_ENCODING.sub(r"\1utf-8\2", text, count=1)
    return text.encode("utf-8")


#: The encoding in an XML declaration: ``<?xml version="1.0" encoding="UTF-16"?>``.
_XML_ENCODING = re.compile(r"""(<\?xml[^>]*?encoding=["'])[^"']*(["'])""")


#: The largest text file read as one article. Normalization keeps 200,000 characters
#: of an article's text; a file forty times that is not an article (a log, a dump),
#: and reading it whole would cost the memory of several copies of it.
TEXT_FILE_MAX_BYTES = 8 * 1024 * 1024


def _read(path: Path, source: str) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(TEXT_FILE_MAX_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise SourceError(
            f"cannot read fixture file: {reason}", source=source, url=str(path)
        ) from exc
    if len(data) > TEXT_FILE_MAX_BYTES:
        raise SourceError(
            f"file is larger than the {TEXT_FILE_MAX_BYTES // (1024 * 1024)} MB a text "
            "article may be (save the article alone)",
            source=source,
            url=str(path),
        )
    return data


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
