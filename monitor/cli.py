"""The ``monitor`` command line: the contract in DESIGN.md ("CLI contract").

Every command turns our own errors (:class:`MonitorError`) into one line on
stderr and a non-zero exit, never a traceback: the message names the file,
line, source or URL at fault.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from monitor import __version__
from monitor.config import Config, load_config
from monitor.errors import MonitorError, StoreError
from monitor.logs import setup_logging
from monitor.output import (
    delivery_record,
    event_record,
    outcome_record,
    print_event,
    print_jsonl,
    print_outcomes,
    replay_record,
)
from monitor.rules.watchlist import check_watchlists, load_watchlists
from monitor.store.events import Head
from monitor.store.log import EventLog
from monitor.store.projections import list_outcomes, open_log

F = TypeVar("F", bound=Callable[..., Any])
MEMORY_STORE = "sqlite://"

out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def config_of(ctx: click.Context) -> Config:
    """The configuration named by ``--config`` (or found by the usual lookup), loaded once."""
    obj = ctx.ensure_object(dict)
    if "config" not in obj:
        obj["config"] = load_config(obj.get("config_path"))
    config: Config = obj["config"]
    return config


def default_store() -> str:
    """The configured store: ``$STATE_DIRECTORY/monitor.db`` under systemd, else ``./var``."""
    return config_of(click.get_current_context()).store_url


def default_watchlists() -> Path:
    config = config_of(click.get_current_context())
    return config.resolve(config.watchlists)


def friendly(fn: F) -> F:
    """Report a :class:`MonitorError` as one line and exit 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except MonitorError as exc:
            err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


store_option = click.option(
    "--store", "store_url", metavar="URL", help="Event log URL, e.g. sqlite:///var/monitor.db."
)
watchlists_option = click.option(
    "--watchlists",
    "watchlists_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Watchlist directory (default: the config's `watchlists`, ./watchlists).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="monitor")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Config file (default: ./monitor.toml, then $CONFIGURATION_DIRECTORY/monitor.toml).",
)
@click.option("--log-format", type=click.Choice(["plain", "json"]), default=None)
@click.option("-v", "--verbose", is_flag=True, help="Log at DEBUG level (secrets stay masked).")
@click.pass_context
def main(
    ctx: click.Context, config_path: Path | None, log_format: str | None, verbose: bool
) -> None:
    """news-monitor: watch news feeds, keep an auditable log, alert on watchlists."""
    ctx.ensure_object(dict).update(config_path=config_path, log_format=log_format, verbose=verbose)
    setup_logging(log_format, verbose)


@main.command()
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
) -> None:
    """Replay directories, text files and feed files through the watchlists.

    Outcomes are printed as they are decided. Without --store nothing is
    stored and memory stays bounded however long the input.
    """
    from monitor.ingest import default_processes
    from monitor.replay import Replay
    from monitor.replay_output import Tally, print_json, progress

    watchlists = load_watchlists(watchlists_dir or default_watchlists())
    unknown = [r for r in only_rules if r not in {rule.id for rule in watchlists.rules}]
    if unknown:
        known = ", ".join(r.id for r in watchlists.rules)
        raise click.UsageError(f"no rule {unknown[0]!r} (known: {known})")
    # --notify needs the alerts in a log for the outbox to read: in memory unless --store
    log = open_log(store_url or MEMORY_STORE) if store_url or notify else None
    tally = Tally()
    try:
        run = Replay(
            list(paths),
            watchlists,
            store=log,
            processes=default_processes() if processes is None else processes,
        )
        with progress(run, err):
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
                    print_outcomes(out, [row])
        if notify and log is not None:
            from monitor.daemon import build_runtime
            from monitor.notify.channels import ConsoleChannel

            runtime = build_runtime(log, config_of(click.get_current_context()), watchlists)
            if fmt == "jsonl":  # stdout carries the JSON lines and nothing else
                for channel in runtime.outbox.channels.values():
                    if isinstance(channel, ConsoleChannel):
                        channel.file = sys.stderr
            queued, delivered = runtime.outbox.run()
            err.print(f"notify: {queued} notification(s) queued, {delivered} delivered")
    finally:
        if log is not None:
            log.close()
    if summary and fmt == "jsonl":
        for record in tally.records(run):
            print_json(record)
    else:
        if summary:
            tally.print_table(out)
        if fmt == "text":
            out.print(tally.footer(run), style="bold")
    if run.skipped:
        sys.exit(1)


def since_option(_ctx: click.Context, _param: click.Parameter, value: str) -> Any:
    """``--since``: a duration back from now (``30d``), or a time (ISO 8601, UTC if no zone)."""
    from datetime import UTC, datetime

    from monitor.durations import parse_duration

    try:
        return datetime.now(UTC) - parse_duration(value)
    except ValueError as exc:
        problem = str(exc)
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{problem}, or give a time such as 2025-06-01") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


