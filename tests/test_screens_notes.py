"""The notes screen, the note editor and the bookmarks list, driven with Pilot.

Each screen is pushed on a tiny host app (margin's stylesheets, nothing
else) over a real store file; the tests look at what the list draws and at
what the screen was dismissed with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.notifications import SeverityLevel
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static, TextArea

from tui.anchor import Anchor, content_hash
from tui.resources import styles_dir
from tui.screens.bookmarks import BookmarkList, BookmarksScreen, when
from tui.screens.note_editor import NoteEditor
from tui.screens.notes import NoteList, NotesResult, NotesScreen, kinds_label
from tui.store import Annotation, Placed, Store, parse_tags
from tui.widgets.rows import RowList

CORPUS = "corpus"
ARTICLE = "chips.txt"
OTHER = "memory.txt"
TITLES = {ARTICLE: "Nvidia and the chip race", OTHER: "Memory makers"}

TEXT = (
    "Nvidia sold more data-centre chips this quarter than ever before. "
    "Tesla said its Dojo supercomputer would be wound down. "
    "xAI bought a hundred thousand accelerators for its Memphis site. "
    "Meta is designing its own training chips to depend less on suppliers."
)


class Host(App[None]):
    """Pushes one screen at start-up and keeps what it was dismissed with."""

    CSS_PATH = [str(styles_dir() / "margin.tcss"), str(styles_dir() / "notes.tcss")]  # noqa: RUF012

    def __init__(self, make: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make = make
        self.results: list[object] = []
        self.notices: list[tuple[str, bool]] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.make(), self.results.append)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        self.notices.append((message, markup))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "m.sqlite3") as opened:
        yield opened


def span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def add(store: Store, phrase: str, body: str = "") -> Annotation:
    return store.add_note(CORPUS, ARTICLE, TEXT, *span(phrase), body=body)


@pytest.fixture
def three(store: Store) -> list[Annotation]:
    """Three notes on TEXT, in document order."""
    return [
        add(store, "data-centre chips", "Record quarter #nvidia #revenue"),
        add(store, "Dojo supercomputer", "Tesla gives up #dojo"),
        add(store, "Memphis site", "Where the #xai cluster sits"),
    ]


def list_text(widget: RowList) -> str:
    """What the list draws now, line by line."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


def notes_app(store: Store) -> Host:
    items = store.placed(CORPUS, ARTICLE, TEXT)
    return Host(lambda: NotesScreen(store, items, TITLES))


def notes_list(app: Host) -> NoteList:
    assert isinstance(app.screen, NotesScreen)
    return app.screen.query_one(NoteList)


def shown_quotes(app: Host) -> list[str]:
    return [p.annotation.quote for p in notes_list(app).shown]


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.pause()


