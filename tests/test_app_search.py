"""Search as you type, opening a hit, n/N between hits, find in the article, the title jump."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from pilots import until, until_loaded
from textual import events
from textual.widgets import Input

from tui.app import MarginApp
from tui.model import Article
from tui.screens.search import HitList, SearchChoice, SearchScreen
from tui.search import SearchResult, find_in_text
from tui.widgets.find import FindBar

SIZE = (80, 24)


async def test_search_as_you_type_then_open_a_hit(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"Zuckerberg")
        hits = app.screen.query_one(HitList)
        await until(pilot, lambda: hits.count == 1)
        assert hits.hits[0].id == "001_cf4d2f514ea51312.txt"
        assert "Zuckerberg" in hits.render_line(2).text
        await pilot.press("enter", "enter")
        await until(pilot, lambda: app.reader.article is not None and app.reader.hits)
        reader = app.reader
        assert reader.article is not None and reader.article.id == "001_cf4d2f514ea51312.txt"
        assert [reader.article.text[s:e] for s, e in reader.hits] == ["Zuckerberg"]
        assert reader.caret == reader.hits[0][0]


async def test_hits_below_the_first_screen_get_their_snippets_when_scrolled_to(
    tmp_path: Path,
) -> None:
    """Only a screenful of snippets is made per keystroke; the rest appear on the way down."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(25):
        filler = " ".join(f"word{n}x{i}" for i in range(40 + n))
        (corpus / f"{n:02}.txt").write_text(
            f"Report number {n}\n\n{filler} the aurora was seen over town {n}.\n"
        )
    app = MarginApp(corpus, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("slash", *"aurora")
        hits = app.screen.query_one(HitList)
        await until(pilot, lambda: hits.count == 20)
        await pilot.press("down", "end")
        await pilot.pause()
        last = hits.hits[-1]
        shown = [hits.render_line(y).text for y in range(hits.size.height)]
        row = next(y for y, line in enumerate(shown) if line.startswith(last.title))
        assert "the aurora was seen" in shown[row + 2]  # title, date line, snippet


async def test_n_and_N_step_through_hits(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("slash", *"musk")
        hits = app.screen.query_one(HitList)
        await until(pilot, lambda: hits.count >= 1)
        await pilot.press("down", "enter")
        await until(pilot, lambda: len(app.reader.hits) > 2)
        reader = app.reader
        first, second = reader.hits[0][0], reader.hits[1][0]
        await pilot.press("n")
        assert reader.caret == second
        said: list[str] = []
        reader.notify = lambda message, **_: said.append(message)  # type: ignore[method-assign]
        await pilot.press("N")
        assert reader.caret == first and said == []
        await pilot.press("N")
        assert reader.caret == reader.hits[-1][0]
        count = len(reader.hits)
        assert said == [f"Went on from the bottom: hit {count} of {count}."]  # said, not silent


async def test_escape_goes_back_and_no_match_suggests(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        before = app.reader.article
        await pilot.press("slash", *"supercomptuer")
        await until(pilot, lambda: app.screen.query_one(HitList).count > 0)
        await pilot.press("ctrl+a", "ctrl+k", *"qwertyzz")
        status = app.screen.query_one("#search-status")
        await until(pilot, lambda: "No article" in str(status.render()))
        await pilot.press("escape")
        assert not isinstance(app.screen, SearchScreen)
        assert app.reader.article is before
        await pilot.press("slash")  # the query typed last is there again
        await until(pilot, lambda: isinstance(app.screen, SearchScreen))
        assert app.screen.query_one("#search-input", Input).value == "qwertyzz"


async def test_a_query_with_nothing_to_look_for_says_so(seeds: Path, tmp_path: Path) -> None:
    """'-' and '--' on the way to '-word' say the same, as `margin search` does."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("slash", "minus")
        status = app.screen.query_one("#search-status")
        await until(pilot, lambda: "no word or filter" in str(status.render()))
        await pilot.press("minus")
        await until(pilot, lambda: "'--' has no word or filter" in str(status.render()))
        await pilot.press("ctrl+u", "minus", "x")
        await until(pilot, lambda: "needs something beside it" in str(status.render()))


async def test_find_in_this_article(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("f", *"musk")
        await until(pilot, lambda: len(app.reader.hits) > 1)
        await pilot.press("enter")
        assert app.focused is app.reader
        text = app.reader.article.text  # type: ignore[union-attr]
        assert {text[s:e].lower() for s, e in app.reader.hits} == {"musk"}
        await pilot.press("n")
        assert app.reader.caret == app.reader.hits[1][0]
        await pilot.press("f", "escape")
        assert app.reader.hits == []


async def test_find_goes_to_the_first_match_after_the_caret_and_counts(
    seeds: Path, tmp_path: Path
) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        reader, bar = app.reader, app.query_one(FindBar)
        await pilot.press("f", *"musk", "enter")
        await until(pilot, lambda: len(reader.hits) > 2)
        starts = [s for s, _ in reader.hits]
        assert reader.caret == starts[0]  # the first match, not the second on the first `n`
        await pilot.press("n")
        assert reader.caret == starts[1]
        await pilot.press("f", "ctrl+u", *"musk")  # again, from the second match
        await until(pilot, lambda: "hit" in str(bar.border_subtitle))
        assert reader.caret == starts[1] and bar.border_subtitle == f"hit 2 of {len(starts)}"
        await pilot.press("enter", "n")
        assert reader.caret == starts[2]
        await pilot.press("f", "ctrl+u", *"qqqzzz")
        await until(pilot, lambda: bar.border_subtitle == "no hit")
        assert reader.hits == [] and reader.caret == starts[2]


@pytest.mark.parametrize("late", [False, True])
async def test_title_jump_from_the_command_palette(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, late: bool
) -> None:
    """``late``: typed before any title was listed (a build's first second), the palette
    asks again as titles arrive."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        jump = app.library.jump
        if late:
            monkeypatch.setattr(app.library, "jump", lambda typed, limit=20: [])
        await pilot.press("ctrl+p", *"lecun mocks")
        await pilot.pause(0.3)
        if late:
            monkeypatch.setattr(app.library, "jump", jump)
            app._listed(app.sidebar.entries, False)  # as a build lists its first articles
            await pilot.pause(0.3)
        await pilot.press("enter")
        await until(
            pilot,
            lambda: (
                app.reader.article is not None
                and app.reader.article.id == "004_9889b2f3170bb696.txt"
            ),
        )
        assert app.focused is app.reader  # chosen to be read: j, v and h act on it


@pytest.mark.parametrize("slow", [False, True])
async def test_a_title_jump_in_one_burst_opens_the_title_typed(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slow: bool
) -> None:
    """'Ctrl-P lecun mocks ⏎ f musk' in one burst opens that article and finds in it: the
    letters went to the reader ('m' bookmarked), and Enter chose among the hits of what
    was typed before (``slow``: the titles come after Enter)."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        jump = app.library.jump
        expected = jump("lecun mocks")[0][0]
        if slow:

            def jump_slowly(typed: str, limit: int = 20) -> list[tuple[str, str, float]]:
                time.sleep(0.3)
                return jump(typed, limit)

            monkeypatch.setattr(app.library, "jump", jump_slowly)
        burst(app, "ctrl+p", *"lecun mocks", "enter", "f", *"musk")
        bar = app.query_one(FindBar)
        await until(pilot, lambda: bar.value == "musk", tries=300)
        article = app.reader.article
        assert article is not None and article.id == expected
        await until(pilot, lambda: app.reader.hits == find_in_text(article.text, "musk"))
        assert len(app.screen_stack) == 1


async def test_the_current_hit_and_the_other_hits_stand_out(seeds: Path, tmp_path: Path) -> None:
    """Drawn in colours of their own: not dark text on no background (Textual's partial
    styles drop an opaque background), and not on the page's own background."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("f", *"musk", "enter")
        reader = app.reader
        await until(pilot, lambda: len(reader.hits) > 1)
        page = reader.visual_style.background.rich_color
        styles: dict[str, set[tuple[object, object]]] = {"current": set(), "other": set()}
        for y in range(reader.size.height):
            for segment in reader.render_line(y):
                if segment.style is not None and segment.text.lower() in ("musk", "usk"):
                    kind = "current" if segment.text == "usk" else "other"  # caret on its "M"
                    styles[kind].add((segment.style.color, segment.style.bgcolor))
        assert styles["current"] and styles["other"]
        assert not styles["current"] & styles["other"]
        for color, bg in styles["current"] | styles["other"]:
            assert bg is not None and bg != page and bg != color


async def test_a_query_typed_before_the_index_is_ready_runs_again(
    seeds: Path, tmp_path: Path
) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        ready = False

        def searcher(query: str) -> SearchResult:
            if not ready:  # as Library.search answers while the index is built
                return SearchResult(query, [], [], ["Search is not ready."], pending=True)
            return app.library.search(query)

        screen = SearchScreen(searcher, "Zuckerberg ")
        await app.push_screen(screen)
        status = screen.query_one("#search-status")
        await until(pilot, lambda: "not ready" in str(status.render()))
        ready = True  # nothing typed since: only asking again finds it
        hits = screen.query_one(HitList)
        await until(pilot, lambda: hits.count == 1)
        assert "1 hit." in str(screen.query_one("#search-status").render())


async def test_the_status_says_when_more_match_than_are_listed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(25):
        (corpus / f"{n:02}.txt").write_text(f"Report {n}\n\nThe aurora was seen over town {n}.\n")
    app = MarginApp(corpus, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("slash", *"aurora")
        status = app.screen.query_one("#search-status")
        await until(pilot, lambda: "hits" in str(status.render()))
        assert "The 20 best hits; more match." in str(status.render())
        hits = app.screen.query_one(HitList)
        for size in ((60, 20), SIZE):  # rows are cut to the width: no sideways scrollbar
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert not hits.show_horizontal_scrollbar and hits.show_vertical_scrollbar


async def test_a_recheck_that_finds_nothing_new_leaves_no_status_behind(
    seeds: Path, tmp_path: Path
) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("R")
        await until(pilot, lambda: app.refreshing)
        await until(pilot, lambda: not app.refreshing, tries=500)
        await pilot.pause()
        assert app.sidebar.border_subtitle == ""


def burst(app: MarginApp, *keys: str) -> None:
    """Keys that arrive together, as over SSH: all queued before the first is handled."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_keys_typed_in_a_burst_reach_the_box_they_were_typed_for(
    seeds: Path, tmp_path: Path
) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        burst(app, "f", "x", "a", "i")  # `a` alone opens the notes
        bar = app.query_one(FindBar)
        await until(pilot, lambda: bar.value == "xai")
        assert app.focused is bar and len(app.screen_stack) == 1  # no notes screen
        await pilot.press("escape")
        burst(app, "slash", *"tesla")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen))
        box = app.screen.query_one("#search-input", Input)
        await until(pilot, lambda: box.value == "tesla")
        assert app.sidebar.display  # `s` did not hide the sidebar


async def test_editing_keys_in_a_burst_keep_their_place(seeds: Path, tmp_path: Path) -> None:
    """Over SSH 'nvidai⌫⌫ia' arrives at once: the box reads what was typed, in order."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        burst(app, "slash", *"nvidai", "backspace", "backspace", *"ia", "left", "left", "x")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen))
        box = app.screen.query_one("#search-input", Input)
        await until(pilot, lambda: len(box.value) >= 7)
        assert box.value == "nvidxia"
        burst(app, "end", " ", *"tesla", "ctrl+w", *"musk")  # ctrl+w: the word before
        await until(pilot, lambda: box.value.endswith("k"))
        assert box.value == "nvidxia musk"


async def test_escape_and_a_key_read_as_one_alt_key_are_both_keys(
    seeds: Path, tmp_path: Path
) -> None:
    """Escape then j, arriving together, reads as Alt+j: it leaves the search (the query
    read 'muskj'), and j acts on the article list."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        app.sidebar.focus()
        await pilot.press("slash", *"musk")
        cursor = app.sidebar.cursor
        app.post_message(events.Key("alt+j", "j"))  # what the terminal parser makes of it
        await until(pilot, lambda: not isinstance(app.screen, SearchScreen))
        await until(pilot, lambda: app.sidebar.cursor == cursor + 1)
        assert app.last_query == "musk"


async def test_q_in_the_hit_list_leaves_the_search_and_in_the_box_is_a_letter(
    seeds: Path, tmp_path: Path
) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("slash", *"musq")
        box = app.screen.query_one("#search-input", Input)
        assert box.value == "musq"
        await pilot.press("backspace", "k")
        hits = app.screen.query_one(HitList)
        await until(pilot, lambda: hits.count > 0)
        await pilot.press("down", "q")
        await until(pilot, lambda: not isinstance(app.screen, SearchScreen))
        assert app.is_running  # q left the list; it did not quit margin


async def held_search(
    app: MarginApp,
) -> tuple[threading.Event, SearchScreen, list[SearchChoice | None]]:
    """A search whose hits come only once the gate is set (after every key typed), and
    the list its choice goes to."""
    gate = threading.Event()

    def searcher(query: str) -> SearchResult:
        gate.wait(10)
        return app.library.search(query)

    chosen: list[SearchChoice | None] = []
    screen = SearchScreen(searcher)
    await app.push_screen(screen, chosen.append)
    return gate, screen, chosen


@pytest.mark.parametrize(("keys", "opened"), [(("down", "down", "enter"), 1), (("enter",) * 2, 0)])
async def test_keys_typed_before_the_hits_come_act_on_them(
    seeds: Path, tmp_path: Path, keys: tuple[str, ...], opened: int
) -> None:
    """Over SSH 'musk↓↓⏎' arrives at once: it opens the second hit when the hits come."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        gate, _screen, chosen = await held_search(app)
        await pilot.press(*"musk", *keys)
        assert not chosen
        gate.set()
        await until(pilot, lambda: chosen)
        expected = app.library.search("musk").hits[opened].id
        assert chosen[0] is not None and chosen[0].article_id == expected


@pytest.mark.parametrize("before", ["", "lecun"])
async def test_a_query_and_its_choice_in_one_burst_open_its_hit(
    seeds: Path, tmp_path: Path, before: str
) -> None:
    """'/ musk ↓↓⏎' in one burst opens the second hit; over a query left in the box
    ('Ctrl-U nvidia ↓⏎'), the hits of the old query are not the ones chosen from."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        if before:
            await pilot.press("slash", *before)
            hits = app.screen.query_one(HitList)
            await until(pilot, lambda: hits.count > 0)
            await pilot.press("escape")
        burst(app, "slash", "ctrl+u", *"musk", "down", "down", "enter")
        expected = app.library.search("musk").hits[1].id
        await until(pilot, lambda: app.reader.article is not None)
        await until(pilot, lambda: app.reader.article.id == expected)  # type: ignore[union-attr]
        assert app.is_running


@pytest.mark.parametrize("slow", [False, True])
async def test_keys_after_the_hit_opened_in_one_burst_act_on_its_article(
    seeds: Path, tmp_path: Path, slow: bool
) -> None:
    """'/ nvidia ⏎⏎ f tesla' in one burst opens the first hit and finds in it (the keys
    after Enter were typed into the query: 'nvidiaftesla', no match); ``slow``: the hit's
    article takes a while to read (the find bar opened on the article left)."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        expected = app.library.search("nvidia").hits[0].id
        if slow:
            read = app.library.article

            def read_slowly(article_id: str) -> Article | None:
                time.sleep(0.5)
                return read(article_id)

            app.library.article = read_slowly  # type: ignore[method-assign]
            app.library.preview = lambda article_id: None  # type: ignore[method-assign]
        burst(app, "slash", *"nvidia", "enter", "enter", "f", *"tesla")
        bar = app.query_one(FindBar)
        await until(pilot, lambda: bar.value == "tesla" and bool(app.reader.hits))
        article = app.reader.article
        assert article is not None and article.id == expected
        await until(pilot, lambda: app.reader.hits == find_in_text(article.text, "tesla"))


async def test_keys_after_enter_wait_for_the_hits_and_follow_the_choice(
    seeds: Path, tmp_path: Path
) -> None:
    """Keys typed after Enter, before the hits came, are not typed into the query: they
    go with the hit opened."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        gate, screen, chosen = await held_search(app)
        await pilot.press(*"musk", "enter", "j", "enter", "j", "x")
        assert screen.query_one("#search-input", Input).value == "musk"
        gate.set()
        await until(pilot, lambda: chosen)
        choice = chosen[0]
        assert choice is not None
        assert choice.article_id == app.library.search("musk").hits[1].id
        assert [k.key for k in choice.then] == ["j", "x"]


async def test_enter_on_a_query_that_found_nothing_types_on_at_once(
    seeds: Path, tmp_path: Path
) -> None:
    """The answer is in and has no hit: the keys after Enter are typed at once (they waited
    two seconds for hits that could not come)."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("slash", *"qqzzyx")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await until(pilot, lambda: screen.result is not None and screen.result.query == "qqzzyx")
        burst(app, "enter", "backspace", "backspace")
        box = screen.query_one("#search-input", Input)
        await until(pilot, lambda: box.value == "qqzz", tries=25)  # half a second


async def test_keys_played_to_the_hits_reach_their_bindings(seeds: Path, tmp_path: Path) -> None:
    """'musk⏎ q' before the hits came: q goes to the hit list, and leaves the search (the
    key, sent on by the screen, stopped there: the search stayed open)."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        gate, _screen, chosen = await held_search(app)
        await pilot.press(*"musk", "enter", "pagedown", "q")
        gate.set()
        await until(pilot, lambda: chosen)
        assert chosen == [None]


async def test_keys_after_enter_in_the_find_bar_go_to_the_article(
    seeds: Path, tmp_path: Path
) -> None:
    """'f chip ^W musk ⏎ n' in one burst finds musk, keeps it, and n goes to its next hit
    (n was typed into the bar: 'muskn', no match)."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: app.reader.article is not None)
        burst(app, "f", *"chip", "ctrl+w", *"musk", "enter", "n")
        bar = app.query_one(FindBar)
        await until(pilot, lambda: not bar.display and bool(app.reader.hits))
        await pilot.pause(0.2)
        assert bar.value == "musk"
        assert app.focused is app.reader
