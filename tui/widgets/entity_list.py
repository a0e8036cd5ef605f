"""The entity panel: the open article's entities by type, with their counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content

from tui.entities import TYPES, Mention
from tui.widgets.rows import RowList
from tui.widgets.span_style import span_style

LABEL = max(map(len, TYPES)) + 1
"""The type column: QUANTITY whole (it was cut to QUANTI)."""


@dataclass(frozen=True)
class EntityRow:
    """One entity of the article: how often it is mentioned and where first."""

    type: str
    name: str
    count: int
    first: int


def entity_rows(mentions: Sequence[Mention]) -> list[EntityRow]:
    """Group mentions into entities: by type (in ``TYPES`` order), then most mentioned."""
    counts: Counter[tuple[str, str]] = Counter((m.type, m.name) for m in mentions)
    first: dict[tuple[str, str], int] = {}
    for m in mentions:
        first.setdefault((m.type, m.name), m.start)
    order = {t: i for i, t in enumerate(TYPES)}
    keys = sorted(counts, key=lambda k: (order.get(k[0], len(order)), -counts[k], k[1].casefold()))
    return [EntityRow(t, name, counts[(t, name)], first[(t, name)]) for t, name in keys]


class EntityList(RowList):
    """Entities of the article; Enter lists every article that mentions the one chosen."""

    HELP = "The article's entities by type. Enter: every article that mentions it."
    ROW_LINES = 1
    BINDINGS: ClassVar[list[BindingType]] = [
        # q too, as on every other list that is not the articles: it must not quit margin.
        Binding("escape,q", "app.articles", "Back", id="entities.back"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *RowList.COMPONENT_CLASSES,
        *(f"reader--{t.lower()}" for t in TYPES),
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[EntityRow] = []
        self.empty_text = "No entities found."

    def set_mentions(self, mentions: Sequence[Mention]) -> None:
        """Show the entities of these mentions."""
        self.rows = entity_rows(mentions)
        self.border_title = f"Entities ({len(self.rows)})"
        self.set_count(len(self.rows), 0)

    def row_line(self, index: int, part: int) -> Content:
        row = self.rows[index]
        style = span_style(self, f"reader--{row.type.lower()}")
        label = Content(f"{row.type:<{LABEL}}").stylize(self.dim())
        return (
            label + Content(row.name).stylize(style) + Content(f" ×{row.count}").stylize(self.dim())
        )
