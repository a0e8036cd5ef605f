"""Entities in the reader: drawn by type, listed in the panel, jumped between with keys."""

from __future__ import annotations

from pathlib import Path

from pilots import until_loaded
from textual.pilot import Pilot

from tui.app import MarginApp
from tui.widgets.entity_list import EntityList

SIZE = (80, 24)


async def entities_drawn(pilot: Pilot[None], app: MarginApp) -> list[tuple[str, str]]:
    for _ in range(300):
        spans = app.reader.spans_of("entities")
        if spans:
            text = app.reader.article.text  # type: ignore[union-attr]
            return [(text[s.start : s.end], s.kind) for s in spans]
        await pilot.pause(0.02)
    raise AssertionError("no entity was drawn")


async def test_entities_are_drawn_and_listed_by_type(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("G", "enter")  # the German article
        await pilot.pause(0.2)
        drawn = await entities_drawn(pilot, app)
        assert ("Elon Musk", "person") in drawn
        await pilot.press("E")
        panel = app.query_one(EntityList)
        assert panel.display and app.focused is panel
        names = [(r.type, r.name) for r in panel.rows]
        assert ("PERSON", "Elon Musk") in names
        types = [r.type for r in panel.rows]
        assert types.index("PERSON") < types.index("MONEY")
        assert "Elon Musk" in "\n".join(panel.render_line(y).text for y in range(10))
        await pilot.press("E")
        assert app.sidebar.display and not panel.display


async def test_parentheses_jump_between_mentions(seeds: Path, tmp_path: Path) -> None:
    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("G", "enter")
        await pilot.pause(0.2)
        await entities_drawn(pilot, app)
        starts = [s.start for s in app.reader.spans_of("entities") or []]
        await pilot.press("g", "right_parenthesis")
        assert app.reader.caret == next(s for s in starts if s > 0)
        await pilot.press("right_parenthesis", "left_parenthesis")
        assert app.reader.caret == next(s for s in starts if s > 0)


async def test_a_correction_made_with_keys_applies_at_once(seeds: Path, tmp_path: Path) -> None:
    from tui.screens.correct import CorrectScreen

    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("G", "enter")  # the German article opens with "Elon Musk"
        await pilot.pause(0.2)
        drawn = await entities_drawn(pilot, app)
        assert ("Elon Musk", "person") in drawn
        await pilot.press("g", "t")  # the caret is on the mention "Elon Musk"
        assert isinstance(app.screen, CorrectScreen)
        assert app.screen.surface == "Elon Musk"
        await pilot.press("end", "enter")  # the last choice: not an entity
        for _ in range(200):
            spans = app.reader.spans_of("entities") or []
            text = app.reader.article.text  # type: ignore[union-attr]
            if spans and all(text[s.start : s.end] != "Elon Musk" for s in spans):
                break
            await pilot.pause(0.02)
        else:
            raise AssertionError("the rejected entity is still drawn")
        assert app.store is not None
        assert [(c.surface, c.type) for c in app.store.corrections()] == [("Elon Musk", "REJECT")]
