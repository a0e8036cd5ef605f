"""Ctrl-O: back to the article and place that a jump (a hit, Ctrl-P, a bookmark) left;
I: forward again."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilots import until, until_loaded
from textual.pilot import Pilot

from tui.app import MarginApp
from tui.screens.bookmarks import BookmarksScreen
from tui.screens.search import HitList, SearchScreen

SIZE = (80, 24)
ITALIAN = "003_aba38dc4abdbe442.txt"  # the newest: opened first
META = "004_9889b2f3170bb696.txt"  # the next one down the sidebar
GERMAN = "001_cf4d2f514ea51312.txt"


async def at(pilot: Pilot[None], article_id: str) -> MarginApp:
    """Wait until ``article_id`` is shown whole and scrolled to its place."""
    app = pilot.app
    assert isinstance(app, MarginApp)

    def shown() -> bool:
        article = app.reader.article
        return (
            article is not None
            and article.id == article_id
            and not article.partial
            and not app.reader.restoring
        )

    await until(pilot, shown, tries=500)  # (patient: the machine may be busy)
    await pilot.pause()
    return app


async def open_the_hit(pilot: Pilot[None], query: str) -> None:
    """Search (/) for ``query``, which one article matches, and open its hit."""
    await pilot.press("slash", *query)
    hits = pilot.app.screen.query_one(HitList)
    await until(pilot, lambda: hits.count == 1)
    await pilot.press("enter", "enter")


def told(app: MarginApp) -> list[str]:
    """What the app says in notifications from now on."""
    said: list[str] = []
    app.notify = lambda message, **_: said.append(message)  # type: ignore[method-assign]
    return said


async def test_back_from_a_search_hit_to_the_place_left(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("enter", "space")
        left = app.reader.top_offset
        assert app.reader.article is not None and app.reader.article.id == ITALIAN and left > 0
        await open_the_hit(pilot, "Zuckerberg")
        await at(pilot, GERMAN)
        await pilot.press("ctrl+o")
        await at(pilot, ITALIAN)
        assert app.reader.top_offset == left
        said = told(app)
        await pilot.press("ctrl+o")
        assert said == ["Nothing to go back to."]
        assert app.reader.article is not None and app.reader.article.id == ITALIAN


async def test_back_steps_through_a_title_jump_and_a_bookmark(seeds: Path, tmp_path: Path) -> None:
    """Each Ctrl-O goes one place further back, each at the line it was left at."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("enter", "space")
        italian = app.reader.top_offset
        await pilot.press("right_square_bracket")
        await at(pilot, META)
        await pilot.press("space", "m")  # bookmarked here
        meta = app.reader.top_offset
        assert italian > 0 and meta > 0
        await pilot.press("ctrl+p", *"vergleicht")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await at(pilot, GERMAN)
        await pilot.press("space", "space")
        german = app.reader.top_offset
        await pilot.press("apostrophe")
        assert isinstance(app.screen, BookmarksScreen)
        await pilot.press("enter")
        await at(pilot, META)
        for article_id, offset in ((GERMAN, german), (META, meta), (ITALIAN, italian)):
            await pilot.press("ctrl+o")
            await at(pilot, article_id)
            assert app.reader.top_offset == offset, article_id
        said = told(app)
        await pilot.press("ctrl+o")
        assert said == ["Nothing to go back to."]


async def test_back_from_a_hit_in_the_same_article(seeds: Path, tmp_path: Path) -> None:
    """A jump inside the article is a place too; scrolling is not."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("enter", "space")
        left = app.reader.top_offset
        await open_the_hit(pilot, "litigante")
        await until(pilot, lambda: bool(app.reader.hits))
        await at(pilot, ITALIAN)
        assert app.reader.top_offset > left
        await pilot.press("space")  # reading on is not a place to come back to
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.reader.article is not None and app.reader.article.id == ITALIAN
        assert app.reader.top_offset == left


async def test_back_from_a_note_followed_from_the_notes_screen_or_pane(
    seeds: Path, tmp_path: Path
) -> None:
    """The notes screen (a) opens another article; the pane (A) moves inside this one."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("G", "enter")  # the last row: the German article
        await at(pilot, GERMAN)
        await pilot.press("g", "w", "v", "e", "n")  # a note on "Musk"
        await pilot.pause()
        await pilot.press(*"the boss", "ctrl+s")
        await pilot.pause()
        await pilot.press("left_square_bracket")
        away = app.sidebar.entries[-2].id
        await at(pilot, away)
        await pilot.press("space")
        left = app.reader.top_offset
        await pilot.press("a", *"boss", "enter")
        await at(pilot, GERMAN)
        await pilot.press("G")  # read on to the end, then follow the note from the pane
        bottom = app.reader.top_offset
        await pilot.press("A", "enter")
        await pilot.pause()
        assert app.reader.top_offset < bottom
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.reader.top_offset == bottom
        await pilot.press("ctrl+o")
        await at(pilot, away)
        assert app.reader.top_offset == left


