"""Files that ship with margin: the stylesheet and the bundled seeds.

In a wheel they live inside the package (``tui/styles``, ``tui/seeds``, see
pyproject's force-include); in a source checkout they sit beside ``tui/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def seeds_dir() -> Path:
    """The bundled corpus, opened when no PATH is given."""
    return _shipped("seeds")


def styles_dir() -> Path:
    """The folder of margin's .tcss files."""
    return _shipped("styles")
