"""The subcommands of ``margin``: plain functions over the core, no Textual.

Each handler takes the parsed arguments and returns an exit code; the
parser in ``tui.cli`` registers them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.output import error
from tui.resources import seeds_dir

if TYPE_CHECKING:
    from tui.entities.statistical import SpacyNer
    from tui.model import Article

OK, FAILED, USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments: reported on one line, exit 2."""


def corpus_root(value: str | None) -> Path:
    """The corpus a command works on: PATH, or the bundled seeds."""
    root = Path(value) if value else seeds_dir()
    if not root.exists():
        raise UsageError(f"no such file or folder: {value}")
    return root


def article_or_say(root: Path, article_id: str) -> Article | None:
    """The article ``article_id`` of ``root``; when there is none, say so on stderr."""
    from tui.corpus import load_article  # not at import: every command would pay for it

    article = load_article(root, article_id)
    if article is None:
        error(f"no article {article_id!r} in {root} (see `margin list`)")
    return article


def ner_of(spec: str | None) -> SpacyNer | None:
    """The recognizer ``--ner`` asks for, loaded now so that a missing one is said at once."""
    if not spec:
        return None
    from tui.entities.statistical import NerUnavailable, load_ner

    try:
        return load_ner(spec)
    except NerUnavailable as exc:
        raise UsageError(str(exc)) from exc
