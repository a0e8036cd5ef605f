"""The command line: ``margin [PATH]`` opens the reader; subcommands serve scripts.

Subcommands never import Textual, so they start fast. Exit codes: 0 ok,
1 nothing found or failed, 2 bad usage. Every error is one line on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import shlex
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from tui import __version__
from tui.commands import FAILED, OK, USAGE, UsageError, corpus_root, ner_of
from tui.output import OutputError, error, flush
from tui.paths import UNWRITABLE

Handler = Callable[[argparse.Namespace], int]


def _lazy(spec: str, doc: str) -> Handler:
    """The handler ``module:function``, imported only when its command runs:
    ``margin search`` need not load what ``margin export`` needs."""
    module, _, name = spec.partition(":")

    def handler(args: argparse.Namespace) -> int:
        run: Handler = getattr(importlib.import_module(f"tui.commands.{module}"), name)
        return run(args)

    handler.__doc__ = doc
    return handler


cmd_list = _lazy("read:cmd_list", "List the articles of a corpus and the files that were skipped.")
cmd_show = _lazy("read:cmd_show", "Print one article: its metadata and sanitized text.")
cmd_index = _lazy("find:cmd_index", "Build or refresh the search index of a corpus.")
cmd_search = _lazy("find:cmd_search", "Search the articles of a corpus.")
cmd_entities = _lazy("entity:cmd_entities", "List the entities of a corpus, or of one article.")
cmd_notes = _lazy("annotate:cmd_notes", "List the notes of a corpus, re-anchored on its text.")
cmd_note_add = _lazy("annotate:cmd_note_add", "Attach a note to where an article says QUOTE.")
cmd_bookmarks = _lazy("annotate:cmd_bookmarks", "List the bookmarked articles of a corpus.")
cmd_export = _lazy(
    "annotate:cmd_export",
    "Write every note, highlight and bookmark as Markdown or W3C Web Annotation JSON.",
)
cmd_import = _lazy(
    "annotate:cmd_import", "Merge an exported JSON file back, without creating duplicates."
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def cmd_open(args: argparse.Namespace) -> int:
    """Open the reader (the only path that imports Textual)."""
    root = corpus_root(args.path)
    from tui.app import MarginApp
    from tui.leave import end_now, end_soon
    from tui.paths import cache_dir

    def on_quit() -> None:
        end_soon(lambda: app.return_code or OK, cache_dir(args.data_dir) / "stalled-quit.txt")

    app = MarginApp(root, data_dir=args.data_dir, on_quit=on_quit, ner=ner_of(args.ner))
    app.run()
    end_now(app.return_code or OK)


def _parser() -> tuple[_Parser, dict[str, Handler], dict[str, _Parser]]:
    """margin's parser, the handler of each command name, and each command's own parser
    (by its words: ``show``, ``note add``; ``""`` is margin itself)."""
    parser = _Parser(
        prog="margin",
        usage="margin [--data-dir DIR] [--ner SPEC] [PATH] | margin [--data-dir DIR] COMMAND ...",
        description="A terminal reader for a corpus of articles. "
        "With no COMMAND, opens the reader on PATH (default: the bundled seeds).",
    )
    parser.add_argument("--data-dir", metavar="DIR", help="keep notes, positions and cache here")
    parser.add_argument(
        "--ner",
        metavar="SPEC",
        help="add spaCy's recognizer: `spacy` (an installed model per language) "
        "or `spacy:MODEL` (one model or folder)",
    )
    parser.add_argument("--version", action="version", version=f"margin {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    handlers: dict[str, Handler] = {}
    commands: dict[str, _Parser] = {"": parser}

    def command(name: str, handler: Handler, *, path: bool = True, json: bool = True) -> _Parser:
        handlers[name] = handler
        p: _Parser = sub.add_parser(name, help=handler.__doc__, description=handler.__doc__)
        p.set_defaults(handler=handler)
        commands[name] = p
        if path:
            p.add_argument("path", nargs="?", metavar="PATH", help="corpus (default: the seeds)")
        if json:
            p.add_argument("--json", action="store_true", help="print JSON for scripts")
        return p

    command("list", cmd_list)
    p = command("show", cmd_show, path=False)
    p.add_argument("id", metavar="ID")
    p.add_argument("path", nargs="?", metavar="PATH", help="corpus (default: the seeds)")
    command("index", cmd_index, json=False)
    p = command("search", cmd_search, path=False)
    p.add_argument("query", metavar="QUERY")
    p.add_argument("path", nargs="?", metavar="PATH", help="corpus (default: the seeds)")
    p.add_argument("--limit", type=int, default=20, help="at most this many hits (default 20)")
    p = command("entities", cmd_entities)
    p.add_argument("--article", metavar="ID", help="only the entities of this article")
    p.add_argument("--type", metavar="T", help="only entities of this type (PERSON, ORG...)")
    command("notes", cmd_notes)
    note = sub.add_parser("note", help="change notes (see `margin note add --help`)")
    note_sub = note.add_subparsers(dest="note_command", metavar="ACTION", required=True)
    p = note_sub.add_parser("add", help=cmd_note_add.__doc__, description=cmd_note_add.__doc__)
    p.set_defaults(handler=cmd_note_add)
    commands["note add"] = p
    p.add_argument("id", metavar="ID")
    p.add_argument("path", nargs="?", metavar="PATH", help="corpus (default: the seeds)")
    p.add_argument("--quote", required=True, help="the exact words the note is about")
    p.add_argument("--body", default="", help="the note itself; #words become tags")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    handlers["note"] = cmd_note_add
    command("bookmarks", cmd_bookmarks)
    p = command("export", cmd_export, path=False, json=False)
    p.add_argument("--format", choices=("md", "json"), default="md")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p = command("import", cmd_import, path=False, json=False)
    p.add_argument("file", metavar="FILE")
    return parser, handlers, commands


GLOBALS = {"--data-dir": "a folder", "--ner": "`spacy` or `spacy:MODEL`"}
"""Options of margin itself, taken wherever they stand on the command line."""


def _take_globals(args: list[str]) -> tuple[Path | None, str | None, list[str]]:
    """Pull the global ``--data-dir DIR`` and ``--ner SPEC`` out, wherever they stand."""
    found: dict[str, str] = {}
    rest: list[str] = []
    it = iter(args)
    for arg in it:
        name, eq, value = arg.partition("=")
        if name not in GLOBALS:
            rest.append(arg)
            continue
        if not eq:
            given = next(it, None)
            if given is None:
                raise UsageError(f"{name} needs {GLOBALS[name]}")
            value = given
        found[name] = value
    data_dir = found.get("--data-dir")
    return (Path(data_dir) if data_dir is not None else None), found.get("--ner"), rest


def main(argv: Sequence[str] | None = None) -> int:
    """Run margin; returns the exit code (also used by tests)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser, handlers, commands = _parser()
    data_dir: Path | None = None
    try:
        data_dir, ner, rest = _take_globals(args_list)
        first = next((a for a in rest if not a.startswith("-")), None)
        if first is not None and first not in handlers:
            # `margin PATH`: open the reader on PATH.
            opener = _Parser(prog="margin")
            opener.add_argument("path", nargs="?")
            args = opener.parse_args(rest)
        else:
            args, extra = _parse(parser, commands, rest)
            # argparse gives an optional PATH no second chance after options
            # (`note add ID --quote Q PATH`): take it here.
            if (
                len(extra) == 1
                and not extra[0].startswith("-")
                and getattr(args, "path", 0) is None
            ):
                args.path = extra[0]
            elif extra:
                name = _command_name(rest, commands)
                hint = _dash_hint(name, commands[name], extra)
                raise UsageError(f"unrecognized arguments: {' '.join(extra)}{hint}")
        args.data_dir = data_dir
        args.ner = ner
        handler: Handler = getattr(args, "handler", cmd_open)
        if handler is cmd_open:
            args.path = getattr(args, "path", None)
        code = handler(args)
        flush()
        return code
    except UsageError as exc:
        error(f"{exc} (see `margin --help`)")
        return USAGE
    except OutputError as exc:
        error(f"cannot write the output: {exc}")
        _drop_stdout()
        return FAILED
    except KeyboardInterrupt:
        error("interrupted")
        return 130
    except BrokenPipeError:
        return OK
    except Exception as exc:
        # A fault of the disk or the cache that the command could not get around:
        # one line, never a traceback. The cache is disposable; the store is untouched.
        if not _disk_or_cache_fault(exc):
            raise
        if (problem := _not_a_folder(data_dir)) is not None:
            error(problem)
        elif isinstance(exc, OSError) and exc.errno in UNWRITABLE and exc.filename:
            error(
                f"cannot write {exc.filename} ({exc.strerror}): "
                "--data-dir DIR keeps margin's files elsewhere"
            )
        else:
            error(f"cannot finish: {exc}; the index is rebuilt next time")
        return FAILED


