"""Plain data shared by the core and the UI.

Every offset is a Python string index into ``Article.text``: the decoded,
sanitized text that ``margin show --json`` prints. Styles, entities, search
hits and notes are all spans over that one string, so they can be drawn
together without translating coordinates.
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, repeat
from operator import add

from tui.wordchars import CJK


@dataclass(frozen=True, slots=True)
class Span:
    """A styled range of the text: ``text[start:end]`` drawn as ``kind``.

    Kinds used by the reader: ``strong``, ``em``, ``code``, ``link``,
    ``heading``, ``quote``, ``boilerplate`` (dimmed), ``meta`` (dimmed
    header line), ``mark`` (a sanitized control character).
    """

    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class Block:
    """One source line of the article, ``text[start:end]`` without its newline.

    The reader wraps each block on its own, so a block is the unit of lazy
    layout. ``indent`` is the hanging indent (in cells) of wrapped
    continuation lines, e.g. for list items and quotes.
    """

    start: int
    end: int
    kind: str = "paragraph"
    indent: int = 0


@dataclass(frozen=True, slots=True)
class Header:
    """What header parsing learns from the top (and tail) of an article."""

    title: str
    date: str | None = None
    language: str | None = None
    source: str | None = None
    author: str | None = None
    boilerplate: tuple[tuple[int, int], ...] = ()
    """Ranges of lines that are not the article (share links, "Read Next:"...)."""
    meta: tuple[tuple[int, int], ...] = ()
    """Ranges consumed as metadata (a date line, a byline): dimmed, not hidden."""
    problems: tuple[str, ...] = ()
    """What an explicit field said that could not be used (a date not understood)."""


@dataclass(frozen=True)
class Article:
    """One readable article, immutable once loaded."""

    id: str
    path: str
    text: str
    title: str
    encoding: str
    date: str | None = None
    language: str | None = None
    source: str | None = None
    author: str | None = None
    url: str | None = None
    blocks: tuple[Block, ...] = ()
    spans: tuple[Span, ...] = ()
    problems: tuple[str, ...] = field(default_factory=tuple)
    words: int = 0
    """Whitespace-separated words (see ``word_count``), counted once when built."""
    partial: bool = False
    """Only the start of a big article, shown until the whole is ready (never annotated)."""

    @cached_property
    def hash(self) -> str:
        """Content hash of the text: finds a moved file and re-anchors notes."""
        return hashlib.blake2b(
            self.text.encode("utf-8", "surrogatepass"), digest_size=16
        ).hexdigest()


_SET_BLOCK = tuple(Block.__dict__[name].__set__ for name in ("start", "end", "kind", "indent"))
"""The setters of a Block's slots: what its frozen ``__init__`` sets them with."""


def make_blocks(
    starts: Iterable[int], ends: Iterable[int], kinds: Iterable[str], count: int
) -> list[Block]:
    """``count`` Blocks of these starts, ends and kinds (no indent), made field by field:
    each field set on all of them by one ``map`` (the slots' own setters, as the frozen
    dataclass's ``__init__`` sets them), a third less than a ``Block(...)`` call each."""
    made = list(map(object.__new__, repeat(Block, count)))
    set_start, set_end, set_kind, set_indent = _SET_BLOCK
    deque(map(set_start, made, starts), 0)
    deque(map(set_end, made, ends), 0)
    deque(map(set_kind, made, kinds), 0)
    deque(map(set_indent, made, repeat(0, count)), 0)
    return made


def line_blocks(text: str) -> tuple[Block, ...]:
    """One paragraph block per line of plain text (blank lines included)."""
    lengths = list(map(len, text.split("\n")))
    count = len(lengths)
    starts = list(accumulate(map(add, lengths, repeat(1, count)), initial=0))
    ends = map(add, starts, lengths)
    return tuple(make_blocks(starts, ends, repeat("paragraph", count), count))


CJK_CHARACTER = re.compile(f"[{CJK}]")
EXACT_WORDS = 1_000_000
"""Up to this many characters the words are counted; beyond, estimated."""

SINGLE_BYTE = ("latin-1", "cp1252")
"""Encodings that write most Western text in a byte a character: latin-1 (a copy),
else cp1252 (curly quotes, dashes and € too). None of their characters is Chinese
or Japanese, a control picture or a bidi control."""


def single_byte(text: str) -> tuple[bytes, str] | None:
    """``text`` in the first of ``SINGLE_BYTE`` that writes it, and that encoding.

    A ``bytes.translate`` or ``count`` scans those bytes many times faster than
    a regex scans the str (which looks up every character's class).
    """
    for encoding in SINGLE_BYTE:
        try:
            return text.encode(encoding), encoding
        except UnicodeEncodeError:
            pass
    return None


def _runs_table(encoding: str) -> bytes:
    """``bytes.translate`` table: 0 for what ``str.split`` splits at, 1 for the rest."""
    chars = bytes(range(256)).decode(encoding, "replace")
    return bytes(0 if char.isspace() else 1 for char in chars)


_RUNS = {encoding: _runs_table(encoding) for encoding in SINGLE_BYTE}


def word_count(text: str) -> int:
    """The words of ``text``; of a huge text, an estimate from its spaces
    (splitting 20 MB takes a quarter of a second of the article's opening).
    A Chinese or Japanese character counts as a word, as word processors count them:
    those scripts put no spaces between words."""
    if len(text) > EXACT_WORDS:
        return text.count(" ") + text.count("\n") // 2
    if (single := single_byte(text)) is not None:
        # The words of str.split, counted without making them: where a run starts. As
        # one integer, byte i of the text at bit 8i: a 1 byte not after a 1 byte.
        runs = int.from_bytes(single[0].translate(_RUNS[single[1]]), "little")
        return (runs & ~(runs << 8)).bit_count()
    if not (characters := len(CJK_CHARACTER.findall(text))):
        return len(text.split())
    return len(CJK_CHARACTER.sub(" ", text).split()) + characters


def words_label(article: Article) -> str:
    """ "441 words", or "≈2.8M words" when the count is an estimate."""
    if len(article.text) <= EXACT_WORDS:
        return f"{article.words:,} words"
    return f"≈{article.words / 1e6:.1f}M words"


def split_id(article_id: str) -> tuple[str, str]:
    """The file and the record of an article id: ``a.jsonl#3`` -> ("a.jsonl", "3"). Only a
    number after a .jsonl file's name is a record: "issue #12.txt" is a file's name."""
    rel, sep, record = article_id.rpartition("#")
    if sep and record.isdigit() and rel.lower().endswith(".jsonl"):
        return rel, record
    return article_id, ""


UNREADABLE = "cannot read: "
"""How the reason starts when a file could not be read (it may be readable later)."""

SUFFIXES = frozenset({".txt", ".md", ".markdown", ".jsonl"})
"""The files of a corpus that hold articles. Here, not in ``tui.corpus``: the index's
stat walk needs them, and the readers of every format cost `margin search` 100 ms."""
