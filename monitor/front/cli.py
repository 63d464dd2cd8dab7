"""The ``monitor`` command line: the contract in DESIGN.md ("CLI contract").

Every command turns our own errors (:class:`MonitorError`) into one line on
stderr and a non-zero exit, never a traceback: the message names the file,
line, source or URL at fault. A command line click cannot parse is one
``error:`` line too, with exit status 2 (:class:`MonitorGroup`), so a script
can tell "you typed it wrong" from the 1 of a failed check.

Output is text: nothing printed is read as rich markup or emoji codes (a
query ``[drill] AND @china`` in an error stays as written), and when stdout or
stderr is not a terminal nothing is wrapped (:func:`text_console`): a pipe or
a file gets each title on one line, whatever ``COLUMNS`` says.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console
from rich.text import Text

from monitor import __version__
from monitor.errors import ConfigErrors, MonitorError, StoreError
from monitor.logs import setup_logging

if TYPE_CHECKING:
    from monitor.app import Monitor
    from monitor.config import Config
    from monitor.rules.watchlist import Watchlists
    from monitor.store.events import Head

F = TypeVar("F", bound=Callable[..., Any])
MEMORY_STORE = "sqlite://"

#: the width a console not on a terminal renders to: no line of ours comes near it
NO_WRAP = 1_000_000


def text_console(*, stderr: bool = False) -> Console:
    """A console for stdout (stderr) that prints text as text, wrapped only on a terminal.

    ``markup``/``emoji`` off: titles, queries and error messages are data,
    and ``[drill]`` or ``:flag:`` in them must print as written (styles come
    from :class:`rich.text.Text` spans instead). Not on a terminal, rich would
    hard-wrap at ``COLUMNS`` or 80; there it gets a width nothing reaches
    and soft wrapping, so piped lines stay whole and tables keep their rows.
    """
    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty()
    return Console(
        stderr=stderr,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=not terminal,
        width=None if terminal else NO_WRAP,
    )


# Made again for each invocation (in ``main``): whether a stream is a terminal
# is a property of that run (and of CliRunner's captured streams in tests).
out = text_console()
err = text_console(stderr=True)


def error_line(message: str, *, label: str = "error:") -> None:
    """``error: MESSAGE`` on stderr, the label styled and the message printed as written."""
    err.print(Text.assemble((label, "bold red"), " ", message))


def config_of(ctx: click.Context) -> Config:
    """The configuration named by ``--config`` (or found by the usual lookup), loaded once."""
    from monitor.analysis import use_pipeline
    from monitor.config import load_config

    obj = ctx.ensure_object(dict)
    if "config" not in obj:
        obj["config"] = load_config(obj.get("config_path"))
        use_pipeline(obj["config"].analysis.pipeline)  # the process's parser (loaded on use)
    config: Config = obj["config"]
    return config


def default_store() -> str:
    """The configured store: ``$STATE_DIRECTORY/monitor.db`` under systemd, else ``./var``."""
    return config_of(click.get_current_context()).store_url


def published_option(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> datetime | None:
    """``--published WHEN``: a date with a year, in UTC unless it says its zone."""
    if value is None:
        return None
    from monitor.sources.fixtures import parse_published

    when = parse_published(value)
    if when is None:
        raise click.BadParameter(f"{value!r} is not a date with a day, a month and a year")
    return when


#: ``--published WHEN`` of ``replay`` and ``rules test``: dates text files that state no time.
published_flag = click.option(
    "--published",
    metavar="WHEN",
    callback=published_option,
    help="Publication time of text files that state none (no Published: line, dateline date "
    "or NAME.json sidecar), e.g. 2023-03-16 or '2023-03-16 09:00 +09:00'.",
)


def watchlists_from(directory: Path | None) -> Watchlists:
    """The watchlists of ``directory`` or the configured ones, parsed with the configured pipeline.

    The configuration is read either way: its ``[analysis]`` table chooses the
    process's spaCy pipeline, which ``LINK`` parses with whatever directory
    the rules come from.
    """
    from monitor.rules.watchlist import load_watchlists

    config = config_of(click.get_current_context())
    return load_watchlists(directory or config.watchlists_dir)


def default_watchlists() -> Path:
    """The configured watchlists, else the ones the package ships."""
    return config_of(click.get_current_context()).watchlists_dir


def friendly(fn: F) -> F:
    """Report a :class:`MonitorError` as one line (one per config mistake) and exit 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ConfigErrors as exc:
            for each in exc.errors:
                error_line(str(each))
            sys.exit(1)
        except MonitorError as exc:
            error_line(str(exc))
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


CONFIG_HELP = (
    "Config file (default: $MONITOR_CONFIG, ./monitor.toml, "
    "$CONFIGURATION_DIRECTORY/monitor.toml); before or after the command."
)


