"""The one record every recognizer produces: a typed, named span of the text."""

from __future__ import annotations

from dataclasses import dataclass

TYPES: tuple[str, ...] = (
    "PERSON",
    "ORG",
    "PRODUCT",
    "PLACE",
    "MONEY",
    "DATE",
    "PERCENT",
    "QUANTITY",
    "MISC",
)
"""Every entity type, in the order the UI lists them."""

NAME_TYPES: frozenset[str] = frozenset({"PERSON", "ORG", "PRODUCT", "PLACE", "MISC"})
"""Types of proper names (the others are numeric expressions)."""


@dataclass(frozen=True, slots=True)
class Mention:
    """``text[start:end]`` names the entity ``name`` of type ``type``.

    Offsets are Python string indices into the text given to the recognizer.
    ``recognizer`` tells which step decided (``pattern``, ``name``,
    ``gazetteer``, ``link``, ``correction``...), for debugging and for
    the rule that later recognizers win.
    """

    start: int
    end: int
    type: str
    name: str
    recognizer: str
