"""The full-text rewrite in a process of its own: ``python -m tui.rewrite FOLDER PID``.

A fresh interpreter holds little besides the rewrite's writer memory; in the
build's process the writer came on top of what the build had touched (140 MB
at 100,000 articles, after ``give_back``). It shares the build's lock, and stops
once the build (PID) is gone. See ``index._rewrite``.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

NICE = 5
"""The rewrite only compacts an index that already answers every query: it yields the
cores to the reader, and shares them evenly with the entity pass's workers (niced as
much): yielding to them too left it to finish alone after the corpus link."""


def main() -> None:
    from tui.index import _compact, _open_stores

    parent = int(sys.argv[2])  # known before this interpreter was up
    with contextlib.suppress(OSError):
        os.nice(NICE)
    db, index = _open_stores(Path(sys.argv[1]), create=False)
    try:
        # Orphaned (the build was killed): stop, and the old index stays.
        _compact(db, index, lambda: os.getppid() != parent)
    finally:
        db.close()


if __name__ == "__main__":
    main()
