"""Measure what one frozen node costs the others on a shared PostgreSQL store.

Three node processes append to one event log (a fresh schema in ``--pg-url``,
default ``$MONITOR_TEST_PG_URL``, dropped at the end), each in a loop of
small batches, as daemons recording polls and outcomes do. After a warm-up
the first node takes the log's append lock inside a transaction and is
paused with SIGSTOP right then (a stalled VM, a GC pause, a host under swap).
Then the same with the rule engine's lock: the first node holds it and is
paused, and the others try to take it as their engine passes do. Printed:

* events appended per second by the two live nodes, second by second,
  before and after the freeze, and the time from the freeze until they are
  back at 90 % of their rate before it (target ≤ 15 s);
* how long the live nodes could not take the rule engine's lock after the
  holder froze (its alerts would wait that long; target ≤ 15 s).

This is a benchmark, not a test: nothing here asserts::

    python bench/frozen_node.py                  # 3 nodes, 20 s frozen
    python bench/frozen_node.py --frozen 40
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pgschema import PgSchemas  # noqa: E402
from test_frozen_node import HOLD_APPEND_LOCK, HOLD_ENGINE_LOCK, holder, seconds_to_take  # noqa: E402

from monitor.rules.engine import CONSUMER  # noqa: E402

APPENDER = """
    import json, sys, time
    from monitor.events import NewEvent
    from monitor.errors import StoreError
    from monitor.wiring import open_log
    log = open_log(URL)
    n = 0
    while True:
        batch = [NewEvent("BenchEvent", "bench", f"{NAME}:{n + i}", {"i": n + i}) for i in range(5)]
        try:
            log.append(batch)
            n += 5
            print(json.dumps({"t": time.time(), "n": n}), flush=True)
        except StoreError as exc:
            print(json.dumps({"t": time.time(), "error": str(exc)[:80]}), flush=True)
"""


def spawn(url: str, body: str, **names: str) -> subprocess.Popen[str]:
    head = f"URL = {url!r}\n" + "".join(f"{k} = {v!r}\n" for k, v in names.items())
    return subprocess.Popen(
        [sys.executable, "-c", head + textwrap.dedent(body)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=dict(os.environ),
    )


def rates(lines: list[dict[str, float]], start: float, end: float) -> dict[int, int]:
    """Events appended in each whole second from ``start``."""
    out: dict[int, int] = {s: 0 for s in range(int(end - start))}
    last = None
    for rec in lines:
        if "n" not in rec:
            continue
        if last is not None and start <= rec["t"] < end:
            out[int(rec["t"] - start)] = out.get(int(rec["t"] - start), 0) + int(rec["n"] - last)
        last = rec["n"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=os.environ.get("MONITOR_TEST_PG_URL"))
    parser.add_argument("--warmup", type=float, default=8.0)
    parser.add_argument("--frozen", type=float, default=20.0)
    args = parser.parse_args()
    if not args.pg_url:
        sys.exit('no PostgreSQL: pass --pg-url or eval "$(bash .ci/pg-setup.sh | tail -1)"')
    schemas = PgSchemas(args.pg_url)
    url = schemas.new()
    try:
        from monitor.wiring import open_log

        open_log(url).close()  # the tables, made once before the nodes start
        live = [spawn(url, APPENDER, NAME=f"node{i}") for i in (1, 2)]
        collected: dict[int, list[dict[str, float]]] = {0: [], 1: []}

        def read(i: int, proc: subprocess.Popen[str]) -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                collected[i].append(json.loads(line))

        for i, proc in enumerate(live):
            threading.Thread(target=read, args=(i, proc), daemon=True).start()
        t0 = time.time()
        time.sleep(args.warmup)
        with holder(url, HOLD_APPEND_LOCK) as frozen:
            os.kill(frozen.pid, signal.SIGSTOP)
            t_freeze = time.time()
            time.sleep(args.frozen)
            t_end = time.time()
            for p in live:
                p.terminate()
            for p in live:
                p.wait(10)
        before = [sum(rates(collected[i], t0, t_freeze).get(s, 0) for i in (0, 1))
                  for s in range(1, int(t_freeze - t0))]  # fmt: skip
        after = [sum(rates(collected[i], t_freeze, t_end).get(s, 0) for i in (0, 1))
                 for s in range(int(t_end - t_freeze))]  # fmt: skip
        base = sorted(before)[len(before) // 2] if before else 0
        back = next((s for s, n in enumerate(after) if n >= 0.9 * base and s > 0), None)
        errors = sum(1 for i in (0, 1) for rec in collected[i] if "error" in rec)
        print(f"append lock: two live nodes, median {base} events/s before the freeze")
        print("  events/s after it, second by second: " + " ".join(map(str, after)))
        print(
            f"  back at >= 90 % of the rate {back} s after the freeze"
            if back is not None
            else "  not back within the measured window"
        )
        print(f"  appends that gave up on the lock (retried): {errors}")

        # the rule engine's own lock (its consumer name), held by a node that freezes
        with holder(url, HOLD_ENGINE_LOCK, lock=CONSUMER) as node, open_log(url) as log:
            os.kill(node.pid, signal.SIGSTOP)
            waited = seconds_to_take(log, CONSUMER, within=120)
        print(
            f"rule engine's lock: taken by a live node {waited:.1f} s after its holder froze"
            if waited is not None
            else "rule engine's lock: not taken within 120 s"
        )
    finally:
        schemas.drop_all()


if __name__ == "__main__":
    main()
