"""Search the corpus as you type: a thin view over ``tui.search.search``.

The query runs in an exclusive thread worker, so a newer keystroke
supersedes an older query and the UI never waits on the index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from tui.search import Hit, SearchResult
from tui.widgets.focus import focus_now
from tui.widgets.later import RunsLater
from tui.widgets.ordered import OrderedInput
from tui.widgets.rows import RowList
from tui.widgets.span_style import span_style


@dataclass(frozen=True)
class SearchChoice:
    """The hit the user opened."""

    article_id: str
    spans: list[tuple[int, int]]


class HitList(RowList):
    """Hits, three lines each: title, date and language, the snippet with its words lit."""

    ROW_LINES = 3

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: list[Hit] = []

    def set_hits(self, hits: list[Hit]) -> None:
        """Show these hits, the cursor on the first."""
        self.hits = hits
        self.set_count(len(hits), 0)
        self.scroll_to(y=0, animate=False)

    def row_line(self, index: int, part: int) -> Content:
        hit = self.hits[index]
        if part == 0:
            return Content(hit.title).stylize(span_style(self, "rows--title"))
        if part == 1:
            meta = " · ".join(x for x in (hit.date or "undated", hit.language, hit.id) if x)
            return Content("  " + meta).stylize(self.dim())
        snippet = Content("  " + hit.snippet)
        match = span_style(self, "rows--match")
        for start, end in hit.snippet_spans:
            snippet = snippet.stylize(match, start + 2, end + 2)
        return snippet

    COMPONENT_CLASSES: ClassVar[set[str]] = {*RowList.COMPONENT_CLASSES, "rows--title"}


RETRY_SECONDS = 1.0
"""How often a query asked before the index was ready runs again."""


class SearchScreen(RunsLater, Screen[SearchChoice | None]):
    """`/`: type to search every article; Enter opens a hit, Escape goes back."""

    HELP = (
        'All the words (most of them, if few match); "a phrase", -excluded, a OR b, title: '
        'source: lang:de date:2024-05 date:2024-01..2024-06 entity:"...". Typos are forgiven. '
        "? in the reader explains each."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="search.back"),
        # In the hit list, q leaves the search, as Escape does (it quit margin);
        # typed into the query box, it is a letter.
        Binding("q", "back", "Back", show=False, id="search.quit_list"),
        Binding("down", "to_hits", "Hits", show=False, id="search.to_hits"),
    ]

    def __init__(self, searcher: Callable[[str], SearchResult], typed: str = "") -> None:
        super().__init__()
        self.searcher = searcher
        self.typed = typed
        self.result: SearchResult | None = None
        self.ahead: list[str] = []
        """↓ and Enter typed before the hits of the query came, played when they come: over
        SSH keys arrive in bursts, and 'tesla↓↓⏎' must open the second hit, not the first."""
        self.ahead_for = ""
        """The query ``ahead`` was typed after: a change to another one drops them."""

    def compose(self) -> ComposeResult:
        yield OrderedInput(
            self.typed,
            placeholder='Search: words, "a phrase", -not, OR, title:, lang:, date:',
            id="search-input",
        )
        yield Static(id="search-status")
        yield HitList(id="hits")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        focus_now(self.query_one(Input))
        self._status("Type to search.")
        if self.typed:
            self.run_query(self.typed)

    def on_key(self, event: events.Key) -> None:
        """A letter typed before the query box had the focus (see ``pass_on_typed_ahead``)."""
        box = self.query_one(Input)
        if event.is_printable and event.character and self.focused in (None, box):
            event.stop()
            focus_now(box)
            box.insert_text_at_cursor(event.character)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        if event.value != event.input.value:
            return  # typed over in the same burst: the change to come is the query
        if event.value != self.ahead_for:
            self.ahead = []
        self.typed = event.value
        if event.value.strip():
            self.run_query(event.value)
        else:
            self.query_one(HitList).set_hits([])
            self._status("Type to search.")

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        self._to_hits("enter")

    @work(thread=True, exclusive=True, group="search", description="search")
    def run_query(self, query: str) -> None:
        """Search off the UI thread; a newer query makes this one's result moot."""
        result = self.searcher(query)
        if not get_current_worker().is_cancelled:
            self.later(self._show, result)

    def _show(self, result: SearchResult) -> None:
        if result.query != self.query_one(Input).value:
            return  # the query has changed since (``typed`` may not know it yet, in a burst)
        self.result = result
        hits = self.query_one(HitList)
        hits.set_hits(result.hits)
        if result.hits:
            count = len(result.hits)
            found = (
                f"The {count} best hits; more match"
                if result.more
                else (f"{count} hit{'s' if count != 1 else ''}")
            )
            self._status(f"{found}. Enter or ↓ to choose.")
        elif result.suggestions:
            self._status("No article matches. Did you mean: " + ", ".join(result.suggestions))
        else:
            self._status("No article matches.")
        if result.errors:
            self._status("; ".join(result.errors))
        if result.pending:  # asked again until the index opens, while the query stands
            self.set_timer(RETRY_SECONDS, lambda: self._again(result.query))
        if self.ahead and result.hits and result.query == self.ahead_for:
            keys, self.ahead = self.ahead, []
            self._play(keys, hits)

    def _again(self, query: str) -> None:
        if query == self.typed and self.is_attached:
            self.run_query(query)

    def _status(self, text: str) -> None:
        self.query_one("#search-status", Static).update(Content(text))

    def on_row_list_chosen(self, event: RowList.Chosen) -> None:
        hits = self.query_one(HitList).hits
        if event.index < len(hits):  # else chosen in hits that a newer query has replaced
            hit = hits[event.index]
            self.dismiss(SearchChoice(hit.id, hit.spans))

    def action_to_hits(self) -> None:
        self._to_hits("down")

    def _to_hits(self, key: str) -> None:
        """↓ or Enter in the query box: to the hits, or later, once those of the query come.

        The query is the box's text now: in a burst, its changes are still on their way."""
        hits = self.query_one(HitList)
        typed = self.query_one(Input).value
        if hits.count and self.result is not None and self.result.query == typed:
            focus_now(hits)
        elif typed.strip():
            self.ahead.append(key)
            self.ahead_for = typed

    def _play(self, keys: list[str], hits: HitList) -> None:
        """Keys typed ahead, as they would have acted: the first goes to the hits, then ↓
        moves down and Enter opens."""
        focus_now(hits)
        cursor = 0
        for key in keys[1:]:
            if key == "enter":
                self.dismiss(SearchChoice(hits.hits[cursor].id, hits.hits[cursor].spans))
                return
            cursor = min(cursor + 1, hits.count - 1)
        hits.cursor = cursor

    def action_back(self) -> None:
        self.dismiss(None)
