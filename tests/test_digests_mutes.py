"""Digests and mutes: batched alerts at set times, muted rules recorded and not sent.

The outbox is driven with a real SMTP server (aiosmtpd) and its own clock
(``deliver(now=…)``), so a digest's time is reached without waiting for it;
``test_digest_mute_e2e.py`` drives the same through ``monitor run``.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import SEEDS, WATCHLISTS
from prometheus_client.parser import text_string_to_metric_families
from smtpsink import SmtpSink, free_port

from monitor.app import Monitor
from monitor.config import Config, WebConfig
from monitor.errors import TemplateError, WatchlistError
from monitor.events import (
    ALERT_RAISED,
    NOTIFICATION_MUTED,
    NOTIFICATION_QUEUED,
    NotificationQueued,
    RuleMuted,
    RuleUnmuted,
)
from monitor.front.web import views
from monitor.front.web.context import WebContext
from monitor.front.web.server import WebServer
from monitor.normalize import normalize
from monitor.notify.channels import build_channels
from monitor.notify.outbox import Outbox
from monitor.notify.projection import OUTBOX, for_alerts, summary
from monitor.notify.templates import Templates
from monitor.replay import observe, replay
from monitor.rules.engine import RuleEngine
from monitor.rules.watchlist import Watchlists, load_watchlists
from monitor.schedules import DigestSchedule
from monitor.sources.fixtures import iter_fixture_dir
from monitor.store.events import NewEvent
from monitor.store.log import EventLog
from monitor.wiring import open_log

NK = "north-korea-russia"
SUMMIT = "japan-korea-summit"
TOKYO_8AM = 'digest:\n  every: 1d\n  at: "08:00"\n  timezone: Asia/Tokyo\n'


def watchlists_with(tmp_path: Path, extra: str, rule: str = NK) -> Path:
    """A copy of the shipped watchlists with ``extra`` YAML appended to ``rule``'s file."""
    directory = tmp_path / "watchlists"
    shutil.copytree(WATCHLISTS, directory)
    path = directory / f"{rule}.yaml"
    path.write_text(path.read_text() + "\n" + extra)
    return directory


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Callable[[], EventLog]]:
    """Opens the same SQLite file store as often as asked (a restart is a second open)."""
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    opened: list[EventLog] = []

    def again() -> EventLog:
        log = open_log(url)
        opened.append(log)
        return log

    yield again
    for log in opened:
        log.close()


def outbox(log: EventLog, url: str) -> Outbox:
    channels = build_channels({"team-email": url}, min_interval=0)
    return Outbox(log, channels, Templates.load(), base_delay=timedelta(minutes=5))


def alerts_of(log: EventLog, rule: str) -> list[Any]:
    return [ev for ev in log.read(types=[ALERT_RAISED]) if ev.payload["rule"] == rule]


def statuses(log: EventLog, rule: str) -> list[str]:
    with log.engine.connect() as conn:
        seqs = [a.seq for a in alerts_of(log, rule)]
        return [row.status for rows in for_alerts(conn, seqs).values() for row in rows]


# -- digests ------------------------------------------------------------------------


