"""Caret motions over an article's text, as vim moves: words and paragraphs.

Plain functions of (text, offset) -> offset, so the reader's keys can be
tested without a terminal. A word is a run of letters, digits or
underscores with their combining marks (a Hindi vowel sign is part of its
word), or a run of other non-space characters. Chinese and Japanese, which
put no spaces between words, step as vim steps them: a run of ideographs,
of hiragana or of katakana is a word.
"""

from __future__ import annotations

import functools
import re

from tui.wordchars import CJK, MARKS, NO_SPACES, WORD_EXTRA

_IDEOGRAPHS = "\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"


@functools.cache
def _words() -> re.Pattern[str]:
    """Compiled at the first motion: its classes cost 15 ms, which opening the reader
    need not pay."""
    return re.compile(
        f"[{_IDEOGRAPHS}]+|[\u3040-\u309f]+|[\u30a0-\u30ff\uff66-\uff9f]+"
        f"|(?:[^\\W{CJK}]|[{WORD_EXTRA}{MARKS}{NO_SPACES}])+|[^\\w\\s{WORD_EXTRA}{MARKS}]+"
    )


_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")


def clamp(text: str, offset: int) -> int:
    """An offset that points at a character of ``text`` (or 0 when empty)."""
    return min(max(offset, 0), max(len(text) - 1, 0))


def next_word(text: str, offset: int) -> int:
    """``w``: the start of the next word."""
    match = _words().search(text, offset)
    if match is None:
        return clamp(text, len(text))
    if match.start() <= offset:  # inside a word: skip to the one after it
        match = _words().search(text, match.end())
    return match.start() if match else clamp(text, len(text))


def previous_word(text: str, offset: int) -> int:
    """``b``: the start of this word, or of the previous one when already there."""
    start = max(offset - 200, 0)
    while True:
        starts = [m.start() for m in _words().finditer(text, start, offset) if m.start() < offset]
        if starts or start == 0:
            return starts[-1] if starts else 0
        start = max(start - 2000, 0)


def word_end(text: str, offset: int) -> int:
    """``e``: the last character of this word, or of the next when already there."""
    match = _words().search(text, offset + 1)
    if match is None:
        return clamp(text, len(text))
    if match.start() > offset + 1 or match.end() - 1 > offset:
        inside = _words().match(text, offset)
        if inside and inside.end() - 1 > offset:
            return inside.end() - 1
        return match.end() - 1
    following = _words().search(text, match.end())
    return following.end() - 1 if following else clamp(text, len(text))


def next_paragraph(text: str, offset: int) -> int:
    """``}``: the end of this paragraph (the break after it), or of the next one when there.

    Landing on the break, not on the next paragraph's first character, lets
    ``v}`` select exactly the rest of the paragraph.
    """
    start = offset
    while start < len(text) and text[start].isspace():
        start += 1
    match = _PARAGRAPH.search(text, start)
    return match.start() if match else clamp(text, len(text))


def previous_paragraph(text: str, offset: int) -> int:
    """``{``: the start of this paragraph, or of the previous one when already there."""
    starts = [0]
    start = max(offset - 5000, 0)
    starts += [m.end() for m in _PARAGRAPH.finditer(text, start, offset) if m.end() < offset]
    while len(starts) == 1 and start > 0:
        start = max(start - 50_000, 0)
        starts = [0] + [
            m.end() for m in _PARAGRAPH.finditer(text, start, offset) if m.end() < offset
        ]
    return starts[-1]
