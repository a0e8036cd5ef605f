"""The problems view: every file that was skipped and every article with a decoding note."""

from __future__ import annotations

import textwrap
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Log, Static

from tui.sanitize import sanitize_line
from tui.widgets.focus import focus_now


class ProblemsScreen(ModalScreen[None]):
    """Lists ``(path, reason)`` rows; a line-API ``Log`` keeps thousands of rows cheap.

    Its own footer lists its keys, not the reader's that showed through."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,p", "dismiss", "Close", id="problems.close"),
    ]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows
        self._width = 0
        """The width the rows were last wrapped to."""

    def compose(self) -> ComposeResult:
        with Vertical(id="problems"):
            count = len(self.rows)
            title = f"{count} problem{'s' if count != 1 else ''}" if count else "No problems"
            yield Static(Content.from_markup("[b]$title[/b]", title=title))
            log = Log(highlight=False, auto_scroll=False)
            yield log
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self._write()
        focus_now(self.query_one(Log))

    def on_resize(self) -> None:
        self._write()

    def _write(self) -> None:
        """The rows, wrapped to the dialog (90% of the screen, less border, padding and
        scrollbar): a reason cut at the edge hid its end ("not valid JSON (Unterminated")."""
        width = max(20, self.app.size.width * 9 // 10 - 6)
        if width == self._width:
            return
        self._width = width
        log = self.query_one(Log)
        log.clear()
        log.write_lines(
            row
            for path, why in self.rows
            for row in textwrap.wrap(
                f"{sanitize_line(path)}: {sanitize_line(why)}", width, subsequent_indent="    "
            )
        )

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(result)
