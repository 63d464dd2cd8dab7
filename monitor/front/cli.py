"""The ``monitor`` command line: the contract in DESIGN.md ("CLI contract").

The operator's commands are here, each a few lines over the application
(:class:`monitor.app.Monitor`); ``replay``, ``backtest`` and ``rules`` are in
:mod:`monitor.front.cli_rules`, and the frame every command shares — the
group, ``--config``, the consoles, one-line errors — in
:mod:`monitor.front.command`.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from monitor.errors import MonitorError
from monitor.front import command as cmd
from monitor.front.command import (
    config_of,
    error_line,
    friendly,
    main,
    open_monitor,
    since_option,
    store_option,
)
from monitor.logs import setup_logging

if TYPE_CHECKING:
    from monitor.store.events import Head
from monitor.front.cli_rules import backtest, replay, rules

__all__ = ["main"]

main.add_command(replay)
main.add_command(backtest)
main.add_command(rules)


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
                    print_event(cmd.out, ev)
                last = ev.seq
            if not follow:
                return
            try:
                time.sleep(1.0)
            except KeyboardInterrupt:  # Ctrl-C ends --follow; that is not an error
                return


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
        cmd.err.print(
            f"warning: the append-only trigger {name} is missing: someone with owner access "
            "removed it (the next creating open restores it)",
            markup=False,
        )
    if not result.ok:
        error_line(f"at event {result.first_bad}: {result.reason or ''}", label="FAILED")
        sys.exit(1)
    head = f"{result.checked}:{result.head_hash}" if result.head_hash else "0 (empty log)"
    cmd.out.print(
        f"ok: {result.checked} events, hash chain intact, head {head}", markup=False, soft_wrap=True
    )
    if result.anchors:
        cmd.out.print(
            "end checked against " + "; ".join(result.anchors), markup=False, soft_wrap=True
        )
    else:
        cmd.out.print(
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
    cmd.out.print(f"rebuilt read models from {applied} events")


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
        print_jsonl(
            alert_record(
                r, deliveries.get(r.seq, []), found.published_of(r), found.numbers.get(r.seq)
            )
            for r in rows
        )
    else:
        print_outcomes(cmd.out, rows, deliveries, numbered=True, numbers=found.numbers)


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
    cmd.out.print(
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
        print_status(cmd.out, report)


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
        cmd.out.print(f"wrote {path}{'/' if path.is_dir() else ''}")
    config = directory / "monitor.toml"
    here = directory.resolve() == Path.cwd().resolve()
    flag = "" if here else f" --config {config}"
    cmd.out.print(
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

    Also the check of the setup: every mistake of the config file and of every
    watchlist file (and templates and routes) is listed, exit 1; an unset
    secret is a warning (`run` needs it, showing does not).
    """
    from monitor.daemon import check_parts
    from monitor.errors import SecretUnset, each_problem

    try:
        config = config_of(ctx)
    except MonitorError as exc:
        problems = each_problem(exc)
    else:
        print(
            json.dumps(
                {"file": str(config.path) if config.path else None, **config.show()}, indent=2
            )
        )
        problems = check_parts(config)[1]
    errors = [p for p in problems if not isinstance(p, SecretUnset)]
    for problem in problems:
        error_line(str(problem), label="error:" if problem in errors else "warning:")
    if errors:
        sys.exit(1)


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
    cmd.out.print(f"{count} notification(s) re-queued" + ("" if count else " (none were dead)"))
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
    cmd.out.print(f"muted {rule} until {until}" + (f": {reason}" if reason else ""))


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
    cmd.out.print(f"unmuted {rule}" + (f" ({ended} mutes ended)" if ended > 1 else ""))


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
        print_mutes(cmd.out, rows, now)
