"""The world layer: every sovereign country's names, people and capital.

A user who writes ``@israel LINK @iran`` should not first have to teach the
gazetteer what Israel is. ``entities.yaml`` curates the countries our rules
meet most (metonyms, officials, leaders with terms); this layer adds every
other sovereign country from the ``countryinfo`` package (MIT, ISO 3166 with
demonyms and capitals), so any pair of countries can be watched at once and a
third country in an article ("Israel", "Egyptian") is known for what it is.

The package's data needs a reader's care, and this module is where that care is
written down once:

* Only sovereign states (and Palestine, Kosovo's absence noted in docs): its
  dependencies and overseas parts (Guam, Réunion, Hong Kong) are places of their
  sovereign, and some carry its people's name ("French" for Martinique).
* Names: the common name and the official English forms ("Republic of Chile");
  its native spellings ("Suomi", "Island" for Iceland, "Viti") would match
  English words or other places, so they are left out, and the English names
  newsrooms use that it lacks or spells the old way are added (``_MORE_NAMES``:
  "Türkiye", "Eswatini", "North Macedonia", "DR Congo").
* People: its singular demonym, the plural newsrooms write ("Israelis") and the
  forms it lacks (``_MORE_PEOPLE``: "Argentine", "Poles").
* Names of two things that news means the other thing by are never aliases
  (``_NOT_NAMES``): "Georgia" (a US state), "Jordan" and "Chad" (given
  names), capitals such as "Victoria", "Kingston" or "Santiago".
* Every alias counts only capitalised (:attr:`monitor.rules.gazetteer.Alias`):
  "polish the shoes" is not Poland, "turkey dinner" not Turkey.
* A country ``entities.yaml`` defines — by id or by any shared name — is the
  file's, whole: the layer never adds to or overrides a curated entry, and an
  alias the file already gives to anything is never the layer's.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version

from monitor.normalize.text import fold_term

#: Dependencies, overseas parts and uninhabited lands (ISO 3166-1 alpha-2): places of a
#: sovereign, not countries of their own in the news (several carry the sovereign's people).
_TERRITORIES = frozenset(
    {
        "AS", "AI", "AQ", "AW", "AX", "BL", "BM", "BQ", "BV", "CC", "CK", "CS", "CW", "CX",
        "EH", "FK", "FO", "GF", "GG", "GI", "GL", "GP", "GS", "GU", "HK", "HM", "IM", "IO",
        "JE", "KY", "MF", "MO", "MP", "MQ", "MS", "NC", "NF", "NU", "PF", "PM", "PN", "PR",
        "RE", "SH", "SJ", "SX", "TC", "TF", "TK", "UM", "VG", "VI", "WF", "YT", "AN",
    }
)  # fmt: skip

#: Ids users will guess where the package's common name is an old or long one.
_IDS = {
    "MK": "north-macedonia",
    "SZ": "eswatini",
    "CD": "dr-congo",
    "CG": "congo-brazzaville",
    "VA": "vatican",
    "CZ": "czechia",
    "TL": "timor-leste",
    "FM": "micronesia",
    "CI": "ivory-coast",
}

#: English names newsrooms use that the package lacks, spells the old way or buries
#: among native spellings.
_MORE_NAMES: dict[str, tuple[str, ...]] = {
    "TR": ("Türkiye", "Republic of Türkiye"),
    "SZ": ("Eswatini", "Kingdom of Eswatini"),
    "MK": ("North Macedonia", "Republic of North Macedonia"),
    "CZ": ("Czechia",),
    "TL": ("Timor-Leste",),
    "CV": ("Cabo Verde",),
    "MM": ("Burma",),
    "CI": ("Côte d'Ivoire",),
    "CD": ("DR Congo", "DRC", "Congo-Kinshasa", "Congo"),
    "CG": ("Congo-Brazzaville", "Republic of Congo", "Congo Republic"),
    "VA": ("Vatican", "Holy See", "Vatican City"),
    "AE": ("UAE", "U.A.E."),
    "NG": ("Niger Delta", "Niger State"),  # in Nigeria: the longer name is Nigeria's
    "GE": ("Republic of Georgia",),
    "BA": ("Bosnia", "Bosnia-Herzegovina"),
    "GB": ("Britain", "Great Britain"),
    "NL": ("Holland",),
    "BS": ("Bahamas",),
    "GM": ("Gambia",),
    "BN": ("Brunei Darussalam",),
    "VN": ("Viet Nam",),
    "PS": ("Palestinian territories", "Palestinian Authority"),
    "KR": ("South Korea",),
    "KP": ("North Korea",),
}

#: Forms of a people the package lacks (it gives one singular): nouns for its people,
#: current spellings, the adjective where it gives a noun.
_MORE_PEOPLE: dict[str, tuple[str, ...]] = {
    "AR": ("Argentine", "Argentines"),
    "KG": ("Kyrgyz",),
    "TJ": ("Tajik", "Tajiks"),
    "KZ": ("Kazakh", "Kazakhs"),
    "UZ": ("Uzbek", "Uzbeks"),
    "TM": ("Turkmens",),
    "IS": ("Icelandic", "Icelanders"),
    "BW": ("Botswanan",),
    "LS": ("Basotho",),
    "MV": ("Maldivian", "Maldivians"),
    "EC": ("Ecuadorian", "Ecuadorians"),
    "CV": ("Cape Verdean", "Cape Verdeans"),
    "SI": ("Slovenian", "Slovenians"),
    "LU": ("Luxembourgish", "Luxembourgers"),
    "DK": ("Danes",),
    "PL": ("Poles",),
    "TR": ("Turks",),
    "SE": ("Swedes",),
    "FI": ("Finns",),
    "IE": ("Irishman",),
    "NL": ("Dutchman",),
    "AE": ("Emiratis",),
    "CD": ("Congolese",),
    "DO": ("Dominican", "Dominicans"),
    "PH": ("Filipinos", "Philippine"),
    "NZ": ("New Zealanders",),
    "SK": ("Slovaks",),
    "CZ": ("Czechs",),
    "SA": ("Saudi", "Saudis"),
    "AZ": ("Azeri", "Azeris"),
    "NP": ("Nepali", "Nepalis"),
    "BA": ("Bosnians", "Bosniak", "Bosniaks"),
    "KM": ("Comorian", "Comorians"),
    "DJ": ("Djiboutian", "Djiboutians"),
    "SR": ("Surinamese",),
}

#: Capitals the package names by an old name or not at all.
_MORE_CAPITALS = {"KZ": "Astana", "BO": "La Paz"}
#: Other spellings of a capital newsrooms use.
_CAPITAL_SPELLINGS = {"YE": ("Sanaa",), "MD": ("Chişinău",)}

#: Combining forms of a country's name that newsrooms hyphen to another's ("Greco-Turkish
#: ties", "Luso-Brazilian"); the shipped ``entities.yaml`` lists its own countries' ("Sino").
_PREFIXES: dict[str, tuple[str, ...]] = {
    "GR": ("Greco",),
    "TR": ("Turco",),
    "PT": ("Luso",),
    "AT": ("Austro",),
    "IL": ("Israelo",),
}

#: Names and people of a country that news mostly means something else by (a US state,
#: given names): the gazetteer's ``ambiguous`` kind, counted only capitalised and where
#: the country is also named for sure ("Amman", "Jordanian", "Tbilisi").
_AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "GE": ("Georgia", "Georgian", "Georgians"),
    "JO": ("Jordan",),
    "TD": ("Chad",),
    "AE": ("Emirates",),  # also the airline and a stadium
    "CF": ("Central African", "Central Africans"),  # also of the region
}

#: Words of the package that are never aliases: the ambiguous names above; demonyms two
#: countries share (``_MORE_PEOPLE`` gives each to the one news means); forms that name
#: other things ("Pole" in "the North Pole", "Finn" a given name); capitals that are
#: mostly other places or names ("Victoria", "Kingston", "Santiago", "Sofia", "Malé",
#: which folds to "male").
_NOT_NAMES = frozenset(
    {
        "georgia", "georgian", "georgians", "jordan", "chad", "central african",
        "central africans", "st. george's",
        "congolese", "congoleses", "dominican", "dominicans",
        "victoria", "city of victoria", "kingston", "georgetown", "george town",
        "san josé", "san jose", "santiago", "nassau", "panama city", "malé", "male",
        "sofia", "hamilton", "praia", "sucre", "saint john's", "castries", "roseau",
        "basseterre", "the valley", "plymouth", "douglas", "stanley", "jamestown",
        "kingstown", "moroni",
    }
)  # fmt: skip

#: Words of an official English name ("Republic of Chile", "Kingdom of Bhutan"): the
#: package's other spellings are native ones.
_STATE_WORDS = re.compile(
    r"\b(?:Republic|Kingdom|State|States|Federation|Commonwealth|Principality|Sultanate"
    r"|Union|Emirates|Confederation|Duchy|Islands)\b"
)


@dataclass(frozen=True, slots=True)
class WorldCountry:
    """One sovereign country as the layer offers it."""

    id: str
    iso: str
    names: tuple[str, ...]
    people: tuple[str, ...]
    capital: str | None
    #: names that count only where the country is also named for sure ("Jordan")
    ambiguous: tuple[str, ...] = ()
    #: combining forms, hyphened to another country's name ("Greco-Turkish")
    prefixes: tuple[str, ...] = ()
    #: the capital's other spellings ("Sanaa" for "Sana'a")
    capital_spellings: tuple[str, ...] = ()


def source() -> str:
    """What the layer is, for the watchlists' version: the package it is read from and a
    digest of what this module made of it ("countryinfo 1.0.1, layer 3f2a…"), so a change
    to either is a new version of the rules."""
    digest = hashlib.sha256(repr(countries()).encode()).hexdigest()[:12]
    return f"countryinfo {version('countryinfo')}, layer {digest}"


@cache
def countries() -> tuple[WorldCountry, ...]:
    """Every sovereign country the package knows, with the care above applied."""
    from countryinfo import all_countries

    out: dict[str, WorldCountry] = {}
    for country in all_countries():
        info = country.info()
        iso = (info.get("ISO") or {}).get("alpha2") or ""
        if not iso or iso in _TERRITORIES or iso in out:
            continue
        name = str(info.get("name") or "")
        if not name:
            continue
        names = _aliases([name, *_more_names(name, info.get("altSpellings") or ())])
        people = _aliases(_people(country.demonym()))
        capital = _MORE_CAPITALS.get(iso) or country.capital()
        if not isinstance(capital, str) or "/" in capital or fold_term(capital) in _NOT_NAMES:
            capital = None
        elif any(fold_term(capital) == fold_term(n) for n in names):
            capital = None  # a city state: "Singapore", "Monaco"
        out[iso] = WorldCountry(
            id=_IDS.get(iso) or _slug(name),
            iso=iso,
            names=_aliases([*names, *_MORE_NAMES.get(iso, ())], keep=True),
            people=_aliases([*people, *_MORE_PEOPLE.get(iso, ())], keep=True),
            capital=capital,
            ambiguous=_AMBIGUOUS.get(iso, ()),
            prefixes=_PREFIXES.get(iso, ()),
            capital_spellings=_CAPITAL_SPELLINGS.get(iso, ()) if capital else (),
        )
    return tuple(out.values())


def _more_names(name: str, spellings: Iterable[str]) -> list[str]:
    """The official English forms among the package's other spellings, and a name
    without its article ("The Bahamas": "Bahamas")."""
    out = [s.strip() for s in spellings if "," not in s and _STATE_WORDS.search(s)]
    if name.startswith("The "):
        out.append(name[4:])
    return out


def _people(demonym: object) -> list[str]:
    """The package's demonym ("Israeli", "Antiguan,Barbudan") and its plural nouns
    ("Israelis"): not for adjectives that take none ("Danish", "Burmese", "Swiss")."""
    if not isinstance(demonym, str):
        return []
    out: list[str] = []
    for word in re.split(r"[,/]| and ", demonym):
        word = word.strip()
        if not word:
            continue
        out.append(word)
        if not word.endswith(("ese", "ish", "ch", "s", "x", "z")):
            out.append(word + "s")
    return out


def _aliases(words: Iterable[str], keep: bool = False) -> tuple[str, ...]:
    """Each alias once, with an ASCII spelling beside an accented one ("Brasília":
    "Brasilia"); the package's words without the ``_NOT_NAMES`` (``keep``: this module's
    own, already chosen)."""
    out: dict[str, str] = {}
    for word in words:
        for form in (word, ascii_form(word)):
            if form and (keep or fold_term(form) not in _NOT_NAMES):
                out.setdefault(fold_term(form), form)
    return tuple(out.values())


def city_id(name: str) -> str:
    """A capital's id: its name as a slug ("Addis Ababa": ``addis-ababa``)."""
    return _slug(name)


def ascii_form(word: str) -> str:
    """The spelling without accents ("Brasília": "Brasilia"), as English text often has it."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z]+", "-", ascii_form(name).lower()).strip("-")
    return slug.removeprefix("the-")


__all__ = ["WorldCountry", "ascii_form", "city_id", "countries", "source"]
