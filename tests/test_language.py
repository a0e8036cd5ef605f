"""Language detection as the reader's list and filters show it."""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tui.language import SAMPLE_CHARS, detect_language, load_profiles

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Short paragraphs (one or two sentences) of the kind a news article opens with.
PARAGRAPHS: dict[str, list[str]] = {
    "en": [
        "The company said on Tuesday that its profits had fallen sharply.",
        "Officials warned that the storm could reach the coast by the weekend.",
        "He told reporters he would not run again, ending months of speculation.",
        "Prices rose again in March, and economists expect the bank to act soon.",
    ],
    "de": [
        "Die Regierung hat am Dienstag neue Regeln für den Wohnungsmarkt beschlossen.",
        "Nach Angaben der Polizei wurde niemand verletzt, die Straße bleibt gesperrt.",
        "Er sagte, dass er das Angebot nicht annehmen werde, weil es zu spät sei.",
        "Im vergangenen Jahr ist die Zahl der Arbeitslosen leicht gestiegen.",
    ],
    "it": [
        "Il governo ha approvato ieri una nuova legge sul lavoro dopo mesi di trattative.",
        "Secondo la polizia, nessuno è rimasto ferito e la strada è stata riaperta.",
        "Ha detto che non si candiderà di nuovo, mettendo fine alle voci degli ultimi mesi.",
        "I prezzi sono saliti ancora a marzo e gli economisti si aspettano una decisione.",
    ],
    "fr": [
        "Le gouvernement a présenté mardi un nouveau projet de loi sur le logement.",
        "Selon la police, personne n'a été blessé et la route a été rouverte.",
        "Il a déclaré qu'il ne se représenterait pas, mettant fin à des mois de rumeurs.",
        "Les prix ont encore augmenté en mars et les économistes attendent une décision.",
    ],
    "es": [
        "El gobierno aprobó el martes una nueva ley sobre la vivienda tras meses de debate.",
        "Según la policía, nadie resultó herido y la carretera ya ha sido reabierta.",
        "Dijo que no volverá a presentarse, poniendo fin a meses de rumores.",
        "Los precios volvieron a subir en marzo y los economistas esperan una decisión.",
    ],
    "nl": [
        "De regering heeft dinsdag een nieuwe wet over de woningmarkt aangenomen.",
        "Volgens de politie raakte niemand gewond en is de weg weer open.",
        "Hij zei dat hij zich niet opnieuw kandidaat stelt, na maanden van geruchten.",
    ],
    "pt": [
        "O governo aprovou na terça-feira uma nova lei sobre a habitação.",
        "Segundo a polícia, ninguém ficou ferido e a estrada já foi reaberta.",
        "Ele disse que não vai se candidatar de novo, pondo fim a meses de rumores.",
    ],
    "sv": ["Polisen uppger att ingen skadades och att vägen nu är öppen igen."],
    "pl": ["Rząd przyjął we wtorek nową ustawę o mieszkaniach po miesiącach debaty."],
    "ru": ["Правительство во вторник одобрило новый закон о жилье после долгих споров."],
    "el": ["Η κυβέρνηση ενέκρινε την Τρίτη νέο νόμο για τη στέγαση."],
    "ja": ["政府は火曜日、住宅に関する新しい法律を承認しました。"],
    "zh": ["政府周二批准了一项关于住房的新法律。"],
}


@pytest.mark.parametrize(
    ("lang", "text"),
    [(lang, text) for lang, texts in PARAGRAPHS.items() for text in texts],
)
def test_short_paragraphs(lang: str, text: str) -> None:
    """One sentence of ordinary news prose is enough to name its language."""
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    ("name", "lang"),
    [
        ("000_cd6d14f578d2d039.txt", "en"),
        ("001_cf4d2f514ea51312.txt", "de"),
        ("002_309c0b0d63ec4386.txt", "en"),
        ("003_aba38dc4abdbe442.txt", "it"),
        ("004_9889b2f3170bb696.txt", "en"),
    ],
)
def test_seeds(name: str, lang: str) -> None:
    """Each bundled article is labelled with its language."""
    text = (SEEDS / name).read_text(encoding="utf-8").replace("\r\n", "\n")
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "12345 67.89 — !!! ???",
        "Elon Musk, Nvidia, Tesla",  # names only: no language in them
        "OK",
        "source site-18",
    ],
)
def test_unsure_gives_none(text: str) -> None:
    """Text without enough ordinary words gets no label rather than a wrong one."""
    assert detect_language(text) is None


def test_mixed_text_follows_the_opening() -> None:
    """A German article with a long English appendix is still German: its opening decides."""
    german = (" ".join(PARAGRAPHS["de"]) + "\n\n") * 20
    english = " ".join(PARAGRAPHS["en"]) * 200
    assert len(german) > SAMPLE_CHARS
    assert detect_language(german + english) == "de"
    assert detect_language(english + german) == "en"


def test_scandinavian_single_line_is_unsure_not_wrong() -> None:
    """Swedish vs Norwegian on a few shared words: None rather than a guess."""
    assert detect_language("Regeringen har på tisdagen lagt fram ett nytt förslag.") in (
        None,
        "sv",
    )


