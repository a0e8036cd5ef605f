"""Numeric expressions: money, percentages, dates and counted quantities.

One compiled expression per kind covers English, German, Italian, French and
Spanish at once (the cue words come from ``cues``; ISO 4217 currency codes
from pycountry). Kinds are tried in a fixed order, money first, and a later
kind never takes text an earlier one matched: "500 Millionen US-Dollar" is
money, not a quantity; "15%" is a percentage, not a date.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterable
from functools import cache
from itertools import filterfalse
from pathlib import Path

from tui.entities import cues
from tui.entities.frequencies import function_words
from tui.entities.mention import Mention
from tui.entities.patterns import alternation

RECOGNIZER = "pattern"

NUM = r"(?:\d{1,3}(?:[.,\u202f\u00a0’']\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
_START = r"(?<![\w.,:/\-])"
_END = r"(?![\w])"


def _iso_codes() -> list[str]:
    """ISO 4217 currency codes, read from pycountry's data without importing it."""
    spec = importlib.util.find_spec("pycountry")
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / "databases" / "iso4217.json"
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))["4217"]
            codes = [row["alpha_3"] for row in rows if "alpha_3" in row]
            if codes:
                return codes
        except (OSError, ValueError, KeyError, TypeError):
            pass
    try:
        import pycountry

        return [c.alpha_3 for c in pycountry.currencies]
    except (ImportError, LookupError, OSError):  # pragma: no cover - optional data
        return ["USD", "EUR", "GBP", "CHF", "JPY", "CNY"]