def test_a_digest_rule_sends_its_alerts_as_one_email_at_its_time_and_nothing_before(
    tmp_path: Path, store: Callable[[], EventLog], smtp: SmtpSink
) -> None:
    log = store()
    replay([SEEDS], load_watchlists(watchlists_with(tmp_path, TOKYO_8AM)), log)
    nk_alerts = alerts_of(log, NK)
    assert len(nk_alerts) == 3
    box = outbox(log, smtp.url)
    box.queue()

    queued = [NotificationQueued.from_event(e) for e in log.read(types=[NOTIFICATION_QUEUED])]
    digest_times = {q.digest for q in queued if q.rule == NK}
    (when,) = digest_times  # one digest for the three
    assert when is not None and when.astimezone(UTC).hour == 23  # 08:00 in Tokyo
    assert {q.digest for q in queued if q.rule == SUMMIT} == {None}

    now = nk_alerts[-1].time
    assert box.deliver(now=now) == 3  # the summit alerts, each at once
    assert not any(NK in s for s in smtp.subjects())
    assert box.deliver(now=when - timedelta(seconds=1)) == 0  # not a second early

    assert box.deliver(now=when) == 3  # three notifications, one message
    assert len(smtp.messages) == 4
    subject = smtp.subjects()[-1]
    assert f"{NK}: 3 alerts" in subject and "08:00 JST" in subject
    body = smtp.messages[-1].get_body(("plain",))
    assert body is not None
    text = body.get_content()
    # each alert by its number (the n-th raised in this store) and its position in the log
    raised = [e.seq for e in log.read(0, types=[ALERT_RAISED])]
    for alert in nk_alerts:
        assert alert.payload["title"][:40] in text
        assert f"alert {raised.index(alert.seq) + 1} (#{alert.seq} in the log)" in text
    assert statuses(log, NK) == ["sent"] * 3
    assert box.deliver(now=when + timedelta(days=1)) == 0  # sent once


def test_the_web_page_names_a_rule_s_digest_schedule(tmp_path: Path) -> None:
    watchlists = load_watchlists(watchlists_with(tmp_path, TOKYO_8AM))
    with open_log("sqlite://") as log:
        rules = {r["rule"]: r for r in views.rules(Monitor(log), watchlists)}
    assert rules[NK]["digest"] == "every 1d at 08:00 Asia/Tokyo"
    assert rules[SUMMIT]["digest"] is None


def test_a_digest_waiting_when_the_process_dies_is_sent_after_the_restart(
    tmp_path: Path, store: Callable[[], EventLog], smtp: SmtpSink
) -> None:
    log = store()
    replay([SEEDS], load_watchlists(watchlists_with(tmp_path, TOKYO_8AM)), log)
    outbox(log, smtp.url).queue()
    when = max(r.digest for r in _rows(log) if r.digest is not None)
    log.close()  # the process is gone; the queued digest lives in the log

    again = store()
    box = outbox(again, smtp.url)
    box.deliver(now=datetime.fromisoformat(when))
    assert sum(NK in s for s in smtp.subjects()) == 1
    assert f"{NK}: 3 alerts" in [s for s in smtp.subjects() if NK in s][0]


def test_a_failed_digest_is_retried_as_one_message(
    tmp_path: Path, store: Callable[[], EventLog], smtp: SmtpSink
) -> None:
    log = store()
    replay([SEEDS], load_watchlists(watchlists_with(tmp_path, TOKYO_8AM)), log)
    down = outbox(log, f"mailto://u:p@127.0.0.1:{free_port()}?from=m@example.org&to=a@example.org")
    down.queue()
    when = datetime.fromisoformat(max(r.digest for r in _rows(log) if r.digest is not None))
    down.deliver(now=when)
    rows = [r for r in _rows(log) if r.rule == NK]
    assert {(r.status, r.attempts) for r in rows} == {("failed", 1)}
    assert len({r.next_attempt for r in rows}) == 1  # failed together, retried together

    up = outbox(log, smtp.url)
    retry_at = datetime.fromisoformat(rows[0].next_attempt or "")
    assert up.deliver(now=retry_at) == 6  # the summit alerts, and the digest of three
    assert sum(NK in s for s in smtp.subjects()) == 1


def _rows(log: EventLog) -> list[Any]:
    from monitor.notify.projection import OutboxRow

    with log.engine.connect() as conn:
        return [OutboxRow.model_validate(dict(r._mapping)) for r in conn.execute(OUTBOX.select())]


