"""Measure feed polling: throughput, our overhead over feedparser, and memory over a soak.

A local feed server (``tests/feedserver.py``, in this process) serves K feeds
of N entries of about 2 KB each. Three figures come out::

    python bench/poll.py                       # 200 feeds, 10,000 soak cycles
    python bench/poll.py --feeds 50 --cycles 500

1. **Throughput**: a full first poll of every feed (fetch, parse, normalize,
   decide, append to a SQLite *file* log), 8 worker threads sharing one
   httpx client — feeds/s and feeds/min. Target ≥ 1,000 feeds/min.
2. **Overhead ratio**: per feed, our processing without the network
   (``decide`` = parse_feed + normalize + events, then ``EventLog.append``)
   over a bare ``feedparser.parse(io.BytesIO(body))`` of the same bytes,
   single-threaded, median of several rounds. Target ≤ 1.5.
3. **Soak**: ``--soak-feeds`` feeds polled ``--cycles`` times, mostly 304s
   with one feed changing every ``--change-every`` cycles; resident memory
   (VmRSS) after a warm-up and at the end. Target growth ≤ 5 MB.

This is a benchmark, not a test: nothing here asserts. ``--profile`` prints
where the per-feed processing time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import multiprocessing
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import feedparser  # noqa: E402
import httpx  # noqa: E402
from feedserver import Entry, FeedServer, rss  # noqa: E402

import monitor.sources.feedfile as feedfile  # noqa: E402
from monitor.normalize import normalize  # noqa: E402
from monitor.sources.feedfile import parse_feed  # noqa: E402
from monitor.sources.http import FeedConfig, FetchResult, fetch, make_client  # noqa: E402
from monitor.sources.poll import SourcesProjection, SourceState, decide  # noqa: E402
from monitor.store.events import NewEvent  # noqa: E402
from monitor.store.log import EventLog  # noqa: E402

_TEXT = (
    "the summit leaders met on friday in tokyo to discuss trade security and the future of "
    "regional cooperation officials said talks would continue next month while ministers "
    "prepared a joint statement on supply chains energy and defence analysts expect a "
    "cautious outcome after years of strained relations between the two neighbours"
)
WORDS = _TEXT.split()
T0 = datetime(2025, 3, 1, tzinfo=UTC)


def synthetic_entries(feed: int, count: int, rng: random.Random, start: int = 0) -> list[Entry]:
    """``count`` entries of about 2 KB of HTML each: four paragraphs of plain sentences."""
    entries = []
    for n in range(start, start + count):
        paragraphs = []
        for _ in range(4):
            sentences = [
                " ".join(rng.choices(WORDS, k=rng.randint(12, 20))).capitalize() + "."
                for _ in range(4)
            ]
            paragraphs.append("<p>" + " ".join(sentences) + "</p>")
        entries.append(
            Entry(
                title=f"Feed {feed} story {n}: leaders meet for talks",
                link=f"https://news{feed}.example.org/story/{n}?utm_source=rss&id={n}",
                html="".join(paragraphs),
                published=T0 + timedelta(minutes=n),
            )
        )
    return entries


def rss_kb() -> float:
    """Resident set size in MB from /proc (peak from getrusage where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _serve(conn: Connection) -> None:
    """Child process: run a FeedServer and obey ``(method, args, kwargs)`` messages."""
    with FeedServer(max_log=100) as server:
        conn.send(server.base_url)
        while (message := conn.recv()) is not None:
            method, args, kwargs = message
            conn.send(getattr(server, method)(*args, **kwargs))


class RemoteServer:
    """The feed server in its own process, so its CPU and memory are not counted as ours."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child,), daemon=True)
        self._proc.start()
        self.base_url: str = self._conn.recv()

    def url(self, path: str) -> str:
        return self.base_url + path

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        self._conn.send((method, args, kwargs))
        return self._conn.recv()

    def close(self) -> None:
        self._conn.send(None)
        self._proc.join(timeout=10)


class _ProposedFeedparser:
    """feedparser as ``parse_feed`` would call it with the proposed change.

    ``sanitize_html=False, resolve_relative_uris=False``: entry HTML is only
    ever turned into text by lxml (scripts and styles dropped there), never
    rendered, so feedparser's sanitizer and URI rewriting are wasted work.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(feedparser, name)

    @staticmethod
    def parse(stream: Any, **kwargs: Any) -> Any:
        return feedparser.parse(stream, sanitize_html=False, resolve_relative_uris=False, **kwargs)


def use_proposed_parse() -> None:
    feedfile.__dict__["feedparser"] = _ProposedFeedparser()


def _decide_job(
    feed: FeedConfig, state: SourceState, result: FetchResult, proposed: bool
) -> tuple[list[NewEvent], SourceState]:
    """``decide`` in a worker process (it is pure, so it can run anywhere)."""
    if proposed:
        use_proposed_parse()
    return decide(feed, state, result, T0)


class Shell:
    """The daemon's poll in miniature: fetch, decide, append, keep the state."""

    def __init__(
        self,
        log: EventLog,
        client: httpx.Client,
        processes: Executor | None = None,
        proposed: bool = False,
    ) -> None:
        self.log, self.client, self.processes, self.proposed = log, client, processes, proposed
        self.states: dict[str, SourceState] = {}

    def poll(self, feed: FeedConfig, now: datetime) -> int:
        state = self.states.get(feed.name, SourceState())
        result = fetch(self.client, feed, etag=state.etag, last_modified=state.last_modified)
        if result.status == "error":
            raise SystemExit(f"bench feed failed: {result.error}")
        if self.processes is not None and result.status == "ok":
            job = self.processes.submit(_decide_job, feed, state, result, self.proposed)
            events, new = job.result()
        else:
            events, new = decide(feed, state, result, now)
        appended = len(self.log.append(events)) if events else 0
        self.states[feed.name] = new
        return appended


def open_log(path: Path) -> EventLog:
    projection = SourcesProjection()
    log = EventLog(f"sqlite:///{path}", projectors=[projection])
    with log.engine.begin() as conn:
        projection.create(conn)
    return log


def throughput(
    feeds: list[FeedConfig], db: Path, workers: int, processes: int, proposed: bool
) -> None:
    label = f"{workers} threads" + (f" + decide in {processes} processes" if processes else "")
    with (
        open_log(db) as log,
        make_client() as client,
        _maybe_processes(processes, proposed) as pool,
    ):
        shell = Shell(log, client, pool, proposed)
        start = time.perf_counter()
        with ThreadPoolExecutor(workers) as threads:
            appended = sum(threads.map(lambda f: shell.poll(f, T0), feeds))
        elapsed = time.perf_counter() - start
    rate = len(feeds) / elapsed
    print(f"full poll, {label}: {len(feeds)} feeds, {appended} events in {elapsed:.2f} s")
    print(f"  {rate:.1f} feeds/s = {rate * 60:,.0f} feeds/min  (target >= 1,000/min)")


@contextmanager
def _maybe_processes(count: int, proposed: bool) -> Iterator[Executor | None]:
    if not count:
        yield None
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(count, mp_context=ctx) as pool:
        # Warm the workers (imports) so start-up is not counted as polling.
        list(pool.map(_warm, range(count * 2)))
        yield pool


def _warm(_: int) -> None:
    time.sleep(0.05)


def overhead(bodies: list[bytes], db: Path, rounds: int, profile: bool) -> None:
    """Median per-feed seconds: bare feedparser vs. our decide + append (fresh keys)."""
    bare: list[float] = []
    ours: list[float] = []
    parts: dict[str, list[float]] = {"parse_feed": [], "normalize": [], "append": []}
    with open_log(db) as log:
        for r in range(rounds):
            for i, body in enumerate(bodies):
                t = time.perf_counter()
                feedparser.parse(io.BytesIO(body))
                bare.append(time.perf_counter() - t)
                feed = FeedConfig(f"o{r}-{i}", f"http://bench/{i}", timedelta(minutes=10))
                result = FetchResult("ok", body, 200, None, None, {}, url=feed.url)
                t = time.perf_counter()
                events, _ = decide(feed, SourceState(), result, T0)
                log.append(events)
                ours.append(time.perf_counter() - t)
            # The same work split in parts, on the first feed, to say where time goes.
            t = time.perf_counter()
            items = parse_feed(bodies[0], source=f"p{r}", url="http://bench/p")
            t1 = time.perf_counter()
            articles = [normalize(raw) for raw in items]
            t2 = time.perf_counter()
            feed = FeedConfig(f"p{r}", "http://bench/p", timedelta(minutes=10))
            events, _ = decide(
                feed, SourceState(), FetchResult("ok", bodies[0], 200, None, None), T0
            )
            t3 = time.perf_counter()
            log.append(events)
            t4 = time.perf_counter()
            parts["parse_feed"].append(t1 - t)
            parts["normalize"].append(t2 - t1)
            parts["append"].append(t4 - t3)
            del articles
        if profile:
            prof = cProfile.Profile()
            prof.enable()
            for i, body in enumerate(bodies):
                feed = FeedConfig(f"prof-{i}", f"http://bench/{i}", timedelta(minutes=10))
                events, _ = decide(
                    feed, SourceState(), FetchResult("ok", body, 200, None, None), T0
                )
                log.append(events)
            prof.disable()
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"per feed ({len(bodies)} feeds x {rounds} rounds, median):")
    print(f"  bare feedparser.parse   {b * 1000:7.2f} ms")
    print(f"  ours (decide + append)  {o * 1000:7.2f} ms   ratio {o / b:.2f}  (target <= 1.5)")
    for name, values in parts.items():
        print(f"    {name:<21} {statistics.median(values) * 1000:7.2f} ms")
    if profile:
        stats = pstats.Stats(prof).sort_stats("cumulative")
        stats.print_stats(25)


