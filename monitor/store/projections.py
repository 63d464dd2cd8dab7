"""Read models: tables derived from the log and nothing else.

They are updated inside the append transaction (see :class:`Projector`), so
they never disagree with the log, and ``monitor rebuild`` drops and replays
them from the log alone. Nothing here is a source of truth: if a read model is
lost or its schema changes, rebuild it.

Their times (``published``, ``observed``, ``time``) are ``DateTime`` columns,
SQLModel's mapping of ``datetime`` (``timestamp with time zone`` on
PostgreSQL; SQLite keeps text and gives the value back naive): they are shown
and sorted, never hashed, and a rebuild rewrites them. A query by time that
must agree on every backend goes through the log's fixed-width ISO text
instead (``list_outcomes(since=...)``).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Connection, Table, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, SQLModel

from monitor.events import (
    ALERT_RAISED,
    ALERT_SUPPRESSED,
    ARTICLE_OBSERVED,
    OUTCOME_TYPES,
    WATCHLISTS_LOADED,
    ArticleHead,
    Outcome,
)
from monitor.store.events import StoredEvent
from monitor.store.readmodels import TableProjection
from monitor.store.schema import EVENTS, in_batches, iso_utc, rows_as, seqs_of_keys, table_of


class ArticleRow(SQLModel, table=True):
    """The latest version of every item, by (source, item)."""

    __tablename__ = "articles"
    source: str = Field(primary_key=True)
    item: str = Field(primary_key=True)
    seq: int = Field(index=True)
    content_hash: str
    title: str
    url: str | None = None
    published: datetime | None = None
    observed: datetime
    versions: int = 1


class OutcomeRow(SQLModel, table=True):
    """Every rule outcome (raised or suppressed), keyed by its event's seq."""

    __tablename__ = "outcomes"
    seq: int = Field(primary_key=True)
    rule: str = Field(index=True)
    outcome: str
    reason: str | None = None
    severity: str
    source: str
    item: str
    title: str
    url: str | None = None
    key: str | None = None
    article_seq: int = Field(index=True)
    alert_seq: int | None = Field(default=None, index=True)
    duplicate_of_item: str | None = None
    time: datetime
    evidence: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    matched: list[str] = Field(default_factory=list, sa_column=Column(JSON))


ARTICLES: Table = table_of(ArticleRow)
OUTCOMES: Table = table_of(OutcomeRow)


class ReadModels(TableProjection):
    """Projector keeping ``articles`` and ``outcomes`` in step with the log."""

    tables = (ARTICLES, OUTCOMES)

    def apply(self, conn: Connection, events: Sequence[StoredEvent]) -> None:
        articles: dict[tuple[str, str], dict[str, Any]] = {}
        outcomes: list[dict[str, Any]] = []
        for ev in events:
            if ev.type == ARTICLE_OBSERVED:
                row = self._article(ev)
                key = (row["source"], row["item"])
                if key in articles:  # two versions in one batch: the later one wins
                    row["versions"] = articles[key]["versions"] + 1
                articles[key] = row
            elif ev.type in OUTCOME_TYPES:
                outcomes.append(self.outcome_row(ev))
        if articles:
            self._upsert_articles(conn, list(articles.values()))
        if outcomes:
            self._resolve_alerts(conn, outcomes)
            conn.execute(insert(OUTCOMES), outcomes)

    @staticmethod
    def _article(ev: StoredEvent) -> dict[str, Any]:
        head = ArticleHead.from_event(ev)
        return {
            "source": head.source,
            "item": head.item,
            "seq": ev.seq,
            "content_hash": head.content_hash,
            "title": head.title,
            "url": head.url,
            "published": head.published,
            "observed": ev.time,
            "versions": 1,
        }

    @staticmethod
    def _upsert_articles(conn: Connection, rows: list[dict[str, Any]]) -> None:
        """One executemany upsert: a new item inserts, a new version updates and counts."""
        table = ARTICLES
        dialect_insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        stmt = dialect_insert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.source, table.c.item],
            set_={
                **{c: stmt.excluded[c] for c in ("seq", "content_hash", "title", "url")},
                "published": stmt.excluded.published,
                "observed": stmt.excluded.observed,
                "versions": table.c.versions + stmt.excluded.versions,
            },
        )
        conn.execute(stmt, rows)

    @staticmethod
    def _resolve_alerts(conn: Connection, outcomes: list[dict[str, Any]]) -> None:
        """Turn ``duplicate_of.alert`` (an event key) into the alert's seq."""
        keys = [o["_alert_key"] for o in outcomes if o.get("_alert_key")]
        seqs = seqs_of_keys(conn, keys) if keys else {}
        for o in outcomes:
            key = o.pop("_alert_key", None)
            if key is not None:
                o["alert_seq"] = seqs.get(key)

    @staticmethod
    def outcome_row(ev: StoredEvent) -> dict[str, Any]:
        """The ``outcomes`` row of an AlertRaised/AlertSuppressed event (``_alert_key`` unresolved).

        Public because in-memory replay maps its outcomes with it, so that a row
        it shows is the row a store would hold.
        """
        o = Outcome.from_event(ev)
        dup = o.duplicate_of
        return {
            "seq": ev.seq,
            "rule": o.rule,
            "outcome": o.outcome,
            "reason": o.reason,
            "severity": o.severity,
            "source": o.source,
            "item": o.item,
            "title": o.title,
            "url": o.url,
            "key": o.key,
            "article_seq": o.article_seq,
            "alert_seq": ev.seq if o.raised else None,
            "_alert_key": dup.alert if dup and not o.raised else None,
            "duplicate_of_item": dup.item if dup else None,
            "time": ev.time,
            "evidence": list(o.evidence),
            "matched": list(dict.fromkeys(s.text for s in o.spans)),
        }


