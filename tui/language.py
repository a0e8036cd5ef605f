"""Guess an article's language from its text, fast and without a model.

Each language has a profile: its most frequent words with their Zipf
frequency (log10 of occurrences per billion words), taken from wordfreq's
``top_n_list`` / ``zipf_frequency`` and shipped as ``data/language_profiles.json``
so that margin needs no 58 MB dependency at run time (``build_profiles``
regenerates the file when wordfreq is installed). Frequent words are
function words (articles, prepositions, pronouns), which is exactly what
tells languages apart on a short paragraph. Scripts that belong to one
language (Hangul, kana, Greek...) are decided by script alone.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from contextlib import suppress
from functools import cache
from itertools import islice
from operator import add
from pathlib import Path
from typing import Any, NamedTuple

SAMPLE_CHARS = 4096
"""Only the start of an article is read: a few KB name the language."""

PROFILE_WORDS = 500
"""Words per profile: enough for short paragraphs, small enough to load in ms."""

PROFILE_LANGUAGES: dict[str, tuple[str, ...]] = {
    "latin": (
        "en", "de", "it", "fr", "es", "nl", "pt", "sv", "da", "nb",
        "pl", "cs", "ro", "ca", "fi", "hu", "tr", "id",
    ),
    "cyrillic": ("ru", "uk", "bg"),
    "arabic": ("ar", "fa"),
}  # fmt: skip
"""Languages told apart by word profiles, grouped by the script they share."""

MIN_HITS = 3
"""Fewer profile words than this is no signal: a title, a name, a number."""

MIN_MARGIN = 0.25
"""Mean per-word lead of the best language over the runner-up, in Zipf units."""

MIN_FIT = 0.3
"""The best language's profile words must make up at least this part of the share of
words they make in that language's own text (``_Packed.coverage``). News prose reaches
0.65 or more (one short sentence: 0.7), an English README among its links and badges
0.35; text in a language margin has no profile for shares a few short words with one
it knows (lorem ipsum: Danish "sit", Italian "non"; Lithuanian: Catalan "ir") and stays
at 0.09-0.22. Such text is unknown, not confidently the language it borrows words of.
A text that falls short is judged again without its capitalised words (names are in no
profile): a list of attendees is English by its other words (``_fits_without_names``)."""

QUICK_CHARS = 1024
SURE_HITS = 40
"""A verdict on the first ``QUICK_CHARS`` stands with this many profile words and twice
the margin; otherwise the whole sample is read (the same verdicts on 3,021 texts, half the
time)."""

_WORD = re.compile(r"[^\W\d_]+")
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")),
    ("el", re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("cyrillic", re.compile(r"[\u0400-\u04ff]")),
    ("arabic", re.compile(r"[\u0600-\u06ff\u0750-\u077f]")),
    ("latin", re.compile(r"[A-Za-z\u00c0-\u024f]")),
)
_LATIN = _SCRIPTS[-1][1]
_NOT_LATIN = re.compile("|".join(pattern.pattern for name, pattern in _SCRIPTS if name != "latin"))
_PROFILE_FILE = "language_profiles.json"

Profiles = dict[str, dict[str, float]]


@cache
def load_profiles() -> Profiles:
    """The shipped word profiles: ``{lang: {word: zipf}}``, read once."""
    raw = (Path(__file__).parent / "data" / _PROFILE_FILE).read_text(encoding="utf-8")
    data: Profiles = json.loads(raw)
    return data


def build_profiles(languages: Iterable[str] | None = None, n: int = PROFILE_WORDS) -> Profiles:
    """Profiles computed from wordfreq (a maintainer's tool: needs wordfreq installed).

    Only alphabetic words are kept: digits and symbols say nothing of language.
    """
    import wordfreq  # only maintainers regenerate the data file

    langs = languages or [lang for group in PROFILE_LANGUAGES.values() for lang in group]
    profiles: Profiles = {}
    for lang in langs:
        words: list[Any] = wordfreq.top_n_list(lang, n)
        profiles[lang] = {
            str(w): round(float(wordfreq.zipf_frequency(w, lang)), 2)
            for w in words
            if str(w).isalpha()
        }
    return profiles


def write_profiles(profiles: Mapping[str, Mapping[str, float]], path: str) -> None:
    """Write profiles as compact, stable JSON (one language per line, for diffs)."""
    lines = [
        f"{json.dumps(lang)}: {json.dumps(dict(words), ensure_ascii=False, separators=(',', ':'))}"
        for lang, words in sorted(profiles.items())
    ]
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")


def _dominant_script(sample: str) -> str | None:
    """The script most letters of ``sample`` are written in (its first KB suffices)."""
    sample = sample[:1024]
    # ASCII or accented Latin, the commonest cases: one scan, stopped at the 4th letter.
    # (No letter of another script is in latin-1 or cp1252: an encode is a cheaper scan.)
    if sample.isascii() or _encoded(sample) or _NOT_LATIN.search(sample) is None:
        return "latin" if next(islice(_LATIN.finditer(sample), 3, None), None) else None
    counts = {name: len(pattern.findall(sample)) for name, pattern in _SCRIPTS}
    # Japanese mixes kanji (Han) with kana; Chinese has no kana at all.
    if counts["ja"] and counts["ja"] * 10 >= counts["zh"]:
        counts["ja"] += counts.pop("zh")
    best, best_count = max(counts.items(), key=lambda item: item[1])
    # A handful of letters (a stray name, a symbol) is no evidence of a script.
    return best if best_count >= 4 else None


@cache
def _script_table(
    script: str,
) -> tuple[tuple[str, ...], tuple[float, ...], dict[str, tuple[tuple[int, float], ...]]]:
    """For one script: its languages, their floors, and word -> ((lang index, zipf gain), ...).

    Folding all profiles into one table makes scoring one dict lookup per word.
    """
    profiles = load_profiles()
    langs = tuple(lang for lang in PROFILE_LANGUAGES[script] if lang in profiles)
    floors = tuple(min(profiles[lang].values(), default=0.0) - 1.0 for lang in langs)
    table: dict[str, list[tuple[int, float]]] = {}
    for i, lang in enumerate(langs):
        for word, zipf in profiles[lang].items():
            table.setdefault(word, []).append((i, zipf - floors[i]))
    return langs, floors, {word: tuple(entries) for word, entries in table.items()}


def language_scores(text: str) -> dict[str, tuple[float, int]]:
    """Per candidate language: (log-likelihood-like score, profile words seen).

    A word missing from a profile scores one unit below that profile's rarest
    word, so a language is penalised for every frequent word it lacks. Words
    in no profile (names, numbers, rare words) are ignored.
    """
    sample = text[:SAMPLE_CHARS]
    script = _dominant_script(sample)
    if script is None or script not in PROFILE_LANGUAGES:
        return {}
    return _scores(sample, script)


def _scores(sample: str, script: str) -> dict[str, tuple[float, int]]:
    langs, floors, table = _script_table(script)
    gains = [0.0] * len(langs)
    hits = [0] * len(langs)
    known = 0
    for word, count in Counter(_WORD.findall(sample.casefold())).items():
        entries = table.get(word)
        if entries is None:
            continue
        known += count
        for i, gain in entries:
            gains[i] += count * gain
            hits[i] += count
    return {lang: (gains[i] + known * floors[i], hits[i]) for i, lang in enumerate(langs)}


_LANE = 32
"""Bits of one counter in a packed score (a C unsigned int, read back by ``memoryview.cast``):
its sums stay under 2**22 on a 4 KB sample."""


class _Packed(NamedTuple):
    """A script's profiles as integers: word -> every counter it adds to, in one int.

    Lanes of ``_LANE`` bits hold, per language, the word's gain in hundredths of a
    Zipf unit (the profiles' precision), then per language a hit, then one for
    ``known``: a sample's scores are one integer sum over its words, and exact.
    """

    langs: tuple[str, ...]
    floors: tuple[int, ...]
    """Per language, in hundredths: what ``_scores`` adds for every known word."""
    words: dict[str, int]
    encoded: dict[bytes, int]
    """The same, keyed by the words' cp1252 bytes (those cp1252 can write)."""
    coverage: tuple[float, ...]
    """Per language, the share of its running text its profile words make: the sum of
    their frequencies (Zipf z is 10**(z - 9) of all words)."""


@cache
def _packed(script: str) -> _Packed:
    profiles = load_profiles()
    langs = _script_table(script)[0]
    count = len(langs)
    floors = tuple(round(min(profiles[lang].values(), default=0.0) * 100) - 100 for lang in langs)
    words: dict[str, int] = {}
    for i, lang in enumerate(langs):
        for word, zipf in profiles[lang].items():
            lanes = words.get(word, 1 << (2 * count * _LANE))
            gain = round(zipf * 100) - floors[i]
            words[word] = lanes + (gain << (i * _LANE)) + (1 << ((count + i) * _LANE))
    encoded = {}
    for word, lanes in words.items():
        with suppress(UnicodeEncodeError):  # never a word of a sample cp1252 can write
            encoded[word.encode("cp1252")] = lanes
    coverage = tuple(sum(10 ** (z - 9) for z in profiles[lang].values()) for lang in langs)
    return _Packed(langs, floors, words, encoded, coverage)


def _folded_letters(encoding: str) -> bytes:
    """A ``bytes.translate`` table: each byte's letter casefolded, a space for the others.

    Casefolding maps every character of latin-1 and cp1252 to one of the same
    encoding, but for ß ("ss": replaced after the translate) and µ (Greek μ:
    such a sample takes the long way).
    """
    table = bytearray(b" " * 256)
    for byte in range(256):
        char = bytes([byte]).decode(encoding, "replace")
        if _WORD.fullmatch(char):
            folded = char.casefold().encode(encoding, "replace")
            table[byte] = byte if folded in (b"ss", b"?") else folded[0]
    return bytes(table)


# latin-1 and cp1252 differ in 0x80-0x9f only, which no word of a latin-1 sample holds:
# a word is the same bytes in both, so both look up ``_Packed.encoded``.
_SINGLE_BYTE = (("latin-1", _folded_letters("latin-1")), ("cp1252", _folded_letters("cp1252")))


def _encoded(sample: str) -> tuple[bytes, bytes] | None:
    """``sample`` in latin-1, else in cp1252, with that encoding's table of letters."""
    for encoding, letters in _SINGLE_BYTE:
        try:
            return sample.encode(encoding), letters
        except UnicodeEncodeError:
            pass
    return None


def _words(sample: str) -> list[bytes] | None:
    """The casefolded words ``_WORD`` finds in ``sample``, as cp1252 bytes: split by one
    translate, six times faster than the regex; None when a byte cannot hold the text."""
    encoded = _encoded(sample)
    if encoded is None or b"\xb5" in encoded[0]:
        return None
    words = encoded[0].translate(encoded[1])
    return (words.replace(b"\xdf", b"ss") if b"\xdf" in words else words).split()


def _packed_sum(sample: str, packed: _Packed) -> tuple[int, int]:
    """The packed counters of the sample's profile words, added up, and its word count."""
    table: dict[Any, int]
    words: list[Any] | None = _words(sample)
    if words is None:
        table, words = packed.words, _WORD.findall(sample.casefold())
    else:
        table = packed.encoded
    # One lookup a word: no word's counters are 0 (each counts in ``known``), so
    # ``filter(None, ...)`` drops exactly the misses.
    return sum(filter(None, map(table.get, words))), len(words)


def _judged(sample: str, script: str, hits: int, margin: float) -> tuple[str | None, float]:
    """The best language of ``sample``, if it has ``hits`` profile words and leads the
    runner-up by ``margin`` a word; and how well the sample fits that language: the share
    of its words in the language's profile over the share they make in its own text.

    Decided on exact integer scores; a tie, or a lead of exactly ``margin``, is left
    to the float sums of ``_scores``, which decided those before.
    """
    packed = _packed(script)
    count = len(packed.langs)
    total, words = _packed_sum(sample, packed)
    lanes = memoryview(total.to_bytes(4 * (2 * count + 1), sys.byteorder)).cast("I").tolist()
    gains, seen, known = lanes[:count], lanes[count : 2 * count], lanes[2 * count]
    scores = list(map(add, gains, map(known.__mul__, packed.floors)))  # gain + known * floor
    if max(seen) < hits:
        return None, 0.0
    best_score = max(scores)
    best = scores.index(best_score)
    verdict: str | None
    if scores.count(best_score) > 1:
        verdict = _float_verdict(_scores(sample, script), hits, margin)
    elif seen[best] < hits:
        verdict = None
    elif count == 1:
        verdict = packed.langs[best]
    else:
        lead = best_score - sorted(scores)[-2]  # the runner-up: the only other one so high
        needed = round(margin * 100) * seen[best]
        if lead == needed:
            verdict = _float_verdict(_scores(sample, script), hits, margin)
        else:
            verdict = packed.langs[best] if lead > needed else None
    if verdict is None or not words:
        return verdict, 0.0
    chosen = packed.langs.index(verdict)
    return verdict, seen[chosen] / (words * packed.coverage[chosen])


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text gives no clear signal.

    Reads only the first ``SAMPLE_CHARS`` characters. Unsure means: fewer than
    ``MIN_HITS`` frequent words, two languages scoring too close (Catalan and
    Spanish on a single line, say), or too few of the text's words frequent in
    the best language (``MIN_FIT``: lorem ipsum, a language margin has no
    profile for): a wrong label is worse than none.
    """
    sample = text[:SAMPLE_CHARS]
    script = _dominant_script(sample)
    if script is None:
        return None
    if script not in PROFILE_LANGUAGES:
        return script
    if len(sample) > QUICK_CHARS:
        # The first KB nearly always settles it; the rest is read only when it does not.
        sure, fit = _judged(sample[:QUICK_CHARS], script, SURE_HITS, 2 * MIN_MARGIN)
        if sure is not None and fit >= MIN_FIT:
            return sure
    verdict, fit = _judged(sample, script, MIN_HITS, MIN_MARGIN)
    return verdict if fit >= MIN_FIT or _fits_without_names(sample, fit) else None


def _fits_without_names(sample: str, fit: float) -> bool:
    """Whether ``fit`` reaches ``MIN_FIT`` once the capitalised words are left out.

    Names are in no language's profile, so a list of attendees or a line of
    company names fits its language poorly (0.2-0.3) though every other word
    is English; lorem ipsum, capitalised only at its sentences' starts, stays
    low. Counted only for a sample that fell short: most never do.
    """
    words = sample.split()
    named = sum(1 for word in words if word[:1].isupper())
    return named < len(words) and fit * len(words) / (len(words) - named) >= MIN_FIT


def _float_verdict(scores: dict[str, tuple[float, int]], hits: int, margin: float) -> str | None:
    """The best language, if it has ``hits`` profile words and leads by ``margin`` a word."""
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda item: item[1][0], reverse=True)
    best, (best_score, best_hits) = ranked[0]
    if best_hits < hits:
        return None
    if len(ranked) > 1:
        runner_score = ranked[1][1][0]
        if (best_score - runner_score) / best_hits < margin:
            return None
    return best
