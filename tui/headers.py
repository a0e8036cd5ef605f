"""Header parsing: what the top and tail of an article say about it.

Scraped news text carries its metadata as loose lines: a date line or a
``date 2024-05-29`` prefix, a headline, a byline, then the body, and at the
end share links, "Read Next:" teasers, "Read the original article on X"
credits and scraper trailers. ``parse_header`` finds them with rules written
per language (en, de, it, fr, es, plus nl/pt where cheap), so the reader can
show a title and date and dim the lines that are not the article.

Dates come out as ISO 8601 calendar dates as printed by the publisher:
``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` when only that much is known. No
time and no time-zone conversion: a string that sorts as a date.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import re
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tui.language import detect_language
from tui.model import CJK_CHARACTER, Header, single_byte

TITLE_MAX = 100
"""Longest title shown, ellipsis included: one line of the article list."""

HEADER_LINES = 12
"""Non-blank lines looked at for a date, byline and headline."""

HEADER_CHARS = 3000
"""Header lines lie within this many characters of the start."""

TAIL_LINES = 12
"""Non-blank lines at the end where credits and teaser lists are looked for."""

MAX_LINE = 600
"""Longer lines are prose, never metadata or boilerplate: also bounds regex work."""

# --- regex alternations, tried by their first letter --------------------------

try:
    _SRE: Any = importlib.import_module("re._parser")
    _OP: Any = importlib.import_module("re._constants")
except ImportError:  # another Python: the alternations are left as they are
    _SRE = _OP = None


def _branches(alternation: str) -> list[str]:
    """The top-level branches of a regex ``a|b|(c|d)``: split at the ``|`` outside
    groups and character classes."""
    branches: list[str] = []
    depth, start, index, in_class = 0, 0, 0, False
    while index < len(alternation):
        char = alternation[index]
        if char == "\\":
            index += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if alternation[index + 1 : index + 2] == "^":
                index += 1
            if alternation[index + 1 : index + 2] == "]":  # "[]...]": a "]" in the class
                index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(alternation[start:index])
            start = index + 1
        index += 1
    branches.append(alternation[start:])
    return branches


def _first_chars(items: Any) -> set[str] | None:
    """The characters a parsed regex can start with (as written: cases are the flags'),
    or None when it may start with anything or match nothing."""
    chars: set[str] = set()
    for op, arg in items:
        if op is _OP.AT:  # ^, \b: they take no character
            continue
        if op is _OP.LITERAL:
            return chars | {chr(arg)}
        if op is _OP.IN:
            if not all(kind is _OP.LITERAL for kind, _ in arg):
                return None
            return chars | {chr(code) for _, code in arg}
        if op is _OP.SUBPATTERN or op is _OP.BRANCH:
            for sub in [arg[3]] if op is _OP.SUBPATTERN else arg[1]:
                first = _first_chars(sub)
                if first is None:
                    return None
                chars |= first
            return chars
        if op is _OP.MAX_REPEAT or op is _OP.MIN_REPEAT:
            first = _first_chars(arg[2])
            if first is None:
                return None
            chars |= first
            if arg[0] >= 1:
                return chars
            continue  # optional: what follows may come first
        return None
    return None  # it may match nothing


def _dispatched(alternation: str, flags: int = re.IGNORECASE) -> str:
    """``alternation`` with its branches grouped by the characters they may start with,
    each group behind a lookahead of those: the regex engine tries every branch in turn, so a
    line matching none is ruled out after one lookahead a letter instead of a hundred
    branches (twice as fast). It matches wherever ``alternation`` does, but maybe by
    another branch: only for a regex of which nothing but *whether* it matches is used.
    A branch that may start with anything comes after the groups, as it is."""
    if _SRE is None:
        return alternation
    branches = _branches(alternation)
    groups: dict[str, list[str]] = {}
    others: list[str] = []
    try:  # a branch split off wrongly ("(a", "[b") does not parse
        for branch in branches:
            first = _first_chars(_SRE.parse(branch, flags).data)
            if first is None:
                others.append(branch)
            else:
                groups.setdefault("".join(sorted(first)), []).append(branch)
    except (re.error, RecursionError):
        return alternation
    led = [
        f"(?={re.escape(chars) if len(chars) == 1 else f'[{re.escape(chars)}]'})"
        f"(?:{'|'.join(group)})"
        for chars, group in groups.items()
    ]
    return "|".join(led + others)


# --- months, weekdays, dates ------------------------------------------------

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "jänner", "gennaio", "gen", "janvier", "janv", "enero",
        "ene", "januari", "janeiro"),
    2: ("february", "feb", "februar", "febbraio", "février", "fevrier", "févr", "fevr", "fév",
        "febrero", "februari", "fevereiro", "fev"),
    3: ("march", "mar", "märz", "maerz", "mär", "marzo", "mars", "maart", "março", "marco"),
    4: ("april", "apr", "aprile", "avril", "avr", "abril", "abr"),
    5: ("may", "mai", "maggio", "mag", "mayo", "mei", "maio"),
    6: ("june", "jun", "juni", "giugno", "giu", "juin", "junio", "junho"),
    7: ("july", "jul", "juli", "luglio", "lug", "juillet", "juil", "julio", "julho"),
    8: ("august", "aug", "agosto", "ago", "août", "aout", "augustus", "ag"),
    9: ("september", "sep", "sept", "settembre", "set", "septembre", "septiembre", "setiembre",
        "setembro"),
    10: ("october", "oct", "oktober", "okt", "ottobre", "ott", "octobre", "octubre", "outubro",
         "out"),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: ("december", "dec", "dezember", "dez", "dicembre", "dic", "décembre", "decembre", "déc",
         "diciembre", "dezembro"),
}  # fmt: skip
_MONTHS: dict[str, int] = {name: num for num, names in _MONTH_NAMES.items() for name in names}
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))

_WEEKDAYS = (
    "monday|mon|tuesday|tue|tues|wednesday|wed|thursday|thu|thurs|friday|fri|saturday|sat|"
    "sunday|sun|montag|mo|dienstag|di|mittwoch|mi|donnerstag|do|freitag|fr|samstag|sa|"
    "sonntag|so|lunedì|lunedi|lun|martedì|martedi|mercoledì|mercoledi|giovedì|giovedi|"
    "venerdì|venerdi|sabato|domenica|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    "lunes|martes|miércoles|miercoles|jueves|viernes|sábado|domingo"
)
_YEAR = r"((?:1[89]|20)\d\d)(?=\D|$|\d{1,2}:\d\d)"  # "202403:14 pm": a year glued to a time
_ISO = re.compile(
    r"(?<!\d)((?:1[89]|20)\d\d)([-/.])(\d{1,2})(?:\2(\d{1,2}))?"
    r"(?:[T ]\d{1,2}:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?(?![\d/.-]\d)"
)
_NUMERIC_DMY = re.compile(r"(?<!\d)(\d{1,2})([./])(\d{1,2})\2((?:1[89]|20)\d\d)(?!\d)")
_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\w])(\d{{1,2}})(?:\.|er|º|°|st|nd|rd|th)?\s*(?:de\s+)?({_MONTH_RE})\b\.?,?\s*"
    rf"(?:de\s+|del\s+)?{_YEAR}",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<![\w])({_MONTH_RE})\b\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b,?\s*{_YEAR}",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(rf"(?<![\w])({_MONTH_RE})\b\.?\s+(?:de\s+|del\s+)?{_YEAR}", re.IGNORECASE)
# Every date pattern above needs a year: a text without one is spared their five scans.
_ANY_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_YEAR_ONLY = re.compile(r"^\s*((?:1[89]|20)\d\d)\s*$")
_UNIX_TIME = re.compile(r"^\s*(\d{9,10})(?:\.\d+)?\s*$")

_DATE_LABEL = (
    r"date|dated|datum|data|fecha|published(?:\s+on)?|posted(?:\s+on)?|updated(?:\s+on)?|"
    r"last\s+updated|veröffentlicht(?:\s+am)?|aktualisiert(?:\s+am)?|stand|"
    r"pubblicato(?:\s+il)?|aggiornato(?:\s+il)?|publié(?:\s+le)?|mis\s+à\s+jour(?:\s+le)?|"
    r"publicado(?:\s+el)?|actualizado(?:\s+el)?|gepubliceerd(?:\s+op)?"
)
_DATE_PREFIX = re.compile(rf"^\s*(?:{_DATE_LABEL})\s*[:=]?\s*", re.IGNORECASE)
# What may stand around a date on a line that is only a date.
_DATEISH = re.compile(
    rf"\b(?:{_WEEKDAYS}|{_DATE_LABEL}|on|am|um|il|le|el|de|del|at|alle|ore|à|a\s+las|uhr|"
    r"gmt|utc|[ecmp][sd]t|cet|cest|bst|ist|z|am|pm|a\.m\.|p\.m\.|h)\b\.?"
    r"|\d{1,2}[:.h]\d\d(?::\d\d)?|[+-]\d\d:?\d\d",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in a string: its ISO value and where it was."""

    value: str
    start: int
    end: int


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """ISO text for a date, or None when it is not a real calendar date."""
    if not 1800 <= year <= 2100:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        _dt.date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def find_date(text: str, language: str | None = None) -> FoundDate | None:
    """The first full or partial date written in ``text`` (any supported format).

    ``language`` only settles numeric ``03/04/2024``: month first in English,
    day first elsewhere; an unambiguous day (> 12) wins either way.
    """
    if _ANY_YEAR.search(text) is None:
        return None
    # Only a month name can open the text among these patterns (the others start with a
    # digit): such a full date at 0 is the first date, and the rest need not be scanned.
    spelled = text[:1].isalpha()
    opening = _month_day_year(text) if spelled else None
    if opening is not None and opening.start == 0:
        return opening
    found: list[FoundDate] = []
    for m in _ISO.finditer(text):
        day = int(m[4]) if m[4] else None
        if m[2] != "-" and day is None:
            continue  # "2024/05" or "2024.05" alone is too often not a date
        value = _iso(int(m[1]), int(m[3]), day)
        if value:
            found.append(FoundDate(value, m.start(), m.end()))
            break
    if _first_full(found):
        return found[-1]
    for m in _NUMERIC_DMY.finditer(text):
        a, b, year = int(m[1]), int(m[3]), int(m[4])
        month_first = m[2] == "/" and (language == "en" or a > 12) and b <= 31 and a <= 12
        if b > 12:
            month_first = True
        value = _iso(year, a, b) if month_first else _iso(year, b, a)
        if value:
            found.append(FoundDate(value, m.start(), m.end()))
            break
    if _first_full(found):
        return found[-1]
    for m in _DAY_MONTH_YEAR.finditer(text):
        value = _iso(int(m[3]), _MONTHS[m[2].casefold()], int(m[1]))
        if value:
            found.append(FoundDate(value, m.start(), m.end()))
            break
    if _first_full(found):
        return found[-1]
    if not spelled:
        opening = _month_day_year(text)
    if opening is not None:
        found.append(opening)
    if not found:
        for m in _MONTH_YEAR.finditer(text):
            value = _iso(int(m[2]), _MONTHS[m[1].casefold()])
            if value:
                found.append(FoundDate(value, m.start(), m.end()))
                break
    if not found:
        return None
    return min(found, key=lambda f: (f.start, -len(f.value)))


def _first_full(found: list[FoundDate]) -> bool:
    """Whether the last date found is a full date at 0: none found later comes before it
    (``min`` keeps the first of equals), so it is the date. Each pattern's date is asked
    as it is found, so the earlier ones were not."""
    return bool(found) and found[-1].start == 0 and len(found[-1].value) == 10


def _month_day_year(text: str) -> FoundDate | None:
    """The first real date written ``May 29, 2024`` in ``text``."""
    for m in _MONTH_DAY_YEAR.finditer(text):
        value = _iso(int(m[3]), _MONTHS[m[1].casefold()], int(m[2]))
        if value:
            return FoundDate(value, m.start(), m.end())
    return None


def normalize_date(value: str, language: str | None = None) -> str | None:
    """An explicit date field as ISO 8601 (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), or None."""
    value = value.strip()[:200]
    if m := _YEAR_ONLY.match(value):
        return _iso(int(m[1]))
    if m := _UNIX_TIME.match(value):
        return _dt.datetime.fromtimestamp(int(m[1]), _dt.UTC).date().isoformat()
    found = find_date(value, language)
    return found.value if found else None


def _date_line(line: str, language: str | None) -> str | None:
    """The date, when ``line`` says nothing but a date (weekday, time, zone, label allowed)."""
    if len(line) > 120:
        return None
    found = find_date(line, language)
    if found is None:
        if m := _DATE_PREFIX.match(line):
            rest = line[m.end() :]
            if (y := _YEAR_ONLY.match(rest)) and m.group().strip():
                return _iso(int(y[1]))
        return None
    if found.start == 0 and found.end == len(line):
        return found.value  # nothing is left over
    leftover = _DATEISH.sub(" ", line[: found.start] + " " + line[found.end :])
    if _WORD.search(leftover) or _DIGITS.search(leftover):
        return None
    return found.value


def _labelled_date_prefix(line: str, language: str | None) -> tuple[str, int] | None:
    """``date 2024-06 Body text...``: the date and the length of its prefix."""
    m = _DATE_PREFIX.match(line[:200])
    if not m or not m.group().strip():
        return None
    rest = line[m.end() : m.end() + 80]
    found = find_date(rest, language)
    if found is None or found.start != 0:
        return None
    end = m.end() + found.end
    while end < len(line) and line[end] in " \t,;|·•-–—":
        end += 1
    return found.value, end


# --- bylines, sources, boilerplate ---------------------------------------------

_NAME_WORD = r"[A-ZÀ-ÖØ-ÞĀ-ſ](?:[^\W\d_]|['’.-](?=[^\W\d_]))*\.?"
_NAME_JOIN = r"(?:\s+(?:de|da|di|del|della|van|von|der|den|ten|le|la|du|dos|das|y|e|und|and|et|&)\s+|\s*,\s+(?=[A-ZÀ-Þ][\w'’.-]*\s+[A-ZÀ-Þ])|\s+)"  # noqa: E501
_BYLINE = re.compile(
    r"^\s*(?i:by|von|di|par|por|door|av|written\s+by|text:?|geschrieben\s+von|scritto\s+da|"
    r"écrit\s+par|escrito\s+por|autor(?:e|in)?:|author:|auteur\s*:)\s*"
    rf"(?P<name>{_NAME_WORD}(?:{_NAME_JOIN}{_NAME_WORD}){{0,6}})"
    r"(?P<rest>\s*(?:$|[|,·•/–—(-]|\d|(?i:on|am|le|il|el|updated|published|for|per|für|pour|para)\b).*)$"
)
_FULL_WEEKDAYS = frozenset(day for day in _WEEKDAYS.split("|") if len(day) > 4)
_BYLINE_STOP = frozenset((
    "published", "updated", "posted", "publié", "modifié", "mis", "publicado", "actualizado",
    "pubblicato", "aggiornato", "veröffentlicht", "aktualisiert", "stand", "gepubliceerd",
))  # fmt: skip
"""Words after which a byline talks about time, not the author."""

# Credit lines that name the publisher: "Read the original article on Business Insider".
_SOURCE_RES = (
    r"^(?:read|view|see)\s+the\s+original\s+(?:article|story|post)\s+(?:on|at|in)\s+(?P<s>.+)$",
    r"^this\s+(?:article|story|post)\s+(?:was\s+)?(?:originally|first)\s+"
    r"(?:appeared|published|ran)\s+(?:on|in|at|by)\s+(?P<s>.+)$",
    r"^(?:originally|first)\s+(?:published|appeared)\s+(?:on|in|at|by)\s+(?P<s>.+)$",
    r"^lesen\s+sie\s+den\s+original(?:artikel|beitrag)\s+(?:auf|bei|in)\s+(?P<s>.+)$",
    r"^(?:dieser\s+(?:artikel|beitrag)\s+)?erschien\s+(?:zuerst|ursprünglich)\s+"
    r"(?:auf|bei|in|im)\s+(?P<s>.+)$",
    r"^(?:leggi|vedi)\s+l['’]articolo\s+originale\s+(?:su|in)\s+(?P<s>.+)$",
    r"^(?:questo\s+articolo\s+)?(?:è\s+stato\s+)?pubblicato\s+originariamente\s+"
    r"(?:su|in|da)\s+(?P<s>.+)$",
    r"^(?:lire|voir)\s+l['’]article\s+original\s+(?:sur|dans|en)\s+(?P<s>.+)$",
    r"^(?:cet\s+article\s+a\s+été\s+)?(?:initialement|originellement)\s+publié\s+"
    r"(?:sur|dans|par)\s+(?P<s>.+)$",
    r"^(?:lee|lea|leer|ver)\s+el\s+art[ií]culo\s+original\s+(?:en|de)\s+(?P<s>.+)$",
    r"^(?:este\s+art[ií]culo\s+)?(?:fue\s+)?publicado\s+originalmente\s+(?:en|por)\s+(?P<s>.+)$",
    r"^(?:leia|veja)\s+o\s+artigo\s+original\s+(?:em|no|na)\s+(?P<s>.+)$",
    r"^lees\s+het\s+originele\s+artikel\s+(?:op|bij)\s+(?P<s>.+)$",
    r"^(?:source|quelle|fonte|fuente|bron)\s*:\s*(?P<s>.+)$",
    r"^(?:check\s+out|read|see|find)\s+more\s+(?:of|from|on)\s+"
    r"(?P<s>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})['’]s?\s.*$",
)
_SOURCE_PATTERNS = tuple(re.compile(p, re.IGNORECASE) for p in _SOURCE_RES)
# All of them as one regex (a group name may appear once): rules most lines out in one match.
_ANY_SOURCE = re.compile(
    _dispatched("|".join(p.replace("(?P<s>", "(?:") for p in _SOURCE_RES)), re.IGNORECASE
)

_FURNITURE = (
    r"read\s+next|read\s+more|read\s+also|also\s+read|see\s+also|related(?:\s+(?:posts?|articles?|"
    r"stories|story|coverage|content|news|reading|links))?|recommended(?:\s+(?:reading|stories|"
    r"for\s+you))?|more\s+from\b[^:]{0,40}|more\s+(?:on|about)\s+this(?:\s+(?:story|topic))?|you\s+(?:may|might)\s+also\s+like|"
    r"trending(?:\s+now)?|most\s+(?:read|popular)|top\s+stories|tags|topics|filed\s+under|"
    r"disclaimer|editor['’]s\s+note|"
    r"lesen\s+sie\s+auch|auch\s+interessant|mehr\s+zum\s+thema|weiterlesen|weitere\s+artikel|"
    r"das\s+könnte\s+sie\s+auch\s+interessieren|schlagwörter|themen|haftungsausschluss|"
    r"leggi\s+anche|leggi\s+di\s+più|potrebbe\s+interessarti|articoli\s+correlati|"
    r"ti\s+potrebbe\s+interessare|argomenti|avvertenza|"
    r"(?:à\s+)?lire\s+aussi|voir\s+aussi|lire\s+la\s+suite|sur\s+le\s+même\s+sujet|"
    r"articles\s+(?:similaires|liés)|mots[-\s]clés|avertissement|"
    r"(?:lee|lea)\s+también|leer\s+más|ver\s+también|te\s+puede\s+interesar|"
    r"(?:noticias|art[ií]culos)\s+relacionad[oa]s|etiquetas|aviso\s+legal|"
    r"lees\s+ook|lees\s+meer|leia\s+(?:também|mais)|veja\s+também|"
    r"(?:notícias|artigos)\s+relacionad[oa]s"
)
"""Labels of site furniture in en/de/it/fr/es (nl/pt where cheap)."""
_OPEN = r"^\s*[\[(*_#>]*\s*"
# A label with a colon leads a furniture line whatever follows ("Read Next: ...").
_LEAD_IN = re.compile(rf"{_OPEN}(?:{_FURNITURE})\s*[*_]*\s*[:：›»>|]", re.IGNORECASE)
# The same labels standing alone on a line open a list of teaser headlines.
_LIST_HEADING = re.compile(rf"{_OPEN}(?:{_FURNITURE})\s*[*_]*\s*[:：]?\s*$", re.IGNORECASE)

# Short lines that are buttons or trailers rather than prose.
_LABEL_WORDS = (
    r"share(?:\s+(?:this|on)\b.*)?|tweet|email|e-mail|print|copy\s+link|save|comments?|"
    r"\d+\s+comments?|leave\s+a\s+(?:comment|reply)|follow\s+us\b.*|subscribe\b.*|sign\s+up\b.*|"
    r"click\s+here\b.*|advertisement|sponsored(?:\s+content)?|skip\s+to\b.*|back\s+to\s+top|"
    r"(?:next|previous|prev)\s+(?:article|story|post)|newsletter\b.*|download\s+the\s+app\b.*|"
    r"listen\s+to\s+(?:this\s+)?(?:article|story)|\d+\s*min(?:ute)?s?\s+read|"
    r"teilen|drucken|kommentare?|abonnieren\b.*|newsletter\s+abonnieren|anzeige|werbung|"
    r"(?:nächster|vorheriger)\s+artikel|zum\s+artikel|"
    r"condividi|stampa|commenti|iscriviti\b.*|pubblicità|articolo\s+(?:successivo|precedente)|"
    r"partager|imprimer|commentaires?|abonnez-vous\b.*|s['’]abonner\b.*|publicité|"
    r"article\s+(?:suivant|précédent)|"
    r"compartir|imprimir|comentarios?|suscr[ií]bete\b.*|publicidad|"
    r"(?:siguiente|anterior)\s+art[ií]culo|art[ií]culo\s+(?:siguiente|anterior)|"
    r"delen|compartilhar|assine\b.*|"
    r"(?:source|src|id|ref)\s*[:=]?\s*[\w.-]*\d[\w.-]*|"
    r"(?:©|\(c\)|copyright)\s.*|"
    r"(?:photo|foto|image|bild|immagine|crédit\s+photo|imagen)(?:\s+credit)?\s*:.*"
)
_LABEL = re.compile(
    r"^\s*[\[(*_#>]*\s*(?:" + _dispatched(_LABEL_WORDS) + r")\s*[\])*_]*\s*$", re.IGNORECASE
)
"""Only whether it matches counts (``_dispatched``)."""
_RESERVED = re.compile(
    r"\b(?:all\s+rights\s+reserved|alle\s+rechte\s+vorbehalten|tutti\s+i\s+diritti\s+riservati|"
    r"tous\s+droits\s+réservés|todos\s+los\s+derechos\s+reservados)\b",
    re.IGNORECASE,
)
"""A label too, wherever it is in the line: what a branch ``.*\\bX\\b.*`` of ``_LABEL`` would
match (a line has no newline), found by a search instead of backtracking over the line."""
LABEL_MAX = 90
"""A furniture label is short; longer lines starting with "Share..." are prose."""

_PROMO_WORDS = (
    r"check\s+out\s+more|click\s+here|follow\s+(?:us|this\s+link)|sign\s+up\s+for|"
    r"subscribe\s+to|abonnieren\s+sie|melden\s+sie\s+sich|iscriviti\s+alla|"
    r"abonnez-vous\s+à|inscrivez-vous|suscr[ií]bete\s+a"
)
_PROMO = re.compile(rf"^\s*(?:{_PROMO_WORDS})\b", re.IGNORECASE)

_ABBREVIATIONS = frozenset((
    "inc", "corp", "co", "ltd", "llc", "plc", "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr",
    "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "no", "nr", "fig", "gen", "gov", "sen", "rep",
    "dept", "est", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "z.b", "bzw", "ca", "vgl", "u.a", "d.h", "hr", "fr", "dott", "sig", "ing",
    "avv", "mme", "av", "sra", "dra", "ee.uu", "p.ej",
))  # fmt: skip
"""Words whose final period does not end a sentence ("Tesla Inc. said")."""
_SENTENCE_END = re.compile(
    r"[.!?…]+[\"”’»)\]]*\s+(?=[\"“‘«(\[]?[^\W\d_]|\d)"
    r"|[。！？]+[」』”）]*"  # Chinese and Japanese: no space follows
)


# --- lines ---------------------------------------------------------------------


def _tail_lines(lines: list[str], size: int, count: int) -> list[tuple[int, int, str]]:
    """The last ``count`` non-blank lines of a text of ``size`` characters, in text order:
    (start, end, the line cut at ``MAX_LINE + 1`` characters)."""
    found: list[tuple[int, int, str]] = []
    end = size
    for line in reversed(lines):
        start = end - len(line)
        if line.strip():
            found.append((start, end, line[: MAX_LINE + 1]))
            if len(found) == count:
                break
        end = start - 1
    return found[::-1]


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def shorten(text: str, limit: int = TITLE_MAX) -> str:
    """One line of at most ``limit`` characters, cut at a word boundary with "…"."""
    text = _clean(text[: limit * 4])
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–—-([{") + "…"


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph, not fooled by "Inc." or "J. Smith"."""
    text = text[:2000]
    for m in _SENTENCE_END.finditer(text):
        before = text[: m.start()].rsplit(None, 1)
        word = before[-1].casefold().strip("(\"'“‘«") if before else ""
        if m.group().startswith(".") and (
            word in _ABBREVIATIONS or len(word) == 1 or re.fullmatch(r"(?:\w\.)+\w", word)
        ):
            continue
        return text[: m.start() + len(m.group().rstrip())].rstrip()
    return text


def _is_boilerplate(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_LINE:
        return False
    if _BOILERPLATE_START.match(stripped) and (
        _LEAD_IN.match(stripped) or _PROMO.match(stripped) or _REPORTING.match(stripped)
    ):
        return True
    return _is_label(stripped)


def _is_label(stripped: str) -> bool:
    return len(stripped) <= LABEL_MAX and (
        _LABEL.match(stripped) is not None or _RESERVED.search(stripped) is not None
    )


def _source_of(line: str) -> str | None:
    stripped = line.strip()
    if len(stripped) > 200 or not _ANY_SOURCE.match(stripped):
        return None
    for pattern in _SOURCE_PATTERNS:
        if m := pattern.match(stripped):
            source = _clean(m["s"]).rstrip(" .!;:")
            source = re.sub(r"^(?:the\s+)?www\.", "", source, flags=re.IGNORECASE)
            if 1 < len(source) <= 80 and not re.fullmatch(r"[\w-]*\d[\w-]*", source):
                return source
    return None


def _byline(line: str) -> str | None:
    if len(line) > 160:
        return None
    m = _BYLINE.match(line)
    if not m:
        return None
    words = m["name"].replace(",", " , ").split()
    for i, word in enumerate(words):
        if word.casefold() in _BYLINE_STOP:
            words = words[:i]
            break
    dated = m["rest"].strip()[:1].isdigit()
    # "By Jane Doe May 29, 2024": the month is the date's, not the name's.
    while words and (
        (dated and words[-1].casefold().rstrip(".") in _MONTHS)
        or words[-1].casefold().rstrip(".,") in _FULL_WEEKDAYS
        or words[-1] in {",", "&"}
    ):
        words.pop()
    name = " ".join(words).replace(" , ", ", ")
    if not name or len(name) < 3:
        return None
    return name


def _continues(line: str) -> bool:
    """A line that starts in lower case carries on a sentence: no headline starts so
    ("iPhone", "eBay" are names, not such a start)."""
    word = line.lstrip(" \t\"'“‘«„(¡¿[").split(None, 1)
    return bool(word) and word[0][:1].islower() and word[0].islower()


def _title_like(line: str) -> bool:
    """A headline: short, no closing period, has words, not a list item, not run on
    from a sentence (in lower case)."""
    stripped = line.strip().lstrip("#").strip()
    if not 2 <= len(stripped) <= 200 or stripped[-1] in ".,;:。，；：":
        return False  # (two characters are a headline only in Chinese or Japanese)
    if stripped[0] in "•*-–—·>|" or stripped.startswith("http") or _continues(stripped):
        return False
    cjk = 0 if single_byte(stripped) else len(CJK_CHARACTER.findall(stripped))
    if cjk >= 2:
        return True
    first = _WORD.search(stripped)  # two words: the second search starts where findall's would
    return first is not None and _WORD.search(stripped, first.end()) is not None


_DATELINE = re.compile(
    r"^(?P<place>[^\W\d_][\w.'’ /-]{1,40}?)(?:,\s*[^()\n,]{1,30}?)?\s*"
    r"(?:\((?P<agency>[^\W\d_][\w&/ .-]{0,29})\))?\s*\.?\s*[-–—]+\s+(?=\S)"
)
_CREDIT_WORDS = r"(?:additional\s+)?reporting|writing|editing|compiled"
_REPORTING = re.compile(
    rf"^\s*\(?(?i:{_CREDIT_WORDS})\s+(?i:by)\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})"
)
"""Wire-service credits at the end: "Reporting by Jane Doe; Editing by John Smith"."""
_BOILERPLATE_START = re.compile(
    rf"{_OPEN}(?:{_dispatched(f'{_FURNITURE}|{_PROMO_WORDS}|{_CREDIT_WORDS}')})", re.IGNORECASE
)
"""How every list heading, lead-in, promotion and credit line starts: one match that rules
out most lines before those four patterns are tried."""


def _split_dateline(paragraph: str) -> tuple[str, str | None]:
    """``WASHINGTON, May 29 (Reuters) - The Senate...`` -> the lead and the agency.

    A dateline is an upper-case place, or any place followed by an agency in
    parentheses, then a dash: the news-wire convention in every language here.
    """
    m = _DATELINE.match(paragraph[:120])
    if not m:
        return paragraph, None
    place = m["place"].strip()
    letters = [c for c in place if c.isalpha()]
    if m["agency"] is None and (len(letters) < 3 or not place.isupper()):
        return paragraph, None
    agency = m["agency"].strip() if m["agency"] else None
    return paragraph[m.end() :], agency


def _section_label(line: str) -> bool:
    """A one-word line with no sentence punctuation: a section name or kicker."""
    stripped = line.strip()
    return len(stripped) <= 40 and len(stripped.split()) == 1 and stripped[-1] not in ".!?…"


_BLANK_NEXT = re.compile(r"\n[ \t]*(?:\n|$)")
_WORD = re.compile(r"[^\W\d_]{2,}")
_DIGITS = re.compile(r"\d{3,}")


def _stands_alone(text: str, end: int, word: str) -> bool:
    """A word with letters set apart by a blank line: "Brexit" over its story, not a kicker.

    Whether it is the title is settled once the header is read: only if no
    headline and no other label follows it, and more than a sentence does.
    """
    return _BLANK_NEXT.match(text, end) is not None and _WORD.search(word) is not None


_TITLE_LABEL = re.compile(
    r"^\s*(?:title|headline|titel|titolo|titre|t[ií]tulo|kop)\s*:\s*(?=\S)", re.IGNORECASE
)
"""``title: X`` at the top of a file: metadata written as a line (an unclosed front matter)."""


# --- the parser ----------------------------------------------------------------


FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "date": ("date", "published", "pubDate", "pubdate", "published_at", "publishedAt",
             "date_published", "datePublished"),
    "source": ("source", "publisher", "site", "site_name"),
    "author": ("author", "authors", "byline", "creator"),
    "url": ("url", "link"),
    "language": ("language", "lang", "locale"),
}  # fmt: skip
"""The names an explicit field (a JSONL record's, a front matter's) goes by in news feeds,
per what it says: the first name present with a value wins."""
FIELD_NAMES = frozenset(name for names in FIELDS.values() for name in names)


_FLAGS = frozenset(("true", "false", "yes", "no"))
"""A front matter's ``published: false`` (a draft flag) is no date."""


def field_value(fields: Mapping[str, str] | None, what: str) -> str | None:
    """The value of the field that says ``what`` (a key of :data:`FIELDS`), if any."""
    return _named_field(fields, FIELDS[what])[1]


def _named_field(fields: Mapping[str, str] | None, keys: tuple[str, ...]) -> tuple[str, str | None]:
    """The first of ``keys`` with a value in ``fields``, and that value (cleaned)."""
    if not fields:
        return "", None
    for key in keys:
        value: object = fields.get(key)
        if isinstance(value, list | tuple):  # YAML front matter: "author: [A, B]"
            value = ", ".join(str(v) for v in value if v is not None)
        if value is not None and str(value).strip():
            return key, _clean(str(value))
    return "", None


_LANGUAGE_NAMES = {
    "english": "en", "german": "de", "deutsch": "de", "italian": "it", "italiano": "it",
    "french": "fr", "français": "fr", "francais": "fr", "spanish": "es", "español": "es",
    "espanol": "es", "dutch": "nl", "nederlands": "nl", "portuguese": "pt", "português": "pt",
}  # fmt: skip


def normalize_language(value: str) -> str | None:
    """``en-US``, ``EN``, ``English``, ``deu`` -> an ISO 639-1 code where one is clear."""
    value = value.strip().casefold().replace("_", "-")
    if value in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[value]
    primary = value.split("-")[0]
    three = {"eng": "en", "deu": "de", "ger": "de", "ita": "it", "fra": "fr", "fre": "fr",
             "spa": "es", "nld": "nl", "dut": "nl", "por": "pt"}  # fmt: skip
    if primary in three:
        return three[primary]
    return primary if re.fullmatch(r"[a-z]{2}", primary) else None


def _front_matter_end(text: str) -> int:
    """End of a YAML front matter block left at the top of the text, else 0."""
    if not text.startswith("---\n"):
        return 0
    close = text.find("\n---", 3, 20_000)
    if close < 0:
        return 0
    inner = text[4:close].splitlines()
    if not inner or not all(re.match(r"^\s*(?:[\w-]+\s*:|-\s|#|$)", ln) for ln in inner):
        return 0
    end = text.find("\n", close + 1)
    return len(text) if end < 0 else end


def parse_header(
    text: str, fields: Mapping[str, str] | None = None, headings: Collection[int] = ()
) -> Header:
    """Title, date, language, source, author and the non-body lines of an article.

    Explicit ``fields`` (JSONL record, front matter) win over what the text says,
    after normalisation. ``meta`` holds what was read as metadata (date lines,
    date prefixes, bylines, a leftover front matter block); ``boilerplate`` the
    site furniture, teaser lists and publisher credits. Both are sorted,
    disjoint ``(start, end)`` ranges into ``text``, without newlines. The title
    is "" when nothing in the text can serve as one. ``headings`` are the offsets
    of lines that are headings by markup (Markdown's ``# X``): the first of them
    above the body is the title, whatever its length. Never raises.
    """
    language = None
    if lang_field := field_value(fields, "language"):
        language = normalize_language(lang_field)
    if language is None:
        language = detect_language(text)

    meta: list[tuple[int, int]] = []
    boiler: list[tuple[int, int]] = []
    date: str | None = None
    author: str | None = None
    source: str | None = None
    candidates: list[str] = []
    labels: list[str] = []
    alone: str | None = None  # the first label, when it stands alone above the body
    labelled: str | None = None  # "title: X"
    heading: str | None = None  # the first heading by markup
    lead: str | None = None  # the first line of the text, a headline standing alone
    byline_seen = False
    body: str | None = None
    opened = False  # a line neither metadata nor furniture was seen
    label_end = -2  # where the last label line ended

    fm_end = _front_matter_end(text)
    if fm_end:
        meta.append((0, fm_end))
    # One split serves the header, the furniture and the tail: the body starts at line `first`.
    lines = text.split("\n")
    begin = fm_end + 1 if fm_end else 0
    first = text.count("\n", 0, begin) if begin <= len(text) else len(lines)

    # Furniture first: the header reads what it found of the lines they share.
    verdicts: dict[int, bool] = {}
    tail: deque[tuple[int, int, str]] = deque(maxlen=TAIL_LINES)
    furniture = list(_furniture(lines, first, begin, verdicts, tail))

    # The header: date lines, date prefixes, bylines, headline candidates.
    seen = 0
    prose = 0
    line_end = begin - 1
    for number in range(first, len(lines)):
        whole = lines[number]
        offset, line_end = line_end + 1, line_end + 1 + len(whole)
        if offset > HEADER_CHARS or seen >= HEADER_LINES or prose >= 2:
            break
        content = whole[: MAX_LINE + 1]
        if not content.strip():
            continue
        seen += 1
        if body is None and heading is None and offset in headings:
            heading = content
            opened = True
            date = date or _date_line(content, language)  # "# 12 May 2024": a diary's day
            continue
        if (value := _date_line(content, language)) is not None:
            date = date or value
            meta.append((offset, line_end))
            continue
        if prefix := _labelled_date_prefix(content, language):
            date = date or prefix[0]
            meta.append((offset, offset + prefix[1]))
            offset += prefix[1]
            content = content[prefix[1] :]
            if not content.strip():
                continue
            if (value := _date_line(content, language)) is not None:
                date = date or value
                meta.append((offset, line_end))
                continue
        if (name := _byline(content)) is not None:
            author = author or name
            byline_seen = True
            meta.append((offset, line_end))
            if date is None and (found := find_date(content, language)):
                date = found.value
            continue
        verdict = verdicts.get(number) if content is whole else None
        if _is_boilerplate(content) if verdict is None else verdict:
            boiler.append((offset, line_end))
            continue
        if (credit := _source_of(content)) is not None:
            source = source or credit
            boiler.append((offset, line_end))
            continue
        if body is None and (label := _TITLE_LABEL.match(content)):
            labelled = labelled or content[label.end() :]
            meta.append((offset, line_end))
            continue
        top, opened = not opened, True
        if _title_like(content) and body is None and not byline_seen:
            if top and _BLANK_NEXT.match(text, line_end):
                lead = content  # a short first line over a blank one: the headline
            candidates.append(content)
            continue
        if body is None and _section_label(content):
            if not labels and _stands_alone(text, line_end, content):
                alone = content
            labels.append(content)  # "Politik", "Tech": a kicker above the headline
            label_end = line_end
            continue
        if body is None:
            body = content if line_end - offset <= MAX_LINE else text[offset : offset + 2000]
            if label_end + 1 == offset and _continues(content):
                body = f"{labels.pop()} {body}"  # "Café\nnaïve résumé": one sentence
        prose += 1

    boiler.extend(furniture)

    # The tail: publisher credits and dated footers.
    tail_lines: Iterable[tuple[int, int, str]] = tail
    if len(tail) < TAIL_LINES and first:  # the tail reaches above the body
        tail_lines = _tail_lines(lines, len(text), TAIL_LINES)
    for start, end, content in tail_lines:
        if (credit := _source_of(content)) is not None:
            source = source or credit
            boiler.append((start, end))
        elif (reporting := _REPORTING.match(content)) is not None:
            author = author or reporting["name"]
        elif (
            date is None
            and (label := _DATE_PREFIX.match(content))
            and label.group().strip()
            and (value := _date_line(content, language)) is not None
        ):
            # Only a labelled footer ("Published: ...") dates an article from its end.
            date = value
            meta.append((start, end))

    # The headline: a "title:" line, else the last candidate before a byline (a kicker
    # may precede it), else the first that has a few words, else a lone word standing
    # over the body ("Brexit"), else the opening sentence of the body.
    title = ""
    field_title = field_value(fields, "title")  # the title, whatever the text says
    if labelled:
        title = labelled
    elif heading is not None:
        title = heading
    elif candidates:
        if byline_seen:
            title = candidates[-1]
        elif lead is not None:
            title = lead
        else:
            title = next((c for c in candidates if len(c.split()) >= 3), candidates[0])
        title = title.strip().lstrip("#").strip().strip("*_").strip()
    elif body is not None:
        lead, agency = _split_dateline(body.strip())
        source = source or agency
        if not field_title:
            title = first_sentence(lead)
            if alone and len(labels) == 1 and (prose >= 2 or title != lead):
                title = alone  # a word over a story of more than one sentence: "Brexit"
    elif labels:
        title = labels[0]

    problems: tuple[str, ...] = ()
    if fields:
        if field_title:
            title = field_title
        key, field_date = _named_field(fields, FIELDS["date"])
        if field_date and field_date.casefold() not in _FLAGS:
            if (value := normalize_date(field_date, language)) is not None:
                date = value
            else:  # kept out, and said: the reader shows it with the article's problems
                problems = (f"{key} {shorten(field_date, 60)!r} not understood",)
        source = field_value(fields, "source") or source
        key, field_author = _named_field(fields, FIELDS["author"])
        if field_author:  # a byline may say "By Jane Doe": Jane Doe
            author = (key == "byline" and _byline(field_author)) or field_author

    meta_ranges = _merge(meta, len(text))
    # A range is either metadata or furniture, never both: metadata wins.
    boiler = [
        (s, e)
        for s, e in boiler
        if not any(s < m_end and m_start < e for m_start, m_end in meta_ranges)
    ]
    return Header(
        title=shorten(title),
        date=date,
        language=language,
        source=source,
        author=author,
        boilerplate=_merge(boiler, len(text)),
        meta=meta_ranges,
        problems=problems,
    )


def _furniture(
    lines: list[str],
    first: int,
    begin: int,
    verdicts: dict[int, bool] | None = None,
    tail: deque[tuple[int, int, str]] | None = None,
) -> Iterator[tuple[int, int]]:
    """From ``lines[first]`` (at offset ``begin``) on: furniture lines, and lists of teaser
    headlines under a heading. ``verdicts`` gets, by line number, ``_is_boilerplate`` of
    the lines that were asked it (or what equals it: not a list heading, no label nor
    furniture start), for the header to read instead of asking again; ``tail`` (a deque
    of ``TAIL_LINES``) the last non-blank lines, as ``_tail_lines`` gives them."""
    in_list = False
    end = begin - 1
    for number in range(first, len(lines)):
        line = lines[number]
        start, end = end + 1, end + 1 + len(line)
        if len(line) > MAX_LINE:
            if tail is not None and line.strip():
                tail.append((start, end, line[: MAX_LINE + 1]))
            in_list = False
            continue
        if not (stripped := line.strip()):
            in_list = False
            continue
        if tail is not None:
            tail.append((start, end, line))
        if in_list and len(stripped) <= 200 and stripped[-1] not in ".:":
            yield start, end
            continue
        in_list = False
        if _BOILERPLATE_START.match(stripped) is None:
            furniture = _is_label(stripped)  # = _is_boilerplate(stripped)
        elif _LIST_HEADING.match(stripped):
            furniture = in_list = True
        else:
            furniture = _is_boilerplate(stripped)
        if verdicts is not None and not in_list:
            verdicts[number] = furniture
        if furniture:
            yield start, end


def _merge(ranges: list[tuple[int, int]], size: int) -> tuple[tuple[int, int], ...]:
    """Sorted, non-overlapping, non-empty ranges clipped to the text."""
    if not ranges:
        return ()
    out: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(size, e)) for s, e in ranges):
        if start >= end:
            continue
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)
