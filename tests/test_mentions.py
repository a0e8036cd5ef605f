"""Entity mentions recognized at index time, stored beside the index, linked across the corpus."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui.entities import TYPES, Gazetteer, recognize
from tui.index import Index, build_index, open_index
from tui.library import Library
from tui.mentions import (
    FILENAME,
    Mentions,
    MentionsUnavailable,
    mentions_path,
    open_mentions,
    update_mentions,
)

ARTICLES = 5


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def indexed(root: Path, cache: Path) -> Index:
    build_index(root, cache, workers=1)
    return open_index(root, cache)


def stored_of(mentions: Mentions, index: Index) -> dict[str, list[tuple[int, int, str, str]]]:
    out = {}
    for a in index.articles():
        found = mentions.of(a.id)
        assert found is not None
        out[a.id] = [(m.start, m.end, m.type, m.name) for m in found]
    return out


def test_mentions_are_stored_with_the_spans_the_recognizer_finds(seeds: Path, cache: Path) -> None:
    index = indexed(seeds, cache)
    summary = update_mentions(index)
    assert (summary.recognized, summary.removed, summary.cancelled) == (ARTICLES, 0, False)
    assert summary.entities > 10
    assert mentions_path(seeds, cache).name == FILENAME
    stored = open_mentions(seeds, cache)
    for a in index.articles():
        text = index.text(a.id)
        assert text is not None
        found = stored.of(a.id)
        assert found, a.id
        assert stored.of(a.id, a.hash) == found
        assert stored.of(a.id, "another hash") is None
        live = recognize(text, a.language)
        assert [(m.start, m.end) for m in found] == [(m.start, m.end) for m in live]
        assert all(m.type in TYPES and 0 <= m.start < m.end <= len(text) for m in found)
    assert stored.of("no such article") is None


def test_a_second_pass_recognizes_nothing(seeds: Path, cache: Path) -> None:
    index = indexed(seeds, cache)
    update_mentions(index)
    before = stored_of(open_mentions(seeds, cache), index)
    again = update_mentions(index)
    assert (again.recognized, again.removed, again.redone) == (0, 0, False)
    assert stored_of(open_mentions(seeds, cache), index) == before


def test_an_edited_file_alone_is_recognized_again(seeds: Path, cache: Path) -> None:
    index = indexed(seeds, cache)
    update_mentions(index)
    stored = open_mentions(seeds, cache)
    before = stored_of(stored, index)
    edited = sorted(seeds.iterdir())[2]
    with edited.open("a", encoding="utf-8") as f:
        f.write("\nAngela Merkel met Sundar Pichai in Hamburg on 3 March 2024.\n")
    index = indexed(seeds, cache)
    seen: list[tuple[int, int]] = []
    summary = update_mentions(index, progress=lambda done, total: seen.append((done, total)))
    assert (summary.recognized, summary.removed) == (1, 0)
    assert seen == [(1, 1)]
    after = stored_of(stored, index)  # the open reader sees the new pass
    (changed,) = [i for i in after if after[i] != before[i]]
    assert changed == edited.name
    assert {"Angela Merkel", "Sundar Pichai", "Hamburg"} <= {n for *_, n in after[changed]}
    assert changed in [a for a, _, _ in stored.articles_mentioning("Angela Merkel")]


def test_a_deleted_file_loses_its_mentions(seeds: Path, cache: Path) -> None:
    index = indexed(seeds, cache)
    update_mentions(index)
    gone = sorted(seeds.iterdir())[0]
    gone.unlink()
    index = indexed(seeds, cache)
    summary = update_mentions(index)
    assert (summary.recognized, summary.removed) == (0, 1)
    stored = open_mentions(seeds, cache)
    assert stored.of(gone.name) is None
    articles = [a for a, _, _ in stored.articles_mentioning("Elon Musk")]
    assert len(articles) == ARTICLES - 1 and gone.name not in articles
    assert all(gone.name not in e.articles for e in stored.entities())


@pytest.mark.parametrize("where", ["a process of its own", "here, with no python to run"])
def test_the_corpus_is_linked_in_a_fresh_process_or_else_here(
    where: str, seeds: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The link comes on top of nothing the pass left in its process's memory; where no
    interpreter can be started, it runs in the pass's own."""
    import tui.memory
    import tui.mentions

    if where == "a process of its own":

        def not_here(*_: object) -> int:
            raise AssertionError("linked in the pass's own process")

        monkeypatch.setattr(tui.mentions, "_link", not_here)
    else:
        monkeypatch.setattr(tui.memory.sys, "executable", str(tmp_path / "no-python"))
    summary = update_mentions(indexed(seeds, cache))
    assert summary.entities > 10 and not summary.cancelled
    assert len(open_mentions(seeds, cache).articles_mentioning("Elon Musk")) == ARTICLES


