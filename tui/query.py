"""The query language of search and find-in-article, and how one word matches another.

Grammar (case of operators matters: ``OR`` is an operator, ``or`` a word)::

    query   := item*
    item    := ['-'] [field ':'] (word | '"' phrase '"')  |  'OR'
    field   := title | source | lang | date | entity

``a b`` needs both words (then most of them, see ``search``); ``a OR b``
needs either; ``"a b"`` the words next to each other; ``-a`` excludes;
``title:a`` / ``source:a`` restrict a word to a field; ``lang:de``,
``date:2024-05`` / ``date:2024-01..2024-06`` and ``entity:"Elon Musk"``
(articles that mention that entity) filter. While typing, the last
word is a prefix (``supercomp`` finds supercomputer) unless the query ends
with a space.

Words are folded exactly as the index folds them (``tui.words``: split on
non-alphanumerics, lowercase, ASCII folding), so ``Größe`` and ``grosse``
are the same word everywhere.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import OSA

from tui.words import fold_words

FIELDS = frozenset({"title", "source", "lang", "date", "entity"})
EXAMPLES = {
    "title": "tesla",
    "source": "reuters",
    "lang": "de",
    "date": "2024-05",
    "entity": '"Elon Musk"',
}
"""A value that fits each field, for the message that asks for one."""
NEEDS_VALUE = "needs a value after the colon"
"""Said of a field with nothing after it (``lang:``): a query that cannot run as meant."""

_ITEM = re.compile(
    r"""
    (?P<neg>-)?
    (?:(?P<field>[A-Za-z]+):)?
    (?:
        "(?P<phrase>[^"]*)(?P<closed>"?)
      | (?P<word>[^\s"]+)
    )
    """,
    re.VERBOSE,
)
_MIXED_OR = "OR joins words, or filters of one kind (date:2024-05 OR date:2024-07)"
_DATE = re.compile(
    r"^(\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?)?(?:(\.\.)(\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?)?)?$"
)


def typo_budget(word: str) -> int:
    """Typos forgiven in a word, as Meilisearch does: 0 up to 4 letters, 1 up to 8, then 2.

    Never on numbers (a word with a digit): 2024 must not find 2025.
    """
    if any(c.isdigit() for c in word):
        return 0
    n = len(word)
    return 0 if n <= 4 else 1 if n <= 8 else 2


@dataclass(frozen=True)
class Term:
    """One thing to look for: a word, or a phrase of words in order.

    ``words`` are folded. A word typed as one token that folds into several
    (``nvidia's``, ``10,000``) is a phrase. ``prefix``: the last word may be
    unfinished. ``field``: None for title, text and source, else that field.
    """

    words: tuple[str, ...]
    raw: str
    phrase: bool = False
    prefix: bool = False
    field: str | None = None
    quoted: bool = False
    """Typed in quotes: matched exactly, no typos."""

    @property
    def word(self) -> str:
        """The single word of a non-phrase term."""
        return self.words[0]

    @property
    def budget(self) -> int:
        """Typos forgiven (phrases and quoted words are exact)."""
        return 0 if self.phrase or self.quoted else typo_budget(self.words[0])


@dataclass(frozen=True)
class Clause:
    """Alternatives joined by OR: the clause matches when one of them does."""

    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Query:
    """A parsed query. ``clauses`` in typed order (the "last" strategy drops from the end)."""

    text: str
    clauses: tuple[Clause, ...] = ()
    required: tuple[Clause, ...] = ()
    """Field-restricted clauses (``title:``, ``source:``): filters, never dropped."""
    excluded: tuple[Term, ...] = ()
    languages: tuple[str, ...] = ()
    """Any of these (an article has one language: ``lang:de lang:it`` means either)."""
    dates: tuple[tuple[tuple[int | None, int | None], ...], ...] = ()
    """Inclusive (low, high) day ranges as YYYYMMDD integers, either end open: an
    article's date is in one range of every group (``OR`` makes a group)."""
    errors: tuple[str, ...] = field(default_factory=tuple)
    entities: tuple[tuple[str, ...], ...] = ()
    """Entity names as typed (``entity:``): the articles mention one of every group."""
    excluded_entities: tuple[str, ...] = ()
    """Entity names as typed (``-entity:``): the articles must mention none."""
    excluded_languages: tuple[str, ...] = ()
    excluded_dates: tuple[tuple[int | None, int | None], ...] = ()
    """``-lang:`` and ``-date:``: articles in none of these (or of unknown language or date)."""

    @property
    def empty(self) -> bool:
        """Nothing to look for and nothing to filter by."""
        return not (self.clauses or self.required or self.languages or self.dates or self.entities)

    def nothing(self) -> str:
        """Why an ``empty`` query finds nothing: the reader and ``margin search`` say it."""
        excluding = (
            self.excluded
            or self.excluded_entities
            or self.excluded_languages
            or self.excluded_dates
        )
        hint = " (what is excluded with '-' needs something beside it)" if excluding else ""
        return f"the query {self.text.strip()!r} has no word or filter to look for{hint}"

    def terms(self) -> list[tuple[int, Term]]:
        """Every positive term with the index of its clause (required ones after the others)."""
        out = [(i, t) for i, c in enumerate(self.clauses) for t in c.terms]
        base = len(self.clauses)
        out.extend((base + i, t) for i, c in enumerate(self.required) for t in c.terms)
        return out


def _day(value: str, high: bool) -> int | None:
    """YYYYMMDD of the first (or, ``high``, the last) day that ``value`` names; None if
    it names no day of the calendar (2024-02-30, month 13, year 0)."""
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else (12 if high else 1)
    if not (year >= 1 and 1 <= month <= 12):
        return None
    last = calendar.monthrange(year, month)[1]
    day = parts[2] if len(parts) > 2 else (last if high else 1)
    if not 1 <= day <= last:
        return None
    return year * 10000 + month * 100 + day


def parse_date(value: str) -> tuple[int | None, int | None] | None:
    """``2024-05`` -> (20240501, 20240531); ``2024-01..2024-06``; ``2024..``; None if invalid."""
    m = _DATE.match(value)
    if not m or not (m.group(1) or m.group(3)):
        return None
    first, dots, last = m.group(1), m.group(2), m.group(3)
    if dots is None:
        assert first is not None
        lo, hi = _day(first, False), _day(first, True)
        return None if lo is None or hi is None else (lo, hi)
    lo = _day(first, False) if first else None
    hi = _day(last, True) if last else None
    if (first and lo is None) or (last and hi is None):
        return None
    if lo is not None and hi is not None and lo > hi:
        return None  # a range that runs backwards holds no day
    return lo, hi


def parse(text: str, *, typing: bool = True) -> Query:
    """Parse a query. ``typing``: the last word is a prefix unless followed by a space."""
    clauses: list[list[Term]] = []
    required: list[list[Term]] = []
    excluded: list[Term] = []
    languages: list[str] = []
    dates: list[list[tuple[int | None, int | None]]] = []
    errors: list[str] = []
    entities: list[list[str]] = []
    excluded_entities: list[str] = []
    excluded_languages: list[str] = []
    excluded_dates: list[tuple[int | None, int | None]] = []
    join_next = False
    last: list[Term] | None = None  # the group the word before went into
    last_filter: list[Any] | None = None  # the filter group (date, entity, lang) before

    def group(kind: list[list[Any]], value: object) -> None:
        """Start a group of ``kind``, or join the one before when ``OR`` says so."""
        nonlocal last_filter, join_next
        if join_next and last_filter is not None and any(g is last_filter for g in kind):
            last_filter.append(value)
        else:
            if join_next:
                errors.append(_MIXED_OR)
            last_filter = [value]
            kind.append(last_filter)
        join_next = False

    ends_open = typing and bool(text) and not text[-1].isspace()
    items = list(_ITEM.finditer(text))
    for n, m in enumerate(items):
        is_last = n == len(items) - 1
        neg, fname, phrase, word = (
            m.group("neg"),
            m.group("field"),
            m.group("phrase"),
            m.group("word"),
        )
        if word == "OR" and not neg and not fname:
            join_next = last is not None or last_filter is not None
            continue
        raw = m.group(0)
        if fname is None and word and word[-1] == ":" and word[:-1].lower() in FIELDS:
            name = word[:-1].lower()
            errors.append(f"{name}: {NEEDS_VALUE} (e.g. {name}:{EXAMPLES[name]})")
            continue
        fname_l = fname.lower() if fname else None
        if fname_l not in FIELDS:
            if fname is not None:  # "http:" and the like are words, not fields
                word = fname + ":" + (word if word is not None else (phrase or ""))
                phrase = None if word else phrase
            fname_l = None
        if neg and fname_l in ("lang", "date"):
            value = (word or phrase or "").strip()
            span = parse_date(value) if fname_l == "date" else None
            if fname_l == "lang" and value:
                excluded_languages.append(value.lower())
            elif span is not None:
                excluded_dates.append(span)
            elif value:
                errors.append(_not_a_date(value))
            if join_next:
                errors.append(_MIXED_OR)
            join_next = False
            continue
        if fname_l == "lang":
            value = (word or phrase or "").strip().lower()
            if value:
                if join_next and last_filter is not languages:
                    errors.append(_MIXED_OR)
                languages.append(value)
                last, last_filter, join_next = None, languages, False
            continue
        if fname_l == "entity":
            name = " ".join((phrase if phrase is not None else word or "").split())
            if name and neg:
                excluded_entities.append(name)
            elif name:
                group(entities, name)
                last = None
            continue
        if fname_l == "date":
            value = (word or phrase or "").strip()
            span = parse_date(value)
            if span is None:
                errors.append(_not_a_date(value))
            else:
                group(dates, span)
                last = None
            continue
        source = phrase if phrase is not None else (word or "")
        words = tuple(fold_words(source))
        if not words:
            continue
        is_phrase = len(words) > 1
        open_end = is_last and ends_open and not (phrase is not None and m.group("closed"))
        term = Term(
            words=words,
            raw=raw,
            phrase=is_phrase,
            prefix=open_end and not neg,
            field=fname_l,
            quoted=phrase is not None,
        )
        if neg:
            excluded.append(term)
            join_next = False
            continue
        if join_next and last is None:
            errors.append(_MIXED_OR)
        elif join_next and last is not None:
            # OR joins this word to the one before, fields or not ("title:a OR title:b");
            # a group with a plain word in it ranks with the other words, never a filter.
            last.append(term)
            held = next((i for i, group in enumerate(required) if group is last), None)
            if not fname_l and held is not None:
                clauses.append(required.pop(held))
        if not join_next or last is None:
            last = [term]
            (required if fname_l else clauses).append(last)
        last_filter = None
        join_next = False
    return Query(
        text=text,
        clauses=tuple(Clause(tuple(c)) for c in clauses),
        required=tuple(Clause(tuple(c)) for c in required),
        excluded=tuple(excluded),
        languages=tuple(languages),
        dates=tuple(tuple(g) for g in dates),
        errors=tuple(errors),
        entities=tuple(tuple(g) for g in entities),
        excluded_entities=tuple(excluded_entities),
        excluded_languages=tuple(excluded_languages),
        excluded_dates=tuple(excluded_dates),
    )


def _not_a_date(value: str) -> str:
    return f"not a date or range of dates: {value!r} (try 2024-05 or 2024-01..2024-06)"


@dataclass(frozen=True)
class WordMatch:
    """How a folded word of a text matches a query word."""

    typos: int
    prefix: bool


def match_word(term_word: str, budget: int, prefix: bool, candidate: str) -> WordMatch | None:
    """Does ``candidate`` (a folded word of the text) match the query word?

    Damerau-Levenshtein as tantivy's fuzzy queries count it (optimal string
    alignment: a swap of two neighbours is one typo). A prefix word also
    matches the start of a longer word, with the same typo budget.
    """
    if candidate == term_word:
        return WordMatch(0, False)
    if prefix and candidate.startswith(term_word):
        return WordMatch(0, True)
    if budget <= 0 or (abs(len(candidate) - len(term_word)) > budget and not prefix):
        return None
    if abs(len(candidate) - len(term_word)) <= budget:
        d = OSA.distance(term_word, candidate, score_cutoff=budget)
        if d <= budget:
            return WordMatch(d, False)
    if prefix:
        n = len(term_word)
        best = budget + 1
        for k in range(max(1, n - budget), min(len(candidate), n + budget) + 1):
            best = min(best, OSA.distance(term_word, candidate[:k], score_cutoff=budget))
        if best <= budget:
            return WordMatch(best, True)
    return None
