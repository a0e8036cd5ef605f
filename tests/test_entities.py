"""The entity recognizers, one by one, on text written for the tests."""

from __future__ import annotations

import itertools
import re

import pytest

import tui.entities.names
from tui.entities import Gazetteer, Mention, recognize
from tui.entities.mention import TYPES
from tui.entities.patterns import alternation


def spans(text: str, language: str | None, kind: str | None = None) -> list[tuple[str, str]]:
    """(surface, type) of each mention, optionally of one type."""
    return [
        (text[m.start : m.end], m.type)
        for m in recognize(text, language)
        if kind is None or m.type == kind
    ]


def surfaces(text: str, language: str | None, kind: str) -> list[str]:
    return [s for s, _ in spans(text, language, kind)]


# -- money -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("The startup raised $500 million last week.", "en", "$500 million"),
        ("Tesla will 500 Millionen US-Dollar ausgeben.", "de", "500 Millionen US-Dollar"),
        ("Un round da 6 miliardi di dollari per la società.", "it", "6 miliardi di dollari"),
        ("Der Konzern investiert 2,5 Mrd. Euro in das Werk.", "de", "2,5 Mrd. Euro"),
        ("Le groupe a levé 3 milliards d'euros.", "fr", "3 milliards d'euros"),
        ("La empresa invirtió 40 millones de dólares.", "es", "40 millones de dólares"),
        ("Shares traded at €12.50 on Friday.", "en", "€12.50"),
    ],
)
def test_money(text: str, language: str, expected: str) -> None:
    assert surfaces(text, language, "MONEY") == [expected]


def test_money_range_is_one_mention() -> None:
    text = "Die Chips kosten zwischen 25.000 und 30.000 US-Dollar pro Stück."
    assert surfaces(text, "de", "MONEY") == ["25.000 und 30.000 US-Dollar"]
    assert surfaces("Analysts see $30-$40 of upside.", "en", "MONEY") == ["$30-$40"]


def test_vague_money() -> None:
    text = "Es stehen mehrere Milliarden Dollar pro Jahr auf dem Spiel."
    assert surfaces(text, "de", "MONEY") == ["mehrere Milliarden Dollar"]


# -- dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Die Abstimmung ist im Dezember geplant.", "de", ["Dezember"]),
        ("L'accordo è stato firmato lo scorso novembre.", "it", ["lo scorso novembre"]),
        ("The plant opened on 11 September 2023.", "en", ["11 September 2023"]),
        ("It was announced on May 29, 2024 in Paris.", "en", ["May 29, 2024"]),
        ("Das Gesetz gilt ab dem 1. Januar 2024.", "de", ["1. Januar 2024"]),
        ("Il bilancio del mese scorso era positivo.", "it", ["mese scorso"]),
        ("Published 2024-05-29 by the agency.", "en", ["2024-05-29"]),
        ("The team won on Sunday and again in 2021.", "en", ["Sunday", "2021"]),
        ("Elle partira la semaine prochaine.", "fr", ["la semaine prochaine"]),
        ("Fri, 05 Apr 2024 14:20:52 GMT", "en", ["Fri, 05 Apr 2024 14:20:52 GMT"]),
        ("We expect it next year, not this year.", "en", ["next year", "this year"]),
    ],
)
def test_dates(text: str, language: str, expected: list[str]) -> None:
    assert surfaces(text, language, "DATE") == expected


def test_may_the_verb_is_no_date() -> None:
    assert surfaces("Prices may rise, analysts may say.", "en", "DATE") == []


@pytest.mark.parametrize(
    "text",
    [
        "In May 2024 the firm raised $5 million; last year 3 billion.",
        "MAY_2024 _May May2024 2May May² mayor May' «May» may-June",
        "Mai 2024: 5 Mrd. Euro, im März, nächstes Jahr, AMD_ALL ALL2 EUR5",
        "fine dell'anno, 3 milioni di euro; questo mese\u0301 e May\u0301",
        "billion billions billion_ million² 5bn bn mn Mn BN x",
        "Sales rose_June, then 5_billion and x_Monday.",
    ],
)
def test_trigger_words_found_with_the_names_as_by_themselves(text: str) -> None:
    """The gazetteer's pass finds the words that open money or dates where
    ``numbers`` alone would, whatever stands next to them."""
    from tui.entities.numbers import _word_hits, _words_at

    for gazetteer in (Gazetteer.empty(), Gazetteer.default()):
        words = gazetteer.scan(text, "en")[2]
        assert words is not None
        assert _words_at(text, words) == _word_hits(text)
    other = "Москва, 5 млн долларов. " * 60  # another script: numbers looks for itself
    assert Gazetteer.empty().scan(other)[2] is None


