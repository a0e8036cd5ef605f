"""Correct an entity from the keyboard: give a type, reject it, or merge it into another."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from tui.entities import REJECT, TYPES
from tui.widgets.focus import focus_now
from tui.widgets.ordered import OrderedInput
from tui.widgets.rows import RowList

_MEANING = {
    "PERSON": "a person",
    "ORG": "an organisation",
    "PRODUCT": "a product",
    "PLACE": "a place",
    "MONEY": "a sum of money",
    "DATE": "a date",
    "PERCENT": "a percentage",
    "QUANTITY": "a quantity",
    "MISC": "another kind of name",
}
"""What each type means, for the choices ("this is a org" said the type's code)."""


def meaning(kind: str) -> str:
    """'an organisation' for ORG: what a type means, in words."""
    return _MEANING.get(kind, kind.lower())


@dataclass(frozen=True)
class CorrectionRequest:
    """What the user decided about ``surface``: a type or REJECT, and a name to merge into."""

    surface: str
    type: str
    name: str | None = None


class _Choices(RowList):
    """The types, then "not an entity"."""

    ROW_LINES = 1

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter gives the type, it opens nothing (the lists' footer said "Open").
        Binding("enter", "choose", "Apply", id="correct.choose"),
    ]

    def __init__(self, labels: list[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels = labels
        self.set_count(len(labels))

    def row_line(self, index: int, part: int) -> Content:
        return Content(self.labels[index])


class _MergeBox(OrderedInput):
    """The name to merge into; Enter there applies too, and the footer says so."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Apply", id="correct.merge_apply"),
    ]


class CorrectScreen(ModalScreen[CorrectionRequest | None]):
    """Enter picks the type (merging into the name typed, if any); Escape cancels.

    Its own footer lists its keys: without one, the reader's footer showed through.
    Tab's description follows the focus, so the merge box is found from the types."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "go('merge')", "Merge into", id="correct.to_merge"),
        Binding("tab", "go('choices')", "Types", id="correct.to_types"),
        Binding("escape", "cancel", "Cancel", id="correct.cancel"),
    ]

    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]  # noqa: RUF012
    """Under 20 rows the choices give up rows to the merge box (styles/margin.tcss)."""

    def __init__(self, surface: str, current: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.surface = surface
        self.current = current
        self.choices = [*TYPES, REJECT]

    def compose(self) -> ComposeResult:
        with Vertical(id="correct"):
            yield Static(Content.from_markup("[b]Entity:[/b] $surface", surface=self.surface))
            if self.current:
                kind, name = self.current
                yield Static(
                    Content.from_markup("[dim]now $kind: $name[/dim]", kind=kind, name=name)
                )
            labels = [f"{t.title():<9} this is {meaning(t)}" for t in TYPES]
            labels.append("Reject    not an entity")
            yield _Choices(labels, id="choices")
            yield _MergeBox(
                placeholder="Merge into (optional): the entity's full name",
                id="merge",
            )
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        choices = self.query_one(_Choices)
        if self.current and self.current[0] in TYPES:
            choices.cursor = TYPES.index(self.current[0])
        focus_now(choices)

    def on_row_list_chosen(self, event: RowList.Chosen) -> None:
        self._decide(event.index)

    @on(Input.Submitted, "#merge")
    def _merge(self, event: Input.Submitted) -> None:
        # The name as it was at Enter: keys typed after it in a burst reach the box too.
        self._decide(self.query_one(_Choices).cursor, event.value)

    def _decide(self, index: int, typed: str | None = None) -> None:
        kind = self.choices[index]
        merge = typed if typed is not None else self.query_one("#merge", Input).value
        name = merge.strip() or None
        self.dismiss(CorrectionRequest(self.surface, kind, None if kind == REJECT else name))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Two bindings of Tab, one at a time: the one to where the focus is not.
        if action == "go" and parameters:
            return self.focused is None or self.focused.id != parameters[0]
        return True

    def action_go(self, where: str) -> None:
        """Tab: to the merge box from the types, and back."""
        focus_now(self.query_one(f"#{where}"))

    def action_cancel(self) -> None:
        self.dismiss(None)
