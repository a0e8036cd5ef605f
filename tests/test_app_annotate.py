"""Keyboard annotation in the reader: select with v and motions, highlight, note, copy, bookmark."""

from __future__ import annotations

from pathlib import Path

from pilots import until, until_loaded

from tui.app import MarginApp
from tui.paths import corpus_key
from tui.store import FILENAME, Store

SIZE = (80, 24)


def drawn(app: MarginApp, kind: str) -> list[str]:
    """The text under the reader's spans of ``kind`` in the annotations layer."""
    assert app.reader.article is not None
    text = app.reader.article.text
    return [
        text[s.start : s.end] for s in app.reader.spans_of("annotations") or [] if s.kind == kind
    ]


async def open_german(pilot) -> MarginApp:  # type: ignore[no-untyped-def]
    app = await until_loaded(pilot)
    await pilot.press("G", "enter")  # the last row: the undated German article
    assert app.reader.article is not None
    assert app.reader.article.text.startswith("Elon Musk vergleicht")
    return app


async def test_select_words_and_highlight(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await open_german(pilot)
        await pilot.press("g", "v", "e", "w", "e")
        assert app.reader.selection == (0, len("Elon Musk"))
        await pilot.press("h")
        assert drawn(app, "highlight") == ["Elon Musk"]
        assert app.reader.selection is None
        await pilot.press("v", "escape")
        assert app.reader.selection is None
        said: list[str] = []
        app.notify = lambda message, **_: said.append(message)  # type: ignore[method-assign]
        await pilot.press("g", "v", "e", "w", "e", "h")  # the same words again
        assert drawn(app, "highlight") == ["Elon Musk"]  # once: it was stored twice
        assert said == ["Already highlighted."]


async def test_v_paragraph_highlights_exactly_the_paragraph(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await open_german(pilot)
        await pilot.press("g", "v", "right_curly_bracket", "h")
        text = app.reader.article.text  # type: ignore[union-attr]
        assert drawn(app, "highlight") == [text[: text.index("\n\n")].strip()]


async def test_note_is_saved_and_drawn_again_after_a_restart(seeds: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = MarginApp(seeds, data_dir=data)
    async with app.run_test(size=SIZE) as pilot:
        app = await open_german(pilot)
        await pilot.press("g", "w", "v", "e")  # "Musk"
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"who is he #people")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert drawn(app, "note") == ["Musk"]
        await pilot.press("q")
    with Store.open(data / FILENAME) as store:
        notes = store.notes(corpus_key(seeds))
    assert [(n.quote, n.body, n.tags) for n in notes] == [
        ("Musk", "who is he #people", ("people",))
    ]
    again = MarginApp(seeds, data_dir=data)
    async with again.run_test(size=SIZE) as pilot:
        again = await until_loaded(pilot)
        assert drawn(again, "note") == ["Musk"]


async def test_escape_in_the_editor_saves_nothing(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await open_german(pilot)
        await pilot.press("v", "e", "n")
        await pilot.pause()
        await pilot.press(*"draft", "escape", "escape")
        await pilot.pause()
        assert drawn(app, "note") == []
        assert len(app.screen_stack) == 1


async def test_copy_sends_the_selection_to_the_clipboard(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await open_german(pilot)
        await pilot.press("v", "e", "y")
        assert app.clipboard == "Elon"


async def test_bookmark_toggles_and_marks_the_sidebar(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await open_german(pilot)
        await pilot.press("m")
        article = app.reader.article
        assert article is not None
        assert app.store is not None and app.store.bookmark(app.corpus, article.id) is not None
        row = app.sidebar.index_of(article.id)
        assert row is not None
        y = row * 2 + 1 - round(app.sidebar.scroll_y)
        assert "★" in app.sidebar.render_line(y).text
        await pilot.press("m")
        assert app.store.bookmark(app.corpus, article.id) is None


async def test_line_motions_keep_the_caret_on_screen(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await open_german(pilot)
        for _ in range(40):
            await pilot.press("j")
        assert app.reader.scroll_y > 0
        await pilot.press("G")
        assert app.reader.caret == len(app.reader.article.text) - 1  # type: ignore[union-attr]
        await pilot.press("g", "right_curly_bracket")
        text = app.reader.article.text  # type: ignore[union-attr]
        assert text[app.reader.caret : app.reader.caret + 2] == "\n\n"  # the first break


async def test_notes_screen_jumps_to_a_note_in_another_article(seeds: Path, tmp_path: Path) -> None:
    from tui.screens.notes import NotesScreen

    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await open_german(pilot)
        await pilot.press("g", "w", "v", "e", "n")
        await pilot.pause()
        await pilot.press(*"the boss", "ctrl+s")
        await pilot.pause()
        await pilot.press("[")  # away to another article
        await pilot.pause(0.2)
        assert app.reader.article is not None
        assert not app.reader.article.text.startswith("Elon Musk vergleicht")
        await pilot.press("a")
        assert isinstance(app.screen, NotesScreen)
        await pilot.press(*"boss", "enter")
        await pilot.pause(0.3)
        article = app.reader.article
        assert article is not None and article.text.startswith("Elon Musk vergleicht")
        assert article.text[app.reader.caret : app.reader.caret + 4] == "Musk"


async def test_bookmarks_list_goes_back_to_the_bookmark(seeds: Path, tmp_path: Path) -> None:
    from tui.screens.bookmarks import BookmarksScreen

    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await open_german(pilot)
        await pilot.press("space", "m")
        offset = app.reader.top_offset
        assert offset > 0
        await pilot.press("]")
        await pilot.pause(0.2)
        await pilot.press("apostrophe")
        assert isinstance(app.screen, BookmarksScreen)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.reader.article is not None
        assert app.reader.article.text.startswith("Elon Musk vergleicht")
        assert app.reader.top_offset == offset


async def test_notes_panel_lists_this_articles_notes(seeds: Path, tmp_path: Path) -> None:
    from tui.screens.notes import NoteList

    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await open_german(pilot)
        await pilot.press("g", "w", "v", "e", "h")  # highlight "Musk"
        await pilot.press("A")
        panel = app.query_one(NoteList)
        assert panel.display and app.focused is panel
        assert "Musk" in "\n".join(panel.render_line(y).text for y in range(3))
        await pilot.press("enter")
        assert app.focused is app.reader
        assert app.reader.article is not None
        assert app.reader.article.text[app.reader.caret : app.reader.caret + 4] == "Musk"
        await pilot.press("A")
        assert app.sidebar.display and not panel.display
        await pilot.press("A", "escape")  # Escape goes back, as it does everywhere else
        assert app.sidebar.display and not panel.display
        assert app.focused is app.sidebar
        await pilot.press("E", "escape")
        assert app.sidebar.display and app.focused is app.sidebar
        for pane in ("A", "E"):  # q too, as in every other list: it quit margin
            await pilot.press(pane, "q")
            assert app.is_running and app.sidebar.display and app.focused is app.sidebar
        await pilot.press("k", "enter")  # an article with no notes: the pane says so
        await until(pilot, lambda: app.reader.article is not None and not drawn(app, "highlight"))
        await pilot.press("A")
        await until(pilot, lambda: "None yet" in panel.render_line(0).text)
        hint = " ".join(panel.render_line(y).text.strip() for y in range(4))
        assert "h to highlight." in hint  # wrapped in the narrow pane, not cut


async def test_an_orphaned_note_is_reattached_to_new_text(seeds: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = MarginApp(seeds, data_dir=data)
    async with app.run_test(size=SIZE) as pilot:
        app = await open_german(pilot)
        await pilot.press("g", "v", "e", "w", "e", "n")  # "Elon Musk"
        await pilot.pause()
        await pilot.press(*"orphan me", "ctrl+s")
        await pilot.pause()
        await pilot.press("q")
    german = seeds / "001_cf4d2f514ea51312.txt"
    german.write_text(german.read_text(encoding="utf-8").replace("Elon Musk", "Er"))
    again = MarginApp(seeds, data_dir=data)
    async with again.run_test(size=SIZE) as pilot:
        again = await until_loaded(pilot)
        await pilot.press("a")
        await pilot.press("enter")  # the only note, orphaned
        await pilot.pause(0.3)
        assert again.reattaching is not None
        await pilot.press("g", "v", "e", "n")  # select "Er" (the new text) and attach
        assert again.reattaching is None
        assert drawn(again, "note") == ["Er"]


async def test_the_caret_shows_at_the_end_of_a_paragraph(seeds: Path, tmp_path: Path) -> None:
    """} puts the caret on the break after a paragraph: it is drawn there, one cell past
    the last character, as vim draws it on the blank line."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("enter", "right_curly_bracket")
        reader = app.reader
        assert reader.article is not None and reader.article.text[reader.caret] == "\n"
        assert reader._layout is not None
        y = reader._layout.y_of(reader.caret) - round(reader.scroll_y)
        page = reader.visual_style.background.rich_color
        drawn = [
            s
            for s in reader.render_line(y)
            if s.style is not None and s.style.bgcolor not in (None, page) and s.text == " "
        ]
        assert drawn  # a cell in the caret's colours past the line's text


async def test_a_note_typed_in_one_burst_is_saved_whole(seeds: Path, tmp_path: Path) -> None:
    """Over SSH 'vewn', the note, Ctrl+S and j arrive at once: the editor opens, takes the
    letters (a, the notes key, went to the reader) and saves them all; the j after Ctrl+S
    is the reader's (it landed in the note)."""
    from textual import events

    data = tmp_path / "data"
    app = MarginApp(seeds, data_dir=data)
    async with app.run_test(size=SIZE) as pilot:
        app = await open_german(pilot)
        await pilot.press("g", "w")
        for key in ["v", "e", "n", *"a bc", "ctrl+s", "j"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        for _ in range(100):
            await pilot.pause(0.02)
            if drawn(app, "note"):
                break
        assert drawn(app, "note") == ["Musk"]
        assert len(app.screen_stack) == 1 and app.is_running
    with Store.open(data / FILENAME) as store:
        assert [n.body for n in store.notes(corpus_key(seeds))] == ["a bc"]
