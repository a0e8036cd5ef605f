"""Language detection as the reader's list and filters show it."""

from __future__ import annotations

import json
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
