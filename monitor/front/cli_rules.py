"""The commands that try watchlists on articles: ``replay``, ``backtest`` and ``rules``.

They are registered on the ``monitor`` group by :mod:`monitor.front.cli`;
the frame they share (options, consoles, errors) is :mod:`monitor.front.command`.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.text import Text

from monitor.front import command as cmd
from monitor.front.command import (
    MEMORY_STORE,
    MonitorCommand,
    MonitorGroup,
    config_of,
    default_watchlists,
    error_line,
    friendly,
    open_monitor,
    published_flag,
    since_option,
    store_option,
    watchlists_from,
    watchlists_option,
)

if TYPE_CHECKING:
    pass

__all__ = ["backtest", "replay", "rules"]


@click.command(cls=MonitorCommand)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@watchlists_option
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text")
@store_option
@click.option("--notify", is_flag=True, help="Also deliver raised alerts to the channels.")
@click.option(
    "--processes",
    type=click.IntRange(0),
    default=None,
    help="Parse workers (default: one per core; 0: parse in this process).",
)
@click.option(
    "--rule",
    "only_rules",
    multiple=True,
    metavar="RULE",
    help="Only this rule's outcomes (repeatable).",
)
@click.option(
    "--outcome",
    "only_outcomes",
    multiple=True,
    type=click.Choice(["raised", "suppressed"]),
    help="Only these outcomes (repeatable).",
)
@click.option("--summary", is_flag=True, help="Print only the totals per rule and outcome.")
@published_flag
@friendly
def replay(
    paths: tuple[Path, ...],
    watchlists_dir: Path | None,
    fmt: str,
    store_url: str | None,
    notify: bool,
    processes: int | None,
    only_rules: tuple[str, ...],
    only_outcomes: tuple[str, ...],
    summary: bool,
    published: datetime | None,
) -> None:
    """Replay directories, text files and feed files through the watchlists.

    Outcomes are printed as they are decided. Without --store nothing is
    stored and memory stays bounded however long the input.
    """
    from monitor.front.output import print_outcomes, replay_record
    from monitor.front.replay_output import UNDATED, Tally, needs_date, print_json, progress
    from monitor.ingest import default_processes
    from monitor.replay import Replay
    from monitor.wiring import open_log

    watchlists = watchlists_from(watchlists_dir)
    unknown = [r for r in only_rules if r not in {rule.id for rule in watchlists.rules}]
    if unknown:
        known = ", ".join(r.id for r in watchlists.rules)
        raise click.UsageError(f"no rule {unknown[0]!r} (known: {known})")
    parts = None
    if notify:  # first: an unset secret or a broken template stops it before replaying
        from monitor.daemon import load_parts

        parts = load_parts(config_of(click.get_current_context()), watchlists)
    # --notify needs the alerts in a log for the outbox to read: in memory unless --store
    log = open_log(store_url or MEMORY_STORE) if store_url or notify else None
    tally = Tally()
    try:
        run = Replay(
            list(paths),
            watchlists,
            store=log,
            processes=default_processes() if processes is None else processes,
            published=published,
        )
        dated = {r.id for r in watchlists.rules if needs_date(r)}
        with progress(run, cmd.err, dated):
            for decided in run:
                row = decided.row
                if (only_rules and row.rule not in only_rules) or (
                    only_outcomes and row.outcome not in only_outcomes
                ):
                    continue
                tally.add(row)
                if summary:
                    continue
                if fmt == "jsonl":
                    print_json(replay_record(row, decided.published))
                else:
                    print_outcomes(cmd.out, [row])
                    if decided.published is None and row.rule in dated:
                        cmd.out.print(Text(f"  {UNDATED}", style="yellow"))
        if notify and log is not None:
            from monitor.daemon import build_runtime
            from monitor.notify.channels import ConsoleChannel

            config = config_of(click.get_current_context())
            runtime = build_runtime(log, config, watchlists, parts=parts)
            if fmt == "jsonl":  # stdout carries the JSON lines and nothing else
                for channel in runtime.outbox.channels.values():
                    if isinstance(channel, ConsoleChannel):
                        channel.file = sys.stderr
            _, queued, delivered = runtime.run()  # the rules decided above: the queue, the sends
            cmd.err.print(f"notify: {queued} notification(s) queued, {delivered} delivered")
    finally:
        if log is not None:
            log.close()
    if summary and fmt == "jsonl":
        for record in tally.records(run):
            print_json(record)
    else:
        if summary:
            tally.print_table(cmd.out)
        if fmt == "text":
            cmd.out.print(tally.footer(run), style="bold")
    if run.skipped:
        sys.exit(1)


@click.command(cls=MonitorCommand)
@click.option(
    "--since",
    default="30d",
    show_default=True,
    callback=since_option,
    metavar="DURATION|TIME",
    help="Articles observed within this long before now (30d, 12h), or since a time.",
)
@watchlists_option
@store_option
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text")
@friendly
def backtest(since: Any, watchlists_dir: Path | None, store_url: str | None, fmt: str) -> None:
    """What the watchlists would have alerted on since then, against the alerts raised.

    Re-decides the articles stored in the log with these (changed) watchlists
    and prints, per rule, the new alerts, the lost ones and changed story keys.
    Opens the store read-only: nothing is appended.
    """
    from monitor.front.backtest import backtest as run_backtest
    from monitor.front.backtest import print_report
    from monitor.front.output import print_jsonl

    watchlists = watchlists_from(watchlists_dir)
    with open_monitor(store_url) as app:
        report = run_backtest(app, watchlists, since)
    if fmt == "jsonl":
        print_jsonl(change.record() for change in report.changes)
    else:
        print_report(cmd.out, report, watchlists)


@click.group(cls=MonitorGroup)
def rules() -> None:
    """Validate and try out watchlists."""


@rules.command("check")
@watchlists_option
@friendly
def rules_check(watchlists_dir: Path | None) -> None:
    """Validate every watchlist file and the gazetteer; list every problem.

    With the config in use, also what a start would refuse with these rules: a
    template set or a ``notify:`` channel the config lacks, a channel URL
    apprise refuses (an unset secret is a warning).
    """
    from monitor.daemon import check_parts
    from monitor.errors import MonitorError, SecretUnset, each_problem, report_order
    from monitor.rules.watchlist import check_watchlists, selects_no_one

    obj = click.get_current_context().ensure_object(dict)
    directory = watchlists_dir or default_watchlists()
    loaded, found = check_watchlists(directory)
    problems: list[MonitorError] = list(found)
    if watchlists_dir is None or obj.get("config_path") is not None:
        # the config in use: what a start with these rules would refuse besides
        known = {str(p) for p in found}
        try:
            config = config_of(click.get_current_context())
        except MonitorError as exc:  # the config's own mistakes, with the watchlists'
            more = each_problem(exc)
        else:
            more = check_parts(config, loaded, directory=directory)[1]
        problems = sorted([*problems, *(p for p in more if str(p) not in known)], key=report_order)
    errors = [p for p in problems if not isinstance(p, SecretUnset)]
    for problem in problems:
        error_line(str(problem), label="error:" if problem in errors else "warning:")
    if errors or loaded is None:
        sys.exit(1)
    for rule in loaded.rules:
        for selector in selects_no_one(rule, loaded.gazetteer):
            kind, _, country = selector[1:].partition(":")
            error_line(
                f"{rule.path}: {selector} selects nothing: the gazetteer lists no {kind}"
                + (f" of {country} (add one under {kind}s: in entities.yaml)" if country else ""),
                label="warning:",
            )
    for rule in loaded.rules:
        cmd.out.print(f"ok  {rule.id:<28} {rule.severity:<8} {rule.path}", highlight=False)
    cmd.out.print(
        f"{len(loaded.rules)} rules, {len(loaded.gazetteer.entities)} entities, "
        f"version {loaded.version[:12]}"
    )


@rules.command("test")
@click.argument("rule_id", metavar="RULE")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@watchlists_option
@published_flag
@friendly
def rules_test(
    rule_id: str, file: Path, watchlists_dir: Path | None, published: datetime | None
) -> None:
    """Show whether RULE matches FILE, clause by clause, with the evidence."""
    from monitor.front.explain import explain_file

    watchlists = watchlists_from(watchlists_dir)
    try:
        rule = watchlists.rule(rule_id)
    except KeyError:
        known = ", ".join(r.id for r in watchlists.rules)
        raise click.UsageError(f"no rule {rule_id!r} (known: {known})") from None
    matched = explain_file(cmd.out, watchlists, rule, file, published)
    sys.exit(0 if matched else 1)


def utc_day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``--from``/``--to``: a day as ``YYYY-MM-DD`` (compared with items' UTC days)."""
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a day as YYYY-MM-DD") from None


