"""Time to the first screen: the seeds, a 20 MB article and a one-line 5 MB file.

Each figure is printed beside a reference measured in the same process, as
ratios, because this machine is shared and noisy:
- the first screen of margin vs the first screen of a bare Textual app;
- opening a big article vs merely reading and decoding its bytes.
"cold" is the first run on a corpus (the index is built first); "warm" is
every later run (the index is there, the article is read from its file).
The first screen is the article's text drawn; the index is checked (by a
child process) after it, in the background.

Run: .venv/bin/python bench/reader.py
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static

from tui.app import MarginApp
from tui.resources import seeds_dir

WORDS = (
    "the market chip revenue quarter Nvidia Tesla growth analysts said would data centre "
    "supply demand company shares investors billion percent model training compute"
).split()


def article(megabytes: float, *, one_line: bool = False) -> str:
    """Deterministic prose of about ``megabytes`` MB, in paragraphs or one line."""
    rng = random.Random(7)
    target = int(megabytes * 1_000_000)
    parts: list[str] = ["A generated article for timing the reader\n\n"]
    size = 0
    while size < target:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 24))) + ". "
        parts.append(sentence)
        size += len(sentence)
        if not one_line and rng.random() < 0.12:
            parts.append("\n\n")
    return "".join(parts)


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("hello")


async def bare_first_screen() -> float:
    started = time.perf_counter()
    async with Bare().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    return time.perf_counter() - started


async def margin_first_screen(root: Path, data: Path) -> tuple[float, float]:
    """Seconds until the article's text is on screen, and until the index is checked too."""
    started = time.perf_counter()
    app = MarginApp(root, data_dir=data)
    shown = 0.0
    async with app.run_test(size=(80, 24)) as pilot:
        while not (shown and app.loaded):
            if not shown and app.reader.article and app.reader.render_line(0).text.strip():
                shown = time.perf_counter() - started
            await pilot.pause(0.005)
        ready = time.perf_counter() - started
    return shown, ready


def read_and_decode(path: Path) -> float:
    started = time.perf_counter()
    path.read_bytes().decode("utf-8")
    return time.perf_counter() - started


def median(values: list[float]) -> float:
    return statistics.median(values)


async def main() -> None:
    runs = 3
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = folder / "big"
        big.mkdir()
        (big / "twenty.txt").write_text(article(20))
        line = folder / "line"
        line.mkdir()
        (line / "one-line.txt").write_text(article(5, one_line=True))
        bare = median([await bare_first_screen() for _ in range(runs)])
        print(f"bare Textual app, first screen      {bare * 1000:8.0f} ms  (reference)")
        cases = [("seeds (5 articles)", seeds_dir()), ("20 MB article", big), ("5 MB line", line)]
        for name, root in cases:
            data = folder / f"data-{root.name}"
            cold = await margin_first_screen(root, data)
            runs_warm = [await margin_first_screen(root, data) for _ in range(runs)]
            warm = (median([r[0] for r in runs_warm]), median([r[1] for r in runs_warm]))
            ref = next(iter(root.iterdir())) if root != seeds_dir() else None
            decode = median([read_and_decode(ref) for _ in range(runs)]) if ref else None
            for label, (took, ready) in (("cold", cold), ("warm", warm)):
                extra = f"  {took / decode:6.1f}x read+decode" if decode else ""
                print(
                    f"margin, {name:<18} {label}  first screen {took * 1000:6.0f} ms  "
                    f"{took / bare:5.2f}x bare{extra}  (index checked at {ready * 1000:.0f} ms)"
                )


if __name__ == "__main__":
    asyncio.run(main())
