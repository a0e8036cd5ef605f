"""Search over the index, find-in-article, and the title jump: plain data out.

Ranking follows Meilisearch's rules, in order: more query words matched,
fewer typos, words closer together, a match in the title over the text,
exact over prefix, then BM25. tantivy scores are single floats, so the rules
are encoded as constant scores per word, in bands that do not overlap
(``MATCH`` > ``TYPO`` > ``PROXIMITY`` > ``TITLE`` > ``EXACT`` > BM25): each
word's best way of matching (a ``disjunction_max`` of its tiers) adds its
band value. Typo candidates come from the index's own vocabulary through
tantivy's fuzzy term queries (Levenshtein automata over the term dictionary).

Meilisearch's "last" matching strategy runs as one query: the first word is
required, the others only rank (a hit that matches more of them sits in a
higher band), and when ten or more articles match every word the partial
matches are dropped. Unlike Meilisearch, an article matching the first and
third words ranks with one matching the first and second. The typo tiers are
left out of a first try when enough articles may match every word exactly.

Spans are found again in the article text by the same rules (``TextMatcher``:
the same folding, typo budget, Damerau distance and prefixes), so the
highlighted words are the words that made the article match. A hit's
snippet is made with the query; its spans only when asked (opening it).
"""

from __future__ import annotations

import itertools
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache, partial
from operator import itemgetter

import tantivy
from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import OSA, Prefix

from tui.index import PREFIX_LONGEST as PREFIX_KEPT
from tui.index import ArticleMeta, Index, IndexUnavailable, store_fault
from tui.query import Clause, Query, Term, match_word, parse
from tui.words import as_written, fold, fold_words, inside, unspaced, word_pattern

MATCH = 1000.0
TYPO = 25.0
PROXIMITY = 10.0
TITLE = 4.0
EXACT = 1.5
BM25_SCALE = 0.02
"""Score bands. A clause scores between MATCH - 2 * TYPO and MATCH + TITLE + EXACT, and the
optional extras stay under 2 * PROXIMITY + 1, so round(score / MATCH) is the number of
clauses a hit matched (for up to 9 clauses)."""
ENOUGH = 10
"""Fewer articles than this match every word: the "last" strategy adds partial matches."""
SNIPPET_WORDS = 20
PLAIN_FIELDS = ("title", "text", "source")
JUMP_CANDIDATES = 200
EXACT_FIRST = 6
"""Up to this many clauses, every clause matched without a typo outscores any typo."""
NEAR = 120
"""Characters within which query words count as meeting, for placing a snippet."""
HEAD = 1500
"""Characters of a text matched word by word first when placing its snippet."""
QUICK = 64
"""Occurrences of one word looked at when placing a snippet."""
FALLBACKS = 8
"""Articles of one query whose snippet may be placed word by word (see ``center``)."""
FEW_WORDS = 40
"""Up to this many words, classifying them one by one beats rapidfuzz's batch calls."""
SCREENFUL = 8
"""Hits a search screen shows at once (three lines each: six in 80x24), plus a margin."""

Occur = tantivy.Occur


@dataclass(frozen=True)
class Hit:
    """One article that matched, why (spans), and where (snippet)."""

    id: str
    title: str
    date: str | None
    language: str | None
    score: float
    make_snippet: Callable[[], tuple[str, list[tuple[int, int]]]] = field(
        default=lambda: ("", []), repr=False, compare=False
    )
    """Makes the snippet and its spans: only for the hits a screen shows (see ``Snippets``)."""
    locate: Callable[[], list[tuple[int, int]]] = field(default=list, repr=False, compare=False)
    """Finds ``spans``: only when asked (opening a hit), not for every hit listed."""

    @cached_property
    def _snippet(self) -> tuple[str, list[tuple[int, int]]]:
        return self.make_snippet()

    @property
    def snippet(self) -> str:
        """About ``SNIPPET_WORDS`` words around the best match, on one line."""
        return self._snippet[0]

    @property
    def snippet_spans(self) -> list[tuple[int, int]]:
        """Offsets of the matched words in ``snippet``."""
        return self._snippet[1]

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        """Offsets of every matched word in ``Article.text``."""
        return self.locate()


@dataclass(frozen=True)
class SearchResult:
    """The hits of one query, best first; ``suggestions`` when nothing matched."""

    query: str
    hits: list[Hit]
    suggestions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    more: bool = False
    """More articles match than the hits listed."""
    pending: bool = False
    """No index yet (it is being built): the same query will find more later."""


# --- matching in a text (shared by search hits and find-in-article) -------------------------


WordRule = tuple[str, int, bool]
"""How a query word matches: (folded word, typos allowed, prefix)."""


class Forms:
    """The forms query words were found in, kept across the queries of one typing session.

    Each key typed runs a new query, whose snippets would otherwise tokenize
    the same articles again to learn that "undeör" is "undeor" with a typo.
    Keyed by a clause's words and how they match, so a form is only ever
    reused where it matches by the same rules. At most ``limit`` forms.
    """

    def __init__(self, limit: int = 20_000) -> None:
        self._limit = limit
        self._count = 0
        self._by_clause: dict[tuple[WordRule, ...], set[str]] = {}
        self._lock = threading.Lock()

    def of(self, clause: tuple[WordRule, ...]) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._by_clause.get(clause, ()))

    def add(self, clause: tuple[WordRule, ...], surface: str) -> None:
        with self._lock:
            if self._count >= self._limit:
                self._by_clause.clear()
                self._count = 0
            known = self._by_clause.setdefault(clause, set())
            if surface not in known:
                known.add(surface)
                self._count += 1


