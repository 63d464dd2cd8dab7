"""``monitor replay``: run fixture articles or saved feeds through the watchlists.

Replay is the same pipeline as the daemon (normalize → ``ArticleObserved`` →
rule engine → outcomes), just fed from files and, by default, into an
in-memory log: what replay shows is what the daemon would do. It is
deterministic: paths in the order given, fixture files in file-name order,
feed entries in published order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from monitor.article import Article, RawItem
from monitor.errors import SourceError
from monitor.normalize import normalize
from monitor.rules.engine import RuleEngine
from monitor.rules.watchlist import Watchlists
from monitor.sources.feedfile import parse_feed
from monitor.sources.fixtures import fixture_files, read_fixture_file
from monitor.store.events import NewEvent
from monitor.store.log import EventLog
from monitor.store.projections import (
    ARTICLE_OBSERVED,
    OutcomeRow,
    article_seqs,
    outcomes_for_articles,
)

APPEND_BATCH = 1000


@dataclass
class Collected:
    """Items read from the paths, and one message per path that was skipped."""

    items: list[RawItem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def collect(paths: Sequence[Path]) -> Collected:
    """Read every path (directory, text file or feed file); never stop at a bad one."""
    out = Collected()
    for path in paths:
        if path.is_dir():
            source = path.resolve().name or "fixtures"
            try:
                files = fixture_files(path, source)  # the same files the daemon would read
            except SourceError as exc:
                out.skipped.append(f"{path}: {exc.message}")
                continue
            for file in files:
                _read_file(file, source, out)
        elif path.is_file():
            _read_file(path, path.resolve().parent.name or "fixtures", out)
        else:
            out.skipped.append(f"{path}: no such file or directory")
    return out


def _read_file(path: Path, source: str, out: Collected) -> None:
    try:
        kind = sniff(path)
        if kind == "feed":
            body = path.read_bytes()
            out.items.extend(parse_feed(body, source=path.stem, url=path.resolve().as_uri()))
        elif kind == "text":
            out.items.append(read_fixture_file(path, source))
        else:
            out.skipped.append(f"{path}: {kind}")
    except SourceError as exc:
        out.skipped.append(f"{path}: {exc.message}")
    except OSError as exc:
        out.skipped.append(f"{path}: cannot read: {exc.strerror or exc}")
    except Exception as exc:  # one strange file must not end the replay of the others
        out.skipped.append(f"{path}: cannot be read as an article or a feed ({exc!r})")


def sniff(path: Path) -> str:
    """``feed``, ``text``, or the reason the file is neither (binary, HTML page)."""
    with path.open("rb") as fh:
        head = fh.read(2048)
    if b"\x00" in head:
        return "binary file, not an article or a feed"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")):
        return "feed"
    if start.startswith((b"<!doctype html", b"<html")):
        return "an HTML page, not a feed (save the site's RSS or Atom feed instead)"
    if start.startswith(b"{") and b'"version"' in head and b"jsonfeed" in head:
        return "feed"
    if path.suffix.lower() in (".xml", ".rss", ".atom", ".json"):
        return "feed"
    return "text"


def observe(log: EventLog, articles: Iterable[Article]) -> None:
    """Append ``ArticleObserved`` for each article (idempotent per item version)."""
    batch: list[NewEvent] = []
    for art in articles:
        batch.append(observed_event(art))
        if len(batch) >= APPEND_BATCH:
            log.append(batch)
            batch = []
    if batch:
        log.append(batch)


def observed_event(art: Article) -> NewEvent:
    return NewEvent(
        type=ARTICLE_OBSERVED,
        stream=f"source:{art.source}",
        key=f"article:{art.source}:{art.item_id}:{art.content_hash}",
        payload=art.to_payload(),
    )


@dataclass
class ReplayResult:
    articles: list[Article]
    outcomes: list[OutcomeRow]
    skipped: list[str]
    _published: dict[tuple[str, str], datetime | None] | None = field(
        default=None, init=False, repr=False
    )

    def published(self, row: OutcomeRow) -> datetime | None:
        """When the item of ``row`` was published, as its source said (None if undated).

        Outcomes do not carry it (the ``outcomes`` read model keys the
        article by seq), but evaluation needs it to date an item that no
        label covers, so replay output looks it up in the articles it read.
        """
        if self._published is None:
            self._published = {(a.source, a.item_id): a.published for a in self.articles}
        return self._published.get((row.source, row.item))


def replay(paths: Sequence[Path], watchlists: Watchlists, log: EventLog) -> ReplayResult:
    """Replay the paths into ``log`` and return the outcomes for those articles."""
    collected = collect(paths)
    articles = [normalize(raw) for raw in collected.items]
    observe(log, articles)
    engine = RuleEngine(log, watchlists)
    engine.record_watchlists()
    engine.run()
    keys = [(a.source, a.item_id) for a in articles]
    with log.engine.connect() as conn:
        seqs = article_seqs(conn, keys)
        ordered = list(dict.fromkeys(seqs[k] for k in keys if k in seqs))
        outcomes = outcomes_for_articles(conn, ordered)
    return ReplayResult(articles, outcomes, collected.skipped)
