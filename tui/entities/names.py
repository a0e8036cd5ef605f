"""Proper names that no list knows: capitalised runs, filtered and typed.

1. One regular expression finds runs of capitalised tokens (with name
   particles such as von, van, de, di, da, bin, and "of"/"di"/"für" after a
   head word such as University / Università / Institut).
2. Each token is kept or dropped. In German every noun is capitalised, and
   in every language the first word of a sentence or of a Title Case
   headline is; such tokens are kept only when they are not common words of
   the language (``frequencies.is_common``: frequent here, and clearly more
   frequent here than in the other languages), or when the same word stands
   capitalised inside a sentence elsewhere in the text. German nouns are
   also told by their article ("das Training", "einen Exoplaneten") and by
   their shape (compounds, inflections). After a given name, a head word or
   a title, the next capitalised words belong to the name whatever their
   frequency ("Thomas Tuchel", "FC Bayern München", "Bundeskanzler Olaf
   Scholz").
3. What remains is typed from context: company forms (Inc., AG, S.p.A.),
   titles and roles around it (CEO, Herr, il ministro; "Tesla CEO"), head
   words (Bank, Stadium, Università), a given name first, verbs of saying,
   digits (model names), place prepositions (weak), or the shape of a
   person's name. Without evidence a name is an organisation, the commonest
   unknown name in news; a run of three or more ordinary words is MISC.
   Linking (``linking.link_article``) then makes the mentions of one entity
   agree, so one firm cue types every mention.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from tui.entities import cues
from tui.entities.firstnames import popularities
from tui.entities.frequencies import function_words, is_common, table, zipf
from tui.entities.mention import Mention
from tui.entities.patterns import alternation

RECOGNIZER = "name"
_RECOGNIZERS = {
    how: f"{RECOGNIZER}:{how}"
    for how in "default form known title role byline cue said weak head digits shape".split()
}
"""The recognizer of a name typed by each rule, made once rather than for every name."""

_UPPER = "".join(chr(c) for c in range(0x41, 0x530) if chr(c).isupper())
_LOWER = "".join(chr(c) for c in range(0x61, 0x530) if chr(c).islower())
_LOWER_SET = frozenset(_LOWER)
"""``_LOWER`` for membership tests: a set lookup, not a scan of the string."""
_CAP = rf"(?:[{_UPPER}]|[{_LOWER}]{{1,2}}[{_UPPER}])"
_TOKEN_REST = rf"\w*(?:\.[{_UPPER}]\w*|['’][{_UPPER}]\w*|&[{_UPPER}]\w*|[-‐]\w+)*"
_PARTICLES = alternation(cues.NAME_PARTICLES | cues.OF_WORDS)
_RUN_REST = (
    rf"(?:(?:[ \u00a0](?:{_PARTICLES})[ \u00a0](?:(?:{_PARTICLES})[ \u00a0])?"
    rf"|[ \u00a0](?:d['’](?=[{_UPPER}]))?){_CAP}{_TOKEN_REST})*"
    rf"(?:[ \u00a0]\d{{1,4}}[a-z]?(?![\w:%/-]|[.,]\d))?"
)
"""What follows a run's first word: more words, joined by a space, a particle
or an elided "d'" ("Banca d'Italia", "Côte d'Ivoire"), and perhaps a number."""


@cache
def _runs(lang: str) -> re.Pattern[str]:
    """Capitalised runs, less a lone capitalised function word ("The", "Die", "Secondo").

    Such a word is never a name, and skipping it inside the expression saves
    a trip through Python for about a third of all capitalised words. The
    expression opens with the capital letter, so that the regex engine jumps
    from capital to capital (two to three times faster than testing every
    position); the conditions on what stands before it are lookbehinds. A
    name opening in lower case ("iPhone", "eBay") matches from its capital:
    ``_run_start`` moves the start back.
    """
    skip = alternation(
        w.capitalize() for w in function_words(lang, 60) if w.isalpha() and len(w) > 1
    )
    alone = rf"(?=[ \u00a0,;:.!?)\]\"”’'](?![ \u00a0]?[{_UPPER}])|$)"
    head = (
        rf"[{_UPPER}](?:(?<![\w@#/].)(?<=(?!(?:{skip}){alone}).)"
        rf"|(?<=(?<![\w@#/])[{_LOWER}].)|(?<=(?<![\w@#/])[{_LOWER}][{_LOWER}].))"
    )
    return re.compile(head + _TOKEN_REST + _RUN_REST)


def _run_start(text: str, start: int) -> int:
    """Where a run found from its capital letter begins: before "i" in "iPhone"."""
    if start and text[start - 1] in _LOWER_SET:
        return start - 2 if start > 1 and text[start - 2] in _LOWER_SET else start - 1
    return start


_DROP, _KEEP, _UNLESS_SEEN, _UNLESS_LOWER = object(), object(), object(), object()
_VERDICTS: dict[tuple[str, str, bool, bool, bool, bool], object] = {}
"""Whether a word is dropped, by language and position: shared by every text."""
_DE_WORDS: dict[str, int] = {}
"""A capitalised word in German: 2 a German word, 1 an English noun, 0 neither."""
_Piece = tuple[tuple[tuple[int, int, str, bool], ...], bool, bool, bool, bool]
_RUNS: dict[tuple[str, bool, str, bool, bool, bool], tuple[_Piece, ...]] = {}
"""How ``_run`` split a run (offsets from its start), by language, run and
position; only runs whose words were judged without this text or gazetteer."""
_ARTICLES = frozenset("the der die das il lo la le el los las les".split())
_CONTEXT_MENTIONS = 3
"""How many mentions of one word in a text are typed from their context."""
_HEADS = cues.ORG_HEADS | cues.PLACE_HEADS | cues.EVENT_HEADS
_ALWAYS_JOIN = frozenset({"von", "van", "der", "den", "ter", "ten", "bin", "ben", "dos", "y"})
_TITLE_MODIFIERS = frozenset(
    "prime vice deputy chief foreign finance interior former acting first "
    "vize stellvertretende stellvertretender ex".split()
)
_ELISION = re.compile(
    r"(?:[lL]|[dD]ell|[aA]ll|[dD]all|[nN]ell|[sS]ull|[uU]n|[qQ]u)['’](?=[A-ZÀ-Þ])"
)
_FORM_START = frozenset(", \u00a0")
_DIGIT = re.compile(r"\d")
_JOINERS = cues.NAME_PARTICLES | cues.OF_WORDS
_FORM_AFTER = re.compile(
    r",?[ \u00a0](?:plc|(?=[A-Z])(?i:s\.p\.a\.|s\.r\.l\.|s\.a\.|n\.v\.|b\.v\.|plc|gmbh|ag|se|spa"
    r"|srl|llc|ltd\.?|inc\.|corp\.|co\.|kgaa|kg))(?!\w)"
)
"""A company form after a name: written with a capital ("SE", "Inc.", "S.p.A."), as a
lower-case one is a word ("Samsung se prepara" is Spanish), but for the British "plc"."""
_FORM_INITIALS = frozenset("sSnNbBpPgGaAlLiIcCkK")
"""First letters of the company forms of ``_FORM_AFTER``."""
_FORM_HEADS = frozenset("s. n. b. pl gm ag se sp sr ll lt in co kg".split())
"""Their first two characters, lower-cased: the second is never one that a
letter outside ASCII matches, whatever its case."""


def _form_may_follow(text: str, end: int) -> bool:
    """A cheap test before ``_FORM_AFTER``: does a form's first letter follow?"""
    at = end + 2 if text[end : end + 1] == "," else end + 1
    return text[at : at + 1] in _FORM_INITIALS


