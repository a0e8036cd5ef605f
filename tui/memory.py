"""Freed memory back to the system before a step that needs a lot of it."""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path


def give_back() -> None:
    """Return the C heap's free pages to the system (glibc's ``malloc_trim``).

    Python frees a build's millions of small objects into the C heap, which
    keeps the pages: at 100,000 articles, 105 MB of the build's 246 MB were
    such free memory when the full-text rewrite began. A no-op where the C
    library has no ``malloc_trim`` (macOS, musl).
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except OSError:
        return None


def apart(
    module: str, path: Path, lock: int, cancel: Callable[[], bool] | None = None
) -> int | None:
    """Run ``python -m module path PID`` and wait for it: its exit code (-1 when it could
    not start), or None when ``cancel()`` said stop first (it is killed then).

    A fresh interpreter's memory is its step's alone: in the process that did
    the work before, the step came on top of what that work left behind. The
    child shares ``lock`` (a file held with ``flock``): killed here, this
    process's lock stays held until the child is done, so no other writer
    comes beside it. PID is this process's: the child stops once orphaned.
    """
    import subprocess

    try:
        child = subprocess.Popen(
            [sys.executable, "-m", module, os.fspath(path), str(os.getpid())],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(lock,),
        )
    except OSError:
        return -1
    try:
        while True:
            try:
                return child.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                if cancel is not None and cancel():
                    return None
    finally:
        if child.poll() is None:  # cancelled, or interrupted here
            child.kill()
            child.wait()
