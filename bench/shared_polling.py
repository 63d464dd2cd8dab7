"""Measure shared polling: several ``monitor run`` nodes on one PostgreSQL store.

Three daemons (subprocesses, ``python -m monitor --config nodeN.toml run``)
share one PostgreSQL schema and the same feeds, served by a local feed server
(``tests/feedserver.py``) in this process that records every request::

    python bench/shared_polling.py                       # 3 nodes, 3,000 feeds every 30 s
    python bench/shared_polling.py --feeds 300 --interval 10 --nodes 2

The store is a fresh schema in ``--pg-url`` (default ``$MONITOR_TEST_PG_URL``),
dropped at the end. 90 % of the feeds have validators and answer ``304`` to a
conditional GET; the others have none and answer ``200`` with the same body
every time (no parse, no event: its hash is unchanged); ``--slow`` of them
take ``--slow-seconds`` to answer, so a node has polls in hand when it is
killed. Three figures:

1. **Polls per minute per node**, from each node's own ``monitor_polls_total``
   (``/metrics``, ``[web]`` on a free port) over the measured window, after
   every feed has been polled once.
2. **Duplicate fetches** in that window, from the server's request log: a
   fetch of a feed less than half an interval after the previous one.
   Target 0. Also the fetches per feed per interval (1.0 is one node per
   poll; the scheduler's 10 % slack lets a poll come up to that much early).
3. **Failover**: the first node is killed with ``SIGKILL`` while it holds at
   least one lease (a slow feed in hand). For the feeds it polled last
   (``source_leases.holder``) the time from the kill until a live node
   fetched each again, and how late that was against its due time; for the
   polls it had in hand, the time until they were fetched again (the lease:
   the fetch deadline, max(3 x timeout, 30 s), plus 30 s, then the next
   node's job). Duplicates from the kill on are counted apart.

This is a benchmark, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import httpx  # noqa: E402
from feedserver import Entry, FeedServer, Recorded, rss  # noqa: E402
from pgschema import PgSchemas  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

T0 = datetime(2025, 3, 1, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_feeds(server: FeedServer, args: argparse.Namespace) -> tuple[list[str], set[str]]:
    """The feeds on the server: their paths, and which of them are slow."""
    rng = random.Random(7)
    paths = [f"/feed/{i}.xml" for i in range(args.feeds)]
    slow = set(rng.sample(paths, round(args.feeds * args.slow)))
    plain = set(rng.sample(paths, round(args.feeds * (1 - args.not_modified))))
    for i, path in enumerate(paths):
        entries = [
            Entry(
                f"Feed {i} story {n}: a quiet day at the council",
                f"https://news{i}.example.org/{n}",
                f"<p>Feed {i}, story {n}. The council met and adjourned.</p>",
                T0 + timedelta(minutes=n),
            )
            for n in range(args.entries)
        ]
        body = rss(entries, title=f"Feed {i}")
        if path in plain:  # no validators: a 200 every time, same body
            server.set_raw(path, body, content_type="application/rss+xml")
        else:
            server.set_feed(path, body)
        if path in slow:
            server.set_hang(path, args.slow_seconds)
    return paths, slow


def write_configs(
    workdir: Path, paths: list[str], server: FeedServer, args: argparse.Namespace, store: str
) -> list[tuple[Path, int]]:
    sources = "".join(
        f'[[sources]]\nname = "f{i}"\ntype = "feed"\nurl = "{server.url(path)}"\n'
        f'interval = "{args.interval}s"\ntimeout = {args.timeout}\n'
        for i, path in enumerate(paths)
    )
    configs = []
    for n in range(args.nodes):
        port = free_port()
        config = workdir / f"node{n}.toml"
        config.write_text(
            f'watchlists = "{ROOT / "watchlists"}"\ntemplates = "{ROOT / "templates"}"\n'
            f'[store]\nurl = "{store}"\n'
            f'[daemon]\nworkers = {args.workers}\nconsumer_interval = "5s"\n'
            f'shutdown_grace = "5s"\nlog_format = "plain"\n'
            f'[web]\nlisten = "127.0.0.1:{port}"\n' + sources
        )
        configs.append((config, port))
    return configs


def polls(port: int) -> float:
    """A node's ``monitor_polls_total``, every source and result summed."""
    body = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=60).text
    return sum(float(m) for m in re.findall(r"^monitor_polls_total\{[^}]*\} (\S+)$", body, re.M))


def answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code < 600
    except httpx.HTTPError:
        return False


def wait_for(what: Callable[[], bool], timeout: float, message: str) -> float:
    start = time.monotonic()
    while not what():
        if time.monotonic() - start > timeout:
            raise SystemExit(f"timed out after {timeout:.0f} s waiting for {message}")
        time.sleep(0.2)
    return time.monotonic() - start


def by_feed(
    requests: list[Recorded], since: float, until: float = float("inf")
) -> dict[str, list[float]]:
    times: dict[str, list[float]] = defaultdict(list)
    for r in requests:
        if since <= r.time < until:
            times[r.path].append(r.time)
    return times


def duplicates(times: dict[str, list[float]], interval: float) -> int:
    """Fetches of a feed less than half an interval after the one before."""
    return sum(
        1 for ts in times.values() for a, b in zip(ts, ts[1:], strict=False) if b - a < interval / 2
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-url", default=os.environ.get("MONITOR_TEST_PG_URL"))
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--feeds", type=int, default=3000)
    parser.add_argument("--interval", type=float, default=30.0, help="seconds")
    parser.add_argument("--timeout", type=float, default=5.0, help="source timeout, seconds")
    parser.add_argument("--entries", type=int, default=3, help="entries per feed")
    parser.add_argument("--not-modified", type=float, default=0.9, help="share answering 304")
    parser.add_argument("--slow", type=float, default=0.01, help="share of slow feeds")
    parser.add_argument("--slow-seconds", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=8, help="[daemon] workers per node")
    parser.add_argument("--measure", type=float, default=2.0, help="intervals measured")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    if not args.pg_url:
        raise SystemExit("no PostgreSQL: pass --pg-url or set MONITOR_TEST_PG_URL")

    schemas = PgSchemas(args.pg_url)
    store = schemas.new()
    workdir = Path(tempfile.mkdtemp(prefix="shared-polling-"))
    procs: list[subprocess.Popen[bytes]] = []
    server = FeedServer(max_log=5_000_000)
    try:
        paths, slow = serve_feeds(server, args)
        configs = write_configs(workdir, paths, server, args, store)
        for n, (config, port) in enumerate(configs):
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "monitor", "--config", str(config), "run"],
                    cwd=workdir,
                    stdout=(workdir / f"node{n}.out").open("wb"),
                    stderr=(workdir / f"node{n}.err").open("wb"),
                    env={**os.environ, "PYTHONUNBUFFERED": "1"},
                )
            )
            if n == 0:  # the first creates the store: daemons racing on its DDL may fail
                wait_for(functools.partial(answers, port), 120, "the first node")
        print(
            f"{args.nodes} nodes, {args.feeds:,} feeds every {args.interval:g} s "
            f"({args.not_modified:.0%} answering 304, {len(slow)} taking {args.slow_seconds:g} s), "
            f"{args.workers} workers per node; {workdir}"
        )

        def polled_all() -> bool:
            return all(server.count(p) for p in paths)

        warm = wait_for(polled_all, 20 * args.interval + 120, "every feed's first poll")
        for n, proc in enumerate(procs):
            if proc.poll() is not None:
                tail = (workdir / f"node{n}.err").read_text(errors="replace")[-2000:]
                raise SystemExit(f"node {n} exited with {proc.returncode}:\n{tail}")
        print(f"first poll of every feed: {warm:.1f} s after start")
        # measure from the next interval on: the first round's appends are behind us
        time.sleep(args.interval / 2)
        before = [polls(port) for _, port in configs]
        since, t_start = time.time(), time.monotonic()
        time.sleep(args.measure * args.interval)
        after = [polls(port) for _, port in configs]
        minutes = (time.monotonic() - t_start) / 60
        until = time.time()
        window = by_feed(server.requests(), since, until)

        print(f"\nsteady state, {args.measure:g} intervals ({minutes * 60:.0f} s):")
        for n, (b, a) in enumerate(zip(before, after, strict=True)):
            print(f"  node {n}: {(a - b) / minutes:8,.0f} polls/min")
        total = (sum(after) - sum(before)) / minutes
        fetched = sum(len(ts) for ts in window.values())
        per_feed = [len(window.get(p, [])) / args.measure for p in paths]
        print(f"  all:    {total:8,.0f} polls/min; server saw {fetched / minutes:,.0f} fetches/min")
        print(
            f"  fetches per feed per interval: mean {statistics.mean(per_feed):.2f}, "
            f"min {min(per_feed):.2f}, max {max(per_feed):.2f}; "
            f"feeds never fetched: {sum(1 for x in per_feed if x == 0)}"
        )
        spacing = sorted(b - a for ts in window.values() for a, b in zip(ts, ts[1:], strict=False))
        print(
            f"  time between two fetches of a feed: median {statistics.median(spacing):.1f} s, "
            f"1st percentile {spacing[len(spacing) // 100]:.1f} s, min {spacing[0]:.1f} s, "
            f"max {spacing[-1]:.1f} s"
        )
        print(f"  duplicate fetches: {duplicates(window, args.interval)}")

        failover(server, procs, paths, store, args)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        server.close()
        schemas.drop_all()
        if not args.keep:
            for f in workdir.iterdir():
                f.unlink()
            workdir.rmdir()


