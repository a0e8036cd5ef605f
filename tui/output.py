"""Writing CLI results: exact JSON for scripts, sanitized text for terminals."""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from tui.sanitize import sanitize, sanitize_line

# json.dumps escapes C0 controls but writes DEL, C1 controls (a terminal obeys
# U+009B as CSI), bidi controls, line separators and lone surrogates raw.
_JSON_RAW = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


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
    _write("\t".join(sanitize(part) for part in text.split("\t")) + "\n", sys.stdout)


def line(*cells: str) -> str:
    """Join one-line cells with tabs, each made safe for a terminal."""
    return "\t".join(sanitize_line(cell) for cell in cells)


def error(message: str) -> None:
    """The one line on stderr that every failure prints: no traceback."""
    _write("margin: " + sanitize_line(message) + "\n", sys.stderr)