def test_a_pass_that_follows_a_build_recognizes_what_each_commit_adds(
    seeds: Path, cache: Path, tmp_path: Path
) -> None:
    """The reader's entity pass starts at the build's first commit: the articles committed
    after it began are recognized too, and the corpus is linked with all of them."""
    later = tmp_path / "later"
    later.mkdir()
    for path in sorted(seeds.iterdir())[2:]:
        path.rename(later / path.name)
    index = indexed(seeds, cache)  # the first commit: two articles
    seen: list[int] = [0]
    steps: list[str] = []

    def following() -> bool:
        if not steps and seen[-1] == 2:  # the next commit, once those two are done
            for path in later.iterdir():
                path.rename(seeds / path.name)
            build_index(seeds, cache, workers=1)
            steps.append("committed")
        elif steps == ["committed"]:  # the build ends: what had the pass done by then?
            steps.append(f"{seen[-1]} recognized while building")
        return len(steps) < 2

    summary = update_mentions(
        index, progress=lambda done, _: seen.append(done), following=following
    )
    assert steps == ["committed", f"{ARTICLES} recognized while building"]
    assert (summary.recognized, summary.cancelled) == (ARTICLES, False)
    stored = open_mentions(seeds, cache)
    assert all(stored.of(a.id, a.hash) for a in index.articles())
    assert len(stored.articles_mentioning("Elon Musk")) == ARTICLES


def test_elon_musk_is_one_entity_named_in_every_seed(seeds: Path, cache: Path) -> None:
    index = indexed(seeds, cache)
    update_mentions(index)
    stored = open_mentions(seeds, cache)
    ids = {a.id for a in index.articles()}
    rows = stored.articles_mentioning("Elon Musk")
    assert {a for a, _, _ in rows} == ids
    counts = [n for _, n, _ in rows]
    assert counts == sorted(counts, reverse=True) and all(n >= 1 for n in counts)
    for article, _, first in rows:
        text = index.text(article)
        assert text is not None
        assert text[first:].startswith(("Elon Musk", "Musk"))
    people = {e.name: e for e in stored.entities("PERSON")}
    assert "Musk" not in people
    musk = people["Elon Musk"]
    assert "Musk" in musk.aliases and set(musk.articles) == ids
    assert musk.mentions == sum(counts)
    # A mention "Musk" is stored under the canonical name.
    surnames = [
        m
        for a in ids
        for m in stored.of(a) or []
        if (index.text(a) or "")[m.start : m.end] == "Musk"
    ]
    assert surnames and all(m.name == "Elon Musk" and m.type == "PERSON" for m in surnames)
    assert stored.articles_mentioning("Musk") == rows  # any name of the entity finds it
    assert stored.articles_mentioning("Elon Musk", "ORG") == []
    assert stored.articles_mentioning("Nobody At All") == []
    assert stored.names()[0] == "Elon Musk"
    assert "Nvidia" in stored.names()
    assert stored.type_of("Elon Musk") == "PERSON"
    assert stored.type_of("Nobody At All") is None


def test_entities_of_one_article_count_that_article(seeds: Path, cache: Path) -> None:
    index = indexed(seeds, cache)
    update_mentions(index)
    stored = open_mentions(seeds, cache)
    rows = {a: n for a, n, _ in stored.articles_mentioning("Elon Musk")}
    for article, count in rows.items():
        here = {e.name: e for e in stored.entities(article=article)}
        assert here["Elon Musk"].mentions == count
        assert len(here["Elon Musk"].articles) == ARTICLES
        found = stored.of(article) or []
        assert {(e.type, e.name) for e in here.values()} == {(m.type, m.name) for m in found}
    orgs = stored.entities("ORG")
    assert orgs and all(e.type == "ORG" for e in orgs)
    assert [e.mentions for e in orgs] == sorted((e.mentions for e in orgs), reverse=True)


