"""The event catalogue (``monitor.events``): payloads, old shapes, type names, key formats.

Payloads are hashed into the chain and keys decide idempotency on stores
already written, so both are pinned here: a record must write exactly what
the code wrote before it existed, read what every earlier version stored,
and build the same keys.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import re
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from monitor.app import Monitor
from monitor.article import Article, RawItem
from monitor.events import (
    ALERT_RAISED,
    ALERT_SUPPRESSED,
    CATALOGUE,
    EVENT_TYPES,
    ArticleHead,
    ArticleObserved,
    DaemonStarted,
    DaemonStopped,
    DuplicateOf,
    FeedFetch,
    LinkEvidence,
    MatchedSpan,
    NewEvent,
    NotificationDeadLettered,
    NotificationFailed,
    NotificationMuted,
    NotificationQueued,
    NotificationRetried,
    NotificationSent,
    Outcome,
    Record,
    RuleFailed,
    RuleMuted,
    RuleUnmuted,
    SourceFailed,
    SourcePolled,
    StoredEvent,
    WatchlistsLoaded,
    catalogue_table,
    decode,
    names,
)
from monitor.normalize import normalize
from monitor.notify.channels import ConsoleChannel
from monitor.notify.outbox import Outbox
from monitor.notify.templates import Templates
from monitor.replay import replay
from monitor.rules.watchlist import Watchlists
from monitor.schedules import DigestSchedule
from monitor.sources.http import FeedConfig, FetchResult
from monitor.sources.poll import SourceState, decide
from monitor.store.projections import ReadModels
from monitor.store.schema import canonical_json
from monitor.wiring import open_log

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
ART = Article(
    source="seeds",
    item_id="000_a.txt",
    title="Kim meets Putin",
    paragraphs=("Kim Jong Un met Vladimir Putin.", "They talked."),
    content_hash="c0ffee",
    url="https://example.org/1",
    published=T0,
    furniture=("Related Stories",),
    lead_end=1,
    truncated=("title",),
)
ART_KEY = "article:seeds:000_a.txt:c0ffee"
FETCH = FeedFetch("https://example.org/feed2", '"e1"', "Sat, 01 Mar 2025 10:00:00 GMT", 123, 4567)
NOTE = "notify:outcome:nk:article:seeds:000_a.txt:c0ffee:console"
MUTE = "mute:nk:2025-03-01T12:00:00+00:00"

#: one record of every type, every field set (the type → record table is the catalogue's)
SAMPLES: dict[str, Record] = {
    names.ARTICLE_OBSERVED: ArticleObserved(ART),
    names.SOURCE_POLLED: SourcePolled(
        "news", "https://example.org/feed", 200, 3, "ab" * 32, True, FETCH
    ),
    names.SOURCE_FAILED: SourceFailed(
        "news", "https://example.org/feed", "https://example.org/f2", "HTTP 503", 503, 2, T0
    ),
    names.WATCHLISTS_LOADED: WatchlistsLoaded("v1", "/w", {"a.yaml": "ff"}, ("nk", "summit")),
    names.ALERT_RAISED: Outcome(
        rule="summit",
        source="seeds",
        item="000_a.txt",
        outcome="raised",
        severity="high",
        watchlists="v1",
        article_seq=7,
        title="Kim meets Putin",
        url="https://example.org/1",
        published=T0.isoformat(),
        story_time=T0,
        key="kim-jong-un|vladimir-putin|?",
        key_parts=("kim-jong-un", "vladimir-putin", "?"),
        event_days=(date(2025, 2, 27), date(2025, 2, 28)),
        dated={"words": "on Friday", "date": "2025-02-28", "tense": "past", "status": "new"},
        evidence=("Kim Jong Un met Vladimir Putin.",),
        links=(LinkEvidence("Kim met Putin.", "met", "subject-object", ("Kim", "Putin")),),
        spans=(MatchedSpan("body", 0, 11, "Kim Jong Un"), MatchedSpan("title", 9, 14, "Putin")),
        notify=("console",),
        template="default",
        digest=DigestSchedule(timedelta(hours=12), time(8, 0), "Asia/Tokyo"),
    ),
    names.ALERT_SUPPRESSED: Outcome(
        rule="summit",
        source="seeds",
        item="001_b.txt",
        outcome="suppressed",
        reason="same story",
        article_seq=9,
        story_time=T0,
        duplicate_of=DuplicateOf("outcome:summit:" + ART_KEY, "seeds", "000_a.txt"),
    ),
    names.RULE_FAILED: RuleFailed(7, ART_KEY, "TypeError: boom", "v1"),
    names.NOTIFICATION_QUEUED: NotificationQueued(
        8, "outcome:nk:" + ART_KEY, "nk", "console", "x", digest=T0 + timedelta(hours=20)
    ),
    names.NOTIFICATION_SENT: NotificationSent(NOTE, 8, "nk", "console", 1, 0, detail="printed"),
    names.NOTIFICATION_FAILED: NotificationFailed(
        NOTE,
        8,
        "nk",
        "console",
        2,
        1,
        error="down",
        next_attempt="2025-03-01T12:00:30.000000+00:00",
    ),
    names.NOTIFICATION_DEAD: NotificationDeadLettered(NOTE, 8, "nk", "console", 8, 1, error="down"),
    names.NOTIFICATION_RETRIED: NotificationRetried(NOTE, 8, "nk", "console", 2),
    names.NOTIFICATION_MUTED: NotificationMuted(
        8, "outcome:nk:" + ART_KEY, "nk", "console", MUTE, T0 + timedelta(hours=2)
    ),
    names.RULE_MUTED: RuleMuted("nk", T0, T0 + timedelta(hours=2), "drill week", "ops"),
    names.RULE_UNMUTED: RuleUnmuted(MUTE, "nk", "over early", "ops"),
    names.DAEMON_STARTED: DaemonStarted(4242, "0.1.0"),
    names.DAEMON_STOPPED: DaemonStopped(4242, True),
}


def stored(type_: str, payload: dict[str, Any], key: str = "k") -> StoredEvent:
    return StoredEvent(1, type_, "s", key, T0, payload, "", "")


# -- round trips -------------------------------------------------------------------


def test_every_catalogued_type_has_a_sample_and_nothing_else_is_catalogued() -> None:
    assert set(SAMPLES) == set(EVENT_TYPES) == {t.name for t in CATALOGUE}
    assert len(EVENT_TYPES) == len(set(EVENT_TYPES))
    for entry in CATALOGUE:
        assert entry.name in entry.record.TYPES
        assert isinstance(SAMPLES[entry.name], entry.record)


#: the first 16 hex digits of the SHA-256 of each sample's canonical payload, as every
#: record wrote it before payloads were written by the generic mapper: a stored payload's
#: bytes are in the hash chain, so they must never change
PINNED = {
    "AlertRaised": "bdc240952c18c23a",
    "AlertSuppressed": "da8d63d036393dbf",
    "ArticleObserved": "18acd09cea6bc0c6",
    "DaemonStarted": "e3cb7d16842ab4b6",
    "DaemonStopped": "ef9e14579ab75dde",
    "NotificationDeadLettered": "ef5849bd11c1401d",
    "NotificationFailed": "776f39058a548288",
    "NotificationMuted": "c01de65adbde39b9",
    "NotificationQueued": "0e4a54bc622d9106",
    "NotificationRetried": "01852eb8778ad81d",
    "NotificationSent": "a9ba38d1d5a8a329",
    "RuleFailed": "2f89cdbfdb56d93c",
    "RuleMuted": "05374aa9eee1e04a",
    "RuleUnmuted": "c53666cb3328a4ef",
    "SourceFailed": "fc3784191dd52cdd",
    "SourcePolled": "84a502e156124644",
    "WatchlistsLoaded": "b789a7ac5d906e0a",
}


@pytest.mark.parametrize("type_", EVENT_TYPES)
def test_payload_bytes_are_those_written_before_the_generic_mapper(type_: str) -> None:
    text = canonical_json(SAMPLES[type_].to_payload())
    assert hashlib.sha256(text.encode()).hexdigest()[:16] == PINNED[type_]


def test_the_generic_mapper_reads_old_and_partial_payloads() -> None:
    """Keys added since read as their defaults (or ``ABSENT``); an unset ``OMIT_NONE``
    field is not written; a missing required key is an error naming it."""
    assert "digest" not in NotificationQueued(8, "k", "nk", "console").to_payload()
    sent = {"notification": NOTE, "alert_seq": "8", "rule": "nk", "channel": "c", "attempt": 1}
    assert NotificationSent.from_payload(sent) == NotificationSent(NOTE, 8, "nk", "c", 1, 0)
    assert DaemonStarted.from_payload({"pid": 7}) == DaemonStarted(7, "")
    assert RuleMuted.from_payload(
        {"rule": "nk", "starts": T0.isoformat(), "ends": T0.isoformat(), "by": None}
    ) == RuleMuted("nk", T0, T0)
    first = WatchlistsLoaded.from_payload({"version": "v0"})
    assert first == WatchlistsLoaded("v0", "", {}, ())
    assert first.files is not WatchlistsLoaded.from_payload({"version": "v0"}).files
    with pytest.raises(KeyError, match="attempt"):
        NotificationSent.from_payload({k: v for k, v in sent.items() if k != "attempt"})


@pytest.mark.parametrize("type_", EVENT_TYPES)
def test_every_type_round_trips(type_: str) -> None:
    record = SAMPLES[type_]
    assert record.event_type == type_
    payload = record.to_payload()
    assert type(record).from_payload(payload) == record
    assert type(record).from_payload(payload).to_payload() == payload
    assert decode(stored(type_, payload)) == record


def test_a_record_refuses_an_event_of_another_type() -> None:
    with pytest.raises(ValueError, match="does not hold a RuleFailed"):
        RuleFailed.from_event(stored(ALERT_RAISED, SAMPLES[ALERT_RAISED].to_payload()))
    with pytest.raises(ValueError, match="not an event type of this version"):
        decode(stored("SomethingNew", {}))


def test_the_event_type_decides_raised_or_suppressed() -> None:
    payload = SAMPLES[ALERT_RAISED].to_payload()
    assert Outcome.from_event(stored(ALERT_SUPPRESSED, payload)).outcome == "suppressed"
    assert Outcome.from_event(stored(ALERT_RAISED, payload)).raised


# -- what the writers write is what the records write ---------------------------------


def test_the_engine_outbox_and_decider_write_exactly_the_records_payloads(
    shipped: Watchlists,
) -> None:
    with open_log("sqlite://") as log:
        replay(sorted((ROOT / "seeds").iterdir()), shipped, log)
        channel = ConsoleChannel(file=io.StringIO(), fallback=True)
        Outbox(log, {"console": channel}, Templates.load(), clock=lambda: T0).run(T0)
        events = list(log.read())
    feed = FeedConfig(name="news", url="https://example.org/feed", interval=timedelta(hours=1))
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>A</title>'
        b"<link>https://example.org/1</link><description>Leaders met in Tokyo.</description>"
        b"</item></channel></rss>"
    )
    ok = FetchResult("ok", rss, 200, '"e1"', None, elapsed=0.25, url="https://example.org/f")
    polled, state = decide(feed, SourceState(failures=1), ok, T0)
    down = FetchResult("error", None, 503, None, None, error="HTTP 503", retry_after=60.0)
    failed, _ = decide(feed, state, down, T0 + timedelta(hours=1))
    kinds = {e.type for e in [*events, *polled, *failed]}
    assert kinds >= {
        names.ARTICLE_OBSERVED,
        names.WATCHLISTS_LOADED,
        ALERT_RAISED,
        ALERT_SUPPRESSED,
        names.NOTIFICATION_QUEUED,
        names.NOTIFICATION_SENT,
        names.SOURCE_POLLED,
        names.SOURCE_FAILED,
    }
    for event in [*events, *polled, *failed]:
        assert decode(event).to_payload() == event.payload, event.type


#: A log written by the version before every record was read and written by the generic
#: mapper (``monitor poll`` over the seeds, a feed of two items written for the test served
#: over HTTP, a feed that refuses connections, a console and a dead channel), exported with
#: ``monitor events --format jsonl``.
OLD_LOG = ROOT / "tests" / "data" / "log-0.1-seeds-and-a-feed.jsonl"


def test_a_log_written_before_the_generic_mapper_is_rewritten_to_the_same_hashes() -> None:
    """Every stored event, read into its record and written back by today's mapper, then
    appended in order to a fresh log, gets the hash it was stored with: the payloads'
    bytes are the same, so the chain (and every head file) still verifies."""
    rows = [json.loads(line) for line in OLD_LOG.read_text(encoding="utf-8").splitlines()]
    kinds = {row["type"] for row in rows}
    assert kinds >= {ALERT_RAISED, ALERT_SUPPRESSED, names.SOURCE_POLLED, names.SOURCE_FAILED}
    polls = [row["payload"] for row in rows if row["type"] == names.SOURCE_POLLED]
    assert {"final_url" in p for p in polls} == {True, False}  # a feed's and a directory's
    # with every read model attached: each append is folded into them as the daemon's are
    with open_log("sqlite://", now=lambda: T0) as log:
        for row in rows:
            event = stored(row["type"], row["payload"], row["key"])
            payload = decode(event).to_payload()
            assert canonical_json(payload) == canonical_json(row["payload"]), row["type"]
            time = datetime.fromisoformat(row["time"])
            (again,) = log.append([NewEvent(row["type"], row["stream"], row["key"], payload, time)])
            assert (again.seq, again.hash) == (row["seq"], row["hash"]), row["type"]
        assert log.verify().ok
        app = Monitor(log)
        before = app.alerts(show_all=True, limit=100).rows
        assert app.rebuild() == len(rows)  # and the read models rebuild from it alike
        assert app.alerts(show_all=True, limit=100).rows == before
        assert len([r for r in before if r.outcome == "raised"]) == sum(
            row["type"] == ALERT_RAISED for row in rows
        )


def test_the_outcome_payload_keeps_every_key_the_engine_writes() -> None:
    """The AlertRaised shape, pinned: adding a key is fine, losing or renaming one is not
    (in any order: the stored text is canonical JSON, its keys sorted)."""
    assert set(SAMPLES[ALERT_RAISED].to_payload()) == {
        "rule", "outcome", "reason", "severity", "watchlists", "article_seq", "source",
        "item", "title", "url", "published", "story_time", "key", "key_parts", "event",
        "dated", "evidence", "links", "spans", "duplicate_of", "notify", "template", "digest",
    }  # fmt: skip
    # a rule that sends each alert writes no digest: such payloads are as they were
    assert "digest" not in SAMPLES[ALERT_SUPPRESSED].to_payload()


# -- old payload shapes ---------------------------------------------------------------


def test_outcomes_from_before_links_and_event_dating_load() -> None:
    first_version = {  # what 0.1.0's first engine wrote: no links, event or dated
        "rule": "nk",
        "outcome": "suppressed",
        "reason": "same story",
        "severity": "high",
        "watchlists": "v0",
        "article_seq": 5,
        "source": "seeds",
        "item": "b",
        "title": "T",
        "url": None,
        "published": None,
        "story_time": "2024-11-16T10:00:00+00:00",
        "key": "kim|putin",
        "key_parts": ["kim", "putin"],
        "evidence": ["Kim met Putin."],
        "spans": [{"field": "body", "start": 0, "end": 3, "text": "Kim"}],
        "duplicate_of": {"alert": "outcome:nk:a", "source": "seeds", "item": "a"},
        "notify": None,
        "template": None,
    }
    o = Outcome.from_event(stored(ALERT_SUPPRESSED, first_version))
    assert (o.links, o.event_days, o.dated) == ((), None, None)
    assert o.story_time == datetime(2024, 11, 16, 10, tzinfo=UTC)
    assert o.duplicate_of == DuplicateOf("outcome:nk:a", "seeds", "a")
    assert o.to_payload() == {**first_version, "event": None, "dated": None, "links": []}
    row = ReadModels.outcome_row(stored(ALERT_SUPPRESSED, first_version))
    assert row["_alert_key"] == "outcome:nk:a" and row["matched"] == ["Kim"]


def test_hand_made_alerts_load_with_defaults() -> None:
    """Template samples and test alerts carry only what they show."""
    sparse = Outcome.from_payload(
        {"rule": "r", "severity": None, "source": "s", "item": "i", "spans": [{"text": "Kim"}]}
    )
    assert (sparse.severity, sparse.title, sparse.article_seq, sparse.story_time) == (
        "medium",
        "",
        0,
        None,
    )
    assert sparse.spans == (MatchedSpan("", 0, 0, "Kim"),) and sparse.notify is None
    assert (
        Outcome.from_payload({"rule": "r", "source": "s", "item": "i", "notify": []}).notify == ()
    )
    assert Outcome.from_payload(
        {"rule": "r", "source": "s", "item": "i", "event": {"from": "2025-01-02"}}
    ).event_days == (date(2025, 1, 2), date(2025, 1, 2))


def test_articles_from_before_truncation_was_recorded_load() -> None:
    payload = ART.to_payload()
    del payload["truncated"]
    assert ArticleObserved.from_payload(payload).article == replace(ART, truncated=())


def test_the_read_models_need_only_an_articles_head() -> None:
    """A body the rules cannot read (RuleFailed) still gets its ``articles`` row."""
    payload = {**ART.to_payload(), "paragraphs": None}
    head = ArticleHead.from_event(stored(names.ARTICLE_OBSERVED, payload))
    assert (head.source, head.item, head.content_hash, head.published) == (
        "seeds",
        "000_a.txt",
        "c0ffee",
        T0,
    )
    with pytest.raises(TypeError):
        ArticleObserved.from_payload(payload)


def test_source_failures_from_before_final_url_load() -> None:
    first_version = {
        "source": "dir",
        "url": "/x",
        "error": "boom",
        "http_status": None,
        "failures": 2,
        "retry_at": None,
    }
    failed = SourceFailed.from_payload(first_version)
    assert failed.final_url == "/x" and failed.failures == 2 and failed.retry_at is None


def test_a_fixtures_directory_poll_keeps_its_own_shape() -> None:
    """The poller's directory poll has no HTTP exchange, and none of its keys."""
    payload = {
        "source": "seeds",
        "url": "/srv/seeds",
        "http_status": None,
        "entries": 5,
        "body_sha256": "0123456789abcdef" + "0" * 48,
        "recovered": False,
    }
    polled = SourcePolled.from_payload(payload)
    assert polled.fetch is None and polled.to_payload() == payload
    assert list(polled.to_payload()) == list(payload)
    assert polled.to_event(T0).key == "poll:seeds:0123456789abcdef"  # the poller's key
    assert polled.to_event(T0).time is None