def test_huge_text_is_fast() -> None:
    """Only the first few KB are read, so a 5 MB article costs what a short one does."""
    import time

    text = " ".join(PARAGRAPHS["fr"]) * 20_000
    start = time.perf_counter()
    for _ in range(20):
        assert detect_language(text) == "fr"
    assert (time.perf_counter() - start) / 20 < 0.02


def test_profiles_cover_required_languages() -> None:
    """The shipped profiles hold the languages margin promises (en/de/it/fr/es, nl/pt)."""
    profiles = load_profiles()
    for lang in ("en", "de", "it", "fr", "es", "nl", "pt"):
        assert len(profiles[lang]) >= 300
        assert all(word.isalpha() and word == word.casefold() for word in profiles[lang])


def test_profiles_match_wordfreq() -> None:
    """The data file is what ``build_profiles`` makes from wordfreq (not typed by hand)."""
    pytest.importorskip("wordfreq")
    from tui.language import build_profiles

    built = build_profiles(["en", "it"])
    shipped = load_profiles()
    assert built["en"] == shipped["en"]
    assert built["it"] == shipped["it"]


def test_core_does_not_import_ui() -> None:
    """Header parsing and language detection never pull in textual, rich or wordfreq."""
    code = (
        "import sys, json; from tui.headers import parse_header; parse_header('The cat sat.');"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'rich', 'wordfreq'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert json.loads(out.stdout) == []


# Filler text as generators make it: Latin-looking words in random order. Words
# margin's profiles hold ("sit" in Danish, "non" and "in" in Italian, "est" in French)
# come up in it, but few of its words are frequent words of any one language.
LOREM_WORDS = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
    "incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud "
    "exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure "
    "in reprehenderit voluptate velit esse cillum eu fugiat nulla pariatur excepteur "
    "sint occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim "
    "id est laborum curabitur pretium tincidunt lacus gravida orci a odio nullam varius "
    "turpis pharetra eros bibendum nec luctus felis sollicitudin mauris integer nibh "
    "euismod ac tellus risus vulputate vehicula donec lobortis etiam ullamcorper ligula "
    "congue sapien quam maecenas fermentum mi pellentesque malesuada sem aliquet eget "
    "neque aliquam faucibus"
).split()


def lorem_ipsum(seed: int, sentences: int = 300) -> str:
    rng = random.Random(seed)
    words = (rng.sample(LOREM_WORDS, rng.randint(6, 14)) for _ in range(sentences))
    return "Lorem ipsum\n\n" + " ".join(" ".join(s).capitalize() + "." for s in words)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 200, id="line"),
        *(pytest.param(lorem_ipsum(seed), id=f"random-{seed}") for seed in range(5)),
    ],
)
def test_lorem_ipsum_is_no_language_margin_knows(text: str) -> None:
    """A long page of filler was Danish (its one word 'sit', 72 times) or Italian."""
    assert detect_language(text) is None


@pytest.mark.parametrize("lang", ["lt", "et"])
def test_a_language_without_a_profile_is_unknown(lang: str) -> None:
    """Lithuanian was Catalan and Estonian Finnish, on a few short words they share."""
    assert detect_language(load_bench_texts()[lang]) is None


def test_english_among_links_and_badges_is_still_english() -> None:
    """URLs and project names dilute a README's words; it stays English."""
    badge = "[![Build Status](https://ci.example.org/api/projects/status/x7hq2?svg=true)]"
    text = "\n".join(
        [
            "# fastcodec",
            badge + "(https://ci.example.org/project/fastcodec)",
            badge + "(https://coveralls.io/r/fastcodec/fastcodec?branch=main)",
            "",
            "A small library for encoding and decoding data with a stable API.",
            "It is written in C and has bindings for Python, Go and Rust.",
            "See the documentation at https://fastcodec.example.org/docs for how to use it.",
        ]
    )
    assert detect_language(text) == "en"


def load_bench_texts() -> dict[str, str]:
    """The sample paragraphs of ``bench/encodings.py``, one per language."""
    path = Path(__file__).resolve().parent.parent / "bench" / "encodings.py"
    spec = importlib.util.spec_from_file_location("margin_bench_encodings", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    texts: dict[str, str] = module.TEXTS
    return texts


@pytest.mark.parametrize(
    "text",
    [
        "Attendees included Jamie Dimon, Jane Fraser, Brian Moynihan, David Solomon, Ted Pick,"
        " Charlie Scharf, Larry Fink, Stephen Schwarzman, Ken Griffin, Marc Rowan, Jon Gray,"
        " Bill Ackman and Ray Dalio, as well as Janet Yellen and Jerome Powell.",
        "Nvidia, Microsoft, Alphabet lead Nasdaq higher; Tesla, Apple lag\n\nNvidia Corp,"
        " Microsoft Corp and Alphabet Inc rose on Monday, while Tesla Inc and Apple Inc fell.",
    ],
)
def test_english_full_of_names_is_still_english(text: str) -> None:
    # Names are in no profile: a record that lists people is English by its other words.
    assert detect_language(text) == "en"
