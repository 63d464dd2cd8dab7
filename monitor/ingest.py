"""Files as a user has them → normalized articles, in order, on every core.

``monitor replay`` reads directories, text files and saved feeds. Parsing a
feed (feedparser, lxml) and normalizing its entries is most of a replay's
time and needs nothing but the file, so it runs in worker processes, one feed
file (or a handful of text files) per task, while the main process decides.
Results are taken in the order the files were listed, whatever order the
workers finish in, so the outcomes are the same with any number of
processes. Only a few tasks are in flight at a time: memory holds a handful
of files' articles, never the whole input.

Order: the paths as given; a directory's files by name (text files and feed
files alike); a feed's entries in published order (see
:func:`monitor.sources.feedfile.parse_feed`).
"""

from __future__ import annotations

import contextlib
import importlib.machinery
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from monitor.article import Article
from monitor.clock import utc_now
from monitor.errors import SourceError
from monitor.normalize import normalize
from monitor.sources.feedfile import parse_feed
from monitor.sources.fixtures import SIDECAR_SUFFIX, as_utf8, read_text_file

log = logging.getLogger("monitor.replay")

#: A directory's files replay reads: fixture text files and saved feeds.
TEXT_SUFFIXES = frozenset({"", ".txt"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".json"})
#: Text files are small: group them so a task is worth sending to a worker.
TEXT_BATCH_FILES = 64
TEXT_BATCH_BYTES = 1 << 20
#: Tasks queued per worker: enough to keep every core busy, few enough to bound memory.
AHEAD_PER_WORKER = 2
#: Seconds between a worker's checks that the replay that started it still runs.
PARENT_CHECK = 1.0


@dataclass(frozen=True, slots=True)
class Input:
    """One file to read; ``problem`` when the path cannot be read at all (reported in order)."""

    path: Path
    source: str  # the source of a text file; a feed's source is its file name's stem
    problem: str | None = None
    #: a text file's publication time when neither it nor a sidecar states one (--published)
    published: datetime | None = None


@dataclass(slots=True)
class FileArticles:
    """What one file gave: its articles, or why it was skipped, and a note (an encoding)."""

    path: Path
    articles: list[Article] = field(default_factory=list)
    skipped: str | None = None
    note: str | None = None
    #: a text file with no publication time (no sidecar, Published: line, dateline or --published)
    undated: bool = False


def default_processes() -> int:
    """The cores this process may run on (``--processes`` default)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def list_inputs(paths: Sequence[Path], published: datetime | None = None) -> list[Input]:
    """Every file to read, in replay order; a bad path becomes an ``Input`` with a problem.

    ``published`` dates the text files that do not date themselves (``--published``).
    """
    out: list[Input] = []
    for path in paths:
        if path.is_dir():
            source = path.resolve().name or "fixtures"
            try:
                entries = sorted(path.iterdir(), key=lambda p: p.name)
            except OSError as exc:
                reason = exc.strerror or exc.__class__.__name__
                out.append(Input(path, source, f"cannot list directory: {reason}"))
                continue
            names = {entry.name for entry in entries}
            out.extend(
                Input(entry, source, published=published)
                for entry in entries
                if _replayable(entry) and not _sidecar(entry, names)
            )
        elif path.is_file():
            out.append(Input(path, path.resolve().parent.name or "fixtures", published=published))
        else:
            out.append(Input(path, "", _unreadable(path)))
    return out


def _unreadable(path: Path) -> str:
    """Why a path named on the command line is neither a file nor a directory, as the
    system says it: missing, a symlink loop, no permission — or a FIFO or device."""
    try:
        path.stat()
    except OSError as exc:
        return (exc.strerror or exc.__class__.__name__).lower()
    return "not a regular file or a directory"


def _sidecar(path: Path, names: set[str]) -> bool:
    """``NAME.json`` beside ``NAME.txt`` (or ``NAME``) dates that text file; it is no feed."""
    return path.suffix.lower() == SIDECAR_SUFFIX and bool({path.stem + ".txt", path.stem} & names)


def _replayable(path: Path) -> bool:
    """Visible regular files named like an article or a feed; editors' backups are skipped."""
    if path.name.startswith(".") or path.name.endswith("~"):
        return False
    suffix = path.suffix.lower()
    return (suffix in TEXT_SUFFIXES or suffix in FEED_SUFFIXES) and path.is_file()


def sources_of(item: Input) -> tuple[str, str]:
    """The sources a file's articles may have: a feed's file-name stem, else the text source."""
    return (item.path.stem, item.source)


def batches(inputs: Sequence[Input]) -> list[list[Input]]:
    """Tasks: a feed file alone (it holds many entries), text files grouped by count and size."""
    out: list[list[Input]] = []
    group: list[Input] = []
    size = 0
    for item in inputs:
        if item.problem is None and item.path.suffix.lower() in FEED_SUFFIXES:
            if group:
                out.append(group)
                group, size = [], 0
            out.append([item])
            continue
        group.append(item)
        with contextlib.suppress(OSError):  # reported when the file is read
            size += item.path.stat().st_size if item.problem is None else 0
        if len(group) >= TEXT_BATCH_FILES or size >= TEXT_BATCH_BYTES:
            out.append(group)
            group, size = [], 0
    if group:
        out.append(group)
    return out