@main.command()
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
    from monitor.backtest import backtest as run_backtest
    from monitor.backtest import print_report

    watchlists = load_watchlists(watchlists_dir or default_watchlists())
    try:
        log = open_log(store_url or default_store(), create=False)
    except StoreError as exc:
        raise configured_store_hint(exc, store_url) from exc
    with log:
        report = run_backtest(log, watchlists, since)
    if fmt == "jsonl":
        print_jsonl(change.record() for change in report.changes)
    else:
        print_report(out, report, watchlists)


@main.group()
def rules() -> None:
    """Validate and try out watchlists."""


@rules.command("check")
@watchlists_option
@friendly
def rules_check(watchlists_dir: Path | None) -> None:
    """Validate every watchlist file and the gazetteer; list every problem."""
    directory = watchlists_dir or default_watchlists()
    loaded, errors = check_watchlists(directory)
    for problem in errors:
        err.print(f"[bold red]error:[/] {problem}", markup=True, highlight=False)
    if errors or loaded is None:
        sys.exit(1)
    for rule in loaded.rules:
        out.print(f"ok  {rule.id:<28} {rule.severity:<8} {rule.path}", highlight=False)
    out.print(
        f"{len(loaded.rules)} rules, {len(loaded.gazetteer.entities)} entities, "
        f"version {loaded.version[:12]}"
    )


@rules.command("test")
@click.argument("rule_id", metavar="RULE")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@watchlists_option
@friendly
def rules_test(rule_id: str, file: Path, watchlists_dir: Path | None) -> None:
    """Show whether RULE matches FILE, clause by clause, with the evidence."""
    from monitor.explain import explain_file

    watchlists = load_watchlists(watchlists_dir or default_watchlists())
    try:
        rule = watchlists.rule(rule_id)
    except KeyError:
        known = ", ".join(r.id for r in watchlists.rules)
        raise click.UsageError(f"no rule {rule_id!r} (known: {known})") from None
    matched = explain_file(out, watchlists, rule, file)
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
    from monitor import evaluate as ev

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

        watchlists = load_watchlists(watchlists_dir or default_watchlists())
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
        err.print(f"skipped: {message}", markup=False)
    for warning in report.warnings:
        err.print(f"warning: {warning}", markup=False)
    failed = False
    for score in report.scores:
        below = ev.shortfalls(score, bars)
        failed = failed or bool(below)
        if fmt == "jsonl":
            print_jsonl([ev.score_record(score, below)])
        else:
            for line in ev.report_lines(score, show=show, failed=below):
                out.print(line, markup=False, highlight=False, soft_wrap=True)
    sys.exit(1 if failed or skipped else 0)


