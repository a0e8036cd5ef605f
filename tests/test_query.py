"""The query language and the word-matching rules shared by search and find."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.query import match_word, parse, parse_date, typo_budget
from tui.search import TextMatcher
from tui.words import LONGEST, fold, fold_words


def test_words_are_required_and_the_last_is_a_prefix() -> None:
    q = parse("nvidia supercomp")
    assert [[t.words for t in c.terms] for c in q.clauses] == [[("nvidia",)], [("supercomp",)]]
    assert [c.terms[0].prefix for c in q.clauses] == [False, True]
    assert not parse("nvidia supercomp ").clauses[1].terms[0].prefix


def test_phrases_exclusions_or_and_fields() -> None:
    q = parse('"neural network" -musk tesla OR meta title:dojo source:reuters lang:DE')
    assert q.clauses[0].terms[0].words == ("neural", "network")
    assert q.clauses[0].terms[0].phrase
    assert [t.words for t in q.excluded] == [("musk",)]
    assert [t.words for t in q.clauses[1].terms] == [("tesla",), ("meta",)]
    assert [(c.terms[0].field, c.terms[0].words) for c in q.required] == [
        ("title", ("dojo",)),
        ("source", ("reuters",)),
    ]
    assert q.languages == ("de",)


def test_words_are_folded_like_the_index() -> None:
    assert fold_words("Größten NVIDIA’s café") == ["grossten", "nvidia", "s", "cafe"]
    assert fold("Größten") == "grossten"
    assert fold("x" * LONGEST) == ""  # the index drops words of this many bytes and more
    long_russian = "достопримечательность"  # 21 letters, 42 bytes
    assert fold(long_russian) == long_russian and fold_words(long_russian) == [long_russian]
    q = parse("Nvidia's")
    assert q.clauses[0].terms[0].phrase  # one typed word, two indexed words


def test_an_unknown_field_is_part_of_the_word() -> None:
    q = parse("https://example.com")
    assert q.clauses[0].terms[0].words == ("https", "example", "com")


def test_dates() -> None:
    assert parse_date("2024-05") == (20240501, 20240531)
    assert parse_date("2024") == (20240101, 20241231)
    assert parse_date("2024-01..2024-06") == (20240101, 20240630)
    assert parse_date("..2024-06") == (None, 20240630)
    assert parse_date("2024-13") is None
    assert parse_date("soon") is None
    assert parse("date:soon").errors
    assert parse_date("2024-02") == (20240201, 20240229)
    assert parse_date("2024-02-29") == (20240229, 20240229)
    assert parse_date("2023-02-29") is None  # no such day
    assert parse_date("2024-04-31") is None
    assert parse_date("0000") is None
    assert parse_date("2024-06..2024-01") is None  # backwards: holds no day
    assert parse("date:2024-06..2024-01").errors


def test_a_field_without_a_value_is_an_error_not_a_word() -> None:
    for text, example in (
        ("title:", "title:tesla"),
        ("source: nvidia", "source:reuters"),
        ("lang:", "lang:de"),
        ("date:", "date:2024-05"),
    ):
        q = parse(text)
        assert q.errors and "needs a value" in q.errors[0], text
        assert f"(e.g. {example})" in q.errors[0]  # a value that fits the field
        assert all(t.words != ("title",) for t in q.excluded)
    q = parse("source: nvidia")
    assert [t.words for c in q.clauses for t in c.terms] == [("nvidia",)]


def test_typo_budget_is_meilisearchs() -> None:
    assert [typo_budget(w) for w in ("musk", "nvida", "supercomp", "milliardi")] == [0, 1, 2, 2]
    assert typo_budget("2024") == 0
    assert typo_budget("h100000000") == 0  # numbers are never typo-corrected


def test_match_word() -> None:
    assert match_word("nvida", 1, False, "nvidia") is not None
    assert match_word("nivdia", 1, False, "nvidia") is not None  # a swap is one typo
    assert match_word("nvda", 0, False, "nvidia") is None
    assert match_word("supercomp", 2, True, "supercomputer") is not None
    assert match_word("supercopm", 2, True, "supercomputers") is not None  # typo in a prefix
    assert match_word("2024", 0, False, "2025") is None


words = st.text(alphabet="abcdeé", min_size=1, max_size=10)


@settings(max_examples=300, deadline=None)
@given(query=words, candidate=words, prefix=st.booleans())
def test_the_fast_matcher_agrees_with_the_rule(query: str, candidate: str, prefix: bool) -> None:
    """TextMatcher (batched, rapidfuzz) finds a word exactly when match_word says so."""
    folded_query = fold(query)
    text = f"x {candidate} y"
    spans = TextMatcher(parse(query + ("" if prefix else " "))).find(text)
    found = any(text[s:e] == candidate for s, e, _ in spans)
    rule = match_word(folded_query, typo_budget(folded_query), prefix, fold(candidate))
    assert found == (rule is not None)


def test_entity_filter() -> None:
    q = parse('entity:"Elon  Musk" -entity:Nvidia tesla')
    assert q.entities == (("Elon Musk",),) and q.excluded_entities == ("Nvidia",)
    assert [c.terms[0].words for c in q.clauses] == [("tesla",)]
    assert not parse('entity:"Elon Musk"').empty


def test_language_and_date_filters_can_exclude() -> None:
    q = parse("musk -date:2024-05 -lang:DE")
    assert (q.excluded_dates, q.excluded_languages) == (((20240501, 20240531),), ("de",))
    assert (q.dates, q.languages, q.errors) == ((), (), ())
    assert parse("musk -date:soon").errors
    assert parse("-lang:de").empty  # nothing left to look for


def test_or_joins_filters_of_one_kind() -> None:
    """Dates and entities OR-ed make one group (either); side by side, both must hold."""
    q = parse("date:2024-05 OR date:2024-07 date:2024")
    assert q.dates == (((20240501, 20240531), (20240701, 20240731)), ((20240101, 20241231),))
    assert not q.errors
    q = parse('entity:Tesla OR entity:"Elon Musk" entity:Nvidia')
    assert q.entities == (("Tesla", "Elon Musk"), ("Nvidia",))
    assert parse("lang:de OR lang:it").languages == ("de", "it")


@pytest.mark.parametrize(
    "text",
    ["musk OR date:2024-05", "date:2024-05 OR musk", "lang:de OR date:2024", "entity:X OR lang:de"],
)
def test_or_between_a_word_and_a_filter_or_two_kinds_is_said(text: str) -> None:
    q = parse(text)
    assert q.errors == ("OR joins words, or filters of one kind (date:2024-05 OR date:2024-07)",)
