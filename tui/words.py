"""What a word is: one definition for the index, for queries and for the spans found in a text.

The index tokenizes with tantivy's simple tokenizer, which splits on every
character that is not alphanumeric to Rust. Alone, that cuts 'Zürich'
written with a combining accent (NFD) into 'zu' and 'rich', a word with a
soft hyphen in two, a Hindi word at its virama; it keeps the Arabic vowel
marks that nobody types; and it makes a whole Chinese sentence one word.
So every text is ``normalize``-d before tantivy sees it, in the index and
in queries alike:

- NFC, so a letter and its combining accent are one character;
- dropped: combining marks that tantivy would split at, invisible
  characters inside words (soft hyphen, zero-width space and joiners),
  the optional vowel marks of Arabic and Hebrew, and the tatweel;
- Turkish capital dotted I is I (lowercase would leave a combining dot);
- Greek letters lose their accents and Cyrillic ё is е, as tantivy's ASCII
  folding does for Latin;
- Chinese, Japanese, Thai, Lao, Myanmar and Khmer characters are words of
  one character each, as those scripts put no spaces between words: a
  query in them is a phrase.

``word_pattern`` finds the same words in the text as written, so that
``fold`` of each match is one indexed word and offsets are the text's own.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

import tantivy

from tui.wordchars import MARKS, MARKS_ASTRAL, UNSPACED, WORD_EXTRA, WORD_EXTRA_ASTRAL

_ASTRAL = "\U00010000-\U0010ffff"

_INVISIBLE = "\u00ad\u180e\u200b-\u200d\u2060\ufeff"
_OPTIONAL = "\u0591-\u05bd\u05bf\u05c1-\u05c2\u05c4-\u05c5\u05c7\u0640\u064b-\u065f\u0670"
_DROPPED = MARKS + _INVISIBLE + _OPTIONAL


def _one_of(bmp: str, astral: str) -> str:
    """A regex for one character of a class: ``re`` checks the first 65,536 in a bitmap,
    but many ranges past them one by one, so those are only looked at past U+FFFF."""
    return f"(?:[{bmp}]|(?=[{_ASTRAL}])[{astral}])"


_WORD = f"[^\\W_{UNSPACED}]"
_EXTRA = _one_of(WORD_EXTRA, WORD_EXTRA_ASTRAL)
_EXTRA_OR_DROPPED = _one_of(WORD_EXTRA + _DROPPED, WORD_EXTRA_ASTRAL + MARKS_ASTRAL)

_SIMPLE = re.compile(r"[^\W_]+")
# Latin, its punctuation and currency signs: nothing here needs more than _SIMPLE (save
# the soft hyphen and the dotted capital I, left out). One page of text is checked for
# anything else in 20 µs, and the patterns over the whole tables are compiled only then.
_UNCOMMON = re.compile(
    "[^\x00-\xac\xae-\u012f\u0131-\u02ff\u2000-\u200a\u2010-\u205f\u20a0-\u20cf]"
)


class _Tables(NamedTuple):
    unaccented: dict[int, str]
    drop: re.Pattern[str]
    one_character: re.Pattern[str]
    changes: re.Pattern[str]
    special: re.Pattern[str]
    full: re.Pattern[str]
    inside: re.Pattern[str]


@functools.cache
def _tables() -> _Tables:
    """The patterns over the whole tables, compiled at first need: 20 ms, which a search
    over Latin text never pays."""
    unaccented = _unaccented()
    accented = "".join(map(chr, unaccented))
    return _Tables(
        unaccented=unaccented,
        drop=re.compile(_one_of(_DROPPED, MARKS_ASTRAL) + "+"),
        one_character=re.compile(f"[{UNSPACED}]"),
        # Any character past U+FFFF (an emoji, most often) takes the slower, exact way.
        changes=re.compile(f"[{_DROPPED}{UNSPACED}\u0130{accented}{_ASTRAL}]"),
        special=re.compile(f"[{_DROPPED}{UNSPACED}\u0130{WORD_EXTRA}{_ASTRAL}]"),
        full=re.compile(f"[{UNSPACED}]|(?:{_WORD}|{_EXTRA})(?:{_WORD}|{_EXTRA_OR_DROPPED})*"),
        inside=re.compile(f"{_WORD}|{_EXTRA_OR_DROPPED}"),
    )


def _unaccented() -> dict[int, str]:
    """Greek letters without accents and breathings, and Cyrillic ё as е: what tantivy's
    ASCII folding does for Latin letters, which it leaves these alone."""
    table = {ord("ё"): "е", ord("Ё"): "Е"}
    for code in (*range(0x0370, 0x0400), *range(0x1F00, 0x2000)):
        parts = unicodedata.normalize("NFD", chr(code))
        if len(parts) > 1 and unicodedata.category(parts[0]).startswith("L"):
            table[code] = parts[0]
    return table


def normalize(text: str) -> str:
    """``text`` as tantivy's tokenizer is given it (see the module's docstring)."""
    if text.isascii():
        return text
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _UNCOMMON.search(text) is None:
        return text
    tables = _tables()
    if tables.changes.search(text) is None:
        return text
    text = tables.drop.sub("", text).replace("\u0130", "I").translate(tables.unaccented)
    return tables.one_character.sub(r" \g<0> ", text)


def word_pattern(text: str) -> re.Pattern[str]:
    """What matches one indexed word in ``text`` as written (runs of alphanumerics,
    unless the text holds a character that ``normalize`` treats specially)."""
    if text.isascii() or _UNCOMMON.search(text) is None:
        return _SIMPLE
    tables = _tables()
    return _SIMPLE if tables.special.search(text) is None else tables.full


def as_written(words: Sequence[str]) -> str:
    """A phrase's folded words as a text most likely holds them: characters of scripts
    without spaces side by side, other words with a space between."""
    out: list[str] = []
    for before, word in zip(("", *words), words, strict=False):
        if before and not (unspaced(before) and unspaced(word)):
            out.append(" ")
        out.append(word)
    return "".join(out)


def unspaced(word: str) -> bool:
    """Is ``word`` one character of a script written without spaces (a word of its own)?"""
    return (
        len(word) == 1
        and _UNCOMMON.match(word) is not None
        and _tables().one_character.match(word) is not None
    )


def inside(text: str, at: int) -> bool:
    """Is ``text[at]`` part of a word, so that a word next to it is not whole?"""
    c = text[at]
    if c.isascii() or _UNCOMMON.match(c) is None:
        return c.isalnum()
    return _tables().inside.match(c) is not None


LONGEST = 100
"""Bytes from which a word is not indexed (junk: a hash, a base64 run): 40 dropped a
Russian word of 20 letters, and any Thai phrase (Thai puts no spaces between words)."""


def analyzer() -> tantivy.TextAnalyzer:
    """The one analyzer of every indexed text field; queries are folded with it too."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(LONGEST))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


_ANALYZER = analyzer()


def fold_words(text: str) -> list[str]:
    """The indexed words of ``text``, folded: ``"Nvidia's H100"`` -> ``["nvidia", "s", "h100"]``."""
    return _ANALYZER.analyze(normalize(text))


_FOLDED: dict[str, str] = {}


def fold(token: str) -> str:
    """One surface word (a ``word_pattern`` match) as the index stores it ('' if it is not
    indexed)."""
    folded = _FOLDED.get(token)
    if folded is None:
        if token.isascii():
            folded = token.lower() if len(token) < LONGEST else ""
        else:
            folded = "".join(_ANALYZER.analyze(normalize(token)))
        if len(_FOLDED) > 200_000:
            _FOLDED.clear()
        _FOLDED[token] = folded
    return folded
