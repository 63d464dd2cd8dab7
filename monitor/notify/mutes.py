"""The mutes read model: which rules are muted, from when to when, and why.

:class:`MutesProjection` folds ``RuleMuted`` and ``RuleUnmuted`` into one row
per mute, inside the log's append transaction like every read model.
:func:`in_force` is the question the outbox asks of each raised alert —
was its rule muted *when the alert was raised*, by a mute recorded before it
and not ended before it — answered from the log's order and times alone, so
queueing the same alert again (after a crash, on another daemon) decides
the same. :func:`listing` is what ``monitor mutes``, ``monitor status`` and
the web page show.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Connection, Table, Text, insert, select, update
from sqlmodel import Field, SQLModel

from monitor.events import RULE_MUTED, RULE_UNMUTED, RuleMuted, RuleUnmuted
from monitor.store.events import StoredEvent
from monitor.store.readmodels import TableProjection
from monitor.store.schema import iso_utc, table_of

__all__ = ["MUTES", "MuteRow", "MutesProjection", "in_force", "in_force_by_rule", "listing"]


class MuteRow(SQLModel, table=True):
    """One mute: times are fixed-width UTC ISO text, which sorts as it compares."""

    __tablename__ = "mutes"
    mute: str = Field(primary_key=True, max_length=1000)  # the RuleMuted key
    seq: int = Field(sa_type=BigInteger, index=True)
    rule: str = Field(index=True, max_length=200)
    starts: str = Field(max_length=32)
    ends: str = Field(max_length=32)
    reason: str = Field(default="", sa_type=Text)
    by: str = Field(default="", max_length=200)
    ended_seq: int | None = Field(default=None, sa_type=BigInteger)  # the RuleUnmuted's
    ended: str | None = Field(default=None, max_length=32)
    ended_reason: str | None = Field(default=None, sa_type=Text)

    def in_force_at(self, now: datetime) -> bool:
        at = iso_utc(now)
        return self.ended_seq is None and self.starts <= at < self.ends

    @property
    def until(self) -> str:
        """When it stopped or stops muting: its early end, else its end."""
        return self.ended or self.ends


MUTES: Table = table_of(MuteRow)


def _row(r: Any) -> MuteRow:
    return MuteRow.model_validate(dict(r._mapping))


class MutesProjection(TableProjection):
    """Projector keeping ``mutes`` in step with ``RuleMuted`` / ``RuleUnmuted``."""

    tables = (MUTES,)

    def apply(self, conn: Connection, events: Sequence[StoredEvent]) -> None:
        for ev in events:
            if ev.type == RULE_MUTED:
                muted = RuleMuted.from_event(ev)
                conn.execute(
                    insert(MUTES).values(
                        mute=ev.key,
                        seq=ev.seq,
                        rule=muted.rule,
                        starts=iso_utc(muted.starts),
                        ends=iso_utc(muted.ends),
                        reason=muted.reason,
                        by=muted.by,
                    )
                )
            elif ev.type == RULE_UNMUTED:
                unmuted = RuleUnmuted.from_event(ev)
                conn.execute(
                    update(MUTES)
                    .where(MUTES.c.mute == unmuted.mute, MUTES.c.ended_seq.is_(None))
                    .values(ended_seq=ev.seq, ended=iso_utc(ev.time), ended_reason=unmuted.reason)
                )


def in_force(conn: Connection, rule: str, seq: int, at: datetime) -> MuteRow | None:
    """The mute (ending last) in force for the alert of ``rule`` at event ``seq``, of time ``at``.

    A mute starts where it stands in the log: it covers the alerts recorded
    after it, whatever their times say (an alert's time is when its article
    was observed, which may be before the mute, and the host that recorded
    the mute may keep another clock). It ends at its ``ends``, compared with
    the alert's time, or where a ``RuleUnmuted`` recorded before the alert
    stands. So the answer depends on the log alone, never on when the
    question is asked.
    """
    when = iso_utc(at)
    query = (
        select(MUTES)
        .where(
            MUTES.c.rule == rule,
            MUTES.c.seq < seq,
            MUTES.c.ends > when,
            MUTES.c.ended_seq.is_(None) | (MUTES.c.ended_seq > seq),
        )
        .order_by(MUTES.c.ends.desc(), MUTES.c.seq.desc())
        .limit(1)
    )
    found = conn.execute(query).first()
    return _row(found) if found is not None else None


def listing(
    conn: Connection, now: datetime, *, rule: str | None = None, past: bool = False
) -> list[MuteRow]:
    """Mutes in force at ``now`` (and, with ``past``, every earlier one), newest first."""
    query = select(MUTES).order_by(MUTES.c.seq.desc())
    if rule is not None:
        query = query.where(MUTES.c.rule == rule)
    rows = [_row(r) for r in conn.execute(query)]
    return rows if past else [r for r in rows if r.in_force_at(now)]


def in_force_by_rule(conn: Connection, now: datetime) -> dict[str, MuteRow]:
    """Each muted rule's mute in force at ``now`` that ends last (the one that decides)."""
    found: dict[str, MuteRow] = {}
    for mute in listing(conn, now):
        if mute.rule not in found or mute.ends > found[mute.rule].ends:
            found[mute.rule] = mute
    return found