@pytest.mark.parametrize("where", ["reader", "sidebar"])
async def test_nothing_to_go_back_to_is_said(seeds: Path, tmp_path: Path, where: str) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        if where == "reader":
            await pilot.press("enter")
        said = told(app)
        await pilot.press("ctrl+o")
        assert said == ["Nothing to go back to."]


async def test_back_puts_the_caret_where_it_was(seeds: Path, tmp_path: Path) -> None:
    """Not only the article and its scroll: the caret returns to the word it was on."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("enter", "space", "j", "j", "w", "w")
        top, caret = app.reader.top_offset, app.reader.caret
        assert caret > top
        await open_the_hit(pilot, "Zuckerberg")
        await at(pilot, GERMAN)
        await pilot.press("ctrl+o")
        await at(pilot, ITALIAN)
        assert (app.reader.top_offset, app.reader.caret) == (top, caret)
        await pilot.press("G")  # a jump inside the article comes back to the caret too
        top, caret = app.reader.top_offset, app.reader.caret
        await open_the_hit(pilot, "litigante")
        await until(pilot, lambda: bool(app.reader.hits))
        assert app.reader.caret != caret
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert (app.reader.top_offset, app.reader.caret) == (top, caret)


async def test_forward_again_after_going_back(seeds: Path, tmp_path: Path) -> None:
    """I undoes Ctrl-O (vim's Ctrl-I, which is Tab in a terminal): the same article, line
    and caret. A new jump after going back drops the way forward, as in vim and browsers."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("enter", "space", "j", "j", "w")
        italian = app.reader.top_offset, app.reader.caret
        await open_the_hit(pilot, "Zuckerberg")
        await at(pilot, GERMAN)
        await pilot.press("space", "j", "w")
        german = app.reader.top_offset, app.reader.caret
        assert german[1] > german[0] > 0
        await pilot.press("ctrl+o")
        await at(pilot, ITALIAN)
        assert (app.reader.top_offset, app.reader.caret) == italian
        await pilot.press("I")
        await at(pilot, GERMAN)
        assert (app.reader.top_offset, app.reader.caret) == german
        said = told(app)
        await pilot.press("I")
        assert said == ["Nothing to go forward to."]
        await pilot.press("ctrl+o")  # back and forth as often as wanted
        await at(pilot, ITALIAN)
        await pilot.press("I")
        await at(pilot, GERMAN)
        assert (app.reader.top_offset, app.reader.caret) == german
        await pilot.press("ctrl+o")
        await at(pilot, ITALIAN)
        await pilot.press("right_square_bracket")  # a new jump: no way forward any more
        await at(pilot, META)
        said = told(app)
        await pilot.press("I")
        await pilot.pause()
        assert said == ["Nothing to go forward to."]
        assert app.reader.article is not None and app.reader.article.id == META
        await pilot.press("ctrl+o")
        await at(pilot, ITALIAN)
        assert (app.reader.top_offset, app.reader.caret) == italian
        assert "app.forward" in {b.id for b in app.key_sections()[0][1]}  # listed by ?


async def test_stepping_past_the_first_or_last_article_says_so(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        first = app.sidebar.entries[0].id
        await pilot.press("enter")
        await at(pilot, first)
        said = told(app)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert said == ["This is the first article."]
        assert app.reader.article is not None and app.reader.article.id == first


async def test_t_off_an_entity_says_how_to_reach_one(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: app.reader.spans_of("entities") is not None)
        reader = app.reader
        assert reader.article is not None
        spans = reader.spans_of("entities") or []
        text = reader.article.text
        gap = next(i for i in range(len(text)) if all(not s.start <= i < s.end for s in spans))
        reader.put_caret(gap)
        said = told(app)
        await pilot.press("t")
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert said and said[0].startswith("No entity under the caret")


async def test_an_article_that_cannot_be_read_does_not_keep_the_keys(
    seeds: Path, tmp_path: Path
) -> None:
    """Chosen from the bookmarks after its file was deleted: the reader says so and stays
    on the article shown, and its keys act (they were kept for the article, for good)."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        gone = app.sidebar.entries[-1].id
        assert app.store is not None
        app.store.add_bookmark(app.corpus, gone, 0)
    (seeds / gone).unlink()
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        shown = app.reader.article
        assert shown is not None and shown.id != gone
        app.reader.focus()
        await pilot.press("apostrophe")
        assert isinstance(app.screen, BookmarksScreen)
        await pilot.press("enter")
        await until(pilot, lambda: app.opening == shown.id)
        await pilot.press("slash")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen))
