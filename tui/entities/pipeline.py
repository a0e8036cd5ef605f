"""The recognizer pipeline: patterns, names, gazetteer, corrections, linking."""

from __future__ import annotations

import re
from bisect import bisect_left

from tui.entities.cues import EVENT_HEADS, ORG_HEADS, PLACE_HEADS
from tui.entities.firstnames import popularity
from tui.entities.frequencies import zipf
from tui.entities.gazetteer import Gazetteer, default_gazetteer
from tui.entities.language import guess, normalize
from tui.entities.linking import link_article
from tui.entities.mention import NAME_TYPES, Mention
from tui.entities.names import NameFinder
from tui.entities.numbers import find_numeric
from tui.entities.resolve import resolve
from tui.entities.statistical import SpacyNer

_WORDS = re.compile(r"[^\W\d_]+")
_HEADS = ORG_HEADS | PLACE_HEADS | EVENT_HEADS


def recognize(
    text: str,
    language: str | None,
    gazetteer: Gazetteer | None = None,
    ner: SpacyNer | None = None,
) -> list[Mention]:
    """Every entity mention in ``text``, in order, never overlapping.

    ``language`` is a code such as "en" or "de-DE" (guessed from the text
    when None or unknown). ``gazetteer`` defaults to the package data
    (countries, regions, cities); pass ``Gazetteer.default(user_file,
    corrections)`` to add the user's own names and corrections, or
    ``Gazetteer.empty()`` for none. ``ner`` (``--ner spacy``) adds a statistical
    recognizer after the name rules: the gazetteer and corrections still win
    over it. Offsets are indices into ``text``.
    """
    if not text:
        return []
    ours = normalize(language)
    lang = ours or guess(text)
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    mask = bytearray(len(text))
    known, corrected, words = gaz.scan(text, lang)  # names, and words that open money or dates
    numeric = find_numeric(text, lang, mask, words)
    unknown = bool(language) and ours is None  # a language margin has no rules for
    finder = NameFinder(text, lang, mask, gaz.is_demonym, gaz.is_known, gaz.lookup, unknown)
    names = finder.find()
    known = [m for m in known if mask.find(0, m.start, m.end) != -1]
    names = _yield_to_known(text, lang, names, known)
    statistical = ner.find(text, lang) if ner is not None else []
    mentions = resolve([numeric, names, statistical, known, corrected])
    mentions = link_article(mentions, lang)
    if gaz.has_corrections:
        mentions = _apply_corrections(text, mentions, gaz)
    return mentions


def _yield_to_known(
    text: str, lang: str, names: list[Mention], known: list[Mention]
) -> list[Mention]:
    """Drop a found name that wraps a known one in ordinary words: "Chips [Nvidias]".

    A longer name around a gazetteer match normally wins ("Borussia Dortmund"
    over the city), unless the rest of it is only common words.
    """
    if not known or not names:
        return names
    starts = [m.start for m in known]
    out: list[Mention] = []
    for n in names:
        i = bisect_left(starts, n.start)
        if i == len(starts) or starts[i] >= n.end:
            out.append(n)  # no known name starts inside it (the commonest case)
            continue
        inner = [k for k in known[i : i + 4] if k.end <= n.end]
        if (
            inner
            and n.recognizer.endswith(":default")
            and (inner[0].start, inner[-1].end) != (n.start, n.end)
        ):
            rest = text[n.start : inner[0].start] + " " + text[inner[-1].end : n.end]
            words = [w.lower() for w in _WORDS.findall(rest)]
            if words and all(
                zipf(w, lang) >= 3.0 and w not in _HEADS and popularity(w) < 2 for w in words
            ):
                continue
        out.append(n)
    return out


def _apply_corrections(text: str, mentions: list[Mention], gaz: Gazetteer) -> list[Mention]:
    out: list[Mention] = []
    for m in mentions:
        surface = text[m.start : m.end]
        if gaz.rejected(surface) or gaz.rejected(m.name):
            continue
        kind = gaz.corrected_type(surface) or gaz.corrected_type(m.name)
        if kind and kind != m.type:
            m = Mention(m.start, m.end, kind, m.name, "correction")
        out.append(m)
    return out


__all__ = ["NAME_TYPES", "recognize"]
