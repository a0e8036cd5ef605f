"""Anchoring: where a note's quote sits in an article's text, after edits too.

A note keeps a W3C Web Annotation style selector: the quoted text with up to
``CONTEXT`` characters of prefix and suffix (TextQuoteSelector) and its
offsets (TextPositionSelector). When the text changes, :func:`anchor` finds
the quote again, trying in order:

1. the stored offsets still hold the quote and its context (``anchored``);
2. exact quote with its full prefix and suffix, nearest the old offset;
3. exact quote anywhere, preferring the most similar context, then the
   nearest to the old offset;
4. fuzzy (rapidfuzz) near the old offset, then in the whole text, above a
   threshold; never for a quote shorter than ``MIN_FUZZY_QUOTE``.

If nothing is good enough the result is ``orphaned``: the note is never
dropped, the caller keeps listing it with its quote.

Pure functions over plain strings: no I/O, no UI.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from tui.model import split_id

CONTEXT = 32
"""Characters of prefix and suffix kept around a quote."""

FUZZY_THRESHOLD = 80.0
"""Minimum rapidfuzz ratio (0-100) between the quote and the text it is re-anchored on."""

_COARSE_THRESHOLD = 65.0
"""partial_ratio score of a candidate region before its ends are snapped and it is scored."""

MIN_FUZZY_QUOTE = 8
"""Quotes shorter than this are only found exactly: a word or a number one character off
is another one ("animal1" is not "animal2", 2023 is not 2024)."""

Status = Literal["anchored", "moved", "orphaned"]


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote was found: ``text[start:end]``.

    For an ``orphaned`` anchor, start and end are the old offsets clamped to
    the text: a place to mention, not to draw.
    """

    start: int
    end: int
    status: Status
    score: float = 100.0
    """How sure the match is (100 for an exact quote; the rapidfuzz score when fuzzy)."""


@dataclass(frozen=True, slots=True)
class Selector:
    """The TextQuoteSelector + TextPositionSelector pair of one range of text."""

    quote: str
    prefix: str
    suffix: str
    start: int
    end: int


def content_hash(text: str) -> str:
    """The article content hash; the same value as :attr:`tui.model.Article.hash`."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def selector(text: str, start: int, end: int, context: int = CONTEXT) -> Selector:
    """The selector of ``text[start:end]``, with up to ``context`` characters each side.

    Raises:
        ValueError: if the range is empty or outside the text.
    """
    if not 0 <= start < end <= len(text):
        raise ValueError(f"bad range {start}..{end} for a text of {len(text)} characters")
    return Selector(
        quote=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        start=start,
        end=end,
    )


def anchor(text: str, quote: str, prefix: str, suffix: str, start: int, end: int) -> Anchor:
    """Find ``quote`` in ``text`` again; see the module docstring for the order.

    Never raises for any strings and offsets: a quote that cannot be placed
    gives an ``orphaned`` anchor.
    """
    n = len(text)
    if not quote:
        s = min(max(start, 0), n)
        return Anchor(s, s, "orphaned", 0.0)
    if (
        start >= 0
        and text.startswith(quote, start)
        and text.endswith(prefix, 0, start)
        and text.startswith(suffix, start + len(quote))
    ):
        return Anchor(start, start + len(quote), "anchored")

    occurrences = _occurrences(text, quote)
    if occurrences:
        with_context = [
            s
            for s in occurrences
            if text.endswith(prefix, 0, s) and text.startswith(suffix, s + len(quote))
        ]
        if with_context:
            best = min(with_context, key=lambda s: abs(s - start))
        else:
            best = max(
                occurrences,
                key=lambda s: (_context_score(text, s, quote, prefix, suffix), -abs(s - start)),
            )
        return _found(best, best + len(quote), start)

    return _fuzzy(text, quote, start, end)


def find_moved(article: str, article_hash: str, hashes: Mapping[str, str]) -> str | None:
    """The article id that now holds the content of ``article``, or None.

    Args:
        article: the id the note was made on.
        article_hash: the content hash stored with the note.
        hashes: the corpus as ``{article id: content hash}``.

    An article that still exists keeps its id (its notes are re-anchored by
    quote). A missing one is looked up by content hash; among several copies
    the one with the same file name wins, then the first in sorted order.
    """
    if article in hashes:
        return article
    candidates = [aid for aid, h in hashes.items() if h == article_hash]
    return _pick(article, candidates) if candidates else None


REPLACED_BELOW = 80.0
"""How alike (rapidfuzz ratio, %) an article's text and its old content are, at least,
when it was edited rather than replaced by another article's text."""
_COMPARED = 2000
"""Characters compared at the start of both texts."""


