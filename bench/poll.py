"""Measure feed polling and the daemon: throughput, overhead, delivery latency, memory.

A local feed server (``tests/feedserver.py``) and an SMTP sink (aiosmtpd, as
``tests/smtpsink.py``) run in a child process, so their CPU and memory are not
counted as ours. K feeds of N entries of about 2 KB each. Four figures::

    python bench/poll.py                       # 200 feeds, 10 latency samples, 10,000 cycles
    python bench/poll.py --feeds 50 --latency-samples 5 --cycles 500

1. **Throughput**: a full first poll of every feed (fetch, parse, normalize,
   decide, append to a SQLite *file* log), 8 worker threads sharing one
   httpx client — feeds/s and feeds/min. Target >= 1,000 feeds/min.
2. **Overhead ratio**: per feed, our processing without the network
   (``decide`` = parse_feed + normalize + events, then ``EventLog.append``)
   over a bare ``feedparser.parse(io.BytesIO(body))`` of the same bytes,
   single-threaded, median of several rounds. Target <= 1.5.
3. **Delivery latency**: the real daemon (``python -m monitor --config CFG
   run``, a subprocess) polls one feed every second and emails alerts to the
   SMTP sink. One at a time, a new entry that the shipped
   ``north-korea-russia`` watchlist raises is published; measured are
   (a) published -> email received and (b) the daemon's request that fetched
   it -> email received (both on ``time.time()``, the clock of the feed
   server's request log). Target: (b) <= 2 s.
4. **Soak**: the daemon's own code path in this process
   (``monitor.daemon.Daemon`` without its scheduler): each cycle runs
   ``poll_source`` for every soak feed (mostly 304s) and then ``consume()``,
   as the scheduler's jobs do; every ``--change-every`` cycles one feed gets a
   new entry, every other one of which raises an alert emailed to the sink.
   Resident memory (VmRSS) after a warm-up and at the end. Target growth
   <= 5 MB.

This is a benchmark, not a test: nothing here asserts. ``--profile`` prints
where the per-feed processing time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import email
import email.policy
import gc
import io
import multiprocessing
import os
import pstats
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import feedparser  # noqa: E402
from feedserver import Entry, FeedServer, Recorded, rss  # noqa: E402
from smtpsink import SmtpSink  # noqa: E402

from monitor.config import load_config  # noqa: E402
from monitor.daemon import Daemon  # noqa: E402
from monitor.normalize import normalize  # noqa: E402
from monitor.poller import Poller  # noqa: E402
from monitor.sources.feedfile import parse_feed  # noqa: E402
from monitor.sources.http import FeedConfig, FetchResult  # noqa: E402
from monitor.sources.poll import SourceState, decide  # noqa: E402
from monitor.store.log import EventLog  # noqa: E402
from monitor.store.source_state import SourcesProjection  # noqa: E402

_TEXT = (
    "the summit leaders met on friday in tokyo to discuss trade security and the future of "
    "regional cooperation officials said talks would continue next month while ministers "
    "prepared a joint statement on supply chains energy and defence analysts expect a "
    "cautious outcome after years of strained relations between the two neighbours"
)
WORDS = _TEXT.split()
T0 = datetime(2025, 3, 1, tzinfo=UTC)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


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


def alerting_entry(tag: str, n: int, published: datetime) -> Entry:
    """A new article the shipped ``north-korea-russia`` watchlist raises (no story key)."""
    day = DAYS[n % len(DAYS)]
    html = (
        f"<p>Pyongyang sent more troops to Russia on {day}, the {n}th such deployment, "
        "officials in Moscow said.</p>"
        "<p>The officials gave no figure for the size of the contingent.</p>"
    )
    return Entry(
        title=f"Pyongyang sends more troops to Russia [{tag}]",
        link=f"https://news.example.org/nk-ru/{tag}?utm_source=rss",
        html=html,
        published=published,
        id=f"nk-ru-{tag}",
    )


def vmrss_mb() -> float:
    """Resident set size in MB from /proc (peak from getrusage where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the servers, in a child process ------------------------------------------------


class TimedSink(SmtpSink):
    """An SMTP sink that keeps only ``(time.time() at receipt, subject)`` per message."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[tuple[float, str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((time.time(), str(msg["subject"])))
        return "250 OK"

    def since(self, index: int) -> list[tuple[float, str]]:
        return self.received[index:]

    def count(self) -> int:
        return len(self.received)


def _serve(conn: Connection) -> None:
    """Child process: a FeedServer and a TimedSink obeying ``(target, method, args, kwargs)``."""
    sink = TimedSink()
    sink.start()
    with FeedServer(max_log=100) as server:
        targets: dict[str, Any] = {"feed": server, "smtp": sink}
        conn.send((server.base_url, sink.url))
        while (message := conn.recv()) is not None:
            target, method, args, kwargs = message
            conn.send(getattr(targets[target], method)(*args, **kwargs))
    sink.stop()


class RemoteServers:
    """The feed server and SMTP sink in their own process, so they are not counted as ours."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child,), daemon=True)
        self._proc.start()
        self.base_url: str
        self.smtp_url: str
        self.base_url, self.smtp_url = self._conn.recv()

    def url(self, path: str) -> str:
        return self.base_url + path

    def feed(self, method: str, *args: Any, **kwargs: Any) -> Any:
        self._conn.send(("feed", method, args, kwargs))
        return self._conn.recv()

    def smtp(self, method: str, *args: Any, **kwargs: Any) -> Any:
        self._conn.send(("smtp", method, args, kwargs))
        return self._conn.recv()

    def close(self) -> None:
        self._conn.send(None)
        self._proc.join(timeout=10)


# -- 1. throughput ------------------------------------------------------------------


def open_log(path: Path) -> EventLog:
    projection = SourcesProjection()
    log = EventLog(f"sqlite:///{path}", projectors=[projection])
    with log.engine.begin() as conn:
        projection.create(conn)
    return log


def throughput(feeds: list[FeedConfig], db: Path, workers: int, processes: int) -> None:
    """The daemon's own :class:`Poller` (fetch, parse, normalize, append) over every feed once.

    ``processes`` is the daemon's ``[daemon] parse_processes`` setting: 0 parses
    in the polling threads, N in N worker processes.
    """
    from monitor.config import Config, DaemonConfig, SourceConfig
    from monitor.wiring import open_log as open_full_log

    label = f"{workers} threads" + (f" + parse in {processes} processes" if processes else "")
    sources = [
        SourceConfig(name=f.name, type="feed", url=f.url, interval=f.interval, timeout=30)
        for f in feeds
    ]
    config = Config(sources=sources, daemon=DaemonConfig(parse_processes=processes))
    with open_full_log(f"sqlite:///{db}") as log:
        poller = Poller(log, config, processes=processes)
        try:
            if poller.pool is not None:  # start the workers (imports) before timing
                list(poller.pool.map(_warm, range(processes * 2)))
            start = time.perf_counter()
            with ThreadPoolExecutor(workers) as threads:
                appended = sum(threads.map(lambda s: poller.poll(s, force=True), sources))
            elapsed = time.perf_counter() - start
        finally:
            poller.close()
    rate = len(feeds) / elapsed
    print(f"full poll, {label}: {len(feeds)} feeds, {appended} events in {elapsed:.2f} s")
    print(f"  {rate:.1f} feeds/s = {rate * 60:,.0f} feeds/min  (target >= 1,000/min)")


def _warm(_: int) -> None:
    time.sleep(0.05)


# -- 2. overhead ratio --------------------------------------------------------------


def overhead(bodies: list[bytes], db: Path, rounds: int, profile: bool) -> None:
    """Median per-feed seconds: bare feedparser vs. our decide + append (fresh keys)."""
    bare: list[float] = []
    bare_flags: list[float] = []
    ours: list[float] = []
    parts: dict[str, list[float]] = {"parse_feed": [], "normalize": [], "append": []}
    prof = cProfile.Profile()
    with open_log(db) as log:
        for r in range(rounds):
            for i, body in enumerate(bodies):
                t = time.perf_counter()
                feedparser.parse(io.BytesIO(body))
                bare.append(time.perf_counter() - t)
                t = time.perf_counter()
                feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
                bare_flags.append(time.perf_counter() - t)
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
            prof.enable()
            for i, body in enumerate(bodies):
                feed = FeedConfig(f"prof-{i}", f"http://bench/{i}", timedelta(minutes=10))
                events, _ = decide(
                    feed, SourceState(), FetchResult("ok", body, 200, None, None), T0
                )
                log.append(events)
            prof.disable()
    b, bf, o = statistics.median(bare), statistics.median(bare_flags), statistics.median(ours)
    print(f"per feed ({len(bodies)} feeds x {rounds} rounds, median):")
    print(f"  bare feedparser.parse(body)   {b * 1000:7.2f} ms")
    print(
        f"  ours (decide + append)        {o * 1000:7.2f} ms   ratio {o / b:.2f}  (target <= 1.5)"
    )
    print(
        f"  (bare parse with parse_feed's flags, sanitize_html=False, resolve_relative_uris=False:"
        f" {bf * 1000:.2f} ms; ours over that {o / bf:.2f})"
    )
    for name, values in parts.items():
        print(f"    {name:<27} {statistics.median(values) * 1000:7.2f} ms")
    if profile:
        stats = pstats.Stats(prof).sort_stats("cumulative")
        stats.print_stats(25)


# -- 3. delivery latency, the daemon as a subprocess ----------------------------------


def write_config(
    path: Path, servers: RemoteServers, sources: list[tuple[str, str]], interval: str
) -> Path:
    """A daemon config in the shape ``tests/test_daemon_e2e.py`` uses: feeds in, SMTP out."""
    lines = [
        f'watchlists = "{ROOT / "watchlists"}"',
        f'templates = "{ROOT / "templates"}"',
        f'[store]\nurl = "sqlite:///{path.parent / (path.stem + ".db")}"',
        '[daemon]\nconsumer_interval = "1s"\nshutdown_grace = "3s"',
        '[notify]\nmin_interval = "0s"\nbase_delay = "1s"\nmax_delay = "2s"',
        f'[channels]\nteam-email = "{servers.smtp_url}"',
    ]
    for name, url in sources:
        lines.append(
            f'[[sources]]\nname = "{name}"\ntype = "feed"\nurl = "{url}"\n'
            f'interval = "{interval}"\ntimeout = 5'
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def wait_for(what: Callable[[], bool], timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if what():
            return
        time.sleep(0.02)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {message}")


def latency(servers: RemoteServers, args: argparse.Namespace, workdir: Path) -> None:
    """Publish entries one at a time to a feed the daemon polls; time them to the inbox."""
    rng = random.Random(11)
    path = "/latency.xml"
    base = synthetic_entries(2000, args.entries, rng)
    servers.feed("set_feed", path, rss(base))
    config = write_config(workdir / "latency.toml", servers, [("latency", servers.url(path))], "1s")
    stderr_path = workdir / "latency.stderr"
    with stderr_path.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--config", str(config), "run"],
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    run = f"{os.getpid()}-{int(time.time())}"
    published: list[float] = []
    fetched: list[float] = []
    try:
        wait_for(lambda: servers.feed("count", path) >= 3, 60, "the daemon's first polls")
        time.sleep(1.0)  # whatever the first polls raised is delivered by now
        seen = servers.smtp("count")
        new: list[Entry] = []
        for i in range(args.latency_samples):
            time.sleep(rng.uniform(0.5, 1.5))  # a random phase against the poll schedule
            tag = f"latency {run} #{i + 1}"
            new.append(alerting_entry(tag, i + 1, datetime.now(UTC)))
            body = rss((base + new)[-args.entries :])
            t_set = time.time()
            servers.feed("set_feed", path, body)
            got: list[tuple[float, str]] = []

            def arrived(tag: str = tag, got: list[tuple[float, str]] = got) -> bool:
                got[:] = [m for m in servers.smtp("since", seen) if tag in m[1]]
                return bool(got)

            wait_for(arrived, 30, f"the email for {tag!r}")
            t_mail = got[0][0]
            requests: list[Recorded] = servers.feed("requests", path)
            t_poll = min(r.time for r in requests if r.time >= t_set)
            published.append(t_mail - t_set)
            fetched.append(t_mail - t_poll)
        extra = servers.smtp("count") - seen - args.latency_samples
    except TimeoutError as exc:
        print(f"delivery latency: FAILED, {exc}; daemon log (last lines):")
        print("\n".join(stderr_path.read_text(errors="replace").splitlines()[-20:]))
        return
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
    n = len(fetched)
    print(f"delivery latency: monitor run (subprocess), 1 feed polled every 1 s, {n} new entries")
    print(
        f"  published -> email received     median {statistics.median(published):5.2f} s"
        f"  max {max(published):5.2f} s  (includes up to one interval waiting for the poll)"
    )
    print(
        f"  polled    -> email received     median {statistics.median(fetched):5.2f} s"
        f"  max {max(fetched):5.2f} s  (target <= 2 s after the poll)"
    )
    tail = "" if extra == 0 else f", {extra} unexpected extra email(s)"
    print(f"  daemon exit code after SIGTERM: {code}{tail}")


# -- 4. soak, the daemon's code path in this process ----------------------------------


def make_due(poller: Poller, name: str, interval: timedelta) -> None:
    """Move a source's last poll one interval back, as if the scheduler's interval had passed."""
    state = poller.states.get(name)
    if state is not None and state.last_poll is not None:
        poller.states[name] = dataclasses.replace(state, last_poll=state.last_poll - interval)


def soak(servers: RemoteServers, args: argparse.Namespace, workdir: Path) -> None:
    rng = random.Random(7)
    paths = [f"/soak/{i}.xml" for i in range(args.soak_feeds)]
    feeds: list[list[Entry]] = []
    for i, path in enumerate(paths):
        feeds.append(synthetic_entries(1000 + i, args.entries, rng))
        servers.feed("set_feed", path, rss(feeds[i]))
    names = [f"soak{i}" for i in range(len(paths))]
    interval = timedelta(minutes=1)
    config_path = write_config(
        workdir / "soak.toml",
        servers,
        [(name, servers.url(path)) for name, path in zip(names, paths, strict=True)],
        "1m",
    )
    config = load_config(config_path)
    warmup = min(200, max(args.cycles // 10, 1))
    changed = alerts = 0
    before = 0.0
    mails_before = servers.smtp("count")
    daemon = Daemon(config_path, config)
    try:
        daemon.runtime.engine.record_watchlists()  # as Daemon.start() does
        start = time.perf_counter()
        for cycle in range(args.cycles):
            if cycle == warmup:
                gc.collect()
                before = vmrss_mb()
            if cycle and cycle % args.change_every == 0:
                i = cycle // args.change_every % len(paths)
                changed += 1
                if changed % 2:
                    entry = alerting_entry(f"soak {changed}", changed, datetime.now(UTC))
                    alerts += 1
                else:
                    entry = synthetic_entries(1000 + i, 1, rng, start=10_000 + changed)[0]
                feeds[i] = [*feeds[i][1:], entry]
                servers.feed("set_feed", paths[i], rss(feeds[i]))
            for name in names:
                make_due(daemon.poller, name, interval)
                daemon.poll_source(name)
            daemon.consume()
        elapsed = time.perf_counter() - start
        gc.collect()
        after = vmrss_mb()
        events = daemon.events.head()
    finally:
        daemon.poller.close()
        daemon.events.close()
    mailed = servers.smtp("count") - mails_before
    polls = args.cycles * len(names)
    print(
        f"soak: Daemon.poll_source x {len(names)} feeds + Daemon.consume(), {args.cycles} cycles"
        f" = {polls} polls in {elapsed:.1f} s ({elapsed / args.cycles * 1000:.1f} ms/cycle)"
    )
    print(
        f"  {changed} feed changes, {alerts} of them alerting; {mailed} emails delivered;"
        f" {events} events in the log"
    )
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
        help="also measure with parse_processes = N (0: skip)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds for the overhead ratio")
    parser.add_argument("--sample", type=int, default=20, help="feeds for the overhead ratio")
    parser.add_argument("--profile", action="store_true", help="profile our per-feed processing")
    parser.add_argument(
        "--latency-samples", type=int, default=10, help="new entries timed to delivery (0: skip)"
    )
    parser.add_argument("--cycles", type=int, default=10_000, help="soak poll cycles (0: skip)")
    parser.add_argument("--soak-feeds", type=int, default=5, help="feeds in the soak")
    parser.add_argument("--change-every", type=int, default=100, help="cycles between changes")
    args = parser.parse_args()

    started = time.monotonic()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} CPUs, load average {load:.2f} at the start")
    rng = random.Random(42)
    servers = RemoteServers()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            bodies = []
            for i in range(args.feeds):
                body = rss(synthetic_entries(i, args.entries, rng))
                servers.feed("set_feed", f"/feed/{i}.xml", body)
                bodies.append(body)
            size = statistics.mean(len(b) for b in bodies) / 1024
            print(f"{args.feeds} feeds x {args.entries} entries, {size:.0f} KB per feed")
            feeds = [
                FeedConfig(f"feed{i}", servers.url(f"/feed/{i}.xml"), timedelta(minutes=10))
                for i in range(args.feeds)
            ]
            throughput(feeds, workdir / "t1.db", args.workers, 0)
            if args.processes:
                throughput(feeds, workdir / "t2.db", args.workers, args.processes)
            overhead(bodies[: args.sample], workdir / "o1.db", args.rounds, args.profile)
            if args.latency_samples:
                latency(servers, args, workdir)
            if args.cycles:
                soak(servers, args, workdir)
    finally:
        servers.close()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"whole run {time.monotonic() - started:.0f} s, load average {load:.2f} at the end")


if __name__ == "__main__":
    main()
