"""How a streaming replay shows itself: progress on stderr, filters, totals.

A replay of months of news runs for a minute or more. On a terminal a
``rich`` progress bar shows files, items, items/s and the outcomes so far;
when stderr is a file or a pipe (a job, a benchmark) a log line every
:data:`LOG_EVERY` items says the same. Outcomes themselves go to stdout as
they are decided, filtered by rule and outcome, or only counted
(``--summary``).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from monitor.analysis import parse_stats
from monitor.ingest import FileArticles
from monitor.replay import Replay
from monitor.rules.ast import render
from monitor.rules.watchlist import Rule
from monitor.store.projections import OutcomeRow

LOG_EVERY = 100_000
log = logging.getLogger("monitor.replay")


@dataclass
class Tally:
    """Outcomes shown, per rule: raised, and suppressed by reason."""

    raised: Counter[str] = field(default_factory=Counter)
    suppressed: Counter[str] = field(default_factory=Counter)
    reasons: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, row: OutcomeRow) -> None:
        if row.outcome == "raised":
            self.raised[row.rule] += 1
        else:
            self.suppressed[row.rule] += 1
            self.reasons.setdefault(row.rule, Counter())[row.reason or "?"] += 1

    @property
    def rules(self) -> list[str]:
        return sorted({*self.raised, *self.suppressed})

    def records(self, run: Replay) -> Iterator[dict[str, Any]]:
        """``--summary --format jsonl``: one object per rule, then the totals (``rule``: null)."""
        for rule in self.rules:
            yield {
                "rule": rule,
                "raised": self.raised[rule],
                "suppressed": self.suppressed[rule],
                "reasons": dict(sorted(self.reasons.get(rule, Counter()).items())),
            }
        yield {
            "rule": None,
            "articles": run.items,
            "raised": self.raised.total(),
            "suppressed": self.suppressed.total(),
            "skipped": len(run.skipped),
        }

    def footer(self, run: Replay) -> str:
        return (
            f"{run.items} articles, {self.raised.total()} raised, "
            f"{self.suppressed.total()} suppressed, {len(run.skipped)} skipped"
        )

    def print_table(self, console: Console) -> None:
        """``--summary``: rule, raised, suppressed (and why), aligned."""
        width = max([len("rule"), *(len(r) for r in self.rules)])
        console.print(f"{'rule':<{width}}  {'raised':>7}  {'suppressed':>10}", style="bold")
        for rule in self.rules:
            why = ", ".join(f"{n} {r}" for r, n in sorted(self.reasons.get(rule, {}).items()))
            console.print(
                f"{rule:<{width}}  {self.raised[rule]:>7}  {self.suppressed[rule]:>10}"
                + (f"  ({why})" if why else ""),
                markup=False,
                highlight=False,
            )


def print_json(record: dict[str, Any]) -> None:
    """One JSON line, flushed: a reader down a pipe sees each outcome when it is decided."""
    print(json.dumps(record, ensure_ascii=False, default=str), flush=True)


#: The line under an outcome whose item has no publication time, for a rule that needs one.
UNDATED = (
    "undated: no publication time, so its event was not dated (judged as news) and leaders "
    "named by office were not resolved — add a 'Published:' line, a NAME.json sidecar "
    "or --published"
)


def needs_date(rule: Rule) -> bool:
    """Whether a rule reads the publication time: it dates events, or names leaders.

    Leaders are whoever held an office on the publication day ("Japan's prime
    minister"), so an undated text resolves none by office.
    """
    new_story = rule.spec.new_story
    return (new_story is not None and new_story.dating is not None) or "@leader" in render(
        rule.query
    )


@contextmanager
def progress(run: Replay, err: Console, dated: set[str] | None = None) -> Iterator[None]:
    """Report ``run``'s progress while the block iterates it; skipped files and notes as they come.

    Installs itself as the replay's ``on_file`` callback.
    """
    started = time.monotonic()
    bar: Progress | None = None
    task = None
    next_log = LOG_EVERY

    def stats() -> dict[str, Any]:
        elapsed = max(time.monotonic() - started, 1e-9)
        return {
            "items": run.items,
            "rate": run.items / elapsed,
            "raised": run.raised,
            "suppressed": run.suppressed,
        }

    def on_file(got: FileArticles) -> None:
        nonlocal next_log
        if got.skipped:
            err.print(f"skipped: {got.skipped}", markup=False, highlight=False)
        if got.note:
            err.print(f"note: {got.note}", markup=False, highlight=False)
        if bar is not None and task is not None:
            bar.update(task, completed=run.files_done, **stats())
        elif run.items >= next_log:
            s = stats()
            log.info(
                "replay: %d items, %.0f items/s, %d raised, %d suppressed",
                s["items"],
                s["rate"],
                s["raised"],
                s["suppressed"],
            )
            next_log = (run.items // LOG_EVERY + 1) * LOG_EVERY

    run.on_file = on_file
    if err.is_terminal:
        bar = Progress(
            TextColumn("replay"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} files"),
            TextColumn("{task.fields[items]:,} items · {task.fields[rate]:,.0f}/s"),
            TextColumn(
                "[bold red]{task.fields[raised]} raised[/] · "
                "[yellow]{task.fields[suppressed]} suppressed[/]"
            ),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            # outcomes printed to a terminal go above the bar; to a file or a pipe, untouched
            redirect_stdout=sys.stdout.isatty(),
            redirect_stderr=False,
        )
        task = bar.add_task("replay", total=run.files, **stats())
        bar.start()
    try:
        yield
    finally:
        if bar is not None:
            bar.stop()
        if run.undated and dated:
            err.print(
                f"note: {run.undated} text file(s) had no publication time: "
                f"{', '.join(sorted(dated))} judged them as news, without dating their "
                "events or resolving leaders named by office (add a 'Published:' line, "
                'a NAME.json sidecar with "published", or --published)',
                markup=False,
                highlight=False,
            )
        parsed = parse_stats()
        if parsed.sentences:
            log.info(
                "replay: parsed %d sentences (%d more from the cache) in %.1f s, "
                "the pipeline loaded in %.1f s, of %.1f s",
                parsed.sentences,
                parsed.cached,
                parsed.seconds,
                parsed.load_seconds,
                time.monotonic() - started,
            )
