"""Benchmark the index and search on a generated corpus, against ripgrep in the same run.

    python bench/search.py --n 10000 [--work bench/out] [--rg-queries 100]

Prints: build rate, no-change refresh, listing, query latency (100 fixed
queries: a third with a typo, a third unfinished prefixes, some very common
words; each run for the first time, after other queries warmed the index),
the spans of an opened hit (found only then), per-keystroke latency (as the
reader types: a screenful of snippets, forms learnt from key to key),
title-jump latency, a whole ``margin search``
process (when the CLI has it), the app's first screen on the indexed corpus
(against a bare Textual app's), peak RSS, index size; and ``rg -i -l`` for the
same words over the same files, as ratios. Absolute times are context only:
the ratios are what compares across machines and loads.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from tui.index import build_index, open_index  # noqa: E402
from tui.search import SCREENFUL, Forms, forget, jump, search  # noqa: E402
from tui.words import fold_words  # noqa: E402

COMMON = ("the", "and", "der", "und", "di", "la", "le", "de")


def percentiles(values: Sequence[float]) -> tuple[float, float, float]:
    """p50, p95, max of seconds, in milliseconds."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1e3, p95 * 1e3, ordered[-1] * 1e3


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def corpus_bytes(root: Path) -> tuple[int, int]:
    files = size = 0
    for folder, _, names in os.walk(root):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(folder, name))
    return files, size


def tree_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def typo(word: str, rng: random.Random) -> str:
    """One edit a typist makes: swap, drop, double or replace a letter (not the first)."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double", "replace"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiourstnl") + word[i + 1 :]


def make_queries(texts: Sequence[str], seed: int = 11) -> list[tuple[str, str]]:
    """100 fixed (kind, query) pairs drawn from the corpus's own words."""
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w in fold_words(text) if w.isalpha())
    ranked = [w for w, _ in counts.most_common()]
    mid = [w for w in ranked[200:5000] if len(w) >= 5] or ranked
    rare = [w for w in ranked[5000:] if len(w) >= 5] or mid
    pool = mid + rare
    queries: list[tuple[str, str]] = []
    for n in range(100):
        size = rng.choice((1, 1, 2, 2, 3))
        words = [rng.choice(pool) for _ in range(size)]
        if n < 8:
            words[0] = COMMON[n]
            queries.append(("common", " ".join(words)))
        elif n < 41:
            k = rng.randrange(len(words))
            words[k] = typo(words[k], rng)
            queries.append(("typo", " ".join(words)))
        elif n < 74:
            last = words[-1]
            words[-1] = last[: rng.randint(3, max(3, min(6, len(last) - 1)))]
            queries.append(("prefix", " ".join(words)))
        else:
            queries.append(("exact", " ".join(words)))
    return queries


def keystrokes(queries: Sequence[str], total: int = 171) -> list[str]:
    """Every prefix of the queries typed one key at a time, ``total`` keystrokes."""
    out: list[str] = []
    for q in queries:
        out.extend(q[:i] for i in range(1, len(q) + 1))
        if len(out) >= total:
            break
    return out[:total]


def rg_time(words: Sequence[str], root: Path) -> float:
    args = ["rg", "-i", "-l", "-F"]
    for w in words:
        args += ["-e", w]
    started = time.perf_counter()
    subprocess.run([*args, str(root)], stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
    " stderr=subprocess.DEVNULL).returncode\n"
    "t = time.perf_counter() - t\n"
    "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def child_env(**extra: str) -> dict[str, str]:
    """The environment of an installed margin: bytecode is written and read.

    With PYTHONDONTWRITEBYTECODE (set in some sandboxes), every process would
    compile margin's modules again: about 60 ms a user never pays.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **extra}


def run_child(args: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (KB) and exit code of one child process.

    Run through a small Python in between: a child forked from this (large)
    process would report this process's RSS as its own peak.
    """
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args],
        capture_output=True,
        env=env if env is not None else child_env(),
        check=True,
    ).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} on {os.cpu_count()} cores"