class TextMatcher:
    """Finds a query's words and phrases in a text, by the rules the index uses.

    Classifying a word is cached per matcher (one query), and done for all the
    new words of a text at once with rapidfuzz: a hit list of 20 articles
    shares most of its vocabulary. ``forms`` carries what was learnt from one
    query to the next.
    """

    def __init__(self, query: Query, forms: Forms | None = None) -> None:
        self.words: list[tuple[int, str, int, bool]] = []
        self.phrases: list[tuple[int, Term]] = []
        rules: dict[int, list[WordRule]] = {}
        for clause_no, term in query.terms():
            if term.phrase:
                self.phrases.append((clause_no, term))
            else:
                self.words.append((clause_no, term.word, term.budget, term.prefix))
                rules.setdefault(clause_no, []).append((term.word, term.budget, term.prefix))
        self._seen: set[str] = set()
        self._matched: dict[str, int] = {}
        self._forms = forms
        self._clauses = {clause_no: tuple(r) for clause_no, r in rules.items()}
        if forms is not None:
            for clause_no, clause in self._clauses.items():
                for surface in forms.of(clause):
                    self._matched.setdefault(surface, clause_no)
        self._looks: list[tuple[str, int, bool]] | None = None
        """What ``center`` looks for: (surface, clause, whole word), made from ``_matched``."""
        self._looked = 0
        self._fallbacks = 0

    def classify_many(self, folded: Sequence[str]) -> dict[int, tuple[int, int]]:
        """{position: (clause, typos)} of the folded words that match: fewest typos first.

        Written for speed (this runs on every new word of every hit): rapidfuzz
        scans whole lists in C, and a prefix with typos compares the first k
        letters of every word, k within the budget around the prefix's length.
        """
        best: dict[int, tuple[int, int]] = {}
        if len(folded) <= FEW_WORDS:  # a snippet's words: calls into rapidfuzz cost more
            for i, word in enumerate(folded):
                for clause_no, w, budget, prefix in self.words:
                    match = match_word(w, budget, prefix, word)
                    if match is not None and (i not in best or match.typos < best[i][1]):
                        best[i] = (clause_no, match.typos)
            return best

        def offer(i: int, clause_no: int, typos: int) -> None:
            current = best.get(i)
            if current is None or typos < current[1]:
                best[i] = (clause_no, typos)

        for clause_no, w, budget, prefix in self.words:
            if prefix:
                for _, _, i in process.extract(
                    w, folded, scorer=Prefix.similarity, score_cutoff=len(w), limit=None
                ):
                    offer(i, clause_no, 0)
            for _, typos, i in process.extract(
                w, folded, scorer=OSA.distance, score_cutoff=budget, limit=None
            ):
                offer(i, clause_no, int(typos))
            if prefix and budget:
                for k in range(max(1, len(w) - budget), len(w) + budget + 1):
                    heads = list(map(itemgetter(slice(0, k)), folded))
                    for _, typos, i in process.extract(
                        w, heads, scorer=OSA.distance, score_cutoff=budget, limit=None
                    ):
                        offer(i, clause_no, int(typos))
        return best

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, clause) of every match in ``text``, in order."""
        out: list[tuple[int, int, int]] = []
        if self.words:
            haystack, surfaces, folding = (_surfaces if len(text) > 1000 else _tokenize)(text)
            new = list(surfaces.difference(self._seen))
            if new:
                self._seen.update(new)
                folded = list(map(folding.get, new, new))
                for i, (clause_no, _) in self.classify_many(folded).items():
                    self._matched[new[i]] = clause_no
                    if self._forms is not None:
                        self._forms.add(self._clauses[clause_no], new[i])
            for surface in surfaces.intersection(self._matched):
                clause_no = self._matched[surface]
                out.extend((s, e, clause_no) for s, e in _occurrences(haystack, surface))
        if self.phrases:
            out.extend(self._phrases(text))
        out.sort()
        return _drop_overlaps(out)

    def center(self, text: str, clauses: int) -> int | None:
        """Where the most different query words meet in ``text``: the middle of its snippet.

        Looks with ``str.find`` for the words, and for the forms other hits
        matched them in (typos, accents), which costs little; tokenizes the
        text (``find``) only when that sees fewer of the query's ``clauses``
        than the article matched, for the first ``FALLBACKS`` such articles:
        a typo in an unfinished word matches another word in nearly every
        article, and the forms learnt there let the next ones be found quickly.
        Then only the stretches around the words seen are tokenized, or the
        whole text when none was seen.
        """
        found = self._quick(text)
        if len({c for _, c in found}) < clauses and self._fallbacks < FALLBACKS:
            self._fallbacks += 1
            if found:
                # Only words near those found can join them in a snippet.
                found = [
                    (at + s, c)
                    for at, part in _around(text, [s for s, _ in found])
                    for s, _, c in self.find(part)
                ]
            else:
                # Word by word: the head of a long text first, which usually has them all.
                for part in (text[:HEAD], text) if len(text) > 2 * HEAD else (text,):
                    found = [(s, c) for s, _, c in self.find(part)]
                    if len({c for _, c in found}) >= clauses:
                        break
        if not found:
            return None
        found.sort()
        best, best_score = 0, -1
        for i, (start, _) in enumerate(found):
            near = set()
            for s, c in itertools.islice(found, i, None):
                if s - start >= NEAR:
                    break
                near.add(c)
            if len(near) > best_score:
                best, best_score = i, len(near)
        return found[best][0]

    def _quick(self, text: str) -> list[tuple[int, int]]:
        """(start, clause) of the words and their known forms, in lower case, Capitalized or
        in capitals (no ``text.lower()``: 40 µs for a page of accented text)."""
        out: list[tuple[int, int]] = []
        for variant, clause_no, whole in self._variants():
            out.extend((s, clause_no) for s in _starts(text, variant, whole=whole))
        return out

    def known(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of the words and their known forms in a short text, as ``find``
        gives them but without matching its other words (a snippet, after ``center``).
        In any case (``OpenAI``, not only openai, Openai and OPENAI) where lowering keeps
        every offset."""
        spans: list[tuple[int, int, int]] = []
        haystack, looks = text, self._variants()
        lowered = text.lower()
        if len(lowered) == len(text):
            haystack = lowered
            looks = list(dict.fromkeys((v.lower(), c, whole) for v, c, whole in looks))
        for variant, clause_no, whole in looks:
            for start in _starts(haystack, variant, whole=whole):
                end = start + len(variant)
                while end < len(text) and inside(text, end):  # the rest of a prefixed word
                    end += 1
                spans.append((start, end, clause_no))
        spans.sort()
        return [(s, e) for s, e, _ in _drop_overlaps(spans)]

    def _variants(self) -> list[tuple[str, int, bool]]:
        """What ``_quick`` looks for: (surface, clause, whole word), remade as forms are learnt."""
        if self._looks is None or self._looked != len(self._matched):
            looks: dict[str, tuple[int, bool]] = {}
            for clause_no, w, _, prefix in self.words:
                looks.setdefault(w, (clause_no, not prefix))
            for clause_no, term in self.phrases:
                looks.setdefault(as_written(term.words), (clause_no, not term.prefix))
            prefixes = tuple(w for _, w, _, prefix in self.words if prefix)
            for surface, clause_no in self._matched.items():
                if not surface.startswith(prefixes):
                    looks.setdefault(surface, (clause_no, True))
            self._looks = [
                (variant, clause_no, whole)
                for surface, (clause_no, whole) in looks.items()
                for variant in dict.fromkeys((surface, surface.capitalize(), surface.upper()))
            ]
            self._looked = len(self._matched)
        return self._looks

    def _phrases(self, text: str) -> Iterable[tuple[int, int, int]]:
        tokens = [(m.start(), m.end(), fold(m.group())) for m in word_pattern(text).finditer(text)]
        tokens = [t for t in tokens if t[2]]  # a mark the index drops is no word between two
        folded = [t[2] for t in tokens]
        for clause_no, term in self.phrases:
            words = term.words
            n = len(words)
            for i in range(len(folded) - n + 1):
                if folded[i : i + n - 1] != list(words[: n - 1]):
                    continue
                last = folded[i + n - 1]
                if last == words[-1] or (term.prefix and last.startswith(words[-1])):
                    yield tokens[i][0], tokens[i + n - 1][1], clause_no