# -- keys and streams, pinned ----------------------------------------------------------


def test_key_builders_produce_the_stored_formats() -> None:
    """Each key as the code before the catalogue wrote it; a change breaks idempotency."""
    at = T0
    assert ArticleObserved(ART).to_event().key == ART_KEY == ArticleObserved(ART).key
    assert names.article_key("s", "i", "h") == "article:s:i:h"
    art = normalize(RawItem("feed", "x/1?a=b", "Title\nBody text here."))
    assert ArticleObserved(art).key == f"article:feed:x/1?a=b:{art.content_hash}"

    polled = SAMPLES[names.SOURCE_POLLED]
    assert isinstance(polled, SourcePolled)
    assert polled.to_event(at).key == 'poll:news:"e1":recovered:2025-03-01T12:00:00+00:00'
    quiet = replace(polled, recovered=False)
    assert quiet.to_event(at).key == 'poll:news:"e1"'
    no_etag = replace(quiet, fetch=replace(FETCH, etag=None))
    assert no_etag.to_event(at).key == "poll:news:abababababababab"
    lm_only = replace(no_etag, body_sha256=None)
    assert lm_only.to_event(at).key == "poll:news:Sat, 01 Mar 2025"
    nothing = replace(lm_only, fetch=replace(FETCH, etag=None, last_modified=None))
    assert nothing.to_event(at).key == "poll:news:none"

    assert names.failure_key("news", 3, at) == "fail:news:3:2025-03-01T12:00:00+00:00"
    assert names.file_failure_key("dir", "/x/a.txt", "not UTF-8") == "fail:dir:/x/a.txt:not UTF-8"
    assert names.file_failure_key("dir", None, "gone") == "fail:dir:None:gone"

    loaded = SAMPLES[names.WATCHLISTS_LOADED]
    assert isinstance(loaded, WatchlistsLoaded)
    assert loaded.to_event(after=12).key == "watchlists:v1:after:12"

    raised = SAMPLES[ALERT_RAISED]
    assert isinstance(raised, Outcome)
    assert raised.to_event(ART_KEY, at).key == "outcome:summit:" + ART_KEY
    assert RuleFailed(7, ART_KEY, "e", None).to_event().key == "rule-failed:" + ART_KEY

    queued = SAMPLES[names.NOTIFICATION_QUEUED]
    assert queued.to_event().key == "notify:outcome:nk:" + ART_KEY + ":console"
    assert SAMPLES[names.NOTIFICATION_SENT].to_event().key == "sent:" + NOTE
    assert SAMPLES[names.NOTIFICATION_FAILED].to_event().key == f"failed:{NOTE}:r1:2"
    assert SAMPLES[names.NOTIFICATION_DEAD].to_event().key == f"dead:{NOTE}:r1"
    assert SAMPLES[names.NOTIFICATION_RETRIED].to_event().key == f"retried:{NOTE}:r2"
    muted = SAMPLES[names.NOTIFICATION_MUTED].to_event()
    assert muted.key == "muted:outcome:nk:" + ART_KEY + ":console"
    mute = SAMPLES[names.RULE_MUTED].to_event()
    assert mute.key == MUTE and mute.time == T0  # timed at its start
    assert SAMPLES[names.RULE_UNMUTED].to_event().key == "unmute:" + MUTE

    started = DaemonStarted(4242, "0.1.0").to_event(at)
    assert started.key == "DaemonStarted:4242:2025-03-01T12:00:00+00:00" and started.time is None
    assert DaemonStopped(1, False).to_event(at).key == "DaemonStopped:1:2025-03-01T12:00:00+00:00"