def timed_build(root: Path, cache: Path, n: int, size: int) -> None:
    """A full build, entities included, as the reader's background child runs it (the
    build in a forked process, the entity pass following it from its first commit), in a
    process of its own: its own peak RSS, and clean numbers after it. Its steps are
    marked: the entity pass begins, every text is stored, the corpus link begins, and the
    full-text rewrite, if the build needs one."""
    cache.parent.mkdir(parents=True, exist_ok=True)
    phases = cache.parent / f"phases{n}.txt"
    phases.unlink(missing_ok=True)
    build = (
        "import time, tui.background as b, tui.index as i, tui.mentions as m; "
        "from pathlib import Path; "
        f"log = {str(phases)!r}; "
        "mark = lambda kind: open(log, 'a').write(f'{kind} {time.monotonic()}\\n'); "
        "b._emit = lambda kind, *_: kind in ('indexed', 'done') and mark(kind); "
        "update, link = m.update_mentions, m._link_apart; "
        "m.update_mentions = lambda *a, **k: (mark('entities'), update(*a, **k))[1]; "
        "m._link_apart = lambda *a, **k: (mark('link'), link(*a, **k))[1]; "
        "rewrite = i._rewrite; "
        "i._rewrite = lambda *a, **k: (mark('rewrite'), rewrite(*a, **k))[1]; "
        "mark('start'); "
        f"b._child(Path({str(root)!r}), Path({str(cache)!r}), [], None)"
    )
    env = child_env(PYTHONPATH=str(REPO))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, rss, code = run_child([sys.executable, "-c", build], env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    at = dict(line.split() for line in phases.read_text().splitlines())
    if code != 0 or "done" not in at:
        raise SystemExit(f"build failed (exit code {code}, steps {sorted(at)})")
    start = float(at["start"])
    begun = float(at["entities"]) - start
    stored = float(at["indexed"]) - start
    linked = float(at.get("link", at["done"])) - start
    done = float(at["done"]) - start
    rewrite = (
        f"the full-text rewrite ran from {float(at['rewrite']) - start:.1f} s"
        if "rewrite" in at
        else "no full-text rewrite (the merges left few segments)"
    )
    print(
        f"build, entities included: {wall:.1f} s, {n / wall:.0f} articles/s, "
        f"{size / 1e6 / wall:.2f} MB/s, CPU {cpu:.1f} s ({cpu / wall:.2f} cores busy), "
        f"peak RSS {rss / 1024:.0f} MB (largest process)\n"
        f"  texts stored at {stored:.1f} s ({n / stored:.0f} articles/s); entity pass from "
        f"{begun:.1f} s, every article recognized at {linked:.1f} s, then the corpus link: "
        f"{done - linked:.1f} s; {rewrite}"
    )


_APP = (
    "import asyncio, json, resource, sys, time\n"
    "begun = time.perf_counter()\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "import reader\n"
    "imported = time.perf_counter() - begun\n"
    "bare = asyncio.run(reader.bare_first_screen())\n"
    "shown, ready = asyncio.run(reader.margin_first_screen(*map(reader.Path, sys.argv[2:4])))\n"
    "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "print(json.dumps([imported, bare, shown, ready, rss]))\n"
)
"""A fresh interpreter opens the app on the indexed corpus, as ``bench/reader.py``
times it: the import of margin and Textual, a bare Textual app's first screen (the
reference), margin's first screen, the sidebar listed and the index checked, and
the process's own peak RSS (its index check runs in a child of its own)."""


def app_first_screen(root: Path, data_dir: Path, runs: int = 3) -> None:
    """Print the app's first screen on the indexed corpus against a bare Textual app's."""
    rows = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _APP, str(HERE), str(root), str(data_dir)],
            capture_output=True,
            env=child_env(PYTHONPATH=str(REPO)),
            check=True,
            text=True,
        ).stdout
        rows.append(json.loads(out.splitlines()[-1]))
    imported, bare, shown, ready, _ = (
        statistics.median(column) for column in zip(*rows, strict=True)
    )
    print(
        f"app, first screen at 80x24 ({runs} runs, medians): {shown * 1000:.0f} ms "
        f"({shown / bare:.1f}x a bare Textual app's {bare * 1000:.0f} ms; "
        f"{(imported + shown) * 1000:.0f} ms from the interpreter's start); "
        f"sidebar listed and index checked at {ready * 1000:.0f} ms; "
        f"app peak RSS {max(r[4] for r in rows) / 1024:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=HERE / "out")
    parser.add_argument("--rg-queries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--reuse", action="store_true", help="keep an existing cache: skip the timed build"
    )
    args = parser.parse_args()

    root = args.work / f"c{args.n}"
    if not root.exists():
        print(f"generating {args.n} articles under {root} ...", flush=True)
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(args.n), str(root),
             "--seed", str(args.seed)],
            check=True,
        )  # fmt: skip
    cache = args.work / f"cache{args.n}"
    files, size = corpus_bytes(root)
    print(f"corpus: {args.n} articles, {files} files, {size / 1e6:.1f} MB  ({load_average()})")
    if args.reuse and cache.exists():
        print("build: skipped (--reuse: the cache of an earlier run)")
    else:
        shutil.rmtree(cache, ignore_errors=True)
        timed_build(root, cache, args.n, size)
    mentions = sum(p.stat().st_size for p in cache.rglob("mentions.sqlite3*"))
    index_size = tree_bytes(cache) - mentions
    print(
        f"index size: {index_size / 1e6:.1f} MB = {index_size / size:.2f}x the corpus; "
        f"entity mentions beside it: {mentions / 1e6:.1f} MB = {mentions / size:.2f}x"
    )

    nochange = timed(lambda: build_index(root, cache))
    opened = time.perf_counter()
    index = open_index(root, cache)
    listing = index.articles()
    opened = time.perf_counter() - opened
    print(
        f"no-change refresh: {nochange * 1e3:.0f} ms; open + list {len(listing)} articles: "
        f"{opened * 1e3:.0f} ms"
    )

    sample = random.Random(3).sample(listing, min(400, len(listing)))
    texts = [index.text(m.id) or "" for m in sample]
    queries = make_queries(texts)
    # Warm the term dictionaries with other queries, as a user's first queries do: each
    # timed query then runs for the first time, its hits' texts read and tokenized.
    for _, q in make_queries(texts, seed=12):
        search(index, q)
    forget()
    latencies: dict[str, list[float]] = {}
    opening: list[float] = []
    hits_found = 0
    for kind, q in queries:
        started = time.perf_counter()
        result = search(index, q)
        elapsed = time.perf_counter() - started
        hits_found += bool(result.hits)
        latencies.setdefault(kind, []).append(elapsed)
        latencies.setdefault("all", []).append(elapsed)
        if result.hits:  # Enter on the first hit: every matched word's offsets
            opening.append(timed(lambda r=result: r.hits[0].spans))  # type: ignore[misc]
    p50, p95, worst = percentiles(latencies["all"])
    print(
        f"query (top 20, snippets), 100 queries: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"max {worst:.1f} ms; {hits_found}/100 found something"
    )
    for kind in ("common", "typo", "prefix", "exact"):
        k50, k95, kmax = percentiles(latencies[kind])
        print(
            f"  {kind:7} ({len(latencies[kind]):2}): "
            f"p50 {k50:.1f}  p95 {k95:.1f}  max {kmax:.1f} ms"
        )

    s50, s95, smax = percentiles(opening)
    print(f"spans of the opened hit: p50 {s50:.1f} ms, p95 {s95:.1f} ms, max {smax:.1f} ms")

    # As the reader's search screen asks: the snippets of a screenful of hits.
    typed = keystrokes([q for kind, q in queries if kind in ("typo", "exact", "prefix")])
    forget()  # typed for the first time: nothing kept from the whole queries above
    forms = Forms()  # as the reader's search screen keeps them from one key to the next
    keys = [
        timed(lambda t=t: search(index, t, ready=SCREENFUL, forms=forms))  # type: ignore[misc]
        for t in typed
    ]
    k50, k95, kmax = percentiles(keys)
    print(
        f"per keystroke ({len(typed)} keys, {SCREENFUL} snippets made): "
        f"p50 {k50:.1f} ms, p95 {k95:.1f} ms, max {kmax:.1f} ms"
    )

    rng = random.Random(5)
    jumps: list[str] = []
    for meta in rng.sample(listing, min(100, len(listing))):
        words = fold_words(meta.title)[1:5] or ["x"]
        typed_title = " ".join(words[: rng.randint(1, min(3, len(words)))])
        jumps.append(typed_title[: max(2, len(typed_title) - rng.randint(0, 3))])
    jump_times = [timed(lambda t=t: jump(index, t)) for t in jumps]  # type: ignore[misc]
    j50, j95, jmax = percentiles(jump_times)
    print(
        f"title jump ({len(jumps)} typed titles): "
        f"p50 {j50:.1f} ms, p95 {j95:.1f} ms, max {jmax:.1f} ms"
    )
    print(
        "search process RSS so far (peak): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )

    # ripgrep over the same files, warm (the corpus was just read by the build).
    rg_queries = queries[: args.rg_queries]
    rg_times = [rg_time([w for w in q.split() if w], root) for _, q in rg_queries]
    r50, r95, _ = percentiles(rg_times)
    ours = [latencies["all"][i] for i in range(len(rg_queries))]
    o50, o95, _ = percentiles(ours)
    print(
        f"rg -i -l, same words, {len(rg_queries)} queries warm: p50 {r50:.0f} ms, p95 {r95:.0f} ms"
        f" -> search is {r50 / o50:.0f}x faster at p50, {r95 / o95:.0f}x at p95"
    )

    # A whole search process through the core API, with the cheap freshness check
    # (folder mtimes) instead of a stat of every file: what `margin search` can be.
    script = (
        "import sys; from pathlib import Path; from tui.index import ensure_index; "
        "from tui.search import search; "
        f"index, _ = ensure_index(Path({str(root)!r}), Path({str(cache)!r}), quick=True); "
        "r = search(index, sys.argv[1]); print(len(r.hits))"
    )
    env = child_env(PYTHONPATH=str(REPO))
    run_child([sys.executable, "-c", script, queries[0][1]], env)  # bytecode written once
    core_times: list[float] = []
    core_peak = 0
    core_rg: list[float] = []
    for _, q in queries[:20]:
        wall, rss, _ = run_child([sys.executable, "-c", script, q], env)
        core_times.append(wall)
        core_peak = max(core_peak, rss)
        core_rg.append(rg_time(q.split(), root))
    c50, c95, _ = percentiles(core_times)
    g50, _, _ = percentiles(core_rg)
    print(
        f"search process via the core API, quick check (20 queries): p50 {c50:.0f} ms, "
        f"p95 {c95:.0f} ms, peak RSS {core_peak / 1024:.0f} MB -> "
        f"{g50 / c50:.1f}x faster than rg -i -l at p50"
    )

    # A whole `margin search` process, if the CLI has it.
    margin = shutil.which("margin", path=str(Path(sys.executable).parent)) or ""
    has_search = False
    if margin:
        probe = subprocess.run([margin, "search", "--help"], capture_output=True, check=False)
        has_search = probe.returncode == 0 and b"QUERY" in probe.stdout
    data_dir = args.work / f"data{args.n}"
    shutil.rmtree(data_dir, ignore_errors=True)
    # Same cache: margin with `--data-dir D` keeps its index under D/cache/index.
    shutil.copytree(cache, data_dir / "cache" / "index")
    if not has_search:
        print("margin search process: skipped (the CLI has no `search` subcommand yet)")
    else:
        run_child([margin, "--data-dir", str(data_dir), "search", queries[0][1], str(root)])
        proc_times: list[float] = []
        peak = 0
        rg_same: list[float] = []
        for _, q in queries[:20]:
            wall, rss, _ = run_child(
                [margin, "--data-dir", str(data_dir), "search", q, str(root), "--json"]
            )
            proc_times.append(wall)
            peak = max(peak, rss)
            rg_same.append(rg_time(q.split(), root))
        m50, m95, _ = percentiles(proc_times)
        g50, _, _ = percentiles(rg_same)
        print(
            f"margin search process (20 queries): p50 {m50:.0f} ms, p95 {m95:.0f} ms, "
            f"peak RSS {peak / 1024:.0f} MB -> {g50 / m50:.1f}x faster than rg -i -l at p50"
        )
    app_first_screen(root, data_dir)
    print(f"({load_average()})")
    print(json.dumps({"n": args.n, "queries": [q for _, q in queries[:5]]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
