"""What ``rules eval`` scores: a replay it ran, or a replay somebody saved.

Both paths go through the JSON records ``monitor replay --format jsonl``
prints, so the evaluator reads exactly what score.py reads and the two can
only disagree on how they score, never on what.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from monitor.events import Outcome
from monitor.front.evaluate.scoring import Item
from monitor.front.output import outcome_of_record, published_text, replay_record
from monitor.replay import ReplayResult


def from_jsonl(lines: Iterable[str]) -> list[Outcome]:
    """The outcomes of a saved ``replay --format jsonl`` (other lines, like score.py, ignored)."""
    return [outcome_of_record(json.loads(line)) for line in lines if line.startswith("{")]


def from_replay(result: ReplayResult) -> tuple[list[Outcome], list[Item]]:
    """The outcomes of a replay, and every item it read (an entry also under its URL).

    The items let the report date and title a labelled item the rule never
    had an outcome on, and tell "missed" from "not replayed".
    """
    outcomes = [
        outcome_of_record(replay_record(row, result.published(row))) for row in result.outcomes
    ]
    items: list[Item] = []
    for art in result.articles:
        when = published_text(art.published)
        items.append(Item(art.item_id, art.title, when))
        if art.url and art.url != art.item_id:  # labels may name an entry by its URL
            items.append(Item(art.url, art.title, when))
    return outcomes, items
