"""``margin index`` and ``margin search``: the full-text index for scripts."""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from tui.commands import FAILED, OK, UsageError, corpus_root
from tui.index import BuildSummary, Index, IndexUnavailable, ensure_index
from tui.output import emit_json, error, line, say
from tui.paths import cache_dir
from tui.query import NEEDS_VALUE, parse
from tui.search import EntityLookup, SearchResult, search


class Progress:
    """Progress on stderr: one line rewritten on a terminal, a line every few seconds otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not total:
            return  # (0, 0): nothing to read
        now = time.monotonic()
        if now - self.last < (0.2 if self.tty else 5.0) and done != total:
            return
        self.last = now
        text = f"indexing {done:,}/{total:,} files"
        sys.stderr.write(("\r" + text + "\033[K") if self.tty else text + "\n")
        sys.stderr.flush()

    def finish(self) -> None:
        if self.tty and self.last:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _waiting(pid: int | None) -> None:
    """Another process builds this index: say so on stderr, rather than seem to hang."""
    holder = f" (pid {pid})" if pid else ""
    sys.stderr.write(f"waiting for another build of this index{holder} to finish\n")
    sys.stderr.flush()


def open_built(
    root: Path, data_dir: Path | None, *, quiet: bool, quick: bool = False
) -> tuple[Index, BuildSummary]:
    """Build or refresh the index of ``root``, then open it (``quick``: see ``ensure_index``)."""
    progress = None if quiet else Progress()
    try:
        index, summary = ensure_index(
            root,
            cache_dir(data_dir) / "index",
            progress,
            quick=quick,
            waiting=_waiting,
        )
    finally:
        if progress is not None:
            progress.finish()
    if summary.unwritable:
        error(
            f"the index cannot be written ({summary.unwritable}): it is used as it was last built"
        )
    return index, summary


def cmd_index(args: argparse.Namespace) -> int:
    """Build or refresh the search index of a corpus (progress on stderr)."""
    root = corpus_root(args.path)
    index, summary = open_built(root, args.data_dir, quiet=False)
    index.close()
    if summary.unwritable:
        return FAILED
    say(
        f"{summary.added} added, {summary.changed} changed, {summary.removed} removed, "
        f"{summary.renamed} renamed, {summary.skipped} skipped in {summary.seconds:.1f} s"
    )
    return OK


def cmd_search(args: argparse.Namespace) -> int:
    """Search the articles of a corpus (the index is built or refreshed first)."""
    if not args.query.strip():
        raise UsageError("the query is empty")
    parsed = parse(args.query)
    if empty := next((e for e in parsed.errors if NEEDS_VALUE in e), None):
        raise UsageError(empty)  # the reader says it and waits for the value; a script stops
    _check_languages((*parsed.languages, *parsed.excluded_languages))
    if parsed.empty:
        raise UsageError("; ".join(parsed.errors) or parsed.nothing())
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    root = corpus_root(args.path)
    entities = _entities(root, args.data_dir, args.query)
    # On a large corpus, files added, removed or renamed are seen from the folders'
    # mtimes alone (a stat of every file costs more than the search); an edit in place
    # is seen when it touches a hit, and the search runs again on a refreshed index.
    # A store found damaged is marked so; the build then starts it again, once.
    index, _ = open_built(root, args.data_dir, quiet=True, quick=True)
    try:
        try:
            result = search(index, args.query, args.limit, entities)
            for hit in result.hits:
                hit.spans  # noqa: B018 (read now: a text found damaged marks the index)
            damaged = index.found_damaged
        except IndexUnavailable:
            damaged = True
        if damaged:
            error("the index is damaged: building it again")  # a whole build: show progress
        stale = damaged or index.changed([h.id for h in result.hits])
        if stale:
            index.close()
            index, _ = open_built(root, args.data_dir, quiet=not damaged)
            result = search(index, args.query, args.limit, entities)
        _report(result, as_json=args.json)  # spans are read from the index: keep it open
    finally:
        index.close()
    return OK if result.hits else FAILED


def _check_languages(codes: Sequence[str]) -> None:
    """``lang:german`` matches no article (they are tagged ``de``): say what lang: takes."""
    for code in codes:
        if not re.fullmatch("[a-z]{2,3}", code):
            # Not at import: the header rules' regexes cost every `margin search` 40 ms.
            from tui.headers import normalize_language

            known = normalize_language(code)
            hint = f": lang:{known}" if known else ""
            raise UsageError(f"lang: takes a language code such as de, not {code!r}{hint}")


def _entities(root: Path, data_dir: Path | None, query: str) -> EntityLookup | None:
    """What ``entity:`` filters read: the stored mentions, opened only when the query has one."""
    parsed = parse(query)
    if not (parsed.entities or parsed.excluded_entities):
        return None
    from tui.library import entity_lookup
    from tui.mentions import MentionsUnavailable, open_mentions

    try:
        return entity_lookup(open_mentions(root, cache_dir(data_dir) / "index"))
    except (MentionsUnavailable, OSError):
        return None


def _report(result: SearchResult, *, as_json: bool) -> None:
    for problem in result.errors:
        error(problem)
    if as_json:
        emit_json(
            {
                "query": result.query,
                "hits": [
                    {
                        "id": h.id,
                        "title": h.title,
                        "date": h.date,
                        "score": round(h.score, 4),
                        "snippet": h.snippet,
                        "spans": [list(s) for s in h.spans],
                    }
                    for h in result.hits
                ],
                "suggestions": result.suggestions,
            }
        )
    else:
        for h in result.hits:
            say(line(h.id, h.date or "-", h.title))
            say(line("    " + h.snippet))
        if not result.hits:
            hint = f" Did you mean: {', '.join(result.suggestions)}?" if result.suggestions else ""
            error(f"no article matches {result.query!r}.{hint}")
