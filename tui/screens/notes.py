"""The notes screen: every note and highlight of the corpus, filtered as you type.

An ``Input`` on top narrows the list (:class:`tui.store.NoteFilter` over the
quote, body and ``#tags``); below it a virtual list draws only the rows on
screen (no widget per note: 10,000 notes stay instant). Enter jumps to the
note, ``e`` edits it, ``d`` deletes it (soft: ``u`` brings it back).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content, Span
from textual.screen import Screen
from textual.widgets import Footer, Input

from tui.anchor import Status
from tui.screens.deletions import Deletions
from tui.screens.note_editor import NoteEditor, one_line
from tui.store import Annotation, NoteFilter, Placed, ReadOnlyError, Store
from tui.widgets.focus import focus_now
from tui.widgets.ordered import OrderedInput
from tui.widgets.rows import RowList
from tui.widgets.span_style import span_style


@dataclass(frozen=True, slots=True)
class NotesResult:
    """What the notes screen was closed with: the note to jump to.

    ``start``/``end`` are where the note sits in the article's current text;
    for an ``orphaned`` note they are its old offsets (a place to mention,
    not to draw).
    """

    kind: Literal["open"]
    annotation_id: str
    article: str
    start: int
    end: int
    status: Status = "anchored"


_TAG = re.compile(r"(?<![\w#])#\w[\w-]*")
"""A ``#tag`` in a body (as :func:`tui.store.parse_tags` reads them), to draw it apart."""

_BADGES: dict[Status, str] = {"anchored": "", "moved": "↔ moved", "orphaned": "⚠ ORPHANED"}


def kinds_label(annotations: Sequence[Annotation]) -> str:
    """'1 note and 2 highlights': the list holds both ('3 notes' counted highlights too)."""
    highlights = sum(a.kind == "highlight" for a in annotations)
    counts = ((len(annotations) - highlights, "note"), (highlights, "highlight"))
    parts = [f"{n:,} {kind}{'' if n == 1 else 's'}" for n, kind in counts if n]
    return " and ".join(parts) or "0 notes"


