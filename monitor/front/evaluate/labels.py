"""Labels directories: the hand labels a rule is scored against (docs/evaluation.md).

A labels directory holds tab-separated files with a header line:

* label files, one kind per file, told apart by their columns: *link
  labels* (``link``, ``label`` ∈ linked / not / borderline, ``reason``) and
  *story labels* (the same plus ``occasion``; ``label`` ∈ new / repeat /
  none / borderline);
* ``candidates*.tsv`` (``link``, ``date``): the items the labeller was given,
  with their publication time, used to date items for ``--from``/``--to``;
* optionally ``rules.tsv`` (``file`` glob, ``rule``), the manifest naming the
  rule each label file is for.

Reading is strict on purpose: a typo in a label, a file no rule claims, two
different labels for one link all move the figures without anyone noticing,
so each is an error naming the file and the line.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from monitor.errors import MonitorError

Kind = Literal["link", "story"]
LINK_LABELS = ("linked", "not", "borderline")
STORY_LABELS = ("new", "repeat", "none", "borderline")
MANIFEST = "rules.tsv"
CANDIDATES = "candidates*.tsv"
RULE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")  # as a watchlist's ``name`` must be
# score.py hard-wires these two file names to the two shipped rules, so a
# labels directory in its layout (like every corpus it scores) has no
# manifest; they are read the same way here when nothing else names the rule.
SCORE_PY_FILES = (
    ("labels_nkru*.tsv", "north-korea-russia"),
    ("labels_summit*.tsv", "japan-korea-summit"),
)


class LabelsError(MonitorError):
    """A labels directory or one of its files is wrong; names the file and the line."""

    def __init__(self, message: str, *, path: Path | str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(f"{self.path}{f':{line}' if line else ''}: {message}")


@dataclass(frozen=True, slots=True)
class Label:
    """One labelled item: the row of a label file, and where it was read."""

    link: str
    label: str
    reason: str = ""
    occasion: str = ""
    where: str = ""


@dataclass(frozen=True)
class RuleLabels:
    """Every label for one rule, from one or more files (a later row for a link wins)."""

    rule: str
    kind: Kind
    files: tuple[str, ...]
    labels: Mapping[str, Label]


@dataclass(frozen=True)
class LabelSet:
    """A labels directory: labels per rule and, from candidate files, each item's UTC day."""

    rules: Mapping[str, RuleLabels]
    dates: Mapping[str, str] = field(default_factory=dict)


