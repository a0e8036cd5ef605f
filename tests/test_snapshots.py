"""SVG snapshots of the main screens at 80x24 (pytest-textual-snapshot)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from pilots import until, until_loaded
from textual.pilot import Pilot

from tui.app import MarginApp
from tui.library import Library
from tui.paths import cache_dir

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _app(tmp_path: Path) -> MarginApp:
    """The app on a copy of the seeds whose index and entity pass are complete.

    Without the pass done first, an article would be drawn with the entities
    recognized on the fly or with the linked ones stored by the pass, depending
    on which finished first.
    """
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    data = tmp_path / "data"
    library = Library(corpus, cache_dir(data) / "index")
    assert library.update()
    assert library.update_entities() is not None
    return MarginApp(corpus, data_dir=data)


class TestReader:
    """The main screen: sidebar, metadata line, reading pane, footer."""

    def test_first_screen(self, snap_compare: Any, tmp_path: Path) -> None:
        """The seeds opened: newest article shown, list focused."""
        assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=until_loaded)

    def test_second_article_scrolled(self, snap_compare: Any, tmp_path: Path) -> None:
        """The German article opened from the list and paged down once."""

        async def run_before(pilot: Pilot[None]) -> None:
            app = await until_loaded(pilot)
            second = app.sidebar.entries[1].id
            await pilot.press("j", "enter")
            await until(
                pilot,
                lambda: (
                    app.reader.article is not None
                    and app.reader.article.id == second
                    and app.reader.spans_of("entities") is not None
                    and not app.reader.restoring
                ),
            )
            await pilot.press("space")
            await pilot.pause()

        assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=run_before)

    def test_narrow_terminal(self, snap_compare: Any, tmp_path: Path) -> None:
        """60x20 still reads: a narrower sidebar."""
        assert snap_compare(_app(tmp_path), terminal_size=(60, 20), run_before=until_loaded)

    def test_help_screen(self, snap_compare: Any, tmp_path: Path) -> None:
        """`?` lists every key."""

        async def run_before(pilot: Pilot[None]) -> None:
            await until_loaded(pilot)
            await pilot.press("question_mark")
            await pilot.pause()

        assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=run_before)
