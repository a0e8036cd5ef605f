"""Entity recognition: precision, recall and F1 on the gold sets, and throughput.

    python bench/entities.py [--corpus DIR] [--mb 4] [--show-errors] [--link 100000]

Gold sets (tests/fixtures):

* ``entities_gold.jsonl``: every mention in the five seeds, by hand, one
  object a line: {"article", "start", "end", "type", "text"}; offsets into
  the seed read as UTF-8 with CRLF -> LF.
* ``entities_gold_other.jsonl``: short articles in en/de/it on other
  subjects, text embedded: {"article", "language", "text", "mentions": [...]}.

Scores, per type and overall: *exact* (same span and type) and *overlap*
(spans overlap, same type; each gold mention matched at most once); also
*untyped* variants and PERSON+ORG+PLACE alone. Throughput is MB of UTF-8
text per second for the whole pipeline (``recognize`` with language
guessing and the default gazetteer) on one core, over a generated corpus:
the seeds and the second gold set's texts repeated with their names and
numbers shuffled, or the files of ``--corpus DIR`` (e.g. the output of
``bench/generate.py``).

``--link N`` times corpus-wide linking (``link_counts``) on N made-up
distinct names (people sharing given names and surnames, one to three word
names of other kinds, one in fifty a typo of another), spread over N / 3
articles: about what N / 3 generated articles hold.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.entities import TYPES, Mention, recognize  # noqa: E402
from tui.entities.linking import link_counts  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT / "seeds"
CORE = ("PERSON", "ORG", "PLACE")

Span = tuple[int, int, str]


def seed_text(name: str) -> str:
    """A seed as the gold file's offsets see it."""
    return (SEEDS / name).read_bytes().decode("utf-8").replace("\r\n", "\n")


