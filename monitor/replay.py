"""``monitor replay``: run fixture articles or saved feeds through the watchlists.

Replay is the same pipeline as the daemon (normalize → ``ArticleObserved`` →
rule engine → outcomes), just fed from files: what replay shows is what the
daemon would do. It is deterministic: paths in the order given, a
directory's files in file-name order, feed entries in published order.

It streams. Files are read and normalized in worker processes
(:mod:`monitor.ingest`), one file at a time is decided in the main process,
and each outcome is yielded as soon as it is decided. Memory holds the rule
engine's state (the alerts raised: stories, items), the file in hand and the
article versions of the sources still to come again (:class:`SeenVersions`),
whatever the length of the input.

Two ways to decide, the same decisions:

* **Into a store** (``--store URL``, ``--notify``, or :func:`replay` with a
  log): the daemon's path — append ``ArticleObserved``, run the
  :class:`RuleEngine`, read the outcomes back from the read model. A store
  that already holds the articles appends nothing and shows the outcomes it
  recorded ("Replay shows stored outcomes", docs/architecture.md).
* **In memory** (the default): nothing is stored. Each article goes to
  :meth:`RuleEngine.evaluate` — what ``RuleEngine.run`` calls for each
  ``ArticleObserved`` event — as the event a log would hold, and the body
  is dropped once decided. An in-memory log would keep every body to the end
  (its events are append-only): 2 GB for six months of news.
"""

from __future__ import annotations

import hashlib
import logging
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from monitor.article import Article
from monitor.clock import utc_now
from monitor.events import ALERT_RAISED, ArticleObserved
from monitor.ingest import (
    FileArticles,
    Input,
    batches,
    list_inputs,
    read_files,
    sniff,
    sources_of,
)
from monitor.rules.decider import Decider
from monitor.rules.engine import RuleEngine
from monitor.rules.watchlist import Watchlists
from monitor.store.events import NewEvent, StoredEvent
from monitor.store.log import EventLog
from monitor.store.projections import (
    OutcomeRow,
    ReadModels,
    outcomes_for_articles,
)
from monitor.store.schema import iso_utc, seqs_of_keys

__all__ = [
    "Decided",
    "Replay",
    "ReplayResult",
    "SeenVersions",
    "observe",
    "replay",
    "sniff",
]

APPEND_BATCH = 1000
log = logging.getLogger("monitor.replay")


def observe(log: EventLog, articles: Iterable[Article]) -> None:
    """Append ``ArticleObserved`` for each article (idempotent per item version)."""
    batch: list[NewEvent] = []
    for art in articles:
        batch.append(ArticleObserved(art).to_event())
        if len(batch) >= APPEND_BATCH:
            log.append(batch)
            batch = []
    if batch:
        log.append(batch)


@dataclass(frozen=True, slots=True)
class Decided:
    """One rule outcome as replay shows it, with its item's published time."""

    row: OutcomeRow
    published: datetime | None


class SeenVersions:
    """The article versions replayed so far, so that each is decided (and shown) once.

    The log's idempotency key does this for a store. In memory, only sources
    that a later file may give again need remembering: every file's possible
    sources are known before the first is read (a feed's is its file name's
    stem, a text file's its directory's name), so a source's keys are
    forgotten once its last file is done. A directory of day feeds therefore
    remembers one day at a time, however many days it holds. What must be
    kept (a file given twice, a directory of text files) is kept as 64-bit
    digests, packed into a sorted array beyond :attr:`PACK_AT`: about 8 bytes
    an item. Two keys sharing a digest (odds about 1 in 10⁷ for a year of
    news) would hide the second. A source no file was expected to give is
    never forgotten: exact first, small second.
    """

    PACK_AT = 1 << 16

    def __init__(self, inputs: Sequence[Input]) -> None:
        last: dict[str, int] = {}
        for index, item in enumerate(inputs):
            for source in sources_of(item):
                last[source] = index
        self._ends: dict[int, list[str]] = {}
        for source, index in last.items():
            self._ends.setdefault(index, []).append(source)
        self._sets: dict[str, set[int]] = {}
        self._packed: dict[str, array[int]] = {}

    def add(self, source: str, key: str) -> bool:
        """Remember ``key`` of ``source``; False if it was seen already."""
        digest = int.from_bytes(
            hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True
        )
        current = self._sets.setdefault(source, set())
        if digest in current:
            return False
        packed = self._packed.get(source)
        if packed is not None:
            at = bisect_left(packed, digest)
            if at < len(packed) and packed[at] == digest:
                return False
        current.add(digest)
        if len(current) >= self.PACK_AT:
            self._packed[source] = array("q", sorted([*(packed or ()), *current]))
            current.clear()
        return True

    def done(self, index: int) -> None:
        """The input at ``index`` is decided: forget the sources no later input can give."""
        for source in self._ends.pop(index, ()):
            self._sets.pop(source, None)
            self._packed.pop(source, None)

    def __len__(self) -> int:
        """Digests held (for tests: bounded by what may repeat)."""
        return sum(len(s) for s in self._sets.values()) + sum(len(a) for a in self._packed.values())