def test_corrections_change_the_stored_result(seeds: Path, cache: Path) -> None:
    index = indexed(seeds, cache)
    update_mentions(index, Gazetteer.default())
    stored = open_mentions(seeds, cache)
    before = {e.name: e.type for e in stored.entities()}
    assert "Benzinga" in before and before.get("Autopilot") != "PRODUCT"
    fixed = Gazetteer.default(None, [("Benzinga", "REJECT"), ("Autopilot", "PRODUCT")])
    summary = update_mentions(index, fixed)
    assert summary.redone and summary.recognized == ARTICLES
    after = {e.name: e.type for e in stored.entities()}
    assert "Benzinga" not in after
    assert after["Autopilot"] == "PRODUCT"
    assert stored.articles_mentioning("Benzinga") == []
    # Unchanged corrections: nothing to do. Taken back: as before.
    assert update_mentions(index, fixed).recognized == 0
    update_mentions(index, Gazetteer.default())
    assert {e.name: e.type for e in stored.entities()} == before


def test_a_cancelled_pass_keeps_whole_articles_and_the_next_completes_it(
    seeds: Path, cache: Path
) -> None:
    index = indexed(seeds, cache)
    polls = iter(range(100))
    summary = update_mentions(index, cancel=lambda: next(polls) >= 2)
    assert summary.cancelled and summary.recognized == 2
    stored = open_mentions(seeds, cache)
    done = [a.id for a in index.articles() if stored.of(a.id) is not None]
    assert len(done) == 2
    rest = update_mentions(index)
    assert not rest.cancelled and rest.recognized == ARTICLES - 2
    assert len(stored.articles_mentioning("Elon Musk")) == ARTICLES


def test_a_broken_or_missing_file_is_rebuilt_never_a_crash(seeds: Path, cache: Path) -> None:
    index = indexed(seeds, cache)
    with pytest.raises(MentionsUnavailable):
        open_mentions(seeds, cache)
    path = mentions_path(seeds, cache)
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(MentionsUnavailable):
        open_mentions(seeds, cache).entities()
    summary = update_mentions(index)
    assert summary.recognized == ARTICLES
    assert open_mentions(seeds, cache).entities()
    path.unlink()
    assert update_mentions(index).recognized == ARTICLES


def test_a_broken_row_is_unavailable_and_the_next_pass_makes_the_file_anew(
    seeds: Path, cache: Path
) -> None:
    index = indexed(seeds, cache)
    update_mentions(index)
    first = index.articles()[0]
    with sqlite3.connect(mentions_path(seeds, cache)) as db:
        db.execute("UPDATE mentions SET spans = x'0102' WHERE article = 1")
        db.execute("UPDATE entity_articles SET spots = 'text' WHERE entity = 1")
        db.execute("UPDATE meta SET value = '0' WHERE key = 'linked'")
    broken = open_mentions(seeds, cache)
    with pytest.raises(MentionsUnavailable):
        broken.entities()
    library = Library(seeds, cache)
    assert library.update()
    article = library.article(first.id)
    assert article is not None and library.mentions(article)  # recognized on the fly meanwhile
    summary = update_mentions(index)
    assert summary.redone and summary.recognized == ARTICLES and not summary.cancelled
    assert all(open_mentions(seeds, cache).of(a.id) for a in index.articles())
    assert len(open_mentions(seeds, cache).articles_mentioning("Elon Musk")) == ARTICLES


def test_library_serves_stored_mentions_and_falls_back_before_a_pass(
    seeds: Path, tmp_path: Path
) -> None:
    library = Library(seeds, tmp_path / "cache")
    assert library.update()
    assert library.entities() == [] and library.articles_mentioning("Elon Musk") == []
    first = library.entries()[0]
    article = library.article(first.id)
    assert article is not None
    live = library.mentions(article)  # no pass yet: recognized on the fly
    assert live == recognize(article.text, article.language)
    summary = library.update_entities()
    assert summary is not None and summary.recognized == ARTICLES
    assert library.stored is not None
    assert library.mentions(article) == library.stored.of(article.id)
    assert len(library.articles_mentioning("Elon Musk")) == ARTICLES
    assert library.entities("PERSON")[0].name == "Elon Musk"
    # New corrections: the stored mentions are stale until the next pass.
    library.set_corrections([("Elon Musk", "REJECT", None), ("Musk", "REJECT", None)])
    names = {m.name for m in library.mentions(article)}
    assert "Elon Musk" not in names
    library.update_entities()
    assert library.mentions(article) == library.stored.of(article.id)
    assert library.articles_mentioning("Elon Musk") == []
    # A library opened later serves the stored pass at once.
    again = Library(seeds, tmp_path / "cache")
    assert again.open() and again.stored is not None


