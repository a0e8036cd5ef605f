"""SVG snapshots of the main screens at 80x24 (pytest-textual-snapshot)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from pilots import until_loaded
from textual.pilot import Pilot

from tui.app import MarginApp

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _app(tmp_path: Path) -> MarginApp:
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    return MarginApp(corpus, data_dir=tmp_path / "data")


class TestReader:
    """The main screen: sidebar, metadata line, reading pane, footer."""

    def test_first_screen(self, snap_compare: Any, tmp_path: Path) -> None:
        """The seeds opened: newest article shown, list focused."""
        assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=until_loaded)

    def test_second_article_scrolled(self, snap_compare: Any, tmp_path: Path) -> None:
        """The German article opened from the list and paged down once."""

        async def run_before(pilot: Pilot[None]) -> None:
            await until_loaded(pilot)
            await pilot.press("j", "enter", "space")
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
