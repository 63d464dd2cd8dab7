"""The frame of the ``monitor`` command line: the group, its options, consoles and errors.

The commands are in :mod:`monitor.front.cli` (the operator's) and
:mod:`monitor.front.cli_rules` (replay, backtest, rules); they share this.

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
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console
from rich.text import Text

from monitor import __version__
from monitor.clock import utc_now
from monitor.errors import MonitorError, StoreError, each_problem
from monitor.logs import setup_logging

if TYPE_CHECKING:
    from monitor.app import Monitor
    from monitor.config import Config
    from monitor.rules.watchlist import Watchlists

F = TypeVar("F", bound=Callable[..., Any])
MEMORY_STORE = "sqlite://"

#: the width a console not on a terminal renders to: no line of ours comes near it
NO_WRAP = 1_000_000


def reader_gone() -> None:
    """The reader of stdout stopped reading (``monitor alerts | head``): what it read is what
    it wanted, so this is no failure. The rest goes nowhere, nothing is said, and the exit
    status is 0 (click and rich would exit 1 and break ``set -o pipefail`` scripts)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(0)


class _Console(Console):
    """A rich console whose broken pipe is :func:`reader_gone`."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        reader_gone()


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
    return _Console(
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
        except MonitorError as exc:
            for each in each_problem(exc):  # every mistake a check found, one line each
                error_line(str(each))
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

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with _located(self, *args, **kwargs):
            return super().make_context(*args, **kwargs)


@contextmanager
def _located(
    command: click.Command, info_name: str | None, *_: Any, parent: click.Context | None = None
) -> Iterator[None]:
    """A usage error the option parser raised without a context ("Option '--config'
    requires an argument") gets one, so its line ends "(see 'monitor status --help')"
    like every other usage error."""
    try:
        yield
    except click.UsageError as exc:
        if exc.ctx is None:
            exc.ctx = click.Context(command, info_name=info_name, parent=parent)
        raise


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
            with _located(self, *args, **kwargs):
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
        except BrokenPipeError:
            reader_gone()


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


def since_option(_ctx: click.Context, _param: click.Parameter, value: str) -> Any:
    """``--since``: a duration back from now (``30d``), or a time (ISO 8601, UTC if no zone)."""
    from datetime import UTC, datetime

    from monitor.durations import parse_duration

    try:
        return utc_now() - parse_duration(value)
    except ValueError as exc:
        problem = str(exc)
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{problem}, or give a time such as 2025-06-01") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


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