def _tokenize(text: str) -> tuple[str, frozenset[str], dict[str, str]]:
    """The text to look in, its distinct words, and the folding of those that need it.

    Lowercased first when that keeps every offset (it nearly always does), so
    ``Nvidia`` and ``NVIDIA`` are one word and ASCII words are already folded.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        words = frozenset(word_pattern(lowered).findall(lowered))
        if lowered.isascii():
            return lowered, words, {}
        return lowered, words, {w: fold(w) for w in words if not w.isascii()}
    words = frozenset(word_pattern(text).findall(text))
    return text, words, {w: fold(w) for w in words}


_surfaces = lru_cache(maxsize=256)(_tokenize)
"""``_tokenize`` of whole articles, cached: hits repeat from one keystroke to the next."""


def _occurrences(text: str, surface: str) -> Iterable[tuple[int, int]]:
    """Whole-word occurrences of ``surface`` in ``text``."""
    n = len(surface)
    start = text.find(surface)
    while start >= 0:
        end = start + n
        if (start == 0 or not inside(text, start - 1)) and (
            end == len(text) or not inside(text, end)
        ):
            yield start, end
        start = text.find(surface, end)


def _starts(text: str, word: str, *, whole: bool) -> Iterable[int]:
    """Where ``word`` starts a word of ``text`` (and ends it, if ``whole``); the first ``QUICK``."""
    n = len(word)
    found = 0
    start = text.find(word)
    while start >= 0 and found < QUICK:
        end = start + n
        if (start == 0 or not inside(text, start - 1)) and (
            not whole or end == len(text) or not inside(text, end)
        ):
            found += 1
            yield start
        start = text.find(word, end)


def _around(text: str, starts: Sequence[int]) -> list[tuple[int, str]]:
    """(offset, piece) of ``text`` within ``NEAR`` characters of ``starts``, merged, whole words."""
    pieces: list[tuple[int, str]] = []
    lo = hi = -1
    for start in sorted(starts):
        if start - NEAR <= hi:
            hi = max(hi, start + NEAR)
            continue
        if hi >= 0:
            pieces.append(_piece(text, lo, hi))
        lo, hi = max(0, start - NEAR), start + NEAR
    if hi >= 0:
        pieces.append(_piece(text, lo, hi))
    return pieces


def _piece(text: str, lo: int, hi: int) -> tuple[int, str]:
    """``text[lo:hi]`` widened to the spaces around it, so that no word is cut."""
    lo = text.rfind(" ", 0, lo) + 1 if lo > 0 else 0
    end = text.find(" ", hi)
    hi = len(text) if end < 0 else end
    return lo, text[lo:hi]


def _drop_overlaps(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for span in spans:
        if out and span[0] < out[-1][1]:
            if span[1] > out[-1][1]:
                out[-1] = (out[-1][0], span[1], out[-1][2])
            continue
        out.append(span)
    return out


def find_in_text(text: str, query: str) -> list[tuple[int, int]]:
    """Offsets of every match of ``query`` in ``text`` (find in this article).

    Same words, typos, prefixes, phrases and OR as search; the text's own
    words are the vocabulary. Exclusions and filters do not apply here.
    """
    return [(s, e) for s, e, _ in TextMatcher(parse(query)).find(text)]


def snippet_of(
    text: str, matcher: TextMatcher, clauses: int, words: int = SNIPPET_WORDS
) -> tuple[str, list[tuple[int, int]]]:
    """About ``words`` words around the best match, one line, with the matches' offsets in it.

    The best match is the one with the most different query words near it
    (``TextMatcher.center``); the words lit in the snippet are the query's
    and the forms matched so far (a typo met only here stays unlit).
    """
    if not text:
        return "", []
    center = matcher.center(text, clauses)
    if unspaced(text[center if center is not None else 0]):
        words = words * 3 // 2  # a character of Chinese or Thai is less than a word of a row
    if center is None:
        begin, end = 0, _forward(text, 0, words)
    else:
        begin = _backward(text, center, words // 3)
        end = _forward(text, center, words - words // 3)
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(text) else ""
    body = text[begin:end]
    shift = len(prefix)
    if center is None:
        found: list[tuple[int, int]] = []
    elif matcher.phrases:  # a phrase is lit whole
        found = [(s, e) for s, e, _ in matcher.find(body)]
    else:
        found = matcher.known(body)
    return prefix + _one_line(body) + suffix, [(s + shift, e + shift) for s, e in found]


def _one_line(text: str) -> str:
    """Same length, one line: offsets into it stay valid."""
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ")


def _backward(text: str, pos: int, n: int) -> int:
    """Where the ``n``-th word before ``pos`` starts (or the text's start)."""
    for width in (12 * n, 40 * n):
        window = text[max(0, pos - width) : pos]
        starts = [m.start() for m in word_pattern(window).finditer(window)]
        if len(starts) > n or pos - width <= 0:
            break
    if len(starts) < n:
        return 0 if pos - width <= 0 else pos - len(window) + (starts[0] if starts else 0)
    return pos - len(window) + starts[-n]


def _forward(text: str, pos: int, n: int) -> int:
    """Where the ``n``-th word from ``pos`` ends (or the text's end)."""
    for width in (12 * n, 40 * n):
        window = text[pos : pos + width]
        ends = [m.end() for m in word_pattern(window).finditer(window)]
        if len(ends) > n or pos + width >= len(text):
            break
    if len(ends) <= n:
        return (
            min(len(text), pos + len(window))
            if pos + len(window) >= len(text)
            else (pos + (ends[-1] if ends else len(window)))
        )
    return pos + ends[n - 1]


# --- the index query ------------------------------------------------------------------------


def _const(query: tantivy.Query, score: float) -> tantivy.Query:
    return tantivy.Query.const_score_query(query, score)


def _prefix_query(index: Index, field_name: str, prefix: str) -> tantivy.Query | None:
    """Words longer than ``prefix`` that start with it.

    A short prefix starting many words stands for its most frequent ones
    (kept by the index): all of them would cost a union of thousands of
    postings on every keystroke. Those are a union of term queries, not a
    term set, which reads every posting of every term: under a required
    word, a union skips to the articles that have it (A/B at 100,000
    articles, keystrokes ending in one or two letters: p50 8.1 -> 7.0 ms,
    same hits). None for a one- or two-letter prefix of no kept word.
    """
    expansions = [t for t in index.prefix_terms(prefix) if t != prefix]
    if expansions:
        terms = (tantivy.Query.term_query(index.schema, field_name, t) for t in expansions)
        return tantivy.Query.boolean_query([(Occur.Should, q) for q in terms])
    if len(prefix) <= 2:
        return None
    return tantivy.Query.fuzzy_term_query(index.schema, field_name, prefix, 0, True, True)


class _Planner:
    """Turns a parsed query into tantivy queries over one index."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.schema = index.schema
        self.searcher = index.searcher

    def term_tiers(
        self, term: Term, typos: bool = True, fields: Sequence[str] = PLAIN_FIELDS
    ) -> list[tantivy.Query]:
        """One constant-score query per way the term can match; the best one counts.

        Typo tiers (Levenshtein automata, the costly part) run on the text
        field only: a title opens its text, or is indexed with it (``index._fields``).
        ``fields``: where a term typed without a field is looked for.
        """
        schema = self.schema
        fields = (term.field,) if term.field else fields
        tiers: list[tantivy.Query] = []
        for name in fields:
            bonus = TITLE if name == "title" else 0.0
            if term.phrase:
                if term.prefix:
                    q = tantivy.Query.phrase_prefix_query(schema, name, list(term.words))
                else:
                    q = tantivy.Query.phrase_query(schema, name, list(term.words))
                tiers.append(_const(q, MATCH + bonus + EXACT))
                continue
            w = term.word
            tiers.append(_const(tantivy.Query.term_query(schema, name, w), MATCH + bonus + EXACT))
            prefixed = _prefix_query(self.index, name, w) if term.prefix else None
            if prefixed is not None:
                tiers.append(_const(prefixed, MATCH + bonus))
        typo_field = term.field or "text"
        if typos and not term.phrase and typo_field != "source":
            w = term.word
            bonus = TITLE if typo_field == "title" else 0.0
            exact = 0.0 if term.prefix else EXACT
            for d in sorted({1, term.budget}) if term.budget else ():
                q = tantivy.Query.fuzzy_term_query(schema, typo_field, w, d, True, term.prefix)
                tiers.append(_const(q, MATCH - d * TYPO + bonus + exact))
        return tiers

    def exact_matches_at_most(self, query: Query) -> float:
        """An upper bound on the articles matching every clause without a typo.

        The fewest of any clause whose words are whole (their document
        frequencies summed over the fields); unbounded when every clause
        has a prefix or a phrase.
        """
        bound = float("inf")
        for clause in (*query.clauses, *query.required):
            if any(t.prefix or t.phrase for t in clause.terms):
                continue
            bound = min(
                bound,
                sum(
                    self.searcher.doc_freq(name, t.word)
                    for t in clause.terms
                    for name in ((t.field,) if t.field else PLAIN_FIELDS)
                ),
            )
        return bound

    def clause(
        self, clause: Clause, typos: bool = True, fields: Sequence[str] = PLAIN_FIELDS
    ) -> tantivy.Query:
        tiers = [q for term in clause.terms for q in self.term_tiers(term, typos, fields)]
        return tantivy.Query.disjunction_max_query(tiers)

    def excluded(self, term: Term) -> tantivy.Query:
        fields = (term.field,) if term.field else PLAIN_FIELDS
        parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for name in fields:
            if len(term.words) > 1:
                q = tantivy.Query.phrase_query(self.schema, name, list(term.words))
            else:
                q = tantivy.Query.term_query(self.schema, name, term.words[0])
            parts.append((Occur.Should, q))
        return tantivy.Query.boolean_query(parts)

    def filters(self, query: Query) -> list[tantivy.Query]:
        out: list[tantivy.Query] = []
        if query.languages:
            langs = [(Occur.Should, self._language(code)) for code in query.languages]
            out.append(_const(tantivy.Query.boolean_query(langs), 0.0))
        for ranges in query.dates:
            either = [(Occur.Should, self._dated(lo, hi)) for lo, hi in ranges]
            out.append(_const(tantivy.Query.boolean_query(either), 0.0))
        return out

    def exclusions(self, query: Query) -> list[tantivy.Query]:
        """``-lang:`` and ``-date:``: an article of unknown language or date stays."""
        return [self._language(code) for code in query.excluded_languages] + [
            self._dated(lo, hi) for lo, hi in query.excluded_dates
        ]

    def _language(self, code: str) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, "lang", code)

    def _dated(self, lo: int | None, hi: int | None) -> tantivy.Query:
        """Articles whose own span of days (a day, a month, a year) overlaps lo..hi."""
        integer = tantivy.FieldType.Integer
        both: list[tuple[tantivy.Occur, tantivy.Query]] = []
        if hi is not None:
            q = tantivy.Query.range_query(self.schema, "date_lo", integer, 0, hi)
            both.append((Occur.Must, q))
        if lo is not None:
            q = tantivy.Query.range_query(self.schema, "date_hi", integer, lo, 99_999_999)
            both.append((Occur.Must, q))
        return tantivy.Query.boolean_query(both)

    def ranking(self, query: Query) -> list[tantivy.Query]:
        """Optional clauses: proximity of the words, then BM25 as the last tie-breaker."""
        exact: list[str | tuple[int, str]] = [
            c.terms[0].word
            for c in query.clauses
            if len(c.terms) == 1
            and not c.terms[0].phrase
            and self.searcher.doc_freq("text", c.terms[0].word) > 0
        ]
        out: list[tantivy.Query] = []
        if len(exact) >= 2:
            near = tantivy.Query.phrase_query(self.schema, "text", exact, slop=0)
            close = tantivy.Query.phrase_query(self.schema, "text", exact, slop=8)
            out.append(
                tantivy.Query.disjunction_max_query(
                    [_const(near, 2 * PROXIMITY), _const(close, PROXIMITY)]
                )
            )
        # BM25 only breaks ties: words in most articles say nothing and cost a full scan.
        common = 0.3 * self.searcher.num_docs
        words = [
            t.word
            for _, t in query.terms()
            if not t.phrase and self.searcher.doc_freq("text", t.word) <= common
        ]
        bm25 = [
            (Occur.Should, tantivy.Query.term_query(self.schema, name, w))
            for w in dict.fromkeys(words)
            for name in ("title", "text")
        ]
        if bm25:
            out.append(tantivy.Query.boost_query(tantivy.Query.boolean_query(bm25), BM25_SCALE))
        return out


def _combine(
    must: Sequence[tantivy.Query],
    should: Sequence[tantivy.Query],
    must_not: Sequence[tantivy.Query],
) -> tantivy.Query:
    parts: list[tuple[tantivy.Occur, tantivy.Query]] = [(Occur.Must, q) for q in must]
    if not must:
        parts.append((Occur.Must, tantivy.Query.all_query()))
    parts.extend((Occur.Should, q) for q in should)
    parts.extend((Occur.MustNot, q) for q in must_not)
    return tantivy.Query.boolean_query(parts)


EntityLookup = Callable[[str], Sequence[str] | None]
"""Ids of the articles that mention an entity, by name; None when no mentions are stored."""


def _entity_filters(
    index: Index, parsed: Query, lookup: EntityLookup | None
) -> tuple[Query, list[tantivy.Query], list[tantivy.Query]]:
    """``entity:`` as filters on article ids (must, must not).

    Before any entity pass (``lookup`` None or answering None) the name is a
    phrase the article must contain, or must not.
    """
    must: list[tantivy.Query] = []
    must_not: list[tantivy.Query] = []
    required = list(parsed.required)
    excluded = list(parsed.excluded)
    for names, negated in [(g, False) for g in parsed.entities] + [
        ((n,), True) for n in parsed.excluded_entities
    ]:
        found = [lookup(name) if lookup is not None else None for name in names]
        if any(ids is None for ids in found):
            terms = [
                Term(words, name, phrase=len(words) > 1, quoted=True)
                for name in names
                if (words := tuple(fold_words(name)))
            ]
            if negated:
                excluded.extend(terms)
            elif terms:
                required.append(Clause(tuple(terms)))
            continue
        ids = list({i for one in found if one for i in one})
        if negated:
            if ids:
                must_not.append(tantivy.Query.term_set_query(index.schema, "id", ids))
        else:
            q = (
                tantivy.Query.term_set_query(index.schema, "id", ids)
                if ids
                else tantivy.Query.empty_query()
            )
            must.append(_const(q, 0.0))
    return replace(parsed, required=tuple(required), excluded=tuple(excluded)), must, must_not


def search(
    index: Index,
    query: str,
    limit: int = 20,
    entities: EntityLookup | None = None,
    *,
    ready: int | None = None,
    forms: Forms | None = None,
) -> SearchResult:
    """The articles that match ``query``, best first, each with its spans and a snippet.

    ``entities`` answers ``entity:`` filters (see ``EntityLookup``). The
    snippets of the first ``ready`` hits (default: all) are made before
    returning; the others when first read. ``forms``: what the queries typed
    before this one learnt (see ``Forms``). Raises ``IndexUnavailable`` when a
    store turns out damaged (and marks the cache for a fresh build).
    """
    try:
        return _search(index, query, limit, entities, ready, forms)
    except BaseException as exc:  # tantivy panics (a BaseException) on damaged files
        if store_fault(exc) and not isinstance(exc, IndexUnavailable):
            index.damaged(exc)
        raise


def _search(
    index: Index,
    query: str,
    limit: int,
    entities: EntityLookup | None,
    ready: int | None,
    forms: Forms | None,
) -> SearchResult:
    parsed = parse(query)
    errors = list(parsed.errors)
    if parsed.empty and not errors:
        nothing = parsed.nothing()
        errors.append(nothing[:1].upper() + nothing[1:] + ".")
    if parsed.empty or limit <= 0:
        return SearchResult(query, [], [], errors)
    parsed, by_entity, not_by_entity = _entity_filters(index, parsed, entities)
    plan = _Planner(index)
    searcher = plan.searcher
    # More hits than articles is none more; tantivy's count is free where SQLite's
    # COUNT(*) reads the whole table (19 ms of a `margin search` at 100,000 articles).
    limit = min(limit, max(searcher.num_docs, 1))
    filters = plan.filters(parsed) + by_entity
    must_not = [plan.excluded(t) for t in parsed.excluded] + not_by_entity
    must_not += plan.exclusions(parsed)
    ranking = plan.ranking(parsed)
    wanted = max(limit + 1, ENOUGH)  # one more than listed: tells whether more match
    full = len(parsed.clauses) + len(parsed.required)

    def run(
        typos: bool, fields: Sequence[str] = PLAIN_FIELDS
    ) -> list[tuple[float, tantivy.DocAddress]]:
        # Meilisearch's "last" strategy in one pass: the first word is required, the
        # others rank (more of them matched = a higher score band).
        clauses = [plan.clause(c, typos, fields) for c in parsed.clauses]
        fixed = [plan.clause(c, typos, fields) for c in parsed.required] + filters
        if clauses:
            q = _combine(clauses[:1] + fixed, clauses[1:] + ranking, must_not)
        else:
            q = _combine(fixed, ranking, must_not)
        return list(searcher.search(q, wanted, count=False).hits)

    # One word, or one phrase, typed while a title holds it in enough articles: those
    # outrank every other match, and titles are short (a one-letter prefix costs
    # a union of its words over every text: 8-10 ms at 100,000 articles, 1 in titles).
    found: list[tuple[float, tantivy.DocAddress]] = []
    if full == 1 and not any(t.field for _, t in parsed.terms()):
        found = run(typos=False, fields=("title",))
        if len(found) < wanted:
            found = []
    # Typo tiers cost most (Levenshtein automata over the whole vocabulary). When
    # enough articles match every word without a typo, no typo can rank among them.
    if not found and (
        full <= EXACT_FIRST
        and any(t.budget for _, t in parsed.terms())
        and plan.exact_matches_at_most(parsed) >= wanted
    ):
        found = run(typos=False)
        if len(found) < wanted or round(found[-1][0] / MATCH) < full:
            found = []
    if not found:
        found = run(typos=True)
    complete = [h for h in found if round(h[0] / MATCH) >= full]
    # When enough articles match every word, the partial matches are left out.
    if len(complete) >= ENOUGH:
        found = complete
    more = len(found) > limit
    found = found[:limit]
    if not found:
        return SearchResult(query, [], suggest(index, parsed), errors)
    matcher = TextMatcher(parsed, forms)
    ids = [str(searcher.doc(address).get_first("id")) for _, address in found]
    metas = index.metas(ids)
    snippets = Snippets(index, matcher, ids, metas, [round(score / MATCH) for score, _ in found])
    snippets.upto(limit if ready is None else ready)
    hits: list[Hit] = []
    for i, ((score, _), article_id) in enumerate(zip(found, ids, strict=True)):
        meta = metas.get(article_id)
        hits.append(
            Hit(
                id=article_id,
                title=meta.title if meta else "",
                date=meta.date if meta else None,
                language=meta.language if meta else None,
                score=float(score),
                make_snippet=partial(snippets.of, i),
                locate=_locator(index, matcher, article_id),
            )
        )
    return SearchResult(query, hits, [], errors, more=more)


class Snippets:
    """The snippets of one query's hits, made in rank order as they are first asked for.

    A screen shows a few hits; the others' texts are read only if scrolled to.
    Order matters: each snippet teaches the matcher forms (typos, accents)
    that find the next ones quickly, and a hit's snippet must not depend on
    which hit was drawn first.
    """

    def __init__(
        self,
        index: Index,
        matcher: TextMatcher,
        ids: Sequence[str],
        metas: dict[str, ArticleMeta],
        clauses: Sequence[int],
    ) -> None:
        self._index = index
        self._matcher = matcher
        self._ids = ids
        self._metas = metas
        self._clauses = clauses
        self._made: list[tuple[str, list[tuple[int, int]]]] = []
        self._lock = threading.Lock()

    def upto(self, count: int) -> None:
        """Make the snippets of the first ``count`` hits, reading their texts in one go."""
        with self._lock:
            todo = self._ids[len(self._made) : count]
            if not todo:
                return
            try:
                texts = _texts(self._index, todo, self._metas)
            except (sqlite3.Error, IndexUnavailable):  # closed, rebuilt or damaged meanwhile
                texts = {}
            for article_id in todo:
                clauses = self._clauses[len(self._made)]
                self._made.append(snippet_of(texts.get(article_id, ""), self._matcher, clauses))

    def of(self, i: int) -> tuple[str, list[tuple[int, int]]]:
        """Hit ``i``'s snippet and spans, with those of the next screenful if not made yet."""
        if i >= len(self._made):
            self.upto(i + SCREENFUL)
        return self._made[i]


_TEXTS: OrderedDict[str, str] = OrderedDict()
_TEXTS_LOCK = threading.Lock()
TEXTS_KEPT = 256
"""Articles kept unpacked by content hash: hits repeat from one keystroke to the next."""
TEXT_KEPT_CHARS = 20_000
"""Longer texts are not kept: the cache stays a few megabytes."""


def _texts(index: Index, ids: Sequence[str], metas: dict[str, ArticleMeta]) -> dict[str, str]:
    """Each article's text, from memory when its hash was seen before."""
    out: dict[str, str] = {}
    with _TEXTS_LOCK:
        for article_id in ids:
            meta = metas.get(article_id)
            if meta is not None and meta.hash in _TEXTS:
                _TEXTS.move_to_end(meta.hash)
                out[article_id] = _TEXTS[meta.hash]
    missing = [i for i in ids if i not in out]
    for article_id, text in index.texts(missing).items():
        out[article_id] = text
        meta = metas.get(article_id)
        if meta is not None and len(text) <= TEXT_KEPT_CHARS:
            with _TEXTS_LOCK:
                _TEXTS[meta.hash] = text
                while len(_TEXTS) > TEXTS_KEPT:
                    _TEXTS.popitem(last=False)
    return out


def forget() -> None:
    """Drop the texts and tokenizations kept between queries (a benchmark's first queries)."""
    with _TEXTS_LOCK:
        _TEXTS.clear()
    _surfaces.cache_clear()


def _locator(
    index: Index, matcher: TextMatcher, article_id: str
) -> Callable[[], list[tuple[int, int]]]:
    """How a hit finds its spans when asked: the text is read again then, not kept.

    No spans (the article opens at its start) if the index went away meanwhile.
    """

    def locate() -> list[tuple[int, int]]:
        try:
            text = index.text(article_id) or ""
        except (sqlite3.Error, IndexUnavailable):  # gone meanwhile, or found damaged (marked)
            return []
        return [(s, e) for s, e, _ in matcher.find(text)]

    return locate


def suggest(index: Index, parsed: Query, limit: int = 3) -> list[str]:
    """ "Did you mean": the query as typed, its unknown words replaced by the nearest indexed
    terms (its fields, quotes, exclusions and OR kept). Numbers are never replaced: they
    take no typos, so 2023 is not 2024."""
    searcher = index.searcher
    replacements: list[tuple[str, list[str]]] = []  # (the word as typed, the options)
    for _, term in parsed.terms():
        w = term.word
        if term.phrase or w.isdigit():
            continue
        if (
            searcher.doc_freq("text", w)
            or searcher.doc_freq("title", w)
            or (term.prefix and (searcher.terms_with_prefix("text", w, limit=1)))
        ):
            continue
        options = _nearest_terms(index, w, limit)
        if options:
            typed = term.raw.split(":", 1)[1] if term.field else term.raw
            replacements.append((typed.strip('"'), options))
    out: list[str] = []
    typed_query = parsed.text.strip()
    if typed_query.count('"') % 2:
        typed_query += '"'  # a quote left open as it was typed: '"used"', not '"used'
    for n in range(limit if replacements else 0):
        guess = typed_query
        for typed, options in replacements:
            word = re.compile(rf"(?<![^\W_]){re.escape(typed)}(?![^\W_])")
            guess = word.sub(options[min(n, len(options) - 1)], guess, 1)  # terms: letters
        if guess not in out:
            out.append(guess)
    return out


def _nearest_terms(index: Index, word: str, limit: int) -> list[str]:
    """The indexed terms most like ``word``: among the most frequent terms sharing its first
    letters (kept by the index, no cost), else among every term sharing its first two.

    Reading every term of a prefix from the term dictionary takes 5-25 ms at
    100,000 articles: too much for each keystroke of a query that finds nothing.
    """
    kept: dict[str, int] = {}  # a longer shared prefix, then more frequent: weightier
    for k in range(min(PREFIX_KEPT, len(word)), 0, -1):
        for term in index.prefix_terms(word[:k]):
            kept.setdefault(term, -len(kept))
    ranked = _closest(word, kept, limit, 60)
    if ranked:
        return ranked
    searcher = index.searcher
    candidates: dict[str, int] = {}
    for prefix in (word[:2], word[:1]):
        for name in ("text", "title"):
            for term, freq in searcher.terms_with_prefix(name, prefix, limit=50_000):
                candidates[term] = candidates.get(term, 0) + freq
        if len(candidates) >= 50:
            break
    return _closest(word, candidates, limit, 50)


def _closest(word: str, candidates: dict[str, int], limit: int, cutoff: int) -> list[str]:
    """The candidates most like ``word`` (fuzz.ratio from ``cutoff``), the weightier on ties."""
    if not candidates:
        return []
    ranked = process.extract(
        word, list(candidates), scorer=fuzz.ratio, limit=limit * 4, score_cutoff=cutoff
    )
    ranked.sort(key=lambda r: (-round(r[1]), -candidates[r[0]]))
    return [r[0] for r in ranked[:limit]]


# --- title jump -----------------------------------------------------------------------------


def jump(index: Index, typed: str, limit: int = 20) -> list[tuple[str, str, float]]:
    """Articles by title, fzf-style: (id, title, score), best first.

    Candidates come from the index (title words, prefixes, typos); they are
    ranked by how many typed words their title matches, then by rapidfuzz's
    WRatio against the whole typed string. With no candidate at all (a
    subsequence like ``nvh100``), rapidfuzz scans every title.
    """
    words = fold_words(typed)
    if not words:
        return [(i, t, 0.0) for i, t in index.titles()[:limit]]
    open_end = not typed[-1:].isspace()
    terms = [Term((w,), w, prefix=open_end and n == len(words) - 1) for n, w in enumerate(words)]
    schema = index.schema
    parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
    for term in terms:
        w = term.word
        parts.append((Occur.Should, tantivy.Query.term_query(schema, "title", w)))
        prefixed = _prefix_query(index, "title", w) if term.prefix else None
        if prefixed is not None:
            parts.append((Occur.Should, prefixed))
        if term.budget:
            q = tantivy.Query.fuzzy_term_query(schema, "title", w, term.budget, True, term.prefix)
            parts.append((Occur.Should, _const(q, 0.5)))
    searcher = index.searcher
    hits = searcher.search(tantivy.Query.boolean_query(parts), JUMP_CANDIDATES, count=False).hits
    ids = [str(searcher.doc(address).get_first("id")) for _, address in hits]
    metas = index.metas(ids)
    choices = {i: metas[i].title for i in ids if i in metas}
    if not choices:
        ranked = process.extract(
            typed,
            dict(index.titles()),
            scorer=fuzz.partial_ratio,
            processor=utils.default_process,
            limit=limit,
            score_cutoff=60,
        )
        return [(key, title, float(score)) for title, score, key in ranked]
    return _rank_titles(typed, choices, limit)


def _typed_terms(typed: str) -> list[Term]:
    words = fold_words(typed)
    open_end = not typed[-1:].isspace()
    return [Term((w,), w, prefix=open_end and n == len(words) - 1) for n, w in enumerate(words)]


def _rank_titles(typed: str, choices: dict[str, str], limit: int) -> list[tuple[str, str, float]]:
    """Most typed words found in the title first (typos and prefixes as in search), then
    rapidfuzz's WRatio of the whole typed string.

    The titles' words are classified all at once, and WRatio runs over all
    titles in one call: 200 titles one by one took 10 ms.
    """
    terms = _typed_terms(typed)
    matcher = TextMatcher(Query(typed, tuple(Clause((t,)) for t in terms)))
    words_of = {article_id: fold_words(title) for article_id, title in choices.items()}
    vocabulary = list({w for words in words_of.values() for w in words})
    clause_of = {vocabulary[i]: c for i, (c, _) in matcher.classify_many(vocabulary).items()}
    similarity = {
        key: score
        for _, score, key in process.extract(
            typed, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=None
        )
    }
    scored = []
    for article_id, title in choices.items():
        matched = len({clause_of[w] for w in words_of[article_id] if w in clause_of})
        scored.append((matched * 100.0 + similarity.get(article_id, 0.0), article_id, title))
    scored.sort(key=lambda s: -s[0])
    return [(article_id, title, score) for score, article_id, title in scored[:limit]]


def jump_titles(
    titles: Sequence[tuple[str, str]], typed: str, limit: int = 20
) -> list[tuple[str, str, float]]:
    """The title jump over a plain list of (id, title), for before any index exists.

    rapidfuzz over every title: fine for thousands (about 5 ms per 1,000),
    too slow for 100,000 (use ``jump`` once the first batch is committed).
    """
    if not fold_words(typed):
        return [(i, t, 0.0) for i, t in titles[:limit]]
    ranked = process.extract(
        typed,
        dict(titles),
        scorer=fuzz.partial_ratio,
        processor=utils.default_process,
        limit=JUMP_CANDIDATES,
        score_cutoff=40,
    )
    return _rank_titles(typed, {key: title for title, _, key in ranked}, limit)