@main.command()
@store_option
@click.option("--type", "types", multiple=True, help="Only events of this type (repeatable).")
@click.option("--stream", default=None, help="Only events of this stream.")
@click.option("--after", default=0, type=int, help="Only events after this sequence number.")
@click.option("--limit", default=None, type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text")
@click.option("--follow", "-f", is_flag=True, help="Keep printing new events as they arrive.")
@friendly
def events(
    store_url: str | None,
    types: tuple[str, ...],
    stream: str | None,
    after: int,
    limit: int | None,
    fmt: str,
    follow: bool,
) -> None:
    """List events from the log."""
    with open_log(store_url or default_store(), create=False) as log:
        last = after
        while True:
            for ev in log.read(last, types=types or None, stream=stream, limit=limit):
                if fmt == "jsonl":
                    print(json.dumps(event_record(ev), ensure_ascii=False), flush=follow)
                else:
                    print_event(out, ev)
                last = ev.seq
            if not follow:
                return
            try:
                time.sleep(1.0)
            except KeyboardInterrupt:  # Ctrl-C ends --follow; that is not an error
                return


def configured_store_hint(exc: StoreError, store_url: str | None) -> StoreError:
    """``exc`` with the configuration that named the store, when ``--store`` was not given.

    Run outside its config directory, a command falls back to the embedded
    defaults and their ``./var/monitor.db``; saying so turns "no event log
    at var/monitor.db" into something an operator can act on.
    """
    if store_url is not None:
        return exc
    config = config_of(click.get_current_context())
    if config.path is not None:
        where = f"the store configured in {config.path}"
    else:
        where = (
            "the store of the embedded default configuration: no --config, ./monitor.toml "
            "or $CONFIGURATION_DIRECTORY/monitor.toml was found"
        )
    return StoreError(f"{exc}; that is {where} (pass --store URL or --config FILE)")


def parse_head(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Head | None:
    """``--expect-head SEQ[:HASH]``, as ``monitor verify`` prints the head."""
    if value is None:
        return None
    try:
        return Head.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@main.command()
@store_option
@click.option(
    "--expect-head",
    metavar="SEQ[:HASH]",
    callback=parse_head,
    help="A head an earlier verify printed (kept off the host): fail if the log now ends "
    "before it or has another hash there.",
)
@friendly
def verify(store_url: str | None, expect_head: Head | None) -> None:
    """Check the hash chain and that nothing was cut from its end; exit 1 if not.

    Never creates a store: a missing file or table is an error.
    """
    try:
        log = EventLog(store_url or default_store(), create=False)
    except StoreError as exc:
        raise configured_store_hint(exc, store_url) from exc
    with log:
        result = log.verify(expect_head)
        guards = log.missing_guards()
    for name in guards:
        err.print(
            f"warning: the append-only trigger {name} is missing: someone with owner access "
            "removed it (the next creating open restores it)",
            markup=False,
        )
    if not result.ok:
        err.print(
            f"[bold red]FAILED[/] at event {result.first_bad}: {escape(result.reason or '')}",
            markup=True,
            highlight=False,
        )
        sys.exit(1)
    head = f"{result.checked}:{result.head_hash}" if result.head_hash else "0 (empty log)"
    out.print(
        f"ok: {result.checked} events, hash chain intact, head {head}", markup=False, soft_wrap=True
    )
    if result.anchors:
        out.print("end checked against " + "; ".join(result.anchors), markup=False, soft_wrap=True)
    else:
        out.print(
            "end not checked: no head file, --expect-head or consumer checkpoint; keep the head "
            "above elsewhere and pass it as --expect-head next time",
            markup=False,
            soft_wrap=True,
        )


@main.command()
@store_option
@friendly
def rebuild(store_url: str | None) -> None:
    """Drop the read models and rebuild them from the log alone."""
    with open_log(store_url or default_store()) as log:
        applied = log.rebuild()
    out.print(f"rebuilt read models from {applied} events")


@main.command()
@store_option
@click.option("--all", "show_all", is_flag=True, help="Include suppressed outcomes.")
@click.option("--limit", default=50, type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text")
@friendly
def alerts(store_url: str | None, show_all: bool, limit: int, fmt: str) -> None:
    """Recent alerts (newest first) with their delivery state; dead letters stand out."""
    from monitor.notify.projection import for_alerts

    with open_log(store_url or default_store(), create=False) as log, log.engine.connect() as conn:
        rows = list_outcomes(conn, outcome=None if show_all else "raised", limit=limit)
        deliveries = for_alerts(conn, [r.seq for r in rows if r.outcome == "raised"])
    if fmt == "jsonl":
        print_jsonl(
            {
                **outcome_record(r),
                "deliveries": [delivery_record(d) for d in deliveries.get(r.seq, [])],
            }
            for r in rows
        )
    else:
        print_outcomes(out, rows, deliveries)


@main.command()
@click.pass_context
@friendly
def run(ctx: click.Context) -> None:
    """Run the daemon: poll the sources, evaluate, notify (stop with Ctrl-C or SIGTERM)."""
    from monitor.daemon import Daemon

    config = config_of(ctx)
    if ctx.obj.get("log_format") is None and "MONITOR_LOG_FORMAT" not in os.environ:
        setup_logging(config.daemon.log_format, ctx.obj.get("verbose", False))
    daemon = Daemon(ctx.obj.get("config_path"), config)
    code = daemon.run()
    if daemon.abandoned:
        # A thread still inside a hung send or fetch would keep the interpreter
        # waiting at exit; everything it could record is already refused.
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


@main.command()
@click.pass_context
@friendly
def poll(ctx: click.Context) -> None:
    """Poll every source once, then run the rule engine and the notifier to completion."""
    from monitor.daemon import poll_once

    observed, outcomes, queued, delivered = poll_once(config_of(ctx))
    out.print(
        f"{observed} new event(s) from sources, {outcomes} rule outcome(s), "
        f"{queued} notification(s) queued, {delivered} delivered"
    )


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
@friendly
def status(ctx: click.Context, store_url: str | None, fmt: str) -> None:
    """Sources (last poll, error, back-off), consumer lag and the outbox.

    Never creates a store: without one there is nothing to report, and an
    empty database would show the configured sources as never polled.
    """
    from monitor.status import collect_status, print_status

    config = config_of(ctx)
    try:
        log = open_log(store_url or config.store_url, create=False)
    except StoreError as exc:
        raise configured_store_hint(exc, store_url) from exc
    with log:
        report = collect_status(log, config)
    if fmt == "json":
        print(json.dumps(report, indent=2, default=str))
    else:
        print_status(out, report)


@main.group("config")
def config_group() -> None:
    """Inspect the configuration."""


@config_group.command("show")
@click.pass_context
@friendly
def config_show(ctx: click.Context) -> None:
    """Print the effective configuration; secrets stay as ${NAME}."""
    config = config_of(ctx)
    print(
        json.dumps({"file": str(config.path) if config.path else None, **config.show()}, indent=2)
    )


@main.command("retry")
@click.argument("target")
@store_option
@click.pass_context
@friendly
def retry_cmd(ctx: click.Context, target: str, store_url: str | None) -> None:
    """Re-queue dead-lettered notifications: TARGET is an alert seq or a notification key."""
    from monitor.daemon import build_runtime

    config = config_of(ctx)
    with open_log(store_url or config.store_url) as log:
        runtime = build_runtime(log, config)
        count = runtime.outbox.retry(target)
    out.print(f"{count} notification(s) re-queued" + ("" if count else " (none were dead)"))
    if not count:
        sys.exit(1)