def read_tsv(text: str, path: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of a tab-separated file with a header line, each with its line number."""
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    rows = []
    for row in reader:
        if not any((v or "").strip() for v in row.values()):
            continue  # a blank line is not a label
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}))
    if reader.fieldnames is None:
        raise LabelsError("empty file: a header line is needed", path=path)
    return rows


def parse_label_file(text: str, path: str) -> tuple[Kind, list[Label]]:
    """The kind of a label file (from its columns) and its labels, checked row by row.

    A label the scorer does not know (a typo such as ``linkd``) is an error,
    not a silent "not linked": it would move the figures without anyone
    noticing. So is a new or repeat item without its occasion.
    """
    rows = read_tsv(text, path)
    header = csv.DictReader(io.StringIO(text), delimiter="\t").fieldnames or []
    if "link" not in header or "label" not in header:
        raise LabelsError("a label file needs the columns link and label", path=path, line=1)
    kind: Kind = "story" if "occasion" in header else "link"
    allowed = STORY_LABELS if kind == "story" else LINK_LABELS
    labels: dict[str, Label] = {}
    for line, row in rows:
        link, value = row.get("link", ""), row.get("label", "")
        if not link:
            raise LabelsError("no link", path=path, line=line)
        if value not in allowed:
            raise LabelsError(
                f"label {value!r} is not one of {', '.join(allowed)} ({kind} labels)",
                path=path,
                line=line,
            )
        occasion = row.get("occasion", "")
        if kind == "story" and value in ("new", "repeat") and not occasion:
            raise LabelsError(f"a {value} item needs its occasion", path=path, line=line)
        label = Label(link, value, row.get("reason", ""), occasion, f"{path}:{line}")
        seen = labels.get(link)
        if seen and (seen.label, seen.occasion) != (value, occasion):
            raise LabelsError(
                f"{link} is labelled twice, differently (first at {seen.where})",
                path=path,
                line=line,
            )
        labels[link] = label
    return kind, list(labels.values())


def rule_for_file(name: str, manifest: Sequence[tuple[str, str]] | None) -> str | None:
    """The rule a label file is for, by the directory's manifest or else by its name.

    With a manifest (``rules.tsv``: ``file`` glob, ``rule``) only the manifest
    counts: an analyst who wrote one wants no guessing. Without one, a file
    named ``RULE.tsv`` or ``RULE.ANYTHING.tsv`` is for RULE (rule names have
    no dots), and score.py's two file names are for the two shipped rules.
    """
    if manifest is not None:
        return next((rule for glob, rule in manifest if fnmatch.fnmatchcase(name, glob)), None)
    for glob, rule in SCORE_PY_FILES:
        if fnmatch.fnmatchcase(name, glob):
            return rule
    stem = name.removesuffix(".tsv").split(".")[0]
    return stem if RULE_NAME.fullmatch(stem) else None


def load_labels(directory: Path) -> LabelSet:
    """Read a labels directory (the I/O shell around :func:`parse_label_file`).

    Files are read in name order; a later file's row for a link replaces an
    earlier one, so a correction file (``RULE.fixes.tsv``) needs no edit of
    the original. Every ``.tsv`` file must be a manifest, a candidates file
    or a label file for some rule: a file the scorer would skip is an error,
    since its labels would silently not count.
    """
    if not directory.is_dir():
        raise LabelsError("not a directory", path=directory)
    files = sorted(p for p in directory.iterdir() if p.suffix == ".tsv" and p.is_file())
    manifest: list[tuple[str, str]] | None = None
    if (directory / MANIFEST).is_file():
        path = directory / MANIFEST
        manifest = []
        for line, row in read_tsv(path.read_text(encoding="utf-8"), str(path)):
            if not row.get("file") or not row.get("rule"):
                raise LabelsError("a manifest row needs file and rule", path=path, line=line)
            manifest.append((row["file"], row["rule"]))
    dates: dict[str, str] = {}
    found: dict[str, tuple[Kind, list[str], dict[str, Label]]] = {}
    for path in files:
        if path.name == MANIFEST:
            continue
        text = path.read_text(encoding="utf-8")
        if fnmatch.fnmatchcase(path.name, CANDIDATES):
            for _, row in read_tsv(text, str(path)):
                if row.get("link") and row.get("date"):
                    dates[row["link"]] = row["date"][:10]
            continue
        rule = rule_for_file(path.name, manifest)
        if rule is None:
            hint = f"list it in {MANIFEST}" if manifest is not None else "name it RULE.tsv"
            raise LabelsError(f"no rule for this label file ({hint})", path=path)
        kind, labels = parse_label_file(text, str(path))
        prior_kind, names, by_link = found.setdefault(rule, (kind, [], {}))
        if prior_kind != kind:
            raise LabelsError(
                f"{kind} labels, but {names[0]} holds {prior_kind} labels for rule {rule}",
                path=path,
            )
        names.append(path.name)
        by_link.update((lab.link, lab) for lab in labels)
    if not found:  # scoring nothing would print nothing and exit 0: a wrong LABELS looks fine
        raise LabelsError(
            "no label files here (RULE.tsv, or score.py's labels_*.tsv)", path=directory
        )
    rules = {
        rule: RuleLabels(rule, kind, tuple(names), by_link)
        for rule, (kind, names, by_link) in sorted(found.items())
    }
    return LabelSet(rules, dates)