def test_streams() -> None:
    streams = {t: SAMPLES[t].stream for t in EVENT_TYPES}
    assert streams == {
        names.ARTICLE_OBSERVED: "source:seeds",
        names.SOURCE_POLLED: "source:news",
        names.SOURCE_FAILED: "source:news",
        names.WATCHLISTS_LOADED: "watchlists",
        ALERT_RAISED: "rule:summit",
        ALERT_SUPPRESSED: "rule:summit",
        names.RULE_FAILED: "rules",
        names.NOTIFICATION_QUEUED: "notify:console",
        names.NOTIFICATION_SENT: "notify:console",
        names.NOTIFICATION_FAILED: "notify:console",
        names.NOTIFICATION_DEAD: "notify:console",
        names.NOTIFICATION_RETRIED: "notify:console",
        names.NOTIFICATION_MUTED: "notify:console",
        names.RULE_MUTED: "rule:nk",
        names.RULE_UNMUTED: "rule:nk",
        names.DAEMON_STARTED: "daemon",
        names.DAEMON_STOPPED: "daemon",
    }


# -- one catalogue ------------------------------------------------------------------------

MONITOR = ROOT / "monitor"
NAMES_MODULE = MONITOR / "events" / "names.py"
CAMEL_CASE = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+")
#: what an event type looks like, so a new one written outside the catalogue is caught
LOOKS_LIKE_A_TYPE = (
    "Article",
    "Alert",
    "Source",
    "Notification",
    "Daemon",
    "Rule",
    "Watchlist",
    "Poll",
    "Outcome",
    "Story",
)


