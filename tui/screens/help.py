"""The `?` screen: every key of the app, read from the bindings themselves, and the
query language of search and find (see ``tui.query``), which no binding can tell.

Also the footer that keeps `?` in sight at any width (:class:`KeysFooter`)."""

from __future__ import annotations

import textwrap
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.style import Style
from textual.widget import Widget
from textual.widgets import Footer, Static

QUERY_TITLE = "Search (/) and find (f) queries"
QUERY_ROWS: tuple[tuple[str, str], ...] = (
    ("nvidia chips", "all the words; if few match, most of them"),
    ('"exact phrase"', "the words side by side, no typos"),
    ("-word", 'leaves out articles with it (-"a phrase")'),
    ("chips OR gpus", "either word"),
    ("lang:de OR lang:it", "either (date:, entity: too)"),
    ("title:word", "only in titles (source:word, in sources)"),
    ("lang:de", "articles in that language"),
    ("date:2024-05", "from that month (date:2024, a year)"),
    ("date:2024-01..2024-06", "from that range of dates"),
    ('entity:"Elon Musk"', "articles that mention that entity"),
    ("-lang:de -date:2024", "leaves those out (-entity: too)"),
    ("supercomp", "as you type, the last word is a prefix;"),
    ("", "a space after it matches it whole"),
    ("nvidai", "1 typo forgiven from 5 letters, 2 from 9,"),
    ("", "none in numbers or in quotes"),
)
"""The query language in brief, as ``tui.query`` parses it: (example, what it finds)."""


class KeysFooter(Footer):
    """The footer, with the key of the help screen (`?`) pinned to its right edge, as Textual
    pins Ctrl-P's: the focused pane's keys come first, and at 40 columns (a split tmux
    pane) they pushed `?` off the line, and with it the way to every other key.

    A key that does not fit whole is left out: 'y Co' at the edge told nothing."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            # A FooterKey (not exported by textual.widgets) knows its binding's action.
            if getattr(widget, "action", None) in ("help", "app.help"):
                widget.add_class("-help")  # docked right in margin.tcss
            yield widget

    async def recompose(self) -> None:
        await super().recompose()
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Show the keys, in order, while each fits whole beside the pinned one."""
        keys = [w for w in self.children if getattr(w, "action", None) is not None]
        room = self.size.width - sum(_width(k) for k in keys if k.has_class("-help"))
        for key in keys:
            if key.has_class("-help"):
                continue
            width = _width(key)
            key.display = room > 0 and width - key.styles.margin.right <= room
            room = room - width if key.display else 0


def _width(widget: Widget) -> int:
    """The columns ``widget`` takes in a row, shown or not: its text, gutter and margin."""
    styles = widget.styles
    content = widget.get_content_width(Size(0, 0), Size(0, 0))
    return content + styles.gutter.width + styles.margin.width


class _Rows(Static):
    """Two columns, a key or an example and what it does, the second wrapped under itself:
    at 40 columns its lines ran on under the keys, and the column could not be read."""

    def __init__(self, rows: list[tuple[str, str]], column: int) -> None:
        self.rows = rows
        self.column = column
        """The width of the first column."""
        self._width = 0
        """The width the rows were last wrapped to."""
        super().__init__(self._lines(0))

    def _lines(self, width: int) -> Content:
        """The rows wrapped to ``width`` columns (0: not wrapped).

        Where they do not fit, the first column is only as wide as its widest key here
        (the same column in every section read better, where there was room for it)."""
        column = self.column
        if width and self.rows and width < column + 4 + max(len(w) for _, w in self.rows):
            column = min(column, max(len(key) for key, _ in self.rows))
        indent = column + 4  # two spaces before the first column, two after it
        room = max(width - indent, 12) if width else None
        lines = []
        for key, what in self.rows:
            first, *more = (textwrap.wrap(what, room) if room else []) or [what]
            lines.append(
                Content.from_markup("  [b]$key[/b]  $what", key=f"{key:<{column}}", what=first)
            )
            lines += [Content(" " * indent + line) for line in more]
        return Content("\n").join(lines)

    def on_resize(self) -> None:
        width = self.size.width
        if width and width != self._width:
            self._width = width
            self.update(self._lines(width))


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the app and of each pane; any of Escape, q or ? closes it.

    Its own footer says so: without one, the reader's footer showed through."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(
        self,
        sections: list[tuple[str, list[Binding]]],
        legend: list[tuple[str, Style]] | None = None,
    ) -> None:
        super().__init__()
        self.sections = sections
        self.legend = legend or []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Content.from_markup("[b]margin: keys[/b]"), classes="help-title")
            for title, bindings in self.sections:
                yield Static(Content.from_markup("[b $accent]$title[/]", title=title))
                rows = [
                    (
                        self._keys(b),
                        f"{b.description} ({b.tooltip})" if b.tooltip else b.description,
                    )
                    for b in bindings
                    if b.description
                ]
                yield _Rows(rows, 16)
            yield Static(Content.from_markup("[b $accent]$title[/]", title=QUERY_TITLE))
            yield _Rows(list(QUERY_ROWS), 21)
            if self.legend:
                yield Static(Content.from_markup("[b $accent]How the reader marks text[/]"))
                marks = [Content("  ")]
                for label, style in self.legend:
                    marks += [Content(label).stylize(style), Content("  ")]
                yield Static(Content("").join(marks))
        yield Footer(show_command_palette=False)

    def _keys(self, binding: Binding) -> str:
        """Every key of a binding as the footer shows keys: "j, ↓", "[", "?"."""
        if binding.key_display:
            return binding.key_display
        keys = [k.strip() for k in binding.key.split(",")]
        return ", ".join(self.app.get_key_display(Binding(k, binding.action)) for k in keys)

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(result)
