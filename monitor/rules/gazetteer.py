"""The entity gazetteer: countries, cities, leaders and officials with their aliases.

Rules refer to entities (``@north-korea``, ``@leader:japan``) instead of
spelling out every alias, so one well-kept file (``watchlists/entities.yaml``)
teaches every rule that "Pyongyang", "DPRK" and "North Korean troops" all mean
North Korea. The matcher puts every alias into its one Aho-Corasick automaton.

Selectors:

* ``@<id>`` — one entity; for a country also its capital city, because
  newsrooms write "Moscow" for Russia.
* ``@<kind>`` — every entity of a kind: ``@country``, ``@city``, ``@leader``,
  ``@official``.
* ``@<kind>:<country>`` — a kind within a country: ``@leader:japan``,
  ``@city:south-korea``, ``@official:russia``.

In a rule's query a country also stands for its officials (:meth:`Gazetteer.actors`):
the guide counts a state's ministers and envoys as the state ("Lavrov arrives in
Pyongyang" is Russia arriving), and "Lavrov" often stands alone in a headline.
A story key's ``@<country>`` does not (:meth:`Gazetteer.select`): the key names the
country, not whichever of its people was named most.

Leaders hold an office for a time (``term``): a leader counts as one only
while an item's publication date is inside a term, and the ``roles`` section
lists the words newsrooms use for each office ("prime minister", "PM",
"leader") so that "Japan's prime minister" resolves to whoever held the office
that day (see :mod:`monitor.rules.offices`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from monitor.errors import WatchlistError
from monitor.normalize.text import fold_term
from monitor.rules import world as _world
from monitor.rules.yamlsrc import line_of, load_yaml

Kind = Literal["country", "city", "leader", "official"]
KINDS: tuple[Kind, ...] = ("country", "city", "leader", "official")
_SECTIONS: dict[str, Kind] = {
    "countries": "country",
    "cities": "city",
    "leaders": "leader",
    "officials": "official",
}
_ROLES_SECTION = "roles"
#: ``world: false`` turns the world layer off (:meth:`Gazetteer.add_world`)
_WORLD_KEY = "world"
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
    "secretary",
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
    terms: tuple[tuple[date | None, date | None], ...] = ()
    #: an official's office, as the gazetteer writes it ("defence secretary")
    office: str | None = None
    #: its aliases count only capitalised (the world layer's: "polish" is not Poland)
    capitalised: bool = False
    #: a country's combining forms ("Sino", "Franco"): it only hyphened to another's name
    prefixes: tuple[str, ...] = ()

    @property
    def term(self) -> tuple[date | None, date | None] | None:
        """The current or most recent term (the last one listed)."""
        return self.terms[-1] if self.terms else None

    def in_office(self, day: date) -> bool:
        """Whether ``day`` falls in one of the terms (both ends inclusive; no terms: always).

        Both ends are inclusive because the handover day belongs to both
        leaders: reports that day name either.
        """
        if not self.terms:
            return True
        return any(
            (start is None or start <= day) and (end is None or day <= end)
            for start, end in self.terms
        )


@dataclass(frozen=True, slots=True)
class Alias:
    """A folded alias pointing at an entity; ``ambiguous`` ones need context."""

    key: str
    entity: str
    ambiguous: bool
    exact: str | None = None
    #: counts only written with a capital ("Chile", not "chile" the pepper)
    capitalised: bool = False
    #: a combining form: counts only hyphened to another country's name ("Sino-US")
    prefix: bool = False


class Gazetteer:
    """Entities by id plus the selector logic rules use to refer to them."""

    def __init__(
        self,
        entities: dict[str, Entity],
        source: str = "<gazetteer>",
        roles: dict[str, tuple[str, ...]] | None = None,
    ):
        self.entities = entities
        self.source = source
        #: where the world layer's countries came from ("countryinfo 1.0.1"), None when off
        self.world: str | None = None
        #: office (a leader's ``role``) -> the words that name it ("prime minister", "PM")
        self.roles: dict[str, tuple[str, ...]] = roles or {}

    def aliases(self) -> list[Alias]:
        """Every (folded alias, entity) pair, for the matcher's automaton."""
        out: list[Alias] = []
        for ent in self.entities.values():
            seen: set[str] = set()
            for raw, amb in [(n, False) for n in ent.names] + [(n, True) for n in ent.ambiguous]:
                key = fold_term(raw)
                if key and key not in seen:
                    seen.add(key)
                    exact = raw if _is_acronym(raw) else None
                    out.append(Alias(key, ent.id, amb, exact, ent.capitalised))
            for raw in ent.prefixes:
                key = fold_term(raw)
                if key and key not in seen:
                    seen.add(key)
                    out.append(Alias(key, ent.id, False, capitalised=True, prefix=True))
        return out

    def titles(self, ent_id: str) -> frozenset[str]:
        """What a person is called by office, for a second reference by title ("Starmer
        condemns … The prime minister said …"): a leader's role words ("prime minister",
        "premier", "PM", "leader"), an official's office ("defence secretary"). Lower
        case, except words written in capitals ("PM"), which match only so."""
        ent = self.entities.get(ent_id)
        if ent is None:
            return frozenset()
        words = list(self.roles.get(ent.role, ())) if ent.role else []
        if ent.office:
            words.append(ent.office)
        return frozenset(w if w.isupper() else w.lower() for w in words)

    def select(self, selector: str) -> frozenset[str]:
        """Entity ids a selector stands for; ``KeyError`` with a reason if unknown."""
        if ":" in selector:
            kind, country = selector.split(":", 1)
            if kind not in KINDS:
                raise KeyError(f"unknown entity kind {kind!r} (use one of {', '.join(KINDS)})")
            if country not in self.entities or self.entities[country].kind != "country":
                ids = [e.id for e in self.entities.values() if e.kind == "country"]
                close = difflib.get_close_matches(country, ids, n=1)
                hint = f"; did you mean @{kind}:{close[0]}?" if close else ""
                raise KeyError(f"unknown country {country!r} in @{selector}{hint}")
            return frozenset(
                e.id for e in self.entities.values() if e.kind == kind and e.country == country
            )
        if selector in KINDS:
            return frozenset(e.id for e in self.entities.values() if e.kind == selector)
        ent = self.entities.get(selector)
        if ent is None:
            close = difflib.get_close_matches(selector, list(self.entities), n=1)
            hint = f"; did you mean @{close[0]}?" if close else ""
            raise KeyError(f"unknown entity @{selector} (not in {self.source}{hint})")
        if ent.kind == "country" and ent.capital:
            return frozenset({ent.id, ent.capital})
        return frozenset({ent.id})

    def actors(self, selector: str) -> frozenset[str]:
        """What a selector stands for in a query: :meth:`select`, plus the officials of
        the countries it selects (a country acts through its ministers)."""
        ids = self.select(selector)
        countries = {e for e in ids if self.entities[e].kind == "country"}
        if not countries:
            return ids
        return ids | frozenset(
            e.id for e in self.entities.values() if e.kind == "official" and e.country in countries
        )

    def select_all(self, selectors: Iterable[str]) -> frozenset[str]:
        """The union of several selectors (a story key's entities)."""
        out: frozenset[str] = frozenset()
        for selector in selectors:
            out |= self.select(selector)
        return out

    @classmethod
    def load(cls, path: Path) -> Gazetteer:
        """Load and validate ``entities.yaml``; errors name the file and line."""
        data, root = load_yaml(path)
        if not isinstance(data, dict):
            raise WatchlistError(
                "expected a mapping with countries, cities, leaders, officials", path=path
            )
        entities: dict[str, Entity] = {}
        roles: dict[str, tuple[str, ...]] = {}
        world = True
        for section, body in data.items():
            if section == _ROLES_SECTION:
                roles = _roles(body, path, root)
                continue
            if section == _WORLD_KEY:
                if not isinstance(body, bool):
                    raise WatchlistError(
                        f"world: expected true or false, not {body!r}",
                        path=path,
                        line=line_of(root, (section,)),
                    )
                world = body
                continue
            kind = _SECTIONS.get(section)
            if kind is None:
                raise WatchlistError(
                    f"unknown section {section!r}"
                    " (expected countries, cities, leaders, officials, roles, world)",
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
        gazetteer = cls(dict(entities), source=str(path), roles=roles)
        if world:
            # before the references: the file may list the leaders, officials and cities of
            # a country it leaves to the layer ("tusk-donald: {country: poland}")
            gazetteer.add_world()
        known = gazetteer.entities
        for ent in entities.values():
            loc = (_SECTION_OF[ent.kind], ent.id)
            refs = [ent.capital] if ent.capital else []
            if ent.kind != "country":
                refs.append(ent.country)
            for ref in refs:
                if ref not in known or (ref != ent.country and ref not in entities):
                    layer = not world and any(c.id == ref for c in _world.countries())
                    hint = " (a country of the world layer, which world: false turns off)"
                    raise WatchlistError(
                        f"{ent.id}: refers to unknown entity {ref!r}" + (hint if layer else ""),
                        path=path,
                        line=line_of(root, loc),
                    )
            if roles and ent.kind == "leader" and ent.role and ent.role not in roles:
                raise WatchlistError(
                    f"{ent.id}.role: {ent.role!r} is not listed under roles:"
                    f" ({', '.join(sorted(roles))})",
                    path=path,
                    line=line_of(root, (*loc, "role")),
                )
        return gazetteer

    def _capital(self, country: _world.WorldCountry, taken: set[str]) -> str | None:
        """The id of a layer country's capital: a city the file lists under its name
        ("ankara: {names: [Ankara], country: turkey}"), else a city added for it, unless
        its name or id is the file's for something else (then none)."""
        if country.capital is None:
            return None
        key = fold_term(country.capital)
        cities = (e for e in self.entities.values() if e.kind == "city" and e.country == country.id)
        for ent in cities:
            if key in map(fold_term, ent.names):
                return ent.id
        city = _world.city_id(country.capital)
        if key in taken or city in self.entities:
            return None
        ascii_form = _world.ascii_form(country.capital)
        names = tuple(dict.fromkeys((country.capital, ascii_form, *country.capital_spellings)))
        self.entities[city] = Entity(
            id=city, kind="city", name=country.capital, country=country.id, names=names,
            capitalised=True,
        )  # fmt: skip
        taken.update(fold_term(n) for n in names)
        return city

    def add_world(self) -> None:
        """Add the world layer's countries (:mod:`monitor.rules.world`) the file does not
        define, with their capitals.

        A country the file defines, by id or by a name it shares with the layer's, is the
        file's alone; an alias the file gives to anything (a city, a person, another
        country's people: "Congolese") is never the layer's. A city the file lists under
        the layer country's capital name is its capital. The layer's aliases count only
        capitalised.
        """
        curated = {
            fold_term(n) for e in self.entities.values() if e.kind == "country" for n in e.names
        }
        taken = {fold_term(n) for e in self.entities.values() for n in (*e.names, *e.ambiguous)}
        for country in _world.countries():
            if country.id in self.entities or curated.intersection(map(fold_term, country.names)):
                continue
            names = [n for n in (*country.names, *country.people) if fold_term(n) not in taken]
            ambiguous = [n for n in country.ambiguous if fold_term(n) not in taken]
            if not names and not ambiguous:
                continue
            capital = self._capital(country, taken)
            self.entities[country.id] = Entity(
                id=country.id,
                kind="country",
                name=(names or ambiguous)[0],
                country=country.id,
                names=tuple(names),
                ambiguous=tuple(ambiguous),
                capital=capital,
                capitalised=True,
                prefixes=tuple(p for p in country.prefixes if fold_term(p) not in taken),
            )
            taken.update(fold_term(n) for n in (*names, *ambiguous))
        self.world = _world.source()


def _roles(body: Any, path: Path, root: Any) -> dict[str, tuple[str, ...]]:
    """``roles: {office: [words, ...]}``: the words that name each office."""
    if not isinstance(body, dict):
        raise WatchlistError(
            "roles: expected a mapping of role -> list of words",
            path=path,
            line=line_of(root, (_ROLES_SECTION,)),
        )
    out: dict[str, tuple[str, ...]] = {}
    for role, words in body.items():
        if (
            not isinstance(words, list)
            or not words
            or not all(isinstance(w, str) and w.strip() for w in words)
        ):
            raise WatchlistError(
                f"roles.{role}: expected a non-empty list of words",
                path=path,
                line=line_of(root, (_ROLES_SECTION, role)),
            )
        out[str(role)] = tuple(words)
    return out


def _entity(kind: Kind, ent_id: str, spec: Any, path: Path, line: int | None) -> Entity:
    if not isinstance(spec, dict):
        raise WatchlistError(f"{ent_id}: expected a mapping", path=path, line=line)
    known = {
        "country": {"names", "adjectives", "metonyms", "ambiguous", "capital", "prefixes"},
        "city": {"names", "country"},
        "leader": {"names", "ambiguous", "country", "role", "term"},
        "official": {"names", "ambiguous", "country", "office", "term"},
    }[kind]
    unknown = set(spec) - known
    if unknown:
        raise WatchlistError(
            f"{ent_id}: unknown key(s) {', '.join(sorted(unknown))} for"
            f" {'an' if kind[0] in 'aeiou' else 'a'} {kind}"
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
    terms: tuple[tuple[date | None, date | None], ...] = ()
    if "term" in spec:
        terms = _terms(ent_id, spec["term"], path, line)
    return Entity(
        id=ent_id,
        kind=kind,
        name=names[0],
        country=country,
        names=names,
        ambiguous=strings("ambiguous"),
        capital=spec.get("capital"),
        role=spec.get("role"),
        terms=terms,
        office=spec.get("office") if isinstance(spec.get("office"), str) else None,
        prefixes=strings("prefixes"),
    )


def _terms(
    ent_id: str, raw: Any, path: Path, line: int | None
) -> tuple[tuple[date | None, date | None], ...]:
    """``[start, end]`` or a list of them (a second stint, an interrupted acting term)."""
    shape = "expected [start, end] or a list of [start, end] (end null while in office)"
    if not isinstance(raw, list) or not raw:
        raise WatchlistError(f"{ent_id}.term: {shape}", path=path, line=line)
    pairs = raw if all(isinstance(v, list) for v in raw) else [raw]
    out: list[tuple[date | None, date | None]] = []
    for pair in pairs:
        if not (isinstance(pair, list) and len(pair) == 2):
            raise WatchlistError(f"{ent_id}.term: {shape}", path=path, line=line)
        try:
            start, end = (_as_date(v) for v in pair)
        except ValueError as exc:
            raise WatchlistError(f"{ent_id}.term: {exc}", path=path, line=line) from exc
        if start is not None and end is not None and end < start:
            raise WatchlistError(
                f"{ent_id}.term: ends ({end}) before it starts ({start})", path=path, line=line
            )
        out.append((start, end))
    return tuple(out)


def _is_acronym(alias: str) -> bool:
    """ "US", "ROK", "U.S.": all capitals, so "us" in "Connect with us" is not America."""
    letters = alias.replace(".", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 5


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


__all__ = ["Alias", "Entity", "Gazetteer", "TITLE_WORDS"]