def _type_literals(path: Path) -> list[tuple[int, str]]:
    """String literals in ``path`` that name an event type, or stand where one stands.

    Where one stands: the type of a ``NewEvent`` / ``StoredEvent``, a
    comparison with ``….type``, a ``types=`` argument. Names like an event
    type (``AlertRaised``, ``SourceBlocked``) count wherever they appear.
    """
    found: list[tuple[int, str]] = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exported = {  # ``__all__`` names Python objects (a record class is named like its type)
        id(elt)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
        and isinstance(node.value, ast.List | ast.Tuple)
        for elt in node.value.elts
    }

    def literal(node: ast.AST) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.List | ast.Tuple | ast.Set):
            for elt in node.elts:
                literal(elt)

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            callee = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if callee in ("NewEvent", "StoredEvent") and node.args:
                literal(node.args[0 if callee == "NewEvent" else 1])
            for kw in node.keywords:
                if kw.arg in ("type", "types", "type_"):
                    literal(kw.value)
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and s.attr == "type" for s in sides):
                for side in sides:
                    literal(side)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in exported
        ):
            text = node.value
            if text.startswith(LOOKS_LIKE_A_TYPE) and CAMEL_CASE.fullmatch(text):
                found.append((node.lineno, text))
    return sorted(set(found))


