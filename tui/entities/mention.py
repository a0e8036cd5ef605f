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

    def __init__(self, start: int, end: int, type: str, name: str, recognizer: str) -> None:
        # A frozen dataclass sets each field with object.__setattr__, which
        # looks the slot up on every call: the slots' own setters take half
        # the time, and a text makes a hundred mentions.
        _SET_START(self, start)
        _SET_END(self, end)
        _SET_TYPE(self, type)
        _SET_NAME(self, name)
        _SET_RECOGNIZER(self, recognizer)


_SET_START, _SET_END, _SET_TYPE, _SET_NAME, _SET_RECOGNIZER = (
    vars(Mention)[field].__set__ for field in ("start", "end", "type", "name", "recognizer")
)
