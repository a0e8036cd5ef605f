"""The footer says what the keys do where the user is: in each dialog its own keys, not
the reader's under it; and at 40 and 60 columns (a split tmux pane) the keys that lead
everywhere else still in sight."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pilots import until, until_loaded
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

import tui.app
from tui.app import MarginApp
from tui.screens.bookmarks import BookmarksScreen
from tui.screens.correct import CorrectScreen
from tui.screens.help import HelpScreen, KeysFooter
from tui.screens.problems import ProblemsScreen

SIZE = (80, 24)
READER_KEYS = ("Select", "Quit", "Search", "Bookmark")
"""Words of the reader's footer that mean nothing in a dialog."""


def shown(app: MarginApp) -> list[str]:
    """The terminal's lines as the user sees them: the dialog over the screen under it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text().splitlines()


def footer(app: MarginApp) -> str:
    """The bottom line of the terminal: the footer."""
    return shown(app)[-1]


def assert_own_keys(app: MarginApp, *keys: str) -> None:
    line = footer(app)
    for key in keys:
        assert key in line, (key, line)
    for word in READER_KEYS:
        assert word not in line, (word, line)


async def open_german(pilot: Pilot[None]) -> MarginApp:
    app = await until_loaded(pilot)
    await pilot.press("G", "enter")  # the undated German article, which opens with Elon Musk
    await until(pilot, lambda: app.reader.spans_of("entities"))
    return app


@pytest.mark.parametrize("width", [80, 40])
async def test_bookmarks_show_their_own_keys(seeds: Path, tmp_path: Path, width: int) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=(width, 24)) as pilot:
        await until_loaded(pilot)
        await pilot.press("m", "apostrophe")
        assert isinstance(app.screen, BookmarksScreen)
        await pilot.pause()
        assert_own_keys(app, "⏎ Open", "esc Close", "d Remove", "u Undo")


@pytest.mark.parametrize("width", [80, 40])
async def test_correction_shows_its_own_keys_and_tab_to_merge(
    seeds: Path, tmp_path: Path, width: int
) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=(width, 24)) as pilot:
        app = await open_german(pilot)
        await pilot.press("g", "t")  # the caret is on the mention "Elon Musk"
        assert isinstance(app.screen, CorrectScreen)
        await pilot.pause()
        assert_own_keys(app, "⏎ Apply", "tab Merge into", "esc Cancel")
        assert "Open" not in footer(app)  # Enter gives a type, it opens nothing
        await pilot.press("tab")  # to the merge box: Tab now leads back to the types
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "merge"
        assert_own_keys(app, "⏎ Apply", "tab Types", "esc Cancel")
        assert "Merge into" not in footer(app)
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "choices"


@pytest.mark.parametrize("height", [24, 14])
async def test_correction_shows_every_choice_and_the_merge_box(
    seeds: Path, tmp_path: Path, height: int
) -> None:
    """At 24 rows every type and 'Reject' (it was below the list's edge); at 14 fewer of
    them, and the merge box still on screen (it was cut off)."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=(80, height)) as pilot:
        app = await open_german(pilot)
        await pilot.press("g", "t")
        assert isinstance(app.screen, CorrectScreen)
        await pilot.pause()
        text = "\n".join(shown(app))
        assert "Merge into (optional)" in text, text
        if height == 24:
            assert "Misc      this is another kind of name" in text, text
            assert "Reject    not an entity" in text, text


async def test_help_and_problems_show_their_own_keys(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await until_loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        assert_own_keys(app, "esc Close")
        await pilot.press("escape", "p")
        assert isinstance(app.screen, ProblemsScreen)
        await pilot.pause()
        assert_own_keys(app, "esc Close")


async def test_help_at_40_columns_keeps_its_two_columns(seeds: Path, tmp_path: Path) -> None:
    """What a key does is wrapped under itself, beside a key column no wider than its keys:
    at 40 the lines ran on under the keys ('│ article by title')."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=(40, 24)) as pilot:
        await until_loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        lines = [line.strip("│ ") for line in shown(app)]
        assert "^p   Jump to an article by title" in lines, lines
        at = lines.index("^o   Back to the previous")
        assert shown(app)[at + 1].startswith("│        article and place"), shown(app)[at + 1]


@pytest.mark.parametrize("width", [40, 60])
async def test_a_narrow_footer_keeps_quit_help_and_search(
    seeds: Path, tmp_path: Path, width: int
) -> None:
    """Compact under 70 columns: at 40 'f Find' was cut to 'f F', at 60 'a Notes' to 'a N'."""
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=(width, 24)) as pilot:
        app = await open_german(pilot)
        line = footer(app)
        for key in ("q Quit", "? Keys", "/ Search", "f Find"):
            assert key in line, (key, line)
        if width == 60:
            assert "a Notes" in line, line


@pytest.mark.parametrize("width", [40, 60])
async def test_keys_stay_in_sight_with_a_selection(
    seeds: Path, tmp_path: Path, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a selection the reader's keys came first and pushed '? Keys' off a 40-column
    line; KeysFooter pins it right. (Until app.py yields KeysFooter, the test puts it in.)"""
    monkeypatch.setattr(tui.app, "Footer", KeysFooter, raising=False)
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=(width, 24)) as pilot:
        app = await open_german(pilot)
        await pilot.press("g", "v", "e")  # select "Elon"
        assert app.reader.selection is not None
        await pilot.pause()
        line = footer(app)
        assert line.rstrip().endswith("? Keys"), line
        for key in ("v Select", "h Highlight", "n Note"):
            assert key in line, (key, line)
        # Whole keys, in order, and no stub of one cut at the pin ('y Co', '/ Search f').
        keys = [f"{k.key_display} {k.description}" for k in app.screen.query(FooterKey)]
        keys = [k for k in keys if k != "? Keys"]
        left = line.split("▏")[0].strip()
        assert left in {" ".join(keys[:n]) for n in range(len(keys) + 1)}, line
        await pilot.resize_terminal(80, 24)  # wider again: the keys left out come back
        await pilot.pause()
        line = footer(app)
        for key in ("y Copy", "q Quit", "/ Search", "? Keys"):
            assert key in line, (key, line)


@pytest.mark.parametrize("width", [80, 40])
async def test_the_note_editor_shows_its_own_keys(seeds: Path, tmp_path: Path, width: int) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=(width, 24)) as pilot:
        app = await open_german(pilot)
        await pilot.press("g", "w", "v", "e", "n")  # a note on "Musk"
        await until(pilot, lambda: type(app.screen).__name__ == "NoteEditor")
        await pilot.pause()
        assert_own_keys(app, "Save", "Cancel")


@pytest.mark.parametrize("width", [80, 40])
async def test_the_title_jump_shows_its_own_keys(seeds: Path, tmp_path: Path, width: int) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=(width, 24)) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("ctrl+p", *"musk")
        await until(pilot, lambda: "Musk" in "\n".join(shown(app)[3:-3]))
        assert_own_keys(app, "esc Close")
