"""First screen of a big article as a person sees it, with a cold and a warm cache.

``bench/reader.py`` compares first screens with a bare Textual app; this adds
what the hostile-files issue asks beside it: the longest a key would wait
while the big article is read, laid out and recognized.

Run: .venv/bin/python bench/hostile.py
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from itertools import pairwise
from pathlib import Path

from tui.app import MarginApp

LIMIT = 120.0
WORDS = "nvidia sold more chips this quarter than analysts expected and demand stayed".split()


def prose(megabytes: float, *, one_line: bool = False, seed: int = 7) -> str:
    """Deterministic prose of about ``megabytes`` MB, in paragraphs or as one line."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 24))) + ". "
        parts.append(sentence)
        size += len(sentence)
        if not one_line and rng.random() < 0.12:
            parts.append("\n\n")
    return "".join(parts)


BEAT = 0.01
"""The UI thread's heartbeat: a key waits at most as long as the longest gap."""


async def first_screen(root: Path, data: Path) -> tuple[float, float, float]:
    """Seconds to the first drawn line, the UI thread's longest stall, and to fully loaded.

    A 10 ms timer runs on the UI thread; the longest gap between its ticks is
    the longest a key would have waited (``pilot.press`` would also wait for
    the app to go idle, which is not what a person feels).
    """
    started = time.perf_counter()
    app = MarginApp(root, data_dir=data)
    shown = loaded = LIMIT
    ticks: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.set_interval(BEAT, lambda: ticks.append(time.perf_counter()))
        while time.perf_counter() - started < LIMIT:
            article = app.reader.article
            if shown == LIMIT and article is not None and app.reader.render_line(0).text.strip():
                shown = time.perf_counter() - started
            if app.loaded and loaded == LIMIT:
                loaded = time.perf_counter() - started
            if shown != LIMIT and loaded != LIMIT:
                break
            await pilot.pause(0.02)
        await pilot.pause(1.0)  # the exact layout and the entities after the first screen
    stall = max((b - a for a, b in pairwise(ticks)), default=0.0)
    return shown, stall, loaded


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = {
            "20 MB article": ("big.txt", "A twenty megabyte article\n\n" + prose(20)),
            "5 MB one-line file": ("line.txt", prose(5, one_line=True, seed=3)),
        }
        for name, (file_name, text) in cases.items():
            root = folder / file_name.replace(".", "-")
            root.mkdir()
            (root / file_name).write_text(text)
            data = folder / f"data-{file_name}"
            for cache in ("cold cache", "warm cache"):
                shown, key, loaded = await first_screen(root, data)
                print(
                    f"{name:<20} {cache}: first screen {shown:6.2f} s, "
                    f"longest UI stall {key * 1000:5.0f} ms, loaded {loaded:6.2f} s"
                )


if __name__ == "__main__":
    asyncio.run(main())
