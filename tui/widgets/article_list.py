"""The sidebar: the articles of the corpus, newest first, two lines each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar, Protocol

from textual.binding import Binding, BindingType
from textual.content import Content

from tui.sanitize import sanitize_line
from tui.widgets.rows import RowList
from tui.widgets.span_style import span_style


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
    @property
    def hash(self) -> str: ...


class ArticleList(RowList):
    """Articles; Enter opens the one under the cursor. Unread titles are bold.

    A filter (the articles that mention an entity) narrows the rows until Escape.
    """

    HELP = "The articles of the corpus. Up/Down or j/k move, Enter opens, Escape shows all."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "show_all", "Show all", id="article_list.show_all"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *RowList.COMPONENT_CLASSES,
        "article-list--current",
        "article-list--unread",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[Entry] = []
        """The rows shown: every article, or those the filter keeps."""
        self.every: list[Entry] = []
        self.filter: tuple[str, frozenset[str]] | None = None
        """(what it is, the article ids it keeps), or None for every article."""
        self.current: str | None = None
        self.empty_text = "Loading…"
        self._rows: dict[str, int] = {}
        self._every_rows: dict[str, int] | None = None
        self._total: int | None = None
        self._read: set[str] = set()
        self._bookmarked: set[str] = set()
        self._annotated: set[str] = set()

    def set_entries(self, entries: Sequence[Entry], total: int | None = None) -> None:
        """Replace the articles, keeping the filter and the cursor on the same article.

        ``total``: the corpus has that many, of which ``entries`` are the first
        (the rest are on their way).
        """
        self.every = list(entries)
        self._every_rows = None
        self._total = total
        self._show()

    def set_filter(self, label: str, ids: Iterable[str]) -> None:
        """Show only the articles ``ids``; the title says ``label`` until Escape."""
        self.filter = (label, frozenset(ids))
        self._show()

    def action_show_all(self) -> None:
        """Drop the filter: every article again."""
        if self.filter is not None:
            self.filter = None
            self._show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_all":
            return self.filter is not None
        return super().check_action(action, parameters)

    def _show(self) -> None:
        keep = self.entries[self.cursor].id if self.entries else None
        if self.filter is None:
            self.entries = self.every
            self.border_title = f"Articles ({self._total or len(self.every):,})"
        else:
            label, ids = self.filter
            self.entries = [e for e in self.every if e.id in ids]
            # Content, not a str: a name from a file is never read as markup.
            self.border_title = Content(
                f"Articles ({len(self.entries):,} of {len(self.every):,}) · {sanitize_line(label)}"
            )
        self._rows = {e.id: i for i, e in enumerate(self.entries)}
        self.set_count(len(self.entries), self.index_of(keep) if keep else None)
        self.refresh_bindings()

    def set_marks(self, *, read: set[str], bookmarked: set[str], annotated: set[str]) -> None:
        """Which articles are read (unread ones are bold), bookmarked (★) or annotated (✎)."""
        self._read, self._bookmarked, self._annotated = read, bookmarked, annotated
        self.refresh()

    def entry(self, article_id: str) -> Entry | None:
        """The article ``article_id`` whether the filter shows it or not."""
        if self._every_rows is None:
            self._every_rows = {e.id: i for i, e in enumerate(self.every)}
        row = self._every_rows.get(article_id)
        return None if row is None else self.every[row]

    def index_of(self, article_id: str) -> int | None:
        """Row of ``article_id``, if listed."""
        return self._rows.get(article_id)

    @property
    def highlighted(self) -> Entry | None:
        """The entry under the cursor."""
        return self.entries[self.cursor] if 0 <= self.cursor < len(self.entries) else None

    def row_line(self, index: int, part: int) -> Content:
        entry = self.entries[index]
        marker = "▌" if entry.id == self.current else " "
        if part == 0:
            content = Content(marker + entry.title)
            if entry.id == self.current:
                current = span_style(self, "article-list--current")
                content = content.stylize(current, 1)
            if entry.id not in self._read:
                unread = span_style(self, "article-list--unread")
                content = content.stylize(unread, 1)
            return content
        marks = ("★" if entry.id in self._bookmarked else "") + (
            "✎" if entry.id in self._annotated else ""
        )
        meta = " · ".join(x for x in (entry.date or "undated", entry.language, marks) if x)
        return Content(marker + meta).stylize(self.dim(), 1)
