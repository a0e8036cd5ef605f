"""``notes``, ``note add``, ``bookmarks``, ``export``, ``import``: the user's work for scripts."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from functools import partial
from pathlib import Path

from tui.annotations import AnnotationFormatError, export_text, import_file
from tui.commands import FAILED, OK, article_or_say, corpus_root
from tui.corpus import file_exists, load_corpus
from tui.index import hashes as index_hashes
from tui.index import renames
from tui.output import emit_json, error, line, say, wrap
from tui.paths import cache_dir, corpus_key, data_dir
from tui.store import FILENAME, Placed, ReadOnlyError, Store


def open_store(args: argparse.Namespace) -> Store:
    """The user's store; a problem with it is said once on stderr."""
    store = Store.open(data_dir(args.data_dir) / FILENAME)
    if store.problem:
        error(store.problem)
    return store


def follow_renames(
    store: Store, root: Path, args: argparse.Namespace, now: Mapping[str, str] | None = None
) -> None:
    """Notes, bookmarks and positions follow the files the index saw renamed, and the
    files moved in two steps (gone, then back under another name: found by hash).

    ``now`` is the corpus as ``{article id: content hash}``; default: the index's.
    """
    cache = cache_dir(args.data_dir) / "index"
    key = corpus_key(root)
    store.follow_renames(key, renames(root, cache))
    current = index_hashes(root, cache) if now is None else now
    if current:  # no index yet: every article would look gone
        store.follow_moves(key, current, partial(file_exists, root))


def cmd_notes(args: argparse.Namespace) -> int:
    """List the notes and highlights of a corpus, re-anchored on the current text."""
    root = corpus_root(args.path)
    corpus = load_corpus(root)
    by_id = {a.id: a for a in corpus.articles}

    def text_of(article_id: str) -> str | None:
        article = by_id.get(article_id)
        return article.text if article else None

    now = {a.id: a.hash for a in corpus.articles}
    with open_store(args) as store:
        follow_renames(store, root, args, now)
        placed = store.placed_in_corpus(corpus_key(root), now, text_of)
        said = bool(store.problem)
    if args.json:
        emit_json({"notes": [p.as_json() for p in placed]})
    else:
        for p in placed:
            say_note(p)
    if not placed and not said:  # a store problem, said already, is why there are none
        error(f"no notes or highlights in {root}")
    return OK if placed else FAILED


def say_note(placed: Placed) -> None:
    """One note or highlight in a few lines of 80 columns: what and where, then its words."""
    a = placed.annotation
    say(line(a.id[:8], a.kind, placed.anchor.status, a.article))
    for text, mark in ((a.quote, "> "), (a.body, "")):
        for row in (row for part in text.splitlines() for row in wrap(part, 80 - 6)):
            say(line(f"    {mark}{row}"))


def cmd_note_add(args: argparse.Namespace) -> int:
    """Attach a note to the first place an article says QUOTE."""
    root = corpus_root(args.path)
    article = article_or_say(root, args.id)
    if article is None:
        return FAILED
    start = _quote_start(article.text, args.quote, args.id)
    if start is None:
        return FAILED
    end = start + len(args.quote)
    with open_store(args) as store:
        if store.path is None:  # only in memory: the note would vanish on exit
            return FAILED
        try:
            note = store.add_note(corpus_key(root), article.id, article.text, start, end, args.body)
        except ReadOnlyError:
            error("the store is read-only: the note was not saved")
            return FAILED
    if args.json:
        emit_json({"id": note.id, "article": note.article, "start": note.start, "end": note.end})
    else:
        say(note.id)
    return OK


def _quote_start(text: str, quote: str, article_id: str) -> int | None:
    """Where the one place the article says ``quote`` starts; None (said on stderr) when
    the quote is empty, absent, or in several places (a note must not land on a guess)."""
    if not quote.strip():
        error("the quote is empty: give the words the note is about (--quote TEXT)")
        return None
    count = text.count(quote)
    if count == 0:
        error(
            f"the quote is not in {article_id!r}: give words exactly as `margin show` prints them"
        )
        return None
    if count > 1:
        error(
            f"the quote is in {article_id!r} {count} times: "
            "give a longer quote, one that the article says once"
        )
        return None
    return text.find(quote)


def cmd_bookmarks(args: argparse.Namespace) -> int:
    """List the bookmarked articles of a corpus."""
    root = corpus_root(args.path)
    with open_store(args) as store:
        follow_renames(store, root, args)
        marks = store.bookmarks(corpus_key(root))
        said = bool(store.problem)
    if args.json:
        emit_json(
            {
                "bookmarks": [
                    {"id": b.id, "article": b.article, "offset": b.offset, "created": b.created}
                    for b in marks
                ]
            }
        )
    else:
        for b in marks:
            say(line(b.article, str(b.offset), b.created))
    if not marks and not said:  # a store problem, said already, is why there are none
        error(f"no bookmarks in {root}")
    return OK if marks else FAILED


def cmd_export(args: argparse.Namespace) -> int:
    """Write every note, highlight and bookmark as Markdown or W3C Web Annotation JSON."""
    with open_store(args) as store:
        text = export_text(store, args.format)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            error(f"cannot write {args.output}: {exc.strerror or exc}")
            return FAILED
    elif args.format == "json":
        emit_json(json.loads(text))
    else:
        say(text)
    return OK


def cmd_import(args: argparse.Namespace) -> int:
    """Merge an exported JSON file back, without creating duplicates."""
    path = Path(args.file)
    if not path.is_file():
        error(f"no such file: {args.file}")
        return FAILED
    with open_store(args) as store:
        if store.path is None:  # only in memory: the import would vanish on exit
            return FAILED
        try:
            result = import_file(store, path)
        except AnnotationFormatError as exc:
            error(str(exc))
            return FAILED
        except ReadOnlyError:
            error("the store is read-only: nothing was imported")
            return FAILED
    counts = f"{result.added} added, {result.updated} updated, {result.skipped} already there"
    if result.duplicates:
        plural = "s" if result.duplicates > 1 else ""
        counts += f", {result.duplicates} duplicate{plural} in the file"
    say(counts)
    for problem in result.unreadable:
        error(f"{args.file}: {problem}")
    return OK
