"""Build the index and run the entity pass in a child process.

Both are CPU-bound Python (decoding, header parsing, recognition). In a
thread of the reader they would hold the GIL and keys would wait seconds; in
a child process the reader's UI thread keeps the interpreter to itself. The
child only writes the disposable cache, so stopping it at any moment is safe
(an interrupted build is completed by the next one).

The child is ``python -m tui.background ROOT CACHE`` with its orders (the
corrections, the optional recognizer) as JSON on stdin and its events as
JSON lines on stdout: a plain subprocess, because multiprocessing's spawn
trips over the file descriptors Textual puts in place of stdout and stderr.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

Correction = tuple[str, str, str | None]
EVENT_SECONDS = 0.25
"""How often the child reports progress."""


_events = sys.stdout
"""Where the child writes its events: the real stdout, kept apart from ``print``."""


def _emit(kind: str, done: int | str = 0, total: int = 0) -> None:
    _events.write(json.dumps([kind, done, total]) + "\n")
    _events.flush()


def _event(raw: bytes) -> tuple[str, int | str, int] | None:
    """One event line, or None for anything else a library may have printed."""
    try:
        kind, done, total = json.loads(raw)
    except (ValueError, TypeError):
        return None
    if not isinstance(kind, str) or not isinstance(done, int | str) or not isinstance(total, int):
        return None
    return kind, done, total


def _progress(kind: str) -> Callable[[int, int], None]:
    """Reports ``kind`` events, a few a second; stops the process once its parent is gone."""
    parent = os.getppid()
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        if os.getppid() != parent:  # the reader is gone: stop, the cache stays consistent
            raise SystemExit(0)
        if time.monotonic() - last >= EVENT_SECONDS:
            last = time.monotonic()
            _emit(kind, done, total)

    return progress


def _child(
    root: Path, cache: Path, corrections: Sequence[Correction], ner_spec: str | None
) -> None:
    import multiprocessing

    from tui.entities import corrected
    from tui.entities.statistical import load_ner
    from tui.index import open_index
    from tui.mentions import update_mentions
    from tui.paths import gazetteer_file

    # The build runs in a process of its own: what it holds (tantivy's writers, the
    # lists of files: 500 MB at 100,000 articles) is given back when it ends. The entity
    # pass needs only the texts: it follows the build from its first commit, on the
    # cores the parsing leaves, and links once every text is stored.
    context = multiprocessing.get_context("fork")
    committed, stored = context.Event(), context.Event()
    builder = context.Process(target=_build, args=(root, cache, committed.set, stored.set))
    builder.start()
    gazetteer = corrected(corrections, gazetteer_file())  # made while the build begins
    ner = load_ner(ner_spec)
    while not (committed.wait(0.2) or stored.is_set()) and builder.is_alive():
        pass
    if committed.is_set() or stored.is_set():
        index = open_index(root, cache)
        update_mentions(
            index,
            gazetteer,
            _progress("entities"),
            ner=ner,
            following=lambda: not stored.is_set() and builder.is_alive(),
        )
    builder.join()
    if builder.exitcode == 0:
        _emit("done")
    # else it said why ("failed"), or the reader is gone


def _build(
    root: Path, cache: Path, committed: Callable[[], None], stored: Callable[[], None]
) -> None:
    """The build, in a forked process: calls ``committed()`` after each commit, and says
    "indexed" then calls ``stored()`` once every text is stored; or says "failed" and why."""
    from tui.index import BuildSummary, build_index

    def read(built: BuildSummary) -> None:
        _emit("indexed", built.added + built.changed + built.removed + built.renamed)
        stored()

    try:
        build_index(
            root,
            cache,
            _progress("progress"),
            waiting=lambda pid: _emit("waiting", pid or 0),
            committed=committed,
            read=read,
        )
    except Exception as exc:
        _emit("failed", f"{type(exc).__name__}: {exc}")
        raise SystemExit(1) from exc


def refresh_in_child(
    root: Path,
    cache: Path,
    corrections: Sequence[Correction],
    on_event: Callable[[str, int, int], None],
    cancelled: Callable[[], bool],
    ner_spec: str | None = None,
) -> str | None:
    """Run the build and the entity pass in a child; None when done, else what went wrong.

    ``on_event(kind, done, total)`` gets "progress" and "entities" counts,
    "waiting" with the pid (0: unknown) of another process building this index,
    and "indexed" once every article and text is stored (the entity pass, which
    follows the build, links then; the full-text index is compacted after), with
    the number of articles added, changed, removed or renamed as ``done``.
    """
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "tui.background", os.fsdecode(root), os.fsdecode(cache)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError as exc:
        return f"cannot start the indexer: {exc}"
    assert child.stdin is not None and child.stdout is not None
    try:
        orders = {"corrections": list(corrections), "ner": ner_spec}
        child.stdin.write(json.dumps(orders).encode("utf-8", "surrogateescape"))
        child.stdin.close()
        pending = b""
        while True:
            if cancelled():
                return "cancelled"
            ready, _, _ = select.select([child.stdout], [], [], 0.2)
            if not ready:
                continue
            chunk = os.read(child.stdout.fileno(), 65536)
            if not chunk:
                return f"the indexer stopped (exit code {child.wait()})"
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for raw in lines:
                event = _event(raw)
                if event is None:
                    continue
                kind, done, total = event
                if kind == "done":
                    return None
                if kind == "failed":
                    return str(done)
                on_event(kind, int(done), int(total))
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        child.stdout.close()


def main() -> None:
    """The child's entry point: ``python -m tui.background ROOT CACHE``."""
    global _events
    # Events keep the real stdout to themselves; a stray print goes to stderr.
    _events = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    sys.stdout = sys.stderr
    root, cache = Path(sys.argv[1]), Path(sys.argv[2])
    try:
        orders = json.loads(sys.stdin.read() or "{}")
        corrections = [tuple(c) for c in orders.get("corrections", [])]
        _child(root, cache, corrections, orders.get("ner"))
    except BaseException as exc:  # the parent decides what to do; the child just says
        _emit("failed", f"{type(exc).__name__}: {exc}")


if __name__ == "__main__":
    main()