# -- percentages and quantities --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Revenue grew 200% last quarter.", "en", "200%"),
        ("Der Absatz fiel um 15 Prozent.", "de", "15 Prozent"),
        ("Gli sbarchi sono aumentati del 15 per cento.", "it", "15 per cento"),
        ("Inflation reached 6,1 Prozent.", "de", "6,1 Prozent"),
    ],
)
def test_percent(text: str, language: str, expected: str) -> None:
    assert surfaces(text, language, "PERCENT") == [expected]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("The lab bought 10,000 H100 GPUs this spring.", "en", "10,000 H100 GPUs"),
        ("L'azienda ha ordinato 100.000 chip ieri.", "it", "100.000 chip"),
        ("Im Stadion saßen 81.365 Zuschauer.", "de", "81.365 Zuschauer"),
        ("The fund reassigned 12k of its servers.", "en", "12k"),
    ],
)
def test_quantity(text: str, language: str, expected: str) -> None:
    assert surfaces(text, language, "QUANTITY") == [expected]


def test_bare_numbers_are_not_quantities() -> None:
    text = "HW 4 will be 3-5 times faster; the score was 2-1."
    assert surfaces(text, "en", "QUANTITY") == []


# -- names and their types -------------------------------------------------------


def test_person_from_given_name_and_title() -> None:
    text = "Yesterday Giorgia Meloni met Herr Kowalczyk in the capital."
    found = spans(text, "en")
    assert ("Giorgia Meloni", "PERSON") in found
    assert ("Kowalczyk", "PERSON") in found


def test_company_form_and_role() -> None:
    text = "Shares of Brembo S.p.A. rose while Acme Corp. CEO Dana Whitfield spoke."
    found = spans(text, "en")
    assert ("Brembo S.p.A.", "ORG") in found
    assert ("Acme Corp.", "ORG") in found
    assert ("Dana Whitfield", "PERSON") in found


@pytest.mark.parametrize(
    ("text", "language", "surface"),
    [
        ("Ayer Zentrix se prepara para lanzar un nuevo chip.", "es", "Zentrix"),
        ("Secondo Zentrix se il mercato cresce, i prezzi calano.", "it", "Zentrix"),
        ("Die Zentrix AG meldete am Montag Gewinne.", "de", "Zentrix AG"),
        ("Shares of Zentrix plc fell on Monday.", "en", "Zentrix plc"),
    ],
)
def test_a_company_form_is_written_with_a_capital(text: str, language: str, surface: str) -> None:
    """Spanish and Italian "se" after a name is a word, not the form SE ("Infineon se")."""
    assert (surface, "ORG") in spans(text, language)


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Users of the chatbot Zorblax complained on Monday.", "en", "Zorblax"),
        ("The startup released Zorblax, a chatbot for lawyers.", "en", "Zorblax"),
        ("Schools banned chatbots like Zorblax this year.", "en", "Zorblax"),
        ("Gestern antwortete der Chatbot Zorblax falsch.", "de", "Zorblax"),
        ("Il supercomputer Kestrel entrerà in funzione a marzo.", "it", "Kestrel"),
        ("Kestrel Supercomputer Goes Online At Last", "en", "Kestrel"),
    ],
)
def test_a_kind_of_product_next_to_a_name_makes_it_a_product(
    text: str, language: str, name: str
) -> None:
    assert (name, "PRODUCT") in spans(text, language)


def test_german_names_in_capitals_are_not_nouns() -> None:
    text = "Die Opposition aus CDU und CSU kritisierte das Gesetz, die SPD schwieg."
    found = spans(text, "de", "ORG")
    assert [s for s, _ in found] == ["CDU", "CSU", "SPD"]


def test_a_german_noun_before_a_persons_name_is_a_role() -> None:
    text = "Am Abend hat Dirigent Anton Wertheimer das Programm vorgestellt."
    assert spans(text, "de") == [("Anton Wertheimer", "PERSON")]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Il governatore della Banca d'Italia ha parlato.", "it", ("Banca d'Italia", "ORG")),
        ("La Valle d'Aosta ha votato ieri.", "it", ("Valle d'Aosta", "PLACE")),
        ("Le cacao de la Côte d'Ivoire est cher.", "fr", ("Côte d'Ivoire", "PLACE")),
    ],
)
def test_an_elided_d_joins_a_name(text: str, language: str, expected: tuple[str, str]) -> None:
    assert expected in spans(text, language)


