"""A virtual list: rows of a few lines each, drawn in ``render_line``.

No widget per row (OptionList took 20 s for 100,000 rows): subclasses say
how many lines a row has and draw one line of one row as ``Content``; this
class owns the cursor, scrolling, keys and the Chosen message.
"""

from __future__ import annotations

import textwrap
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from tui.widgets.span_style import span_style


class RowList(ScrollView, can_focus=True):
    """Rows of ``ROW_LINES`` lines; up/down move the cursor, Enter chooses."""

    ROW_LINES: ClassVar[int] = 2

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor(1)", "Next", show=False, id="rows.down"),
        Binding("k,up", "cursor(-1)", "Previous", show=False, id="rows.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="rows.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="rows.page_up"),
        Binding("g,home", "first", "First", show=False, id="rows.first"),
        Binding("G,end", "last", "Last", show=False, id="rows.last"),
        Binding("enter", "choose", "Open", id="rows.choose"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "rows--cursor",
        "rows--dim",
        "rows--match",
        "rows--title",
    }

    cursor: reactive[int] = reactive(0, always_update=True)

    class Chosen(Message):
        """The user chose the row under the cursor (Enter or a click)."""

        def __init__(self, rows: RowList, index: int) -> None:
            super().__init__()
            self.rows = rows
            self.index = index

        @property
        def control(self) -> RowList:
            return self.rows

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.count = 0
        self.empty_text = ""

    def set_count(self, count: int, cursor: int | None = None) -> None:
        """Say how many rows there are now (and optionally where the cursor goes)."""
        self.count = count
        self.virtual_size = Size(0, count * self.ROW_LINES)  # rows are cut to the width
        target = self.cursor if cursor is None else cursor
        self.cursor = min(max(target, 0), max(count - 1, 0))
        self.refresh()

    def set_empty_text(self, text: str) -> None:
        """What the list says when it has no rows."""
        self.empty_text = text
        self.refresh()

    def watch_cursor(self, cursor: int) -> None:
        top = cursor * self.ROW_LINES
        height = self.scrollable_content_region.height
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False)
        elif top + self.ROW_LINES > self.scroll_y + height:
            self.scroll_to(y=top + self.ROW_LINES - height, animate=False)
        self.refresh()

    def action_cursor(self, step: int) -> None:
        if self.count:
            self.cursor = min(max(self.cursor + step, 0), self.count - 1)

    def action_page(self, direction: int) -> None:
        rows = max(self.scrollable_content_region.height // self.ROW_LINES, 1)
        self.action_cursor(direction * rows)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(self.count - 1, 0)

    def action_choose(self) -> None:
        if 0 <= self.cursor < self.count:
            self.post_message(self.Chosen(self, self.cursor))

    def on_click(self, event: Click) -> None:
        row = (round(self.scroll_y) + event.y) // self.ROW_LINES
        if 0 <= row < self.count:
            self.cursor = row
            self.action_choose()

    @property
    def row_width(self) -> int:
        """How many cells wide a row is drawn (``row_line`` is cut to this)."""
        return self.scrollable_content_region.width

    def row_line(self, index: int, part: int) -> Content:
        """Line ``part`` of row ``index``; subclasses draw here."""
        raise NotImplementedError

    def empty_line(self, line: int) -> Content:
        """Line ``line`` of what the list shows with no rows: ``empty_text`` wrapped to the
        row's width (a narrow pane cut its hint mid-sentence), then blanks."""
        lines = textwrap.wrap(self.empty_text, max(self.row_width, 8)) if self.empty_text else []
        return Content(lines[line] if line < len(lines) else "")

    def row_style(self, index: int) -> Style:
        """The base style of a whole row (the cursor row stands out)."""
        style = self.visual_style
        if index == self.cursor:
            style = style + span_style(self, "rows--cursor")
        return style

    def dim(self) -> Style:
        """The style of secondary text in a row."""
        return span_style(self, "rows--dim")

    def render_line(self, y: int) -> Strip:
        width = self.row_width
        line = round(self.scroll_y) + y
        index, part = divmod(line, self.ROW_LINES)
        if not self.count:
            content = self.empty_line(line)
            strip = Strip(content.render_segments(self.visual_style))
            return strip.extend_cell_length(width, self.rich_style).crop(0, width)
        if index >= self.count:
            return Strip.blank(width, self.rich_style)
        style = self.row_style(index)
        content = self.row_line(index, part).truncate(width, ellipsis=True)
        strip = Strip(content.render_segments(style))
        return strip.extend_cell_length(width, style.rich_style).crop(0, width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()