class NoteList(RowList):
    """Notes and highlights, three lines each: article, quote, body and tags."""

    ROW_LINES = 3
    HELP = (
        "Notes and highlights of the corpus. Up/Down or j/k move, Enter jumps to the note, "
        "e edits, d deletes, u undoes the delete, / goes back to the filter."
    )

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *RowList.COMPONENT_CLASSES,
        "note-list--quote",
        "note-list--tag",
        "note-list--alert",
    }

    def __init__(self, titles: Mapping[str, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.titles = titles
        self.shown: list[Placed] = []

    def set_shown(self, shown: list[Placed], cursor: int | None = None) -> None:
        """Show these notes; the cursor goes to row ``cursor`` (or stays, clamped)."""
        self.shown = shown
        self.set_count(len(shown), cursor)

    @property
    def highlighted(self) -> Placed | None:
        """The note under the cursor."""
        return self.shown[self.cursor] if 0 <= self.cursor < len(self.shown) else None

    def row_line(self, index: int, part: int, width: int | None = None) -> Content:
        """Line ``part`` of note ``index``, for ``width`` cells (by default the list's own)."""
        if width is None:
            width = self.row_width
        placed = self.shown[index]
        note = placed.annotation
        if part == 0:
            status = placed.anchor.status
            badge = _BADGES[status]
            title = Content.styled(
                " " + one_line(self.titles.get(note.article, note.article)),
                span_style(self, "rows--title"),
            )
            if not badge:
                return title
            room = max(width - len(badge) - 2, 1)
            badge_style = span_style(
                self, "note-list--alert" if status == "orphaned" else "rows--dim"
            )
            return title.truncate(room, ellipsis=True) + Content.styled("  " + badge, badge_style)
        if part == 1:
            return Content.styled(
                f"   “{one_line(note.quote, 4 * width)}”",
                span_style(self, "note-list--quote"),
            )
        if note.kind == "highlight":
            return Content.styled("   highlight", self.dim())
        if not note.body.strip():
            return Content.styled("   (no text)", self.dim())
        body = "   " + one_line(note.body, 4 * width)
        tag = span_style(self, "note-list--tag")
        return Content(body, [Span(m.start(), m.end(), tag) for m in _TAG.finditer(body)])


class ArticleNoteList(NoteList):
    """The notes of the article being read, in the left pane (A)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # q too, as on every other list that is not the articles: it must not quit margin.
        Binding("escape,q", "app.articles", "Back", id="article_notes.back"),
    ]


class NotesScreen(Screen[NotesResult | None]):
    """All notes and highlights; type to filter, Enter to jump, e/d/u to edit, delete, undo.

    Dismissed with a :class:`NotesResult` (Enter) or None (Escape).
    """

    HELP = "Type to filter notes by quote, text or #tag; Tab moves between filter and list."

    BINDINGS: ClassVar[list[BindingType]] = [
        # q too (when the list has focus), as on margin's other screens: it must
        # close this screen, not quit the app under it.
        Binding("escape,q", "close", "Close", id="notes.close"),
        # The list has its own up/down; these move it while the filter has focus.
        Binding("down", "move(1)", "Next", show=False, id="notes.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="notes.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="notes.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="notes.page_up"),
        # Letters reach the screen only when the list has focus (the filter
        # consumes printable keys), so typing "d" in the filter never deletes.
        Binding("e", "edit", "Edit", id="notes.edit"),
        Binding("d", "delete", "Delete", id="notes.delete"),
        Binding("u", "undo", "Undo", id="notes.undo"),
        Binding("slash", "filter", "Filter", key_display="/", id="notes.filter"),
    ]

    def __init__(self, store: Store, items: list[Placed], titles: Mapping[str, str]) -> None:
        super().__init__()
        self.store = store
        self.items = list(items)
        self.titles = titles
        self._filter = NoteFilter([p.annotation for p in self.items])
        self.deletions = Deletions(store)

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="notes"):
            yield OrderedInput(placeholder="Filter: words, #tags", id="notes-filter")
            yield NoteList(self.titles, id="notes-list")
        yield Footer(show_command_palette=False)

    @property
    def note_list(self) -> NoteList:
        return self.query_one(NoteList)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#notes-filter", Input)

    def on_mount(self) -> None:
        self._refilter()
        focus_now(self.filter_input)

    # -- filtering -----------------------------------------------------------

    def _refilter(self, keep: str | None = None) -> None:
        """Show the items matching the filter; the cursor stays on ``keep`` (an
        annotation id) or on the note it was on, if still shown."""
        note_list = self.note_list
        if keep is None and note_list.highlighted is not None:
            keep = note_list.highlighted.annotation.id
        query = self.filter_input.value
        items, deleted = self.items, self.deletions.hidden
        if deleted:
            shown = [
                items[i]
                for i in self._filter.indices(query)
                if items[i].annotation.id not in deleted
            ]
        else:
            shown = [items[i] for i in self._filter.indices(query)]
        cursor = None
        if keep is not None:
            cursor = next((i for i, p in enumerate(shown) if p.annotation.id == keep), None)
        noun = kinds_label([p.annotation for p in self.items if p.annotation.id not in deleted])
        if query.strip():
            note_list.border_title = f"{len(shown):,} of {noun}"
            note_list.empty_text = f"No note matches “{one_line(query)}”."
        else:
            note_list.border_title = noun
            note_list.empty_text = "No notes yet: select text in an article and press n."
        note_list.set_shown(shown, cursor)

    @on(Input.Changed, "#notes-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.note_list.set_shown([], 0)  # a new query starts at the top
        self._refilter()

    @on(Input.Submitted, "#notes-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._open(self.note_list.highlighted)

    @on(RowList.Chosen, "#notes-list")
    def _chosen(self, event: RowList.Chosen) -> None:
        event.stop()
        self._open(self.note_list.highlighted)

    # -- actions -------------------------------------------------------------

    def _open(self, placed: Placed | None) -> None:
        if placed is None:
            return
        a = placed.annotation
        self.dismiss(
            NotesResult(
                "open",
                a.id,
                a.article,
                placed.anchor.start,
                placed.anchor.end,
                placed.anchor.status,
            )
        )

    def action_close(self) -> None:
        """Close the screen, going nowhere."""
        self.dismiss(None)

    def action_move(self, step: int) -> None:
        """Move the list's cursor; ↓ from the filter goes to the list (e, d act there), as
        ↓ from the query box goes to the hits."""
        if step > 0 and self.focused is self.filter_input and self.note_list.count:
            focus_now(self.note_list)
            return
        self.note_list.action_cursor(step)

    def action_page(self, direction: int) -> None:
        """Move the list's cursor a screenful."""
        self.note_list.action_page(direction)

    def action_filter(self) -> None:
        """Put the focus back in the filter."""
        focus_now(self.filter_input)

    def action_edit(self) -> None:
        """Edit the body of the note under the cursor."""
        placed = self.note_list.highlighted
        if placed is None:
            return
        note = placed.annotation
        if note.kind != "note":
            self.notify("A highlight has no text to edit.", markup=False)
            return

        def saved(body: str | None) -> None:
            if body is None or body == note.body:
                return
            try:
                updated = self.store.update_note(note.id, body)
            except (ReadOnlyError, KeyError) as exc:
                self.notify(f"Not saved: {exc}", severity="error", markup=False)
                return
            index = next(i for i, p in enumerate(self.items) if p.annotation.id == note.id)
            self.items[index] = Placed(updated, placed.anchor)
            # The body (and so the tags) changed: the filter's text must too.
            self._filter = NoteFilter([p.annotation for p in self.items])
            self._refilter(keep=note.id)
            self.notify("Note saved.", markup=False)

        self.app.push_screen(NoteEditor(note.quote, note.body), saved)

    def action_delete(self) -> None:
        """Delete the note under the cursor (``u`` undoes it)."""
        placed = self.note_list.highlighted
        if placed is None:
            return
        note = placed.annotation
        failed = self.deletions.delete(note.id)
        if failed is not None:
            self.notify(f"Not deleted: {failed}", severity="error", markup=False)
            return
        self._refilter()
        what = "Note" if note.kind == "note" else "Highlight"
        self.notify(f"{what} deleted — u to undo", markup=False)

    def action_undo(self) -> None:
        """Bring back the last note deleted on this screen."""
        restored, failed = self.deletions.undo()
        if restored is None:
            self.notify(failed or "", severity="warning", markup=False)
            return
        self._refilter(keep=restored)
        self.notify("Restored.", markup=False)

    @property
    def rows(self) -> Sequence[Placed]:
        """The notes shown now, in order (for tests and the app)."""
        return self.note_list.shown
