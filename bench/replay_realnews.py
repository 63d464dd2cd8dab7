"""Replay benchmark on real news: the whole ``monitor replay`` process against bare feedparser.

Given a directory of day feeds (default ``/work/rn/feeds``; else
``../shared/realnews/rss-2023H1.jsonl.gz`` laid out by its ``feeds.py`` into a
temporary directory), measures in one run:

1. **bare feedparser**: ``feedparser.parse`` of every file, one process,
   default options — the floor a single-core replay cannot beat;
2. **the whole replay**: ``python -m monitor replay DIR --format jsonl`` as a
   child process (start-up, watchlists, workers and output included): wall
   time, items/s, the speed-up over (1), and memory —

   * peak RSS of the replay process itself (sampled, and the kernel's
     high-water mark of the largest process, which is what
     ``/usr/bin/time -v`` prints);
   * the peak of the whole process tree (replay plus its parse workers),
     as the sum of RSS and the sum of PSS (shared pages counted once);
   * RSS and tree PSS when the replay logged 100,000 items and when it
     logged its last multiple of 100,000 (growth between the two);
3. **parsing**: the sentences ``LINK`` had spaCy parse, the seconds in the
   pipeline and in loading it, and their share of the replay's wall time
   (from the replay's last log line).

    python bench/replay_realnews.py
    python bench/replay_realnews.py /path/to/day-feeds --processes 2 --out /tmp/replay.jsonl

Numbers only; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FEEDS = Path("/work/rn/feeds")
REALNEWS = ROOT.parent / "shared" / "realnews"
PROGRESS = re.compile(r"replay: (\d+) items")
PARSED = re.compile(
    r"replay: parsed (\d+) sentences .* in ([\d.]+) s, the pipeline loaded in ([\d.]+) s"
)


@dataclass
class Memory:
    """Peaks and marks sampled from /proc while the replay runs (all in KB)."""

    peak_main: int = 0
    peak_tree_rss: int = 0
    peak_tree_pss: int = 0
    workers: int = 0
    marks: list[tuple[int, int, int]] = field(default_factory=list)  # items, main RSS, tree PSS
    parsed: tuple[int, float, float] = (0, 0.0, 0.0)  # sentences parsed, seconds, load seconds


def status_kb(pid: int, field_name: str = "VmRSS") -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    out: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children", encoding="ascii") as fh:
                    kids = [int(k) for k in fh.read().split()]
            except OSError:
                continue
            out.extend(kids)
            todo.extend(kids)
    return out


def tree(pid: int) -> tuple[int, int, int, int]:
    """(main RSS, tree RSS, tree PSS, number of descendants) in KB."""
    pids = [pid, *descendants(pid)]
    main = status_kb(pid)
    return (
        main,
        main + sum(status_kb(p) for p in pids[1:]),
        sum(pss_kb(p) for p in pids),
        len(pids) - 1,
    )


def bare_feedparser(files: list[Path]) -> tuple[int, float, float]:
    """Entries, wall seconds and CPU seconds of feedparser alone, in this process."""
    import feedparser

    started, cpu = time.perf_counter(), time.process_time()
    entries = 0
    for path in files:
        entries += len(feedparser.parse(io.BytesIO(path.read_bytes())).entries)
    return entries, time.perf_counter() - started, time.process_time() - cpu


def run_replay(
    feeds: Path, watchlists: Path | None, processes: int | None, out: Path
) -> tuple[float, float, int, Memory, int]:
    """Wall and CPU seconds (the whole tree), exit status, memory, and the kernel's max RSS
    of the largest process (KB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # the console script, as a user runs it (its workers import what it imports)
    script = Path(sys.executable).with_name("monitor")
    entry = [str(script)] if script.is_file() else [sys.executable, "-m", "monitor"]
    cmd = [*entry, "replay", str(feeds), "--format", "jsonl"]
    if watchlists is not None:
        cmd += ["--watchlists", str(watchlists)]
    if processes is not None:
        cmd += ["--processes", str(processes)]
    mem = Memory()
    done = threading.Event()
    started = time.perf_counter()
    with out.open("wb") as sink:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=sink, stderr=subprocess.PIPE, text=True, bufsize=1
        )

        def sample() -> None:
            while not done.is_set():
                main, rss, pss, kids = tree(proc.pid)
                mem.peak_main = max(mem.peak_main, main)
                mem.peak_tree_rss = max(mem.peak_tree_rss, rss)
                mem.peak_tree_pss = max(mem.peak_tree_pss, pss)
                mem.workers = max(mem.workers, kids)
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        assert proc.stderr is not None
        for line in proc.stderr:
            found = PROGRESS.search(line)
            parsed = PARSED.search(line)
            if parsed:
                mem.parsed = (int(parsed.group(1)), float(parsed.group(2)), float(parsed.group(3)))
                sys.stderr.write("  replay: " + line)
            elif found:
                main, _, pss, _ = tree(proc.pid)
                mem.marks.append((int(found.group(1)), main, pss))
            elif line.strip():
                sys.stderr.write("  replay: " + line)
        code = proc.wait()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, code, mem, after.ru_maxrss


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def mb(kb: int) -> str:
    return f"{kb / 1024:,.0f} MB"


