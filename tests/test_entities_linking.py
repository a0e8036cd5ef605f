"""Linking inside one article and across the corpus."""

from __future__ import annotations

from tui.entities import Mention, link_corpus, recognize


def names(text: str, language: str, kind: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.name) for m in recognize(text, language) if m.type == kind]


def test_surname_links_to_full_name_in_article() -> None:
    text = (
        "Musk spoke first. Later, Tesla CEO Elon Musk said the chips were late. "
        "Musk's plan, Musk added, was still on track."
    )
    assert {name for _, name in names(text, "en", "PERSON")} == {"Elon Musk"}
    assert [s for s, _ in names(text, "en", "PERSON")] == ["Musk", "Elon Musk", "Musk", "Musk"]


def test_german_genitive_links() -> None:
    text = "Elon Musk sprach lange. Musks Pläne überraschten die Anleger."
    assert names(text, "de", "PERSON") == [("Elon Musk", "Elon Musk"), ("Musks", "Elon Musk")]


def test_company_spellings_share_one_name() -> None:
    text = (
        "Nvidia Corp. reported results. NVIDIA shares rose, and Nvidia's chief "
        "thanked customers. Analysts expect Nvidia to grow."
    )
    found = names(text, "en", "ORG")
    assert [s for s, _ in found] == ["Nvidia Corp.", "NVIDIA", "Nvidia", "Nvidia"]
    assert {n for _, n in found} == {"Nvidia"}


def _m(start: int, name: str, kind: str = "PERSON") -> Mention:
    return Mention(start, start + len(name), kind, name, "test")


def test_corpus_links_surname_to_the_only_full_name() -> None:
    links = link_corpus({"a": [_m(0, "Elon Musk"), _m(20, "Musk")], "b": [_m(0, "Musk")]})
    musk = next(e for e in links.entities if e.name == "Elon Musk")
    assert musk.mentions == 3
    assert musk.articles == ["a", "b"]
    assert musk.aliases == ["Musk"]
    assert links.resolve(_m(5, "Musk")).name == "Elon Musk"


def test_corpus_never_merges_people_sharing_a_surname() -> None:
    links = link_corpus(
        {
            "a": [_m(0, "Harry Kane"), _m(20, "Kane")],
            "b": [_m(0, "Tom Kane"), _m(20, "Kane")],
        }
    )
    people = {e.name for e in links.entities if e.type == "PERSON"}
    assert {"Harry Kane", "Tom Kane", "Kane"} <= people
    assert links.resolve(_m(0, "Kane")).name == "Kane"


def test_corpus_merges_spellings_of_one_company() -> None:
    links = link_corpus(
        {
            "a": [_m(0, "Nvidia", "ORG"), _m(10, "NVIDIA", "ORG")],
            "b": [_m(0, "Nvidia", "ORG"), _m(10, "X.AI", "ORG"), _m(20, "xAI", "ORG")],
        }
    )
    by_name = {e.name: e for e in links.entities}
    assert by_name["Nvidia"].aliases == ["NVIDIA"]
    assert by_name["Nvidia"].articles == ["a", "b"]
    assert by_name["xAI"].aliases == ["X.AI"]


def test_corpus_fuzzy_merges_a_typo_but_not_other_names() -> None:
    links = link_corpus(
        {
            "a": [_m(0, "Jensen Huang"), _m(20, "Jensen Huang")],
            "b": [_m(0, "Jenson Huang")],
            "c": [_m(0, "Jason Huang")],
        }
    )
    assert links.resolve(_m(0, "Jenson Huang")).name == "Jensen Huang"
    assert links.resolve(_m(0, "Jason Huang")).name == "Jason Huang"


def test_corpus_aliases_list_the_spellings_in_the_texts() -> None:
    texts = {
        "a": "Tesla CEO Elon Musk spoke. Later Musk left.",
        "b": "Nvidia Corp. and NVIDIA: Nvidia's chips. Musk again.",
    }
    links = link_corpus({k: recognize(t, "en") for k, t in texts.items()}, texts)
    by_name = {e.name: e for e in links.entities}
    assert by_name["Elon Musk"].aliases == ["Musk"]
    assert by_name["Elon Musk"].articles == ["a", "b"]
    assert by_name["Nvidia"].aliases == ["NVIDIA", "Nvidia Corp."]
