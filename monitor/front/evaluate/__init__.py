"""Score rule outcomes against hand labels: the rule-quality report of ``monitor rules eval``.

An analyst trusts a rule once they have seen how it does on items somebody
labelled by hand. This package turns (the outcomes of a replay, a labels
directory) into that report: ``labels`` reads a labels directory, ``inputs``
the outcomes, ``scoring`` computes the figures with no I/O, ``report`` words
them.
docs/evaluation.md is the contract.
"""

from monitor.front.evaluate.inputs import from_jsonl, from_replay
from monitor.front.evaluate.labels import Label, LabelsError, LabelSet, RuleLabels, load_labels
from monitor.front.evaluate.report import report_lines, score_record
from monitor.front.evaluate.scoring import (
    Bars,
    Finding,
    Item,
    LinkScore,
    Period,
    Report,
    Score,
    StoryScore,
    evaluate,
    shortfalls,
)

__all__ = [
    "Bars",
    "Finding",
    "Item",
    "Label",
    "LabelSet",
    "LabelsError",
    "LinkScore",
    "Period",
    "Report",
    "RuleLabels",
    "Score",
    "StoryScore",
    "evaluate",
    "from_jsonl",
    "from_replay",
    "load_labels",
    "report_lines",
    "score_record",
    "shortfalls",
]
