"""The reading pane: draws only the visual lines on screen.

A ``ScrollView`` with ``render_line`` over a lazy ``Layout``, as Textual's
``Log`` and toolong do: a 20 MB article costs one screen of work to show.
Text enters as ``Content`` with spans, never as markup. Everything drawn
over the text (markdown styles, entities, search hits, highlights, notes,
the selection and the caret) is a span over the article's offsets, kept in
named layers.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.cells import cell_len
from textual import work
from textual.binding import Binding, BindingType
from textual.content import Content, Span
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.worker import get_current_worker

from tui import motions
from tui.model import Article
from tui.model import Span as TextSpan
from tui.widgets.later import RunsLater
from tui.widgets.layout import Layout
from tui.widgets.span_style import span_style

SPAN_KINDS = (
    "strong",
    "em",
    "code",
    "link",
    "url",
    "strike",
    "heading",
    "quote",
    "boilerplate",
    "meta",
    "mark",
    "person",
    "org",
    "product",
    "place",
    "money",
    "date",
    "percent",
    "quantity",
    "misc",
    "highlight",
    "note",
    "hit",
    "current-hit",
    "selection",
    "caret",
)

LAYERS = ("article", "entities", "annotations", "hits")
"""Drawn in this order; a later layer's style wins where they overlap."""


class _Layer:
    """Sorted spans with an index for finding those that touch a line."""

    def __init__(self, spans: Sequence[TextSpan]) -> None:
        self.spans = sorted(spans, key=lambda s: (s.start, s.end))
        self.starts = [s.start for s in self.spans]
        self.longest = max((s.end - s.start for s in self.spans), default=0)

    def between(self, start: int, end: int) -> list[TextSpan]:
        low = bisect_left(self.starts, start - self.longest)
        high = bisect_left(self.starts, end)
        return [s for s in self.spans[low:high] if s.end > start]


