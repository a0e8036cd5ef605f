"""Notes screen filter latency with 10,000 notes: NoteFilter against a naive scan.

Simulates filter-as-you-type: each query is typed one character at a time
(and then erased again, as a user does), and every keystroke is timed. Both
filters run in the same process on the same notes; the naive one is the
list comprehension a first version would write (lower-case every field on
every keystroke). Also times what opening the notes screen costs: loading
the notes from the store file and building the filter.

    .venv/bin/python bench/notes.py [--notes 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.store import Annotation, NoteFilter, Store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
QUERIES = ["nvidia", "chip", "#gpu", "tesla dojo", "musk ai", "zzz", "huang said", "#todo data"]


def corpus_text() -> str:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS.glob("*.txt"))]
    return "\n".join(texts) or "Nvidia sells AI chips to Tesla and Meta. " * 200


def build(store: Store, n: int, rng: random.Random) -> None:
    text = corpus_text()
    words = re.findall(r"\w+", text.lower())
    tags = ["gpu", "todo", "earnings", "supply", "musk", "policy", "de", "it", "data", "quote"]
    for i in range(n):
        start = rng.randrange(0, len(text) - 200)
        end = start + rng.randint(20, 160)
        body_words = rng.sample(words, rng.randint(0, 25))
        body = (
            " ".join(body_words)
            + " "
            + " ".join("#" + t for t in rng.sample(tags, rng.randint(0, 3)))
        )
        store.add_note("bench", f"article{i % 500}.txt", text, start, end, body.strip())


def naive(notes: Sequence[Annotation], query: str) -> list[Annotation]:
    terms = query.lower().split()
    return [
        n
        for n in notes
        if all(
            t in n.quote.lower() or t in n.body.lower() or t.lstrip("#") in " ".join(n.tags).lower()
            for t in terms
        )
    ]


def keystrokes(query: str) -> list[str]:
    typed = [query[:i] for i in range(1, len(query) + 1)]
    return typed + typed[-2::-1]  # type it, then erase it


def time_it(
    make: Callable[[], Callable[[str], object]], queries: list[str], repeat: int
) -> list[float]:
    """Per-keystroke times; each repeat is a fresh notes screen (a fresh filter)."""
    samples: list[float] = []
    for _ in range(repeat):
        fn = make()
        for query in queries:
            for keys in keystrokes(query):
                t0 = time.perf_counter()
                fn(keys)
                samples.append((time.perf_counter() - t0) * 1000)
    return samples


def pct(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "margin.sqlite3"
        with Store.open(path) as store:
            # Setup only: skip the per-note fsync so building 10,000 notes is quick.
            store._db.execute("PRAGMA synchronous = OFF")
            t0 = time.perf_counter()
            build(store, args.notes, rng)
            setup = time.perf_counter() - t0
        with Store.open(path) as store:
            t0 = time.perf_counter()
            notes = store.notes("bench")
            load_ms = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        fast = NoteFilter(notes)
        build_ms = (time.perf_counter() - t0) * 1000

    for query in QUERIES:  # same answers
        expected = [n.id for n in naive(notes, query)]
        got = [n.id for n in fast(query)]
        assert got == expected, query

    naive_ms = time_it(lambda: lambda q: naive(notes, q), QUERIES, args.repeat)
    fast_ms = time_it(lambda: NoteFilter(notes), QUERIES, args.repeat)
    n50, n95 = pct(naive_ms, 50), pct(naive_ms, 95)
    f50, f95 = pct(fast_ms, 50), pct(fast_ms, 95)
    print(f"notes filter bench: {len(notes)} notes, {len(fast_ms)} keystrokes per filter")
    print(f"  setup (not timed below): {setup:.1f}s to write the notes")
    print(
        f"  open notes screen: load from store {load_ms:.1f} ms, build NoteFilter {build_ms:.1f} ms"
    )
    print(f"  naive scan  p50 {n50:7.3f} ms   p95 {n95:7.3f} ms")
    print(f"  NoteFilter  p50 {f50:7.3f} ms   p95 {f95:7.3f} ms")
    print(f"  ratio naive/NoteFilter  p50 {n50 / f50:5.1f}x   p95 {n95 / f95:5.1f}x")


if __name__ == "__main__":
    main()