def outcomes_for_articles(conn: Connection, article_seqs: Sequence[int]) -> list[OutcomeRow]:
    """Outcomes recorded for the given articles, in article then rule order."""
    table = OUTCOMES
    rows: list[OutcomeRow] = []
    order = {seq: i for i, seq in enumerate(article_seqs)}
    for chunk in in_batches(article_seqs):
        result = conn.execute(select(table).where(table.c.article_seq.in_(chunk)))
        rows.extend(rows_as(OutcomeRow, result))
    rows.sort(key=lambda r: (order[r.article_seq], r.rule, r.seq))
    return rows


def article_seqs(conn: Connection, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The seq of the latest version of each (source, item)."""
    table = ARTICLES
    found: dict[tuple[str, str], int] = {}
    sources = {s for s, _ in keys}
    for source in sources:
        items = [i for s, i in keys if s == source]
        for chunk in in_batches(items):
            result = conn.execute(
                select(table.c.item, table.c.seq).where(
                    (table.c.source == source) & table.c.item.in_(chunk)
                )
            )
            for item, seq in result:
                found[(source, item)] = seq
    return found


def list_outcomes(
    conn: Connection,
    *,
    outcome: str | None = None,
    limit: int = 50,
    rules: Sequence[str] = (),
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[OutcomeRow]:
    """Most recent outcomes first (``monitor alerts``), of ``rules`` if given, decided since
    ``since`` and before ``until``.

    ``since`` compares the outcome's event time in the log (fixed-width UTC
    text, the same on every backend) rather than the read model's timestamp
    column, whose time zone handling differs between SQLite and PostgreSQL.
    """
    table = OUTCOMES
    query = select(table).order_by(table.c.seq.desc()).limit(limit)
    if outcome:
        query = query.where(table.c.outcome == outcome)
    if rules:
        query = query.where(table.c.rule.in_(list(rules)))
    if since is not None or until is not None:
        query = query.join(EVENTS, EVENTS.c.seq == table.c.seq)
    if since is not None:
        query = query.where(EVENTS.c.time >= iso_utc(since))
    if until is not None:
        query = query.where(EVENTS.c.time < iso_utc(until))
    return rows_as(OutcomeRow, conn.execute(query))


def alert_numbers(conn: Connection, seqs: Iterable[int]) -> dict[int, int]:
    """Each raised alert's number: how many alerts were raised up to it (the first is 1).

    What people call an alert by ("alert 3"); its position in the log
    (``seq``, "#12") stays the stable reference the commands take. Counted
    on the events' type index, so it holds for a store of any age and never
    changes: the log only grows.
    """
    wanted = sorted(set(seqs))
    if not wanted:
        return {}
    lo, hi = wanted[0], wanted[-1]
    raised = EVENTS.c.type == ALERT_RAISED
    # one count below the first, then the raised positions between first and last
    # (index-only reads): a page of 50 alerts costs two queries, not 50 counts
    before = conn.execute(
        select(func.count()).select_from(EVENTS).where(raised & (EVENTS.c.seq < lo))
    ).scalar_one()
    between = list(
        conn.execute(
            select(EVENTS.c.seq)
            .where(raised & (EVENTS.c.seq >= lo) & (EVENTS.c.seq <= hi))
            .order_by(EVENTS.c.seq)
        ).scalars()
    )
    return {seq: int(before) + bisect.bisect_right(between, seq) for seq in wanted}


# The event types are the catalogue's (monitor.events); re-exported for older imports.
__all__ = [
    "ALERT_RAISED",
    "ALERT_SUPPRESSED",
    "ARTICLES",
    "ARTICLE_OBSERVED",
    "OUTCOMES",
    "OUTCOME_TYPES",
    "ArticleRow",
    "OutcomeRow",
    "ReadModels",
    "alert_numbers",
    "WATCHLISTS_LOADED",
    "article_seqs",
    "list_outcomes",
    "outcomes_for_articles",
]