def read_batch(batch: Sequence[Input]) -> list[FileArticles]:
    """Read, parse and normalize each file of a task (runs in a worker; never raises)."""
    return [read_one(item) for item in batch]


def read_one(item: Input) -> FileArticles:
    """One file's normalized articles, or the reason it was skipped."""
    path = item.path
    out = FileArticles(path)
    if item.problem is not None:
        out.skipped = f"{path}: {item.problem}"
        return out
    try:
        kind = sniff(path)
        if kind == "feed":
            data = as_utf8(path.read_bytes())
            raws = parse_feed(data, source=path.stem, url=path.resolve().as_uri())
        elif kind == "text":
            raw, encoding, dated_by = read_text_file(path, item.source, item.published)
            raws = [raw]
            out.undated = dated_by is None
            if encoding is not None:
                out.note = f"{path}: not UTF-8, read as {encoding} (detected)"
        else:
            out.skipped = f"{path}: {kind}"
            return out
        observed = utc_now()  # what replay calls the observation time
        out.articles = [normalize(raw, observed) for raw in raws]
    except SourceError as exc:
        out.skipped = f"{path}: {exc.message}"
    except OSError as exc:
        out.skipped = f"{path}: cannot read: {exc.strerror or exc}"
    except Exception as exc:  # one strange file must not end the replay of the others
        out.skipped = f"{path}: cannot be read as an article or a feed ({exc!r})"
    return out


def sniff(path: Path) -> str:
    """``feed``, ``text``, or the reason the file is neither (binary, HTML page)."""
    with path.open("rb") as fh:
        head = as_utf8(fh.read(2048))  # UTF-16 (with or without a BOM) read as its text
    if b"\x00" in head:
        return "binary file, not an article or a feed"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")):
        return "feed"
    if start.startswith((b"<!doctype html", b"<html")):
        return "an HTML page, not a feed (save the site's RSS or Atom feed instead)"
    if start.startswith(b"{") and b'"version"' in head and b"jsonfeed" in head:
        return "feed"
    if path.suffix.lower() in FEED_SUFFIXES:
        return "feed"
    return "text"


def read_files(tasks: Sequence[Sequence[Input]], processes: int) -> Iterator[FileArticles]:
    """Each file's articles in task order, read by ``processes`` workers (0: here).

    Workers are started only when there is more than one task: a handful of
    text files is read faster than a process starts. A worker that dies (a
    crash in a parser's C code, the OOM killer) does not end the replay: the
    tasks not yet taken are read here instead.
    """
    if processes <= 0 or len(tasks) <= 1:
        for task in tasks:
            yield from read_batch(task)
        return
    # "spawn", not fork: the parent may already run threads (the rich progress bar).
    pool = ProcessPoolExecutor(
        processes,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_init,
        initargs=(os.getpid(),),
    )
    pending: deque[tuple[Sequence[Input], Future[list[FileArticles]] | None]] = deque()
    upcoming = iter(tasks)

    def submit(task: Sequence[Input]) -> None:
        try:
            pending.append((task, pool.submit(read_batch, task)))
        except BrokenProcessPool:
            pending.append((task, None))

    try:
        with _lean_spawn():  # the workers start with the first submissions
            for task in upcoming:
                submit(task)
                if len(pending) >= processes * AHEAD_PER_WORKER:
                    break
        while pending:
            task, future = pending.popleft()
            try:
                if future is None:
                    raise BrokenProcessPool("the pool was already broken")
                results = future.result()
            except BrokenProcessPool:
                log.error("a parse worker died; reading the remaining files in this process")
                pool.shutdown(wait=False, cancel_futures=True)
                for rest in (task, *(t for t, _ in pending), *upcoming):
                    yield from read_batch(rest)
                pending.clear()
                return
            following = next(upcoming, None)
            if following is not None:
                submit(following)
            yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _lean_spawn() -> Iterator[None]:
    """Workers started meanwhile import what a task needs, not the program that started them.

    A spawned child first re-runs the parent's main script (multiprocessing's
    rule, so that functions defined there can be unpickled); the ``monitor``
    console script imports the whole CLI — rich, SQLAlchemy, the rule
    engine: about 40 MB and half a second per worker that only parses.
    multiprocessing does not re-run a main module named like a package's
    ``__main__`` (``python -m monitor`` is one), so while the workers start,
    a script's main module is named so. Tasks name only this module's
    functions, so nothing is missing.
    """
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    main.__spec__ = importlib.machinery.ModuleSpec("monitor.__main__", None)
    try:
        yield
    finally:
        main.__spec__ = None


def _worker_init(parent: int) -> None:
    """Leave Ctrl-C to the parent, and end with it.

    The parent stops handing out work on Ctrl-C and waits for the tasks in
    hand. A parent killed outright (SIGKILL, the OOM killer) cannot shut the
    pool down, and a worker waiting for its next task would wait forever: a
    thread checks that the parent is still there.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), name="parent-watch", daemon=True).start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK)
    os._exit(1)