def _parse(
    parser: _Parser, commands: dict[str, _Parser], rest: list[str]
) -> tuple[argparse.Namespace, list[str]]:
    """Parse a command; a word starting with '-' that argparse took for an option
    adds to the error how to give it to that command."""
    name = _command_name(rest, commands)
    _refuse_options_after_dashes(name, commands[name], rest)
    try:
        return parser.parse_known_args(rest)
    except UsageError as exc:
        own = _options(commands[name])
        dashed = [a for a in _before_dashes(rest) if a.startswith("-") and _option(a) not in own]
        raise UsageError(f"{exc}{_dash_hint(name, commands[name], dashed)}") from exc


def _before_dashes(rest: list[str]) -> list[str]:
    return rest[: rest.index("--")] if "--" in rest else rest


def _command_name(rest: list[str], commands: dict[str, _Parser]) -> str:
    """The words that name the command (``show``, ``note add``), ``""`` for margin itself."""
    words = [a for a in _before_dashes(rest) if not a.startswith("-")]
    return next((n for n in (" ".join(words[:2]), " ".join(words[:1])) if n in commands), "")


def _option(arg: str) -> str:
    return arg.partition("=")[0]


def _options(p: _Parser) -> set[str]:
    return {s for action in p._actions for s in action.option_strings}


