"""The subcommands of ``margin``: plain functions over the core, no Textual.

Each handler takes the parsed arguments and returns an exit code; the
parser in ``tui.cli`` registers them.
"""

from __future__ import annotations

import stat
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
    try:
        mode = root.stat().st_mode
    except OSError as exc:
        if root.is_symlink():
            raise UsageError(f"a symbolic link that leads nowhere or in a loop: {value}") from exc
        raise UsageError(f"no such file or folder: {value}") from exc
    if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
        raise UsageError(f"not a folder or a file of articles (a pipe, device or socket): {value}")
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
