"""Text analysis on a real NLP library: who did what to whom, read from a parse.

The rules layer decides; this package reads. It parses with spaCy and an
English pipeline (dependency parse, part-of-speech and morphology, entities),
but only the sentences a rule asks about — the ones where its two actor
groups co-occur, found first by the matcher's one Aho-Corasick pass — so the
parser sees a small fraction of the text (a cascade). The pipeline is loaded
on first use, once per process.

* :mod:`monitor.analysis.pipeline` — which pipeline, loading it, parsing a
  sentence (cached), a Title Case headline cased for the tagger.
* :mod:`monitor.analysis.roles` — are two actors linked: do they fill roles
  of one predicate, or are they co-objects of someone else's?
* :mod:`monitor.analysis.reference` — who "it", "they" and "the two
  countries" stand for, from the subjects around them.
* :mod:`monitor.analysis.modality` — is an event a fact, a plan, only a
  possibility, or called off?
* :mod:`monitor.analysis.meetings` — a meeting as an event: who meets (the
  participants a meeting word names, and whether they are someone else's),
  where (the place that hangs from it), whether at a distance (a call), and
  what its clause says of its time ("after the summit", "when he visits").
"""

from __future__ import annotations

from monitor.analysis.pipeline import (
    DEFAULT_PIPELINE,
    ParseStats,
    PipelineError,
    parse_sentence,
    parse_stats,
    use_pipeline,
)
from monitor.analysis.reference import (
    ANY_PRONOUN,
    Name,
    Reference,
    repeats_a_noun,
    resolve_references,
    titled_in,
)
from monitor.analysis.roles import (
    CueBook,
    Reading,
    RoleLink,
    dates_the_act,
    described_subject,
    link_materiel,
    link_roles,
    named_subject,
    of_the_dead,
    relation_with,
    unnamed_mediation,
    year_dates_the_act,
)

__all__ = [
    "ANY_PRONOUN",
    "DEFAULT_PIPELINE",
    "CueBook",
    "ParseStats",
    "Name",
    "PipelineError",
    "Reading",
    "Reference",
    "dates_the_act",
    "described_subject",
    "RoleLink",
    "link_materiel",
    "link_roles",
    "named_subject",
    "of_the_dead",
    "parse_sentence",
    "parse_stats",
    "relation_with",
    "repeats_a_noun",
    "resolve_references",
    "titled_in",
    "unnamed_mediation",
    "year_dates_the_act",
    "use_pipeline",
]