def test_every_type_used_in_monitor_is_catalogued_and_named_only_in_names() -> None:
    stray = []
    for path in sorted(MONITOR.rglob("*.py")):
        if path == NAMES_MODULE:
            continue
        for line, text in _type_literals(path):
            where = f"{path.relative_to(ROOT)}:{line}: {text!r}"
            if text in EVENT_TYPES:
                stray.append(f"{where}: import the name from monitor.events")
            elif CAMEL_CASE.fullmatch(text):
                stray.append(f"{where}: not in the catalogue (monitor/events/names.py)")
    assert not stray, "\n".join(stray)


def test_the_scan_finds_types_written_outside_the_catalogue(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "__all__ = ['AlertRaised']\n"
        "a = NewEvent('AlertRaised', 's', 'k', {})\n"
        "b = log.read(types=['SourceBlocked'])\n"
        "c = ev.type == 'Whatever'\n"
        "d = tok.type == 'WORD'\n"
        "e = 'NotificationBounced'\n"
        "f = 'A sentence about AlertRaised events.'\n"
    )
    found = sorted(_type_literals(module))
    assert found == [
        (2, "AlertRaised"),
        (3, "SourceBlocked"),
        (4, "Whatever"),
        (5, "WORD"),
        (6, "NotificationBounced"),
    ]