class _InMemory:
    """Decides without storing: the rules' pure :class:`~monitor.rules.decider.Decider`.

    Sequence numbers are those of a log holding each article followed by its
    outcomes (event 1 being ``WatchlistsLoaded``).
    """

    def __init__(self, watchlists: Watchlists) -> None:
        self.decider = Decider(watchlists)
        self.seq = 1
        self._alert_seqs: dict[str, int] = {}  # raised alerts only: what duplicate_of names

    def decide(self, articles: Sequence[Article]) -> list[Decided]:
        # one observation time per file, as one append gives its batch
        now = datetime.fromisoformat(iso_utc(utc_now()))
        decided: list[Decided] = []
        for art in articles:
            self.seq += 1
            key = ArticleObserved(art).key
            try:
                outcomes = self.decider.decide(art, key=key, seq=self.seq, time=now)
            except Exception:  # as RuleEngine.run: one bad article must not stop the others
                log.exception("rule evaluation failed for %s", key)
                continue
            rows = [self._row(new, now) for new in outcomes]
            rows.sort(key=lambda r: (r.rule, r.seq))
            decided.extend(Decided(row, art.published) for row in rows)
        return decided

    def _row(self, new: NewEvent, now: datetime) -> OutcomeRow:
        self.seq += 1
        stored = StoredEvent(
            self.seq, new.type, new.stream, new.key, new.time or now, new.payload, "", ""
        )
        if new.type == ALERT_RAISED:
            self._alert_seqs[new.key] = self.seq
        # the read model's own mapping, so a row is what a store would show
        record = ReadModels.outcome_row(stored)
        alert_key = record.pop("_alert_key", None)
        if alert_key is not None:
            record["alert_seq"] = self._alert_seqs.get(alert_key)
        return OutcomeRow.model_validate(record)

    def close(self) -> None:
        pass  # nothing held


class _IntoStore:
    """The daemon's path: append the articles, run the engine, read the outcomes back."""

    def __init__(self, store: EventLog, watchlists: Watchlists) -> None:
        self.store = store
        self.engine = RuleEngine(store, watchlists)
        self.engine.record_watchlists()

    def decide(self, articles: Sequence[Article]) -> list[Decided]:
        observe(self.store, articles)
        self.engine.run()
        keys = [ArticleObserved(a).key for a in articles]
        with self.store.engine.connect() as conn:
            seqs = seqs_of_keys(conn, keys)
            published = {seqs[k]: a.published for k, a in zip(keys, articles, strict=True)}
            rows = outcomes_for_articles(conn, list(dict.fromkeys(seqs[k] for k in keys)))
        return [Decided(row, published.get(row.article_seq)) for row in rows]

    def close(self) -> None:
        pass  # the caller's store


class Replay:
    """A streaming replay: iterate it for the outcomes, in article order, as they are decided.

    ``store`` appends everything to that log (see the module docstring);
    ``processes`` is the number of parse workers (0: parse in this process).
    ``on_file`` is called after each file is decided, with what it gave
    (its articles, or why it was skipped, and a note such as an encoding):
    the place to report progress. Counts so far are attributes.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        watchlists: Watchlists,
        *,
        store: EventLog | None = None,
        processes: int = 0,
        on_file: Callable[[FileArticles], None] | None = None,
        published: datetime | None = None,
    ) -> None:
        self.paths = list(paths)
        self.watchlists = watchlists
        self.store = store
        self.processes = processes
        self.on_file = on_file
        self.inputs = list_inputs(self.paths, published)
        self.files_done = 0
        self.undated = 0  # text files read with no publication time
        self.items = 0  # entries and files read, repeats included
        self.raised = 0
        self.suppressed = 0
        self.skipped: list[str] = []
        self.notes: list[str] = []

    @property
    def files(self) -> int:
        return len(self.inputs)

    def __iter__(self) -> Iterator[Decided]:
        decider = (
            _IntoStore(self.store, self.watchlists)
            if self.store is not None
            else _InMemory(self.watchlists)
        )
        seen = SeenVersions(self.inputs)
        try:
            for index, got in enumerate(read_files(batches(self.inputs), self.processes)):
                self.files_done += 1
                self.items += len(got.articles)
                if got.skipped:
                    self.skipped.append(got.skipped)
                if got.note:
                    self.notes.append(got.note)
                if got.undated:
                    self.undated += 1
                fresh = [a for a in got.articles if seen.add(a.source, ArticleObserved(a).key)]
                decided = decider.decide(fresh) if fresh else []
                seen.done(index)
                for d in decided:
                    if d.row.outcome == "raised":
                        self.raised += 1
                    else:
                        self.suppressed += 1
                if self.on_file is not None:
                    self.on_file(got)
                yield from decided
        finally:
            decider.close()


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


def replay(
    paths: Sequence[Path], watchlists: Watchlists, log: EventLog, *, processes: int = 0
) -> ReplayResult:
    """Replay the paths into ``log`` and return every article and outcome, in memory.

    For callers that want the whole result at once (``rules eval``, tests);
    ``monitor replay`` streams with :class:`Replay` instead.
    """
    articles: list[Article] = []
    run = Replay(
        paths,
        watchlists,
        store=log,
        processes=processes,
        on_file=lambda got: articles.extend(got.articles),
    )
    outcomes = [d.row for d in run]
    return ReplayResult(articles, outcomes, run.skipped)
