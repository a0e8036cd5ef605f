"""Header parsing: the title, date, byline and dimmed lines a reader sees."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus import load_corpus
from tui.headers import TITLE_MAX, normalize_date, parse_header, shorten
from tui.model import Header, word_count

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8").replace("\r\n", "\n")


def pieces(text: str, ranges: tuple[tuple[int, int], ...]) -> list[str]:
    """The text of each range, stripped: what the reader dims."""
    return [text[start:end].strip() for start, end in ranges]


def dimmed_lines(text: str, header: Header) -> set[str]:
    return set(pieces(text, header.boilerplate))


# --- the five seeds ------------------------------------------------------------


def test_seed_000_rfc2822_date_line_and_benzinga_trailer() -> None:
    text = seed("000_cd6d14f578d2d039.txt")
    h = parse_header(text)
    assert h.date == "2024-04-05"
    assert pieces(text, h.meta) == ["Fri, 05 Apr 2024 14:20:52 GMT"]
    # No headline line: the first sentence, not cut at "Inc." or "Corp.'s", shortened.
    assert h.title.startswith("Tesla Inc. TSLA CEO Elon Musk disagrees with Nvidia Corp.'s")
    assert h.title.endswith("…") and len(h.title) <= TITLE_MAX
    assert h.language == "en"
    assert h.source == "Benzinga"
    assert h.author is None
    dim = dimmed_lines(text, h)
    assert any(line.startswith("See Also: Dan Ives") for line in dim)
    assert any(line.startswith("Read Next: Did Meta Sell") for line in dim)
    assert any(line.startswith("Disclaimer: This content") for line in dim)
    assert any(line.startswith("Check out more of Benzinga") for line in dim)
    # The article's own paragraphs stay undimmed.
    assert not any(line.startswith("What Happened:") for line in dim)
    assert not any(line.startswith("Despite Huang") for line in dim)


def test_seed_001_german_headline_and_business_insider_credit() -> None:
    text = seed("001_cf4d2f514ea51312.txt")
    h = parse_header(text)
    assert h.title == (
        "Elon Musk vergleicht das KI-Rennen mit Pokerspielen – Sie müssen jedes Jahr "
        "Milliarden ausgeben…"
    )
    assert h.date is None
    assert h.language == "de"
    assert h.source == "Business Insider"
    assert h.author is None
    dim = dimmed_lines(text, h)
    assert "Lesen Sie den Originalartikel auf Business Insider" in dim
    assert "source site-18" in dim
    assert h.meta == ()
    # The last real paragraph is body, though it names Business Insider too.
    assert not any(line.startswith("Tesla reagierte nicht") for line in dim)


def test_seed_002_no_blank_lines_and_related_posts_list() -> None:
    text = seed("002_309c0b0d63ec4386.txt")
    h = parse_header(text)
    assert h.title.startswith(
        "At a Twitter Space conference, Elon Musk held court on all things AI"
    )
    assert h.title.endswith("…") and len(h.title) <= TITLE_MAX
    # "Production in 2023" in a teaser headline is not the article's date.
    assert h.date is None
    assert h.language == "en"
    assert (h.source, h.author) == (None, None)
    tail = text.rstrip("\n").split("\n")[-4:]
    assert tail[0] == "Related Posts:"
    assert dimmed_lines(text, h) == set(tail)
    assert h.meta == ()


def test_seed_003_partial_date_prefix_on_the_first_line() -> None:
    text = seed("003_aba38dc4abdbe442.txt")
    h = parse_header(text)
    assert h.date == "2024-06"
    assert pieces(text, h.meta) == ["date 2024-06"]
    assert h.title.startswith("Secondo alcune email interne di Nvidia ottenute dalla CNBC")
    assert "date" not in h.title and len(h.title) <= TITLE_MAX
    assert h.language == "it"
    assert (h.source, h.author) == (None, None)
    assert h.boilerplate == ()


def test_seed_004_date_prefix_next_article_kicker_and_byline() -> None:
    text = seed("004_9889b2f3170bb696.txt")
    h = parse_header(text)
    assert h.date == "2024-05-29"
    assert h.title == "Meta AI chief mocks Musk's xAI recruitment drive on X"
    assert h.author == "Dwaipayan Roy"
    assert h.language == "en"
    assert h.source is None
    assert pieces(text, h.meta) == [
        "date 2024-05-29",
        "By Dwaipayan Roy 03:14 pm May 29, 202403:14 pm",
    ]
    assert pieces(text, h.boilerplate) == ["Next Article"]


def test_seed_dates_sort_as_strings() -> None:
    """Full and partial ISO dates order correctly as plain strings in the article list."""
    dates = [parse_header(seed(p.name)).date for p in sorted(SEEDS.glob("*.txt"))]
    known = [d for d in dates if d]
    assert sorted(known) == ["2024-04-05", "2024-05-29", "2024-06"]


# --- titles ----------------------------------------------------------------------


def test_explicit_first_line_is_the_title() -> None:
    h = parse_header("Rates Rise Again\n\nThe central bank raised rates on Thursday. More.")
    assert h.title == "Rates Rise Again"


def test_date_line_before_the_title_is_skipped() -> None:
    h = parse_header("12 March 2024\n\nRates Rise Again\n\nThe bank raised rates. More.")
    assert (h.title, h.date) == ("Rates Rise Again", "2024-03-12")


def test_without_headline_the_first_sentence_is_the_title() -> None:
    h = parse_header("Dr. Smith said on Monday the U.S. plan would fail. Others disagreed.")
    assert h.title == "Dr. Smith said on Monday the U.S. plan would fail."


def test_markdown_heading_is_a_title() -> None:
    assert parse_header("# A Heading Title\n\nSome body text here.").title == "A Heading Title"


def test_long_titles_are_shortened_at_a_word_boundary() -> None:
    long = "word " * 60
    title = shorten(long)
    assert len(title) <= TITLE_MAX and title.endswith("…")
    assert title[:-1].split() == ["word"] * len(title[:-1].split())
    assert shorten("  short   title \n") == "short title"


def test_title_is_one_line_even_for_one_huge_line() -> None:
    h = parse_header("x" * 5000)
    assert "\n" not in h.title and len(h.title) <= TITLE_MAX


def test_empty_text_has_empty_title() -> None:
    assert parse_header("") == Header(title="")


# --- dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_line", "expected"),
    [
        ("Fri, 05 Apr 2024 14:20:52 GMT", "2024-04-05"),
        ("Wed, 29 May 2024 08:00:00 +0200", "2024-05-29"),
        ("date 2024-05-29", "2024-05-29"),
        ("2024-05-29T10:15:00Z", "2024-05-29"),
        ("Published: May 29, 2024", "2024-05-29"),
        ("Tuesday, May 7, 2024 at 10:30 am", "2024-05-07"),
        ("29. Mai 2024, 14:30 Uhr", "2024-05-29"),
        ("Veröffentlicht am 03.06.2024", "2024-06-03"),
        ("29 maggio 2024", "2024-05-29"),
        ("Pubblicato il 5 giugno 2024 alle 10:00", "2024-06-05"),
        ("le 1er mai 2024 à 10h30", "2024-05-01"),
        ("29 de mayo de 2024", "2024-05-29"),
        ("date 2024-06", "2024-06"),
        ("Mai 2024", "2024-05"),
        ("Date: 2024", "2024"),
    ],
)
def test_date_lines(first_line: str, expected: str) -> None:
    text = f"{first_line}\n\nA Plain Headline\n\nThe body of the article. It goes on."
    h = parse_header(text)
    assert h.date == expected
    assert pieces(text, h.meta) == [first_line]
    assert h.title == "A Plain Headline"


@pytest.mark.parametrize(
    ("byline", "author", "date"),
    [
        ("By Jane Doe May 29, 2024", "Jane Doe", "2024-05-29"),
        ("By Jane Doe and John Smith | Updated 03:14 pm May 29, 2024", "Jane Doe and John Smith",
         "2024-05-29"),
        ("Von Anna Müller, 12. März 2024", "Anna Müller", "2024-03-12"),
        ("Di Mario Rossi 5 maggio 2024", "Mario Rossi", "2024-05-05"),
        ("Par Jean Dupont, le 1er mai 2024", "Jean Dupont", "2024-05-01"),
        ("Por María García 29 de mayo de 2024", "María García", "2024-05-29"),
        ("By Jean-Luc O'Brien", "Jean-Luc O'Brien", None),
    ],
)  # fmt: skip
def test_bylines(byline: str, author: str, date: str | None) -> None:
    text = f"A Plain Headline\n\n{byline}\n\nThe body of the article. It goes on."
    h = parse_header(text)
    assert (h.author, h.date) == (author, date)
    assert pieces(text, h.meta) == [byline]
    assert h.title == "A Plain Headline"


def test_byline_stops_before_the_publication_time() -> None:
    text = "Le titre du jour\n\nPar Jean Dupont Publié le 12 mars 2024 à 10h30\n\nLe texte. Suite."
    h = parse_header(text)
    assert (h.author, h.date, h.title) == ("Jean Dupont", "2024-03-12", "Le titre du jour")


def test_section_kicker_above_the_headline_is_not_the_title() -> None:
    text = "Politik\n\nBundestag beschließt Haushalt\n\nDer Bundestag hat am Mittwoch abgestimmt."
    assert parse_header(text).title == "Bundestag beschließt Haushalt"


@pytest.mark.parametrize(
    ("lead", "title", "source"),
    [
        ("WASHINGTON, May 29 (Reuters) - The Senate passed a bill. It goes on.",
         "The Senate passed a bill.", "Reuters"),
        ("Madrid, 29 may (EFE).- El Gobierno aprobó la ley. La oposición votó en contra.",
         "El Gobierno aprobó la ley.", "EFE"),
        ("ROMA – Il governo ha approvato il decreto. Le opposizioni protestano.",
         "Il governo ha approvato il decreto.", None),
        ("Paris - Le gouvernement a présenté un projet. La suite.",
         "Paris - Le gouvernement a présenté un projet.", None),
    ],
)  # fmt: skip
def test_wire_datelines_are_kept_out_of_the_title(
    lead: str, title: str, source: str | None
) -> None:
    h = parse_header(lead)
    assert (h.title, h.source) == (title, source)


def test_wire_credits_at_the_end_name_the_author_and_are_dimmed() -> None:
    text = f"A Headline\n\n{BODY}Reporting by Jane Doe; Editing by John Smith\n"
    h = parse_header(text)
    assert h.author == "Jane Doe"
    assert pieces(text, h.boilerplate) == ["Reporting by Jane Doe; Editing by John Smith"]


def test_byline_names_its_month_only_when_dated() -> None:
    assert parse_header("By Theresa May\n\nBody text. More.").author == "Theresa May"


def test_sentences_starting_with_by_are_not_bylines() -> None:
    text = "A Headline\n\nBy the end of the year, prices had risen 5% since May 2019, he said.\n"
    h = parse_header(text)
    assert h.author is None and h.date is None and h.meta == ()


def test_dates_in_the_body_are_not_the_article_date() -> None:
    text = (
        "A Headline\n\nThe company was founded on 12 March 1998 in Berlin. It grew.\n\n"
        "On May 29, 2024, it announced a merger.\n"
    )
    assert parse_header(text).date is None


def test_impossible_dates_are_rejected() -> None:
    assert parse_header("2024-13-45\n\nBody. More.").date is None
    assert normalize_date("31.02.2024") is None


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        ("2024-05-29T10:00:00Z", None, "2024-05-29"),
        ("2024-05-29 10:00:00+02:00", None, "2024-05-29"),
        ("Wed, 29 May 2024 10:00:00 GMT", None, "2024-05-29"),
        ("29.05.2024", None, "2024-05-29"),
        ("05/29/2024", None, "2024-05-29"),
        ("03/04/2024", "en", "2024-03-04"),
        ("03/04/2024", "de", "2024-04-03"),
        ("2024-06", None, "2024-06"),
        ("June 2024", None, "2024-06"),
        ("2024", None, "2024"),
        ("1717000000", None, "2024-05-29"),
        ("not a date", None, None),
    ],
)
def test_normalize_date(value: str, language: str | None, expected: str | None) -> None:
    assert normalize_date(value, language) == expected


# --- explicit fields -----------------------------------------------------------------


def test_fields_win_and_are_normalized() -> None:
    text = "Fri, 05 Apr 2024 14:20:52 GMT\n\nText Headline\n\nBy Jane Doe\n\nBody text. More."
    h = parse_header(
        text,
        {
            "title": "  Field   Title ",
            "date": "2023-01-02T03:04:05+00:00",
            "language": "de-DE",
            "source": "Example Times",
            "author": "Max Muster",
        },
    )
    assert (h.title, h.date, h.language, h.source, h.author) == (
        "Field Title",
        "2023-01-02",
        "de",
        "Example Times",
        "Max Muster",
    )
    # The lines are still recognised as metadata, so they stay dimmed.
    assert "By Jane Doe" in pieces(text, h.meta)


def test_bad_field_date_falls_back_to_the_text() -> None:
    text = "date 2024-05-29 Body text of the article. It continues here."
    assert parse_header(text, {"date": "soon"}).date == "2024-05-29"


def test_language_field_names_are_understood() -> None:
    assert parse_header("x", {"lang": "English"}).language == "en"
    assert parse_header("x", {"language": "ita"}).language == "it"


# --- boilerplate and credits --------------------------------------------------------

BODY = "The company reported strong results. Analysts were surprised by the numbers.\n\n"


@pytest.mark.parametrize(
    "line",
    [
        "Read Next: Some Other Story About Chips",
        "See Also: Analysts Say The Rally Will Continue",
        "Also read: Why prices fell",
        "Subscribe to our newsletter to get the latest news",
        "Share this article",
        "Next Article",
        "Disclaimer: This content was produced with help from an AI tool.",
        "source site-7",
        "© 2024 Example Media. All rights reserved.",
        "Lesen Sie auch: Warum die Preise fallen",
        "Mehr zum Thema: Chips",
        "Nächster Artikel",
        "Newsletter abonnieren",
        "Leggi anche: Perché i prezzi scendono",
        "Articolo successivo",
        "Iscriviti alla newsletter",
        "À lire aussi : Pourquoi les prix baissent",
        "Article suivant",
        "Abonnez-vous à notre newsletter",
        "Lee también: Por qué bajan los precios",
        "Siguiente artículo",
        "Suscríbete a nuestro boletín",
        "Tutti i diritti riservati",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    text = f"A Headline\n\n{BODY}{line}\n\n{BODY}"
    h = parse_header(text)
    assert pieces(text, h.boilerplate) == [line]
    assert h.title == "A Headline"


@pytest.mark.parametrize(
    "line",
    [
        "Shares of the company fell 5% on Monday after the report.",
        "Share prices rose sharply on Monday after the company beat expectations for the quarter.",
        "Subscribers to the service rose by a third in the quarter, the company said.",
        "Related companies also reported gains, analysts noted in a research note on Friday.",
        "Read more slowly, and you will see that the report says something else.",
        "More on the deal",
        "Themen der Woche: Was die Regierung plant und warum es Streit gibt.",
    ],
)
def test_prose_that_looks_like_furniture_is_not_dimmed(line: str) -> None:
    text = f"A Headline\n\n{BODY}{line}\n\n{BODY}"
    assert parse_header(text).boilerplate == ()


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("Read the original article on Business Insider", "Business Insider"),
        ("This article originally appeared on The Conversation.", "The Conversation"),
        ("Lesen Sie den Originalartikel auf Business Insider", "Business Insider"),
        ("Leggi l'articolo originale su Wired Italia", "Wired Italia"),
        ("Lire l'article original sur Le Monde", "Le Monde"),
        ("Lee el artículo original en El País", "El País"),
        ("Source: Reuters", "Reuters"),
        ("Fonte: ANSA", "ANSA"),
    ],
)
def test_credit_lines_name_the_source(line: str, source: str) -> None:
    text = f"A Headline\n\n{BODY}{line}\n"
    h = parse_header(text)
    assert h.source == source
    assert pieces(text, h.boilerplate) == [line]


def test_scraper_ids_are_not_a_source() -> None:
    text = f"A Headline\n\n{BODY}source site-18\n"
    h = parse_header(text)
    assert h.source is None
    assert pieces(text, h.boilerplate) == ["source site-18"]


@pytest.mark.parametrize("heading", ["Related Posts:", "Leggi anche", "Lesen Sie auch:"])
def test_teaser_lists_under_a_heading_are_dimmed(heading: str) -> None:
    teasers = ["First Teaser Headline Here", "Second Teaser: With a Colon?"]
    text = f"A Headline\n\n{BODY}{heading}\n" + "\n".join(teasers) + "\n\n" + BODY
    h = parse_header(text)
    assert pieces(text, h.boilerplate) == [heading, *teasers]


# --- robustness ------------------------------------------------------------------------


def check_ranges(text: str, ranges: tuple[tuple[int, int], ...]) -> None:
    last = -1
    for start, end in ranges:
        assert 0 <= start < end <= len(text)
        assert start > last
        last = end


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *"abcXYZ .,:;!?…-–|/()'’\"\n\t0123456789\u00a0",
                *("By ", "date ", "May ", "2024", "-05-", "Read Next:", "Related Posts:", "\n\n"),
                *("Fri, 05 Apr 2024 14:20:52 GMT", "Share", "source site-1", " de ", "Von "),
            ]
        ),
        max_size=120,
    ).map("".join)
    | st.text(max_size=300)
)
def test_never_raises_and_ranges_stay_in_the_text(text: str) -> None:
    h = parse_header(text)
    assert isinstance(h.title, str) and "\n" not in h.title and len(h.title) <= TITLE_MAX
    check_ranges(text, h.boilerplate)
    check_ranges(text, h.meta)
    dimmed_as_meta = {i for start, end in h.meta for i in range(start, end)}
    assert not any(i in dimmed_as_meta for start, end in h.boilerplate for i in range(start, end))
    if h.date is not None:
        assert h.date[:4].isdigit()


@pytest.mark.parametrize(
    "text",
    ["x" * 5_000_000, "!?." * 1_000_000, ("Body sentence here. " * 5 + "\n") * 50_000],
)
def test_huge_texts_are_quick(text: str) -> None:
    start = time.perf_counter()
    h = parse_header(text)
    assert time.perf_counter() - start < 2.0
    check_ranges(text, h.boilerplate)


# --- Chinese and Japanese: no spaces between words -----------------------------

LEAD_ZH = "北京是中华人民共和国的首都，也是全国的政治和文化中心。今年北京的人口约为两千万人。"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (f"北京新闻\n\n{LEAD_ZH}\n", "北京新闻"),  # a short headline is one "word" of 4
        ("東京のニュース\n\n東京は日本の首都です。人口は約千四百万人です。\n", "東京のニュース"),
        (f"{LEAD_ZH}\n", "北京是中华人民共和国的首都，也是全国的政治和文化中心。"),  # its sentence
    ],
)
def test_a_chinese_or_japanese_headline_is_the_title(text: str, title: str) -> None:
    assert parse_header(text).title == title


def test_a_chinese_character_counts_as_a_word() -> None:
    assert word_count("北京新闻 2024 news") == 6
    assert word_count("plain words only") == 3


# --- a one-word first line, a labelled title -----------------------------------

BODY_EN = "The first paragraph says what happened. It goes on.\n\nA second paragraph.\n"


@pytest.mark.parametrize("word", ["Brexit", "Obituary", "Charlie"])
def test_a_one_word_line_above_body_paragraphs_is_the_title(tmp_path: Path, word: str) -> None:
    (tmp_path / "one.txt").write_text(f"{word}\n\n{BODY_EN}", encoding="utf-8")
    (tmp_path / "one.md").write_text(f"{word}\n\n{BODY_EN}", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [a.title for a in corpus.articles] == [word, word]


@pytest.mark.parametrize(
    "text",
    [
        "Politik\n\nBundestag beschließt Haushalt\n\nDer Bundestag hat am Mittwoch abgestimmt.",
        "Politics\nParliament Passes the Budget\n\nThe vote was held on Wednesday. More.",
    ],
)
def test_a_one_word_kicker_above_a_headline_is_still_not_the_title(text: str) -> None:
    assert parse_header(text).title not in {"Politik", "Politics"}


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (f"Brexit\n{BODY_EN}", "The first paragraph says what happened."),  # a kicker run in
        (f"---\n\n{BODY_EN}", "The first paragraph says what happened."),  # a rule, no word
        (f"Politik\n\nAusland\n\n{BODY_EN}", "The first paragraph says what happened."),
        ("Typed\n\nA backslash in the name.\n", "A backslash in the name."),  # one sentence
        ("Brexit\n\nA long story. " + "More of it. " * 200, "Brexit"),  # one long paragraph
    ],
)
def test_a_one_word_line_is_the_title_only_when_it_stands_alone(text: str, title: str) -> None:
    assert parse_header(text).title == title


@pytest.mark.parametrize(
    "text",
    [
        f"title: Never closed\ndate: 2024-05-01\n\n{BODY_EN}",
        f"---\nTitle: Never closed\ndate: 2024-05-01\n\n{BODY_EN}",
        f"Date: 2024-05-01\nHeadline:  Never closed \n\n{BODY_EN}",
    ],
)
def test_a_labelled_title_line_gives_its_title_and_is_dimmed(text: str) -> None:
    h = parse_header(text)
    assert (h.title, h.date) == ("Never closed", "2024-05-01")
    assert any(piece.endswith("Never closed") for piece in pieces(text, h.meta))


# --- a short first line over a blank one ------------------------------------------


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_a_short_first_line_over_a_blank_line_is_the_title(tmp_path: Path, end: str) -> None:
    text = end.join(["LF title", "", "Line one", "Line two with Nvidia", ""])
    (tmp_path / "a.txt").write_bytes(text.encode())
    assert [a.title for a in load_corpus(tmp_path).articles] == ["LF title"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Rates Rise\n\nCentral bank acts as inflation bites\n\nThe bank raised rates. More.",
         "Rates Rise"),
        ("Share this article\n\nRates Rise\n\nCentral bank acts\n\nThe bank raised rates. More.",
         "Rates Rise"),  # furniture is not the first line
        ("Rates Rise\nCentral bank acts as inflation bites\n\nThe bank raised rates. More.",
         "Central bank acts as inflation bites"),  # a kicker run in: the headline has more words
    ],
)  # fmt: skip
def test_the_first_line_standing_alone_wins_over_later_headlines(text: str, title: str) -> None:
    assert parse_header(text).title == title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Café\n\nnaïve résumé\n\nSome body text. More text here.\n", "Café"),
        ("Café\nnaïve résumé\n", "Café naïve résumé"),  # one sentence over two lines
        ("Brexit\n\nthe long goodbye\n\nThe first paragraph. It goes on.\n", "Brexit"),
        ("iPhone sales fall\n\nApple said so. More.\n", "iPhone sales fall"),
    ],
)
def test_a_line_starting_in_lower_case_is_no_headline(text: str, title: str) -> None:
    assert parse_header(text).title == title


def test_a_heading_by_markup_is_the_title_whatever_its_length() -> None:
    text = "Politik\n\nWord\n\nBundestag beschließt Haushalt\n\nDer Bundestag hat abgestimmt."
    assert parse_header(text, headings=[9]).title == "Word"
    assert parse_header(text).title == "Bundestag beschließt Haushalt"