def _positionals(p: _Parser) -> list[str]:
    return [str(a.metavar or a.dest).upper() for a in p._actions if not a.option_strings]


def _refuse_options_after_dashes(name: str, p: _Parser, rest: list[str]) -> None:
    """``note add -- -x.txt --quote Q``: after '--' every word is a name, so say where
    the option goes rather than that it is missing."""
    if "--" not in rest:
        return
    own = _options(p)
    after = rest[rest.index("--") + 1 :]
    misplaced = next((_option(a) for a in after if _option(a) in own), None)
    if misplaced is not None:
        names = " ".join(_positionals(p)[:1])
        raise UsageError(
            f"{misplaced} after '--' is read as a name, not an option: options go before '--' "
            f"(margin {name} {misplaced} ... -- {names})"
        )


def _dash_hint(name: str, p: _Parser, given: list[str]) -> str:
    """How to give this command the first word of ``given`` that starts with '-':
    after '--' when the command takes a name or query, else what options it has."""
    word = next((g for g in given if g.startswith("-")), None)
    if word is None:
        return ""
    positionals = [m for m in _positionals(p) if m != "COMMAND"]
    command = f"margin {name}".strip()
    if positionals and not word.startswith("--"):
        what = positionals[0].lower()
        article = "an" if what[0] in "aeiou" else "a"
        required = [
            a.option_strings[-1] + " ..." for a in p._actions if a.option_strings and a.required
        ]
        example = " ".join([command, *required, "--", shlex.quote(word)])
        return f"; {article} {what} that starts with '-' goes after '--': {example}"
    return f"; `{command}` has no option {_option(word)}{_did_you_mean(p, word)} ({_usage(p)})"


def _did_you_mean(p: _Parser, word: str) -> str:
    """``--json`` where ``--format json`` is meant: the option whose choices hold the word."""
    value = _option(word).lstrip("-")
    for action in p._actions:
        if action.option_strings and action.choices and value in action.choices:
            return f": did you mean {action.option_strings[-1]} {value}?"
    return ""


def _usage(p: _Parser) -> str:
    """The options of a command, in a few words: ``its options: --format md|json, -o FILE``."""
    shown = []
    for action in p._actions:
        if not action.option_strings or action.dest == "help":
            continue
        takes = "|".join(map(str, action.choices or ())) or str(action.metavar or action.dest)
        shown.append(action.option_strings[-1] + ("" if action.nargs == 0 else " " + takes))
    return "its options: " + ", ".join(shown) if shown else "it has no options"


def _not_a_folder(folder: Path | None) -> str | None:
    """Why ``--data-dir`` cannot hold the index, when it names a file (or a folder under one):
    no later run rebuilds an index there."""
    if folder is None:
        return None
    for above in (folder, *folder.parents):
        if above.exists():
            if above.is_dir():
                return None
            where = "" if above == folder else f" ({above} is a file)"
            return f"--data-dir is not a folder: {folder}{where}"
    return None


def _drop_stdout() -> None:
    """What stdout still buffers cannot be written: send it nowhere, so that Python's own
    flush at exit does not fail again with a traceback."""
    with contextlib.suppress(OSError, ValueError):  # a test's capture: no file, no flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _disk_or_cache_fault(exc: Exception) -> bool:
    """Whether ``exc`` says the disk or the index failed (tui.index is imported only
    by the commands that use it: if it is not loaded, none of its errors is here)."""
    index = sys.modules.get("tui.index")
    faults: tuple[type[Exception], ...] = (OSError, sqlite3.Error)
    if index is not None:
        faults += (index.IndexUnavailable,)
    return isinstance(exc, faults)


def run() -> NoReturn:
    """Console-script entry point."""
    sys.exit(main())
