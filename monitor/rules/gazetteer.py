"""The entity gazetteer: countries, cities and leaders with their aliases.

Rules refer to entities (``@north-korea``, ``@leader:japan``) instead of
spelling out every alias, so one well-kept file (``watchlists/entities.yaml``)
teaches every rule that "Pyongyang", "DPRK" and "North Korean troops" all mean
North Korea. The matcher puts every alias into its one Aho-Corasick automaton.

Selectors:

* ``@<id>`` — one entity; for a country also its capital city, because
  newsrooms write "Moscow" for Russia.
* ``@<kind>`` — every entity of a kind: ``@country``, ``@city``, ``@leader``.
* ``@<kind>:<country>`` — a kind within a country: ``@leader:japan``,
  ``@city:south-korea``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from monitor.errors import WatchlistError
from monitor.rules.yamlsrc import line_of, load_yaml

Kind = Literal["country", "city", "leader"]
KINDS: tuple[Kind, ...] = ("country", "city", "leader")
_SECTIONS: dict[str, Kind] = {"countries": "country", "cities": "city", "leaders": "leader"}
_SECTION_OF = {kind: section for section, kind in _SECTIONS.items()}

#: Words that, right before an ambiguous surname, make it a reference to the leader.
TITLE_WORDS = (
    "president",
    "prime minister",
    "premier",
    "pm",
    "leader",
    "chairman",
    "minister",
    "chancellor",
)


def fold_alias(text: str) -> str:
    """Fold an alias or query term the way the matcher folds article text.

    Lower case, typographic apostrophes to ``'``, hyphens and dashes to a
    space, runs of spaces to one: "Yoon Suk-yeol" and "yoon suk yeol" are the
    same key.
    """
    out = text.lower()
    for src, dst in _FOLD_PAIRS:
        out = out.replace(src, dst)
    return " ".join(out.split())


_FOLD_PAIRS = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u201b", "'"),
    ("\u2032", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("-", " "),
    ("\u2010", " "),
    ("\u2011", " "),
    ("\u2013", " "),
    ("\u2014", " "),
)


@dataclass(frozen=True, slots=True)
class Entity:
    """One thing the gazetteer knows; ``country`` is its own id for a country."""

    id: str
    kind: Kind
    name: str
    country: str
    names: tuple[str, ...]
    ambiguous: tuple[str, ...] = ()
    capital: str | None = None
    role: str | None = None
    term: tuple[date | None, date | None] | None = None


@dataclass(frozen=True, slots=True)
class Alias:
    """A folded alias pointing at an entity; ``ambiguous`` ones need context."""

    key: str
    entity: str
    ambiguous: bool
    exact: str | None = None


class Gazetteer:
    """Entities by id plus the selector logic rules use to refer to them."""

    def __init__(self, entities: dict[str, Entity], source: str = "<gazetteer>"):
        self.entities = entities
        self.source = source

    def aliases(self) -> list[Alias]:
        """Every (folded alias, entity) pair, for the matcher's automaton."""
        out: list[Alias] = []
        for ent in self.entities.values():
            seen: set[str] = set()
            for raw, amb in [(n, False) for n in ent.names] + [(n, True) for n in ent.ambiguous]:
                key = fold_alias(raw)
                if key and key not in seen:
                    seen.add(key)
                    out.append(Alias(key, ent.id, amb, raw if _is_acronym(raw) else None))
        return out

    def select(self, selector: str) -> frozenset[str]:
        """Entity ids a selector stands for; ``KeyError`` with a reason if unknown."""
        if ":" in selector:
            kind, country = selector.split(":", 1)
            if kind not in KINDS:
                raise KeyError(f"unknown entity kind {kind!r} (use one of {', '.join(KINDS)})")
            if country not in self.entities or self.entities[country].kind != "country":
                raise KeyError(f"unknown country {country!r} in @{selector}")
            return frozenset(
                e.id for e in self.entities.values() if e.kind == kind and e.country == country
            )
        if selector in KINDS:
            return frozenset(e.id for e in self.entities.values() if e.kind == selector)
        ent = self.entities.get(selector)
        if ent is None:
            raise KeyError(f"unknown entity @{selector} (not in {self.source})")
        if ent.kind == "country" and ent.capital:
            return frozenset({ent.id, ent.capital})
        return frozenset({ent.id})

    @classmethod
    def load(cls, path: Path) -> Gazetteer:
        """Load and validate ``entities.yaml``; errors name the file and line."""
        data, root = load_yaml(path)
        if not isinstance(data, dict):
            raise WatchlistError("expected a mapping with countries, cities, leaders", path=path)
        entities: dict[str, Entity] = {}
        for section, body in data.items():
            kind = _SECTIONS.get(section)
            if kind is None:
                raise WatchlistError(
                    f"unknown section {section!r} (expected countries, cities, leaders)",
                    path=path,
                    line=line_of(root, (section,)),
                )
            if body is not None and not isinstance(body, dict):
                raise WatchlistError(
                    f"{section}: expected a mapping of id -> entity, not a {type(body).__name__}",
                    path=path,
                    line=line_of(root, (section,)),
                )
            for ent_id, spec in (body or {}).items():
                loc = (section, ent_id)
                if ent_id in entities:
                    raise WatchlistError(
                        f"duplicate entity id {ent_id!r}", path=path, line=line_of(root, loc)
                    )
                entities[ent_id] = _entity(kind, str(ent_id), spec, path, line_of(root, loc))
        for ent in entities.values():
            loc = (_SECTION_OF[ent.kind], ent.id)
            refs = [ent.capital] if ent.capital else []
            if ent.kind != "country":
                refs.append(ent.country)
            for ref in refs:
                if ref not in entities:
                    raise WatchlistError(
                        f"{ent.id}: refers to unknown entity {ref!r}",
                        path=path,
                        line=line_of(root, loc),
                    )
        return cls(entities, source=str(path))