def find_replaced(
    article: str,
    article_hash: str,
    hashes: Mapping[str, str],
    text_of: Callable[[str], str | None],
) -> str | None:
    """Another id that now holds the exact content ``article`` had, when ``article`` holds
    another article's text: a JSONL record whose line moved up, two files swapped.

    None when the id still holds that content, or holds an edit of it (its
    text still resembles the old content: a copy of the old one elsewhere is
    not followed), or when the content is nowhere else.
    """
    current = hashes.get(article)
    if current is None or current == article_hash:
        return None
    candidates = [aid for aid, h in hashes.items() if h == article_hash and aid != article]
    if not candidates:
        return None
    other = _pick(article, candidates)
    now, then = text_of(article), text_of(other)
    if now is None or then is None:
        return None
    if fuzz.ratio(now[:_COMPARED], then[:_COMPARED]) >= REPLACED_BELOW:
        return None
    return other


NEARBY_RECORDS = 100
"""Lines of a JSONL file, each side of a record's old line, where it is looked for."""


def find_record(
    article: str,
    quotes: Sequence[Selector],
    hashes: Mapping[str, str],
    text_of: Callable[[str], str | None],
) -> str | None:
    """The record of the same JSONL file that now holds the quotes of ``article``'s notes,
    when the record on its line holds none of them: lines were added or removed above
    it and the record was edited too, so no copy of its old text is left for
    :func:`find_replaced`.

    A record holds a quote that is there with its prefix and suffix; the nearest
    such record to the old line wins. None for a file's article, or when the
    record on the old line still holds a quote or the words around it (an edit of it),
    or when no record near it holds one.
    """
    path, record = split_id(article)
    if not record:
        return None
    own = text_of(article) if article in hashes else None
    if own is not None and any(_traces(own, q) for q in quotes):
        return None
    line = int(record)
    for distance in range(1, NEARBY_RECORDS + 1):
        for candidate in (f"{path}#{line + distance}", f"{path}#{line - distance}"):
            text = text_of(candidate) if candidate in hashes else None
            if text is not None and any(_with_context(text, q) for q in quotes):
                return candidate
    return None


def _traces(text: str, q: Selector) -> bool:
    """Whether ``text`` still has the quote, or the words both before and after it: the
    record on the old line was edited in place, not replaced (a neighbour may hold the
    same words: a wire story and its update)."""
    context = [part for part in (q.prefix, q.suffix) if part.strip()]
    return q.quote in text or (bool(context) and all(part in text for part in context))


def _with_context(text: str, q: Selector) -> bool:
    """Whether ``text`` has the quote with its whole prefix and suffix."""
    return q.prefix + q.quote + q.suffix in text


def _pick(article: str, candidates: list[str]) -> str:
    """Among several copies, the one with the same file name, then the first in order."""
    name = _basename(article)
    same_name = sorted(aid for aid in candidates if _basename(aid) == name)
    return (same_name or sorted(candidates))[0]


def _basename(article: str) -> str:
    path, record = split_id(article)
    return path.rsplit("/", 1)[-1] + ("#" + record if record else "")


def _found(s: int, e: int, old_start: int, score: float = 100.0) -> Anchor:
    return Anchor(s, e, "anchored" if s == old_start else "moved", score)


def _occurrences(text: str, quote: str, limit: int = 10_000) -> list[int]:
    found: list[int] = []
    i = text.find(quote)
    while i >= 0 and len(found) < limit:
        found.append(i)
        i = text.find(quote, i + 1)
    return found