def test_names_defines_every_type_once() -> None:
    tree = ast.parse(NAMES_MODULE.read_text(encoding="utf-8"))
    values = [
        node.value.value
        for node in tree.body
        if isinstance(node, ast.AnnAssign | ast.Assign)
        and isinstance(node.value, ast.Constant)
        and node.value.value in EVENT_TYPES
    ]
    assert sorted(values) == sorted(EVENT_TYPES)


def test_the_catalogue_imports_nothing_above_it() -> None:
    """The bottom layer: the standard library and ``monitor.article``, nothing else of ours."""
    code = (
        "import sys, monitor.events; "
        "print(sorted(m for m in sys.modules if m.startswith('monitor') "
        "or m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'pydantic', 'jinja2', 'httpx')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(out.stdout))
    # below it: the article, and the digest schedule an alert carries (with its durations)
    allowed = {"monitor", "monitor.article", "monitor.schedules", "monitor.durations"} | {
        f"monitor.events{suffix}"
        for suffix in (
            "",
            ".envelope",
            ".names",
            ".sources",
            ".outcomes",
            ".notifications",
            ".mutes",
            ".daemon",
        )
    }
    assert loaded <= allowed, loaded - allowed


def test_the_architecture_doc_shows_the_catalogue() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert catalogue_table() in doc
