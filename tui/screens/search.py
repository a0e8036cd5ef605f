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
from tui.widgets.ordered import OrderedInput, replay
from tui.widgets.rows import RowList
from tui.widgets.span_style import span_style


@dataclass(frozen=True)
class SearchChoice:
    """The hit the user opened."""

    article_id: str
    spans: list[tuple[int, int]]
    then: tuple[events.Key, ...] = ()
    """Keys typed after the Enter that opened it, in the same burst: for the article."""


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
HOLD_SECONDS = 2.0
"""How long keys typed after ↓ or Enter wait for the query's hits before being typed on."""


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
        self.ahead = False
        """↓ or Enter was typed before the hits of the query came: over SSH keys arrive in
        bursts, and 'tesla↓↓⏎' must open the second hit, not the first. The box keeps the
        keys after it (``OrderedInput.held``) until the hits come (``_play``)."""
        self.ahead_for = ""
        """The query ``ahead`` was typed after."""
        self._holds = 0
        """Counts the holds: a timer of an earlier one does not end a later one."""

    def compose(self) -> ComposeResult:
        yield OrderedInput(
            self.typed,
            placeholder='Search: words, "a phrase", -not, OR, title:, lang:, date:',
            id="search-input",
            hold_on_submit=True,
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
        self.typed = event.value
        if event.value.strip():
            self.run_query(event.value)
        else:
            self.query_one(HitList).set_hits([])
            self._status("Type to search.")

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self._to_hits(event.value)

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
        if self.ahead and result.query == self.ahead_for:
            self._play(hits)

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
        self._to_hits(self.query_one(OrderedInput).value)

    def _to_hits(self, typed: str) -> None:
        """↓ or Enter after ``typed``: to the hits, or later, once those of the query come.

        The query is the box's text as the key found it: in a burst, its changes are still
        on their way, and the keys after it are kept in the box (Enter's, by the box)."""
        hits = self.query_one(HitList)
        box = self.query_one(OrderedInput)
        answered = self.result is not None and self.result.query == typed
        if answered and hits.count:
            self._play(hits)
        elif typed.strip() and not self.ahead and not (answered and not self._pending):
            self.ahead, self.ahead_for = True, typed
            if box.held is None:
                box.held = []
            self._holds += 1
            hold = self._holds
            self.set_timer(HOLD_SECONDS, lambda: self._release(hold))
        elif not self.ahead:
            self._type_on()  # nothing to search, or no hits to come: the keys are typed on

    def _play(self, hits: HitList) -> None:
        """The keys typed after ↓ or Enter, as they would have acted once the hits came.

        With hits, ↓ or Enter went to them: the keys after it move the cursor and open,
        and the rest go to the article opened or the hits. Without, they are typed on."""
        if not hits.count:
            self._type_on()
            return
        keys = self._type_on(play=False)
        focus_now(hits)
        cursor = 0
        for n, key in enumerate(keys):
            if key.key == "enter":
                hit = hits.hits[cursor]
                self.dismiss(SearchChoice(hit.id, hit.spans, tuple(keys[n + 1 :])))
                return
            if key.key not in ("down", "up", "j", "k"):
                replay(self.app, keys[n:])
                break
            step = 1 if key.key in ("down", "j") else -1
            cursor = max(0, min(cursor + step, hits.count - 1))
        hits.cursor = cursor

    def _type_on(self, play: bool = True) -> list[events.Key]:
        """Stop keeping keys in the box; ``play``: type the kept ones into it, in order."""
        box = self.query_one(OrderedInput)
        keys, box.held, self.ahead = box.held or [], None, False
        for key in keys if play else ():
            box.post_message(key)
        return keys

    def _release(self, hold: int) -> None:
        """No answer for the query in time (a failed search): the kept keys are typed on."""
        if self.ahead and hold == self._holds and self.is_attached:
            self._type_on()

    @property
    def _pending(self) -> bool:
        """The last answer is to come again (the index was not open yet)."""
        return self.result is not None and self.result.pending

    def action_back(self) -> None:
        self.dismiss(None)