def _context_score(text: str, s: int, quote: str, prefix: str, suffix: str) -> float:
    """0-200: how much the text around an occurrence looks like the stored context."""
    score = 0.0
    if prefix:
        score += fuzz.ratio(prefix, text[max(0, s - len(prefix)) : s])
    if suffix:
        e = s + len(quote)
        score += fuzz.ratio(suffix, text[e : e + len(suffix)])
    return score


def _fuzzy(text: str, quote: str, start: int, end: int) -> Anchor:
    n = len(text)
    orphan = Anchor(min(max(start, 0), n), min(max(end, 0), n), "orphaned", 0.0)
    if not text or len(quote) < MIN_FUZZY_QUOTE:
        return orphan
    radius = max(2000, 4 * len(quote))
    lo = min(max(0, start - radius), n)
    hi = min(n, max(start, 0) + len(quote) + radius)
    windows = [(lo, hi)]
    if (lo, hi) != (0, n):
        # Far away: only around exact pieces of the quote (seed and extend),
        # so a 5 MB article costs a few str.find calls, not a fuzzy pass.
        windows += _seed_windows(text, quote)
    best: tuple[int, int] | None = None
    best_score = _COARSE_THRESHOLD
    for w_start, w_end in windows:
        hit = fuzz.partial_ratio_alignment(quote, text[w_start:w_end], score_cutoff=best_score)
        if hit is not None and hit.score >= best_score:
            best = (w_start + hit.dest_start, w_start + hit.dest_end)
            if w_start == lo and w_end == hi:
                break  # near the old place: good enough, stop looking
            best_score = hit.score
    if best is None:
        return orphan
    s, e = _refine(text, quote, *best)
    score = fuzz.ratio(quote, text[s:e]) if s < e else 0.0
    if score < FUZZY_THRESHOLD:
        return orphan
    return Anchor(s, e, "moved", score)


def _seed_windows(
    text: str, needle: str, pieces: int = 4, limit: int = 64
) -> list[tuple[int, int]]:
    """Windows of ``text`` around exact occurrences of pieces of ``needle``.

    A needle edited in fewer than ``pieces`` places keeps one piece intact.
    """
    size = max(4, len(needle) // pieces)
    slack = len(needle) // 2 + 8
    windows: list[tuple[int, int]] = []
    for offset in range(0, max(1, len(needle) - size + 1), size):
        piece = needle[offset : offset + size]
        if len(piece) < 4 or piece.isspace():
            continue
        pos = text.find(piece)
        found = 0
        while pos >= 0 and found < limit:
            w_start = max(0, pos - offset - slack)
            windows.append((w_start, min(len(text), pos - offset + len(needle) + slack)))
            found += 1
            pos = text.find(piece, pos + 1)
    return _merge(sorted(windows))


def _merge(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for w_start, w_end in windows:
        if merged and w_start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], w_end))
        else:
            merged.append((w_start, w_end))
    return merged


def _refine(text: str, quote: str, s: int, e: int) -> tuple[int, int]:
    """Snap a fuzzy match to the exact first and last words of the quote when nearby.

    partial_ratio aligns a window as long as the quote, so an insertion or
    deletion inside the quote leaves one end off by that many characters.
    """
    k = min(12, max(3, len(quote) // 4))
    slack = max(8, len(quote) // 2)
    lo, hi = max(0, s - slack), min(len(text), e + slack)
    for head in _ends(quote[:k], first=True):
        h = text.find(head, lo, min(hi, s + slack + len(head)))
        if h >= 0:
            s = h
            break
    for tail in _ends(quote[-k:], first=False):
        t = text.rfind(tail, max(s, e - slack - len(tail)), hi)
        if t >= 0 and t + len(tail) > s:
            e = t + len(tail)
            break
    return s, e


def _ends(piece: str, *, first: bool) -> list[str]:
    """``piece``, then just its first (or last) word if that is 3+ characters."""
    words = piece.split()
    word = (words[0] if first else words[-1]) if words else ""
    return [piece, word] if len(word) >= 3 and word != piece else [piece]
