"""The command line: ``margin [PATH]`` opens the reader; subcommands serve scripts.

Subcommands never import Textual, so they start fast. Exit codes: 0 ok,
1 nothing found or failed, 2 bad usage. Every error is one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from tui import __version__
from tui.output import emit_json, error, line, say
from tui.resources import seeds_dir

OK, FAILED, USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments: reported on one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _corpus_root(value: str | None) -> Path:
    root = Path(value) if value else seeds_dir()
    if not root.exists():
        raise UsageError(f"no such file or folder: {value}")
    return root


def cmd_list(args: argparse.Namespace) -> int:
    """List the articles of a corpus and the files that were skipped."""
    from tui.corpus import load_corpus

    root = _corpus_root(args.path)
    corpus = load_corpus(root)
    if args.json:
        emit_json(
            {
                "corpus": str(root),
                "articles": [
                    {
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
                    for a in corpus.articles
                ],
                "skipped": [{"path": s.path, "reason": s.reason} for s in corpus.skipped],
            }
        )
    else:
        for a in corpus.articles:
            say(line(a.id, a.date or "-", a.language or "-", a.title))
        for s in corpus.skipped:
            say(line("skipped", s.path, s.reason))
    return OK if corpus.articles else FAILED


def cmd_show(args: argparse.Namespace) -> int:
    """Print one article: its metadata and sanitized text."""
    from tui.corpus import load_article

    root = _corpus_root(args.path)
    article = load_article(root, args.id)
    if article is None:
        error(f"no article {args.id!r} in {root} (see `margin list`)")
        return FAILED
    if args.json:
        payload: dict[str, Any] = {
            "id": article.id,
            "path": article.path,
            "title": article.title,
            "date": article.date,
            "language": article.language,
            "source": article.source,
            "author": article.author,
            "url": article.url,
            "encoding": article.encoding,
            "words": article.words,
            "problems": list(article.problems),
            "text": article.text,
        }
        emit_json(payload)
    else:
        say(line(article.title))
        say(line(" · ".join(x for x in (article.date, article.language, article.source) if x)))
        say("")
        say(article.text)
    return OK


def cmd_open(args: argparse.Namespace) -> int:
    """Open the reader (the only path that imports Textual)."""
    root = _corpus_root(args.path)
    from tui.app import MarginApp

    MarginApp(root, data_dir=args.data_dir).run()
    return OK


def _parser() -> tuple[_Parser, dict[str, Callable[[argparse.Namespace], int]]]:
    parser = _Parser(
        prog="margin",
        usage="margin [--data-dir DIR] [PATH] | margin [--data-dir DIR] COMMAND ...",
        description="A terminal reader for a corpus of articles. "
        "With no COMMAND, opens the reader on PATH (default: the bundled seeds).",
    )
    parser.add_argument("--data-dir", metavar="DIR", help="keep notes, positions and cache here")
    parser.add_argument("--version", action="version", version=f"margin {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {}

    def command(name: str, handler: Callable[[argparse.Namespace], int]) -> _Parser:
        handlers[name] = handler
        p: _Parser = sub.add_parser(name, help=handler.__doc__, description=handler.__doc__)
        return p

    p = command("list", cmd_list)
    p.add_argument("path", nargs="?", metavar="PATH")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p = command("show", cmd_show)
    p.add_argument("id", metavar="ID")
    p.add_argument("path", nargs="?", metavar="PATH")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    return parser, handlers


def _take_data_dir(args: list[str]) -> tuple[Path | None, list[str]]:
    """Pull the global ``--data-dir DIR`` out, wherever it stands."""
    data_dir: Path | None = None
    rest: list[str] = []
    it = iter(args)
    for arg in it:
        if arg == "--data-dir":
            value = next(it, None)
            if value is None:
                raise UsageError("--data-dir needs a folder")
            data_dir = Path(value)
        elif arg.startswith("--data-dir="):
            data_dir = Path(arg.split("=", 1)[1])
        else:
            rest.append(arg)
    return data_dir, rest


def main(argv: Sequence[str] | None = None) -> int:
    """Run margin; returns the exit code (also used by tests)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser, handlers = _parser()
    try:
        data_dir, rest = _take_data_dir(args_list)
        first = next((a for a in rest if not a.startswith("-")), None)
        if first is not None and first not in handlers:
            # `margin PATH`: open the reader on PATH.
            opener = _Parser(prog="margin")
            opener.add_argument("path", nargs="?")
            args = opener.parse_args(rest)
        else:
            args = parser.parse_args(rest)
        args.data_dir = data_dir
        command = getattr(args, "command", None)
        if command is None:
            args.path = getattr(args, "path", None)
            return cmd_open(args)
        return handlers[command](args)
    except UsageError as exc:
        error(f"{exc} (see `margin --help`)")
        return USAGE
    except KeyboardInterrupt:
        error("interrupted")
        return 130
    except BrokenPipeError:
        return OK


def run() -> NoReturn:
    """Console-script entry point."""
    sys.exit(main())
