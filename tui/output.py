"""Writing CLI results: exact JSON for scripts, sanitized text for terminals."""

from __future__ import annotations

import json
import sys
from typing import Any

from tui.sanitize import sanitize, sanitize_line


def emit_json(payload: Any) -> None:
    """Print ``payload`` as exact JSON in UTF-8, whatever the locale.

    File names may hold undecodable bytes (kept as lone surrogates so the
    file can be opened again); those only survive as ASCII escapes.
    """
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = json.dumps(payload, ensure_ascii=True, indent=2).encode("ascii")
    sys.stdout.buffer.write(data + b"\n")
    sys.stdout.flush()


def _write(text: str, stream: Any) -> None:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, "replace").decode(encoding))


def say(text: str) -> None:
    """Print plain text (one or many lines) with nothing a terminal would obey."""
    _write(sanitize(text) + "\n", sys.stdout)


def line(*cells: str) -> str:
    """Join one-line cells with tabs, each made safe for a terminal."""
    return "\t".join(sanitize_line(cell) for cell in cells)


def error(message: str) -> None:
    """The one line on stderr that every failure prints: no traceback."""
    _write("margin: " + sanitize_line(message) + "\n", sys.stderr)
