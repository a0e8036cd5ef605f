"""Word frequencies per language, from the wordfreq package.

A capitalised word is a name candidate unless it is a common word of the
article's language. "Common" is measured, not listed: a word is common in a
language when it is frequent there and clearly more frequent there than in the
other languages margin reads. Names (Tesla, Zuckerberg, Google) are about as
frequent in every language; "Unternehmen", "Despite" or "Secondo" are not.

wordfreq's small lists (every word above one in a million) are read straight
from the package's data files, which avoids importing wordfreq itself (about
300 ms of imports for ftfy, langcodes and regex); if the file format ever
changes, the public ``wordfreq.get_frequency_dict`` is used instead.
"""

from __future__ import annotations

import gzip
import importlib.util
import itertools
import math
from functools import cache
from pathlib import Path
from typing import Any

from tui.entities.cues import LANGUAGES

COMMON_ZIPF = 3.0
"""Below this (one in a million words) a word counts as rare in every language."""

MARGIN = 0.7
"""How much more frequent (in zipf units) a word must be in its language than elsewhere."""

RARE_NAME_ZIPF = 3.4
"""Outside German, words rarer than this opening a sentence may be names ("Ives")."""

FUNCTION_WORDS = 150
"""The most frequent words of a language are common whatever other languages say."""


def _data_dir() -> Path | None:
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _read_cbpack(path: Path) -> list[list[str]]:
    import msgpack  # a dependency of wordfreq

    with gzip.open(path, "rb") as infile:
        data: Any = msgpack.load(infile, raw=False)
    header = data[0]
    if not isinstance(header, dict) or header.get("format") != "cB":
        raise ValueError("unexpected wordfreq data format")
    return list(data[1:])


@cache
def table(lang: str) -> dict[str, float]:
    """Lower-cased word -> zipf frequency for ``lang`` (empty if unknown)."""
    folder = _data_dir()
    if folder is not None:
        try:
            buckets = _read_cbpack(folder / f"small_{lang}.msgpack.gz")
        except (OSError, ValueError, ImportError):
            buckets = []
        if buckets:
            out: dict[str, float] = {}
            for index, words in enumerate(buckets):
                zipf = 9.0 - index / 100.0
                for word in words:
                    out.setdefault(word, zipf)
            return out
    try:
        import wordfreq

        freqs = wordfreq.get_frequency_dict(lang, "small")
    except (ImportError, LookupError, OSError, ValueError):
        return {}
    return {w: math.log10(f) + 9.0 for w, f in freqs.items() if f > 0}


@cache
def function_words(lang: str, count: int = FUNCTION_WORDS) -> frozenset[str]:
    """The ``count`` most frequent words of ``lang``."""
    words = table(lang)
    values = list(itertools.islice(words.values(), 200))
    if all(a >= b for a, b in itertools.pairwise(values)):
        return frozenset(itertools.islice(words, count))  # already by frequency
    ranked = sorted(words.items(), key=lambda item: -item[1])
    return frozenset(w for w, _ in ranked[:count])


def zipf(word: str, lang: str) -> float:
    """Zipf frequency of the lower-cased ``word`` in ``lang`` (0 when rare).

    wordfreq case-folds its words, so "ß" is listed as "ss" ("strasse"): a word
    that is missing with "ß" is looked up again folded.
    """
    words = table(lang)
    found = words.get(word)
    if found is not None:
        return found
    return words.get(word.replace("ß", "ss"), 0.0) if "ß" in word else 0.0


_COMMON: dict[tuple[str, str], bool] = {}


def is_common(lower: str, lang: str, strict: bool = False) -> bool:
    """True when ``lower`` is an ordinary word of ``lang`` rather than a name.

    ``strict`` (for Title Case headlines, where every word is capitalised)
    takes rarer words as ordinary too. Memoised: a corpus repeats its words,
    and this runs once per distinct capitalised word that needs the test.
    """
    key = (lower, lang if not strict else lang + "!")
    known = _COMMON.get(key)
    if known is not None:
        return known
    result = _is_common(lower, lang, strict)
    if len(_COMMON) > 500_000:
        _COMMON.clear()
    _COMMON[key] = result
    return result


def _is_common(lower: str, lang: str, strict: bool = False) -> bool:
    lower = lower.replace("ß", "ss")  # as wordfreq lists it (see ``zipf``)
    if lang not in LANGUAGES:
        return lower in function_words("en")
    if lower in function_words(lang):
        return True
    here = zipf(lower, lang)
    if here < COMMON_ZIPF:
        return lang == "de" and _german_noun(lower)
    elsewhere = max(zipf(lower, other) for other in LANGUAGES if other != lang)
    # German capitalises its nouns, so rarer German words still count as
    # nouns; elsewhere a rare word opening a sentence is as likely a name.
    floor = COMMON_ZIPF if lang == "de" or strict else RARE_NAME_ZIPF
    return here >= floor and here - elsewhere >= MARGIN


def _german_noun(lower: str) -> bool:
    """A German word missing from the list: inflected, compound, or very long."""
    for suffix in ("s", "es", "n", "en", "e", "er", "ern"):
        stem = lower[: -len(suffix)]
        if lower.endswith(suffix) and len(stem) >= 4:
            here = zipf(stem, "de")
            if here >= COMMON_ZIPF:
                elsewhere = max(zipf(stem, other) for other in LANGUAGES if other != "de")
                if here - elsewhere >= MARGIN:
                    return True
    return len(lower) >= 15 or is_german_compound(lower)


def is_german_compound(lower: str) -> bool:
    """True for a rare German word made of two known words: "Technologieunternehmen".

    German writes compounds as one word, so most of them are missing from any
    frequency list; both halves are there. Names rarely split this way, and a
    name that does ("Zuckerberg") is frequent enough to be judged as a whole.
    """
    if len(lower) < 8:
        return False
    words = table("de")
    for cut in range(4, len(lower) - 3):
        tail = lower[cut:]
        if words.get(tail, 0.0) < 3.5:
            continue
        head = lower[:cut]
        if words.get(head, 0.0) >= COMMON_ZIPF:
            return True
        for linker in ("s", "n", "en", "es"):
            stem = head[: -len(linker)]
            if head.endswith(linker) and len(stem) >= 4 and words.get(stem, 0.0) >= COMMON_ZIPF:
                return True
    return False
