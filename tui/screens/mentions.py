"""Every article that mentions one entity, with counts and a snippet of the first mention."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from tui.sanitize import sanitize_line
from tui.widgets.focus import focus_now
from tui.widgets.rows import RowList
from tui.widgets.span_style import span_style

SNIPPET = 50
"""Characters of context on each side of the first mention."""


@dataclass(frozen=True)
class MentionsChoice:
    """Open ``article_id`` at ``offset``; or, with ``filter``, list only those articles."""

    article_id: str | None
    offset: int = 0
    filter: tuple[str, ...] = ()


class _Articles(RowList):
    """Title and count, then the words around the first mention (fetched only when drawn)."""

    ROW_LINES = 2

    def __init__(
        self,
        rows: list[tuple[str, int, int]],
        titles: Mapping[str, str],
        text_of: Callable[[str], str | None],
    ) -> None:
        super().__init__(id="mentioning")
        self.rows, self.titles, self.text_of = rows, titles, text_of
        self._snippets: dict[str, str] = {}
        self.set_count(len(rows))

    def _snippet(self, article_id: str, offset: int) -> str:
        if article_id not in self._snippets:
            text = self.text_of(article_id) or ""
            start = max(offset - SNIPPET, 0)
            piece = sanitize_line(" ".join(text[start : offset + SNIPPET].split()))
            self._snippets[article_id] = ("…" if start else "") + piece + "…"
        return self._snippets[article_id]

    def row_line(self, index: int, part: int) -> Content:
        article_id, count, offset = self.rows[index]
        if part == 0:  # the count first: a long title is cut at the edge, the count is not
            title = self.titles.get(article_id, article_id)
            return Content(f"×{count:<3} ").stylize(self.dim()) + Content(title).stylize(
                span_style(self, "rows--title")
            )
        return Content("  " + self._snippet(article_id, offset)).stylize(self.dim())

    COMPONENT_CLASSES: ClassVar[set[str]] = {*RowList.COMPONENT_CLASSES, "rows--title"}


class MentionsScreen(ModalScreen[MentionsChoice | None]):
    """Enter opens an article at its first mention; `s` filters the sidebar to them all."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Back", id="mentions.back"),
        Binding("s", "filter", "Filter sidebar", id="mentions.filter"),
    ]

    def __init__(
        self,
        name: str,
        rows: list[tuple[str, int, int]],
        titles: Mapping[str, str],
        text_of: Callable[[str], str | None],
    ) -> None:
        super().__init__()
        self.entity = name
        self.rows = rows
        self.titles = titles
        self.text_of = text_of

    def compose(self) -> ComposeResult:
        with Vertical(id="mentions"):
            count = len(self.rows)
            yield Static(
                Content.from_markup(
                    "[b]$name[/b] [dim]in $count article$s[/dim]",
                    name=self.entity,
                    count=f"{count:,}",
                    s="" if count == 1 else "s",
                )
            )
            yield _Articles(self.rows, self.titles, self.text_of)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        focus_now(self.query_one(_Articles))

    def on_row_list_chosen(self, event: RowList.Chosen) -> None:
        article_id, _count, offset = self.rows[event.index]
        self.dismiss(MentionsChoice(article_id, offset))

    def action_filter(self) -> None:
        self.dismiss(MentionsChoice(None, filter=tuple(r[0] for r in self.rows)))

    def action_cancel(self) -> None:
        self.dismiss(None)