def remember_config(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    """``--config FILE`` after the command: the same as before it, one value for the run."""
    if value is None:
        return
    obj = ctx.ensure_object(dict)  # the root's dict: contexts share their parent's obj
    before = obj.get("config_path")
    if before is not None and before != value:
        raise click.BadParameter(f"given twice, as {before} and as {value}")
    obj["config_path"] = value


class MonitorCommand(click.Command):
    """A command that also takes ``--config FILE`` after its name.

    Operators write ``monitor status --config F`` as often as ``monitor
    --config F status``; both name the one config of the run.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(
            click.Option(
                ["--config", "config_path"],
                type=click.Path(dir_okay=False, path_type=Path),
                metavar="FILE",
                expose_value=False,
                callback=remember_config,
                help=CONFIG_HELP,
            )
        )


class CommandLineError(click.ClickException):
    """A command line click could not accept, as the one ``error:`` line docs/cli.md promises.

    Exit status 2 (a wrong option, value or argument), so a script can tell
    it from the 1 of a failed check (``verify``, ``rules test``).
    """

    exit_code = 2

    @classmethod
    def of(cls, cause: click.ClickException) -> click.ClickException:
        """``cause`` as one line: this class for usage errors, :class:`ClickFailure` otherwise."""
        return cls(cause) if isinstance(cause, click.UsageError) else ClickFailure(cause)

    def __init__(self, cause: click.ClickException):
        super().__init__(cause.format_message())
        ctx = cause.ctx if isinstance(cause, click.UsageError) else None
        self.hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""

    def show(self, file: IO[Any] | None = None) -> None:
        error_line(self.format_message() + self.hint)


class ClickFailure(CommandLineError):
    """Another error click reports (a file it could not open): a failure, exit status 1."""

    exit_code = 1


class MonitorGroup(click.Group):
    """The ``monitor`` group: its commands take ``--config``; click's errors are one line."""

    command_class = MonitorCommand
    group_class = type  # ``rules`` and ``config`` are MonitorGroups too

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except (click.exceptions.NoArgsIsHelpError, CommandLineError):
            raise  # bare ``monitor``/``monitor rules``: the help is the answer
        except click.ClickException as exc:
            raise CommandLineError.of(exc) from exc

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.NoArgsIsHelpError, CommandLineError):
            raise
        except click.ClickException as exc:  # a subcommand's options, or a command's own check
            raise CommandLineError.of(exc) from exc


@click.group(cls=MonitorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "-V", "--version", prog_name="monitor", message="%(prog)s %(version)s"
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    default=None,
    help=CONFIG_HELP,
)
@click.option("--log-format", type=click.Choice(["plain", "json"]), default=None)
@click.option("-v", "--verbose", is_flag=True, help="Log at DEBUG level (secrets stay masked).")
@click.pass_context
def main(
    ctx: click.Context, config_path: Path | None, log_format: str | None, verbose: bool
) -> None:
    """news-monitor: watch news feeds, keep an auditable log, alert on watchlists."""
    global out, err
    out, err = text_console(), text_console(stderr=True)
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
        with progress(run, err, dated):
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
                    if decided.published is None and row.rule in dated:
                        out.print(Text(f"  {UNDATED}", style="yellow"))
        if notify and log is not None:
            from monitor.daemon import build_runtime
            from monitor.notify.channels import ConsoleChannel

            config = config_of(click.get_current_context())
            runtime = build_runtime(log, config, watchlists, parts=parts)
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
    from monitor.front.backtest import backtest as run_backtest
    from monitor.front.backtest import print_report
    from monitor.front.output import print_jsonl

    watchlists = watchlists_from(watchlists_dir)
    with open_monitor(store_url) as app:
        report = run_backtest(app, watchlists, since)
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
    from monitor.rules.watchlist import check_watchlists

    directory = watchlists_dir or default_watchlists()
    loaded, errors = check_watchlists(directory)
    for problem in errors:
        error_line(str(problem))
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
    matched = explain_file(out, watchlists, rule, file, published)
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
@click.option(
    "--type", "types", multiple=True, metavar="TYPE", help="Only events of this type (repeatable)."
)
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
    from monitor.app import UnknownEventType
    from monitor.front.output import event_record, print_event

    with open_monitor(store_url) as app:
        last = after
        while True:
            try:
                found = app.events(last, types=types, stream=stream, limit=limit)
            except UnknownEventType as exc:
                raise click.BadParameter(str(exc), param_hint="'--type'") from exc
            for ev in found:
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
            "the store of the embedded default configuration: no --config, $MONITOR_CONFIG, "
            "./monitor.toml or $CONFIGURATION_DIRECTORY/monitor.toml was found"
        )
    return StoreError(f"{exc}; that is {where} (pass --store URL or --config FILE)")


