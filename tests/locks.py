"""Another process building an index, as the tests that wait for it need one."""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tui.index import index_dir
from tui.paths import cache_dir

HOLDER = 4242
"""The pid the lock file names: a build that waits should say it."""


@contextmanager
def build_lock_held(root: Path, data: Path) -> Iterator[Callable[[], None]]:
    """Hold the build lock of ``root``'s index under ``--data-dir data`` until the block
    ends, or until the function it gives is called."""
    folder = index_dir(root.resolve(), cache_dir(data) / "index")
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "build.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write(str(HOLDER).encode())
        held.flush()
        yield lambda: fcntl.flock(held, fcntl.LOCK_UN)
