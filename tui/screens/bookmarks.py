"""The bookmarks list: the bookmarked articles, newest first; Enter goes back to one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer

from tui.sanitize import sanitize_line
from tui.screens.deletions import Deletions
from tui.screens.note_editor import one_line
from tui.store import Bookmark, Store
from tui.widgets.focus import focus_now
from tui.widgets.rows import RowList
from tui.widgets.span_style import span_style


def when(stamp: str) -> str:
    """A stored time (ISO 8601, UTC) as local ``YYYY-MM-DD HH:MM``; as stored if unreadable."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return one_line(stamp)


SNIPPET = 100
"""Characters of the text at a bookmark shown under its title (cut at the row's edge)."""


class BookmarkList(RowList):
    """Bookmarked articles, two lines each: the title, then when it was bookmarked and the
    words there (a date alone did not say where in the article)."""

    ROW_LINES = 2
    HELP = "Bookmarked articles. Up/Down or j/k move, Enter opens, d removes, u undoes."

    def __init__(
        self,
        titles: Mapping[str, str],
        text_of: Callable[[str], str | None] = lambda article_id: None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.titles = titles
        self.text_of = text_of
        self._words: dict[tuple[str, int], str] = {}
        self.shown: list[Bookmark] = []
        self.empty_text = "No bookmarks yet: press m in an article."

    def _words_at(self, mark: Bookmark) -> str:
        """The words at the bookmark, read when its row is first drawn."""
        key = (mark.article, mark.offset)
        if key not in self._words:
            text = self.text_of(mark.article) or ""
            end = mark.offset + SNIPPET
            piece = sanitize_line(" ".join(text[mark.offset : end].split()))
            more = "…" if end < len(text) else ""
            self._words[key] = f" · “{piece}{more}”" if piece else ""
        return self._words[key]

    def set_shown(self, shown: list[Bookmark], cursor: int | None = None) -> None:
        """Show these bookmarks; the cursor goes to row ``cursor`` (or stays, clamped)."""
        self.shown = shown
        self.set_count(len(shown), cursor)

    @property
    def highlighted(self) -> Bookmark | None:
        """The bookmark under the cursor."""
        return self.shown[self.cursor] if 0 <= self.cursor < len(self.shown) else None

    def row_line(self, index: int, part: int) -> Content:
        mark = self.shown[index]
        if part == 0:
            title = self.titles.get(mark.article, mark.article)
            return Content.styled(" " + one_line(title), span_style(self, "rows--title"))
        return Content.styled(f" {when(mark.updated)}{self._words_at(mark)}", self.dim())


class BookmarksScreen(ModalScreen[str | None]):
    """Lists bookmarks; dismissed with the chosen article id (Enter) or None (Escape).

    Its own footer lists its keys: without one, the reader's footer showed through,
    with keys that do nothing here."""

    HELP = "Bookmarked articles: Enter opens, d removes, u brings the last one back."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="bookmarks.close"),
        Binding("d", "delete", "Remove", id="bookmarks.delete"),
        Binding("u", "undo", "Undo", id="bookmarks.undo"),
    ]

    def __init__(
        self,
        store: Store,
        bookmarks: list[Bookmark],
        titles: Mapping[str, str],
        text_of: Callable[[str], str | None] = lambda article_id: None,
    ) -> None:
        super().__init__()
        self.store = store
        self.bookmarks = list(bookmarks)
        self.titles = titles
        self.text_of = text_of
        self.deletions = Deletions(store)

    def compose(self) -> ComposeResult:
        with Vertical(id="bookmarks"):
            yield BookmarkList(self.titles, self.text_of, id="bookmarks-list")
        yield Footer(show_command_palette=False)

    @property
    def bookmark_list(self) -> BookmarkList:
        return self.query_one(BookmarkList)

    def on_mount(self) -> None:
        self._refresh_rows()
        focus_now(self.bookmark_list)

    def _refresh_rows(self, keep: str | None = None) -> None:
        bookmark_list = self.bookmark_list
        shown = [b for b in self.bookmarks if b.id not in self.deletions.hidden]
        bookmark_list.border_title = f"Bookmarks ({len(shown):,})"
        cursor = next((i for i, b in enumerate(shown) if b.id == keep), None)
        bookmark_list.set_shown(shown, cursor)

    @on(RowList.Chosen, "#bookmarks-list")
    def _chosen(self, event: RowList.Chosen) -> None:
        event.stop()
        mark = self.bookmark_list.highlighted
        if mark is not None:
            self.dismiss(mark.article)

    def action_close(self) -> None:
        """Close the list, going nowhere."""
        self.dismiss(None)

    def action_delete(self) -> None:
        """Remove the bookmark under the cursor (``u`` undoes it)."""
        mark = self.bookmark_list.highlighted
        if mark is None:
            return
        failed = self.deletions.delete(mark.id)
        if failed is not None:
            self.notify(f"Not removed: {failed}", severity="error", markup=False)
            return
        self._refresh_rows()
        self.notify("Bookmark removed — u to undo", markup=False)

    def action_undo(self) -> None:
        """Bring back the last bookmark removed on this screen."""
        restored, failed = self.deletions.undo()
        if restored is None:
            self.notify(failed or "", severity="warning", markup=False)
            return
        self._refresh_rows(keep=restored)
        self.notify("Bookmark restored.", markup=False)
