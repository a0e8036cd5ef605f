"""CPU-bound passes (parsing, recognition) spread over every core, results in order.

Processes are forked, and only from the main thread (the CLI and the
reader's background child): a fork beside other threads (the reader's
own) may copy a held lock, and spawn or forkserver would re-run an
unguarded ``__main__``. From another thread, the work stays in-process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

AHEAD = 6
"""Chunks in flight: enough to keep every worker busy, few enough to bound memory."""


@contextmanager
def forked(
    workers: int | None = None,
    initializer: Callable[..., object] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[ProcessPoolExecutor | None]:
    """Forked workers (default: one per core), or None where that is unsafe or useless;
    shut down on leaving, whatever was left undone.

    ``initargs`` reach the workers through the fork, not pickled: a large
    object (an Aho-Corasick automaton) costs nothing to hand over.
    """
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count < 2 or threading.current_thread() is not threading.main_thread():
        yield None
        return
    pool = ProcessPoolExecutor(
        max_workers=count,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start,
        initargs=(initializer, initargs),
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


GC_THRESHOLD = 50_000
"""Allocations between a worker's young-generation collections (Python's default: 700)."""


def _start(initializer: Callable[..., object] | None, initargs: tuple[Any, ...]) -> None:
    """A worker's start: what the fork brought (the gazetteer, the word tables) is left out
    of garbage collection, and collections come less often. Recognition makes many
    short-lived objects and few cycles: this saves 3% of its time (A/B, 5,000 articles)."""
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD)
    if initializer is not None:
        initializer(*initargs)


def in_order(
    pool: ProcessPoolExecutor | None,
    work: Callable[[T], R],
    chunks: Iterable[T],
    here: Callable[[T], R] | None = None,
) -> Iterator[tuple[T, R]]:
    """``(chunk, work(chunk))`` for each chunk, in order, ``AHEAD`` of them in the pool.

    Without a pool, or once it breaks (a worker killed, out of memory), the
    rest is done here by ``here`` (default ``work``).
    """
    local = here or work
    source = iter(chunks)
    if pool is None:
        yield from ((chunk, local(chunk)) for chunk in source)
        return
    pending: deque[tuple[T, Future[R]]] = deque()
    broken = False

    def submit() -> None:
        for chunk in islice(source, 1):
            pending.append((chunk, pool.submit(work, chunk)))

    for _ in range(AHEAD):
        submit()
    while pending:
        chunk, future = pending.popleft()
        if not broken:
            try:
                result = future.result()
                submit()
                yield chunk, result
                continue
            except BrokenProcessPool:
                broken = True
        yield chunk, local(chunk)
    if broken:
        yield from ((chunk, local(chunk)) for chunk in source)
