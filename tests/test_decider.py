"""The rules' decision as a pure function: rule state plus articles in, outcomes out.

No store anywhere here: :class:`~monitor.rules.decider.Decider` is given
articles and the alerts it should remember, and returns the outcome events a
log consumer would append. The texts are written for these tests (leaders in
office in March 2026: Sanae Takaichi and Lee Jae Myung).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.article import Article, RawItem
from monitor.events import ALERT_RAISED, ALERT_SUPPRESSED, Outcome
from monitor.normalize import normalize
from monitor.rules.decider import Decider
from monitor.rules.watchlist import Watchlists

PUBLISHED = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
RULE = "japan-korea-summit"


def summit(item: str, published: datetime, body: str) -> tuple[str, Article]:
    raw = RawItem("feed", item, body, published=published)
    return item, normalize(raw)


FIRST = summit(
    "a",
    PUBLISHED,
    "Lee and Takaichi meet in Nara\n\nSouth Korean President Lee Jae Myung and Japanese "
    "Prime Minister Sanae Takaichi met in Nara on Tuesday for their third summit.\n",
)
REPEAT = summit(
    "b",
    PUBLISHED + timedelta(hours=5),
    "Leaders pledge closer ties in Nara\n\nPresident Lee Jae Myung and Prime Minister Sanae "
    "Takaichi met in Nara on Tuesday, officials said.\n",
)


def decide(decider: Decider, item: tuple[str, Article], seq: int) -> list[tuple[str, str | None]]:
    key, article = item
    events = decider.decide(article, key=f"obs:{key}", seq=seq, time=PUBLISHED)
    mine = [e for e in events if e.payload["rule"] == RULE]
    return [(e.type, e.payload.get("reason")) for e in mine]


def test_a_report_raises_and_its_repeat_is_suppressed_without_a_store(shipped: Watchlists) -> None:
    decider = Decider(shipped)
    assert decide(decider, FIRST, 2) == [(ALERT_RAISED, None)]
    assert decide(decider, REPEAT, 4) == [(ALERT_SUPPRESSED, "same story")]


def test_what_it_remembers_is_what_it_is_told_or_decided(shipped: Watchlists) -> None:
    """An alert raised elsewhere (another process, before a restart) is learnt from its
    event; forgetting drops everything, as after a failed append."""
    first = Decider(shipped)
    events = first.decide(FIRST[1], key="obs:a", seq=2, time=PUBLISHED)
    alert = next(e for e in events if e.type == ALERT_RAISED and e.payload["rule"] == RULE)

    second = Decider(shipped)  # a fresh process: it knows the alert only from the log
    second.learn_alert(Outcome.from_payload(alert.payload), alert.key, PUBLISHED)
    assert decide(second, REPEAT, 4) == [(ALERT_SUPPRESSED, "same story")]
    second.forget()
    assert decide(second, REPEAT, 4) == [(ALERT_RAISED, None)]
