"""``margin entities``: the people, companies, places... of a corpus, for scripts."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.commands import FAILED, OK, UsageError, corpus_root, ner_of
from tui.output import emit_json, error, line, say
from tui.paths import cache_dir, data_dir, gazetteer_file

if TYPE_CHECKING:
    # The recognizer is imported by the commands that use it, not by every `margin`.
    from tui.entities import Entity, Gazetteer


def user_corrections(data_dir_override: Path | None) -> list[tuple[str, str, str | None]]:
    """The user's entity corrections: (surface, type or REJECT, name to merge into).

    Read only when the store exists: a read-only command never creates it.
    A store that cannot be read gives none (its problem is said on stderr).
    """
    from tui.store import FILENAME, Store

    path = data_dir(data_dir_override) / FILENAME
    if not path.is_file():
        return []
    store = Store.open(path)
    try:
        if store.problem:
            error(store.problem)
        return [(c.surface, c.type.upper(), c.name) for c in store.corrections()]
    finally:
        store.close()


def user_gazetteer(data_dir_override: Path | None) -> Gazetteer:
    """The package gazetteer plus the user's file (if any) and corrections."""
    from tui.entities import corrected

    return corrected(user_corrections(data_dir_override), gazetteer_file())


def entity_json(e: Entity) -> dict[str, Any]:
    """One entity as ``entities --json`` prints it: counts, not lists of ids."""
    return {
        "name": e.name,
        "type": e.type,
        "aliases": list(e.aliases),
        "mentions": e.mentions,
        "articles": len(e.articles),
    }


def cmd_entities(args: argparse.Namespace) -> int:
    """List the entities of a corpus, or of one article (index and mentions refreshed first)."""
    from tui.entities import TYPES

    kind = args.type.upper() if args.type else None
    if kind is not None and kind not in TYPES:
        raise UsageError(f"unknown type {args.type!r}: one of {', '.join(TYPES)}")
    root = corpus_root(args.path)
    ner = ner_of(args.ner)
    from tui.commands.find import open_built
    from tui.mentions import MentionsUnavailable, open_mentions, update_mentions

    index, _ = open_built(root, args.data_dir, quiet=True)
    try:
        if args.article is not None and index.article(args.article) is None:
            error(f"no article {args.article!r} in {root} (see `margin list`)")
            return FAILED
        update_mentions(index, user_gazetteer(args.data_dir), ner=ner)
    finally:
        index.close()
    try:
        stored = open_mentions(root, cache_dir(args.data_dir) / "index")
    except MentionsUnavailable as exc:
        error(str(exc))
        return FAILED
    try:
        entities = stored.entities(kind, args.article)
    finally:
        stored.close()
    if args.json:
        emit_json({"entities": [entity_json(e) for e in entities]})
    elif entities:
        # With --article, mentions are those of that article; articles are the corpus's.
        mentions = "MENTIONS HERE" if args.article else "MENTIONS"
        say(line("TYPE", "NAME", mentions, "ARTICLES", "ALIASES"))
        for e in entities:
            say(line(e.type, e.name, str(e.mentions), str(len(e.articles)), " | ".join(e.aliases)))
    if not entities:
        where = f" in {args.article!r}" if args.article else ""
        error(f"no entities{where}")
    return OK if entities else FAILED
