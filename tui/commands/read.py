"""``margin list`` and ``margin show``: the corpus as scripts see it."""

from __future__ import annotations

import argparse
from typing import Any

from tui.commands import FAILED, OK, article_or_say, corpus_root, ner_of
from tui.corpus import load_corpus
from tui.model import Article
from tui.output import emit_json, error, line, say


def article_json(a: Article) -> dict[str, Any]:
    """The metadata of one article, as ``list --json`` prints it."""
    return {
        "id": a.id,
        "path": a.path,
        "title": a.title,
        "date": a.date,
        "language": a.language,
        "source": a.source,
        "author": a.author,
        "encoding": a.encoding,
        "words": a.words,
    }


def cmd_list(args: argparse.Namespace) -> int:
    """List the articles of a corpus and the files that were skipped."""
    root = corpus_root(args.path)
    corpus = load_corpus(root)
    if args.json:
        emit_json(
            {
                "corpus": str(root),
                "articles": [article_json(a) for a in corpus.articles],
                "skipped": [{"path": s.path, "reason": s.reason} for s in corpus.skipped],
            }
        )
    else:
        for a in corpus.articles:
            say(line(a.id, a.date or "-", a.language or "-", a.title))
        for s in corpus.skipped:
            say(line("skipped", s.path, s.reason))
    if not corpus.articles:
        skipped = f" ({len(corpus.skipped)} skipped)" if corpus.skipped else ""
        error(f"no articles in {root}{skipped}")
    return OK if corpus.articles else FAILED


def cmd_show(args: argparse.Namespace) -> int:
    """Print one article: its metadata and sanitized text."""
    root = corpus_root(args.path)
    ner = ner_of(args.ner) if args.json else None
    article = article_or_say(root, args.id)
    if article is None:
        return FAILED
    if args.json:
        from tui.commands.entity import user_gazetteer
        from tui.entities import recognize

        found = recognize(article.text, article.language, user_gazetteer(args.data_dir), ner)
        emit_json(
            {
                **article_json(article),
                "url": article.url,
                "problems": list(article.problems),
                "text": article.text,
                "mentions": [
                    {"start": m.start, "end": m.end, "type": m.type, "name": m.name} for m in found
                ],
            }
        )
    else:
        say(line(article.title))
        say(line(" · ".join(x for x in (article.date, article.language, article.source) if x)))
        say("")
        say(article.text)
    return OK