def soak(server: RemoteServer, args: argparse.Namespace, workdir: Path) -> None:
    rng = random.Random(7)
    paths = [f"/soak/{i}.xml" for i in range(args.soak_feeds)]
    heads = [args.entries] * len(paths)
    for i, path in enumerate(paths):
        server.call("set_feed", path, rss(synthetic_entries(1000 + i, args.entries, rng)))
    feeds = [
        FeedConfig(f"soak{i}", server.url(p), timedelta(minutes=1)) for i, p in enumerate(paths)
    ]
    warmup = min(200, max(args.cycles // 10, 1))
    changed = 0
    before = 0.0
    with open_log(workdir / "soak.db") as log, make_client() as client:
        shell = Shell(log, client)
        start = time.perf_counter()
        for cycle in range(args.cycles):
            if cycle == warmup:
                gc.collect()
                before = rss_kb()
            if cycle and cycle % args.change_every == 0:
                i = cycle // args.change_every % len(paths)
                entries = synthetic_entries(1000 + i, args.entries, rng, start=heads[i] - 49)
                heads[i] += 1
                server.call("set_feed", paths[i], rss(entries))
                changed += 1
            now = T0 + timedelta(minutes=cycle)
            for feed in feeds:
                shell.poll(feed, now)
        elapsed = time.perf_counter() - start
        gc.collect()
        after = rss_kb()
        events = log.head()
    polls = args.cycles * len(feeds)
    print(f"soak: {args.cycles} cycles x {len(feeds)} feeds = {polls} polls in {elapsed:.1f} s")
    print(f"  {changed} feed changes, {events} events in the log")
    print(f"  VmRSS after {warmup} warm-up cycles {before:.1f} MB, at the end {after:.1f} MB")
    print(f"  growth {after - before:+.2f} MB  (target <= 5 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200, help="feeds for the throughput run")
    parser.add_argument("--entries", type=int, default=50, help="entries per feed")
    parser.add_argument("--workers", type=int, default=8, help="poll threads")
    parser.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="also measure with decide() in this many processes (0: skip)",
    )
    parser.add_argument("--cycles", type=int, default=10_000, help="soak poll cycles")
    parser.add_argument("--soak-feeds", type=int, default=5, help="feeds in the soak")
    parser.add_argument("--change-every", type=int, default=100, help="cycles between changes")
    parser.add_argument("--rounds", type=int, default=3, help="rounds for the overhead ratio")
    parser.add_argument("--sample", type=int, default=20, help="feeds for the overhead ratio")
    parser.add_argument("--profile", action="store_true", help="profile our per-feed processing")
    parser.add_argument(
        "--proposed-parse",
        action="store_true",
        help="also measure with parse_feed calling feedparser without sanitizing (a proposal)",
    )
    args = parser.parse_args()

    rng = random.Random(42)
    server = RemoteServer()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            bodies = []
            for i in range(args.feeds):
                body = rss(synthetic_entries(i, args.entries, rng))
                server.call("set_feed", f"/feed/{i}.xml", body)
                bodies.append(body)
            size = statistics.mean(len(b) for b in bodies) / 1024
            print(f"{args.feeds} feeds x {args.entries} entries, {size:.0f} KB per feed")
            feeds = [
                FeedConfig(f"feed{i}", server.url(f"/feed/{i}.xml"), timedelta(minutes=10))
                for i in range(args.feeds)
            ]
            throughput(feeds, workdir / "t1.db", args.workers, 0, False)
            if args.processes:
                throughput(feeds, workdir / "t2.db", args.workers, args.processes, False)
            overhead(bodies[: args.sample], workdir / "o1.db", args.rounds, args.profile)
            soak(server, args, workdir)
            if args.proposed_parse:
                print("\n-- with the proposed parse_feed change (sanitize/resolve off) --")
                use_proposed_parse()
                throughput(feeds, workdir / "t3.db", args.workers, 0, True)
                if args.processes:
                    throughput(feeds, workdir / "t4.db", args.workers, args.processes, True)
                overhead(bodies[: args.sample], workdir / "o2.db", args.rounds, False)
    finally:
        server.close()


if __name__ == "__main__":
    main()
