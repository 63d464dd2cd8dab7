"""``monitor run``: the long-running service.

APScheduler 3.x (``BackgroundScheduler``) runs one job per source at its
interval, with jitter, ``max_instances=1`` and coalescing; the consumers (rule
engine, then the notifier's queue and delivery) run right after a poll that
appended something, and on a timer for delivery retries. The main thread only
waits on a :class:`threading.Event`:

* SIGTERM / SIGINT: stop scheduling, let the jobs in hand finish (up to
  ``daemon.shutdown_grace``), run the consumers once more so what was
  observed is also decided and delivered, record ``DaemonStopped``, exit 0.
  A second signal exits at once (the first one is the polite one).
* SIGHUP: reload config, watchlists and templates; a version that does not
  load is refused with a logged error and the running one stays.
* systemd: READY once started, STATUS after each cycle, WATCHDOG only while
  the scheduler runs and the consumers have completed recently, STOPPING.

Multi-process coordination lives in the database (advisory locks, the
checkpoint moving with the appends), not here: APScheduler's job store is in
memory and per process.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler

from monitor import __version__
from monitor.config import Config, load_config
from monitor.errors import ConfigError, MonitorError
from monitor.notify.channels import build_channels
from monitor.notify.outbox import Outbox, check_routes
from monitor.notify.templates import Templates
from monitor.poller import Poller
from monitor.rules.engine import RuleEngine
from monitor.rules.watchlist import Watchlists, load_watchlists
from monitor.store.events import NewEvent
from monitor.store.log import EventLog
from monitor.store.projections import open_log
from monitor.systemd import notify, watchdog_interval

log = logging.getLogger("monitor.daemon")

DAEMON_STARTED = "DaemonStarted"
DAEMON_STOPPED = "DaemonStopped"


@dataclass
class Runtime:
    """Everything a reload replaces together, or not at all."""

    config: Config
    watchlists: Watchlists
    engine: RuleEngine
    outbox: Outbox


def build_runtime(
    events: EventLog, config: Config, watchlists: Watchlists | None = None
) -> Runtime:
    """Load watchlists, templates and channels and check they fit together; raises on error.

    ``watchlists`` replaces the configured ones (``replay --watchlists DIR --notify``),
    so routes and templates are checked against the rules actually in use.
    """
    watchlists = watchlists or load_watchlists(config.resolve(config.watchlists))
    templates = Templates.load(config.resolve(config.templates))
    templates.require(rule.spec.template for rule in watchlists.rules)
    channels = build_channels(
        config.channel_urls(),
        path=config.path,
        min_interval=config.notify.min_interval.total_seconds(),
    )
    for rule in watchlists.rules:  # an unknown channel names the watchlist file that uses it
        try:
            check_routes({rule.id: rule.spec.notify}, channels)
        except ConfigError as exc:
            raise ConfigError(exc.message, path=rule.path, key="notify") from None
    outbox = Outbox(
        events,
        channels,
        templates,
        max_attempts=config.notify.max_attempts,
        base_delay=config.notify.base_delay,
        max_delay=config.notify.max_delay,
    )
    return Runtime(config, watchlists, RuleEngine(events, watchlists), outbox)


class Daemon:
    """One process of the service; see the module docstring for its life cycle."""

    def __init__(self, config_path: Path | None, config: Config):
        self.config_path = config_path
        self.events = open_log(config.store_url)
        self.runtime = build_runtime(self.events, config)
        self.poller = Poller(self.events, config)
        self.stop = threading.Event()
        self.scheduler = BackgroundScheduler(
            timezone="UTC",
            executors={"default": {"type": "threadpool", "max_workers": config.daemon.workers}},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
        )
        self._consume_lock = threading.Lock()
        self._consume_again = threading.Event()
        self._running = 0
        self._running_lock = threading.Lock()
        self._last_consume_ok = time.monotonic()
        self._signals = 0
        self._reload = threading.Event()
        self.runtime.outbox.heartbeat = self._beat

    def _beat(self) -> None:
        """Progress seen: consumers are alive even while a slow channel is being retried."""
        self._last_consume_ok = time.monotonic()

    # -- jobs ---------------------------------------------------------------

    def _job(self, fn_name: str, *args: object) -> None:
        """Run a job body, counting it (for the drain) and never letting it kill the scheduler."""
        if self.stop.is_set():  # queued before SIGTERM: the drain's own pass covers it
            return
        with self._running_lock:
            self._running += 1
        try:
            getattr(self, fn_name)(*args)
        except Exception:
            log.exception("job %s failed", fn_name)
        finally:
            with self._running_lock:
                self._running -= 1

    def poll_source(self, name: str) -> None:
        if self.stop.is_set():
            return
        source = next((s for s in self.runtime.config.sources if s.name == name), None)
        if source is None:
            return
        if self.poller.poll(source) and not self.stop.is_set():
            self.consume()

    def consume(self) -> None:
        """Run the consumers; concurrent callers fold into one extra pass, not a second runner."""
        self._consume_again.set()
        if not self._consume_lock.acquire(blocking=False):
            return
        try:
            while self._consume_again.is_set():
                self._consume_again.clear()
                rt = self.runtime
                outcomes = rt.engine.run()
                queued, delivered = rt.outbox.run()
                self._last_consume_ok = time.monotonic()
                if outcomes or queued or delivered:
                    log.info(
                        "consumers: %d outcome(s), %d notification(s) queued, %d delivered",
                        outcomes,
                        queued,
                        delivered,
                    )
            notify(f"STATUS={self.status_line()}")
        finally:
            self._consume_lock.release()

    def status_line(self) -> str:
        head = self.events.head()
        lag = head - self.events.checkpoint("rules")
        return f"{len(self.runtime.config.sources)} sources, log at {head}, rules lag {lag}"

    def watchdog(self) -> None:
        """Ping systemd only while healthy: scheduler running and consumers not stuck."""
        interval = watchdog_interval() or 30.0
        stale = max(self.runtime.config.daemon.consumer_interval.total_seconds() * 4, interval * 4)
        age = time.monotonic() - self._last_consume_ok
        if self.scheduler.running and age < stale:
            notify("WATCHDOG=1")
        else:
            log.warning("unhealthy: no consumer progress for %.0f s (limit %.0f s)", age, stale)

    # -- scheduling -----------------------------------------------------------

    def _schedule_sources(self, config: Config) -> None:
        for job in self.scheduler.get_jobs():
            if job.id.startswith("source:"):
                job.remove()
        now = datetime.now(UTC)
        for i, source in enumerate(s for s in config.sources if s.enabled):
            seconds = source.interval.total_seconds()
            self.scheduler.add_job(
                self._job,
                "interval",
                args=("poll_source", source.name),
                id=f"source:{source.name}",
                seconds=seconds,
                jitter=max(0.0, seconds * config.daemon.jitter),
                next_run_time=now + timedelta(milliseconds=50 * i),
            )

    def start(self) -> None:
        config = self.runtime.config
        self._schedule_sources(config)
        self.scheduler.add_job(
            self._job,
            "interval",
            args=("consume",),
            id="consumers",
            seconds=config.daemon.consumer_interval.total_seconds(),
        )
        interval = watchdog_interval()
        if interval:
            self.scheduler.add_job(self.watchdog, "interval", id="watchdog", seconds=interval)
        self.runtime.engine.record_watchlists()
        self._record(DAEMON_STARTED, {"pid": os.getpid(), "version": __version__})
        self.scheduler.start()
        notify("READY=1", f"STATUS={self.status_line()}")
        log.info(
            "monitor %s running: %d source(s), %d rule(s), store %s",
            __version__,
            len(config.sources),
            len(self.runtime.watchlists.rules),
            self.events.url,
        )

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
            runtime = build_runtime(self.events, config)
        except MonitorError as exc:
            log.error("reload refused, keeping the running version: %s", exc)
        except Exception:  # a reload must never take the running daemon down
            log.exception("reload refused, keeping the running version")
        else:
            runtime.outbox.heartbeat = self._beat
            with self._consume_lock:  # no consumer pass sees half of the new version
                runtime.engine.record_watchlists()
                self.runtime = runtime
                self.poller.config = config
            self._schedule_sources(config)
            log.info(
                "reloaded: %d rule(s), watchlists %s",
                len(runtime.watchlists.rules),
                runtime.watchlists.version[:12],
            )
        notify("READY=1")

    def _record(self, type_: str, payload: dict[str, object]) -> None:
        now = datetime.now(UTC)
        self.events.append(
            [NewEvent(type_, "daemon", f"{type_}:{os.getpid()}:{now.isoformat()}", payload)]
        )

    # -- life cycle -------------------------------------------------------------

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if signum == signal.SIGHUP:
            self._reload.set()
            return
        self._signals += 1
        if self._signals > 1:
            log.warning("second signal: exiting now")
            os._exit(1)
        log.info("%s received: finishing the jobs in hand", signal.Signals(signum).name)
        self.stop.set()

    def run(self) -> int:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        self.start()
        while not self.stop.is_set():
            if self._reload.wait(timeout=0.5):
                self._reload.clear()
                self.reload()
        return self.shutdown()

    def shutdown(self) -> int:
        notify("STOPPING=1")
        self.scheduler.shutdown(wait=False)
        deadline = time.monotonic() + self.runtime.config.daemon.shutdown_grace.total_seconds()
        while self._running and time.monotonic() < deadline:
            time.sleep(0.05)
        if self._running:
            log.warning(
                "%d job(s) still running after the grace period; leaving them", self._running
            )
        else:
            try:
                self.consume()  # decide and deliver what the last polls observed
            except Exception:
                log.exception("final consumer pass failed")
        self._record(DAEMON_STOPPED, {"pid": os.getpid(), "clean": not self._running})
        self.poller.close()
        self.events.close()
        log.info("stopped")
        return 0


def poll_once(config: Config) -> tuple[int, int, int, int]:
    """``monitor poll``: every source once (due or not), then the consumers to completion."""
    events = open_log(config.store_url)
    try:
        runtime = build_runtime(events, config)
        runtime.engine.record_watchlists()
        poller = Poller(events, config)
        try:
            observed = sum(poller.poll(s, force=True) for s in config.sources if s.enabled)
        finally:
            poller.close()
        outcomes = runtime.engine.run()
        queued, delivered = runtime.outbox.run()
        return observed, outcomes, queued, delivered
    finally:
        events.close()