def failover(
    server: FeedServer,
    procs: list[subprocess.Popen[bytes]],
    paths: list[str],
    store: str,
    args: argparse.Namespace,
) -> None:
    """Kill node 0 while it holds a lease; time until its feeds are fetched again."""
    victim = procs[0]
    holder = f"{socket.gethostname()}:{victim.pid}"
    engine = create_engine(store, poolclass=NullPool)
    query = text("SELECT name, token IS NOT NULL AS held FROM source_leases WHERE holder = :h")
    with engine.connect() as conn:
        for _ in range(int(args.interval * 60)):  # wait (up to 3 intervals) for a poll in hand
            rows = conn.execute(query, {"h": holder}).all()
            if any(held for _, held in rows):
                break
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        killed_wall, killed = time.time(), time.monotonic()
        victim.wait()
        rows = conn.execute(query, {"h": holder}).all()
    engine.dispose()
    path_of = {f"f{i}": p for i, p in enumerate(paths)}
    theirs = {path_of[name] for name, _ in rows}
    held = {path_of[name] for name, held in rows if held}
    print(
        f"\nfailover: node 0 killed (SIGKILL) holding {len(held)} lease(s); "
        f"it had polled {len(theirs)} feed(s) last"
    )
    last: dict[str, float] = {}
    for r in server.requests():
        if r.time < killed_wall and r.path in theirs:
            last[r.path] = r.time

    def refetched() -> bool:
        seen = {r.path for r in server.requests() if r.time > killed_wall}
        return theirs <= seen

    lease = max(3 * args.timeout, 30) + 30
    wait_for(refetched, lease + 3 * args.interval + 60, "the dead node's feeds")
    print(f"  all of them fetched again {time.monotonic() - killed:.1f} s after the kill")
    after = by_feed(server.requests(), killed_wall)
    again = {p: after[p][0] - killed_wall for p in theirs}
    late = [after[p][0] - (last[p] + args.interval) for p in theirs if p in last and p not in held]
    free = [again[p] for p in theirs - held]
    if free:
        print(
            f"  feeds not in hand ({len(free)}): fetched again after median "
            f"{statistics.median(free):.1f} s, max {max(free):.1f} s; lateness against their "
            f"due time: median {statistics.median(late):+.1f} s, max {max(late):+.1f} s"
        )
    for p in sorted(held):
        print(f"  poll in hand {p}: fetched again {again[p]:.1f} s after the kill")
    print(f"  duplicate fetches since the kill: {duplicates(after, args.interval)}")


if __name__ == "__main__":
    main()