def load_seed_gold() -> list[tuple[str, str, str | None, list[Span]]]:
    """(article id, text, language, gold spans) for every seed."""
    gold: dict[str, list[Span]] = defaultdict(list)
    for line in (FIXTURES / "entities_gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            gold[row["article"]].append((row["start"], row["end"], row["type"]))
    return [(name, seed_text(name), None, spans) for name, spans in sorted(gold.items())]


def load_other_gold() -> list[tuple[str, str, str | None, list[Span]]]:
    """(article id, text, language, gold spans) for the second gold set."""
    out = []
    for line in (FIXTURES / "entities_gold_other.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            spans = [(m["start"], m["end"], m["type"]) for m in row["mentions"]]
            out.append((row["article"], row["text"], row.get("language"), spans))
    return out


class Score:
    """True positives, false positives and false negatives per key."""

    def __init__(self) -> None:
        self.tp: dict[str, int] = defaultdict(int)
        self.fp: dict[str, int] = defaultdict(int)
        self.fn: dict[str, int] = defaultdict(int)

    def add(self, gold: Sequence[Span], pred: Sequence[Span], overlap: bool, typed: bool) -> None:
        used: set[int] = set()
        for p in pred:
            hit = None
            for i, g in enumerate(gold):
                if i in used or (typed and g[2] != p[2]):
                    continue
                same = (g[0], g[1]) == (p[0], p[1])
                if same or (overlap and g[0] < p[1] and p[0] < g[1]):
                    hit = i
                    if same:
                        break
            label = p[2] if typed else "ALL"
            if hit is None:
                self.fp[label] += 1
            else:
                used.add(hit)
                self.tp[label] += 1
        for i, g in enumerate(gold):
            if i not in used:
                self.fn[g[2] if typed else "ALL"] += 1

    def prf(self, keys: Iterable[str] | None = None) -> tuple[float, float, float, int]:
        keys = (
            list(keys) if keys is not None else sorted(set(self.tp) | set(self.fp) | set(self.fn))
        )
        tp = sum(self.tp[k] for k in keys)
        fp = sum(self.fp[k] for k in keys)
        fn = sum(self.fn[k] for k in keys)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f, tp + fn


def evaluate(
    docs: Sequence[tuple[str, str, str | None, list[Span]]],
    show_errors: bool = False,
) -> dict[str, Score]:
    """Scores of ``recognize`` against gold spans: exact/overlap x typed/untyped."""
    scores = {k: Score() for k in ("exact", "overlap", "exact-untyped", "overlap-untyped")}
    for name, text, lang, gold in docs:
        mentions: list[Mention] = recognize(text, lang)
        pred = [(m.start, m.end, m.type) for m in mentions]
        scores["exact"].add(gold, pred, overlap=False, typed=True)
        scores["overlap"].add(gold, pred, overlap=True, typed=True)
        scores["exact-untyped"].add(gold, pred, overlap=False, typed=False)
        scores["overlap-untyped"].add(gold, pred, overlap=True, typed=False)
        if show_errors:
            gs, ps = set(gold), set(pred)
            for s in sorted(ps - gs):
                print(f"  FP {name}: {text[s[0] : s[1]]!r} {s[2]}")
            for s in sorted(gs - ps):
                print(f"  FN {name}: {text[s[0] : s[1]]!r} {s[2]}")
    return scores


def f1_of(
    scores: dict[str, Score], kind: str = "exact", keys: Iterable[str] | None = None
) -> float:
    """Overall F1 of one score kind (all types, or ``keys``)."""
    return scores[kind].prf(keys)[2]


def table(title: str, scores: dict[str, Score]) -> str:
    """The per-type table, as printed."""
    head = f"{'P':>5} {'R':>5} {'F1':>5}"
    lines = [title, f"{'type':<14}{'n':>5}  {head}   (overlap) {head}"]
    rows = [*TYPES, "ALL", "PER+ORG+PLACE", "untyped"]
    for row in rows:
        if row == "ALL":
            e, o = scores["exact"].prf(), scores["overlap"].prf()
        elif row == "PER+ORG+PLACE":
            e, o = scores["exact"].prf(CORE), scores["overlap"].prf(CORE)
        elif row == "untyped":
            e, o = scores["exact-untyped"].prf(), scores["overlap-untyped"].prf()
        else:
            e, o = scores["exact"].prf([row]), scores["overlap"].prf([row])
            if e[3] == 0 and not scores["exact"].fp[row]:
                continue
        exact = f"{e[0]:5.2f} {e[1]:5.2f} {e[2]:5.2f}"
        lines.append(f"{row:<14}{e[3]:>5}  {exact}   {'':9} {o[0]:5.2f} {o[1]:5.2f} {o[2]:5.2f}")
    return "\n".join(lines)


_SWAP = re.compile(r"\d")


def generated_corpus(megabytes: float, seed: int = 7) -> list[str]:
    """Articles made from the seeds and the second gold set, digits shuffled, to ``megabytes``."""
    rng = random.Random(seed)
    base = [text for _, text, _, _ in load_seed_gold()] + [t for _, t, _, _ in load_other_gold()]
    out: list[str] = []
    size = 0
    target = int(megabytes * 1_000_000)
    while size < target:
        parts = rng.sample(base, 3)
        text = "\n\n".join(parts)
        text = _SWAP.sub(lambda _m: str(rng.randint(0, 9)), text)
        out.append(text)
        size += len(text.encode("utf-8"))
    return out


def corpus_from(folder: Path, megabytes: float) -> list[str]:
    """Texts of the .txt, .md and .jsonl files under ``folder``, up to ``megabytes``."""
    out: list[str] = []
    size = 0
    for path in sorted(folder.rglob("*")):
        if size >= megabytes * 1_000_000:
            break
        if path.suffix in (".txt", ".md"):
            texts = [path.read_text(encoding="utf-8", errors="replace")]
        elif path.suffix == ".jsonl":
            texts = []
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                if isinstance(row, dict):
                    texts.append(str(row.get("text") or row.get("body") or ""))
        else:
            continue
        for text in texts:
            out.append(text)
            size += len(text.encode("utf-8"))
    return out


def generated_by_project(megabytes: float) -> list[str] | None:
    """Articles from ``bench/generate.py`` (the project's corpus generator), if it runs."""
    script = ROOT / "bench" / "generate.py"
    if not script.exists():
        return None
    count = max(50, int(megabytes * 250))  # about 4 KB an article
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [sys.executable, str(script), str(count), folder],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            return None
        texts = corpus_from(Path(folder), megabytes)
    return texts or None


def reference_seconds() -> float:
    """CPU seconds of a fixed pure-Python loop: how fast this core is right now.

    About 0.5 s on an idle current x86 core with CPython 3.11; a shared,
    busy machine shows more, and every timing here grows with it.
    """
    start = time.process_time()
    sum(i * i for i in range(10**7))
    return time.process_time() - start


def throughput(texts: Sequence[str], repeat: int = 3) -> tuple[float, float, int]:
    """(MB/s, seconds, mentions) of the whole pipeline over ``texts``."""
    recognize(texts[0], None)  # warm: gazetteer and word lists loaded once
    size = sum(len(t.encode("utf-8")) for t in texts)
    # CPU time of this process, best of ``repeat`` runs (as timeit does): the
    # machine is shared, and the question is what one core can do.
    best = float("inf")
    count = 0
    for _ in range(repeat):
        count = 0
        start = time.process_time()
        for text in texts:
            count += len(recognize(text, None))
        best = min(best, time.process_time() - start)
    return size / 1_000_000 / best, best, count


def made_up_names(count: int, seed: int = 1) -> list[tuple[str, str]]:
    """``count`` distinct (type, name) pairs, and a typo of one in fifty."""
    rng = random.Random(seed)
    syllables = "ka lo ri ma ten sor vel chi mun dar bel qui ste pra zan hel mon tri".split()

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()

    given = [word() for _ in range(3000)]
    surnames = [word() for _ in range(max(1, count // 4))]
    found: dict[tuple[str, str], None] = {}
    while len(found) < count:
        draw = rng.random()
        if draw < 0.4:
            found[("PERSON", f"{rng.choice(given)} {rng.choice(surnames)}")] = None
        elif draw < 0.5:
            found[("PERSON", rng.choice(surnames))] = None
        else:
            kind = rng.choice(["ORG", "PRODUCT", "PLACE", "MISC"])
            found[(kind, " ".join(word() for _ in range(rng.randint(1, 3))))] = None
    names = list(found)
    for _ in range(count // 50):
        kind, name = rng.choice(names)
        at = rng.randrange(len(name))
        names.append((kind, name[:at] + rng.choice("aeiou") + name[at + 1 :]))
    return names


def link_scale(count: int) -> tuple[float, int, int]:
    """(CPU seconds, rows, entities) of ``link_counts`` over ``count`` made-up names."""
    rng = random.Random(2)
    articles = max(1, count // 3)
    rows = [
        (f"a{rng.randrange(articles)}", kind, name, rng.random() < 0.5, rng.randint(1, 4))
        for kind, name in made_up_names(count)
        for _ in range(1 + int(rng.paretovariate(1.5)) % 20)
    ]
    start = time.process_time()
    links = link_counts(rows)
    return time.process_time() - start, len(rows), len(links.entities)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="folder of articles for the throughput run")
    parser.add_argument("--mb", type=float, default=2.0, help="MB of text for the throughput run")
    parser.add_argument("--repeat", type=int, default=3, help="throughput runs (the best counts)")
    parser.add_argument(
        "--show-errors", action="store_true", help="print false positives/negatives"
    )
    parser.add_argument("--no-speed", action="store_true", help="skip the throughput run")
    parser.add_argument(
        "--link", type=int, default=0, help="time corpus linking of this many made-up names"
    )
    args = parser.parse_args(argv)

    start = time.perf_counter()
    recognize("Warm up.", "en")
    print(
        f"start-up (first call: word lists, names, gazetteer): {time.perf_counter() - start:.2f} s"
    )
    for title, docs in (
        ("seeds (tests/fixtures/entities_gold.jsonl)", load_seed_gold()),
        ("other (tests/fixtures/entities_gold_other.jsonl)", load_other_gold()),
    ):
        scores = evaluate(docs, show_errors=args.show_errors)
        print()
        print(table(f"== {title}: {len(docs)} articles", scores))
    if not args.no_speed:
        runs: list[tuple[str, list[str]]] = []
        if args.corpus:
            runs.append((f"corpus {args.corpus}", corpus_from(args.corpus, args.mb)))
        else:
            project = generated_by_project(args.mb)
            if project:
                runs.append(("bench/generate.py corpus", project))
            runs.append(("seeds + gold texts, shuffled (dense)", generated_corpus(args.mb)))
        print()
        print(f"reference loop: {reference_seconds():.2f} s of CPU (about 0.5 s on an idle core)")
        for label, texts in runs:
            mbps, seconds, count = throughput(texts, args.repeat)
            size = sum(len(t.encode("utf-8")) for t in texts)
            print(
                f"throughput, {label}: {size / 1e6:.1f} MB in {len(texts)} articles, "
                f"{seconds:.2f} s of CPU (best of {args.repeat}), "
                f"{mbps:.2f} MB/s on one core, {count} mentions"
            )
    if args.link:
        seconds, rows, entities = link_scale(args.link)
        print(
            f"linking {args.link} made-up names ({rows} article rows): "
            f"{seconds:.1f} s of CPU, {entities} entities"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
