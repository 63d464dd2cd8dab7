"""One clock (``monitor.clock``): the log stamps with it and its writers read it.

A test that fixes the log's clock fixes what the rule engine, the outbox and
the checkpoints see, with no sleeping and no patched module globals.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import WATCHLISTS

from monitor.article import RawItem
from monitor.normalize import normalize
from monitor.notify.channels import ConsoleChannel
from monitor.notify.outbox import Outbox
from monitor.notify.templates import Templates
from monitor.replay import observe
from monitor.rules.engine import RuleEngine
from monitor.rules.watchlist import load_watchlists
from monitor.store.schema import CHECKPOINTS
from monitor.wiring import open_log

T = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)


class Steps:
    """A clock that moves only when told."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def test_the_log_its_engine_and_its_outbox_read_one_clock() -> None:
    clock = Steps(T)
    item = RawItem(
        "f",
        "a",
        "Kim Jong Un meets Putin\n\nKim Jong Un met Vladimir Putin in Moscow on Tuesday.\n",
        published=T - timedelta(hours=2),
    )
    with open_log("sqlite://", now=clock) as log:
        observe(log, [normalize(item, T)])
        clock.at = T + timedelta(minutes=1)
        RuleEngine(log, load_watchlists(WATCHLISTS)).run()
        clock.at = T + timedelta(minutes=2)
        outbox = Outbox(log, {"console": ConsoleChannel(fallback=True)}, Templates.load())
        assert outbox.queue() >= 1
        clock.at = T + timedelta(minutes=3)
        outbox.deliver()
        times = {e.type: e.time for e in log.read()}
        with log.engine.connect() as conn:
            updated = {r.consumer: r.updated for r in conn.execute(CHECKPOINTS.select())}
    assert times["ArticleObserved"] == T
    assert times["AlertRaised"] == T  # an outcome is timed at its article's observation
    assert times["NotificationQueued"] == T + timedelta(minutes=2)
    assert times["NotificationSent"] == T + timedelta(minutes=3)
    assert updated["rules"].startswith("2031-05-06T07:09:09")
