"""The find bar: words in this article only, by the same rules as search."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import get_current_worker

from tui.search import find_in_text
from tui.widgets.focus import focus_now
from tui.widgets.later import RunsLater
from tui.widgets.ordered import OrderedInput


class FindBar(RunsLater, OrderedInput):
    """Type to light every match in the article; Enter keeps them, Escape clears them."""

    HELP = "Find in this article: words, prefixes, typos and phrases, as in search."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Clear", id="find.close"),
    ]

    class Found(Message):
        """The matches of the current text (``done`` when the bar closes)."""

        def __init__(self, spans: list[tuple[int, int]], done: bool) -> None:
            super().__init__()
            self.spans, self.done = spans, done

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="Find here: Enter keeps, Esc clears", id=id)
        self.text = ""
        self.spans: list[tuple[int, int]] = []
        self.display = False
        self.back_to: Widget = self

    def open(self, text: str, back_to: Widget) -> None:
        """Show the bar over ``text`` and take the keys; ``back_to`` has them when it closes."""
        self.text = text
        self.back_to = back_to
        self.display = True
        focus_now(self)
        if self.value:
            self._find(self.value)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._find(event.value)

    @work(thread=True, exclusive=True, group="find", description="find")
    def _find(self, query: str) -> None:
        spans = find_in_text(self.text, query) if query.strip() else []
        if not get_current_worker().is_cancelled:
            self.later(self._found, query, spans)

    def _found(self, query: str, spans: list[tuple[int, int]]) -> None:
        if query == self.value:
            self.spans = spans
            self.border_subtitle = "" if spans or not query.strip() else "no hit"
            self.post_message(self.Found(spans, done=False))

    def at(self, hit: int, count: int) -> None:
        """Say which hit the caret went to, of how many."""
        self.border_subtitle = f"hit {hit + 1} of {count}"

    async def action_submit(self) -> None:
        """Enter keeps the matches and gives the keys back before the next key is read:
        'tesla⏎nn' in one burst finds tesla, then n n go to its next hits."""
        self.display = False
        focus_now(self.back_to)
        self.post_message(self.Found(self.spans, done=True))

    def action_close(self) -> None:
        self.value = ""
        self.spans = []
        self.display = False
        focus_now(self.back_to)
        self.post_message(self.Found([], done=True))
