"""First screen of a big article as a person sees it, with a cold and a warm cache.

``bench/reader.py`` compares first screens with a bare Textual app; this adds
what the hostile-files issue asks beside it: how long a key takes to answer
while the big article is being read.

Run: .venv/bin/python bench/hostile.py
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
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


async def first_screen(root: Path, data: Path) -> tuple[float, float, float]:
    """Seconds to the first drawn line, worst key latency before it, and to fully loaded."""
    started = time.perf_counter()
    app = MarginApp(root, data_dir=data)
    worst_key = 0.0
    shown = loaded = LIMIT
    async with app.run_test(size=(80, 24)) as pilot:
        while time.perf_counter() - started < LIMIT:
            article = app.reader.article
            if shown == LIMIT and article is not None and app.reader.render_line(0).text.strip():
                shown = time.perf_counter() - started
            if app.loaded:
                loaded = time.perf_counter() - started
                if shown != LIMIT:
                    break
            before = time.perf_counter()
            await pilot.press("j")  # a key while loading: how long until it is handled
            worst_key = max(worst_key, time.perf_counter() - before)
            await pilot.pause(0.02)
    return shown, worst_key, loaded


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
                    f"worst key {key * 1000:6.0f} ms, loaded {loaded:6.2f} s"
                )


if __name__ == "__main__":
    asyncio.run(main())