@pytest.mark.parametrize(
    ("schedule", "moment", "expected"),
    [
        # 08:00 in Tokyo is 23:00 UTC the day before
        ({"at": "08:00", "timezone": "Asia/Tokyo"}, "2026-11-28T05:00", "2026-11-28T23:00"),
        ({"at": "08:00", "timezone": "Asia/Tokyo"}, "2026-11-28T23:00", "2026-11-29T23:00"),
        # every 6 h from 08:00 Berlin: 02:00, 08:00, 14:00, 20:00 on Berlin's clocks
        ({"every": "6h", "at": "08:00", "timezone": "Europe/Berlin"}, "2026-01-10T13:30", "2026-01-10T19:00"),
        # 08:00 Berlin stays 08:00 there across the change to summer time (UTC+1 → UTC+2)
        ({"at": "08:00", "timezone": "Europe/Berlin"}, "2026-03-28T08:00", "2026-03-29T06:00"),
        ({"every": "1h"}, "2026-05-01T10:59:59", "2026-05-01T11:00"),
    ],
)  # fmt: skip
def test_digest_times_follow_the_clocks_of_their_time_zone(
    schedule: dict[str, str], moment: str, expected: str
) -> None:
    at = datetime.fromisoformat(moment).replace(tzinfo=UTC)
    got = DigestSchedule.parse(schedule).next_after(at)
    assert got == datetime.fromisoformat(expected).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        ("digest:\n  every: 7h\n", "digest: every: 7h does not divide a day"),
        ("digest:\n  timezone: Asia/Tokio\n", "unknown time zone 'Asia/Tokio'"),
        ("digest:\n  at: 25:00\n", "digest: at: write the time in quotes"),
        ('digest:\n  at: "8 am"\n', "'8 am' is not a time of day"),
        ("digest:\n  every: 1d\n  hour: 8\n", "digest.hour: unknown key"),
        ('digest:\n  at: "08:00:00.5"\n', "whole seconds at most"),
    ],
)
def test_a_bad_digest_is_refused_with_its_file_and_line(
    tmp_path: Path, yaml: str, message: str
) -> None:
    directory = watchlists_with(tmp_path, yaml)
    with pytest.raises(WatchlistError) as caught:
        load_watchlists(directory)
    assert message in str(caught.value)
    assert f"{NK}.yaml:" in str(caught.value)


def test_a_template_directory_without_digest_files_uses_the_shipped_ones(tmp_path: Path) -> None:
    own = tmp_path / "templates" / "default"
    own.mkdir(parents=True)
    shipped = Templates.load().directory / "default"
    for part in ("subject.txt", "body.txt", "body.html", "slack.md"):
        shutil.copy(shipped / part, own / part)
    templates = Templates.load(own.parent)
    payload = {"rule": NK, "title": "Talks", "source": "s", "item": "i"}
    at = datetime(2026, 1, 1, 23, tzinfo=UTC)
    tokyo = DigestSchedule(at=time(8), timezone="Asia/Tokyo")
    rendered = templates.render_digest([(payload, 3, at)], time=at, schedule=tokyo)
    assert rendered.subject == f"[monitor] {NK}: 1 alert, digest of 2026-01-02 08:00 JST"

    (own / "digest-body.txt").write_text("{{ alert.title }}\n")  # an alert's name in a digest
    with pytest.raises(TemplateError, match="unknown variable 'alert'"):
        Templates.load(own.parent)


# -- mutes --------------------------------------------------------------------------


def mute(log: EventLog, rule: str, hours: float = 2, reason: str = "drill week") -> RuleMuted:
    now = datetime.now(UTC)
    muted = RuleMuted(rule, now, now + timedelta(hours=hours), reason, "tester")
    log.append([muted.to_event()])
    return muted


