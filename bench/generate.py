"""Write a deterministic, realistic corpus of N articles for the benchmarks.

    python bench/generate.py N OUT [--seed S]

Articles are news-like: a headline, a date line (several formats), a byline,
paragraphs of sentences in English, German, Italian, French or Spanish (the
languages' own frequent words from ``tui/data/language_profiles.json``, plus a
Zipf-distributed long tail of made-up content words, so the vocabulary grows
with N as a real corpus's does), people and company names, sums and dates.
About 60 % are ``.txt``, 20 % ``.md`` (front matter) and 20 % records of
``.jsonl`` feeds, in nested folders (source/year/month). The same N and seed
always give the same bytes.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import time
from pathlib import Path

LANGUAGES = ("en", "de", "it", "fr", "es")
LANGUAGE_WEIGHTS = (0.5, 0.2, 0.12, 0.1, 0.08)
SOURCES = ("Reuters", "Benzinga", "Handelsblatt", "Il Sole 24 Ore", "Le Monde", "El País",
           "The Verge", "Heise", "Wired", "TechCrunch")  # fmt: skip
FIRST = ("Elena", "Marco", "Jensen", "Lisa", "Sundar", "Satya", "Anna", "Jörg", "François",
    "Chloé", "José", "María", "Giulia", "Luca", "Sophie", "Hans", "Yann", "Mira", "Omar",
    "Priya", "Kenji", "Ingrid", "Álvaro", "Björn", "Zoë", "Dmitri", "Fatima", "Tomasz")  # fmt: skip
LAST = ("Marchetti", "Huang", "Su", "Pichai", "Nadella", "Schäfer", "Müller", "Dubois",
    "García", "Rossi", "Bianchi", "Lefèvre", "Zuckerberg", "Musk", "LeCun", "Murati",
    "Altman", "Kowalski", "Nakamura", "Lindqvist", "Moreau", "Fernández", "Weiß",
    "Conti")  # fmt: skip
COMPANIES = ("Nvidia", "Tesla", "xAI", "Meta", "OpenAI", "Intel", "AMD", "TSMC", "Samsung",
    "Siemens", "SAP", "Infineon", "STMicroelectronics", "ASML", "Arm", "Qualcomm",
    "Mistral", "Aleph Alpha", "Graphcore", "Cerebras", "Anthropic", "Alphabet")  # fmt: skip
PRODUCTS = ("H100", "H200", "B200", "MI300X", "Dojo", "Gaudi3", "TPUv5", "Grace Hopper",
            "Blackwell", "Colossus", "Llama 3", "Grok")  # fmt: skip
SYLLABLES = ("ka", "lo", "mi", "ra", "ten", "sor", "vel", "tri", "an", "bel", "chi", "dor",
             "en", "fal", "gri", "hel", "is", "jun", "kor", "lum", "mer", "nov", "or", "pra",
             "qui", "ros", "sal", "tur", "um", "var", "wen", "xen", "yor", "zan", "ber", "cla",
             "des", "fro", "gan", "hor", "ist", "kel", "lan", "mon", "nar", "ost", "per", "ric",
             "ste", "tal", "und", "ver", "ach", "ung", "heit", "zione", "mente", "ción", "ité",
             "ment", "ness", "ing", "ed", "er", "ré", "mü", "lö", "bä", "tè", "ña")  # fmt: skip
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
TAIL_WORDS = 300_000
"""Size of the made-up long tail, drawn with Zipf weights: most never appear at small N."""


def _profiles() -> dict[str, list[tuple[str, float]]]:
    path = Path(__file__).resolve().parent.parent / "tui" / "data" / "language_profiles.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {lang: list(data[lang].items()) for lang in LANGUAGES}


def _tail(rng: random.Random) -> list[str]:
    words: set[str] = set()
    out: list[str] = []
    while len(out) < TAIL_WORDS:
        n = rng.choice((2, 2, 3, 3, 3, 4, 4, 5))
        word = "".join(rng.choice(SYLLABLES) for _ in range(n))
        if word not in words:
            words.add(word)
            out.append(word)
    return out


class Generator:
    """Deterministic article factory."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        profiles = _profiles()
        self.function: dict[str, tuple[list[str], list[float]]] = {}
        for lang, items in profiles.items():
            words = [w for w, _ in items if w.isalpha()]
            weights = [10 ** (z - 5) for w, z in items if w.isalpha()]
            self.function[lang] = (words, list(itertools.accumulate(weights)))
        self.tail = _tail(random.Random(seed + 1))
        self.tail_cum = list(
            itertools.accumulate(1.0 / (r + 10) ** 1.05 for r in range(TAIL_WORDS))
        )

    def content_word(self) -> str:
        x = self.rng.random() * self.tail_cum[-1]
        return self.tail[bisect.bisect_left(self.tail_cum, x)]

    def person(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def sum_(self, lang: str) -> str:
        n = self.rng.choice((5, 12, 24, 85, 100, 250, 500, 600, 1200, 10_000))
        unit = self.rng.choice(
            {
                "en": ("million", "billion"),
                "de": ("Millionen", "Milliarden"),
                "it": ("milioni", "miliardi"),
                "fr": ("millions", "milliards"),
                "es": ("millones", "mil millones"),
            }[lang]
        )
        if lang == "en":
            return f"${n:,} {unit}"
        return f"{n:,}".replace(",", ".") + f" {unit} " + ("Euro" if lang == "de" else "euro")

    def sentence(self, lang: str) -> str:
        words, cum = self.function[lang]
        n = self.rng.randint(8, 24)
        out: list[str] = []
        total = cum[-1]
        for _ in range(n):
            r = self.rng.random()
            if r < 0.52:
                out.append(words[bisect.bisect_left(cum, self.rng.random() * total)])
            elif r < 0.93:
                out.append(self.content_word())
            elif r < 0.96:
                out.append(self.rng.choice(COMPANIES))
            elif r < 0.975:
                out.append(self.person())
            elif r < 0.99:
                out.append(self.rng.choice(PRODUCTS))
            else:
                out.append(self.sum_(lang))
        text = " ".join(out)
        return text[0].upper() + text[1:] + self.rng.choice((".", ".", ".", "?", "!"))

    def article(self, number: int) -> dict[str, str]:
        rng = self.rng
        lang = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
        year = rng.choice((2022, 2023, 2024, 2024, 2025))
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        company, person = rng.choice(COMPANIES), self.person()
        title_words = [company, self.content_word(), self.content_word(), rng.choice(PRODUCTS)]
        title = f"{person}: " + " ".join(title_words)
        paragraphs: list[str] = []
        size = int(rng.lognormvariate(8.1, 0.5))  # ~3,300 characters median, long tail
        length = 0
        while length < size:
            para = " ".join(self.sentence(lang) for _ in range(rng.randint(2, 6)))
            paragraphs.append(para)
            length += len(para)
        return {
            "title": title.strip(),
            "date": f"{year:04d}-{month:02d}-{day:02d}",
            "date_text": f"{MONTHS[month - 1]} {day}, {year}",
            "source": rng.choice(SOURCES),
            "author": person,
            "language": lang,
            "body": "\n\n".join(paragraphs),
            "slug": f"{company.lower().replace(' ', '-')}-{number:06d}",
        }


def write_corpus(n: int, out: Path, seed: int = 7) -> tuple[int, int]:
    """Write ``n`` articles under ``out``; return (files, bytes)."""
    gen = Generator(seed)
    out.mkdir(parents=True, exist_ok=True)
    feeds: dict[Path, list[str]] = {}
    files = 0
    size = 0
    for number in range(n):
        a = gen.article(number)
        kind = gen.rng.random()
        folder = out / a["source"].replace(" ", "_") / a["date"][:4] / a["date"][5:7]
        if kind < 0.2:
            feed = out / "feeds" / f"{a['source'].replace(' ', '_')}-{a['date'][:4]}.jsonl"
            record = {k: a[k] for k in ("title", "date", "source", "author", "language")}
            record["text"] = a["body"]
            feeds.setdefault(feed, []).append(json.dumps(record, ensure_ascii=False))
            continue
        folder.mkdir(parents=True, exist_ok=True)
        if kind < 0.4:
            path = folder / f"{a['slug']}.md"
            text = (
                f"---\ntitle: {json.dumps(a['title'], ensure_ascii=False)}\ndate: {a['date']}\n"
                f"source: {a['source']}\nauthor: {a['author']}\n---\n\n# {a['title']}\n\n"
                + a["body"]
                + "\n"
            )
        else:
            path = folder / f"{a['slug']}.txt"
            text = f"{a['title']}\n\n{a['date_text']}\n\nBy {a['author']}\n\n{a['body']}\n"
        data = text.encode("utf-8")
        path.write_bytes(data)
        files += 1
        size += len(data)
    for feed, lines in feeds.items():
        feed.parent.mkdir(parents=True, exist_ok=True)
        data = ("\n".join(lines) + "\n").encode("utf-8")
        feed.write_bytes(data)
        files += 1
        size += len(data)
    return files, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.monotonic()
    files, size = write_corpus(args.n, args.out, args.seed)
    print(
        f"{args.n} articles in {files} files, {size / 1e6:.1f} MB, "
        f"{time.monotonic() - started:.1f} s -> {args.out}"
    )


if __name__ == "__main__":
    main()