class TestNotesScreen:
    """Filter, open, edit, delete and undo on the notes screen."""

    async def test_lists_every_note_with_title_quote_and_body(
        self, store: Store, three: list[Annotation]
    ) -> None:
        """All notes are drawn: article title, quote and body with tags."""
        app = notes_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            text = list_text(notes_list(app))
            for note in three:
                assert note.quote in text
                assert note.body in text
            assert text.count(TITLES[ARTICLE]) == 3
            assert notes_list(app).border_title == "3 notes"
            assert isinstance(app.focused, Input)
            body_line = notes_list(app).row_line(0, 2, 78)
            styled = {body_line.plain[s.start : s.end] for s in body_line.spans}
            assert {"#nvidia", "#revenue"} <= styled  # tags are drawn apart

    async def test_typing_in_the_filter_narrows_the_rows(
        self, store: Store, three: list[Annotation]
    ) -> None:
        """Quote, body and #tags are all searched; Backspace widens again."""
        app = notes_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press(*"#dojo")
            await settle(pilot)
            assert shown_quotes(app) == ["Dojo supercomputer"]
            text = list_text(notes_list(app))
            assert "Dojo supercomputer" in text
            assert "Memphis" not in text and "data-centre" not in text
            assert notes_list(app).border_title == "1 of 3 notes"
            await pilot.press(*["backspace"] * 5, *"memphis")
            await settle(pilot)
            assert shown_quotes(app) == ["Memphis site"]  # matched in the quote
            await pilot.press(*["backspace"] * 7, *"record")
            await settle(pilot)
            assert shown_quotes(app) == ["data-centre chips"]  # matched in the body
            await pilot.press(*"zzz")
            await settle(pilot)
            assert shown_quotes(app) == []
            assert "No note matches “recordzzz”." in list_text(notes_list(app))

    async def test_enter_returns_the_chosen_note(
        self, store: Store, three: list[Annotation]
    ) -> None:
        """Down in the filter goes to the list, as in search (where e and d act: they were
        typed into the filter), then moves; Enter dismisses with that note's place."""
        app = notes_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            chosen = notes_list(app).shown[1]
            await pilot.press("down")
            assert app.focused is notes_list(app)
            await pilot.press("down", "enter")
            await settle(pilot)
        a = chosen.annotation
        assert app.results == [NotesResult("open", a.id, ARTICLE, a.start, a.end, "anchored")]
        assert TEXT[a.start : a.end] == a.quote

    async def test_enter_from_the_list_and_escape(
        self, store: Store, three: list[Annotation]
    ) -> None:
        """Tab moves to the list, where j/k move and Enter opens; Escape gives None."""
        app = notes_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press(*"tesla", "tab")
            await settle(pilot)
            assert isinstance(app.focused, NoteList)
            await pilot.press("j", "k", "enter")
            await settle(pilot)
            assert len(app.results) == 1
            result = app.results[0]
            assert isinstance(result, NotesResult)
            assert result.annotation_id == three[1].id
            app.push_screen(
                NotesScreen(store, store.placed(CORPUS, ARTICLE, TEXT), TITLES), app.results.append
            )
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert app.results[1:] == [None]

    async def test_delete_then_undo(self, store: Store, three: list[Annotation]) -> None:
        """d removes the row (and the note from the store); u brings both back."""
        app = notes_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("tab", "j")
            await settle(pilot)
            gone = notes_list(app).shown[1].annotation
            await pilot.press("d")
            await settle(pilot)
            assert gone.quote not in list_text(notes_list(app))
            assert len(notes_list(app).shown) == 2
            assert notes_list(app).border_title == "2 notes"
            assert [n.id for n in store.notes(CORPUS)].count(gone.id) == 0
            assert ("Note deleted — u to undo", False) in app.notices
            await pilot.press("d")  # a second delete: undone last-first
            await settle(pilot)
            assert len(notes_list(app).shown) == 1
            await pilot.press("u", "u")
            await settle(pilot)
            assert gone.quote in list_text(notes_list(app))
            assert {p.annotation.id for p in notes_list(app).shown} == {n.id for n in three}
            assert {n.id for n in store.notes(CORPUS)} == {n.id for n in three}
            await pilot.press("u")
            await settle(pilot)
            assert ("Nothing to undo.", False) in app.notices

    async def test_typing_d_in_the_filter_does_not_delete(
        self, store: Store, three: list[Annotation]
    ) -> None:
        """Letters typed in the filter are filter text, never commands (d, q...)."""
        app = notes_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press(*"dojo")
            await settle(pilot)
            assert len(store.notes(CORPUS)) == 3
            assert app.screen.query_one(Input).value == "dojo"
            await pilot.press("q")
            await settle(pilot)
            assert isinstance(app.screen, NotesScreen)
            assert app.screen.query_one(Input).value == "dojoq"
            await pilot.press("tab", "q")  # from the list, q closes the screen
            await settle(pilot)
            assert app.results == [None]

    async def test_edit_saves_the_new_body(self, store: Store, three: list[Annotation]) -> None:
        """e opens the editor on the note; Ctrl+S saves it to the store and the row."""
        app = notes_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("tab", "j", "j")
            await settle(pilot)
            target = notes_list(app).shown[2].annotation
            await pilot.press("e")
            await settle(pilot)
            editor = app.screen
            assert isinstance(editor, NoteEditor)
            assert editor.query_one(TextArea).text == target.body
            await pilot.press(*" #gpu")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, NotesScreen)
            saved = store.get(target.id)
            assert saved is not None
            assert saved.body == target.body + " #gpu"
            assert "gpu" in saved.tags
            assert saved.body in list_text(notes_list(app))
            current = notes_list(app).highlighted
            assert current is not None and current.annotation.id == target.id
            # The filter sees the new tag at once.
            await pilot.press("slash", *"#gpu")
            await settle(pilot)
            assert shown_quotes(app) == [target.quote]

    async def test_edit_cancelled_changes_nothing(
        self, store: Store, three: list[Annotation]
    ) -> None:
        app = notes_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("tab", "e", *"lost words", "escape", "escape")
            await settle(pilot)
            assert isinstance(app.screen, NotesScreen)
            assert [n.body for n in store.notes(CORPUS)].count(three[0].body) == 1
            assert "lost words" not in list_text(notes_list(app))

    async def test_orphaned_notes_are_shown_as_orphaned(
        self, store: Store, three: list[Annotation]
    ) -> None:
        """A note whose article is gone is listed with its quote and marked ORPHANED."""
        lost = store.add_note(CORPUS, "gone.txt", "A paragraph nobody kept.", 2, 11, "old")
        highlight = store.add_highlight(CORPUS, OTHER, "Memory is scarce.", 0, 6)
        hashes = {ARTICLE: content_hash(TEXT), OTHER: content_hash("Memory is scarce.")}
        items = store.placed_in_corpus(CORPUS, hashes, lambda _: None)
        assert {p.annotation.id: p.anchor.status for p in items}[lost.id] == "orphaned"
        app = Host(lambda: NotesScreen(store, items, TITLES))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press(*"paragraph")
            await settle(pilot)
            text = list_text(notes_list(app))
            assert "⚠ ORPHANED" in text
            assert "gone.txt" in text  # no title known: the article id
            assert "“paragraph”" in text
            await pilot.press("ctrl+u", *"memory")
            await settle(pilot)
            assert [p.annotation.id for p in notes_list(app).shown] == [highlight.id]
            text = list_text(notes_list(app))
            assert "highlight" in text and "ORPHANED" not in text
            await pilot.press("ctrl+u", *"old", "enter")
            await settle(pilot)
        assert app.results == [NotesResult("open", lost.id, "gone.txt", 2, 11, "orphaned")]

    async def test_untrusted_text_is_not_markup(self, store: Store) -> None:
        """Square brackets and escape characters in notes are drawn as they are."""
        note = add(store, "Meta is designing", "[b]not bold[/b] [link=x]y[/link] \x1b]52;c;AA\x07")
        app = notes_app(store)
        async with app.run_test(size=(100, 24)) as pilot:
            await settle(pilot)
            text = list_text(notes_list(app))
            assert "[b]not bold[/b] [link=x]y[/link]" in text
            assert "\x1b" not in text
            assert note.quote in text

    @pytest.mark.parametrize("size", [(80, 24), (60, 20)])
    async def test_many_notes_scroll_and_filter(self, store: Store, size: tuple[int, int]) -> None:
        """Moving past the bottom scrolls; only the matching rows are drawn."""
        for i in range(40):
            add(store, "Nvidia", f"number {i:02} #{'even' if i % 2 == 0 else 'odd'}")
        app = notes_app(store)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("tab", "end")
            await settle(pilot)
            note_list = notes_list(app)
            assert note_list.cursor == 39
            assert note_list.scroll_y > 0
            assert note_list.shown[39].annotation.body in list_text(note_list)


