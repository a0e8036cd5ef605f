"""A small modal editor for a note's body: the quote above, the body below.

Ctrl+S saves (the screen's result is the new body), Escape cancels (None).
Tags are the ``#words`` of the body; the store reads them out on save.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from tui.sanitize import sanitize_line
from tui.widgets.focus import focus_now
from tui.widgets.ordered import OrderedTextArea, replay

QUOTE_CHARS = 400
"""The quote is shown up to this many characters (the CSS keeps it to a few lines)."""


def one_line(text: str, limit: int | None = None) -> str:
    """``text`` as one safe line: whitespace runs become one space, controls become marks."""
    flat = " ".join(text.split())
    if limit is not None and len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return sanitize_line(flat)


FOOT = "#words become tags"
"""Under the note: the footer says the keys (Ctrl+S saves, Escape cancels)."""
DISCARD = "Escape again throws this writing away · Ctrl+S saves it"


class NoteEditor(ModalScreen[str | None]):
    """Write or change the body of a note over ``quote``.

    Dismissed with the body (Ctrl+S) or None (Escape).
    """

    HELP = (
        "Write the note. #words become tags. Ctrl+S saves; Escape cancels "
        "(twice when it would throw writing away)."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        # Not a priority binding: Ctrl+S must wait for the keys typed before it.
        Binding("ctrl+s", "save", "Save", id="note_editor.save"),
        Binding("escape", "cancel", "Cancel", id="note_editor.cancel"),
    ]

    def __init__(self, quote: str, body: str = "") -> None:
        super().__init__()
        self.quote = quote
        self.body = body
        self._saving = False
        self._warned: str | None = None
        """The writing an Escape has warned about throwing away."""
        self._after: list[events.Key] = []
        """Keys typed after Ctrl+S: they go where they would have gone once the editor is
        closed (in a burst, 'note⌃S j' scrolls the article; the j landed in the note)."""

    @property
    def text_area(self) -> OrderedTextArea:
        return self.query_one("#note-body", OrderedTextArea)

    def compose(self) -> ComposeResult:
        with Vertical(id="note-editor"):
            yield Static(
                Content.from_markup("[b]$title[/b]", title="Note" if self.body else "New note"),
                classes="note-editor-title",
            )
            yield Static(
                Content.from_markup("[dim]“$quote”[/dim]", quote=one_line(self.quote, QUOTE_CHARS)),
                id="note-quote",
            )
            yield OrderedTextArea(
                self.body,
                id="note-body",
                soft_wrap=True,
                tab_behavior="focus",
                placeholder="Your note… (#words become tags)",
            )
            yield Static(Content(FOOT), id="note-editor-foot", classes="note-editor-foot")
        yield Footer(show_command_palette=False)  # the editor's keys, not the reader's under it

    def on_mount(self) -> None:
        area = self.text_area
        focus_now(area)
        area.move_cursor(area.document.end)

    def on_key(self, event: events.Key) -> None:
        """A letter typed before the body had the focus ('vwn' and the note in one burst)."""
        if self._saving:
            event.stop()
            self._after.append(events.Key(event.key, event.character))
        elif event.is_printable and event.character and self.focused is None:
            event.stop()
            area = self.text_area
            focus_now(area)
            area.insert(event.character)

    def action_save(self) -> None:
        """Close the editor with the body as written, once the keys typed before Ctrl+S are
        in it (in a burst they may still be on their way, or the body not drawn yet)."""
        if not self._saving:
            self._saving = True
            if self.query("#note-body"):
                self.text_area.held = self._after
            self.call_after_refresh(self.action_save)
            return
        if not self.query("#note-body"):
            self.call_after_refresh(self.action_save)
            return
        self.dismiss(self.text_area.text)
        replay(self.app, self._after)

    def action_cancel(self) -> None:
        """Close the editor, keeping nothing; once asked again, if there was writing to lose."""
        text = self.text_area.text
        if text.strip() and text != self.body and text != self._warned:
            self._warned = text
            self.query_one("#note-editor-foot", Static).update(Content(DISCARD))
            return
        self.dismiss(None)

    @on(TextArea.Changed, "#note-body")
    def _typed(self) -> None:
        """Writing again: the next Escape asks again. (A change typed before the Escape
        comes after it in a burst: the text is what tells.)"""
        if self._warned is not None and self.text_area.text != self._warned:
            self._warned = None
            self.query_one("#note-editor-foot", Static).update(Content(FOOT))