def _form_head_follows(text: str, end: int) -> bool:
    """``_form_may_follow``, tested on a form's first two characters ("in" of "Inc.")."""
    at = end + 2 if text[end : end + 1] == "," else end + 1
    return text[at : at + 1] in _FORM_INITIALS and text[at : at + 2].lower() in _FORM_HEADS


_INITIAL_SKIP = "\"'“”‘’„«»‹›([{*•·–—-‐ \t\u00a0#>"
_YEAR = re.compile(r"(?:1[5-9]\d\d|2[01]\d\d)")
_BYLINE = frozenset({"by", "von", "di", "par", "por", "de", "da"})


def _line_start(text: str, start: int, word: str) -> bool:
    """True when ``word`` right before ``start`` is the first word of its line."""
    line = text.rfind("\n", 0, start) + 1
    return text[line:start].strip().lower() == word


_OF = frozenset({"of", "von", "di", "de", "du", "del", "della", "bei", "at", "chez"})
_PLACE_PREPOSITIONS: dict[str, frozenset[str]] = {
    "en": frozenset({"in"}),
    "de": frozenset({"in", "nach"}),
    "it": frozenset({"in"}),
    "fr": frozenset({"à", "en"}),
    "es": frozenset({"en"}),
}
"""Prepositions of place: a weak cue, that linking lets firmer evidence outvote."""

_GERMAN_INDEFINITE = frozenset(
    "ein eine einen einem einer eines kein keine keinen keinem keiner "
    "sein seine seinen seinem seiner seines ihr ihre ihren ihrem ihrer ihres "
    "unser unsere unseren unserem mein meine meinen dein deine jeder jede jedes".split()
)
_GERMAN_ARTICLES = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "eines",
        "kein",
        "keine",
        "keinen",
        "keinem",
        "im",
        "am",
        "zum",
        "zur",
        "beim",
        "vom",
        "ins",
        "dieser",
        "diese",
        "dieses",
        "diesen",
        "diesem",
        "jeder",
        "jede",
        "jedes",
    ]
)


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    text: str
    particle: bool = False


@dataclass(slots=True)
class _Segment:
    tokens: list[_Token]
    initial: bool
    title: bool = False
    person: bool = False
    product: bool = False
    """Next to a kind of product in the run: "Dojo Supercomputer", "Chatbot Grok"."""


def _piece(seg: _Segment, at: int) -> _Piece:
    """``seg`` with offsets from ``at``, as ``_RUNS`` keeps it."""
    spans = tuple((t.start - at, t.end - at, t.text, t.particle) for t in seg.tokens)
    return spans, seg.initial, seg.title, seg.person, seg.product


def _is_initial(text: str, start: int) -> bool:
    """True when ``start`` opens a sentence, a line, a quotation or follows a dateline."""
    i = start - 1
    while i >= 0 and text[i] in _INITIAL_SKIP:
        if text[i] in "“„«‹" or (text[i] == '"' and (i == 0 or text[i - 1].isspace())):
            return True
        i -= 1
    if i < 0 or text[i] in ".!?:;\n\r…|":
        return True
    gap = text[i + 1 : start]
    if gap[:1] == " " and ("-" in gap or "–" in gap or "—" in gap):
        # "PARIS - Talks", "BERLIN (dpa) – Die": a line opening in capitals, then a dash.
        line = _BRACKETED.sub("", text[text.rfind("\n", 0, i) + 1 : i + 1])
        return bool(line.strip()) and not any(c.islower() for c in line)
    return False


_BRACKETED = re.compile(r"\([^)]*\)")
_LABEL_SKIP = " \t*#>-•"
"""Marks that may open a line before the label of a field ("**Date:**", "- Source:")."""
_LABEL_LINE = 100
"""The longest line a field's label opens: a longer one is a paragraph."""


def _lower_before(text: str, at: int) -> bool:
    """True when the word before ``at`` (within 30 characters) begins in lower case."""
    prev = text[max(0, at - 30) : at].split()[-1:]
    return bool(prev) and prev[0][:1].islower()


_TITLES = cues.PERSON_TITLES


def _title_word(lower: str) -> bool:
    return lower in _TITLES


@cache
def _headline_words(lang: str) -> frozenset[str]:
    """The words ``_Lines`` counts (see there): frequent ones, at 4 or more on the zipf scale."""
    words = table(lang)
    if lang == "de":
        words = {w: words[w] for w in function_words("de") if w in words}
    return frozenset(w for w, zipf in words.items() if zipf >= 4.0)


class _Lines:
    """Whether the line around an offset is written in Title Case (a headline).

    A headline capitalises its ordinary words too ("Dan Ives Says This Will
    Be The Catalyst For..."); a sentence full of names does not ("Novak
    Djokovic won his title at the US Open"). So only frequent words of the
    language are counted; in German, which capitalises every noun and writes
    headlines as sentences, only its function words (der, und, mit).
    """

    _WORD = re.compile(r"[^\W\d_][\w'’-]*")
    _LONGEST = 200
    """Longer lines are paragraphs, never headlines."""

    def __init__(self, text: str, lang: str) -> None:
        self.spans: list[tuple[int, int]] = []
        at = 0
        words = _headline_words(lang)
        for line in text.split("\n"):
            if line and len(line) <= self._LONGEST and self._title_case(line, words):
                self.spans.append((at, at + len(line)))
            at += len(line) + 1
        self.starts = [s for s, _ in self.spans]

    def _title_case(self, line: str, words: frozenset[str]) -> bool:
        common = caps = 0
        for w in self._WORD.findall(line):
            if w.lower() in words:
                common += 1
                caps += w[0].isupper()
        return common >= 3 and caps >= 0.6 * common

    def title_case(self, offset: int) -> bool:
        if not self.spans:
            return False
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and offset <= self.spans[i][1]


_PUNCT = ".,;:!?\"“”‘’'()[]«»„"


def _prev_words(text: str, start: int) -> tuple[str, str]:
    """The two lower-cased words before ``start`` on its line, nearest first ("" if none).

    Only the 32 characters before ``start`` are read; when they do not reach
    back to the line's start, the first word in them may be cut short and is
    left out. A word of full stops alone ("...") counts as none.

    Called for most names (``_no_cue_before`` spares the others), so the
    window is found by bounded searches in the text, then sliced and lowered
    once; no comprehension is used.
    """
    lo = start - 32
    if lo <= 0:
        lo = text.rfind("\n", 0, start) + 1
    else:
        cut = text.rfind("\n", lo, start)
        if cut >= 0:
            lo = cut + 1
        else:
            space = text.find(" ", lo, start)
            if space >= 0:
                lo = space + 1
    words = text[lo:start].lower().replace(",", " ").rsplit(None, 2)
    count = len(words)
    near = words[-1].rstrip(".") if count else ""
    far = words[-2].rstrip(".") if count > 1 else ""
    return near, far


_SIGMA = "Σ"
"""The one letter that lower-cases by its neighbours ("ς" at a word's end): letters
without it lower-case alone as they do within the text."""


