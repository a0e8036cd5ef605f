"""The reading pane: draws only the visual lines on screen.

A ``ScrollView`` with ``render_line`` over a lazy ``Layout``, as Textual's
``Log`` and toolong do: a 20 MB article costs one screen of work to show.
Text enters as ``Content`` with spans, never as markup.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.content import Content, Span
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.worker import get_current_worker

from tui.model import Article
from tui.model import Span as TextSpan
from tui.widgets.layout import Layout

SETTLE_NOW = 200_000
"""Articles up to this many characters are laid out exactly at once."""

SPAN_KINDS = (
    "strong",
    "em",
    "code",
    "link",
    "url",
    "heading",
    "quote",
    "boilerplate",
    "meta",
    "mark",
)


class Reader(ScrollView, can_focus=True):
    """Shows one article, wrapped to the pane's width."""

    HELP = "Read the article: j/k or arrows scroll, space and PgDn page, g/G go to the ends."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Down", show=False, id="reader.down"),
        Binding("k,up", "scroll_up", "Up", show=False, id="reader.up"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="reader.page_down"),
        Binding("b,pageup", "page_up", "Page up", show=False, id="reader.page_up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="reader.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="reader.bottom"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"reader--{kind}" for kind in SPAN_KINDS}

    DEFAULT_CSS = """
    Reader { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self._layout: Layout | None = None
        self._pending_offset = 0
        self._span_starts: list[int] = []
        self._longest_span = 0
        self._restoring = False

    # -- showing ---------------------------------------------------------------

    def show(self, article: Article | None, offset: int = 0) -> None:
        """Show ``article`` with text offset ``offset`` on the top line."""
        self.article = article
        self._layout = None
        self._pending_offset = offset
        spans = article.spans if article else ()
        self._span_starts = [span.start for span in spans]
        self._longest_span = max((span.end - span.start for span in spans), default=0)
        self._relayout()

    @property
    def top_offset(self) -> int:
        """Text offset of the first visible line: what a reading position saves."""
        if self._layout is None or self._restoring:
            return self._pending_offset
        return self._layout.offset_of(round(self.scroll_y))

    @property
    def restoring(self) -> bool:
        """True until a newly shown article has been scrolled to its position."""
        return self._restoring

    def _content_width(self) -> int:
        return max(self.scrollable_content_region.width, 10)

    def _relayout(self) -> None:
        article = self.article
        if article is None:
            self._layout = None
            self.virtual_size = Size(0, 0)
            self.refresh()
            return
        width = self._content_width()
        if len(article.text) <= SETTLE_NOW:
            self._install(Layout.exact_layout(article.text, article.blocks, width))
        else:
            self._install(Layout(article.text, article.blocks, width))
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

    def _restore(self) -> None:
        """Scroll to the pending offset once the new virtual size is in place."""
        if self._layout is not None:
            self.scroll_to(y=self._layout.y_of(self._pending_offset), animate=False, immediate=True)
        self._restoring = False

    @work(thread=True, exclusive=True, group="layout", description="layout")
    def _settle(self, article: Article, width: int) -> None:
        worker = get_current_worker()
        layout = Layout.exact_layout(
            article.text, article.blocks, width, lambda: worker.is_cancelled
        )
        if layout is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._swap, article, layout)

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
        """Scroll so the line holding text ``offset`` is on top."""
        self._pending_offset = offset
        if self._layout is not None and not self._restoring:
            self.scroll_to(y=self._layout.y_of(offset), animate=False)

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
        spans: list[Span] = []
        for span in self._spans_between(start, end):
            style = self._style(span.kind)
            spans.append(Span(max(span.start, start) - start, min(span.end, end) - start, style))
        return Content(self.article.text[start:end], spans)

    def _spans_between(self, start: int, end: int) -> list[TextSpan]:
        """The article's spans that touch ``[start, end)``, found by bisection."""
        assert self.article is not None
        spans = self.article.spans
        low = bisect_left(self._span_starts, start - self._longest_span)
        high = bisect_left(self._span_starts, end)
        return [s for s in spans[low:high] if s.end > start]

    def _style(self, kind: str) -> Style:
        return self.get_visual_style(f"reader--{kind}", partial=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()
