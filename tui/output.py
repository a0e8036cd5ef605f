"""Writing CLI results: exact JSON for scripts, sanitized text for terminals."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tui.sanitize import sanitize, sanitize_line

# json.dumps escapes C0 controls but writes DEL, C1 controls (a terminal obeys
# U+009B as CSI), bidi controls, line separators and lone surrogates raw.
_JSON_RAW = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


class OutputError(Exception):
    """The results could not be written to stdout (a full disk, a device that refuses)."""


@contextmanager
def _to_stdout() -> Iterator[None]:
    """Tell a failed write of the results from a failure of the corpus, store or index."""
    try:
        yield
    except BrokenPipeError:
        raise  # the reader went away (``| head``): not an error
    except OSError as exc:
        raise OutputError(exc.strerror or str(exc)) from exc


def emit_json(payload: Any) -> None:
    """Print ``payload`` as exact JSON in UTF-8, whatever the locale.

    Characters a terminal would obey or reorder by are written as ``\\uXXXX``
    escapes: the same JSON to a parser, inert on a screen. Lone surrogates
    (undecodable bytes of a path) are escaped the same way, so the output
    is always valid UTF-8.
    """
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    # Outside strings JSON is ASCII, so every match is inside a string.
    text = _JSON_RAW.sub(_escape, text)
    with _to_stdout():
        sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
        sys.stdout.flush()


def _write(text: str, stream: Any) -> None:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, "replace").decode(encoding))


def say(text: str) -> None:
    """Print plain text (one or many lines) with nothing a terminal would obey.

    The tabs that :func:`line` puts between cells stay tabs (``cut -f`` works);
    sanitize would expand them.
    """
    with _to_stdout():
        _write("\t".join(sanitize(part) for part in text.split("\t")) + "\n", sys.stdout)


def flush() -> None:
    """Write out what stdout still buffers, while a failure can still be said."""
    with _to_stdout():
        sys.stdout.flush()


def line(*cells: str) -> str:
    """Join one-line cells with tabs, each made safe for a terminal."""
    return "\t".join(sanitize_line(cell) for cell in cells)


def error(message: str) -> None:
    """The one line on stderr that every failure prints: no traceback."""
    _write("margin: " + sanitize_line(message) + "\n", sys.stderr)


def _cells(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def wrap(text: str, width: int) -> list[str]:
    """``text`` on one line per ``width`` terminal cells, whole words where they fit.

    A Chinese or Japanese character takes two cells (``textwrap`` counts one,
    and a quote in them ran to twice the width), and a word wider than a line
    is cut between characters.
    """
    rows: list[str] = []
    row, used = "", 0
    for word in text.split():
        size = sum(map(_cells, word))
        if row and used + 1 + size <= width:
            row, used = f"{row} {word}", used + 1 + size
            continue
        if row:
            rows.append(row)
        row, used = "", 0
        for char in word:
            if used + _cells(char) > width:
                rows.append(row)
                row, used = "", 0
            row, used = row + char, used + _cells(char)
    if row:
        rows.append(row)
    return rows