def _word_before(text: str, start: int) -> str:
    """``_prev_words(text, start)[0]``, read at once when it is a plain word of letters.

    Such a word, after a space and perhaps before a full stop or a comma, is
    the nearest word whatever the window; "Σ" aside, it lower-cases alone as
    in the window.
    """
    if start >= 5 and text[start - 1] == " ":
        end = start - 2 if text[start - 2] in ".," else start - 1
        space = text.rfind(" ", max(0, end - 20), end)
        word = text[space + 1 : end]
        if space >= 0 and word.isalpha() and _SIGMA not in word:
            return word.lower()
    return _prev_words(text, start)[0]


_PUNCTS = (_PUNCT,) * 3


def _next_tokens(text: str, end: int) -> list[str]:
    """The first three tokens within 40 characters after ``end``, lowered and unpunctuated.

    A token of punctuation alone is "": it still counts towards the three.
    Read once per name; the rules take their words from it with
    ``filter(None, ...)``. Written with ``map``: a comprehension costs a call.
    """
    return list(map(str.strip, text[end : end + 40].lower().split(None, 3)[:3], _PUNCTS))


def _affixes(words: Iterable[str], ends: bool) -> frozenset[str]:
    """Every beginning (or every ending) of ``words``."""
    return frozenset(w[i:] if ends else w[: len(w) - i] for w in words for i in range(len(w)))


_CUE_WORDS_BEFORE = (
    _TITLES
    | {t.rsplit(" ", 1)[-1] for t in _TITLES}
    | _OF
    | _BYLINE
    | cues.PRODUCT_NOUNS
    | cues.LIKE_WORDS
    | cues.ORG_BEFORE
    | cues.HOLDING_PREPOSITIONS
    | cues.PLACE_BEFORE
    | frozenset().union(*_PLACE_PREPOSITIONS.values())
)
"""The words ``_context`` looks for right before a name."""
_CUES_BEFORE = _affixes(_CUE_WORDS_BEFORE, ends=True)
"""How they end."""
_CUE_LENGTH = max(map(len, _CUE_WORDS_BEFORE))
_CUE_WORDS_AFTER_ONE = cues.ROLE_AFTER_ORG | cues.GENERIC_ABBREVIATIONS
_CUE_WORDS_AFTER = _CUE_WORDS_AFTER_ONE | cues.AUXILIARIES | cues.SPEECH_VERBS
"""The words ``_context`` looks for after a name of one word, and of more."""
_CUES_AFTER_ONE = _affixes(_CUE_WORDS_AFTER_ONE, ends=False)
_CUES_AFTER = _affixes(_CUE_WORDS_AFTER, ends=False)
"""How they begin."""
_ASCII_WORD = re.compile(r"[A-Za-z]+")
_CLOSING = frozenset(".,;:!?")
"""Marks after a word that ``_next_tokens`` strips."""


def _no_cue_before(text: str, start: int) -> bool:
    """True when the word before ``start`` is surely no cue: no cue word ends as it does.

    A test of its last three letters, or of all of a shorter word (before a
    space, perhaps after a full stop or a comma, which ``_prev_words`` drops),
    is far cheaper than ``_prev_words``; when the three letters end a cue
    word, the word is looked up whole (most are no cue). A word that ends in
    another mark ("Zuckerberg:", "2024") is no cue: every cue word ends in a
    letter or a full stop. The test of the five characters before ``start``
    is kept for every text: the same endings recur.
    """
    if start < 5:
        return not start or text[start - 1] == "\n"
    key = text[start - 5 : start]
    tail = _TAILS.get(key)
    if tail is None:
        if len(_TAILS) > 100_000:
            _TAILS.clear()
        tail = _TAILS[key] = _tail(key)
    if tail != _WHOLE_WORD:
        return tail == _NO_CUE
    end = start - 2 if text[start - 2] in ".," else start - 1
    space = text.rfind(" ", max(0, end - _CUE_LENGTH - 1), end)
    word = text[space + 1 : end]
    return (
        space >= 0
        and word.isalpha()
        and _SIGMA not in word
        and word.lower() not in _CUE_WORDS_BEFORE
    )


_NO_CUE, _MAYBE_CUE, _WHOLE_WORD = 0, 1, 2
_TAILS: dict[str, int] = {}
"""``_tail`` of the five characters before a name, shared by every text."""


def _tail(key: str) -> int:
    """What the five characters before a name tell of a cue: none, maybe, or read the word whole."""
    if key[4] == "\n":
        return _NO_CUE  # a line's first word: nothing before it on the line
    if key[4] != " ":
        return _MAYBE_CUE
    mark = key[3]
    if mark in ".,":
        end = 3
    elif mark.isalpha():
        end = 4
    else:
        return _MAYBE_CUE if mark.isspace() else _NO_CUE
    tail = key[end - 3 : end]
    if tail.isalpha():
        if _SIGMA not in tail and tail.lower() not in _CUES_BEFORE:
            return _NO_CUE
        return _WHOLE_WORD
    word = tail[tail.rfind(" ") + 1 :]  # all of a word of one or two letters
    if (
        len(word) < 3
        and word.isalpha()
        and _SIGMA not in word
        and word.lower() not in _CUE_WORDS_BEFORE
    ):
        return _NO_CUE
    return _MAYBE_CUE


def _no_cue_after(text: str, end: int, multi: bool) -> bool:
    """True when the word after ``end`` (after a space) is surely no cue of ``_context``.

    A test of its first two letters against how cue words begin; when they
    begin one, a word of ASCII letters (perhaps with a full stop or a comma)
    is looked up whole, as ``_next_tokens`` would read it.
    """
    head = text[end + 1 : end + 3]
    if not (head.isalpha() and head.isascii()):
        return False
    if head.lower() not in (_CUES_AFTER if multi else _CUES_AFTER_ONE):
        return True
    word = _ASCII_WORD.match(text, end + 1)
    if word is None or word.end() > end + 30:
        return False
    follow = text[word.end() : word.end() + 1]
    if follow in _CLOSING:
        follow = text[word.end() + 1 : word.end() + 2]
    return (not follow or follow.isspace()) and word.group().lower() not in (
        _CUE_WORDS_AFTER if multi else _CUE_WORDS_AFTER_ONE
    )


_APOSTROPHES = ("'", "’")

_QUIET_AFTER: dict[str, bool] = {}
"""``_quiet_after`` by the three characters after a name, shared by every text."""
_GAPS_READ = frozenset({",", " ", "\u00a0", "'", "’"})
"""What after a name makes ``_type_word`` look further: a company form, a cue word."""


def _quiet_after(after: str) -> bool:
    """True when the three characters after a name of one word show that no cue follows.

    Either a mark after which neither a company form nor a cue of
    ``_context`` is looked for (a full stop, a line's end), or a space and
    two letters that begin no such word ("Cerebras never"): the answer of
    ``_form_head_follows`` and ``_context``, found once for all texts. With
    ``_NO_CUE`` before the name as well, ``_context`` has nothing to find and
    is not called; so it goes for most names. "Σ" is left to ``_context``, as
    it lower-cases by its neighbours.
    """
    if after[:1] not in _GAPS_READ:
        quiet = True
    else:
        head = after[1:].lower()
        quiet = (
            len(after) == 3
            and after[0] == " "
            and after[1:].isalpha()
            and _SIGMA not in after
            and head not in _CUES_AFTER_ONE
            and not (after[1] in _FORM_INITIALS and head in _FORM_HEADS)
        )
    if len(_QUIET_AFTER) > 100_000:
        _QUIET_AFTER.clear()
    _QUIET_AFTER[after] = quiet
    return quiet