def open_monitor(
    store_url: str | None,
    *,
    configured: str | None = None,
    create: bool = False,
    read_models: bool = True,
) -> Monitor:
    """The application on ``--store``, else ``configured`` (the config's store), else the
    default; an existing store unless ``create``. An error names the config that chose it."""
    from monitor.app import Monitor

    try:
        return Monitor.open(
            store_url or configured or default_store(), create=create, read_models=read_models
        )
    except StoreError as exc:
        raise configured_store_hint(exc, store_url) from exc


def parse_head(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Head | None:
    """``--expect-head SEQ[:HASH]``, as ``monitor verify`` prints the head."""
    from monitor.store.events import Head

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
    with open_monitor(store_url, read_models=False) as app:
        result, guards = app.verify(expect_head)
    for name in guards:
        err.print(
            f"warning: the append-only trigger {name} is missing: someone with owner access "
            "removed it (the next creating open restores it)",
            markup=False,
        )
    if not result.ok:
        error_line(f"at event {result.first_bad}: {result.reason or ''}", label="FAILED")
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
    with open_monitor(store_url, create=True) as app:
        applied = app.rebuild()
    out.print(f"rebuilt read models from {applied} events")


def optional_since(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """``--since`` without a default: no limit when not given."""
    return None if value is None else since_option(ctx, param, value)


@main.command()
@store_option
@click.option("--all", "show_all", is_flag=True, help="Include suppressed outcomes.")
@click.option(
    "--rule", "only_rules", multiple=True, metavar="RULE", help="Only this rule (repeatable)."
)
@click.option(
    "--since",
    callback=optional_since,
    metavar="DURATION|TIME",
    help="Only alerts decided within this long before now (12h, 7d), or since a time.",
)
@click.option("--limit", default=50, type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text")
@friendly
def alerts(
    store_url: str | None,
    show_all: bool,
    only_rules: tuple[str, ...],
    since: Any,
    limit: int,
    fmt: str,
) -> None:
    """Recent alerts (newest first): number, time, source, link and delivery state.

    Dead letters stand out; the number is what ``monitor retry`` takes.
    """
    from monitor.front.output import alert_record, print_jsonl, print_outcomes

    with open_monitor(store_url) as app:
        found = app.alerts(show_all=show_all, limit=limit, rules=only_rules, since=since)
    rows, deliveries = found.rows, found.deliveries
    if fmt == "jsonl":
        print_jsonl(alert_record(r, deliveries.get(r.seq, [])) for r in rows)
    else:
        print_outcomes(out, rows, deliveries, numbered=True)


def _lingering_threads() -> list[threading.Thread]:
    """Threads the interpreter would wait for at exit (not daemon threads)."""
    main_thread = threading.main_thread()
    return [
        t for t in threading.enumerate() if t is not main_thread and not t.daemon and t.is_alive()
    ]


@main.command()
@click.pass_context
@friendly
def run(ctx: click.Context) -> None:
    """Run the daemon: poll the sources, evaluate, notify (stop with Ctrl-C or SIGTERM)."""
    from monitor.app import discard_new_store_on_failure
    from monitor.daemon import Daemon, WebPage

    def serve_web(daemon: Daemon) -> WebPage:
        # uvicorn and the page load only when [web] is on
        from monitor.front.web.server import serve

        return serve(daemon)

    config = config_of(ctx)
    if ctx.obj.get("log_format") is None and "MONITOR_LOG_FORMAT" not in os.environ:
        setup_logging(config.daemon.log_format, ctx.obj.get("verbose", False))
    with discard_new_store_on_failure(config.store_url):
        daemon = Daemon(ctx.obj.get("config_path"), config, web=serve_web)
        code = daemon.run()
    if daemon.abandoned or _lingering_threads():
        # A thread still inside a hung send or fetch — ours, or a library's pool —
        # would keep the interpreter waiting at exit; everything it could record is
        # already refused (DaemonStopped was the final append).
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


@main.command()
@click.pass_context
@friendly
def poll(ctx: click.Context) -> None:
    """Poll every source once, then run the rule engine and the outbox to completion."""
    from monitor.app import discard_new_store_on_failure
    from monitor.daemon import poll_once

    config = config_of(ctx)
    with discard_new_store_on_failure(config.store_url):
        observed, outcomes, queued, delivered = poll_once(config)
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
    from monitor.front.status import print_status, status_report

    config = config_of(ctx)
    with open_monitor(store_url, configured=config.store_url) as app:
        report = status_report(app, config)
    if fmt == "json":
        print(json.dumps(report, indent=2, default=str))
    else:
        print_status(out, report)


@main.command("init")
@click.argument(
    "directory", default=".", required=False, type=click.Path(file_okay=False, path_type=Path)
)
@friendly
def init_cmd(directory: Path) -> None:
    """Write an editable monitor.toml, the watchlists and the templates into DIRECTORY.

    DIRECTORY (default: here) is created if needed; nothing that exists is
    overwritten. The copies are the ones the package ships and runs on.
    """
    from monitor.defaults import init_instance

    for path in init_instance(directory):
        out.print(f"wrote {path}{'/' if path.is_dir() else ''}")
    config = directory / "monitor.toml"
    here = directory.resolve() == Path.cwd().resolve()
    flag = "" if here else f" --config {config}"
    out.print(
        f"next: add sources and channels to {config}, then `monitor{flag} config show`, "
        f"`monitor{flag} rules check` and `monitor{flag} run`"
    )


@main.group("config")
def config_group() -> None:
    """Inspect the configuration."""


@config_group.command("show")
@click.pass_context
@friendly
def config_show(ctx: click.Context) -> None:
    """Print the effective configuration; secrets stay as ${NAME}, durations as written.

    Also the check of a config file: every mistake is listed, exit 1.
    """
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
    from monitor.daemon import build_runtime, load_parts

    config = config_of(ctx)
    parts = load_parts(config)  # first: a config that cannot deliver creates no store
    with open_monitor(store_url, configured=config.store_url, create=True) as app:
        runtime = build_runtime(app.log, config, parts=parts)
        count = runtime.outbox.retry(target)
    out.print(f"{count} notification(s) re-queued" + ("" if count else " (none were dead)"))
    if not count:
        sys.exit(1)


def positive_duration(_ctx: click.Context, _param: click.Parameter, value: str) -> timedelta:
    """``--for 2h``: a duration longer than zero."""
    from monitor.durations import parse_duration

    try:
        duration = parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    if duration <= timedelta(0):
        raise click.BadParameter("must be longer than 0")
    return duration


def known_rule(ctx: click.Context, rule: str) -> None:
    """Refuse a rule the configured watchlists do not define: a typo must not mute nothing."""
    from monitor.rules.watchlist import load_watchlists

    config = config_of(ctx)
    ids = [r.id for r in load_watchlists(config.watchlists_dir).rules]
    if rule not in ids:
        raise MonitorError(
            f"no enabled rule {rule!r} in {config.watchlists_dir} (rules: {', '.join(ids)})"
        )


def operator() -> str:
    """Who recorded a mute: ``user@host``, as Alertmanager's ``createdBy``."""
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container's random uid)
        user = f"uid {os.getuid()}"
    return f"{user}@{socket.gethostname()}"


@main.command("mute")
@click.argument("rule")
@click.option(
    "--for",
    "duration",
    required=True,
    metavar="DURATION",
    callback=positive_duration,
    help="How long, e.g. 2h or 1d.",
)
@click.option("--reason", default="", help="Why, shown with the mute and its muted alerts.")
@store_option
@click.pass_context
@friendly
def mute_cmd(
    ctx: click.Context, rule: str, duration: timedelta, reason: str, store_url: str | None
) -> None:
    """Mute RULE's notifications for a while: its alerts are still raised and recorded, not sent.

    The mute is an event in the store the daemon uses (which must exist); a
    running daemon applies it to every alert recorded after it until it
    ends. Alerts raised while muted are not sent later (``monitor unmute``
    ends the mute early).
    """
    known_rule(ctx, rule)
    # the daemon's store, which must exist: a mistyped --store mutes nothing
    with open_monitor(store_url) as app:
        mute = app.mute(rule, duration, reason, operator())
    until = mute.ends.strftime("%Y-%m-%d %H:%M:%S UTC")
    out.print(f"muted {rule} until {until}" + (f": {reason}" if reason else ""))


@main.command("unmute")
@click.argument("rule")
@click.option("--reason", default="", help="Why the mute ends early.")
@store_option
@click.pass_context
@friendly
def unmute_cmd(ctx: click.Context, rule: str, reason: str, store_url: str | None) -> None:
    """End RULE's mutes now: alerts raised from now on are sent again."""
    with open_monitor(store_url) as app:
        ended = app.unmute(rule, reason, operator())
    out.print(f"unmuted {rule}" + (f" ({ended} mutes ended)" if ended > 1 else ""))


@main.command("mutes")
@click.option("--all", "show_all", is_flag=True, help="Include mutes that have ended.")
@store_option
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text")
@friendly
def mutes_cmd(show_all: bool, store_url: str | None, fmt: str) -> None:
    """The mutes in force (with --all, every mute recorded), newest first."""
    from monitor.front.output import mute_record, print_jsonl, print_mutes

    with open_monitor(store_url) as app:
        now = app.now()
        rows = app.mutes(past=show_all)
    if fmt == "jsonl":
        print_jsonl(mute_record(r, now) for r in rows)
    else:
        print_mutes(out, rows, now)
