"""The sidebar: a virtual list of articles that draws only the rows on screen.

No widget per article (OptionList took 20 s for 100,000 rows): rows are
drawn in ``render_line`` from plain entries, two lines each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol

from textual.binding import Binding, BindingType
from textual.content import Content, Span
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

ROW = 2
"""Lines per article: the title, then date and language."""


class Entry(Protocol):
    """What the list needs of an article."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def date(self) -> str | None: ...
    @property
    def language(self) -> str | None: ...


class ArticleList(ScrollView, can_focus=True):
    """Articles, newest first; Enter opens the one under the cursor."""

    HELP = "The articles of the corpus. Up/Down or j/k move, Enter opens."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor(1)", "Next", show=False, id="list.down"),
        Binding("k,up", "cursor(-1)", "Previous", show=False, id="list.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page_up"),
        Binding("g,home", "first", "First", show=False, id="list.first"),
        Binding("G,end", "last", "Last", show=False, id="list.last"),
        Binding("enter", "open", "Open", id="list.open"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--cursor",
        "article-list--meta",
        "article-list--current",
        "article-list--unread",
    }

    cursor: reactive[int] = reactive(0, always_update=True)

    class Opened(Message):
        """The user chose an article to read."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[Entry] = []
        self.current: str | None = None
        self._empty_text = "Loading…"
        self._read: set[str] = set()
        self._bookmarked: set[str] = set()
        self._annotated: set[str] = set()

    def set_marks(self, *, read: set[str], bookmarked: set[str], annotated: set[str]) -> None:
        """Which articles are read (unread ones are bold), bookmarked (★) or annotated (✎)."""
        self._read, self._bookmarked, self._annotated = read, bookmarked, annotated
        self.refresh()

    def set_entries(self, entries: Sequence[Entry]) -> None:
        """Replace the rows, keeping the cursor on the same article."""
        keep = self.entries[self.cursor].id if self.entries else None
        self.entries = list(entries)
        self.virtual_size = Size(self.size.width, len(self.entries) * ROW)
        index = self.index_of(keep) if keep else None
        self.cursor = index if index is not None else min(self.cursor, max(len(entries) - 1, 0))
        self.border_title = f"Articles ({len(self.entries):,})"
        self.refresh()

    def set_empty_text(self, text: str) -> None:
        """What the list says when it has no rows."""
        self._empty_text = text
        self.refresh()

    def index_of(self, article_id: str) -> int | None:
        """Row of ``article_id``, if listed."""
        return next((i for i, e in enumerate(self.entries) if e.id == article_id), None)

    @property
    def highlighted(self) -> Entry | None:
        """The entry under the cursor."""
        return self.entries[self.cursor] if 0 <= self.cursor < len(self.entries) else None

    def watch_cursor(self, cursor: int) -> None:
        top = cursor * ROW
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False)
        elif top + ROW > self.scroll_y + self.scrollable_content_region.height:
            self.scroll_to(y=top + ROW - self.scrollable_content_region.height, animate=False)
        self.refresh()

    def action_cursor(self, step: int) -> None:
        if self.entries:
            self.cursor = min(max(self.cursor + step, 0), len(self.entries) - 1)

    def action_page(self, direction: int) -> None:
        rows = max(self.scrollable_content_region.height // ROW, 1)
        self.action_cursor(direction * rows)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(len(self.entries) - 1, 0)

    def action_open(self) -> None:
        entry = self.highlighted
        if entry is not None:
            self.post_message(self.Opened(entry.id))

    def on_click(self, event: Click) -> None:
        row = (round(self.scroll_y) + event.y) // ROW
        if 0 <= row < len(self.entries):
            self.cursor = row
            self.action_open()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        line = round(self.scroll_y) + y
        row, part = divmod(line, ROW)
        if not self.entries:
            text = Content(self._empty_text) if line == 0 else Content("")
            return Strip(text.render_segments(self.visual_style)).extend_cell_length(width, base)
        if row >= len(self.entries):
            return Strip.blank(width, base)
        entry = self.entries[row]
        marker = "▌" if entry.id == self.current else " "
        if part == 0:
            content = Content(marker + entry.title).truncate(width, ellipsis=True)
            if entry.id not in self._read:
                unread = self.get_visual_style("article-list--unread", partial=True)
                content = content.stylize(unread, 1)
        else:
            marks = ("★" if entry.id in self._bookmarked else "") + (
                "✎" if entry.id in self._annotated else ""
            )
            meta = " · ".join(x for x in (entry.date or "undated", entry.language, marks) if x)
            content = Content(marker + meta)
            content = Content(content.plain, [Span(1, len(content.plain), self._meta_style())])
        style = self.visual_style
        if row == self.cursor:
            style = style + self.get_visual_style("article-list--cursor", partial=True)
        elif entry.id == self.current:
            style = style + self.get_visual_style("article-list--current", partial=True)
        strip = Strip(content.render_segments(style))
        return strip.extend_cell_length(width, style.rich_style).crop(0, width)

    def _meta_style(self) -> Style:
        return self.get_visual_style("article-list--meta", partial=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()