@cache
def _money_parts() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(money starting with a digit or a symbol, money starting with a word)."""
    scale_word = alternation(w for w in cues.SCALES if len(w) > 2 or w in {"mn", "bn"})
    abbreviated = alternation(cues.SCALE_ABBREVIATIONS)
    scale = rf"(?:\s?(?i:{abbreviated})\.|\s?(?i:{scale_word}){_END}|(?:k|K|m|bn|mn|b){_END})"
    words = alternation(cues.CURRENCY_WORDS)
    iso = alternation(_iso_codes())
    symbols = alternation(cues.CURRENCY_SYMBOLS)
    joiner = r"(?:\s?[-–]\s?|\s(?:to|and|und|bis|e|a|à|et|y|o|or|oder)\s)"
    amount = rf"{NUM}{scale}?"
    currency = rf"(?:(?:di|de|d['’]|of)\s?)?(?:(?i:{words})|(?:{iso})|{symbols}){_END}"
    dash = r"(?:\s?[-–]\s?|\s(?:to|bis|a|à)\s)"
    symbol_first = rf"(?:{symbols})\s?{amount}(?:{dash}(?:{symbols})?\s?{amount})?"
    symbol_first += rf"(?:\s(?:(?i:{words})))?"
    number_first = rf"{_START}{amount}(?:{joiner}{amount})?\s?{currency}"
    iso_first = rf"(?:{iso})\s?{amount}"
    vague = alternation(cues.VAGUE_AMOUNTS)
    vague_first = rf"(?:(?i:{vague})\s)?(?i:{scale_word})\.?\s{currency}"
    return (
        re.compile(f"{symbol_first}|{number_first}"),
        re.compile(f"{iso_first}|{vague_first}"),
    )


_SYMBOLS = "$€£¥₹₽₩"
_DIGITS = "0123456789"
_NOT_BEFORE_NUMBER = ".,:/-_"
"""Besides letters and digits, what may not stand right before a number (``_START``)."""


def _offsets(text: str, chars: str) -> list[int]:
    """Every offset of any of ``chars`` in ``text``, in order.

    ``str.find`` skips through the text in C far faster than a regular
    expression tests a character class at every position (four times, for
    the digits and currency symbols of a news article).
    """
    out: list[int] = []
    for char in chars:
        at = text.find(char)
        while at != -1:
            out.append(at)
            at = text.find(char, at + 1)
    out.sort()
    return out


def _number_starts(text: str) -> list[int]:
    """Offsets of the first digit of each number (where ``_START`` allows one)."""
    out: list[int] = []
    for at in _offsets(text, _DIGITS):
        before = text[at - 1] if at else " "
        if not (before.isalnum() or before in _NOT_BEFORE_NUMBER):
            out.append(at)
    return out


@cache
def _percent() -> re.Pattern[str]:
    words = alternation(cues.PERCENT_WORDS)
    joiner = r"(?:\s?[-–]\s?|\s(?:to|and|und|bis|e|a|et|y)\s)"
    return re.compile(rf"{_START}(?=\d){NUM}(?:%?{joiner}{NUM})?(?:\s?%|\s(?i:{words}){_END})")


_YEAR_RE = r"(?:1[5-9]\d\d|2[01]\d\d)"


@cache
def _digit_dates() -> re.Pattern[str]:
    """Dates that start with a digit: ISO, numeric, times, "29 May 2024", a year."""
    month = rf"(?i:{alternation(cues.MONTHS)})\.?"
    ordinal = r"\d{1,2}(?:\.|st|nd|rd|th|er|º|°)?"
    year = _YEAR_RE
    parts = [
        rf"{year}-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?{_END}",
        rf"\d{{1,2}}[./]\d{{1,2}}[./](?:{year}|\d\d){_END}",
        r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?!\d)"
        r"(?:\s?(?i:am|pm|a\.m\.|p\.m\.|uhr|h)(?!\w))?(?:\s(?:GMT|UTC|CET|CEST|EST|EDT|PST|BST))?",
        rf"(?:[01]?\d|2[0-3])\.[0-5]\d\s(?i:uhr){_END}",
        rf"{ordinal}\s(?:de\s)?{month}(?:,?\s(?:de\s)?{year})?{_END}",
        rf"{year}{_END}(?!\s?%)",
    ]
    return re.compile(rf"{_START}(?=\d)(?:" + "|".join(f"(?:{p})" for p in parts) + ")")


@cache
def _word_dates() -> re.Pattern[str]:
    """Dates that start with a word; tried only where such a word stands."""
    months = alternation(cues.MONTHS)
    units = alternation(cues.DATE_UNITS)
    before = alternation(cues.DATE_BEFORE)
    after = alternation(cues.DATE_AFTER)
    edge = alternation(cues.DATE_EDGE)
    month = rf"(?i:{months})\.?"
    year = _YEAR_RE
    parts = [
        # "Anfang des Jahres", "fine dell'anno", "end of the year".
        rf"(?i:{edge})\s(?i:des|dieses|diesen|dell['’]|del|della|of the|of|de la|de l['’]|du|de)"
        rf"\s?(?:(?i:{before})\s)?(?:(?i:{units})|{month}){_END}",
        # "May 29, 2024", "October 13", "January 2025".
        rf"{month}\s(?:\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s{year})?|{year}){_END}",
        # "scorso novembre", "vergangenen November", "next year", "mese scorso".
        rf"(?i:{before})\s(?:(?i:{units})|{month}){_END}",
        rf"(?i:{units}|{months})\s(?i:{after}){_END}",
        r"(?i:quest['’]anno)",
    ]
    return re.compile("|".join(f"(?:{p})" for p in parts))


_ARTICLE_BEFORE = re.compile(r"(?:(?<!\w)(?:il|lo|la|le|el|den|der|die|das)\s|(?<!\w)l['’])$")


@cache
def _date_triggers() -> frozenset[str]:
    return frozenset(
        set(cues.MONTHS)
        | cues.WEEKDAYS
        | cues.DATE_BEFORE
        | cues.DATE_EDGE
        | cues.DATE_WORDS
        | cues.DATE_UNITS
        | {"quest"}
    )


@cache
def _money_triggers() -> frozenset[str]:
    return frozenset({w for w in cues.SCALES if len(w) > 2} | cues.VAGUE_AMOUNTS | {"mn", "bn"})


@cache
def _iso_set() -> frozenset[str]:
    return frozenset(_iso_codes())


@cache
def _quantity() -> re.Pattern[str]:
    scale_word = alternation(w for w in cues.SCALES if len(w) > 2 or w in {"mn", "bn"})
    token = r"[^\W\d_][\w]*(?:[-‐][\w]+)*|\w*\d\w*(?:[-‐][\w]+)*"
    return re.compile(
        rf"{_START}(?P<num>{NUM})(?P<scale>(?:k|K|m|mn|bn){_END}|\s(?i:{scale_word})\.?{_END})?"
        rf"(?:\s(?P<t1>{token}))?(?:\s(?P<t2>{token}))?"
    )


_NOT_COUNTED = frozenset(
    ["times", "time", "mal", "volte", "volta", "fois", "veces", "vez", "per", "pro", "à", "a", "x"]
)
_MONTH_CUES = frozenset(
    [
        "in",
        "since",
        "until",
        "till",
        "by",
        "from",
        "early",
        "late",
        "last",
        "next",
        "this",
        "of",
        "im",
        "seit",
        "bis",
        "ab",
        "vom",
        "nel",
        "dal",
        "a",
        "al",
        "en",
        "de",
        "del",
        "depuis",
    ]
)
_YEAR = re.compile(r"(?:1[5-9]\d\d|2[01]\d\d)")
_DATE_TAIL = frozenset(cues.MONTHS) | cues.WEEKDAYS


def _blocked(mask: bytearray, start: int, end: int) -> bool:
    return mask.find(1, start, end) != -1


def _take(mask: bytearray, start: int, end: int) -> None:
    mask[start:end] = b"\x01" * (end - start)


def _ok_date(text: str, start: int, end: int, lang: str) -> bool:
    """Whether a weekday or month word alone is a date here."""
    surface = text[start:end]
    word = surface.rstrip(".").lower()
    if word in cues.MONTHS or word in cues.WEEKDAYS:
        if surface[0].islower() and lang in ("en", "de"):
            return False
        if word in cues.AMBIGUOUS_MONTHS or (word in cues.WEEKDAYS and len(word) <= 4):
            # "may", "march", "sun": next to a number ("Fri, 05 Apr") or after a cue.
            if not surface[0].isupper():
                return False
            if re.match(r",?\s\d", text[end : end + 4]):
                return True
            before = text[max(0, start - 12) : start].split()
            return len(word) > 3 and bool(before) and before[-1].lower() in _MONTH_CUES
        if word in cues.ABBREVIATED_MONTHS:
            return False
        if word in cues.MONTHS and word in function_words(lang):
            return False
    return True


def _merge_dates(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a weekday, a date and a time written side by side into one date."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged:
            left = text[merged[-1][0] : merged[-1][1]]
            gap = text[merged[-1][1] : start]
            right = text[start:end]
            joins = gap in (" ", "\u00a0") and (left[-1:].isdigit() or right[:1].isdigit())
            joins = joins or (gap in (", ", ",") and left.rstrip(".").lower() in cues.WEEKDAYS)
            joins = joins or (gap in (" ", "\u00a0") and (":" in right or ":" in left))
            if joins:
                merged[-1] = (merged[-1][0], end)
                continue
        merged.append((start, end))
    return merged


def _counted(word: str | None, lang: str, first: bool) -> bool:
    if not word:
        return False
    lower = word.lower()
    if (
        lower in _NOT_COUNTED
        or lower in _DATE_TAIL
        or lower in function_words(lang)
        or lower in cues.PREPOSITION_ARTICLES
    ):
        return False
    if lower in cues.DATE_UNITS and not first:
        return False
    return not (_YEAR.fullmatch(word) and first)


def _model_like(word: str) -> bool:
    return any(c.isdigit() for c in word) or (len(word) >= 2 and word.isupper())


_WORD = re.compile(r"(?<!\w)[^\W\d_]+")


def _variants(words: Iterable[str]) -> frozenset[str]:
    """Each word as written in lower case, capitalised and in capitals."""
    return frozenset(v for w in words for v in (w, w.capitalize(), w.upper()))


@cache
def _triggers() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """Words that open money, words that open a date, both, and those of both that are letters."""
    money = _variants(_money_triggers()) | _iso_set()
    dates = _variants(w for w in _date_triggers() if len(w) > 2)
    either = money | dates
    return money, dates, either, frozenset(filter(str.isalpha, either))


_GLUED = ",.;:!?()\"'“”‘’«»„/-"
"""Marks that stand against words; none is a letter or a word character."""


def _word_hits(text: str) -> tuple[list[int], list[int]]:
    """Offsets of words that may open a money amount, and a date.

    The words of the text are gathered as strings (in C), intersected with
    the trigger words, and only the few present are then located. Most
    whitespace-separated tokens are words already, and nearly all once the
    marks that stand against words are made spaces (which changes no word):
    the triggers that are letters alone pick theirs out of the tokens, with
    no set of the tokens made. Only the other tokens (with digits, say) go
    through the expression, which is the slow part.
    """
    money_words, date_words, either, letters = _triggers()
    spaced = text
    for mark in _GLUED:
        spaced = spaced.replace(mark, " ")
    tokens = spaced.split()
    present = letters.intersection(tokens)
    present |= either.intersection(_WORD.findall(" ".join(filterfalse(str.isalpha, tokens))))
    return _locate(text, present & money_words), _locate(text, present & date_words)


@cache
def trigger_words() -> dict[str, tuple[bool, bool]]:
    """The words of letters that may open money or a date: (opens money, opens a date).

    The gazetteer's automaton finds them in its pass over the text (``Gazetteer.scan``),
    and ``_words_at`` reads what ``_word_hits`` would from where they stand.
    """
    money_words, date_words, _, letters = _triggers()
    return {word: (word in money_words, word in date_words) for word in sorted(letters)}


def _words_at(
    text: str, found: Iterable[tuple[int, int, tuple[bool, bool]]]
) -> tuple[list[int], list[int]]:
    """``_word_hits`` from the places of trigger words that no letter or digit precedes.

    ``_word_hits`` takes a word that stands somewhere as a token of its own,
    or as letters of a token after no word character and before no letter,
    and then every place where it stands between characters that are no
    letter or digit. So: a place of the second kind, if the word also stands
    once in a place of the first kind (which an underscore must not
    precede, and which a digit may end).
    """
    size = len(text)
    present: set[str] = set()
    places: list[tuple[int, str, tuple[bool, bool]]] = []
    for start, end, opens in found:
        after = text[end] if end < size else " "
        if not after.isalnum():
            word = text[start:end]
            places.append((start, word, opens))
            if not start or text[start - 1] != "_":
                present.add(word)
        elif after.isdecimal() and (not start or text[start - 1] != "_"):
            present.add(text[start:end])
    money = [at for at, word, (opens, _) in places if opens and word in present]
    dates = [at for at, word, (_, opens) in places if opens and word in present]
    return money, dates


def _locate(text: str, forms: Iterable[str]) -> list[int]:
    """Start offsets of ``forms`` standing as whole words in ``text``."""
    out: list[int] = []
    size = len(text)
    for form in forms:
        at = text.find(form)
        while at != -1:
            end = at + len(form)
            if (at == 0 or not text[at - 1].isalnum()) and (end == size or not text[end].isalnum()):
                out.append(at)
            at = text.find(form, end)
    out.sort()
    return out


def _word_date(text: str, at: int, lang: str) -> tuple[int, int] | None:
    """The date phrase opened by the word at ``at``, if any."""
    m = _word_dates().match(text, at)
    if m is not None:
        start, end = m.span()
        first = m.group().split()[0].rstrip(".").lower()
        if not (first in cues.MONTHS and lang in ("en", "de") and text[start].islower()):
            if first not in cues.DATE_EDGE:
                article = _ARTICLE_BEFORE.search(text, max(0, start - 5), start)
                if article is not None:
                    start = article.start()
            return start, end
    end = at
    while end < len(text) and text[end].isalpha():
        end += 1
    lower = text[at:end].lower()
    if lower in cues.DATE_WORDS:
        return (at, end) if lang in _DATE_WORD_LANGS.get(lower, cues.LANGUAGES) else None
    if (
        lower in cues.MONTHS
        and lower not in cues.MONTHS_BY_LANGUAGE.get(lang, frozenset())
        and lower not in cues.MONTHS_BY_LANGUAGE["en"]
    ):
        return None  # "Mars" in English is no month
    if (lower in cues.WEEKDAYS or lower in cues.MONTHS) and _ok_date(text, at, end, lang):
        return at, end
    return None


_ABBREVIATED = frozenset(m for m in cues.MONTHS if len(m) <= 4) | frozenset(
    d for d in cues.WEEKDAYS if len(d) <= 4
)
_DATE_WORD_LANGS = {"hier": ("fr",), "heute": ("de",), "gestern": ("de",)}


def find_numeric(
    text: str,
    lang: str,
    mask: bytearray,
    words: Iterable[tuple[int, int, tuple[bool, bool]]] | None = None,
) -> list[Mention]:
    """Money, percentages, dates and quantities in ``text``; marks them in ``mask``.

    Only the places where a number, a currency symbol or a trigger word
    stands are tried, with anchored matches: scanning the whole text with
    the big expressions would cost ten times as much. ``words``: where the
    trigger words stand, as ``Gazetteer.scan`` found them; found here if None.
    """
    found: list[Mention] = []
    money_at, dates_at = _word_hits(text) if words is None else _words_at(text, words)
    first_money, word_money = _money_parts()

    def add(kind: str, start: int, end: int) -> bool:
        surface = text[start:end].rstrip()
        end = start + len(surface)
        if end <= start or _blocked(mask, start, end):
            return False
        _take(mask, start, end)
        found.append(Mention(start, end, kind, " ".join(surface.split()), RECOGNIZER))
        return True

    for symbol in _offsets(text, _SYMBOLS):
        at = symbol
        if text[at - 2 : at] == "US" and (at < 3 or not text[at - 3].isalnum()):
            at -= 2
        hit = first_money.match(text, symbol)
        if hit is not None:
            add("MONEY", at, hit.end())
    starts = _number_starts(text)
    percent, digit_dates, quantity = _percent(), _digit_dates(), _quantity()
    reach = 0
    for at in starts:
        if at < reach or mask[at]:
            continue
        hit = first_money.match(text, at)
        if hit is None or not add("MONEY", *hit.span()):
            hit = percent.match(text, at)
            if hit is None or not add("PERCENT", *hit.span()):
                continue
        reach = hit.end()
    for at in money_at:
        if mask[at]:
            continue  # within money found from its number: "$5 billion", "5 Milliarden Euro"
        hit = word_money.match(text, at)
        if hit is not None:
            add("MONEY", *hit.span())
    dates: list[tuple[int, int]] = []
    for at in dates_at:
        if mask[at]:
            continue  # taken: a date found here would be blocked
        span = _word_date(text, at, lang)
        if span is not None and not _blocked(mask, *span):
            dates.append(span)
    quantities: list[re.Match[str]] = []
    reach = 0
    for at in starts:
        if at < reach or mask[at]:
            continue
        hit = digit_dates.match(text, at)
        if hit is not None:
            dates.append(hit.span())
            reach = hit.end()
            continue
        hit = quantity.match(text, at)
        if hit is not None:
            quantities.append(hit)
    dates.sort(key=lambda span: (span[0], -span[1]))
    kept: list[tuple[int, int]] = []
    for span in dates:
        if (kept and span[0] < kept[-1][1]) or _blocked(mask, *span):
            continue
        kept.append(span)
    for start, end in _merge_dates(text, kept):
        if text[end - 1] == "." and text[start : end - 1].split()[-1].lower() not in _ABBREVIATED:
            end -= 1  # a sentence's full stop after a month's full name
        add("DATE", start, end)
    for m in quantities:
        num, scale, t1, t2 = m.group("num", "scale", "t1", "t2")
        if _YEAR.fullmatch(num) and not scale:
            continue
        end = m.end("scale") if scale else m.end("num")
        if _counted(t1, lang, True):
            end = m.end("t1")
            if t1 is not None and _model_like(t1) and _counted(t2, lang, False):
                end = m.end("t2")
        elif not scale:
            continue
        add("QUANTITY", m.start(), end)
    found.sort(key=lambda x: x.start)
    return found
