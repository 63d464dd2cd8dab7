"""``monitor run`` end to end, driven from outside like an operator would.

Real parts only: the daemon is a subprocess started from a config file, a
local HTTP server serves RSS/Atom feeds built from the seed texts, an aiosmtpd
server receives the email. Timings are generous bounds for a slow machine,
not measurements.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import ROOT, SEEDS
from feedserver import Entry, FeedServer, atom, rss
from smtpsink import SmtpSink, free_port
from test_replay_seeds import SEED_PUBLISHED

from monitor.app import Monitor
from monitor.normalize import normalize
from monitor.sources.fixtures import read_fixture_file
from monitor.wiring import open_log

T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)

NEW_SUMMIT = [
    "Japanese Prime Minister Sanae Takaichi and South Korean President Lee Jae-myung held "
    "their first summit in Gyeongju on Thursday, on the sidelines of the APEC forum.",
    "The two leaders agreed to keep up shuttle diplomacy and to work closely with the "
    "United States on North Korea's missile programme.",
]


def seed_entries() -> list[Entry]:
    """The five seeds as a site would publish them: headline, paragraphs, a tracked link.

    Each on the day its text says it was written: a feed item's published time
    dates the summit it reports ("on Saturday") and says which leaders were in
    office, so a seed republished today would be a recap.
    """
    out = []
    for i, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        art = normalize(read_fixture_file(path, "seeds"))
        body = "".join(f"<p>{html.escape(p)}</p>" for p in art.paragraphs)
        link = f"https://news.example.org/{path.stem}?utm_source=rss&id={i}"
        when = datetime.fromisoformat(SEED_PUBLISHED[path.name[:3]]).replace(tzinfo=UTC)
        out.append(Entry(art.title, link, body, when, id=path.stem))
    return out


def new_entry() -> Entry:
    body = "".join(f"<p>{p}</p>" for p in NEW_SUMMIT)
    return Entry(
        "Takaichi and Lee hold first summit",
        "https://news.example.org/gyeongju",
        body,
        T0 + timedelta(hours=20),
        id="gyeongju",
    )


class Daemon:
    """A ``monitor run`` subprocess with its output in files."""

    def __init__(self, config: Path, workdir: Path):
        self.config = config
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None
        self.runs = 0

    def start(self, env: dict[str, str] | None = None) -> Daemon:
        self.runs += 1
        self.stdout = self.workdir / f"stdout.{self.runs}"
        self.stderr = self.workdir / f"stderr.{self.runs}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--config", str(self.config), "run"],
            cwd=self.workdir,
            stdout=self.stdout.open("wb"),
            stderr=self.stderr.open("wb"),
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
        return self

    def log(self) -> str:
        return self.stderr.read_text(errors="replace")

    def send(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        assert self.proc is not None
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=timeout)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


def wait_for(what: Callable[[], bool], timeout: float = 30, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if what():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message or what}")


def settled(db: Path) -> bool:
    """Whether the daemon has done everything the log asks of it: every consumer (the rule
    engine, the outbox's queue) has read to the end of what it consumes, and no
    notification waits to be sent or retried. Then nothing more arrives until a new item
    does — what a test proves instead of sleeping for "a while" and hoping."""
    with Monitor(open_log(f"sqlite:///{db}", create=False)) as app:
        state = app.log_state()
    lagging = any(c["lag"] for c in state["consumers"].values())
    return not lagging and state["outbox"]["queued"] == 0 and state["outbox"]["failed"] == 0


def write_config(
    path: Path, sources: str, smtp: SmtpSink | None, extra: str = "", daemon: str = ""
) -> Path:
    channels = f'[channels]\nteam-email = "{smtp.url}"\n' if smtp else ""
    path.write_text(
        f'watchlists = "{ROOT / "watchlists"}"\n'
        f'templates = "{ROOT / "templates"}"\n'
        f'[store]\nurl = "sqlite:///{path.parent / "monitor.db"}"\n'
        f'[daemon]\nconsumer_interval = "1s"\nshutdown_grace = "3s"\n{daemon}\n'
        '[notify]\nbase_delay = "1s"\nmax_delay = "2s"\n'
        f"{extra}\n{channels}\n{sources}\n"
    )
    return path


def feed_source(name: str, url: str, interval: str = "1s", timeout: float = 2) -> str:
    return (
        f'[[sources]]\nname = "{name}"\ntype = "feed"\nurl = "{url}"\n'
        f'interval = "{interval}"\ntimeout = {timeout}\n'
    )


def test_each_alert_emailed_once_across_sigterm_restart_and_kill9(
    tmp_path: Path,
    feed_server: FeedServer,
    smtp: SmtpSink,
    daemons: list[Daemon],
) -> None:
    feed_server.set_feed("/world.xml", rss(seed_entries()))
    feed_server.set_feed("/asia.atom", atom([]))
    config = write_config(
        tmp_path / "monitor.toml",
        feed_source("world", feed_server.url("/world.xml"))
        + feed_source("asia", feed_server.url("/asia.atom")),
        smtp,
    )
    d = Daemon(config, tmp_path).start()
    daemons.append(d)
    wait_for(lambda: len(smtp.messages) >= 6, 60, "six emails")
    polls = feed_server.count("/world.xml")
    # two more polls of the same feed, all of it decided and delivered: nothing more arrives
    wait_for(lambda: feed_server.count("/world.xml") >= polls + 2, 30, "two more polls")
    wait_for(lambda: settled(tmp_path / "monitor.db"), 30, "the pipeline idle")
    subjects = smtp.subjects()
    assert len(subjects) == 6, subjects
    assert sum("japan-korea-summit" in s for s in subjects) == 3
    assert sum("north-korea-russia" in s for s in subjects) == 3
    body = smtp.messages[0].get_body(("plain", "html"))
    assert body is not None
    text = body.get_content()
    assert "https://news.example.org/" in text and "utm_source" not in text  # link, cleaned
    assert "world" in text  # the source

    # the server saw conditional requests after the first fetch
    assert any("if-none-match" in r.headers for r in feed_server.requests("/world.xml")[1:])

    assert d.stop(signal.SIGTERM) == 0
    assert "stopped" in d.log()

    d.start()
    wait_for(lambda: feed_server.count("/world.xml") > 0 and "running" in d.log(), 30)
    polls = feed_server.count("/world.xml")
    wait_for(lambda: feed_server.count("/world.xml") >= polls + 2, 30, "more polls")
    assert len(smtp.messages) == 6  # the restart sent nothing again
    assert "and 6 alert(s) (the last " in d.log()  # and said what the log already held

    d.send(signal.SIGKILL)
    assert d.proc is not None and d.proc.wait(10) == -signal.SIGKILL
    d.start()
    wait_for(lambda: "running" in d.log(), 30)

    # a new story appears in the other feed: alerted within a poll or two
    feed_server.set_feed("/asia.atom", atom([new_entry()]))
    wait_for(lambda: len(smtp.messages) >= 7, 30, "the new summit's email")
    assert "Takaichi and Lee hold first summit" in smtp.subjects()[-1]
    polls = feed_server.count("/asia.atom")
    wait_for(lambda: feed_server.count("/asia.atom") >= polls + 2, 30, "two more polls")
    wait_for(lambda: settled(tmp_path / "monitor.db"), 30, "the pipeline idle")
    assert len(smtp.messages) == 7
    assert d.stop() == 0

    with open_log(f"sqlite:///{tmp_path / 'monitor.db'}") as log:
        assert log.verify().ok
        sent = list(log.read(types=["NotificationSent"]))
        assert len(sent) == 7 and len({e.payload["notification"] for e in sent}) == 7


def test_broken_sources_back_off_while_others_alert(
    tmp_path: Path,
    feed_server: FeedServer,
    smtp: SmtpSink,
    daemons: list[Daemon],
    cli: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    feed_server.set_feed("/good.xml", rss(seed_entries()[:1]))
    feed_server.set_status("/broken.xml", 500)
    feed_server.set_feed("/slow.xml", rss([]))
    feed_server.set_hang("/slow.xml", 30)
    config = write_config(
        tmp_path / "monitor.toml",
        feed_source("good", feed_server.url("/good.xml"))
        + feed_source("broken", feed_server.url("/broken.xml"))
        + feed_source("slow", feed_server.url("/slow.xml"), timeout=1),
        smtp,
        daemon="parse_processes = 2",  # parsing in worker processes, as a busy node would
    )
    d = Daemon(config, tmp_path).start()
    daemons.append(d)
    wait_for(lambda: len(smtp.messages) >= 2, 40, "the good feed's alerts")
    wait_for(lambda: feed_server.count("/broken.xml") >= 4, 30, "four tries of the broken feed")
    # the broken feed is retried after 1, 2, 4 … seconds (±10 %), the good one every second;
    # polls happen on the scheduler's 1 s ticks, so a wait is rounded up to a tick: a gap
    # never shrinks by more than a tick, and three failures later it has at least doubled
    tries = [r.time for r in feed_server.requests("/broken.xml")]
    gaps = [b - a for a, b in zip(tries, tries[1:], strict=False)]
    assert all(later > earlier - 0.5 for earlier, later in zip(gaps, gaps[1:], strict=False)), gaps
    assert gaps[-1] > 1.8 * gaps[0], gaps
    polls = [r.time for r in feed_server.requests("/good.xml") if r.time >= tries[-2]]
    assert len(polls) >= 2, "the good feed kept its interval meanwhile"
    assert d.alive()
    assert d.stop() == 0
    status = cli(
        "--config", str(config), "status", "--format", "json", cwd=tmp_path, check=True
    ).stdout
    sources = {s["name"]: s for s in json.loads(status)["sources"]}
    assert sources["good"]["failures"] == 0 and sources["good"]["last_success"]
    assert sources["broken"]["failures"] >= 2 and "500" in sources["broken"]["last_error"]
    assert sources["slow"]["failures"] >= 1 and sources["slow"]["retry_at"]


def test_smtp_down_then_back_delivers_once(
    tmp_path: Path,
    feed_server: FeedServer,
    daemons: list[Daemon],
) -> None:
    sink = SmtpSink(port=free_port())  # not started: the server is down
    feed_server.set_feed("/world.xml", rss(seed_entries()[:2]))
    config = write_config(
        tmp_path / "monitor.toml", feed_source("world", feed_server.url("/world.xml")), sink
    )
    d = Daemon(config, tmp_path).start()
    daemons.append(d)
    db = f"sqlite:///{tmp_path / 'monitor.db'}"

    def failures() -> int:
        with open_log(db) as log:
            return sum(1 for _ in log.read(types=["NotificationFailed"]))

    wait_for(lambda: failures() >= 2, 40, "failed deliveries while SMTP is down")
    sink.start()
    try:
        wait_for(lambda: len(sink.messages) >= 3, 40, "delivery once SMTP is back")
        wait_for(lambda: settled(tmp_path / "monitor.db"), 30, "every retry done")
        assert len(sink.messages) == 3  # 000: two rules; 001: one raised, one suppressed
    finally:
        sink.stop()
    assert d.stop() == 0


def test_bad_template_or_config_refuses_to_start(
    tmp_path: Path, monitor_cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    templates = tmp_path / "templates"
    (templates / "default").mkdir(parents=True)
    for f in (ROOT / "templates" / "default").iterdir():
        (templates / "default" / f.name).write_text(f.read_text())
    (templates / "default" / "subject.txt").write_text("{{ alert.titel }")
    config = tmp_path / "monitor.toml"
    config.write_text(f'templates = "{templates}"\nwatchlists = "{ROOT / "watchlists"}"\n')
    res = monitor_cli("--config", str(config), "run", cwd=tmp_path)
    assert res.returncode == 1
    assert "subject.txt" in res.stderr and "Traceback" not in res.stderr

    config.write_text(
        '[[sources]]\nname = "x"\ntype = "feed"\nurl = "http://x/"\nintervall = "1m"\n'
    )
    res = monitor_cli("--config", str(config), "run", cwd=tmp_path)
    assert res.returncode == 1
    assert (
        "monitor.toml" in res.stderr and "intervall" in res.stderr and "unknown key" in res.stderr
    )


def test_sighup_reloads_watchlists_and_refuses_a_broken_one(
    tmp_path: Path,
    feed_server: FeedServer,
    smtp: SmtpSink,
    daemons: list[Daemon],
) -> None:
    watchlists = tmp_path / "watchlists"
    watchlists.mkdir()
    (watchlists / "entities.yaml").write_text((ROOT / "watchlists" / "entities.yaml").read_text())
    (watchlists / "nothing.yaml").write_text("query: zzzunmatchablezzz\n")
    feed_server.set_feed("/world.xml", rss(seed_entries()[:1]))
    config = write_config(
        tmp_path / "monitor.toml", feed_source("world", feed_server.url("/world.xml")), smtp
    )
    config.write_text(config.read_text().replace(str(ROOT / "watchlists"), str(watchlists)))
    d = Daemon(config, tmp_path).start()
    daemons.append(d)
    wait_for(lambda: "running" in d.log() and feed_server.count("/world.xml") > 1, 30)

    (watchlists / "broken.yaml").write_text("query: (unclosed\n")
    d.send(signal.SIGHUP)
    wait_for(lambda: "reload refused" in d.log(), 20, "the refusal")
    assert "broken.yaml:1" in d.log()
    assert d.alive()

    (watchlists / "broken.yaml").unlink()
    gazetteer = (watchlists / "entities.yaml").read_text()
    (watchlists / "entities.yaml").write_text("countries:\n  - japan\n")  # a list, not a map
    d.send(signal.SIGHUP)
    wait_for(lambda: d.log().count("reload refused") >= 2, 20, "the second refusal")
    assert "entities.yaml:1: countries: expected a mapping" in d.log() and d.alive()
    (watchlists / "entities.yaml").write_text(gazetteer)
    (watchlists / "summit.yaml").write_text("query: summit*\nseverity: high\n")
    d.send(signal.SIGHUP)
    wait_for(lambda: "reloaded" in d.log(), 20, "the reload")
    # the new rule applies to articles observed from now on
    feed_server.set_feed("/world.xml", rss(seed_entries()[:2]))
    wait_for(lambda: any("summit" in s for s in smtp.subjects()), 30, "an alert by the new rule")
    assert d.stop() == 0


def test_speaks_sd_notify_ready_status_watchdog_stopping(
    tmp_path: Path, feed_server: FeedServer, daemons: list[Daemon]
) -> None:
    import socket

    sock_path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(sock_path))
    sock.settimeout(0.5)
    feed_server.set_feed("/world.xml", rss(seed_entries()[:1]))
    config = write_config(
        tmp_path / "monitor.toml", feed_source("world", feed_server.url("/world.xml")), None
    )
    # WATCHDOG_USEC 2 s: a ping every second
    d = Daemon(config, tmp_path).start(
        {"NOTIFY_SOCKET": str(sock_path), "WATCHDOG_USEC": "2000000"}
    )
    daemons.append(d)
    seen: list[str] = []

    def receive_until(state: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not any(state in m for m in seen):
            with contextlib.suppress(TimeoutError):
                seen.append(sock.recv(4096).decode())
        assert any(state in m for m in seen), (state, seen)

    receive_until("READY=1", 30)
    receive_until("STATUS=", 10)
    receive_until("WATCHDOG=1", 10)
    d.send(signal.SIGTERM)
    receive_until("STOPPING=1", 10)
    assert d.proc is not None and d.proc.wait(15) == 0
    sock.close()
