"""The sidebar: the articles of the corpus, newest first, two lines each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol

from textual.content import Content

from tui.widgets.rows import RowList


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


class ArticleList(RowList):
    """Articles; Enter opens the one under the cursor. Unread titles are bold."""

    HELP = "The articles of the corpus. Up/Down or j/k move, Enter opens."

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *RowList.COMPONENT_CLASSES,
        "article-list--current",
        "article-list--unread",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[Entry] = []
        self.current: str | None = None
        self.empty_text = "Loading…"
        self._rows: dict[str, int] = {}
        self._read: set[str] = set()
        self._bookmarked: set[str] = set()
        self._annotated: set[str] = set()

    def set_entries(self, entries: Sequence[Entry]) -> None:
        """Replace the rows, keeping the cursor on the same article."""
        keep = self.entries[self.cursor].id if self.entries else None
        self.entries = list(entries)
        self._rows = {e.id: i for i, e in enumerate(self.entries)}
        self.border_title = f"Articles ({len(self.entries):,})"
        self.set_count(len(self.entries), self.index_of(keep) if keep else None)

    def set_marks(self, *, read: set[str], bookmarked: set[str], annotated: set[str]) -> None:
        """Which articles are read (unread ones are bold), bookmarked (★) or annotated (✎)."""
        self._read, self._bookmarked, self._annotated = read, bookmarked, annotated
        self.refresh()

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
                current = self.get_visual_style("article-list--current", partial=True)
                content = content.stylize(current, 1)
            if entry.id not in self._read:
                unread = self.get_visual_style("article-list--unread", partial=True)
                content = content.stylize(unread, 1)
            return content
        marks = ("★" if entry.id in self._bookmarked else "") + (
            "✎" if entry.id in self._annotated else ""
        )
        meta = " · ".join(x for x in (entry.date or "undated", entry.language, marks) if x)
        return Content(marker + meta).stylize(self.dim(), 1)
