"""Linking: every name of one entity mapped to one canonical name.

``link_article`` works inside one text: "Musk" becomes "Elon Musk" when the
full name is there, "NVIDIA", "Nvidia Corp." and "Nvidia's" become "Nvidia",
and the mentions of one entity agree on a type. ``link_corpus`` does the same
across articles, conservatively: a surname joins a full name only when the
corpus holds exactly one full name with that surname, so two people who share
a surname are never merged.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from itertools import compress
from operator import itemgetter
from typing import TYPE_CHECKING

from tui.entities import cues
from tui.entities.firstnames import is_first_name
from tui.entities.mention import NAME_TYPES, Mention

if TYPE_CHECKING:
    import numpy

_NOT_ALNUM = re.compile(r"[\W_]+")
"""What ``str.isalnum`` rejects (``\\w`` is alphanumeric or "_"): removed in one C call."""


_ASCII_NOT_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())


def _fold(name: str) -> str:
    """``key`` without its cache, for names met once (the corpus-wide pass)."""
    if name.isascii():  # NFKD leaves ASCII as it is, and casefold is lower
        return name.lower().encode().translate(None, _ASCII_NOT_ALNUM).decode()
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKD", name.casefold()))


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    """A folded form for comparing names: "X.AI" and "xAI" -> "xai"."""
    return _fold(name)


def _tokens(name: str) -> list[str]:
    return name.replace("-", " ").split()


def _display(names: Iterable[str]) -> str:
    """The canonical spelling: the commonest one, mixed case before ALL CAPS."""
    return _commonest(Counter(names))


def _spelt(spellings: Sequence[Mention]) -> str:
    """The canonical name of mentions that share a key: ``_display`` of their names."""
    first = spellings[0].name
    if len(spellings) == 1 or all(m.name == first for m in spellings):
        return first  # most names are spelt one way: no count
    return _display(m.name for m in spellings)


def _commonest(counts: Mapping[str, int]) -> str:
    """``_display`` of names counted: the first of the best, in the order given."""
    return max(counts, key=lambda n: (not (n.isupper() and len(n) > 3), counts[n], -len(n)))


def _is_default(m: Mention) -> bool:
    return m.recognizer.endswith(":default") or m.recognizer == "name:"


@cache
def _weight(recognizer: str) -> int:
    """How much a mention's type counts when the mentions of an entity disagree."""
    if recognizer.endswith(":default") or recognizer == "name:":
        return 1
    return 2 if recognizer.endswith(":weak") else 3