async def test_ten_thousand_notes_load_and_filter(store: Store) -> None:
    """10,000 notes: the screen opens, the filter narrows, the rows drawn match it.

    The notes are made in memory from one real note (10,000 fsynced writes
    would only test the disk); the screen only needs the store to change one.
    """
    phrases = ["data-centre chips", "Dojo supercomputer", "Memphis site", "training chips"]
    bases = [add(store, phrase) for phrase in phrases]
    items: list[Placed] = []
    for i in range(10_000):
        base = bases[i % 4]
        body = f"note {i:05} #t{i % 7}"
        note = replace(base, id=f"n{i:05}", body=body, tags=parse_tags(body))
        items.append(Placed(note, Anchor(base.start, base.end, "anchored")))
    app = Host(lambda: NotesScreen(store, items, TITLES))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        note_list = notes_list(app)
        assert len(note_list.shown) == 10_000
        assert note_list.border_title == "10,000 notes"
        await pilot.press(*"#t3 memphis")
        await settle(pilot)
        expected = [p for i, p in enumerate(items) if i % 7 == 3 and i % 4 == 2]
        assert note_list.shown == expected
        assert note_list.border_title == f"{len(expected):,} of 10,000 notes"
        drawn = list_text(note_list)
        visible = note_list.size.height // NoteList.ROW_LINES
        for placed in expected[:visible]:
            assert placed.annotation.body in drawn
        assert expected[visible].annotation.body not in drawn
        assert "Dojo" not in drawn and "data-centre" not in drawn
        await pilot.press(*["backspace"] * len(" memphis"))
        await settle(pilot)
        assert note_list.shown == [p for i, p in enumerate(items) if i % 7 == 3]
        await pilot.press("tab", "end")
        await settle(pilot)
        assert note_list.shown[-1].annotation.body in list_text(note_list)


