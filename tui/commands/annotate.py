"""``notes``, ``note add``, ``bookmarks``, ``export``, ``import``: the user's work for scripts."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tui.annotations import AnnotationFormatError, export_text, import_file
from tui.commands import FAILED, OK, article_or_say, corpus_root
from tui.corpus import load_corpus
from tui.output import emit_json, error, line, say
from tui.paths import corpus_key, data_dir
from tui.store import FILENAME, ReadOnlyError, Store


def open_store(args: argparse.Namespace) -> Store:
    """The user's store; a problem with it is said once on stderr."""
    store = Store.open(data_dir(args.data_dir) / FILENAME)
    if store.problem:
        error(store.problem)
    return store


def cmd_notes(args: argparse.Namespace) -> int:
    """List the notes of a corpus, re-anchored on the current text."""
    root = corpus_root(args.path)
    corpus = load_corpus(root)
    by_id = {a.id: a for a in corpus.articles}

    def text_of(article_id: str) -> str | None:
        article = by_id.get(article_id)
        return article.text if article else None

    with open_store(args) as store:
        placed = store.placed_in_corpus(
            corpus_key(root), {a.id: a.hash for a in corpus.articles}, text_of
        )
    notes = [p for p in placed if p.annotation.kind == "note"]
    if args.json:
        emit_json({"notes": [p.as_json() for p in notes]})
    else:
        for p in notes:
            a = p.annotation
            say(line(a.id[:8], p.anchor.status, a.article, a.quote, a.body))
    return OK if notes else FAILED


def cmd_note_add(args: argparse.Namespace) -> int:
    """Attach a note to the first place an article says QUOTE."""
    root = corpus_root(args.path)
    article = article_or_say(root, args.id)
    if article is None:
        return FAILED
    start = article.text.find(args.quote) if args.quote else -1
    if start < 0:
        error(f"the quote is not in {args.id!r}: give words exactly as `margin show` prints them")
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


def cmd_bookmarks(args: argparse.Namespace) -> int:
    """List the bookmarked articles of a corpus."""
    root = corpus_root(args.path)
    with open_store(args) as store:
        marks = store.bookmarks(corpus_key(root))
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
    say(f"{result.added} added, {result.updated} updated, {result.skipped} already there")
    for problem in result.unreadable:
        error(f"{args.file}: {problem}")
    return OK