def test_alerts_of_a_muted_rule_are_recorded_and_shown_as_muted_not_sent(
    store: Callable[[], EventLog], smtp: SmtpSink, shipped: Watchlists
) -> None:
    log = store()
    mute(log, NK)
    replay([SEEDS], shipped, log)
    box = outbox(log, smtp.url)
    assert box.queue() == 3  # three to send; the three muted are recorded, not counted
    assert len(list(log.read(types=[NOTIFICATION_MUTED]))) == 3  # every alert has a record
    assert box.deliver() == 3
    subjects = smtp.subjects()
    assert len(subjects) == 3 and all(SUMMIT in s for s in subjects)
    assert len(alerts_of(log, NK)) == 3  # raised all the same: the story is known
    assert statuses(log, NK) == ["muted"] * 3
    muted = list(log.read(types=[NOTIFICATION_MUTED]))
    assert {e.payload["mute"] for e in muted} == {f"mute:{NK}:" + muted_key_time(log)}
    with log.engine.connect() as conn:
        assert summary(conn)["muted"] == 3
    rules = {r["rule"]: r for r in views.rules(Monitor(log), shipped)}
    assert rules[NK]["muted"] == 3 and rules[NK]["mute"]["reason"] == "drill week"
    assert rules[SUMMIT]["muted"] == 0 and rules[SUMMIT]["mute"] is None

    assert box.deliver() == 0  # muted stays muted
    log.rebuild()  # and the read models say so again from the log alone
    assert statuses(log, NK) == ["muted"] * 3


def muted_key_time(log: EventLog) -> str:
    (ev,) = log.read(types=["RuleMuted"])
    return str(ev.payload["starts"])


def test_a_mute_applies_to_alerts_raised_after_it_and_before_it_ends(
    store: Callable[[], EventLog], smtp: SmtpSink, shipped: Watchlists
) -> None:
    """Decided by the log's order: a mute recorded after an alert, or ended before it, does not
    mute it, however late the outbox gets to the alert."""
    log = store()
    replay([SEEDS], shipped, log)  # raised before any mute
    mute(log, NK)  # recorded before the outbox queued them: still too late
    box = outbox(log, smtp.url)
    box.queue()
    assert statuses(log, NK) == ["queued"] * 3


def test_a_mute_covers_the_alerts_recorded_after_it_whatever_their_times(
    store: Callable[[], EventLog], smtp: SmtpSink, shipped: Watchlists
) -> None:
    """An alert's time is its article's observation: articles observed before the mute and
    decided after it are muted, and so are alerts after a mute whose host's clock runs ahead."""
    log = store()
    observe(log, [normalize(r) for r in iter_fixture_dir(SEEDS, "seeds")])  # observed first
    ahead = datetime.now(UTC) + timedelta(minutes=5)  # recorded by a host five minutes ahead
    log.append([RuleMuted(NK, ahead, ahead + timedelta(hours=2), "drill", "ops").to_event()])
    RuleEngine(log, shipped).run()  # the alerts are recorded after the mute
    outbox(log, smtp.url).queue()
    assert statuses(log, NK) == ["muted"] * 3


def test_an_alert_whose_digest_zone_this_host_lacks_is_sent_at_once(
    store: Callable[[], EventLog], smtp: SmtpSink
) -> None:
    """Neither the queue nor the alert stalls on a zone another host's tzdata had."""
    log = store()
    payload = {
        "rule": NK,
        "source": "s",
        "item": "i",
        "title": "Talks",
        "digest": {"every": "1d", "at": "08:00", "timezone": "Mars/Olympus_Mons"},
    }
    log.append([NewEvent(ALERT_RAISED, f"rule:{NK}", "outcome:test:1", payload)])
    box = outbox(log, smtp.url)
    assert box.queue() == 1
    assert box.deliver() == 1 and len(smtp.messages) == 1


def test_an_unmuted_rule_is_sent_again(
    store: Callable[[], EventLog], smtp: SmtpSink, shipped: Watchlists
) -> None:
    log = store()
    muted = mute(log, NK)
    log.append([RuleUnmuted(muted.key, NK, "drill over", "tester").to_event()])
    replay([SEEDS], shipped, log)
    box = outbox(log, smtp.url)
    box.queue()
    assert box.deliver() == 6


