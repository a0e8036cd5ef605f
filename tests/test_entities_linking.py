"""Linking inside one article and across the corpus."""

from __future__ import annotations

import random

from tui.entities import Mention, link_corpus, recognize
from tui.entities.linking import link_article, link_counts


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


def test_counted_rows_link_like_mentions() -> None:
    articles = {
        "a": [_m(0, "Jensen Huang"), _m(20, "Huang"), _m(30, "Nvidia Corporation", "ORG")],
        "b": [_m(0, "Jenson Huang"), _m(20, "Nvidia Corporatoin", "ORG")],
    }
    rows = [
        ("a", "PERSON", "Jensen Huang", True, 1),
        ("a", "PERSON", "Huang", True, 1),
        ("a", "ORG", "Nvidia Corporation", True, 1),
        ("b", "PERSON", "Jenson Huang", True, 1),
        ("b", "ORG", "Nvidia Corporatoin", True, 1),
    ]
    expected = link_corpus(articles)
    assert link_counts(rows).canonical == expected.canonical
    assert expected.canonical[("ORG", "Nvidia Corporatoin")] == ("ORG", "Nvidia Corporation")
    assert expected.canonical[("PERSON", "Jenson Huang")] == ("PERSON", "Jensen Huang")


def test_fuzzy_merge_among_many_names_finds_the_typo_only() -> None:
    rng = random.Random(5)
    names = {
        "".join(rng.choice("bcdfgklmnprstvz") for _ in range(rng.randint(8, 20)))
        for _ in range(500)
    }
    rows = [("a", "ORG", n.capitalize(), True, 2) for n in sorted(names)]
    original = rows[0][2]
    typo = original[:4] + original[5:]  # one letter dropped
    rows.append(("b", "ORG", typo, True, 1))
    links = link_counts(rows)
    assert links.canonical[("ORG", typo)] == ("ORG", original)
    assert len(links.entities) == len(names)


def test_fuzzy_merge_finds_typos_anywhere_in_a_large_block() -> None:
    # 3,000 names of 12 letters and as many of 13, one first letter: each
    # length is compared with the other in several slices, so typos at the
    # start, across a slice's edge and at the very end must all be met, and
    # a letter dropped or added anywhere in the name.
    rng = random.Random(7)
    made: dict[int, set[str]] = {12: set(), 13: set()}
    for size, spelt in made.items():
        while len(spelt) < 3000:
            spelt.add("B" + "".join(rng.choice("bcdfgklmnprstvz") for _ in range(size - 1)))
    rows = [("a", "ORG", n, True, 2) for size in (12, 13) for n in sorted(made[size])]
    typos = {}
    for at, cut in ((0, 1), (1, 4), (1394, 6), (1395, 9), (2999, 12)):
        long, short = sorted(made[13])[at], sorted(made[12])[at]
        typos[long[:cut] + long[cut + 1 :]] = long  # a letter dropped: 12 letters, met with 13
        typos[short[:cut] + "a" + short[cut:]] = short  # a letter added: 13, met with 12
    rows += [("b", "ORG", typo, True, 1) for typo in typos]
    links = link_counts(rows, entities=False)
    assert {typo: links.canonical[("ORG", typo)][1] for typo in typos} == typos
    assert len(set(links.canonical.values())) == 6000


def test_several_words_link_to_the_only_full_name_ending_in_them() -> None:
    full = _m(0, "Ursula von der Leyen")
    tail = Mention(30, 43, "ORG", "Von der Leyen", "name:default")
    assert [(m.name, m.type) for m in link_article([full, tail])][1] == (
        "Ursula von der Leyen",
        "PERSON",
    )
    other = _m(50, "Marie von der Leyen")
    linked = link_article([full, tail, other])
    assert (linked[1].name, linked[1].type) == ("Von der Leyen", "ORG")  # two people: no link


def test_article_types_agree_by_weighted_votes() -> None:
    def m(start: int, name: str, kind: str, recognizer: str) -> Mention:
        return Mention(start, start + len(name), kind, name, recognizer)

    found = link_article(
        [
            m(0, "Ottawa", "ORG", "name:default"),
            m(10, "Ottawa", "PLACE", "name:weak"),
            m(20, "Acme", "ORG", "name:default"),
            m(30, "Acme", "PRODUCT", "name:cue"),
            m(40, "Acme", "ORG", "name:default"),
            m(50, "Zed", "MISC", "name:default"),
        ],
        "en",
    )
    assert [(x.type, x.recognizer) for x in found] == [
        ("PLACE", "link"),
        ("PLACE", "name:weak"),
        ("PRODUCT", "link"),
        ("PRODUCT", "name:cue"),
        ("PRODUCT", "link"),
        ("MISC", "name:default"),
    ]