class Reader(RunsLater, ScrollView, can_focus=True):
    """Shows one article, wrapped to the pane's width, with a caret and a selection."""

    HELP = (
        "Read the article. j/k move the caret by line, w/b/e by word, {/} by paragraph, "
        "0/$ to the line's ends, g/G to the article's ends; space/PgDn and PgUp page. "
        "v starts a selection that the same keys extend; Escape cancels it."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "line(1)", "Line down", show=False, id="reader.down"),
        Binding("k,up", "line(-1)", "Line up", show=False, id="reader.up"),
        Binding("left", "char(-1)", "Character left", show=False, id="reader.left"),
        Binding("right", "char(1)", "Character right", show=False, id="reader.right"),
        Binding("w", "word('next')", "Next word", show=False, id="reader.word"),
        Binding("b", "word('previous')", "Word back", show=False, id="reader.word_back"),
        Binding("e", "word('end')", "Word end", show=False, id="reader.word_end"),
        Binding("right_curly_bracket", "paragraph(1)", "Next paragraph", show=False,
                key_display="}", id="reader.paragraph"),
        Binding("left_curly_bracket", "paragraph(-1)", "Paragraph back", show=False,
                key_display="{", id="reader.paragraph_back"),
        Binding("0", "line_edge(0)", "Line start", show=False, id="reader.line_start"),
        Binding("dollar_sign", "line_edge(1)", "Line end", show=False, key_display="$",
                id="reader.line_end"),
        Binding("space,pagedown,ctrl+f", "page(1)", "Page down", show=False,
                id="reader.page_down"),
        Binding("pageup,ctrl+b", "page(-1)", "Page up", show=False, id="reader.page_up"),
        Binding("g,home", "edge(0)", "Top", show=False, id="reader.top"),
        Binding("G,end", "edge(1)", "Bottom", show=False, id="reader.bottom"),
        Binding("v", "select", "Select", id="reader.select"),
        Binding("escape", "cancel", "Cancel selection", show=False, id="reader.cancel"),
        Binding("h", "use('highlight')", "Highlight", tooltip="the selection",
                id="reader.highlight"),
        Binding("n", "use('note')", "Note", tooltip="on the selection", id="reader.note"),
        Binding("y", "use('copy')", "Copy", tooltip="the selection", id="reader.copy"),
        Binding("t", "use('correct')", "Entity type", show=False, id="reader.correct"),
        Binding("n", "hit(1)", "Next hit", tooltip="with no selection", id="reader.next_hit"),
        Binding("N", "hit(-1)", "Previous hit", show=False, id="reader.previous_hit"),
        Binding("right_parenthesis", "mention(1)", "Next entity", key_display=")", show=False,
                id="reader.next_mention"),
        Binding("left_parenthesis", "mention(-1)", "Previous entity", key_display="(",
                show=False, id="reader.previous_mention"),
    ]  # fmt: skip

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"reader--{kind}" for kind in SPAN_KINDS}

    DEFAULT_CSS = """
    Reader { height: 1fr; }
    """

    class Use(Message):
        """The user asked to highlight, annotate or copy the selection."""

        def __init__(self, what: str, start: int, end: int) -> None:
            super().__init__()
            self.what, self.start, self.end = what, start, end

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.use: Callable[[Reader.Use], object] | None = None
        """Takes a ``Use`` at once, instead of a message: the editor a note opens must be
        there before the next key of a burst ('vwn' and the note typed together; a message
        came behind them, and 'a' opened the notes)."""
        self.article: Article | None = None
        self._layout: Layout | None = None
        self._pending_offset = 0
        self._layers: dict[str, _Layer] = {}
        self._restoring = False
        self._reveal = False
        """The restore under way brings the caret into view (a shown article's caret)."""
        self.caret = 0
        self.selecting_from: int | None = None
        self._column: int | None = None
        self.hits: list[tuple[int, int]] = []
        self.hit = 0

    # -- showing ---------------------------------------------------------------

    def show(
        self,
        article: Article | None,
        offset: int = 0,
        layout: Layout | None = None,
        caret: int | None = None,
    ) -> None:
        """Show ``article`` with text offset ``offset`` on the top line, the caret at
        ``caret`` (None: on the top line).

        ``layout``: ``Layout.first`` of the article, built off the UI thread at
        ``text_width``; used when that is still the width. A caret that the top
        line would leave below the view (a smaller terminal than when it was
        left) scrolls the view down to it: the caret is where the user reads.
        """
        self.article = article
        self._layout = None
        self._pending_offset = offset
        self._layers = {"article": _Layer(article.spans)} if article else {}
        self.caret = (
            offset if caret is None or article is None else motions.clamp(article.text, caret)
        )
        self._reveal = caret is not None
        self.selecting_from = None
        self._column = None
        self.hits, self.hit = [], 0
        self._relayout(layout)

    def set_hits(self, hits: list[tuple[int, int]], near: int | None = None) -> None:
        """Light every search hit; ``n``/``N`` step through them from the first or, given
        ``near``, from the first at or after that offset (wrapping), where the caret goes
        (back to ``near`` itself when there is none): the find bar's incremental search."""
        self.hits = sorted(hits)
        at = 0 if near is None or not self.hits else bisect_left(self.hits, (near, -1))
        self.hit = at % len(self.hits) if self.hits else 0
        self._draw_hits()
        self.refresh_bindings()
        if near is not None:
            self._column = None
            self._move(self.hits[self.hit][0] if self.hits else near)

    def _draw_hits(self) -> None:
        self.set_layer(
            "hits",
            [
                TextSpan(s, e, "current-hit" if i == self.hit else "hit")
                for i, (s, e) in enumerate(self.hits)
            ],
        )

    def action_hit(self, step: int) -> None:
        """Go to the next (or previous) hit, wrapping around (and saying so)."""
        if not self.hits:
            return
        ahead = self.hit + step
        self.hit = ahead % len(self.hits)
        if not 0 <= ahead < len(self.hits):
            where = "top" if step > 0 else "bottom"
            place = f"hit {self.hit + 1} of {len(self.hits)}"
            self.notify(f"Went on from the {where}: {place}.", timeout=2, markup=False)
        self._draw_hits()
        self._column = None
        self._move(self.hits[self.hit][0])

    def action_mention(self, step: int) -> None:
        """Move the caret to the next (or previous) entity mention."""
        layer = self._layers.get("entities")
        if layer is None or not layer.spans:
            return
        index = bisect_left(layer.starts, self.caret + (1 if step > 0 else 0))
        index = index if step > 0 else index - 1
        if 0 <= index < len(layer.spans):
            self._column = None
            self._move(layer.spans[index].start)

    def set_layer(self, name: str, spans: Sequence[TextSpan]) -> None:
        """Replace one layer of spans drawn over the text (see ``LAYERS``)."""
        self._layers[name] = _Layer(spans)
        self.refresh()

    def spans_of(self, name: str) -> list[TextSpan] | None:
        """The spans of one layer (None until it is set for this article)."""
        layer = self._layers.get(name)
        return layer.spans if layer is not None else None

    @property
    def restoring(self) -> bool:
        """True until a newly shown article has been scrolled to its position."""
        return self._restoring

    @property
    def top_offset(self) -> int:
        """Text offset of the first visible line: what a reading position saves."""
        if self._layout is None or self._restoring:
            return self._pending_offset
        return self._layout.offset_of(round(self.scroll_y))

    @property
    def caret_in_view(self) -> int:
        """The caret, or the top line's offset when the view was scrolled away from it
        (the wheel): where the next motion starts, and what a place to come back to keeps."""
        layout, height = self._layout, self.scrollable_content_region.height
        if layout is None or height <= 0:
            return self.caret
        top = self._top()
        if top <= layout.y_of(self.caret) < top + height:
            return self.caret
        return layout.offset_of(top)

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected ``(start, end)``, caret included, surrounding blanks left out, or None."""
        if self.selecting_from is None or self.article is None:
            return None
        text = self.article.text
        start, end = sorted((self.selecting_from, self.caret))
        end = min(end + 1, len(text))
        while end > start + 1 and text[end - 1].isspace():
            end -= 1
        while start < end - 1 and text[start].isspace():
            start += 1
        return start, end

    def _content_width(self) -> int:
        return max(self.scrollable_content_region.width, 10)

    @property
    def text_width(self) -> int:
        """The width the article's text is wrapped to."""
        return self._content_width()

    def _relayout(self, ready: Layout | None = None) -> None:
        article = self.article
        if article is None:
            self._layout = None
            self.virtual_size = Size(0, 0)
            self.refresh()
            return
        width = self._content_width()
        layout = ready
        if layout is None or layout.width != width or layout.text is not article.text:
            layout = Layout.first(article.text, article.blocks, width)
        self._install(layout)
        if not layout.exact:
            # Draw the first screen before the exact layout competes for the GIL.
            self.call_after_refresh(self._settle, article, width)

    def _install(self, layout: Layout | None) -> None:
        if layout is None:
            return
        self._layout = layout
        self.virtual_size = Size(layout.width, layout.height)
        self._restoring = True
        self.call_after_refresh(self._restore)
        self.refresh()

    def _restore(self, attempts: int = 8) -> None:
        """Scroll to the pending offset once the new virtual size is in place.

        The scroll is clamped to the old size until Textual has applied the
        new one, so it is tried again after the next refresh until it lands.
        """
        layout = self._layout
        if layout is not None:
            target = self._target(layout)
            self.scroll_to(y=target, animate=False, immediate=True)
            reachable = max(layout.height - self.scrollable_content_region.height, 0)
            if round(self.scroll_y) < min(target, reachable) and attempts:
                self.call_after_refresh(self._restore, attempts - 1)
                return
        self._restoring = False

    def _target(self, layout: Layout) -> int:
        """The line a restore puts on top: the pending offset's, moved (for good) to show
        the caret of an article just shown when it would be out of view."""
        target = layout.y_of(self._pending_offset)
        height = self.scrollable_content_region.height
        if self._reveal and height > 0:
            self._reveal = False
            y = layout.y_of(self.caret)
            if not target <= y < target + height:
                target = min(max(target, y - height + 1), y)
                self._pending_offset = layout.offset_of(target)
        return target

    @work(thread=True, exclusive=True, group="layout", description="layout")
    def _settle(self, article: Article, width: int) -> None:
        worker = get_current_worker()
        layout = Layout.exact_layout(
            article.text, article.blocks, width, lambda: worker.is_cancelled
        )
        if layout is not None and not worker.is_cancelled:
            self.later(self._swap, article, layout)

    def _swap(self, article: Article, layout: Layout) -> None:
        if article is not self.article or layout.width != self._content_width():
            return
        self._pending_offset = self.top_offset
        self._install(layout)

    def on_resize(self) -> None:
        if self.article is not None and (
            self._layout is None or self._layout.width != self._content_width()
        ):
            self._pending_offset = self.top_offset
            self._relayout()

    def scroll_to_offset(self, offset: int) -> None:
        """Put the caret at ``offset`` and scroll so its line is on top."""
        self.caret = offset
        self._pending_offset = offset
        if self._layout is not None and not self._restoring:
            self.scroll_to(y=self._layout.y_of(offset), animate=False)
        self.refresh()

    # -- the caret -------------------------------------------------------------

    def put_caret(self, offset: int) -> None:
        """Put the caret back where it was (the place is already on screen)."""
        if self.article is not None:
            self.caret = motions.clamp(self.article.text, offset)
            self.refresh()

    def _top(self) -> int:
        """The first visible line; while a new layout is being restored, the one it goes to."""
        if self._restoring and self._layout is not None:
            return self._target(self._layout)
        return round(self.scroll_y)

    def _scroll_top(self, y: int, *, immediate: bool = False) -> None:
        """Scroll line ``y`` to the top. While a restore is under way, move where it goes
        instead: ``_restore`` would otherwise scroll back over the key."""
        layout = self._layout
        if layout is None:
            return
        if self._restoring:
            reachable = max(layout.height - self.scrollable_content_region.height, 0)
            self._pending_offset = layout.offset_of(min(max(y, 0), reachable))
        else:
            self.scroll_to(y=y, animate=False, immediate=immediate)

    def _move(self, offset: int) -> None:
        """Put the caret at ``offset``, keep it on screen, redraw (and the footer's keys)."""
        if self.article is None or self._layout is None:
            return
        self.caret = motions.clamp(self.article.text, offset)
        y = self._layout.y_of(self.caret)
        top, height = self._top(), self.scrollable_content_region.height
        if y < top:
            self._scroll_top(y)
        elif y >= top + height:
            self._scroll_top(y - height + 1)
        self.refresh_bindings()
        self.refresh()

    def _caret_on_screen(self) -> None:
        """After scrolling by other means, bring the caret to the top visible line."""
        self.caret = self.caret_in_view

    def _motion(self, step: Callable[[str, int], int]) -> None:
        if self.article is None:
            return
        self._caret_on_screen()
        self._column = None
        self._move(step(self.article.text, self.caret))

    def action_char(self, step: int) -> None:
        self._motion(lambda _text, caret: caret + step)

    def action_word(self, which: str) -> None:
        steps = {
            "next": motions.next_word,
            "previous": motions.previous_word,
            "end": motions.word_end,
        }
        self._motion(steps[which])

    def action_paragraph(self, step: int) -> None:
        self._motion(motions.next_paragraph if step > 0 else motions.previous_paragraph)

    def action_edge(self, end: int) -> None:
        self._motion(lambda text, _caret: len(text) if end else 0)

    def _line_range(self, y: int) -> tuple[int, int] | None:
        found = self._layout.line(y) if self._layout else None
        return found[1] if found else None

    def action_line_edge(self, end: int) -> None:
        if self._layout is None:
            return
        self._caret_on_screen()
        line = self._line_range(self._layout.y_of(self.caret))
        if line is not None:
            self._column = None
            self._move(max(line[1] - 1, line[0]) if end else line[0])

    def action_line(self, step: int) -> None:
        """Move the caret one visual line, keeping its column (as j/k do in vim)."""
        if self.article is None or self._layout is None:
            return
        self._caret_on_screen()
        y = self._layout.y_of(self.caret)
        here = self._line_range(y)
        if here is None:
            return
        text = self.article.text
        if self._column is None:
            self._column = cell_len(text[here[0] : self.caret])
        target = min(max(y + step, 0), self._layout.height - 1)
        line = self._line_range(target)
        if line is None or target == y:
            if target == y and step > 0:
                self._scroll_top(self._top() + 1)
            return
        offset, used = line[0], 0
        while offset < line[1] - 1:
            width = cell_len(text[offset])
            if used + width > self._column:
                break
            used += width
            offset += 1
        column = self._column
        self._move(offset)
        self._column = column

    def action_page(self, direction: int) -> None:
        layout = self._layout
        if layout is None:
            return
        height = max(self.scrollable_content_region.height - 1, 1)
        self._scroll_top(self._top() + direction * height, immediate=True)
        self.caret = layout.offset_of(self._top())
        self._column = None
        self.refresh()

    def action_select(self) -> None:
        """Start a selection at the caret (or end the current one)."""
        self._caret_on_screen()
        self.selecting_from = None if self.selecting_from is not None else self.caret
        self.refresh_bindings()
        self.refresh()

    def action_cancel(self) -> None:
        if self.selecting_from is not None:
            self.selecting_from = None
            self.refresh_bindings()
            self.refresh()

    def mention_at_caret(self) -> TextSpan | None:
        """The entity mention under the caret, if any."""
        layer = self._layers.get("entities")
        if layer is None:
            return None
        return next((s for s in layer.between(self.caret, self.caret + 1)), None)

    def action_use(self, what: str) -> None:
        """Hand the selection (or, to correct, the mention under the caret) to the app."""
        selection = self.selection
        if selection is None and what == "correct":
            mention = self.mention_at_caret()
            if mention is None:
                self.notify(
                    "No entity under the caret: ( and ) go to one, or select words (v), then t.",
                    markup=False,
                )
                return
            selection = (mention.start, mention.end)
        if selection is not None:
            use = self.Use(what, *selection)
            if self.use is not None:
                self.use(use)
            else:
                self.post_message(use)
            self.action_cancel()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "use" and parameters == ("correct",):
            return True  # off an entity, it says how to reach one
        if action in ("cancel", "use"):
            return self.selecting_from is not None
        if action == "hit":
            return bool(self.hits) and self.selecting_from is None
        return True

    # -- drawing ---------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        layout = self._layout
        if layout is None or self.article is None:
            return Strip.blank(width, base)
        found = layout.line(round(self.scroll_y) + y)
        if found is None:
            return Strip.blank(width, base)
        block, (start, end), continued = found
        content = self._line_content(start, end)
        if continued and block.indent:
            content = Content(" " * block.indent) + content
        strip = Strip(content.render_segments(self.visual_style))
        return strip.extend_cell_length(width, base).crop(0, width)

    def _line_content(self, start: int, end: int) -> Content:
        assert self.article is not None
        text = self.article.text[start:end]
        spans: list[Span] = []
        for name in LAYERS:
            layer = self._layers.get(name)
            if layer is not None:
                spans.extend(
                    self._span(s.start, s.end, s.kind, start, end)
                    for s in layer.between(start, end)
                )
        selection = self.selection
        if selection and selection[0] < end and selection[1] > start:
            spans.append(self._span(*selection, "selection", start, end))
        # Past a line's last character only at a paragraph's end (where } puts it): a
        # wrapped line's end is the next line's start, where the caret is drawn.
        at_break = self.caret == end and self.article.text[end : end + 1] in ("\n", "")
        if self.has_focus and (start <= self.caret < end or at_break):
            if self.caret >= end:
                text += " "
            spans.append(self._span(self.caret, self.caret + 1, "caret", start, end + 1))
        return Content(text, spans)

    def _span(self, s: int, e: int, kind: str, start: int, end: int) -> Span:
        return Span(max(s, start) - start, min(e, end) - start, self._style(kind))

    def _style(self, kind: str) -> Style:
        return span_style(self, f"reader--{kind}")

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
