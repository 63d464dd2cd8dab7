"""The report of ``monitor rules eval``, as text lines for people and JSON for tools.

The first line of each rule is worded exactly as score.py words it, so the
two can be compared by eye; the items behind the figures follow with
``--show``, each with what the labeller said and what the rule did.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from monitor.front.evaluate.scoring import Finding, LinkScore, Score


def score_record(score: Score, failed: Sequence[str] = ()) -> dict[str, Any]:
    """One JSON object per rule (``rules eval --format jsonl``): figures, items, failed bars."""
    rec: dict[str, Any] = {"rule": score.rule, "kind": score.kind, "files": list(score.files)}

    def items(findings: Iterable[Finding]) -> list[dict[str, Any]]:
        return [
            {
                "link": f.link,
                "title": f.title,
                "day": f.day,
                "label": f.label,
                "reason": f.reason,
                "did": f.did,
                "occasion": f.occasion or None,
                "evidence": list(f.evidence),
            }
            for f in findings
        ]

    if isinstance(score, LinkScore):
        rec.update(
            linked=score.linked,
            not_linked=score.not_linked,
            borderline=score.borderline,
            raised=score.raised,
            true_positives=score.true_positives,
            false_positives=score.false_positives,
            precision=round(score.precision, 4),
            recall=round(score.recall, 4),
            false_alerts=items(score.false_alerts),
            misses=items(score.misses),
        )
    else:
        rec.update(
            occasions=score.occasions,
            hit=score.hit,
            missed=score.missed,
            duplicate_alerts=score.duplicate_alerts,
            late_hits=score.late_hits,
            none=score.none,
            borderline=score.borderline,
            false_alerts=items(score.false_alerts),
            misses=items(score.misses),
            duplicates=items(score.duplicates),
            late=items(score.late),
        )
    rec.update(line=score.line(), failed=list(failed), ok=not failed)
    return rec


def _show(heading: str, f: Finding) -> list[str]:
    where = f"{f.day}  " if f.day else ""
    why = f"labelled {f.label}" + (f": {f.reason}" if f.reason else "")
    lines = [
        f"  {heading}  {f.title or '(no title)'}",
        f"    {where}{f.link}",
        f"    {why}; rule: {f.did}",
    ]
    lines.extend(f"    › {sentence}" for sentence in f.evidence)
    return lines


def report_lines(score: Score, *, show: bool = False, failed: Sequence[str] = ()) -> list[str]:
    """The text report of one rule: score.py's line, the label files, then (``show``) the items."""
    lines = [score.line()]
    files = ", ".join(score.files)
    if isinstance(score, LinkScore):
        unlabelled = sum(1 for f in score.false_alerts if f.label == "unlabelled")
        lines.append(
            f"  {score.kind} labels from {files}: {score.borderline} borderline; "
            f"{score.false_positives} false alerts ({unlabelled} on unlabelled items), "
            f"{len(score.misses)} missed"
        )
        if show:
            for f in score.false_alerts:
                lines.extend(_show("FALSE ALERT", f))
            for f in score.misses:
                lines.extend(_show("MISSED", f))
    else:
        lines.append(
            f"  {score.kind} labels from {files}: {score.none} none, {score.borderline} "
            f"borderline; {score.late_hits} late hits (first report not raised, a repeat was)"
        )
        if show:
            for f in score.misses:
                lines.extend(_show(f"MISSED OCCASION {f.occasion}", f))
            for f in score.duplicates:
                lines.extend(_show(f"DUPLICATE ALERT {f.occasion}", f))
            for f in score.late:
                lines.extend(_show(f"LATE HIT {f.occasion}", f))
            for f in score.false_alerts:
                lines.extend(_show("FALSE ALERT", f))
    lines.extend(f"  BELOW THE BAR: {why}" for why in failed)
    return lines