def test_library_reads_the_users_gazetteer_file(seeds: Path, tmp_path: Path) -> None:
    from tui.paths import config_dir

    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "gazetteer.tsv").write_text("Whole Mars Catalog\tORG\tWMC\n", encoding="utf-8")
    library = Library(seeds, tmp_path / "cache")
    library.set_corrections([])
    assert library.update()
    library.update_entities()
    kinds = {e.name: e.type for e in library.entities()}
    assert kinds.get("Whole Mars Catalog") == "ORG"


def test_a_file_of_another_schema_is_rebuilt(seeds: Path, cache: Path) -> None:
    import sqlite3

    index = indexed(seeds, cache)
    path = mentions_path(seeds, cache)
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:  # an older layout: names repeated on every mention
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO meta VALUES ('schema', '2')")
        db.execute("CREATE TABLE mentions (article TEXT, name TEXT)")
    with pytest.raises(MentionsUnavailable):
        open_mentions(seeds, cache)
    assert update_mentions(index).recognized == ARTICLES
    stored = open_mentions(seeds, cache)
    assert len(stored.articles_mentioning("Elon Musk")) == ARTICLES


def test_each_name_is_stored_once_not_per_mention(seeds: Path, cache: Path) -> None:
    index = indexed(seeds, cache)
    update_mentions(index)
    mentions = sum(len(open_mentions(seeds, cache).of(a.id) or ()) for a in index.articles())
    with sqlite3.connect(mentions_path(seeds, cache)) as db:
        forms = db.execute("SELECT COUNT(*) FROM forms").fetchone()[0]
        rows = db.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
    assert forms < mentions / 2
    assert rows == ARTICLES  # an article's mentions are one row


def test_worker_processes_store_what_one_process_stores(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large pass recognizes in forked workers (one per core): same mentions, same order."""
    import tui.mentions
    import tui.workers

    monkeypatch.setattr(tui.workers.os, "cpu_count", lambda: 2)
    results = []
    for pool_from in (10**9, 1):  # one process, then workers for anything
        monkeypatch.setattr(tui.mentions, "POOL_MIN_ARTICLES", pool_from)
        monkeypatch.setattr(tui.mentions, "CHUNK", 2)  # five articles: three pieces of work
        cache = tmp_path / f"cache{pool_from}"
        index = indexed(seeds, cache)
        assert update_mentions(index).recognized == ARTICLES
        stored = open_mentions(seeds, cache)
        results.append(stored_of(stored, index))
        stored.close()
        index.close()
    assert results[0] == results[1] and len(results[1]) == ARTICLES


def test_a_text_the_recognizer_fails_on_never_stops_the_pass(
    seeds: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.mentions

    index = indexed(seeds, cache)
    doomed = index.articles()[0]

    def fragile(text: str, *rest: object) -> list[object]:
        if text == index.text(doomed.id):
            raise RecursionError("a recognizer bug")
        return recognize(text, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(tui.mentions, "recognize", fragile)
    summary = update_mentions(index)
    assert summary.recognized == ARTICLES and not summary.cancelled
    stored = open_mentions(seeds, cache)
    assert stored.of(doomed.id) == []
    assert all(stored.of(a.id) for a in index.articles() if a.id != doomed.id)


def test_entity_articles_count_every_form_of_an_entity(seeds: Path, cache: Path) -> None:
    """Where an entity is named, and how often, counts each of its spellings ("Elon Musk",
    "Musk"): from the stored articles, as each article's own mentions say."""
    index = indexed(seeds, cache)
    update_mentions(index)
    stored = open_mentions(seeds, cache)
    expected: dict[tuple[str, str], dict[str, list[int]]] = {}
    spellings: dict[tuple[str, str], set[str]] = {}
    for a in index.articles():
        text = index.text(a.id)
        assert text is not None
        for m in stored.of(a.id) or ():
            seen = expected.setdefault((m.type, m.name), {}).setdefault(a.id, [0, m.start])
            seen[0] += 1
            spellings.setdefault((m.type, m.name), set()).add(text[m.start : m.end])
    assert any(len(forms) > 1 for forms in spellings.values())
    entities = stored.entities()
    assert {(e.type, e.name) for e in entities} == set(expected)
    for e in entities:
        where = expected[(e.type, e.name)]
        assert e.mentions == sum(n for n, _ in where.values())
        assert e.articles == sorted(where)
        found = stored.articles_mentioning(e.name, e.type)
        assert sorted(found) == sorted((i, n, first) for i, (n, first) in where.items())
