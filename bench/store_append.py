"""Measure event-log append throughput for batches of events.

A consumer appends what it derived from one page of input in one call, so the
number that matters is events per second for batch appends (1,000 by
default), including hashing, de-duplication by key and the commit. Run::

    python bench/store_append.py                 # in-memory and file SQLite
    python bench/store_append.py --url postgresql+psycopg://monitor:monitor@127.0.0.1/monitor_test

The PostgreSQL URL must point at an empty scratch database (the log is
append-only, so the benchmark cannot clean up after itself there).
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.store.events import NewEvent  # noqa: E402
from monitor.store.log import EventLog  # noqa: E402


def make_batches(batches: int, size: int) -> list[list[NewEvent]]:
    """ArticleObserved-sized events with keys unique across runs and invocations."""
    run = uuid.uuid4().hex
    return [
        [
            NewEvent(
                type="ArticleObserved",
                stream="source:bench",
                key=f"bench:{run}:{b}:{i}",
                payload={
                    "url": f"https://example.org/news/{b}/{i}",
                    "title": "Leaders meet for talks on trade and security",
                    "summary": "A short summary of the article, about this long. " * 2,
                    "lang": "en",
                },
            )
            for i in range(size)
        ]
        for b in range(batches)
    ]


def measure(url: str, batches: int, size: int) -> float:
    """Events/s for ``batches`` appends of ``size`` events (batches built beforehand)."""
    work = make_batches(batches, size)
    with EventLog(url) as log:
        start = time.perf_counter()
        for batch in work:
            log.append(batch)
        elapsed = time.perf_counter() - start
        if not log.verify().ok:
            raise SystemExit(f"{url}: the log does not verify after the benchmark")
    return batches * size / elapsed


def _same(url: str, _run: int) -> str:
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Event-log append throughput.")
    parser.add_argument("--batch", type=int, default=1000, help="events per append")
    parser.add_argument("--batches", type=int, default=50, help="appends per run")
    parser.add_argument("--repeats", type=int, default=3, help="runs; the best is reported")
    parser.add_argument("--url", action="append", help="database URL (repeatable)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        targets: list[tuple[str, Callable[[int], str]]]
        if args.url:
            targets = [(url, functools.partial(_same, url)) for url in args.url]
        else:
            targets = [
                ("sqlite:// (in-memory)", functools.partial(_same, "sqlite://")),
                ("sqlite file (WAL)", lambda run: f"sqlite:///{Path(tmp) / f'bench-{run}.db'}"),
            ]
        for label, url_for in targets:
            # Best of several runs: a shared machine's noise only ever slows a run down.
            rate = max(
                measure(url_for(run), args.batches, args.batch) for run in range(args.repeats)
            )
            print(f"{label:40s} {rate:>10,.0f} events/s  ({args.batches} x {args.batch})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