def lay_out(tmp: Path) -> Path:
    items = REALNEWS / "rss-2023H1.jsonl.gz"
    if not items.is_file():
        sys.exit(f"no feeds directory given, {DEFAULT_FEEDS} is absent and so is {items}")
    out = tmp / "feeds"
    print(f"laying out {items} as day feeds in {out} …")
    subprocess.run([sys.executable, str(REALNEWS / "feeds.py"), str(items), str(out)], check=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("feeds", nargs="?", type=Path, help=f"default: {DEFAULT_FEEDS}")
    parser.add_argument("--watchlists", type=Path, default=None, help="default: the shipped ones")
    parser.add_argument("--processes", type=int, default=None, help="replay --processes")
    parser.add_argument("--out", type=Path, default=None, help="keep the replay's JSON lines")
    parser.add_argument("--skip-baseline", action="store_true", help="do not run feedparser")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        feeds = args.feeds or (DEFAULT_FEEDS if DEFAULT_FEEDS.is_dir() else lay_out(Path(tmp)))
        files = sorted(p for p in feeds.iterdir() if p.suffix in (".xml", ".rss", ".atom"))
        size = sum(p.stat().st_size for p in files)
        print(f"{len(files)} feed files, {size / 1e6:,.0f} MB, in {feeds}; {os.cpu_count()} cores")

        entries, bare = 0, 0.0
        if not args.skip_baseline:
            entries, bare, bare_cpu = bare_feedparser(files)
            print(
                f"bare feedparser, 1 process:  {bare:7.1f} s  {entries / bare:8,.0f} items/s"
                f"  ({entries} entries; {bare_cpu:.1f} s CPU, {load()})"
            )

        out = args.out or Path(tmp) / "replay.jsonl"
        wall, cpu, code, mem, max_rss = run_replay(feeds, args.watchlists, args.processes, out)
        items = entries  # what feedparser found; unknown with --skip-baseline
        outcomes = sum(1 for _ in out.open(encoding="utf-8"))
        rate = f"{items / wall:8,.0f} items/s" if items else ""
        print(
            f"monitor replay, whole process: {wall:7.1f} s  {rate}  (exit {code}, "
            f"{outcomes} outcomes, {mem.workers} worker processes)"
        )
        print(
            f"  CPU of the replay and its workers: {cpu:.1f} s, {cpu / wall:.2f} cores on "
            f"average ({load()}: other processes take their share)"
        )
        if bare:
            print(f"speed-up over bare feedparser: {bare / wall:.2f}x")
        sentences, parsing, loading = mem.parsed
        share = (parsing + loading) / wall
        print(
            f"parsing (spaCy, in the deciding process): {sentences:,} sentences in "
            f"{parsing:.1f} s + {loading:.1f} s loading = {share:.1%} of the replay's wall time"
        )
        print(
            f"peak RSS: replay process {mb(mem.peak_main)} (kernel high-water mark of the "
            f"largest process: {mb(max_rss)}); whole tree {mb(mem.peak_tree_rss)} RSS, "
            f"{mb(mem.peak_tree_pss)} PSS"
        )
        if mem.marks:
            first, last = mem.marks[0], mem.marks[-1]
            print(
                f"after {first[0]:,} items: RSS {mb(first[1])}, tree PSS {mb(first[2])}; "
                f"after {last[0]:,} items: RSS {mb(last[1])}, tree PSS {mb(last[2])} "
                f"(growth {(last[1] - first[1]) / 1024:+,.1f} MB RSS)"
            )
            print(
                "RSS of the replay process at each mark: "
                + ", ".join(f"{items // 1000:,}k {rss / 1024:.0f}" for items, rss, _ in mem.marks)
                + " MB"
            )
        else:
            print("(fewer than 100,000 items: no memory marks)")


if __name__ == "__main__":
    main()