def _cue_before(p0: str, p1: str) -> tuple[str, str] | None:
    """The type that the words ``p1 p0`` before a name give it, if they are a cue noun."""
    if p0 in cues.PRODUCT_NOUNS or (p0 in cues.LIKE_WORDS and p1 in cues.PRODUCT_NOUNS):
        return "PRODUCT", "cue"  # "the chatbot Grok", "chatbots like ChatGPT"
    if p0 in cues.ORG_BEFORE or (p0 in cues.HOLDING_PREPOSITIONS and p1 in cues.HOLDING_WORDS):
        # "the company X", "shares in X": not a place, whatever "in" says
        return "ORG", "cue"
    if p0 in cues.PLACE_BEFORE:
        return "PLACE", "cue"
    return None


def _person_words(words: tuple[str, ...]) -> tuple[bool, bool]:
    """(opens with a given name, rare words) for words shaped like a person's name."""
    if len(words) > 4 or not all(w[:1].isupper() and not w.isupper() for w in words):
        return False, False
    if _DIGIT.search(" ".join(words)) is not None:
        return False, False
    if words[-1].lower() in _HEADS:
        return False, False
    first = words[0].lower()
    if first in popularities() and first not in _all_functions():
        return True, False
    return False, all(_max_zipf(w.lower()) < 3.6 for w in words)


@cache
def _all_functions() -> frozenset[str]:
    return frozenset().union(*(function_words(lang) for lang in cues.LANGUAGES))


@cache
def _max_zipf(lower: str) -> float:
    return max(zipf(lower, lang) for lang in cues.LANGUAGES)


def _heads(lowers: list[str], lang: str) -> tuple[str | None, str]:
    """The type that a head word gives a name: "Deutsche Bank", "Calar-Alto-Observatorium"."""
    if len(lowers) >= 2:
        if lowers[-1] in cues.ORG_HEADS or lowers[0] in cues.ORG_HEADS:
            return "ORG", "head"
        if lowers[-1] in cues.PLACE_HEADS or lowers[0] in cues.PLACE_HEADS:
            return "PLACE", "head"
        if lowers[-1] in cues.EVENT_HEADS:
            return "MISC", "head"
    if "-" in lowers[-1]:
        part = lowers[-1].rsplit("-", 1)[-1]
        if part in cues.PLACE_HEADS:
            return "PLACE", "head"  # "Calar-Alto-Observatorium"
        if part in cues.ORG_HEADS:
            return "ORG", "head"
    if lang == "de":
        low = lowers[-1]
        if low.endswith(("straße", "strasse", "platz", "stadion", "flughafen", "bahnhof")):
            return "PLACE", "head"
        if low.endswith(("universität", "institut", "instituts", "ministerium", "verband")):
            return "ORG", "head"
    return None, ""


class _Shape(NamedTuple):
    """What ``_type`` reads of a name of several words alone, not of the text around it."""

    words: tuple[str, ...]
    """The words, less the particles."""
    spaced: str
    """The name, its words joined by single spaces."""
    bare: str
    """The name less its last word (a company form)."""
    form: bool
    """It ends in a company form: "Tesla Inc."."""
    dotted: bool
    """That form is written with a full stop, which the run left out ("Corp")."""
    legal: bool
    """That form is a legal one, left out of the name."""
    cut: bool
    """It ends in a word of one or two letters: perhaps a dotted form cut short ("S.p")."""
    upper: bool
    """It is written in capitals."""
    heads: tuple[str | None, str]
    """The type its head words give it."""
    digits: bool
    """It holds a digit, not first: a model name."""
    given: bool
    """Shaped like a person's name, opening with a given name."""
    rare: bool
    """Shaped like a person's name, of rare words."""
    plain: bool
    """Three or more ordinary words."""


_SHAPES: dict[tuple[str, str], _Shape] = {}
"""``_shape`` by language and name (its tokens joined by spaces): names recur across texts.

The name tells its particles apart: a particle is a lower-case joining word,
German "das" aside, and no other token is one.
"""


def _shape(lang: str, name: str, words: list[str]) -> _Shape:
    lowers = [w.lower() for w in words]
    last = lowers[-1]
    given, rare = _person_words(tuple(words)) if len(words) >= 2 else (False, False)
    shape = _Shape(
        tuple(words),
        " ".join(name.split()),
        " ".join(" ".join(words[:-1]).split()),
        len(words) >= 2 and (last in cues.ORG_FORMS or last + "." in cues.ORG_FORMS),
        last + "." in cues.ORG_FORMS,
        last in cues.ORG_LEGAL_FORMS or last + "." in cues.ORG_LEGAL_FORMS,
        len(words) >= 2 and len(words[-1]) <= 2,
        len(name) >= 4 and name.isupper(),
        _heads(lowers, lang)
        if len(lowers) >= 2 or "-" in lowers[0] or lang == "de"
        else (None, ""),
        not name.isalpha() and _DIGIT.search(name) is not None and not name[0].isdigit(),
        given,
        rare,
        len(words) >= 3 and all(_max_zipf(w) >= 3.0 for w in lowers),
    )
    if len(_SHAPES) > 100_000:
        _SHAPES.clear()
    _SHAPES[lang, name] = shape
    return shape


