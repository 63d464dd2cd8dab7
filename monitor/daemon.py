"""``monitor run``: the long-running service.

APScheduler 3.x (``BackgroundScheduler``) runs one job per source at its
interval, with jitter, ``max_instances=1`` and coalescing. A poll job only
polls: slow work never runs inside a job that has a schedule to keep. Two
threads of their own do the rest:

* the *decider* runs the rule engine and queues notifications, woken by a
  poll that appended something and on ``consumer_interval``;
* the *deliverer* sends what is due, woken by the decider and on the same
  interval (for retries). A channel that hangs holds only this thread, and
  only for ``notify.send_timeout`` per notification (see the outbox).

The main thread only waits on a :class:`threading.Event`:

* SIGTERM / SIGINT: stop scheduling, let the polls in hand finish, decide
  and deliver what they observed — all within ``daemon.shutdown_grace`` —
  then record ``DaemonStopped`` as the log's last event from this process
  and exit 0. Whatever is still running then (a send that hangs, a fetch)
  is abandoned: it is due again after the restart, and ``monitor run``
  exits without waiting for it (or for a library's pool). Signals after the
  first SIGTERM are ignored (logged): the stop is bounded already.
* SIGHUP: reload config, watchlists and templates; a version that does not
  load is refused with a logged error and the running one stays.
* systemd: READY once started, STATUS after each cycle, WATCHDOG only while
  the scheduler runs and the consumers have completed recently, STOPPING.
* ``[web]``: the read-only status page, API, ``/metrics`` and ``/healthz``
  (:mod:`monitor.front.web`) served by uvicorn in a thread, bound before anything
  else starts (a taken address stops start-up) and stopped within the grace.
  ``/healthz`` answers with :meth:`Daemon.health`, the watchdog's own rule.
  The page is the front door's (a layer above this one), so the caller hands
  the daemon the function that serves it (``web=``, :func:`monitor.front.web.server.serve`).

Multi-process coordination lives in the database (advisory locks, the
checkpoint moving with the appends, a lease row per feed poll), not here:
APScheduler's job store is in memory and per process. On PostgreSQL a poll
job only tries: the poll is made by the node that claims it
(:mod:`monitor.leases`), and each node aims its next try at the time
the lease says the feed is due, plus its own jitter.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Any, Protocol

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler

from monitor import __version__
from monitor.analysis import use_pipeline
from monitor.app import Monitor
from monitor.clock import Clock, utc_now
from monitor.config import Config, load_config
from monitor.errors import (
    ConfigError,
    MonitorError,
    Problems,
    Repeats,
    each_problem,
    report_order,
)
from monitor.events import DaemonStarted, DaemonStopped
from monitor.notify.channels import Channel, build_channels
from monitor.notify.outbox import Outbox
from monitor.notify.templates import Templates
from monitor.poller import Poller
from monitor.rules.engine import RuleEngine
from monitor.rules.watchlist import Watchlists, check_watchlists, unknown_routes
from monitor.store.log import EventLog
from monitor.systemd import notify, watchdog_interval
from monitor.wiring import open_log


class WebPage(Protocol):
    """What the daemon needs of the web page it hosts: its address, and stopping it."""

    @property
    def url(self) -> str: ...

    def begin_stop(self) -> None: ...

    def stop(self, timeout: float) -> bool: ...

    def alive(self) -> bool: ...


log = logging.getLogger("monitor.daemon")


@dataclass
class Runtime:
    """Everything a reload replaces together, or not at all; and the pipeline, declared once.

    Observed articles → the rule engine → the notification queue
    (:meth:`decide`) → delivery (:meth:`run`). ``monitor poll`` and ``replay
    --notify`` run it whole; the daemon runs its two halves on two threads
    (deciding, and delivering), so that a slow channel never holds up the
    rules.
    """

    config: Config
    watchlists: Watchlists
    engine: RuleEngine
    outbox: Outbox

    def decide(self) -> tuple[int, int]:
        """The rules, then the notification queue: (outcomes appended, notifications queued)."""
        return self.engine.run(), self.outbox.queue()

    def run(self) -> tuple[int, int, int]:
        """Decide, then deliver what is due: (outcomes, queued, delivered)."""
        outcomes, queued = self.decide()
        return outcomes, queued, self.outbox.deliver()


@dataclass
class Parts:
    """What a runtime is built from, loaded and checked without touching a store."""

    watchlists: Watchlists
    templates: Templates
    channels: dict[str, Channel]


def load_parts(config: Config, watchlists: Watchlists | None = None) -> Parts:
    """Load watchlists, templates and channels and check they fit together; raises on error.

    Needs no store, so commands that create one call it first: a broken
    watchlist or an unset secret then stops them before anything is
    written to disk. ``watchlists`` replaces the configured ones (``replay
    --watchlists DIR --notify``), so routes and templates are checked against
    the rules actually in use. Every problem is reported at once
    (:func:`check_parts`, :class:`~monitor.errors.Problems`).
    """
    parts, problems = check_parts(config, watchlists)
    Problems.raise_for(problems)
    assert parts is not None  # no problem found: everything loaded
    return parts


def check_parts(
    config: Config, watchlists: Watchlists | None = None, *, directory: Path | None = None
) -> tuple[Parts | None, list[MonitorError]]:
    """Load what a runtime is built from and list every problem, without raising.

    Every watchlist file's mistakes, a template set a rule names that does
    not exist, every unset secret (the store URL's and the channels'), a
    channel URL apprise refuses, and every ``notify:`` route to a channel the
    config lacks — what a start or a SIGHUP reload refuses, found in one pass.
    ``directory`` is the watchlist directory when not the config's.
    """
    use_pipeline(config.analysis.pipeline)  # the spaCy pipeline LINK parses with (loaded on use)
    problems: list[MonitorError] = []
    directory = directory or (
        watchlists.directory if watchlists is not None else config.watchlists_dir
    )
    if watchlists is None:
        watchlists, found = check_watchlists(directory)
        problems.extend(found)
    templates: Templates | None = None
    try:
        templates = Templates.load(config.templates_dir)
        if watchlists is not None:
            templates.require(rule.spec.template for rule in watchlists.rules)
    except MonitorError as exc:
        problems.append(exc)
    unset = config.unset_secrets()
    problems.extend(unset)
    channels: dict[str, Channel] | None = None
    if not unset:
        try:
            channels = build_channels(
                config.channel_urls(),
                path=config.path,
                min_interval=config.notify.min_interval.total_seconds(),
            )
        except MonitorError as exc:
            problems.append(exc)
    if config.channels and directory.is_dir():
        # none: the console takes every route; an unknown channel names the file and line
        problems.extend(unknown_routes(directory, config.channels))
    if problems or watchlists is None or templates is None or channels is None:
        return None, sorted(problems, key=report_order)
    return Parts(watchlists, templates, channels), []


def build_runtime(
    events: EventLog,
    config: Config,
    watchlists: Watchlists | None = None,
    parts: Parts | None = None,
) -> Runtime:
    """The rule engine and the outbox on ``events``, from ``parts`` (else loaded now)."""
    parts = parts or load_parts(config, watchlists)
    outbox = Outbox(
        events,
        parts.channels,
        parts.templates,
        max_attempts=config.notify.max_attempts,
        base_delay=config.notify.base_delay,
        max_delay=config.notify.max_delay,
        send_timeout=config.notify.send_timeout.total_seconds(),
    )
    return Runtime(config, parts.watchlists, RuleEngine(events, parts.watchlists), outbox)


class Daemon:
    """One process of the service; see the module docstring for its life cycle."""

    def __init__(
        self,
        config_path: Path | None,
        config: Config,
        *,
        web: Callable[[Daemon], WebPage] | None = None,
        now: Clock = utc_now,
    ):
        """``web``: starts the ``[web]`` page over this daemon (required when it is enabled);
        ``now``: the clock of its log, which the poller, the outbox and its own records read
        (the scheduler keeps the system's)."""
        self.config_path = config_path
        self._serve_web = web
        parts = load_parts(config)  # first: a config that cannot run creates no store
        self.events = open_log(config.store_url, now=now)
        self.runtime = build_runtime(self.events, config, parts=parts)
        self.poller = Poller(self.events, config)
        self.stop = threading.Event()
        self.scheduler = BackgroundScheduler(
            timezone="UTC",
            executors={"default": {"type": "threadpool", "max_workers": config.daemon.workers}},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
        )
        self._consume_lock = threading.Lock()  # one decider pass at a time; reloads wait for it
        self._wake_decider = threading.Event()
        self._wake_deliverer = threading.Event()
        self._threads: list[threading.Thread] = []
        self._running = 0
        self._running_lock = threading.Lock()
        #: when each worker (decider, deliverer) last completed a pass or made progress
        self._progress = dict.fromkeys(("decider", "deliverer"), time.monotonic())
        self._reload = threading.Event()
        self._repeats = Repeats()
        #: something was still running when the process stopped (``monitor run`` exits hard)
        self.abandoned = False
        self.runtime.outbox.heartbeat = self._beat
        self.runtime.engine.heartbeat = self._beat_decider
        #: polls by (source, result) since start: the log records no unchanged poll
        self.polls: Counter[tuple[str, str]] = Counter()
        self._polls_lock = threading.Lock()
        self.web: WebPage | None = None

    def _beat(self) -> None:
        """Progress seen: the deliverer is alive even while a slow channel is being retried."""
        self._progress["deliverer"] = time.monotonic()

    def _beat_decider(self) -> None:
        """Progress seen: the decider is alive while it catches up on a long backlog."""
        self._progress["decider"] = time.monotonic()

    # -- jobs ---------------------------------------------------------------

    def _job(self, fn: Callable[..., object], *args: object) -> None:
        """Run a job body, counting it (for the drain) and never letting it kill the scheduler."""
        if self.stop.is_set():  # queued before SIGTERM: the drain's own pass covers it
            return
        with self._running_lock:
            self._running += 1
        name = getattr(fn, "__name__", repr(fn))
        place = f"job {name} {args}"
        try:
            fn(*args)
            self._repeats.clear(place)
        except Exception as exc:
            self._repeats.failed(log, place, exc, f"job {name} failed")
        finally:
            with self._running_lock:
                self._running -= 1

    def poll_source(self, name: str) -> None:
        """Poll one source and wake the decider; never decides or delivers itself."""
        if self.stop.is_set():
            return
        source = next((s for s in self.runtime.config.sources if s.name == name), None)
        if source is None:
            return
        before = self.poller.states.get(name)
        polled_at = before.last_poll if before else None
        if self.poller.poll(source):
            self._wake_decider.set()
        after = self.poller.states.get(name)
        if after is not None and after.last_poll != polled_at:  # polled, not skipped as not due
            with self._polls_lock:
                self.polls[(name, after.last_status or "ok")] += 1
        wait = self.poller.due_in(name)
        if wait is not None:  # shared with other nodes: try again when its lease says it is due
            jitter = source.interval.total_seconds() * self.runtime.config.daemon.jitter
            # the scheduler's time is the system's
            when = utc_now() + timedelta(seconds=wait + random.uniform(0, jitter) + 0.05)
            with contextlib.suppress(JobLookupError):  # a reload removed the job meanwhile
                self.scheduler.modify_job(f"source:{name}", next_run_time=when)

    def poll_counts(self) -> dict[tuple[str, str], int]:
        """A copy of :attr:`polls` (``/metrics`` reads it from another thread)."""
        with self._polls_lock:
            return dict(self.polls)

    def decide(self) -> int:
        """One pass of the rule engine and the notification queue; returns notifications queued."""
        with self._consume_lock:
            outcomes, queued = self.runtime.decide()
        self.poller.flush_checks()  # when each source was last looked at, for `status`
        self._progress["decider"] = time.monotonic()
        if outcomes or queued:
            log.info("decided: %d outcome(s), %d notification(s) queued", outcomes, queued)
        notify(f"STATUS={self.status_line()}")
        return queued

    def deliver(self) -> int:
        """One delivery pass (the outbox bounds each send by ``notify.send_timeout``)."""
        delivered = self.runtime.outbox.deliver()
        self._progress["deliverer"] = time.monotonic()
        if delivered:
            log.info("delivered %d notification(s)", delivered)
        return delivered

    def _loop(
        self, wake: threading.Event, work: Callable[[], object], then: threading.Event | None
    ) -> None:
        """A worker thread's life: wait to be woken (or the interval), work, until stopped;
        ``then`` is woken after each pass (the deliverer, after the decider)."""
        name = getattr(work, "__name__", repr(work))
        interval = self.runtime.config.daemon.consumer_interval.total_seconds()
        while not self.stop.is_set():
            wake.wait(interval)
            wake.clear()
            if self.stop.is_set():
                return
            try:
                work()
                self._repeats.clear(name)
            except MonitorError as exc:  # a locked store: retried on the next wake
                log.error("%s pass failed, retried in %g s: %s", name, interval, exc)
            except Exception as exc:  # a full disk, a library's bug: one traceback a kind
                self._repeats.failed(log, name, exc, f"{name} pass failed")
            if then is not None:
                then.set()

    def status_line(self) -> str:
        head = self.events.head()
        lag = head - self.events.checkpoint("rules")
        return f"{len(self.runtime.config.sources)} sources, log at {head}, rules lag {lag}"

    def health(self) -> dict[str, Any]:
        """Healthy while the scheduler runs and the consumers completed a pass recently.

        The one rule behind both systemd's watchdog and ``/healthz``, so a
        load balancer and systemd never disagree about this process.
        "Recently" is four consumer intervals or four watchdog intervals,
        whichever is longer, for each worker on its own clock (slow sends beat
        the deliverer's through the outbox, a long backlog the decider's
        through the rule engine's batches).
        """
        interval = watchdog_interval() or 30.0
        stale = max(self.runtime.config.daemon.consumer_interval.total_seconds() * 4, interval * 4)
        now = time.monotonic()
        ages = {worker: now - at for worker, at in self._progress.items()}
        age = max(ages.values())
        stuck = [worker for worker, a in ages.items() if a >= stale]
        running = self.scheduler.running and not self.stop.is_set()
        if not running:
            reason = "stopping" if self.stop.is_set() else "the scheduler is not running"
        elif stuck:
            # each worker on its own clock: a deliverer busy retrying must not hide a
            # decider stuck on a locked store, nor the other way round
            who = "consumer" if len(stuck) > 1 else stuck[0]
            reason = f"no {who} progress for {age:.0f} s (limit {stale:.0f} s)"
        else:
            reason = ""
        return {
            "healthy": not reason,
            "reason": reason,
            "scheduler_running": running,
            "consumer_progress_age": round(age, 1),
            "stale_after": stale,
        }

    def watchdog(self) -> None:
        """Ping systemd only while healthy: scheduler running and consumers not stuck."""
        health = self.health()
        if health["healthy"]:
            notify("WATCHDOG=1")
        else:
            log.warning("unhealthy: %s", health["reason"])

    # -- scheduling -----------------------------------------------------------

    def _schedule_sources(self, config: Config) -> None:
        for job in self.scheduler.get_jobs():
            if job.id.startswith("source:"):
                job.remove()
        now = utc_now()  # the scheduler's time is the system's
        enabled = [s for s in config.sources if s.enabled]
        for i, source in enumerate(enabled):
            seconds = source.interval.total_seconds()
            # First polls 50 ms apart, yet all within one interval: 3,000 feeds would
            # otherwise take 150 s for their first round. On PostgreSQL every node runs
            # these jobs; the one that claims a due poll fetches (monitor.leases).
            first = min(0.05 * i, seconds * i / len(enabled))
            self.scheduler.add_job(
                self._job,
                "interval",
                args=(self.poll_source, source.name),
                id=f"source:{source.name}",
                seconds=seconds,
                jitter=max(0.0, seconds * config.daemon.jitter),
                next_run_time=now + timedelta(seconds=first),
            )

    def start(self) -> None:
        config = self.runtime.config
        if config.web.enabled:  # first: an address that cannot be bound stops start-up
            self.web = self._start_web()
        self._schedule_sources(config)
        workers = (
            ("decide", self._wake_decider, self.decide, self._wake_deliverer),
            ("deliver", self._wake_deliverer, self.deliver, None),
        )
        for name, wake, work, then in workers:
            thread = threading.Thread(
                target=self._loop, args=(wake, work, then), name=name, daemon=True
            )
            self._threads.append(thread)
        interval = watchdog_interval()
        if interval:
            self.scheduler.add_job(self.watchdog, "interval", id="watchdog", seconds=interval)
        self.runtime.engine.record_watchlists()
        self.events.append([DaemonStarted(os.getpid(), __version__).to_event(self.events.now())])
        self.scheduler.start()
        for thread in self._threads:
            thread.start()
        self._wake_decider.set()  # decide what earlier runs observed but did not decide
        notify("READY=1", f"STATUS={self.status_line()}")
        log.info(
            "monitor %s running: %d source(s), %d rule(s), store %s; %s",
            __version__,
            len(config.sources),
            len(self.runtime.watchlists.rules),
            self.events.url,
            Monitor(self.events, now=self.events.now).holdings().describe(),
        )

    def _start_web(self) -> WebPage:
        """The read-only web page over this daemon's store, config and health."""
        if self._serve_web is None:
            raise ConfigError(
                "[web] is enabled but this process serves no web page",
                path=self.runtime.config.path,
                key="web.listen",
            )
        return self._serve_web(self)

    def reload(self) -> None:
        """Swap in a new config, watchlists and templates, or keep the old ones."""
        notify("RELOADING=1", f"MONOTONIC_USEC={time.monotonic_ns() // 1000}")
        try:
            config = load_config(self.config_path)
            old = self.runtime.config
            if config.store_url != old.store_url:
                log.warning("store.url changed: takes effect at the next restart")
            if config.daemon != old.daemon:
                log.warning("[daemon] settings changed: they take effect at the next restart")
            if config.web != old.web:
                log.warning("[web] settings changed: they take effect at the next restart")
            runtime = build_runtime(self.events, config)
        except MonitorError as exc:
            for problem in each_problem(exc):  # every one, a line each
                log.error("reload refused, keeping the running version: %s", problem)
        except Exception:  # a reload must never take the running daemon down
            log.exception("reload refused, keeping the running version")
        else:
            runtime.outbox.heartbeat = self._beat
            runtime.engine.heartbeat = self._beat_decider
            with self._consume_lock:  # no decider pass sees half of the new version
                runtime.engine.record_watchlists()
                runtime.outbox.adopt(self.runtime.outbox)
                self.runtime = runtime
                self.poller.config = config
            self._schedule_sources(config)
            log.info(
                "reloaded: %d rule(s), watchlists %s",
                len(runtime.watchlists.rules),
                runtime.watchlists.version[:12],
            )
        notify("READY=1")

    # -- life cycle -------------------------------------------------------------

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        """SIGHUP reloads; the first SIGTERM or SIGINT stops. Once stopping, every signal
        is ignored: the stop is bounded by ``shutdown_grace`` already, and a reload or a
        second stop half-way through it would only lose what it is recording."""
        name = signal.Signals(signum).name
        if self.stop.is_set():
            log.info("%s ignored: stopping", name)
            return
        if signum == signal.SIGHUP:
            self._reload.set()
            return
        log.info("%s received: finishing the jobs in hand", name)
        self.stop.set()

    def run(self) -> int:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        self.start()
        while not self.stop.is_set():
            if self._reload.wait(timeout=0.5) and not self.stop.is_set():
                self._reload.clear()
                self.reload()
        code = self.shutdown()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            # the interpreter puts back the default action of signals that have a Python
            # handler as it exits (a SIGHUP then kills the process); an ignored one stays
            signal.signal(sig, signal.SIG_IGN)
        return code

    def shutdown(self) -> int:
        """Stop within ``shutdown_grace`` (plus a small bound), whatever sources and channels do.

        Polls in hand finish, then the decider's and the deliverer's last
        passes run — each only while the grace lasts. ``DaemonStopped`` is
        appended with :meth:`EventLog.append_final`, so nothing this process
        still has running (an abandoned send, a fetch) can append after it.
        """
        notify("STOPPING=1")
        self.scheduler.shutdown(wait=False)
        deadline = time.monotonic() + self.runtime.config.daemon.shutdown_grace.total_seconds()
        if self.web is not None:  # no new requests; those in flight get until the deadline
            self.web.begin_stop()
        self.stop.set()  # also when called without a signal (tests, embedding)
        for wake in (self._wake_decider, self._wake_deliverer):
            wake.set()  # a worker asleep for consumer_interval sees the stop now, not then
        while self._running and time.monotonic() < deadline:
            time.sleep(0.05)
        for thread in self._threads:  # a pass in progress ends first (a send waits at most 0.1 s)
            self.runtime.outbox.interrupt.set()
            thread.join(max(0.0, deadline - time.monotonic()) + 1.0)
        clean = not self._running and not any(t.is_alive() for t in self._threads)
        if clean:
            self._last_passes(deadline)
        else:
            log.warning("jobs still running after the grace period; leaving them")
        try:
            stopped = DaemonStopped(os.getpid(), clean).to_event(self.events.now())
            self.events.append_final([stopped])
        except MonitorError as exc:
            log.error("could not record DaemonStopped: %s", exc)
        if self.web is not None:
            self.web.stop(max(0.5, deadline - time.monotonic()))
        self.abandoned = (
            self._running > 0
            or any(t.is_alive() for t in self._threads)
            or (self.web is not None and self.web.alive())
        )
        self.poller.close()
        log.info("stopped")
        return 0

    def _last_passes(self, deadline: float) -> None:
        """Decide and deliver what the last polls observed, cut off at ``deadline``."""
        outbox = self.runtime.outbox
        outbox.interrupt.clear()
        timer = threading.Timer(max(0.0, deadline - time.monotonic()), outbox.interrupt.set)
        timer.daemon = True
        timer.start()
        try:
            self.decide()
            if not outbox.interrupt.is_set():
                self.deliver()
        except Exception:
            log.exception("final pass failed")
        finally:
            timer.cancel()
            outbox.interrupt.set()


def poll_once(config: Config) -> tuple[int, int, int, int]:
    """``monitor poll``: every source once (due or not), then the consumers to completion."""
    parts = load_parts(config)  # first: a config that cannot run creates no store
    events = open_log(config.store_url)
    try:
        runtime = build_runtime(events, config, parts=parts)
        runtime.engine.record_watchlists()
        poller = Poller(events, config)
        try:
            observed = sum(poller.poll(s, force=True) for s in config.sources if s.enabled)
        finally:
            poller.close()
        outcomes, queued, delivered = runtime.run()
        return observed, outcomes, queued, delivered
    finally:
        events.close()