class TestNoteEditor:
    """Ctrl+S gives the body, Escape gives None."""

    @pytest.mark.parametrize("size", [(80, 24), (60, 20)])
    async def test_ctrl_s_saves_the_body(self, size: tuple[int, int]) -> None:
        app = Host(lambda: NoteEditor("Dojo supercomputer", "first line"))
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            editor = app.screen
            assert isinstance(editor, NoteEditor)
            area = editor.query_one(TextArea)
            assert app.focused is area
            assert area.region.height >= 3  # room to write, even at 60x20
            assert "Dojo supercomputer" in str(editor.query_one("#note-quote", Static).render())
            await pilot.press("enter", *"second #line")
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert app.results == ["first line\nsecond #line"]

    async def test_ctrl_s_typed_in_a_burst_keeps_every_key_before_it(self) -> None:
        """Over SSH keys arrive together: Ctrl+S must not overtake the text typed before it."""
        app = Host(lambda: NoteEditor("a quote"))
        body = "Keys sent in one burst, as tmux or a slow link delivers them. #burst"
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            for key in [*body, "ctrl+s"]:
                app.post_message(events.Key(key, key if len(key) == 1 else None))
            await settle(pilot)
        assert app.results == [body]

    async def test_escape_asks_before_throwing_writing_away(self) -> None:
        """Escape over writing says the next one throws it away; writing on asks again."""
        app = Host(lambda: NoteEditor("a quote"))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press(*"never saved", "escape")
            await settle(pilot)
            editor = app.screen
            assert isinstance(editor, NoteEditor) and not app.results
            foot = str(editor.query_one("#note-editor-foot", Static).render())
            assert "Escape again throws this writing away" in foot
            await pilot.press("!", "escape")
            await settle(pilot)
            assert app.screen is editor  # typed again: asked again
            await pilot.press("escape")
            await settle(pilot)
        assert app.results == [None]

    async def test_escape_in_the_burst_of_the_writing_warns_too(self) -> None:
        """'abc⎋' at once: the changes come after the Escape and did not undo its warning."""
        app = Host(lambda: NoteEditor("a quote"))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            for key in [*"abc", "escape"]:
                app.post_message(events.Key(key, key if len(key) == 1 else None))
            await settle(pilot)
            editor = app.screen
            assert isinstance(editor, NoteEditor)
            foot = str(editor.query_one("#note-editor-foot", Static).render())
            assert "Escape again throws this writing away" in foot
            await pilot.press("escape")
            await settle(pilot)
        assert app.results == [None]

    @pytest.mark.parametrize("body", ["", "kept as it was"])
    async def test_escape_with_nothing_new_closes_at_once(self, body: str) -> None:
        app = Host(lambda: NoteEditor("a quote", body))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
        assert app.results == [None]

    async def test_long_quote_stays_short(self) -> None:
        """A very long quote is cut: the body keeps its room."""
        app = Host(lambda: NoteEditor("word " * 2000, ""))
        async with app.run_test(size=(60, 20)) as pilot:
            await settle(pilot)
            quote = app.screen.query_one("#note-quote", Static)
            assert quote.region.height <= 3
            assert app.screen.query_one(TextArea).region.height >= 3


class TestBookmarksScreen:
    """Enter opens, d removes, u undoes."""

    @staticmethod
    def bookmarks_app(store: Store) -> Host:
        store.add_bookmark(CORPUS, ARTICLE, 10)
        store.add_bookmark(CORPUS, OTHER, 0)
        texts = {ARTICLE: TEXT}
        return Host(lambda: BookmarksScreen(store, store.bookmarks(CORPUS), TITLES, texts.get))

    @staticmethod
    def rows(app: Host) -> BookmarkList:
        return app.screen.query_one(BookmarkList)

    async def test_lists_titles_and_dates_and_enter_opens(self, store: Store) -> None:
        app = self.bookmarks_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            text = list_text(self.rows(app))
            assert TITLES[ARTICLE] in text and TITLES[OTHER] in text
            marks = store.bookmarks(CORPUS)
            assert f" {when(marks[0].updated)}" in text
            # The words at the bookmark too: a date alone did not say where it is.
            assert f"“{' '.join(TEXT[10:40].split())}" in text
            assert text.index(TITLES[OTHER]) < text.index(TITLES[ARTICLE])  # newest first
            await pilot.press("j", "enter")
            await settle(pilot)
        assert app.results == [ARTICLE]

    async def test_escape_gives_none(self, store: Store) -> None:
        app = self.bookmarks_app(store)
        async with app.run_test(size=(60, 20)) as pilot:
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
        assert app.results == [None]

    async def test_delete_then_undo(self, store: Store) -> None:
        app = self.bookmarks_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("d")
            await settle(pilot)
            text = list_text(self.rows(app))
            assert TITLES[OTHER] not in text and TITLES[ARTICLE] in text
            assert store.bookmarked_articles(CORPUS) == {ARTICLE}
            assert ("Bookmark removed — u to undo", False) in app.notices
            await pilot.press("u")
            await settle(pilot)
            assert TITLES[OTHER] in list_text(self.rows(app))
            assert store.bookmarked_articles(CORPUS) == {ARTICLE, OTHER}
            current = self.rows(app).highlighted
            assert current is not None and current.article == OTHER


def test_the_count_tells_notes_from_highlights(store: Store, three: list[Annotation]) -> None:
    """The list holds both: '4 notes' counted a highlight as a note."""
    store.add_highlight(CORPUS, ARTICLE, TEXT, *span("Memphis"))
    shown = store.notes(CORPUS) + store.highlights(CORPUS)
    assert kinds_label(shown) == "3 notes and 1 highlight"
    assert kinds_label(three[:1]) == "1 note"
    assert kinds_label([]) == "0 notes"