def test_an_auxiliary_before_a_verb_of_saying() -> None:
    said = "Il portavoce Marco Ferraresi ha detto che il piano resta."
    assert ("Marco Ferraresi", "PERSON") in spans(said, "it")
    done = "L'Università di Bologna ha presentato un nuovo telescopio."
    assert ("Università di Bologna", "ORG") in spans(done, "it")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Shares in Kelvora fell 3% after the group cut its forecast.", "en"),
        ("Die Aktien von Kelvora verloren am Montag deutlich.", "de"),
        ("Le azioni di Kelvora hanno perso il 3% in Borsa.", "it"),
    ],
)
def test_what_one_holds_in_a_company_makes_it_one(text: str, language: str) -> None:
    assert ("Kelvora", "ORG") in spans(text, language)


def test_a_preposition_with_an_article_is_not_counted() -> None:
    text = "La squadra ha vinto per 2 a 1 allo stadio e 3 nel girone."
    assert surfaces(text, "it", "QUANTITY") == []


def test_german_nouns_and_sentence_starts_are_not_names() -> None:
    text = (
        "Die Mikrochips kosten viel Geld. Der Milliardär sagte, dass Quantara die "
        "Technologieunternehmen überholen werde."
    )
    assert [s for s, _ in spans(text, "de")] == ["Quantara"]


def test_english_sentence_starts_are_not_names() -> None:
    text = "Despite the rally, Brevik stayed calm. According to Brevik, nothing changed."
    assert [s for s, _ in spans(text, "en")] == ["Brevik", "Brevik"]


def test_places_from_the_gazetteer() -> None:
    text = "Il ministro è volato da Roma a Bruxelles, poi in Spagna."
    found = recognize(text, "it")
    assert [(text[m.start : m.end], m.type, m.name) for m in found if m.type == "PLACE"] == [
        ("Roma", "PLACE", "Rome"),
        ("Bruxelles", "PLACE", "Brussels"),
        ("Spagna", "PLACE", "Spain"),
    ]


def test_german_compound_keeps_the_name() -> None:
    text = "Der Konzern kauft Quantara-Chips und Quantara-Hardware."
    assert surfaces(text, "de", "ORG") == ["Quantara", "Quantara"]


def test_abbreviation_spelled_out_is_no_entity() -> None:
    text = "The car uses full self-driving (FSD) software made by Zentrix."
    assert [s for s, _ in spans(text, "en")] == ["Zentrix"]


def test_demonyms_are_not_names() -> None:
    text = "The Canadian minister met Indian officials in Ottawa."
    assert spans(text, "en") == [("Ottawa", "PLACE")]


def test_a_place_in_capitals_is_the_place() -> None:
    text = "BERLIN (dpa) - Die Regierung tagte am Montag."
    assert ("BERLIN", "PLACE") in spans(text, "de")
    assert spans("PARIS - Talks resumed on Monday.", "en") == [
        ("PARIS", "PLACE"),  # and the dateline's dash opens the sentence
        ("Monday", "DATE"),
    ]
    assert recognize("PARIS - Talks resumed.", "en")[0].name == "Paris"


def test_irregular_demonyms_from_language_names_are_not_names() -> None:
    text = "The French ministry hired Dutch and Thai engineers; Polish firms followed."
    assert spans(text, "en") == []


# -- overall contract ------------------------------------------------------------


def test_mentions_are_sorted_typed_and_never_overlap() -> None:
    text = (
        "Tesla Inc. CEO Elon Musk said on Friday that Tesla will spend $500 million "
        "on 10,000 H100 GPUs from Nvidia Corp. in Austin, up 15% from 2023."
    )
    found = recognize(text, "en")
    assert found == sorted(found, key=lambda m: m.start)
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start
    assert all(isinstance(m, Mention) and m.type in TYPES for m in found)
    assert all(0 <= m.start < m.end <= len(text) for m in found)


def test_empty_and_unknown_language() -> None:
    assert recognize("", "en") == []
    assert recognize("Nothing to see here.", "xx") == []
    assert recognize("Zentrix hired 40 engineers.", None)[0].type == "ORG"


def test_empty_gazetteer_still_finds_names() -> None:
    text = "Jensen Huang spoke in Taipei."
    found = recognize(text, "en", Gazetteer.empty())
    assert ("Jensen Huang", "PERSON") in [(text[m.start : m.end], m.type) for m in found]


def test_alternation_matches_its_words_longest_first() -> None:
    words = ["jan", "januar", "january", "june", "of the", "us-dollar", "US$"]
    pattern = re.compile(f"(?:{alternation(words)})")
    for word in words:
        assert pattern.fullmatch(word)
    assert pattern.match("january 5").group() == "january"
    assert pattern.match("januar 5").group() == "januar"
    assert pattern.match("jan. 5").group() == "jan"
    assert pattern.match("ju") is None
    # Backtracking still reaches a shorter word when the longer fails the rest.
    assert re.fullmatch(f"(?:{alternation(words)})uary", "january")


