"""The checkpointed-consumer loop: read after the checkpoint, decide, append, move on.

Every consumer of the log that turns events into other events (the rule
engine: articles into outcomes; the outbox queue: alerts into queued
notifications) runs the same loop, and its correctness rests on one detail:
the new events and the consumer's new checkpoint are appended **in one
transaction**, so a crash can neither lose the consumer's output nor make it
twice. The checkpoint is read again before every batch rather than kept in
memory, so several processes (or a restart) share one position, and the
idempotency keys of what ``decide`` returns make a batch that two processes
both decided append once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from monitor.store.events import NewEvent, StoredEvent
from monitor.store.log import EventLog

__all__ = ["consume"]


def consume(
    log: EventLog,
    consumer: str,
    types: Collection[str],
    decide: Callable[[Sequence[StoredEvent]], Sequence[NewEvent]],
    *,
    batch: int = 100,
    on_failed_append: Callable[[], None] | None = None,
    on_batch: Callable[[], None] | None = None,
) -> int:
    """Feed every event of ``types`` after ``consumer``'s checkpoint to ``decide``, in batches.

    ``decide`` maps one batch (at most ``batch`` events, in log order) to the
    events to append; they are appended with ``consumer``'s checkpoint moved
    to the batch's last event, also when ``decide`` returned nothing.
    Returns how many events were appended (duplicates of stored ones are
    not counted). If an append fails, ``on_failed_append`` runs before the
    error propagates: a consumer that learnt something from the batch while
    deciding must forget it, since the log never recorded it. ``on_batch``
    runs after each batch is recorded (progress, for a caller's health check).
    """
    total = 0
    while True:
        after = log.checkpoint(consumer)
        events = list(log.read(after, types=types, limit=batch))
        if not events:
            return total
        new = decide(events)
        try:
            stored = log.append(new, consumer=consumer, position=events[-1].seq)
        except BaseException:
            if on_failed_append is not None:
                on_failed_append()
            raise
        total += len(stored)
        if on_batch is not None:
            on_batch()