def _entity(kind: Kind, ent_id: str, spec: Any, path: Path, line: int | None) -> Entity:
    if not isinstance(spec, dict):
        raise WatchlistError(f"{ent_id}: expected a mapping", path=path, line=line)
    known = {
        "country": {"names", "adjectives", "metonyms", "capital"},
        "city": {"names", "country"},
        "leader": {"names", "ambiguous", "country", "role", "term"},
    }[kind]
    unknown = set(spec) - known
    if unknown:
        raise WatchlistError(
            f"{ent_id}: unknown key(s) {', '.join(sorted(unknown))} for a {kind}"
            f" (allowed: {', '.join(sorted(known))})",
            path=path,
            line=line,
        )

    def strings(key: str) -> tuple[str, ...]:
        value = spec.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise WatchlistError(
                f"{ent_id}.{key}: expected a list of strings", path=path, line=line
            )
        return tuple(value)

    names = strings("names") + strings("adjectives") + strings("metonyms")
    if not names:
        raise WatchlistError(f"{ent_id}: needs at least one name", path=path, line=line)
    country = ent_id if kind == "country" else spec.get("country")
    if not isinstance(country, str):
        raise WatchlistError(f"{ent_id}: needs a country", path=path, line=line)
    term = None
    if "term" in spec:
        raw = spec["term"]
        if not (isinstance(raw, list) and len(raw) == 2):
            raise WatchlistError(f"{ent_id}.term: expected [start, end]", path=path, line=line)
        try:
            term = tuple(_as_date(v) for v in raw)
        except ValueError as exc:
            raise WatchlistError(f"{ent_id}.term: {exc}", path=path, line=line) from exc
    return Entity(
        id=ent_id,
        kind=kind,
        name=names[0],
        country=country,
        names=names,
        ambiguous=strings("ambiguous"),
        capital=spec.get("capital"),
        role=spec.get("role"),
        term=term,  # type: ignore[arg-type]
    )


def _is_acronym(alias: str) -> bool:
    """ "US", "ROK", "U.S.": all capitals, so "us" in "Connect with us" is not America."""
    letters = alias.replace(".", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 5


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


__all__ = ["Alias", "Entity", "Gazetteer", "TITLE_WORDS", "fold_alias"]
