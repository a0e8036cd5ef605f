"""A quick guess of an article's language among the five margin reads."""

from __future__ import annotations

import re
from functools import cache
from itertools import filterfalse

from tui.entities.cues import LANGUAGES
from tui.entities.frequencies import table

_WORD = re.compile(r"[^\W\d_]+")


@cache
def _markers() -> dict[str, frozenset[str]]:
    """The 60 most frequent words of each language that no other language shares."""
    tops = {}
    for lang in LANGUAGES:
        ranked = sorted(table(lang).items(), key=lambda item: -item[1])
        tops[lang] = [w for w, _ in ranked[:120]]
    out = {}
    for lang in LANGUAGES:
        others = {w for other in LANGUAGES if other != lang for w in tops[other]}
        out[lang] = frozenset([w for w in tops[lang] if w not in others][:60])
    return out


def normalize(language: str | None) -> str | None:
    """ "de-DE", "German" or "DEU" -> "de"; None when not one of ours."""
    if not language:
        return None
    code = language.strip().lower().replace("_", "-").split("-")[0]
    aliases = {
        "english": "en", "eng": "en", "german": "de", "deutsch": "de", "deu": "de",
        "ger": "de", "italian": "it", "italiano": "it", "ita": "it", "french": "fr",
        "français": "fr", "fra": "fr", "fre": "fr", "spanish": "es", "español": "es",
        "spa": "es",
    }  # fmt: skip
    code = aliases.get(code, code)
    return code if code in LANGUAGES else None


def guess(text: str, sample: int = 1500) -> str:
    """The most likely of en, de, it, fr, es for ``text`` (en when unsure)."""
    words = set(text[:sample].lower().split())
    odd = list(filterfalse(str.isalpha, words))  # only these need the expression
    words.difference_update(odd)
    words.update(_WORD.findall(" ".join(odd)))
    markers = _markers()
    best, score = "en", 0
    for lang in LANGUAGES:
        hits = len(words & markers[lang])
        if hits > score:
            best, score = lang, hits
    return best
