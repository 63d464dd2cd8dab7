"""A digest and a mute driven end to end: ``monitor run``, a feed server, a real SMTP server.

The digest's time is set a few seconds ahead (``at`` takes seconds), so the
test waits for a real digest time instead of a faked clock; the daemon is
killed with -9 while the digest waits, to show it is not lost.
"""

from __future__ import annotations

import shutil
import signal
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from conftest import WATCHLISTS
from feedserver import Entry, FeedServer, rss
from smtpsink import SmtpSink
from test_daemon_e2e import (
    Daemon,
    feed_source,
    seed_entries,
    settled,
    wait_for,
    write_config,
)

from monitor.wiring import open_log

NK = "north-korea-russia"
SUMMIT = "japan-korea-summit"


def config_with(tmp_path: Path, feed: str, smtp: SmtpSink, nk_extra: str = "") -> Path:
    watchlists = tmp_path / "watchlists"
    shutil.copytree(WATCHLISTS, watchlists)
    rule = watchlists / f"{NK}.yaml"
    rule.write_text(rule.read_text() + "\n" + nk_extra)
    config = write_config(tmp_path / "monitor.toml", feed_source("world", feed), smtp)
    text = config.read_text().replace(f'"{WATCHLISTS}"', f'"{watchlists}"')
    config.write_text(text)
    return config


def counter(tmp_path: Path) -> Callable[[str], int]:
    """How many events of a type the test's store holds (read while the daemon runs)."""

    def recorded(type_: str) -> int:
        with open_log(f"sqlite:///{tmp_path / 'monitor.db'}", create=False) as log:
            return log.count(0, types=[type_])

    return recorded


def test_a_digest_waits_for_its_time_survives_kill_9_and_arrives_once(
    tmp_path: Path, feed_server: FeedServer, smtp: SmtpSink, daemons: list[Daemon]
) -> None:
    at = datetime.now(UTC) + timedelta(seconds=15)  # time enough to raise and queue, even loaded
    digest = f'digest:\n  every: 1d\n  at: "{at:%H:%M:%S}"\n  timezone: UTC\n'
    feed_server.set_feed("/world.xml", rss(seed_entries()))
    config = config_with(tmp_path, feed_server.url("/world.xml"), smtp, digest)

    d = Daemon(config, tmp_path).start()
    daemons.append(d)
    wait_for(lambda: len(smtp.messages) >= 3, 20, "the summit alerts, sent at once")
    assert all(SUMMIT in s for s in smtp.subjects())
    recorded = counter(tmp_path)
    # the three sends recorded (a kill between a send and its record resends it: at least once)
    wait_for(lambda: recorded("NotificationSent") == 3, 10, "the summit sends recorded")
    wait_for(lambda: recorded("NotificationQueued") == 6, 10, "the digest's notifications")
    d.send(signal.SIGKILL)  # the digest is queued in the log, not yet due
    assert d.proc is not None and d.proc.wait(10) == -signal.SIGKILL
    assert datetime.now(UTC) < at, "the machine was too slow to test before the digest's time"
    assert len(smtp.messages) == 3

    time.sleep(max(0.0, (at - datetime.now(UTC)).total_seconds()) + 1)
    d.start()  # after the digest's time: sent on the first delivery pass
    wait_for(lambda: len(smtp.messages) >= 4, 20, "the digest")
    wait_for(lambda: settled(tmp_path / "monitor.db"), 20, "the pipeline idle")
    subjects = smtp.subjects()
    assert len(subjects) == 4
    assert f"{NK}: 3 alerts, digest of {at:%Y-%m-%d %H:%M} UTC" in subjects[-1]
    assert d.stop() == 0


NEW_LINK = Entry(
    "Pyongyang and Moscow sign a grain deal",
    "https://news.example.org/grain",
    "<p>North Korea and Russia signed a grain supply agreement in Pyongyang on Monday.</p>",
    datetime.now(UTC),
    id="grain",
)


def test_a_muted_rule_is_recorded_not_mailed_and_mailed_again_once_unmuted(
    tmp_path: Path,
    feed_server: FeedServer,
    smtp: SmtpSink,
    daemons: list[Daemon],
    cli: Callable[..., Any],
) -> None:
    feed_server.set_feed("/world.xml", rss(seed_entries()))
    config = config_with(tmp_path, feed_server.url("/world.xml"), smtp)
    open_log(f"sqlite:///{tmp_path / 'monitor.db'}").close()  # the store the daemon keeps
    muted = cli("--config", str(config), "mute", NK, "--for", "2h", "--reason", "drill week")
    assert muted.returncode == 0, muted.stderr

    d = Daemon(config, tmp_path).start()
    daemons.append(d)
    wait_for(lambda: len(smtp.messages) >= 3, 20, "the summit alerts")
    recorded = counter(tmp_path)
    wait_for(lambda: recorded("NotificationMuted") == 3, 10, "the muted alerts recorded")
    wait_for(lambda: settled(tmp_path / "monitor.db"), 20, "the pipeline idle")
    assert len(smtp.messages) == 3 and all(SUMMIT in s for s in smtp.subjects())
    shown = cli("--config", str(config), "alerts", "--rule", NK)
    assert shown.stdout.count("team-email MUTED") == 3, shown.stdout

    # unmuted while the daemon runs: the next alert of the rule is mailed
    assert cli("--config", str(config), "unmute", NK).returncode == 0
    feed_server.set_feed("/world.xml", rss([*seed_entries(), NEW_LINK]))
    wait_for(lambda: len(smtp.messages) >= 4, 20, "the alert raised after the unmute")
    assert NK in smtp.subjects()[-1] and "grain deal" in smtp.subjects()[-1]
    wait_for(lambda: settled(tmp_path / "monitor.db"), 20, "the pipeline idle")
    assert len(smtp.messages) == 4  # the muted three are never sent
    assert d.stop() == 0