def test_an_expired_mute_mutes_nothing(
    store: Callable[[], EventLog], smtp: SmtpSink, shipped: Watchlists
) -> None:
    log = store()
    long_ago = datetime.now(UTC) - timedelta(hours=3)
    log.append([RuleMuted(NK, long_ago, long_ago + timedelta(hours=2)).to_event()])
    replay([SEEDS], shipped, log)
    box = outbox(log, smtp.url)
    box.queue()
    assert statuses(log, NK) == ["queued"] * 3


def test_mute_unmute_and_mutes_commands(
    tmp_path: Path, cli: Callable[..., Any], shipped: Watchlists
) -> None:
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    typo = cli("mute", NK, "--for", "2h", "--store", url, cwd=tmp_path)
    assert typo.returncode == 1 and "no event log at" in typo.stderr  # a mistyped --store: refused
    assert not (tmp_path / "monitor.db").exists()
    open_log(url).close()  # the daemon's store
    bad = cli("mute", "nk-russia", "--for", "2h", "--store", url, cwd=tmp_path)
    assert bad.returncode == 1 and "no enabled rule 'nk-russia'" in bad.stderr

    done = cli("mute", NK, "--for", "2h", "--reason", "drill week", "--store", url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"muted {NK} until" in done.stdout
    listed = cli("mutes", "--store", url, cwd=tmp_path)
    assert NK in listed.stdout and "MUTED" in listed.stdout and "drill week" in listed.stdout

    with open_log(url) as log:
        replay([SEEDS], shipped, log)
        Outbox(log, build_channels({}), Templates.load()).queue()
    shown = cli("alerts", "--rule", NK, "--store", url, cwd=tmp_path)
    assert shown.stdout.count("MUTED") == 3 and f"rule muted by mute:{NK}:" in shown.stdout
    status = cli("status", "--store", url, "--format", "json", cwd=tmp_path)
    assert '"muted": 3' in status.stdout and '"reason": "drill week"' in status.stdout

    assert cli("unmute", NK, "--store", url, cwd=tmp_path).returncode == 0
    assert "no mutes in force" in cli("mutes", "--store", url, cwd=tmp_path).stdout
    again = cli("unmute", NK, "--store", url, cwd=tmp_path)
    assert again.returncode == 1 and f"{NK} is not muted" in again.stderr
    assert "ended" in cli("mutes", "--all", "--store", url, cwd=tmp_path).stdout


# -- read models whose tables changed -----------------------------------------------


#: the outbox table as the version before digests and mutes created it
OLD_OUTBOX = """
    CREATE TABLE outbox (notification VARCHAR(1000) NOT NULL PRIMARY KEY,
      alert_seq BIGINT NOT NULL, alert_key TEXT NOT NULL, rule VARCHAR(200) NOT NULL,
      channel VARCHAR(200) NOT NULL, template VARCHAR(200), status VARCHAR(16) NOT NULL,
      attempts INTEGER NOT NULL, round INTEGER NOT NULL, next_attempt VARCHAR(32),
      last_error TEXT, updated VARCHAR(32) NOT NULL);
"""


@pytest.mark.parametrize(
    "versions",
    [
        # a store written by the previous version: no versions recorded
        "DELETE FROM read_models;",
        # the previous version's `monitor rebuild` on an upgraded store: old columns, version 2
        "",
    ],
    ids=["from-before-versions", "recreated-by-an-older-rebuild"],
)
def test_an_outbox_without_the_digest_and_mute_columns_is_rebuilt_when_opened(
    tmp_path: Path, versions: str
) -> None:
    path = tmp_path / "monitor.db"
    url = f"sqlite:///{path}"
    with open_log(url) as log:
        log.append([NotificationQueued(1, "outcome:x", NK, "team-email").to_event()])
    db = sqlite3.connect(path)
    db.executescript("DROP TABLE outbox;" + versions + OLD_OUTBOX)
    db.close()
    with open_log(url) as log, log.engine.connect() as conn:
        assert summary(conn)["queued"] == 1  # rebuilt from the log, new columns and all
        version = "SELECT version FROM read_models WHERE name = 'outbox'"
        assert conn.exec_driver_sql(version).scalar_one() == 2


def test_processes_opening_an_old_store_together_all_open_it(tmp_path: Path) -> None:
    """On SQLite the first open after an upgrade writes (tables, versions): each waits its turn."""
    path = tmp_path / "monitor.db"
    url = f"sqlite:///{path}"
    with open_log(url) as log:
        log.append([NotificationQueued(1, "outcome:x", NK, "team-email").to_event()])
    db = sqlite3.connect(path)
    db.executescript("DROP TABLE read_models; DROP TABLE mutes; DROP TABLE source_checks;")
    db.close()
    code = (
        "import sys; from monitor.wiring import open_log; "
        "open_log(sys.argv[1], create=False).close(); print('opened')"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, url], stdout=subprocess.PIPE, text=True)
        for _ in range(5)
    ]
    outs = [p.communicate(timeout=60)[0] for p in procs]
    assert [p.returncode for p in procs] == [0] * 5 and outs == ["opened\n"] * 5


