"""Exponential back-off: the one formula behind feed retries and notification retries.

Pure and dependency-free so every layer can use it: a failing feed
(:func:`monitor.sources.poll.backoff`, which adds jitter and ``Retry-After``)
and a failing notification (:meth:`monitor.notify.outbox.Outbox.backoff`)
wait ``base * 2**(attempt - 1)``, never longer than ``cap``. Each caller keeps
its own parameters; only the arithmetic is shared.
"""

from __future__ import annotations

import random
from datetime import timedelta

__all__ = ["exponential_backoff"]

#: Doublings at most: 2**32 bases is past any sensible cap.
_MAX_DOUBLINGS = 32


def exponential_backoff(
    base: timedelta,
    attempt: int,
    cap: timedelta,
    *,
    jitter: float = 0.0,
    rng: random.Random | None = None,
) -> timedelta:
    """The wait after failed attempt ``attempt`` (1-based; 0 or less counts as 1).

    ``base`` doubled ``attempt - 1`` times, never above ``cap``; with
    ``jitter`` (a fraction, 0.1 for ±10 %) scaled by a factor drawn once from
    ``rng`` and capped again, so a capped wait only ever jitters downwards.
    Doubling stops at the cap rather than multiplying by ``2**n``: a daily
    base after many failures would overflow ``timedelta`` otherwise.
    """
    delay = base
    for _ in range(min(max(attempt - 1, 0), _MAX_DOUBLINGS)):
        if delay >= cap:
            break
        delay *= 2
    delay = min(delay, cap)
    if jitter:
        delay *= 1 + (rng or random.Random()).uniform(-jitter, jitter)
    return min(delay, cap)