_Info = tuple[str, bool, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


_INFOS: dict[str, _Info] = {}
"""``_info`` by name, shared by every text: read with ``get`` first, which costs
less than a call."""


def _info(name: str) -> _Info:
    """What ``link_article`` reads of a name, cached in ``_INFOS``: names repeat.

    (key, whether it is one word, and for a longer name the keys of the
    words that name it alone: as a person, as an organisation typed by
    evidence, as one typed by default). A single word that is the surname
    (or given name) of exactly one person's full name in the text is that
    person; the last word of an organisation's name ("Borussia Dortmund" ->
    Dortmund) or, with firmer evidence than a guess, its first ("Tesla
    Inc." -> Tesla) is that organisation, unless it is a head word.
    """
    toks = _tokens(name)
    if len(toks) < 2:
        info: _Info = (key(name), len(toks) == 1, (), (), ())
    else:
        first, last = key(toks[0]), key(toks[-1])
        person = (last, first) if is_first_name(toks[0].lower()) else (last,)
        by_default = (last,) if _names_org(toks[-1]) else ()
        firm = (first, *by_default) if _names_org(toks[0]) else by_default
        info = (key(name), False, person, firm, by_default)
    if len(_INFOS) > 65536:
        _INFOS.clear()
    _INFOS[name] = info
    return info


def _names_org(word: str) -> bool:
    return word.lower() not in cues.ORG_HEADS and word.lower() not in cues.OF_WORDS


def link_article(mentions: Sequence[Mention], lang: str | None = None) -> list[Mention]:
    """Mentions of one text with canonical names and agreeing types."""
    # 1. Group spellings by folded key; note full names of people and of organisations.
    by_key: dict[str, list[Mention]] = {}
    several_words: set[str] = set()  # keys first spelt in more (or fewer) words than one
    # By the key of a word that names it alone, the keys of the full names: a
    # key, not a spelling, so "Elon Musk" and "ELON MUSK" are one person.
    people: dict[str, set[str]] = defaultdict(set)
    orgs: dict[str, set[str]] = defaultdict(set)
    infos = _INFOS
    for m in mentions:
        if m.type not in NAME_TYPES:
            continue
        k, one, as_person, as_firm, as_default = infos.get(m.name) or _info(m.name)
        group = by_key.get(k)
        if group is None:
            by_key[k] = [m]
            if not one:
                several_words.add(k)
        else:
            group.append(m)
        if one:
            continue
        if m.type == "PERSON":
            for part in as_person:
                people[part].add(k)
        elif m.type == "ORG":
            for part in as_default if _is_default(m) else as_firm:
                orgs[part].add(k)
    if not by_key:
        return list(mentions)
    full_names = set().union(*people.values())
    # Keys are alphanumeric: each full name's key ends at a NUL here, and a
    # count of k + NUL is how many of them end with k, itself included. One
    # search in C per longer name, where a set of every ending cost a fifth
    # of the whole.
    ends = "\0".join(full_names) + "\0"
    # 2. One type per entity: evidence beats the default guess. Most entities
    # are met with one type only, which wins without a count; the votes are
    # counted for the others alone.
    target: dict[str, tuple[str, str | None]] = {}  # by the name a mention was found as
    winner: dict[str, str] = {}  # "" while the types of an entity disagree
    changed = False  # a mention renamed or retyped, the types agreeing
    for k, group in by_key.items():
        base = k
        if k[-1:] == "s":
            if len(k) > 3 and k[:-1] in by_key:
                base = k[:-1]  # a German genitive joins its stem: "Teslas" -> Tesla
            elif lang == "de" and k not in people and k[:-1] in people:
                base = k[:-1]  # "Musks" -> Musk
        hit: tuple[str, str | None] | None = None
        if k not in several_words:
            if len(people.get(base, ())) == 1:
                hit = (_spelt(by_key[next(iter(people[base]))]), "PERSON")
            elif len(orgs.get(base, ())) == 1 and group[0].type in ("ORG", "PLACE", "MISC"):
                hit = (_spelt(by_key[next(iter(orgs[base]))]), "ORG")
        elif ends.count(k + "\0") > (k in full_names):
            longer = [fk for fk in full_names if fk != k and fk.endswith(k)]
            if len(longer) == 1:  # "Von der Leyen" -> Ursula von der Leyen
                hit = (_spelt(by_key[longer[0]]), "PERSON")
        if hit is None:
            hit = (_spelt(by_key.get(base, group)), None)
        name, forced = hit
        for m in group:
            target[m.name] = hit
            kind = forced or m.type
            if winner.setdefault(name, kind) != kind:
                winner[name] = ""
            elif name != m.name or kind != m.type:
                changed = True
    if "" in winner.values():
        votes: dict[str, dict[str, int]] = {}
        for m in mentions:
            if m.type not in NAME_TYPES:
                continue
            name, forced = target[m.name]
            if winner[name]:
                continue
            tally = votes.get(name)
            if tally is None:
                tally = votes[name] = {}
            if forced:
                tally[forced] = tally.get(forced, 0) + 10
            else:
                tally[m.type] = tally.get(m.type, 0) + _weight(m.recognizer)
        for name, tally in votes.items():
            winner[name] = max(tally, key=tally.__getitem__)
    elif not changed:
        return list(mentions)  # nearly half the texts: every name as it was found
    out: list[Mention] = []
    for m in mentions:
        if m.type not in NAME_TYPES:
            out.append(m)
            continue
        name = target[m.name][0]
        kind = winner[name]
        if name != m.name or kind != m.type:
            recognizer = m.recognizer if kind == m.type else "link"
            out.append(Mention(m.start, m.end, kind, name, recognizer))
        else:
            out.append(m)
    return out


@dataclass
class Entity:
    """One entity of the corpus: canonical name, type, other names, where it is."""

    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0
    articles: list[str] = field(default_factory=list)


@dataclass
class CorpusLinks:
    """The result of ``link_corpus``."""

    entities: list[Entity]
    """Every entity, most mentioned first."""
    canonical: dict[tuple[str, str], tuple[str, str]]
    """(type, name in an article) -> (type, canonical name across the corpus)."""

    def resolve(self, mention: Mention) -> Mention:
        """``mention`` with its corpus-wide type and canonical name."""
        hit = self.canonical.get((mention.type, mention.name))
        if hit is None or hit == (mention.type, mention.name):
            return mention
        return replace(mention, type=hit[0], name=hit[1])


_FUZZY = 92.0
"""rapidfuzz ratio above which two long names (not people) are one entity."""

_FUZZY_GIVEN = 80.0
"""Ratio of two given names, with one surname, that are one person ("Jensen"/"Jenson")."""


_CELLS = 1 << 22
"""Scores computed at once by the fuzzy merge: a matrix of this many bytes."""

_THREADED = 1 << 14
"""Scores worth starting threads for."""

_PAIRS = 1 << 16
"""Pairs of names one insertion apart scored at once (most are not alike)."""


def _may_reach(shorter: int, longer: int) -> bool:
    """Whether two different names of these lengths can have a ratio of ``_FUZZY``.

    The ratio is 100 * (1 - d / (la + lb)) for d characters inserted or
    deleted; d is at least the difference in length, and at least 2 (one
    substitution) for two names of one length.
    """
    least = longer - shorter or 2
    return 100 * least <= (100 - _FUZZY) * (shorter + longer)


def link_corpus(
    articles: Mapping[str, Sequence[Mention]], texts: Mapping[str, str] | None = None
) -> CorpusLinks:
    """Link the mentions of many articles (article id -> its mentions).

    With ``texts`` (article id -> its text) the aliases also list the
    spellings met in the texts ("Musk", "NVIDIA", "Nvidia Corp."), not only
    the names that in-article linking left. See ``link_counts``.
    """
    rows: Counter[tuple[str, str, str, bool]] = Counter()
    surfaces: dict[tuple[str, str], set[str]] = defaultdict(set)
    for article, mentions in articles.items():
        text = texts.get(article) if texts is not None else None
        for m in mentions:
            if m.type in NAME_TYPES:
                rows[(article, m.type, m.name, not _is_default(m))] += 1
                if text is not None:
                    surfaces[(m.type, m.name)].add(" ".join(text[m.start : m.end].split()))
    return link_counts(((*row, n) for row, n in rows.items()), surfaces)


def link_counts(
    rows: Iterable[tuple[str, str, str, bool, int]],
    surfaces: Mapping[tuple[str, str], set[str]] | None = None,
    *,
    entities: bool = True,
) -> CorpusLinks:
    """Link a corpus given as (article, type, name, typed by evidence, mentions) rows.

    The form the stored mentions are read in: one row per article and name,
    however often the article repeats it. ``surfaces`` maps (type, name) to
    the spellings met in the texts, for the aliases.

    Names are grouped by folded key per type family (people apart from the
    rest). A one-word person name joins the unique full name with that
    surname or given name; when two full names share it, it stays apart.
    Full names that differ only by a typo (rapidfuzz ratio >= 92, same
    number of words, the same first letters) are merged; different given
    names with one surname never are. Candidates for that fuzzy merge are
    only compared within blocks (same first letter, word count and length
    within two; for people, the same surname), so the pass grows with the
    number of names, not with its square.

    With ``entities`` False only ``canonical`` is made, and the article of a
    row is not read: the stored pass counts articles in SQL, and 100,000
    articles' sets of ids took most of a gigabyte.

    The cyclic garbage collector is paused meanwhile: the pass makes
    millions of tuples, lists and dicts, none of them in a cycle, and
    walking them again and again took a tenth of its time.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _link_counts(rows, surfaces, entities)
    finally:
        if collecting:
            gc.enable()


def _link_counts(
    rows: Iterable[tuple[str, str, str, bool, int]],
    surfaces: Mapping[tuple[str, str], set[str]] | None,
    entities: bool,
) -> CorpusLinks:
    """``link_counts``, with the collector paused."""
    counts: dict[tuple[str, str], int] = {}
    where: dict[tuple[str, str], set[str]] = defaultdict(set)
    typed: set[tuple[str, str]] = set()
    for article, kind, name, evidence, times in rows:
        pair = (kind, name)
        counts[pair] = counts.get(pair, 0) + times
        if entities:
            where[pair].add(article)
        if evidence:
            typed.add(pair)
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    unmentioned: dict[tuple[str, str], int] = {}  # minus a group's mentions, to sort by
    for pair, times in counts.items():  # most names once: key's cache would only miss
        g = ("PERSON" if pair[0] == "PERSON" else "THING", _fold(pair[1]))
        members = groups.get(g)
        if members is None:
            groups[g] = [pair]
            unmentioned[g] = -times
        else:
            members.append(pair)
            unmentioned[g] -= times
    # Persons: single words to unique full names.
    full_by_part: dict[str, set[str]] = defaultdict(set)
    for (fam, k), members in groups.items():
        if fam != "PERSON":
            continue
        for _t, name in members:
            toks = _tokens(name)
            if len(toks) >= 2:
                full_by_part[key(toks[-1])].add(k)
                full_by_part[key(toks[0])].add(k)
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(g: tuple[str, str]) -> tuple[str, str]:
        while g in parent:
            g = parent[g]
        return g

    for (fam, k), members in groups.items():
        if len(full_by_part.get(k, ())) != 1:  # most keys: asked first, as it is cheap
            continue
        single = all(len(_tokens(n)) == 1 for _t, n in members)
        if fam == "PERSON" and single:
            target = ("PERSON", next(iter(full_by_part[k])))
            if target != (fam, k):
                parent[(fam, k)] = target
        elif fam == "THING" and single and not any(member in typed for member in members):
            # A surname typed by a guess only ("Musk" alone in an article)
            # is the one person of the corpus who bears it.
            parent[(fam, k)] = ("PERSON", next(iter(full_by_part[k])))
    # Fuzzy merge of long spellings within a family, most mentioned first.
    candidates = [g for g in groups if len(g[1]) >= 8 and g not in parent]
    candidates.sort(key=unmentioned.__getitem__)
    del unmentioned
    for i, j in sorted(_fuzzy_pairs(candidates, groups)):
        a, b = candidates[i], candidates[j]
        if find(b) == b and find(a) != b:
            parent[b] = find(a)
    # Build entities.
    members_of: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for g, members in groups.items():
        root = find(g) if g in parent else g
        have = members_of.get(root)
        if have is None:
            members_of[root] = members
        else:
            members_of[root] = have + members
    made: list[Entity] = []
    canonical: dict[tuple[str, str], tuple[str, str]] = {}
    for _root, members in members_of.items():
        if len(members) == 1:  # most entities have one spelling
            pair = members[0]
            canonical[pair] = pair
            if not entities:
                continue
            seen = surfaces.get(pair, set()) if surfaces is not None else set()
            made.append(
                Entity(
                    name=pair[1],
                    type=pair[0],
                    aliases=sorted(seen - {pair[1]}),
                    mentions=counts[pair],
                    articles=sorted(where[pair]),
                )
            )
            continue
        spellings: dict[str, int] = {}
        types: dict[str, int] = {}
        arts: set[str] = set()
        multi = {n for _t, n in members if len(_tokens(n)) >= 2}
        seen_as: set[str] = set()
        for pair in members:
            t, n = pair
            times = counts[pair]
            spellings[n] = spellings.get(n, 0) + times
            types[t] = types.get(t, 0) + times
            if entities:
                arts |= where[pair]
            if surfaces is not None:
                seen_as |= surfaces.get(pair, set())
        named = {n: c for n, c in spellings.items() if c > 0}  # as counted by Counter.elements
        pool = (
            {n: c for n, c in named.items() if n in multi} if multi and types.get("PERSON") else {}
        )
        name = _commonest(pool or named)
        kind = max(types, key=types.__getitem__)  # the first of the commonest
        for t, n in members:
            canonical[(t, n)] = (kind, name)
        if not entities:
            continue
        made.append(
            Entity(
                name=name,
                type=kind,
                aliases=sorted((set(spellings) | seen_as) - {name}),
                mentions=sum(spellings.values()),
                articles=sorted(arts),
            )
        )
    made.sort(key=lambda e: (-e.mentions, e.name))
    return CorpusLinks(made, canonical)


def _fuzzy_pairs(
    candidates: Sequence[tuple[str, str]],
    groups: Mapping[tuple[str, str], Sequence[tuple[str, str]]],
) -> set[tuple[int, int]]:
    """(i, j), i < j, for the candidates i and j that are one entity by their spelling.

    Candidates are blocked by family, first letter, word count, length and,
    for people, surname; a block is compared with the blocks of its lane
    (those four but the length) one or two characters longer, and for
    other than people its own length, where ``_may_reach`` allows. The
    scores of a block are computed at once, by ``rapidfuzz.process.cdist``
    on every core, a bounded number of them at a time. Where a name one
    character longer can only pass with one character inserted (most
    names, ``_one_insertion``), the pairs that can are found by their
    parts (``_inserted``) and only they are scored.
    """
    import numpy
    from rapidfuzz import fuzz, process  # only the corpus-wide pass needs it

    # What is compared: the folded name, or for people the given name.
    texts: list[str] = []
    lanes: dict[tuple[str, str, int, str], dict[int, list[int]]] = {}
    for i, g in enumerate(candidates):
        fam, k = g
        toks = groups[g][0][1].replace("-", " ").split()  # _tokens
        if fam == "PERSON":
            surname = _fold(toks[-1])
            texts.append(_fold(toks[0]))
        else:
            surname = ""
            texts.append(k)
        by_size = lanes.get((fam, k[:1], len(toks), surname))
        if by_size is None:
            lanes[(fam, k[:1], len(toks), surname)] = {len(k): [i]}
        else:
            by_size.setdefault(len(k), []).append(i)
    pairs: set[tuple[int, int]] = set()
    shorter: list[int] = []  # pairs of names one insertion apart, to be scored
    longer: list[int] = []

    def score_inserted() -> None:
        scores = process.cpdist(
            [texts[i] for i in shorter],
            [texts[i] for i in longer],
            scorer=fuzz.ratio,
            score_cutoff=_FUZZY,
            dtype=numpy.uint8,
            workers=-1 if len(shorter) >= _THREADED else 1,
        )
        for at in scores.nonzero()[0].tolist():
            a, b = shorter[at], longer[at]
            pairs.add((a, b) if a < b else (b, a))
        shorter.clear()
        longer.clear()

    for (fam, _first, _words, _surname), by_size in lanes.items():
        person = fam == "PERSON"
        cutoff = _FUZZY_GIVEN if person else _FUZZY
        spoken = {size: [texts[i] for i in ids] for size, ids in by_size.items()}
        for size, members in by_size.items():
            near: list[int] = []
            choices: list[str] = []
            reach = [
                other
                for other in range(size, size + 3)  # longer names only: each pair is met once
                if other in by_size and (person or _may_reach(size, other))
            ]
            if sum(len(by_size[other]) for other in reach) < 2:
                continue  # as it always was, even when that one name is a longer one
            for other in reach:
                if other == size + 1 and not person and _one_insertion(size):
                    _inserted(members, spoken[size], by_size[other], spoken[other], shorter, longer)
                    if len(shorter) >= _PAIRS:
                        score_inserted()
                else:
                    near += by_size[other]
                    choices += spoken[other]
            if not near or (len(near) == 1 and near == members):
                continue
            queries = spoken[size]
            step = max(1, _CELLS // len(near))
            for start in range(0, len(members), step):
                chunk = queries[start : start + step]
                scores = process.cdist(
                    chunk,
                    choices,
                    scorer=fuzz.ratio,
                    score_cutoff=cutoff,
                    dtype=numpy.uint8,
                    workers=-1 if len(chunk) * len(near) >= _THREADED else 1,
                )
                if reach[0] == size and scores.size >= _THREADED:
                    # The block's own names come first: each scores 100 with itself.
                    rows = numpy.arange(len(chunk))
                    scores[rows, rows + start] = 0
                for row, col in _nonzero(scores):
                    a, b = members[start + row], near[col]
                    if a == b or (person and choices[col][:1] != chunk[row][:1]):
                        continue  # people: a misspelt given name keeps its first letter
                    pairs.add((a, b) if a < b else (b, a))
    if shorter:
        score_inserted()
    return pairs


def _one_insertion(size: int) -> bool:
    """Whether two names (not people's) of ``size`` and ``size + 1`` characters
    have a ratio of ``_FUZZY`` only when one character inserted makes the
    shorter the longer.

    Their ratio is 100 * (1 - d / (2 * size + 1)) for d characters inserted
    or deleted, an odd number: d = 3 falls short (by far more than rounding).
    """
    total = 2 * size + 1
    return 100 * (total - 3) < _FUZZY * total


def _inserted(
    shorts: Sequence[int],
    short_texts: Sequence[str],
    longs: Sequence[int],
    long_texts: Sequence[str],
    shorter: list[int],
    longer: list[int],
) -> None:
    """Append to ``shorter`` and ``longer`` the pairs of a short name and a
    name one character longer that one character inserted may make alike.

    The short name's three thirds are cut at ``a`` and ``b``; a character
    inserted at ``p`` leaves two of them in place: the first two (p >= b),
    the first and the last, the last one place on (a <= p <= b), or the last
    two one place on (p <= a). Names that agree on none of those are not
    paired; a pair found twice is scored twice.
    """
    size = len(short_texts[0])
    a, b = size // 3, 2 * size // 3
    for short_parts, long_parts in (
        ((slice(None, b),), (slice(None, b),)),
        ((slice(None, a), slice(b, None)), (slice(None, a), slice(b + 1, None))),
        ((slice(a, None),), (slice(a + 1, None),)),
    ):
        short_keys = _parts(short_texts, short_parts)
        long_keys = _parts(long_texts, long_parts)
        common = set(short_keys).intersection(long_keys)
        if not common:
            continue
        by_key: dict[object, list[int]] = {}
        for name, k in compress(
            zip(shorts, short_keys, strict=True), map(common.__contains__, short_keys)
        ):
            by_key.setdefault(k, []).append(name)
        for name, k in compress(
            zip(longs, long_keys, strict=True), map(common.__contains__, long_keys)
        ):
            for other in by_key[k]:
                shorter.append(other)
                longer.append(name)


def _parts(texts: Sequence[str], spans: Sequence[slice]) -> list[object]:
    """The parts of each text that ``spans`` cut, as one string or a tuple of them."""
    if len(spans) == 1:
        return list(map(itemgetter(spans[0]), texts))
    return list(zip(*(map(itemgetter(span), texts) for span in spans), strict=True))


def _nonzero(scores: numpy.ndarray) -> Iterator[tuple[int, int]]:
    """(row, column) of the scores that are not 0, few among many.

    Eight bytes are looked at as one number first: ``nonzero`` of a matrix
    of bytes took longer than computing the scores.
    """
    import numpy

    if scores.size < 4096:
        rows, cols = scores.nonzero()
        return zip(rows.tolist(), cols.tolist(), strict=True)
    width = scores.shape[1]
    flat = scores.reshape(-1)
    whole = flat.size - flat.size % 8
    words = flat[:whole].view(numpy.uint64).nonzero()[0]
    at, inside = flat[:whole].reshape(-1, 8)[words].nonzero()
    found = (words[at] * 8 + inside).tolist() + (flat[whole:].nonzero()[0] + whole).tolist()
    return (divmod(i, width) for i in found)