def test_the_web_page_api_and_metrics_show_a_muted_rule_and_its_muted_alerts(
    store: Callable[[], EventLog], shipped: Watchlists
) -> None:
    log = store()
    mute(log, NK, reason="drill week")
    replay([SEEDS], shipped, log)
    Outbox(log, build_channels({}), Templates.load()).run()
    config = Config.model_validate({"watchlists": str(WATCHLISTS), "sources": []})
    context = WebContext(
        events=log,
        config=lambda: config,
        watchlists=lambda: shipped,
        health=lambda: {"healthy": True, "reason": ""},
        polls=dict,
    )
    web = WebServer(context, WebConfig(listen="127.0.0.1:0"))
    web.start()
    try:
        with httpx.Client(base_url=web.url, timeout=10) as client:
            page = client.get("/").text
            rules = {r["rule"]: r for r in client.get("/api/rules").json()["rules"]}
            alerts = client.get("/api/alerts").json()["alerts"]
            metrics = client.get("/metrics").text
    finally:
        assert web.stop(5)
    row = page[page.index('id="rule-north-korea-russia"') :].split("</tr>")[0]
    assert "muted until" in row and "drill week" in row
    assert rules[NK]["muted"] == 3 and rules[NK]["mute"]["by"] == "tester"
    nk = [a for a in alerts if a["rule"] == NK]
    assert nk and all(d["status"] == "muted" for a in nk for d in a["deliveries"])
    assert all(d["note"].startswith("rule muted by mute:") for a in nk for d in a["deliveries"])
    families = {f.name: f for f in text_string_to_metric_families(metrics)}
    muted_until = families["monitor_rule_muted_until_timestamp_seconds"].samples
    assert [s.labels["rule"] for s in muted_until] == [NK]
    deliveries = families["monitor_deliveries"].samples
    assert any(s.labels.get("result") == "muted" and s.value == 3 for s in deliveries)


def test_absurd_durations_are_refused_and_plain_seconds_taken(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    """``--for 99999999d`` and ``--since 99999999d`` raised OverflowError; ``--for 1`` was
    refused though plain seconds are documented."""
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    open_log(url).close()
    absurd = cli("mute", NK, "--for", "99999999d", "--store", url, cwd=tmp_path)
    assert absurd.returncode == 2 and "longer than a century" in absurd.stderr
    assert "Traceback" not in absurd.stderr
    since = cli("backtest", "--store", url, "--since", "99999999d", cwd=tmp_path)
    assert since.returncode == 2 and "longer than a century" in since.stderr
    assert "Traceback" not in since.stderr
    seconds = cli("mute", NK, "--for", "1", "--store", url, cwd=tmp_path)
    assert seconds.returncode == 0, seconds.stderr