def test_german_words_with_sharp_s_are_looked_up_folded() -> None:
    # wordfreq lists "ß" as "ss": such nouns and sentence starts were names before.
    text = (
        "Die Fußgängerzone ist voll. Gemäß dem Plan wächst die Stadt. "
        "Größere Sorgen gibt es in Köln."
    )
    assert spans(text, "de") == [("Köln", "PLACE")]


@pytest.mark.parametrize("name", ["Linde", "Henkel", "Allianz"])
def test_a_common_german_word_before_a_company_form_is_a_name(name: str) -> None:
    text = f"Die {name} AG meldet einen Gewinn. Der Umsatz der {name} SE stieg."
    assert [(s, m.type, m.name) for s, m in _found(text, "de")] == [
        (f"{name} AG", "ORG", name),
        (f"{name} SE", "ORG", name),
    ]


def _found(text: str, language: str) -> list[tuple[str, Mention]]:
    return [(text[m.start : m.end], m) for m in recognize(text, language)]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Mobile: +1 555 0100\nCategory: markets\n\nThe market rose.", "en"),
        ("**Mobile:** +1 555 0100\n\nThe market rose.", "en"),
        ("Betreff: Zahlen\nQuelle: Agentur\n\nDer Markt stieg.", "de"),
    ],
)
def test_the_label_of_a_field_is_no_entity(text: str, language: str) -> None:
    assert [s for s, kind in spans(text, language) if kind not in ("QUANTITY", "DATE")] == []


def test_a_name_before_a_colon_that_recurs_stays_a_name() -> None:
    text = "Brevik: we will win\n\nThe coach Brevik said so."
    assert surfaces(text, "en", "PERSON") == ["Brevik", "Brevik"]


def test_a_language_without_rules_drops_sentence_starts() -> None:
    text = "Сегодня Бревик приехал. Новый план готов. Вчера Бревик уехал."
    assert [s for s, _ in spans(text, "ru")] == ["Бревик", "Бревик"]
    assert [s for s, _ in spans("Hoje o Quantara lançou. Ontem houve chuva.", "pt")] == ["Quantara"]


def test_a_markdown_heading_opens_a_sentence() -> None:
    text = "## Overview\n\nThe overview explains it.\n\n### Background\n\nSome background here."
    assert spans(text, "en") == []


def test_a_sentence_start_written_in_lower_case_elsewhere_is_no_name() -> None:
    text = "Second, the final match was played. Final scores were high."
    assert spans(text, "en") == []
    text = "Von der Leyen said so. Later von der Leyen left."
    assert next(s for s, _ in spans(text, "en")) == "Von der Leyen"


def test_an_ordinary_word_alone_in_a_heading_is_a_section_title() -> None:
    text = "## Status\n\nIt went well.\n\n### Marketing:\n\n# Quantara results\n\nShares rose."
    assert spans(text, "en") == [("Quantara", "ORG")]
    text = "## Tesla\n\nThe carmaker Tesla sold cars."
    assert surfaces(text, "en", "ORG") == ["Tesla", "Tesla"]


def test_accented_given_names_are_known() -> None:
    """The name dictionary is UTF-8: read as Latin-1, every accented given name was
    unknown, and 'José Mourinho' was an organisation."""
    from tui.entities.firstnames import popularity

    assert all(popularity(name) > 0 for name in ("josé", "björn", "jürgen", "chloé", "łukasz"))
    found = recognize("Yesterday José Mourinho and Björn Borg met in Rome.", "en")
    people = {m.name for m in found if m.type == "PERSON"}
    assert {"José Mourinho", "Björn Borg"} <= people


def test_a_text_is_read_the_same_whatever_was_read_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs of capitalised words are remembered from one text to the next; in a language
    margin has no rules for, the rules (and so what is remembered) are the guessed
    language's: a run read in an Italian-looking text did not carry over to an English one."""
    italian = (
        "Il ministro ha parlato ieri con Álvaro Su questo tema della economia e della "
        "politica del paese, che è molto importante per tutti."
    )
    english = (
        "The minister spoke yesterday with Álvaro Su about the economy and the politics "
        "of the country, which is very important for everyone."
    )

    def alone(text: str) -> list[Mention]:
        monkeypatch.setattr(tui.entities.names, "_RUNS", {})
        monkeypatch.setattr(tui.entities.names, "_VERDICTS", {})
        return recognize(text, "nl")

    for before, text in ((italian, english), (english, italian)):
        expected = alone(text)
        alone(before)
        assert recognize(text, "nl") == expected
