"""Search over the indexed seeds: what a user typing a query sees."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.corpus import load_corpus
from tui.index import Index, build_index, open_index
from tui.query import match_word, parse
from tui.search import Forms, SearchResult, find_in_text, forget, jump, search
from tui.words import fold

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def corpus_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "seeds"
    shutil.copytree(SEEDS, root)
    return root


@pytest.fixture(scope="module")
def index(corpus_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    cache = tmp_path_factory.mktemp("cache")
    build_index(corpus_root, cache)
    opened = open_index(corpus_root, cache)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def texts(corpus_root: Path) -> dict[str, str]:
    """Article.text by id, as ``margin show`` prints it."""
    return {a.id: a.text for a in load_corpus(corpus_root).articles}


@pytest.fixture(scope="module")
def languages(corpus_root: Path) -> dict[str, str | None]:
    return {a.id: a.language for a in load_corpus(corpus_root).articles}


def ids(result: SearchResult) -> list[str]:
    return [h.id for h in result.hits]


def containing(texts: dict[str, str], *patterns: str) -> set[str]:
    return {i for i, t in texts.items() if all(re.search(p, t, re.IGNORECASE) for p in patterns)}


def test_typo_finds_nvidia_h100_articles_first(index: Index, texts: dict[str, str]) -> None:
    result = search(index, "nvida h100")
    both = containing(texts, r"\bnvidia\b", r"\bh100\b")
    assert len(both) >= 3
    assert set(ids(result)[: len(both)]) == both
    for hit in result.hits[: len(both)]:
        words = {texts[hit.id][s:e].lower() for s, e in hit.spans}
        assert "nvidia" in words and "h100" in words


def test_zuckerberg_finds_only_the_german_article(
    index: Index, languages: dict[str, str | None]
) -> None:
    result = search(index, "Zuckerberg")
    assert len(result.hits) == 1
    assert languages[result.hits[0].id] == "de"
    assert result.hits[0].language == "de"


def test_unfinished_word_is_a_prefix(index: Index, texts: dict[str, str]) -> None:
    result = search(index, "supercomp")
    assert set(ids(result)) == containing(texts, r"\bsupercomput")
    assert len(result.hits) >= 2
    for hit in result.hits:
        assert all(texts[hit.id][s:e].lower().startswith("supercomput") for s, e in hit.spans)


def test_a_finished_word_is_not_a_prefix(index: Index) -> None:
    assert search(index, "supercomp ").hits == []


def test_typo_in_a_long_word_finds_the_italian_article(
    index: Index, texts: dict[str, str], languages: dict[str, str | None]
) -> None:
    result = search(index, "milliardi")
    italian = [h for h in result.hits if languages[h.id] == "it"]
    assert italian
    assert "miliardi" in {texts[italian[0].id][s:e] for s, e in italian[0].spans}


def test_numbers_are_never_typo_corrected(index: Index, texts: dict[str, str]) -> None:
    result = search(index, "2025 ")
    assert set(ids(result)) == containing(texts, r"\b2025\b")
    assert search(index, "2026 ").hits == []


def test_language_filter(index: Index, languages: dict[str, str | None]) -> None:
    result = search(index, "lang:it")
    assert ids(result) == [i for i, lang in languages.items() if lang == "it"]
    assert all(languages[h.id] == "it" for h in search(index, "musk lang:it").hits)
    musk = set(ids(search(index, "musk")))
    german = {i for i, lang in languages.items() if lang == "de"}
    assert musk & german and set(ids(search(index, "musk -lang:de"))) == musk - german


def test_date_filters(index: Index, corpus_root: Path) -> None:
    dates = {a.id: a.date for a in load_corpus(corpus_root).articles}
    may = {i for i, d in dates.items() if d and d.startswith("2024-05")}
    assert may and set(ids(search(index, "date:2024-05"))) == may
    spring = {i for i, d in dates.items() if d and "2024-01" <= d[:7] <= "2024-06"}
    assert set(ids(search(index, "date:2024-01..2024-06"))) == spring
    assert search(index, "date:2019").hits == []
    june = {i for i, d in dates.items() if d and d.startswith("2024-06")}
    assert june and set(ids(search(index, "date:2024-05 OR date:2024-06"))) == may | june
    assert search(index, "date:2024-05 date:2024-06").hits == []
    musk = set(ids(search(index, "musk")))
    assert musk & may and set(ids(search(index, "musk -date:2024-05"))) == musk - may


def test_phrase(index: Index, texts: dict[str, str]) -> None:
    result = search(index, '"neural network"')
    assert set(ids(result)) == containing(texts, r"neural\s+network")
    for hit in result.hits:
        assert all(
            re.fullmatch(r"neural\s+network", texts[hit.id][s:e], re.I) for s, e in hit.spans
        )


def test_excluded_word(index: Index, texts: dict[str, str]) -> None:
    everyone = set(ids(search(index, "musk")))
    result = search(index, "musk -zuckerberg")
    assert set(ids(result)) == everyone - containing(texts, r"zuckerberg")
    assert len(result.hits) == len(everyone) - 1


def test_or(index: Index, texts: dict[str, str]) -> None:
    result = search(index, "zuckerberg OR lecun ")
    assert set(ids(result)) == containing(texts, r"zuckerberg") | containing(texts, r"lecun")


def test_field_restriction(index: Index, corpus_root: Path) -> None:
    titles = {a.id: a.title for a in load_corpus(corpus_root).articles}
    result = search(index, "title:meta")
    assert ids(result) == [i for i, t in titles.items() if re.search(r"\bmeta\b", t, re.I)]


def test_most_words_follow_when_too_few_match_all(index: Index, texts: dict[str, str]) -> None:
    # No article has both words: Meilisearch's "last" strategy drops words from the end.
    assert set(ids(search(index, "zuckerberg gigafactory "))) == containing(texts, "zuckerberg")
    assert set(ids(search(index, "gigafactory zuckerberg "))) == containing(texts, "gigafactory")
    both = search(index, "musk zuckerberg ")
    assert ids(both)[0] in containing(texts, "zuckerberg")
    assert len(both.hits) == len(containing(texts, "musk"))


def test_nothing_found_suggests_known_words(index: Index) -> None:
    result = search(index, "zuckkkerbergg qqq")
    assert result.hits == []
    assert result.suggestions and "zuckerberg" in result.suggestions[0]


def test_spans_and_snippet_point_at_the_matched_words(index: Index, texts: dict[str, str]) -> None:
    result = search(index, "tesla dojo ")
    assert result.hits
    for hit in result.hits:
        assert index.text(hit.id) == texts[hit.id]
        assert hit.spans == sorted(hit.spans)
        assert hit.spans == find_in_text(texts[hit.id], "tesla dojo ")
        words = {texts[hit.id][s:e].lower() for s, e in hit.spans}
        assert words & {"tesla", "dojo"}
        assert hit.snippet_spans
        assert len(hit.snippet.split()) <= 30
        for s, e in hit.snippet_spans:
            assert hit.snippet[s:e].lower() in words


def test_snippets_made_when_scrolled_to_are_the_ones_made_at_once(index: Index) -> None:
    """The reader makes a screenful of snippets; the rest, made later, must not differ."""
    for query in ("tesla dojo", "nvida", "supercomp", "miliardi lang:it"):
        at_once = search(index, query)
        lazily = search(index, query, ready=1)
        assert [h.id for h in lazily.hits] == [h.id for h in at_once.hits]
        for late, early in zip(reversed(lazily.hits), reversed(at_once.hits), strict=True):
            assert (late.snippet, late.snippet_spans) == (early.snippet, early.snippet_spans)
            assert late.snippet


def test_forms_learnt_while_typing_change_no_hit_and_light_only_matches(index: Index) -> None:
    """Each key's query starts from the forms the keys before it found (as the reader does):
    the hits are those of a query typed alone, and every lit word matches by the same rules."""
    forms = Forms()
    typed = "nvida supercomputr h100"
    for n in range(1, len(typed) + 1):
        query = typed[:n]
        alone = search(index, query)
        kept = search(index, query, forms=forms)
        assert [(h.id, h.score) for h in kept.hits] == [(h.id, h.score) for h in alone.hits]
        rules = [(t.word, t.budget, t.prefix) for _, t in parse(query).terms()]
        for hit in kept.hits:
            for s, e in hit.snippet_spans:
                word = fold(hit.snippet[s:e])
                assert any(match_word(w, b, p, word) for w, b, p in rules), (query, word)
    assert "nvidia" in forms.of((("nvida", 1, False),))


def test_forms_kept_are_bounded() -> None:
    forms = Forms(limit=2)
    clause = (("nvida", 1, False),)
    for surface in ("nvidia", "nvidias", "nvida"):
        forms.add(clause, surface)
    assert 0 < len(forms.of(clause)) <= 2


def test_a_snippet_asked_for_after_the_index_closed_is_empty(
    corpus_root: Path, tmp_path: Path
) -> None:
    """A hit drawn after a rebuild replaced its index shows no snippet, and nothing breaks."""
    forget()  # no text kept from other tests
    build_index(corpus_root, tmp_path)
    opened = open_index(corpus_root, tmp_path)
    result = search(opened, "tesla", ready=0)
    opened.close()
    assert result.hits
    assert result.hits[0].snippet == ""


def test_every_occurrence_is_a_span(index: Index, texts: dict[str, str]) -> None:
    hit = search(index, "Zuckerberg").hits[0]
    assert len(hit.spans) == len(re.findall(r"\bzuckerberg\b", texts[hit.id], re.I))


def test_empty_query_finds_nothing(index: Index) -> None:
    assert search(index, "   ").hits == []
    assert search(index, "-musk").hits == []


def test_bad_date_is_reported(index: Index) -> None:
    assert search(index, "date:soon").errors


def test_find_in_text_uses_the_same_rules() -> None:
    text = "Nvidia's H100 beats the H200. The supercomputer uses NVIDIA chips."
    assert [text[s:e] for s, e in find_in_text(text, "nvida")] == ["Nvidia", "NVIDIA"]
    assert [text[s:e] for s, e in find_in_text(text, "superc")] == ["supercomputer"]
    assert [text[s:e] for s, e in find_in_text(text, '"the supercomputer"')] == [
        "The supercomputer"
    ]
    assert [text[s:e] for s, e in find_in_text(text, "h100 ")] == ["H100"]
    assert find_in_text(text, "h300 ") == []
    assert [text[s:e] for s, e in find_in_text(text, "nvidia's")] == ["Nvidia's"]


def test_find_in_text_folds_diacritics() -> None:
    text = "Die größten Konkurrenten. Die groessten? Nein: die grossten."
    assert [text[s:e] for s, e in find_in_text(text, "grossten ")] == [
        "größten",
        "groessten",  # one typo in an 8-letter word
        "grossten",
    ]
    assert find_in_text(text, "GRÖẞTEN ") == find_in_text(text, "grossten ")


def test_title_jump(index: Index, corpus_root: Path) -> None:
    titles = {a.id: a.title for a in load_corpus(corpus_root).articles}
    german = next(i for i, t in titles.items() if "Poker" in t)
    assert jump(index, "musk poker")[0][0] == german
    assert jump(index, "pokr")[0][0] == german
    assert len(jump(index, "")) == len(titles)


def test_title_jump_without_an_index(corpus_root: Path) -> None:
    from tui.search import jump_titles

    titles = [(a.id, a.title) for a in load_corpus(corpus_root).articles]
    german = next(i for i, t in titles if "Poker" in t)
    assert jump_titles(titles, "musk pokerspielen")[0][0] == german


def test_quoted_word_is_exact(index: Index, texts: dict[str, str]) -> None:
    assert set(ids(search(index, '"tesla"'))) == containing(texts, r"\btesla\b")
    assert search(index, '"teslaa"').hits == []
    assert search(index, '"unfinished phr').errors == []


def test_entity_filter_before_and_after_the_entity_pass(seeds: Path, tmp_path: Path) -> None:
    from tui.library import Library

    library = Library(seeds, tmp_path / "cache")
    assert library.update()
    # No mentions stored yet: the name is a phrase the article must contain.
    before = library.search('entity:"Elon Musk"')
    texts = {h.id: library.text(h.id) or "" for h in before.hits}
    assert before.hits and all("Elon Musk" in t for t in texts.values())
    assert all(texts[h.id][s:e].lower() == "elon musk" for h in before.hits for s, e in h.spans)
    either = {h.id for h in library.search('entity:Zuckerberg OR entity:"Elon Musk"').hits}
    zuckerberg = {h.id for h in library.search("entity:Zuckerberg").hits}
    assert zuckerberg and either == set(texts) | zuckerberg

    library.update_entities()
    assert library.stored is not None
    musk = {a for a, _, _ in library.articles_mentioning("Elon Musk")}
    assert musk
    for typed in ('entity:"elon musk"', "entity:Musk", 'entity:"Elon Musk" lang:en'):
        found = {h.id for h in library.search(typed).hits}
        assert found and found <= musk, typed
    assert {h.id for h in library.search('entity:"ELON MUSK"').hits} == musk
    meta = {a for a, _, _ in library.articles_mentioning("Meta")}
    assert meta and meta != musk  # the two differ, so OR is seen to be a union
    assert {h.id for h in library.search("entity:Meta OR entity:Musk").hits} == meta | musk
    for lang in ("en", "de", "it"):
        others = {e.id for e in library.entries() if e.language == lang} - musk
        assert {h.id for h in library.search(f'-entity:"Elon Musk" lang:{lang}').hits} == others
    assert library.search('entity:"Nobody Atall"').hits == []


def test_spans_are_found_when_a_hit_is_opened(corpus_root: Path, tmp_path: Path) -> None:
    build_index(corpus_root, tmp_path)
    opened = open_index(corpus_root, tmp_path)
    first, second = search(opened, "nvidia").hits[:2]
    assert first.spans  # read from the index on demand
    opened.close()
    assert second.spans == []  # the index went away: the article opens at its start


def test_a_word_in_many_titles_lists_those_first_and_the_others_after(tmp_path: Path) -> None:
    """One short word found in enough titles answers from titles alone; a longer list still
    has the articles that hold it only in their text, after them."""
    root = tmp_path / "corpus"
    root.mkdir()
    for n in range(12):
        (root / f"t{n:02}.txt").write_text(f"Delta report {n}\n\nQuiet words about rivers {n}.\n")
    for n in range(3):
        body = " ".join(["delta"] * 5)
        (root / f"x{n}.txt").write_text(f"Rivers {n}\n\nThe {body} floods again.\n")
    build_index(root, tmp_path / "cache")
    opened = open_index(root, tmp_path / "cache")
    try:
        for typed in ("d", "delt", "delta"):
            few = [h.id for h in search(opened, typed, limit=10).hits]
            assert len(few) == 10 and all(i.startswith("t") for i in few), typed
            many = [h.id for h in search(opened, typed, limit=20).hits]
            assert [i[0] for i in many] == ["t"] * 12 + ["x"] * 3, typed
    finally:
        opened.close()


def indexed(tmp_path: Path, files: dict[str, str]) -> Index:
    """A corpus of these files, indexed."""
    root = tmp_path / "corpus"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text)
    build_index(root, tmp_path / "cache")
    return open_index(root, tmp_path / "cache")


def test_typos_are_forgiven_in_a_title_the_text_does_not_repeat(tmp_path: Path) -> None:
    """JSONL and front matter give titles of their own: a typo finds them as in texts."""
    feed = (
        '{"title": "Bird watching", "text": "Notes from a morning by the lake."}\n'
        '{"title": "Crane accident", "text": "Two workers were hurt on the site."}\n'
    )
    front = "---\ntitle: Giraffe census\n---\nThe herd grew again.\n"
    index = indexed(tmp_path, {"feed.jsonl": feed, "front.md": front})
    for query, title in (
        ("watchign", "Bird watching"),
        ("acident", "Crane accident"),
        ("girafe censsu", "Giraffe census"),
    ):
        assert [h.title for h in search(index, query).hits] == [title], query
    (hit,) = search(index, "acident workers").hits
    assert [index.text(hit.id)[s:e] for s, e in hit.spans] == ["workers"]  # spans: the text's


def test_a_suggestion_keeps_the_query_as_typed_but_the_unknown_word(index: Index) -> None:
    assert search(index, "title:zuckkerberg").suggestions[0] == "title:zuckerberg"
    assert search(index, 'lang:de "zuckkerberg"').suggestions[0] == 'lang:de "zuckerberg"'
    assert search(index, "2019 zuckkerberg").suggestions[0] == "2019 zuckerberg"
    assert search(index, "1987").suggestions == []  # numbers take no typos
    # A quote left open while typing is closed in the suggestion ('"zuckerberg', a query
    # that reads oddly, was offered).
    assert search(index, '"zuckkerberg').suggestions[0] == '"zuckerberg"'


def test_or_joins_field_words_too(tmp_path: Path) -> None:
    feed = (
        '{"title": "Crane accident", "text": "Two workers were hurt."}\n'
        '{"title": "Giraffe census", "text": "The herd grew again."}\n'
        '{"title": "Budget vote", "text": "A crane and a giraffe were on the agenda."}\n'
    )
    index = indexed(tmp_path, {"feed.jsonl": feed})

    def titles(query: str) -> set[str]:
        return {h.title for h in search(index, query).hits}

    assert titles("title:crane OR title:giraffe") == {"Crane accident", "Giraffe census"}
    assert titles("title:crane title:giraffe") == set()  # without OR, both are required
    assert titles("workers OR title:giraffe") == {"Crane accident", "Giraffe census"}
    assert titles("title:budget OR herd") == {"Budget vote", "Giraffe census"}


def test_a_snippet_lights_its_words_in_any_case(tmp_path: Path) -> None:
    index = indexed(tmp_path, {"a.txt": "Labs\n\nThe lab OpenAI said on Monday that it grew.\n"})
    try:
        (hit,) = search(index, "openai").hits
        assert [hit.snippet[s:e] for s, e in hit.snippet_spans] == ["OpenAI"]
    finally:
        index.close()