@rules.command("eval")
@click.argument("labels_dir", metavar="LABELS", type=click.Path(file_okay=False, path_type=Path))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@watchlists_option
@click.option(
    "--outcomes",
    "saved",
    type=click.File("r", encoding="utf-8"),
    help="Score a saved `monitor replay --format jsonl` (- for stdin) instead of replaying PATH….",
)
@click.option("--rule", "only", multiple=True, metavar="RULE", help="Only this rule (repeatable).")
@click.option("--from", "first", metavar="DAY", callback=utc_day, help="Items from this UTC day.")
@click.option("--to", "last", metavar="DAY", callback=utc_day, help="Items up to this UTC day.")
@click.option("--show", is_flag=True, help="List each false alert, miss and duplicate.")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text")
@click.option("--min-precision", type=click.FloatRange(0, 1), help="Bar for link-labelled rules.")
@click.option("--min-recall", type=click.FloatRange(0, 1), help="Bar for link-labelled rules.")
@click.option("--max-false", type=click.IntRange(0), help="Bar for story-labelled rules.")
@click.option("--max-missed", type=click.IntRange(0), help="Bar for story-labelled rules.")
@click.option("--max-duplicates", type=click.IntRange(0), help="Bar for story-labelled rules.")
@friendly
def rules_eval(
    labels_dir: Path,
    paths: tuple[Path, ...],
    watchlists_dir: Path | None,
    saved: Any,
    only: tuple[str, ...],
    first: str | None,
    last: str | None,
    show: bool,
    fmt: str,
    min_precision: float | None,
    min_recall: float | None,
    max_false: int | None,
    max_missed: int | None,
    max_duplicates: int | None,
) -> None:
    """Replay PATH… and score every rule against the hand labels in LABELS.

    Exit 1 when a rule is below a bar given, or a path was skipped.
    """
    from monitor.front import evaluate as ev
    from monitor.front.output import print_jsonl
    from monitor.wiring import open_log

    if bool(paths) == (saved is not None):
        raise click.UsageError("give PATH… to replay, or --outcomes FILE, not both")
    labels = ev.load_labels(labels_dir)
    unknown = [r for r in only if r not in labels.rules]
    if unknown:
        raise click.UsageError(f"no labels for {', '.join(unknown)} in {labels_dir}")
    skipped: list[str] = []
    items: list[ev.Item] | None = None
    if saved is not None:
        outcomes = ev.from_jsonl(saved)
    else:
        from monitor.replay import replay as run_replay

        watchlists = watchlists_from(watchlists_dir)
        defined = {rule.id for rule in watchlists.rules}
        missing = [r for r in only or labels.rules if r not in defined]
        if missing:
            raise ev.LabelsError(
                f"labels for {', '.join(missing)}, which the watchlists in "
                f"{watchlists.directory} do not define (or disable); pass --rule to skip them",
                path=labels_dir,
            )
        with open_log(MEMORY_STORE) as log:  # as `monitor replay` does
            result = run_replay(list(paths), watchlists, log)
        outcomes, items = ev.from_replay(result)
        skipped = result.skipped
    report = ev.evaluate(
        labels, outcomes, period=ev.Period(first, last), items=items, rules=only or None
    )
    bars = ev.Bars(min_precision, min_recall, max_false, max_missed, max_duplicates)
    for message in skipped:
        cmd.err.print(f"skipped: {message}", markup=False)
    for warning in report.warnings:
        cmd.err.print(f"warning: {warning}", markup=False)
    failed = False
    for score in report.scores:
        below = ev.shortfalls(score, bars)
        failed = failed or bool(below)
        if fmt == "jsonl":
            print_jsonl([ev.score_record(score, below)])
        else:
            for line in ev.report_lines(score, show=show, failed=below):
                cmd.out.print(line, markup=False, highlight=False, soft_wrap=True)
    sys.exit(1 if failed or skipped else 0)
