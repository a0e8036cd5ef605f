"""Ctrl+P: jump to an article by its title, fzf-style, from the command palette.

Candidates come from ``Library.jump`` (the index first, rapidfuzz after), run
in a thread so typing never waits. Titles are shown as ``Content``: a title
is untrusted text and the palette would parse a plain str as markup.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import (
    CommandInput,
    CommandList,
    CommandPalette,
    DiscoveryHit,
    Hit,
    Hits,
    Provider,
    SearchIcon,
)
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Footer, Input, LoadingIndicator
from textual.worker import Worker, WorkerState

from tui.widgets.focus import focus_now
from tui.widgets.ordered import OrderedInput, replay

if TYPE_CHECKING:
    from tui.app import MarginApp

DISCOVER = 20
"""Titles offered before anything is typed."""


class TitleCommands(Provider):
    """Articles by title."""

    @property
    def margin(self) -> MarginApp:
        from tui.app import MarginApp

        app = self.app
        assert isinstance(app, MarginApp)
        return app

    async def discover(self) -> Hits:
        app = self.margin
        for entry in app.sidebar.entries[:DISCOVER]:
            yield DiscoveryHit(
                Content(entry.title), partial(app.read_article, entry.id), text=entry.title
            )

    async def search(self, query: str) -> Hits:
        app = self.margin
        matches = await asyncio.to_thread(app.library.jump, query)
        for article_id, title, score in matches:
            yield Hit(
                min(max(score / 100, 0.0), 1.0),
                Content(title),
                partial(app.read_article, article_id),
                text=title,
            )


SETTLE_SECONDS = 0.5
"""How long keys typed after Enter wait for the command it chose to close the palette;
after that they are typed on into the palette."""


class PaletteInput(CommandInput, OrderedInput):
    """The palette's box: Enter waits for the hits of what was typed before it.

    ``CommandInput`` first: Textual finds widgets by type (and styles them) along the first
    base alone."""

    async def _on_key(self, event: events.Key) -> None:
        palette = self.screen
        if (
            event.key == "enter"
            and self.held is None
            and isinstance(palette, Palette)
            and self.app.focused is self
        ):
            event.stop()
            event.prevent_default()
            self.held = []
            palette.choose_when_searched()
            return
        await super()._on_key(event)


class Palette(CommandPalette):
    """Textual's command palette, whose Enter acts on the hits of what was typed before it.

    Over SSH, 'Ctrl-P meta⏎ j' arrives at once: Enter came before the search of
    "meta" and chose among the hits of "met" (or none), and 'j' was typed into the
    palette. Here Enter waits for that search; the keys after it wait in the box
    and go, in order, to the article the command opened.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "escape", "Close", id="palette.close"),  # as every dialog says it
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._asked = ""
        """The text whose hits the palette is searching for (or has found)."""
        self._choosing = False

    def compose(self) -> ComposeResult:
        # Textual's own layout, with the box that waits.
        with Vertical(id="--container"):
            with Horizontal(id="--input"):
                yield SearchIcon()
                yield PaletteInput(placeholder=self._placeholder, select_on_focus=False)
                if not self.run_on_select:
                    yield Button("\u25b6")
            with Vertical(id="--results"):
                yield CommandList()
                yield LoadingIndicator()
        yield Footer(show_command_palette=False)  # its own keys, not the reader's under it

    def on_key(self, event: events.Key) -> None:
        """A key typed before the box had the focus ('Ctrl-P meta' in one burst)."""
        if self.focused is None:
            event.stop()
            box = self.query_one(PaletteInput)
            focus_now(box)
            box.post_message(events.Key(event.key, event.character))

    @on(Input.Changed)
    def _searching(self, event: Input.Changed) -> None:
        self._asked = event.value

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == self._GATHER_COMMANDS_GROUP:
            self._choose()

    def choose_when_searched(self) -> None:
        """Enter: choose once the hits of the text typed are all in."""
        self._choosing = True
        self._choose()

    def _choose(self) -> None:
        box = self.query_one(PaletteInput)
        running = (WorkerState.PENDING, WorkerState.RUNNING)
        searching = any(
            w.group == self._GATHER_COMMANDS_GROUP and w.state in running for w in self.workers
        )
        if not self._choosing or searching or self._asked != box.value:
            return
        self._choosing = False
        self._select_or_command()
        self.set_timer(SETTLE_SECONDS, self._type_on)

    def _type_on(self) -> None:
        """Nothing was chosen: the keys after Enter are typed into the box."""
        if self.is_attached and self.app.screen is self:
            box = self.query_one(PaletteInput)
            keys, box.held = box.held or [], None
            for key in keys:
                box.post_message(key)

    def dismiss(self, result: None = None) -> Any:
        """Closed: the keys typed after Enter go where they would have, after the command
        (queued next by the palette) has run."""
        box = self.query_one(PaletteInput)
        keys, box.held = box.held or [], None
        if keys:
            self.app.call_later(self.app.call_later, replay, self.app, keys)
        return super().dismiss(result)
