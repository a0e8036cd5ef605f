"""The reader driven with keys through Textual's Pilot, at 80x24."""

from __future__ import annotations

from pathlib import Path

from locks import HOLDER, build_lock_held
from pilots import until, until_loaded

from tui.app import MarginApp, skipped_label
from tui.corpus import Skipped
from tui.screens.help import HelpScreen

SIZE = (80, 24)


def screen_text(app: MarginApp) -> str:
    """What the reading pane shows now, line by line."""
    reader = app.reader
    return "\n".join(reader.render_line(y).text for y in range(reader.size.height))


async def test_sidebar_lists_seeds_newest_first_and_opens_first(
    seeds: Path, tmp_path: Path
) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        entries = app.sidebar.entries
        assert len(entries) == 5
        assert app.sidebar.border_title == "Articles (5)"
        dates = [e.date for e in entries if e.date]
        assert dates == sorted(dates, reverse=True)
        assert app.reader.article is not None
        assert app.reader.article.id == entries[0].id
        first_words = app.reader.article.text.split()[2]
        assert first_words in screen_text(app)


async def test_keys_move_and_open_articles(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        second = app.sidebar.entries[1]
        await pilot.press("j", "enter")
        assert app.reader.article is not None and app.reader.article.id == second.id
        assert app.focused is app.reader
        await pilot.press("]")
        assert app.reader.article.id == app.sidebar.entries[2].id
        await pilot.press("[", "[")
        assert app.reader.article.id == app.sidebar.entries[0].id
        await pilot.press("tab")
        assert app.focused is app.sidebar


async def test_reader_scrolls_with_keys(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("enter")
        before = screen_text(app)
        await pilot.press("space")
        assert app.reader.scroll_y > 0
        assert screen_text(app) != before
        await pilot.press("g")
        assert app.reader.scroll_y == 0
        await pilot.press("G")
        assert app.reader.scroll_y == app.reader.max_scroll_y


async def test_last_article_and_position_are_restored(seeds: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = MarginApp(seeds, data_dir=data)
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("j", "j", "enter", "space")
        chosen = app.reader.article
        assert chosen is not None
        offset = app.reader.top_offset
        assert offset > 0
        await pilot.press("q")
    again = MarginApp(seeds, data_dir=data)
    async with again.run_test(size=SIZE) as pilot:
        again = await until_loaded(pilot)
        assert again.reader.article is not None
        assert again.reader.article.id == chosen.id
        top = again.reader.top_offset
        line_end = again.reader.article.text.find("\n", top)
        assert top <= offset < (line_end if line_end >= 0 else len(chosen.text)), (top, offset)
        await pilot.press("space")  # reading on: the keys are the reader's, not the list's
        assert again.reader.top_offset > top


async def test_help_screen_lists_the_keys(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await until_loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        for words in ("Quit", "Next", "Sidebar", "Page down"):
            assert words in shown
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles.count("Keys") == 1  # Ctrl-P lists margin's keys once, not Textual's too
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_tells_the_query_language_the_title_jump_and_back(
    seeds: Path, tmp_path: Path
) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await until_loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        for words in (
            "^p                Jump to an article by title",
            "^o                Back to the previous article and place",
            '"exact phrase"',
            "-word",
            "chips OR gpus",
            "title:word",
            "source:word",
            "lang:de",
            "date:2024-05",
            "date:2024-01..2024-06",
            'entity:"Elon Musk"',
            "the last word is a prefix",
            "typo",
        ):
            assert words in shown, words
        box = app.screen.query_one("#help")
        assert box.max_scroll_y > 0  # longer than 24 rows: it scrolls, with keys too
        await pilot.press("end")
        assert box.scroll_y == box.max_scroll_y


async def test_sidebar_toggles(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("s")
        assert not app.sidebar.display
        assert app.focused is app.reader
        await pilot.press("s")
        assert app.sidebar.display


async def test_markup_in_articles_is_shown_as_text(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Title with [bold]markup[/bold]\n\nClick [@click=app.quit]here[/] or [link=x]y[/link].\n"
    )
    app = MarginApp(corpus, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        text = screen_text(app)
        assert "[@click=app.quit]here[/]" in text
        assert "[link=x]y[/link]" in text
        assert app.sidebar.entries[0].title == "Title with [bold]markup[/bold]"
        assert app.is_running


async def test_empty_folder_says_so(tmp_path: Path) -> None:
    corpus = tmp_path / "empty"
    corpus.mkdir()
    app = MarginApp(corpus, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await until_loaded(pilot)
        assert app.reader.article is None
        assert "No articles" in app.sidebar.render_line(0).text


async def test_caret_keys_pressed_while_an_article_opens_are_kept(tmp_path: Path) -> None:
    """G, j or a page key pressed before a new article has scrolled to its place moves from
    there, and the restore does not scroll back over it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = "\n\n".join(f"Paragraph {n} of a long article." for n in range(300))
    (corpus / "long.txt").write_text("Long one\n\n" + lines + "\n", encoding="utf-8")
    async with MarginApp(corpus, data_dir=tmp_path / "data").run_test(size=(80, 24)) as pilot:
        app = await until_loaded(pilot)
        reader = app.reader
        article = reader.article
        assert article is not None
        for keys, check in (
            (lambda: reader.action_edge(1), lambda: reader.caret == len(article.text) - 1),
            (lambda: [reader.action_line(1) for _ in range(40)], lambda: reader.caret > 0),
            (lambda: reader.action_page(1), lambda: reader.top_offset > 0),
        ):
            reader.show(article, 0)
            assert reader.restoring
            keys()  # before the restore has run
            await until(pilot, lambda: not reader.restoring)
            await pilot.pause()
            assert check()
            assert reader.top_offset > 0  # the view went with the key, and stayed
            top = round(reader.scroll_y)
            caret_y = reader._layout.y_of(reader.caret)  # type: ignore[union-attr]
            assert top <= caret_y < top + reader.scrollable_content_region.height


async def test_a_build_of_this_corpus_elsewhere_is_waited_for_and_said(
    seeds: Path, tmp_path: Path
) -> None:
    """`margin index` running in another terminal: the sidebar says whom it waits for."""
    with build_lock_held(seeds, tmp_path / "data") as release:
        app = MarginApp(seeds, data_dir=tmp_path / "data")
        async with app.run_test(size=(80, 24)) as pilot:
            waiting = f"waiting for another build (pid {HOLDER})"
            await until(pilot, lambda: app.sidebar.border_subtitle == waiting, tries=500)
            release()
            await until_loaded(pilot)
            assert len(app.sidebar.entries) == 5 and app.sidebar.border_subtitle == ""


async def test_a_tiny_window_leaves_the_text_most_of_the_width(seeds: Path, tmp_path: Path) -> None:
    """At 40 columns the sidebar took 24 and left 13 for the text."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=(40, 12)) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("enter")
        assert app.sidebar.region.width <= 16
        assert app.reader.region.width >= 24


def test_the_skipped_count_tells_files_from_records() -> None:
    """A JSONL line that is not an article is a record: '5 file(s)' counted them as files."""
    skipped = [Skipped("a.bin.txt", "not text"), Skipped("feed.jsonl#3", "line 3: empty text")]
    assert skipped_label(skipped) == "1 file and 1 record"
    assert skipped_label(skipped[:1] * 2 + [Skipped("x/c#1.txt", "not text")]) == "3 files"
    assert skipped_label([Skipped("f.JSONL#2", "?"), Skipped("f.jsonl#9", "?")]) == "2 records"