class NameFinder:
    """Finds and types capitalised names in one text."""

    def __init__(
        self,
        text: str,
        lang: str,
        mask: bytearray,
        is_place: Callable[[str], bool] | None = None,
        known: Callable[[str], bool] | None = None,
        lookup: Callable[[str], tuple[str, str] | None] | None = None,
        unknown: bool = False,
    ) -> None:
        self.text = text
        self.lang = lang if lang in cues.LANGUAGES else "en"
        self.unknown = unknown or lang not in cues.LANGUAGES
        """A language without rules: a word opening a sentence is no name unless
        the text also writes it capitalised inside a sentence."""
        self.mask = mask
        self.is_place = is_place or (lambda _w: False)
        self.known = known or (lambda _w: False)
        self.lookup = lookup or (lambda _w: None)
        self.lines = _Lines(text, self.lang)
        self.functions = function_words(self.lang)
        self.all_functions = _all_functions()
        self.core_functions = function_words(self.lang, 60)
        self.german = self.lang == "de"
        self.place_prepositions = _PLACE_PREPOSITIONS[self.lang]
        self.given = popularities()
        self._mid: dict[str, bool] = {}
        self._plural: dict[str, bool] = {}
        self._pure = True
        """False once a word was judged by this text or gazetteer (see ``_split_run``)."""

    # -- which tokens are names -------------------------------------------------

    def _drop(
        self,
        tok: _Token,
        tested: bool,
        title: bool = False,
        first: bool = True,
        initial: bool = False,
        alone: bool = False,
    ) -> bool:
        """True when ``tok`` is no name; ``alone`` when it is a run of its own."""
        token = tok.text
        upper = len(token) >= 2 and token.isupper()
        if upper or self.german:
            self._pure = False  # the text and the gazetteer are asked below
        if self.german:
            if upper:
                # German writes nouns capitalised, never in capitals: "die CDU"
                # is tested like a name in any other language.
                tested = title or (first and initial)
            elif self._german_noun(tok):
                return True
        if upper and len(token) >= 4 and self.lookup(token.title()) is not None:
            return False  # a known name in capitals: "BERLIN (dpa)"
        if upper:
            plural = self._plural.get(token)
            if plural is None:
                plural = self._plural[token] = (token + "s") in self.text
            if plural:
                return True  # used in the plural ("GPUs"): a common noun
            if self._spelled_out(tok):
                return True
        if self.german and self.known(token):
            return False  # a place the gazetteer knows: "München", "Berlin"
        cache_key = (self.lang, token, tested, title, first, initial)
        verdict = _VERDICTS.get(cache_key)
        if verdict is None:
            verdict = self._drop_word(token, tested, title, first, initial)
            if len(_VERDICTS) > 200_000:
                _VERDICTS.clear()
            _VERDICTS[cache_key] = verdict
        if self.unknown and first and initial and verdict is not _DROP and not upper:
            # In a language without rules, a word opening a sentence is a
            # name only if the text writes it capitalised inside one too.
            self._pure = False
            return _is_initial(self.text, tok.start) and not self._seen_mid(token)
        if verdict is _UNLESS_LOWER:
            # An ordinary word opening a sentence alone, that the text writes in
            # lower case elsewhere, is that word: "Final" and "the final".
            return alone and (self._lower_elsewhere(token) or self._heading_word(tok.start, token))
        if verdict is _UNLESS_SEEN:
            self._pure = False
            return not self._seen_mid(token)
        return verdict is _DROP

    def _heading_word(self, start: int, token: str) -> bool:
        """True for an ordinary word that is a Markdown heading alone ("## Intro") and
        that the text never writes capitalised inside a sentence: a section's title."""
        text = self.text
        line = text.rfind("\n", 0, start) + 1
        if text[line : line + 1] != "#":
            return False
        stop = text.find("\n", start)
        rest = text[start + len(token) : stop if stop != -1 else len(text)]
        return not rest.strip(" \t\r#:.") and not self._seen_mid(token)

    def _lower_elsewhere(self, token: str) -> bool:
        """True when ``token`` stands in lower case as a word of its own in the text."""
        lower = token.lower()
        if lower == token or not lower.isalpha() or lower in _JOINERS:
            return False  # "Von der Leyen" and "von der Leyen": a particle
        text = self.text
        at = text.find(lower)
        while at != -1:
            end = at + len(lower)
            if (not at or not text[at - 1].isalnum()) and (
                end == len(text) or not text[end].isalnum()
            ):
                return True
            at = text.find(lower, end)
        return False

    def _drop_word(
        self, token: str, tested: bool, title: bool, first: bool, initial: bool
    ) -> object:
        """_DROP, _KEEP, _UNLESS_SEEN (drop unless seen capitalised mid-sentence)
        or _UNLESS_LOWER (drop if seen in lower case: an ordinary word opening
        a sentence, outside German).

        Depends on the word and the language only, so it is cached across texts.
        """
        dropped = self._drop_rules(token, tested, title, first, initial)
        if dropped is None:
            return _UNLESS_SEEN
        if dropped:
            return _DROP
        if (
            first
            and initial
            and not self.german
            and not token.isupper()
            and _max_zipf(token.lower()) >= 3.0
        ):
            return _UNLESS_LOWER
        return _KEEP

    def _drop_rules(
        self, token: str, tested: bool, title: bool, first: bool, initial: bool
    ) -> bool | None:
        if self.lang == "de" and "-" in token:
            token = token.split("-")[0]  # the compound's head is judged in _german_hyphen
        lower = token.lower()
        if lower in cues.GENERIC_ABBREVIATIONS or _title_word(lower):
            return True
        if len(token) == 1:
            # "A" or "I" opening a sentence; German capitalises nouns, not letters ("auf X").
            return lower in self.functions or (tested and (initial or title or self.lang != "de"))
        if not token.isupper() and (
            lower in self.core_functions or (first and lower in self.functions)
        ):
            return True  # inside a run only closed-class words break a name ("US Open")
        if not tested:
            # A very common word capitalised where a run opens mid-sentence:
            # most likely a sentence start that the punctuation hid.
            return (
                first
                and not token.isupper()
                and zipf(lower, self.lang) >= 5.7
                and is_common(lower, self.lang)
            )
        if not is_common(lower, self.lang, title):
            # A very frequent word opening a sentence, in several languages
            # alike ("Second", "Final"): a name only if seen inside a sentence.
            return None if first and initial and zipf(lower, self.lang) >= 5.0 else False
        return None

    def _german_noun(self, tok: _Token) -> bool:
        """A capitalised German word that is a noun, not a name."""
        if "-" in tok.text:
            return False  # compounds are cut in _german_hyphen
        kind = _DE_WORDS.get(tok.text)
        if kind is None:
            lower = tok.text.lower()
            if "-" in lower:
                kind = 0
            elif zipf(lower, "de") >= 3.0:
                kind = 2  # a German word: a noun when an article precedes it
            else:
                # An English noun taken into German: "Chatbot", "Startup".
                kind = 1 if zipf(lower, "en") >= 3.0 else 0
            if len(_DE_WORDS) > 200_000:
                _DE_WORDS.clear()
            _DE_WORDS[tok.text] = kind
        if kind == 1:
            return True
        after = self.text[tok.end : tok.end + 2]
        if after[:1] == " " and after[1:2].isupper():
            return False  # "der Arena Berlin", "im Signal Iduna Park": a name goes on
        prev = _word_before(self.text, tok.start)
        if not prev:
            return False
        if prev in _GERMAN_INDEFINITE:
            return True  # "einen Exoplaneten", "seinen Stern": names take no such article
        return kind == 2 and prev in _GERMAN_ARTICLES  # "das Training", "der Fall"

    def _spelled_out(self, tok: _Token) -> bool:
        """An abbreviation in brackets after the words it stands for: "full self-driving (FSD)"."""
        text = self.text
        if text[tok.start - 1 : tok.start] != "(" or text[tok.end : tok.end + 1] != ")":
            return False
        words = re.findall(r"[\w]+", text[max(0, tok.start - 80) : tok.start - 1])
        letters = tok.text.lower()
        initials = "".join(w[0].lower() for w in words[-len(letters) :])
        return initials == letters and all(w[0].islower() for w in words[-len(letters) :])

    def _german_hyphen(self, tok: _Token) -> _Token | None:
        """Keep the name part of a German compound: "Nvidia-Chips" -> "Nvidia".

        The last part of a German compound is its head, a noun; the name is
        what comes before it. Compounds of names ("Mercedes-Benz") stay whole.
        """
        parts = re.split(r"[-‐]", tok.text)
        while len(parts) > 1:
            last = parts[-1].lower()
            if (
                not last
                or last in cues.GENERIC_ABBREVIATIONS
                or parts[-1][0].islower()
                or zipf(last, "de") >= 3.0
                or is_common(last, "de")
            ):
                parts.pop()
            else:
                break
        if not parts or not parts[0] or parts[0].lower() in cues.GENERIC_ABBREVIATIONS:
            return None
        if is_common(parts[0].lower(), "de") and len(parts) == 1:
            return None
        end = tok.start + len("-".join(parts))
        return _Token(tok.start, end, self.text[tok.start : end])

    def segments(self) -> list[_Segment]:
        """Capitalised runs split into candidate names (not yet typed)."""
        text, german, mask, lang = self.text, self.german, self.mask, self.lang
        title_case = self.lines.title_case if self.lines.spans else None
        verdict_of = _VERDICTS.get
        unknown = self.unknown
        out: list[_Segment] = []
        for m in _runs(lang).finditer(text):
            start, end = m.span()
            if start and text[start - 1] in _LOWER_SET:
                start = _run_start(text, start)
            masked = mask.find(1, start, end) != -1
            if masked and mask.find(0, start, end) == -1:
                continue
            if out and not out[-1].tokens:
                out.pop()  # a title in an earlier run names nobody here
            if start > 1 and text[start - 1] == " " and text[start - 2].isalnum():
                initial = False  # the common case, decided without a call
            elif start > 1 and text[start - 1] == " " and text[start - 2] in ".!?:;":
                initial = True  # the next commonest: after a sentence
            else:
                initial = _is_initial(text, start)
            title = title_case(start) if title_case is not None else False
            run = text[start:end]
            if (
                not masked
                and " " not in run
                and "\u00a0" not in run
                and not (german and "-" in run)
            ):
                # Fast path: a one-word run, the commonest case by far; the
                # verdict on an ordinary word is looked up without a call.
                tested = german or title or initial
                verdict = None
                if not german and not run.isupper():
                    verdict = verdict_of((lang, run, tested, title, True, initial))
                if verdict is _KEEP and not (initial and unknown):
                    out.append(_Segment([_Token(start, end, run)], initial, title))
                    continue
                if verdict is _UNLESS_LOWER and not unknown:
                    if not self._lower_elsewhere(run) and not self._heading_word(start, run):
                        out.append(_Segment([_Token(start, end, run)], initial, title))
                    continue
                tok = _Token(start, end, run)
                if verdict is not _DROP and not self._drop(tok, tested, title, True, initial, True):
                    out.append(_Segment([tok], initial, title))
                elif _title_word(run.lower()):
                    out.append(_Segment([], False, person=True))
                continue
            self._split_run(out, start, run, masked, initial, title)
        return [seg for seg in out if seg.tokens]

    def _split_run(
        self, out: list[_Segment], at: int, run: str, masked: bool, initial: bool, title: bool
    ) -> None:
        """``_run``, or the pieces it made of the same run in an earlier text.

        Names recur across a corpus ("Grace Hopper" in one article of ten),
        and rebuilding the pieces costs a fraction of judging every word
        again. A run is remembered only when nothing of this text was asked:
        no masked word, no word in capitals, no German, no word kept only if
        seen mid-sentence. Whether ``out`` was empty is part of the key, as
        the first piece of a text may open a sentence; so is the language the
        rules were taken from, guessed for a language margin has no rules for
        (with "?" for all of those, a run's pieces depended on the text before).
        """
        key = (self.lang, self.unknown, run, initial, title, not out)
        pieces = None if masked else _RUNS.get(key)
        if pieces is not None:
            for spans, seg_initial, seg_title, person, product in pieces:
                tokens = [_Token(at + s, at + e, t, p) for s, e, t, p in spans]
                out.append(_Segment(tokens, seg_initial, seg_title, person, product))
            return
        made = len(out)
        self._pure = not masked
        self._run(out, at, run, masked, initial, title)
        if self._pure:
            if len(_RUNS) > 100_000:
                _RUNS.clear()
            _RUNS[key] = tuple(_piece(seg, at) for seg in out[made:])

    def _opener(self, tok: _Token) -> bool:
        """A word after which capitalised words belong to the same name.

        A given name ("Thomas Tuchel", "Oliver Blume": German nouns after it
        are surnames), a head word ("FC Bayern München", "Università di
        Padova") or a name particle.
        """
        lower = tok.text.lower()
        return (
            tok.particle
            or (self.given.get(lower, 0) >= 5 and lower not in self.all_functions)
            or lower in _HEADS
        )

    def _run(
        self, out: list[_Segment], at: int, run: str, masked: bool, initial: bool, title: bool
    ) -> None:
        german, mask = self.german, self.mask
        current: list[_Token] = []
        first = True
        after_title = False
        product_from = -1  # the first segment after a kind of product
        words: list[tuple[int, int, str]] = []
        for word in run.split():  # one space or no-break space between words
            words.append((at, at + len(word), word))
            at += len(word) + 1
        for i, (w_start, w_end, word) in enumerate(words):
            tok = _Token(w_start, w_end, word)
            if word[:2] in ("d'", "d’"):
                if current and not current[-1].particle:
                    current.append(tok)  # "Banca d'Italia": of the name before it
                    first = False
                    continue
                tok = _Token(w_start + 2, w_end, word[2:])  # nothing before: "Italia"
            elided = _ELISION.match(word) if ("'" in word or "’" in word) else None
            if elided is not None:
                # "l'Inter", "dell'Università": the article is not the name's.
                self._flush(out, current, initial, title)
                current = []
                tok = _Token(w_start + elided.end(), w_end, word[elided.end() :])
                first = False
            if (
                tok.text[0].islower()
                and tok.text in _JOINERS
                and not (german and tok.text == "das")
            ):
                # a name particle; German "das" is the article ("hat Wertheimer das Programm")
                tok.particle = True
                current.append(tok)
                first = False
                continue
            if tok.text[0].isdigit():
                # A model number after a name: "Dojo 2", "Fiat 500e"; never a year.
                if current and not _YEAR.fullmatch(tok.text) and not current[-1].particle:
                    current.append(tok)
                else:
                    self._flush(out, current, initial, title)
                    current = []
                first = False
                continue
            blocked = masked and mask.find(1, tok.start, tok.end) != -1
            lower = tok.text.lower()
            if lower in cues.PRODUCT_NOUNS and not blocked:
                # "Dojo Supercomputer", "Chatbot Grok": the kind, not the name.
                made = len(out)
                self._flush(out, current, initial, title)
                if len(out) > made:
                    out[-1].product = True
                current = []
                product_from = len(out)
                first = False
                continue
            following = words[i + 1][2].lower() if i + 1 < len(words) else ""
            next_capital = i + 1 < len(words) and words[i + 1][2][:1].isupper()
            if blocked:
                keep = False
            elif (
                (current and not current[0].particle and self._opener(current[-1]))
                or (not current and after_title)
            ) and lower not in self.functions:
                # After a given name, a head word or a title, capitalised words
                # are the name's own, however common: "Thomas Tuchel", "FC
                # Bayern München", "Bundeskanzler Olaf Scholz".
                keep = not _title_word(lower) and lower not in cues.GENERIC_ABBREVIATIONS
            elif (
                next_capital
                and self.given.get(lower, 0) >= 5
                and lower not in self.all_functions
                and not (first and initial and is_common(lower, self.lang))
            ):
                keep = True  # a given name opening a name
            elif _title_word(lower) and following in _HEADS:
                keep = True  # "Premier League": a title word opening a name
            elif (
                first
                and not initial
                and not title
                and not german
                and next_capital
                and lower in _ARTICLES
            ):
                keep = True  # "according to The Information": an article opening a title
            elif following in _HEADS and lower not in self.functions:
                keep = True  # "European Commission", "Signal Iduna Park"
            elif (
                following in cues.ORG_LEGAL_FORMS
                and lower not in self.functions
                and lower not in cues.ORG_LEGAL_FORMS
            ):
                keep = True  # "die Siemens AG": a company form names what it follows
            else:
                tested = german or title or (first and initial)
                keep = not self._drop(tok, tested, title, first, initial)
            if (
                keep
                and current
                and self.given.get(lower, 0) >= 3
                and lower not in self.all_functions
                and not current[-1].particle
                and self.given.get(current[-1].text.lower(), 0) < 2
                and i + 1 < len(words)
                and words[i + 1][2][:1].isupper()
            ):
                # "Interno Matteo Piantedosi": a given name opens a new name.
                if german and len(current) == 1 and zipf(current[0].text.lower(), "de") >= 3.0:
                    # "Dirigent Kirill Petrenko": a German noun before a name is a role.
                    if not out or out[-1].tokens or not out[-1].person:
                        out.append(_Segment([], False, person=True))
                else:
                    self._flush(out, current, initial, title)
                current = []
            if keep and german and "-" in tok.text:
                cut = self._german_hyphen(tok)
                if cut is None:
                    keep = False
                elif cut.end != tok.end:
                    current.append(cut)
                    self._flush(out, current, initial and not out, title)
                    current = []
                    first = False
                    continue
            after_title = False
            if keep:
                current.append(tok)
                first = False
            else:
                if _title_word(lower) and current and current[-1].text.lower() in _TITLE_MODIFIERS:
                    current.pop()  # "Prime Minister", "Vice President"
                self._flush(out, current, initial, title)
                current = []
                if _title_word(lower):
                    out.append(_Segment([], False, person=True))
                    first = False
                    after_title = True
        self._flush(out, current, initial, title)
        if 0 <= product_from < len(out) and out[product_from].tokens:
            out[product_from].product = True

    def _seen_mid(self, token: str) -> bool:
        """True when ``token`` stands capitalised inside a sentence somewhere in the text."""
        known = self._mid.get(token)
        if known is None:
            known = False
            if self.lang != "de":
                text, size = self.text, len(self.text)
                at = text.find(token)
                while at != -1:
                    end = at + len(token)
                    if (
                        at
                        and text[at - 1] == " "
                        and (end == size or not text[end].isalnum())
                        and _lower_before(text, at)
                        and not _is_initial(text, at)
                        and not self.lines.title_case(at)
                    ):
                        known = True
                        break
                    at = text.find(token, end)
            self._mid[token] = known
        return known

    def _flush(self, out: list[_Segment], toks: list[_Token], initial: bool, title: bool) -> None:
        # Particles never open or close a name; "of"/"di" only join a head word.
        after_title = bool(out) and not out[-1].tokens and out[-1].person
        if after_title:
            out.pop()
        if toks and toks[0].particle:
            after_title = False  # "CEO of Meta": the title is not this name's
        while toks and toks[0].particle:
            toks.pop(0)
        while toks and toks[-1].particle:
            toks.pop()
        if not toks:
            if after_title:
                out.append(_Segment([], False, person=True))
            return
        pieces: list[list[_Token]] = [[]]
        for tok in toks:
            if tok.particle and tok.text not in _ALWAYS_JOIN:
                # "of", "di", "de" join a head word ("University of X") or a
                # person's name ("Leonardo da Vinci"), nothing else.
                head = pieces[-1][0].text.lower() if pieces[-1] else ""
                nameish = tok.text in cues.NAME_PARTICLES and any(
                    self.given.get(t.text.lower(), 0) >= 2 for t in pieces[-1]
                )
                if head not in _HEADS and not nameish:
                    pieces.append([])
                    continue
            pieces[-1].append(tok)
        for piece in pieces:
            while piece and piece[-1].particle:
                piece.pop()
            while piece and piece[0].particle:
                piece.pop(0)
            if piece:
                out.append(_Segment(piece, initial, title, person=after_title))
                after_title = False

    # -- typing -------------------------------------------------------------------

    def find(self) -> list[Mention]:
        """Typed name mentions, in text order."""
        if ":" in self.text:
            self._mask_labels()
        segments = self.segments()
        singles = {s.tokens[0].text for s in segments if len(s.tokens) == 1}
        mentions: list[Mention] = []
        seen: dict[str, int] = {}
        for seg in self._split_known(segments, singles):
            toks = seg.tokens
            if len(toks) > 1:
                mention = self._type(seg, singles)
            elif seg.person:
                mention = self._type_word(seg, toks[0])
            else:
                # A name met again and again in one text is typed from the
                # context of its first few mentions; linking then gives the
                # later ones the same type. Most mentions in news are repeats.
                word = toks[0].text
                count = seen.get(word, 0) + 1
                seen[word] = count
                if count > _CONTEXT_MENTIONS:
                    mention = self._type_again(seg)
                else:
                    mention = self._type_word(seg, toks[0])
            if mention is not None:
                mentions.append(mention)
        return mentions

    def _mask_labels(self) -> None:
        """Mask the labels of fields: "Date: 2024-05-01", "Source: Reuters", "Datum:".

        A label is an ordinary word that opens a short line, right before a
        colon and a space or the line's end. A given name ("Anna: Hallo") or a
        word the text writes capitalised again ("Trump: ..." and "President
        Trump") is left alone. The mask hides the label from the gazetteer too.
        """
        text, mask = self.text, self.mask
        at = text.find(":")
        while at != -1:
            line = text.rfind("\n", 0, at) + 1
            word = text[line:at].lstrip(_LABEL_SKIP)
            follow = text[at + 1 : at + 2]
            if (
                3 <= len(word) <= 20
                and word[0].isupper()
                and word.isalpha()
                and not word.isupper()
                and (not follow or follow in " \t\r\n*_")
            ):
                stop = text.find("\n", at)
                lower = word.lower()
                if (
                    (stop if stop != -1 else len(text)) - line <= _LABEL_LINE
                    and _max_zipf(lower) >= 3.0
                    and self.given.get(lower, 0) < 5
                    and text.count(word) == 1
                ):
                    mask[at - len(word) : at] = b"\x01" * len(word)
            at = text.find(":", at + 1)

    def _type_again(self, seg: _Segment) -> Mention | None:
        tok = seg.tokens[0]
        if self.is_place(tok.text):
            return None
        kind = "PRODUCT" if _DIGIT.search(tok.text) and not tok.text[0].isdigit() else "ORG"
        return Mention(tok.start, tok.end, kind, tok.text, _RECOGNIZERS["default"])

    def _split_known(self, segments: list[_Segment], singles: set[str]) -> list[_Segment]:
        """Split "Tesla Dojo", "Nvidia H100" when the first word stands alone elsewhere."""
        out: list[_Segment] = []
        for seg in segments:
            toks = seg.tokens
            if (
                len(toks) >= 2
                and toks[0].text in singles
                and not toks[1].particle
                and not toks[1].text[0].isdigit()
                and toks[1].text[:2] not in ("d'", "d’")
                and toks[0].text.lower() not in self.given
                and toks[-1].text.lower() not in cues.ORG_FORMS
                and toks[-1].text.lower() + "." not in cues.ORG_FORMS
                and toks[-1].text.lower() not in cues.ORG_HEADS
                and toks[-1].text.lower() not in cues.PLACE_HEADS
                and _FORM_AFTER.match(self.text, toks[-1].end) is None
            ):
                out.append(_Segment(toks[:1], seg.initial, seg.title, seg.person))
                out.append(_Segment(toks[1:], False, seg.title, product=seg.product))
            else:
                out.append(seg)
        return out

    def _type(self, seg: _Segment, singles: set[str]) -> Mention | None:
        """A name of several words typed: ``_type_word`` types one of one word."""
        toks = seg.tokens
        text = self.text
        start, end = toks[0].start, toks[-1].end
        name = " ".join([t.text for t in toks])
        shape = _SHAPES.get((self.lang, name))
        if shape is None:
            shape = _shape(self.lang, name, [t.text for t in toks if not t.particle])
        words, spaced, bare, form, dotted, legal, cut, upper, heads, digits, given, rare, plain = (
            shape
        )
        kind: str | None = None
        how = "default"
        # Company form: "Tesla Inc.", "Nvidia Corp.", "Ferrari S.p.A.".
        if form:
            kind, how = "ORG", "form"
            if dotted and text[end : end + 1] == ".":
                end += 1
            if legal:
                spaced = bare
        elif text[end : end + 1] in _FORM_START and _form_may_follow(text, end):
            after = _FORM_AFTER.match(text, end)
            if after is not None:
                kind, how = "ORG", "form"
                end = after.end()
        elif cut:
            # "Ferrari S.p.A.": the run stopped inside the dotted company form.
            after = _FORM_AFTER.match(text, toks[-2].end)
            if after is not None:
                kind, how = "ORG", "form"
                end = after.end()
                spaced = bare
        if kind is None and upper:
            # A dateline or headline in capitals: "WASHINGTON (Reuters) -".
            hit = self.lookup(name.title())
            if hit is not None:
                return Mention(start, end, hit[0], hit[1], _RECOGNIZERS["known"])
        if kind is None:
            kind, how = self._context(seg, start, end)
        if kind is None:
            kind, how = heads
        if kind is None:
            how = "default"
        if kind is None and digits:
            kind, how = "PRODUCT", "digits"
        # "Tesla Dojo": a first word standing alone elsewhere is a name of its own.
        if kind is None and (given or (rare and words[0] not in singles)):
            kind, how = "PERSON", "shape"
        if kind is None and len(words) == 1 and self.is_place(words[0]):
            return None  # a demonym ("Canadian"): not a name of its own
        if kind is None:
            kind = "MISC" if plain else "ORG"
        return Mention(start, end, kind, spaced, _RECOGNIZERS[how])

    def _type_word(self, seg: _Segment, tok: _Token) -> Mention | None:
        """``_type`` for a name of one word, the commonest: the same rules, no lists built."""
        text, name, start, end = self.text, tok.text, tok.start, tok.end
        after = text[end : end + 3]
        quiet = _QUIET_AFTER.get(after)
        if quiet is None:
            quiet = _quiet_after(after)
        quiet = quiet and start >= 5 and _TAILS.get(text[start - 5 : start]) == _NO_CUE
        if not quiet and text[end : end + 1] in _FORM_START and _form_head_follows(text, end):
            form = _FORM_AFTER.match(text, end)
            if form is not None:
                return Mention(start, form.end(), "ORG", name, _RECOGNIZERS["form"])
        if len(name) >= 4 and name.isupper():
            hit = self.lookup(name.title())
            if hit is not None:
                return Mention(start, end, hit[0], hit[1], _RECOGNIZERS["known"])
        if quiet and not seg.person and not seg.product:
            kind, how = None, ""  # what ``_context`` finds between such words: nothing
        else:
            kind, how = self._context(seg, start, end)
        if kind is None and (self.german or "-" in name):
            kind, how = _heads([name.lower()], self.lang)
        if kind is None:
            if not name.isalpha() and _DIGIT.search(name) is not None and not name[0].isdigit():
                kind, how = "PRODUCT", "digits"
            elif self.is_place(name):
                return None  # a demonym ("Canadian"): not a name of its own
            else:
                kind, how = "ORG", "default"
        return Mention(start, end, kind, name, _RECOGNIZERS[how])

    def _context(self, seg: _Segment, start: int, end: int) -> tuple[str | None, str]:
        """Evidence from the words around a name: titles, roles, bylines, cue nouns."""
        if seg.person:
            return "PERSON", "title"
        if seg.product:
            return "PRODUCT", "cue"
        text = self.text
        p0 = p1 = ""
        if (
            (  # the five characters before, known to hold no cue: no call
                start < 5 or _TAILS.get(text[start - 5 : start]) != _NO_CUE
            )
            and not _no_cue_before(text, start)
        ):
            p0, p1 = _prev_words(text, start)
            if not p0:
                p0, p1 = p1, ""
        if p0:
            if p0 in _TITLES:
                return "PERSON", "title"
            if p1:
                if f"{p1} {p0}" in _TITLES:
                    return "PERSON", "title"
                if p0 in _OF and p1 in _TITLES:
                    return "ORG", "role"  # "CEO of Meta", "il CEO di Nvidia"
            if p0 in _BYLINE and _line_start(text, start, p0):
                return "PERSON", "byline"  # "By Dwaipayan Roy"
        gap = text[end : end + 1]
        tokens: list[str] = []  # what follows a name in its sentence
        multi = len(seg.tokens) >= 2
        if gap == "," or (gap == " " and not _no_cue_after(text, end, multi)):
            tokens = _next_tokens(text, end)
            after = list(filter(None, tokens))[:2]
            a0 = after[0] if after else ""
            if gap == ",":
                if a0 in _TITLES:
                    return "PERSON", "title"  # "Mark Zuckerberg, CEO von Meta"
                if (
                    len(after) == 2
                    and a0 in cues.INDEFINITE_ARTICLES
                    and after[1] in cues.PRODUCT_NOUNS
                ):
                    return "PRODUCT", "cue"  # "Grok, a chatbot"
            elif a0 in cues.ROLE_AFTER_ORG:
                return "ORG", "role"  # "Tesla CEO Elon Musk"
            elif (
                len(after) == 2
                and after[1] in cues.ROLE_AFTER_ORG
                and a0 in cues.GENERIC_ABBREVIATIONS
            ):
                return "ORG", "role"  # "Meta AI chief"
        elif gap in _APOSTROPHES and text[end + 1 : end + 2] == "s":
            owner = list(filter(None, _next_tokens(text, end + 2)[:2]))
            if owner and owner[0] in _TITLES:
                return "ORG", "role"  # "Nvidia's CEO"
        if p0:
            kind = _cue_before(p0, p1)
            if kind is not None:
                return kind
        if tokens and multi:
            said = list(filter(None, tokens[:2]))[:1]
            if said and said[0] in cues.AUXILIARIES:
                said = list(filter(None, tokens))[1:2]  # "Giancarlo Giorgetti ha detto"
            if said and said[0] in cues.SPEECH_VERBS:
                return "PERSON", "said"  # "Pep Guardiola said"
        if p0 and not multi and p0 in self.place_prepositions:
            return "PLACE", "weak"  # "in Ottawa", "a Venezia": outvoted by firmer evidence
        return None, ""
