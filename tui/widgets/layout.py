"""Lazy word-wrapping of an article's blocks into visual lines.

The reader draws only the lines on screen, so layout must not touch the
whole text up front: heights start as cheap estimates (exact for lines that
fit), each block is wrapped when first drawn, and ``settle`` computes every
exact height (in a worker for big articles) before swapping them in.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate, pairwise

from rich.cells import cell_len

from tui.model import Block

_TOKEN = re.compile(r"\s*\S+")
_NO_LINE_START = frozenset("、。，．：；？！）」』】〕〉》”’…・ー")
"""Chinese and Japanese punctuation that may not begin a line (kinsoku)."""
LineRange = tuple[int, int]


def _width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def _hard_split(text: str, start: int, end: int, first: int, rest: int) -> list[LineRange]:
    """Cut a run with no spaces (a URL, CJK text) at cell boundaries."""
    lines: list[LineRange] = []
    avail = first
    if text[start:end].isascii():
        while end - start > avail:
            lines.append((start, start + avail))
            start += avail
            avail = rest
        lines.append((start, end))
        return lines
    used = 0
    line_start = start
    for i in range(start, end):
        w = cell_len(text[i])
        if used + w > avail and i > line_start:
            # A comma or full stop does not open a line: the character before goes with it.
            cut = i - 1 if text[i] in _NO_LINE_START and i - 1 > line_start else i
            lines.append((line_start, cut))
            line_start, used, avail = cut, cell_len(text[cut:i]), rest
        used += w
    lines.append((line_start, end))
    return lines


def _wrap_ascii(text: str, start: int, end: int, width: int, rest: int) -> list[LineRange]:
    """Greedy wrap of ASCII text by jumping from space to space (one C call per line)."""
    lines: list[LineRange] = []
    avail = width
    while end - start > avail:
        cut = text.rfind(" ", start, start + avail + 1)
        if cut <= start:
            lines.append((start, start + avail))
            start += avail
        else:
            line_end = cut
            while line_end > start and text[line_end - 1] == " ":
                line_end -= 1
            lines.append((start, line_end))
            start = cut + 1
            while start < end and text[start] == " ":
                start += 1
        avail = rest
    lines.append((start, end))
    return lines


def wrap(text: str, block: Block, width: int) -> list[LineRange]:
    """Word-wrap one block to ``width`` cells; continuation lines lose ``block.indent``."""
    start, end = block.start, block.end
    width = max(width, 1)
    rest = max(width - block.indent, 1)
    if end - start <= width and _width(text[start:end]) <= width:
        return [(start, end)]
    if text[start:end].isascii():
        return _wrap_ascii(text, start, end, width, rest)
    lines: list[LineRange] = []
    line_start, line_end, used, avail = start, start, 0, width
    for match in _TOKEN.finditer(text, start, end):
        token_start, token_end = match.span()
        w = _width(text[token_start:token_end])
        if used + w <= avail:
            used += w
            line_end = token_end
            continue
        word_start = token_start + (len(match.group()) - len(match.group().lstrip()))
        if used:
            lines.append((line_start, line_end))
            avail = rest
        line_start = word_start
        word_width = _width(text[word_start:token_end])
        if word_width <= avail:
            used, line_end = word_width, token_end
            continue
        pieces = _hard_split(text, word_start, token_end, avail, rest)
        lines.extend(pieces[:-1])
        line_start, line_end = pieces[-1]
        used, avail = _width(text[line_start:line_end]), rest
    if line_end > line_start or not lines:
        lines.append((line_start, line_end))
    return lines


SETTLE_NOW = 200_000
"""Articles up to this many characters are laid out exactly at once."""

PIECE = 8192
"""Blocks longer than this are cut (at a space) into pieces wrapped on their own,
so a 5 MB one-line file costs one piece of work per screen, not the whole line."""


def pieces(text: str, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """``blocks`` with every over-long block cut into consecutive pieces."""
    if all(b.end - b.start <= PIECE for b in blocks):
        return blocks
    out: list[Block] = []
    for block in blocks:
        start = block.start
        while block.end - start > PIECE:
            cut = text.rfind(" ", start + PIECE // 2, start + PIECE)
            cut = cut + 1 if cut > 0 else start + PIECE
            out.append(Block(start, cut, block.kind, block.indent))
            start = cut
        out.append(Block(start, block.end, block.kind, block.indent))
    return tuple(out)


SPACED_LINE = 100
"""Plain text whose lines are mostly this long is a paragraph a line: a blank row goes
between them (it read as a wall of text). Hard-wrapped text has lines under 80."""
SPACED_SAMPLE = 400
"""Lines looked at to decide."""


def spaced(blocks: tuple[Block, ...]) -> bool:
    """Is this plain text written a paragraph a line, with few blank lines between?"""
    sample = blocks[:SPACED_SAMPLE]
    if any(b.kind != "paragraph" for b in sample):
        return False  # Markdown: its own spacing
    lengths = sorted(b.end - b.start for b in sample if b.end > b.start)
    blank = len(sample) - len(lengths)
    return (
        len(lengths) >= 3
        and blank * 4 <= len(lengths)
        and lengths[len(lengths) // 2] >= SPACED_LINE
    )


class Layout:
    """The visual lines of one article at one width.

    In text written a paragraph a line (``spaced``), a line followed by another gets a
    blank row after it: an empty range at its end, where the caret can rest as on a
    blank line.
    """

    def __init__(self, text: str, blocks: tuple[Block, ...], width: int) -> None:
        self.text = text
        gapped = spaced(blocks)
        blocks = pieces(text, blocks)
        self.blocks = blocks
        self.width = max(width, 1)
        self._starts = [b.start for b in blocks]
        self._gaps = (
            {
                i
                for i, (b, after) in enumerate(pairwise(blocks))
                if b.end > b.start and after.end > after.start and after.start > b.end
            }
            if gapped
            else set()
        )
        self._wrapped: dict[int, list[LineRange]] = {}
        w = self.width
        self._offsets = list(
            accumulate(
                (
                    max(1, -(-(b.end - b.start) // w)) + (i in self._gaps)
                    for i, b in enumerate(blocks)
                ),
                initial=0,
            )
        )
        self.exact = False

    def _wrap(self, index: int) -> list[LineRange]:
        """Block ``index`` wrapped, with its blank row after it if it has one."""
        block = self.blocks[index]
        lines = wrap(self.text, block, self.width)
        if index in self._gaps:
            lines.append((block.end, block.end))
        return lines

    @property
    def height(self) -> int:
        """Number of visual lines (exact once ``settle`` has run)."""
        return self._offsets[-1]

    def lines_of(self, index: int) -> list[LineRange]:
        """The wrapped lines of block ``index`` (cached)."""
        lines = self._wrapped.get(index)
        if lines is None:
            if len(self._wrapped) > 4096 and not self.exact:
                self._wrapped.clear()
            lines = self._wrap(index)
            self._wrapped[index] = lines
        return lines

    def line(self, y: int) -> tuple[Block, LineRange, bool] | None:
        """Block, text range and whether it continues a wrapped block, for line ``y``."""
        if y < 0 or y >= self.height:
            return None
        index = bisect_right(self._offsets, y) - 1
        row = y - self._offsets[index]
        lines = self.lines_of(index)
        if row >= len(lines):
            return None
        return self.blocks[index], lines[row], row > 0

    def y_of(self, offset: int) -> int:
        """The visual line that shows text offset ``offset``."""
        if not self.blocks:
            return 0
        index = max(bisect_right(self._starts, offset) - 1, 0)
        starts = [start for start, _end in self.lines_of(index)]
        return self._offsets[index] + max(bisect_right(starts, offset) - 1, 0)

    def offset_of(self, y: int) -> int:
        """The text offset at the start of visual line ``y``."""
        found = self.line(min(max(y, 0), max(self.height - 1, 0)))
        return found[1][0] if found else 0

    @classmethod
    def first(cls, text: str, blocks: tuple[Block, ...], width: int) -> Layout:
        """The layout to draw at once: exact for a short text; for a long one
        estimated (exact heights follow from a worker). Pure, so the thread that
        reads an article can build it and the UI thread only installs it."""
        if len(text) <= SETTLE_NOW:
            exact = cls.exact_layout(text, blocks, width)
            assert exact is not None  # never cancelled
            return exact
        return cls(text, blocks, width)

    @classmethod
    def exact_layout(
        cls,
        text: str,
        blocks: tuple[Block, ...],
        width: int,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Layout | None:
        """A layout with every block wrapped and exact heights; None if cancelled.

        Built apart and swapped in whole, so a worker thread can build it while
        the UI keeps drawing the estimated layout.
        """
        layout = cls(text, blocks, width)
        wrapped: dict[int, list[LineRange]] = {}
        for index in range(len(layout.blocks)):
            if index % 2048 == 0 and cancelled():
                return None
            wrapped[index] = layout._wrap(index)
        layout._wrapped = wrapped
        layout._offsets = list(accumulate((len(lines) for lines in wrapped.values()), initial=0))
        layout.exact = True
        return layout
