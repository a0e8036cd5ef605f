"""Quitting never leaves a live process behind a blank terminal.

Python 3.11's ``asyncio.run`` waits without limit for the default executor
(Textual's thread workers), and the interpreter joins every non-daemon thread
at exit: one stuck worker and ``q`` would clear the screen yet never return
to the shell. Everything the user owns is committed before the UI closes (the
store writes each change in its own transaction), so once the UI is gone the
process may end at once; if teardown still runs after a grace period, the
stacks of every thread go to a file for the bug report and the process ends.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

GRACE = 2.0
"""Seconds the UI's own teardown may take before the process is ended."""


def end_now(code: int) -> NoReturn:
    """Flush what was printed and end the process without waiting for any thread."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def end_soon(code: Callable[[], int], report: Path) -> None:
    """Arm a watchdog: after ``GRACE`` seconds write the threads' stacks to ``report`` and end."""

    def stalled() -> None:
        try:
            report.parent.mkdir(parents=True, exist_ok=True)
            with report.open("w", encoding="utf-8") as out:
                faulthandler.dump_traceback(out, all_threads=True)
        except OSError:
            pass
        end_now(code())

    timer = threading.Timer(GRACE, stalled)
    timer.daemon = True
    timer.start()
