"""Entities in the reader: drawn by type, listed in the panel, jumped between with keys."""

from __future__ import annotations

from pathlib import Path

from pilots import until, until_loaded
from textual import events
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
        shown = " ".join(
            str(w.render_line(y).text) for w in app.screen.query("RowList") for y in range(12)
        )
        assert "this is an organisation" in shown and "this is a org" not in shown
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


async def until_mentions_stored(pilot: Pilot[None], app: MarginApp, name: str) -> int:
    """Wait for the background entity pass; the number of articles naming ``name``."""
    await until(pilot, lambda: len(app.library.articles_mentioning(name, "PERSON")) > 1, 1000)
    return len(app.library.articles_mentioning(name, "PERSON"))


async def test_enter_on_an_entity_lists_every_article_naming_it(
    seeds: Path, tmp_path: Path
) -> None:
    from tui.screens.mentions import MentionsScreen

    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        naming = await until_mentions_stored(pilot, app, "Elon Musk")
        await pilot.press("G", "enter")  # the German article
        await entities_drawn(pilot, app)
        await pilot.press("E")
        panel = app.query_one(EntityList)
        panel.cursor = next(i for i, r in enumerate(panel.rows) if r.name == "Elon Musk")
        await pilot.press("enter")
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, MentionsScreen)
        shown = "\n".join(screen.query_one("#mentioning").render_line(y).text for y in range(12))
        assert "×" in shown and "Musk" in shown  # counts, and a snippet around the mention
        await pilot.press("s")  # the sidebar keeps only those articles
        await pilot.pause()
        assert app.sidebar.display and len(app.sidebar.entries) == naming
        assert f"({naming} of 5) · Elon Musk" in str(app.sidebar.border_title)
        await pilot.press("escape")
        assert len(app.sidebar.entries) == 5

        # Enter on an article of the list opens it at its first mention.
        await pilot.press("E", "enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, MentionsScreen)
        article_id, _, offset = app.screen.rows[-1]
        await pilot.press("end", "enter")
        await until(pilot, lambda: app.reader.article and app.reader.article.id == article_id)
        assert app.reader.caret == offset
        assert app.reader.article.text[offset:].startswith(("Elon", "Musk"))  # type: ignore[union-attr]


async def test_a_selection_becomes_an_entity_then_merges_into_another(tmp_path: Path) -> None:
    """`v` … `t` on words no rule sees: this is a place; then `t` on it: merge into a name."""
    from tui.screens.correct import CorrectScreen

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "orchard.txt").write_text(
        "Gardening notes\n\nWe walked to the old orchard by the river, and the old orchard "
        "bloomed early this year.\n",
        encoding="utf-8",
    )
    app = MarginApp(corpus, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.press("enter")  # the one article, read from the keyboard
        await until(pilot, lambda: app.reader.article is not None)
        text = app.reader.article.text  # type: ignore[union-attr]
        target = text.index("old orchard")
        await pilot.press("g")
        for _ in range(30):
            if app.reader.caret == target:
                break
            await pilot.press("w")
        assert app.reader.caret == target
        await pilot.press("v", "e", "e", "t")  # select "old orchard", correct it
        assert isinstance(app.screen, CorrectScreen)
        assert app.screen.surface == "old orchard"
        await pilot.press("down", "down", "down", "enter")  # PERSON ORG PRODUCT [PLACE]
        await until(
            pilot,
            lambda: (
                [
                    text[s.start : s.end]
                    for s in app.reader.spans_of("entities") or []
                    if s.kind == "place"
                ]
                == ["old orchard", "old orchard"]
            ),  # every mention of it, at once
        )
        await pilot.press("escape", "t")  # the caret is on the new mention
        assert isinstance(app.screen, CorrectScreen)
        assert app.screen.current == ("PLACE", "old orchard")
        await pilot.press("tab")
        # In one burst with keys after Enter: those are not part of the name.
        for key in [*"Old Orchard", "enter", "j", "j"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await until(
            pilot,
            lambda: {m.name for m in app.mentions if m.type == "PLACE"} == {"Old Orchard"},
        )
        assert app.store is not None
        assert [(c.surface, c.type, c.name) for c in app.store.corrections()][-1] == (
            "old orchard",
            "PLACE",
            "Old Orchard",
        )


async def test_a_merge_into_a_known_entity_takes_its_type(seeds: Path, tmp_path: Path) -> None:
    """Product chosen, merged into an organisation: the organisation's type, said so (it made
    a second entity of the same name, a product)."""
    from tui.screens.correct import CorrectScreen

    app = MarginApp(seeds, data_dir=tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await until(pilot, lambda: bool(app.library.entities("ORG")), tries=1000)
        target = app.library.entities("ORG")[0].name
        await pilot.press("G", "enter")
        await entities_drawn(pilot, app)
        said: list[str] = []
        app.notify = lambda message, **_: said.append(message)  # type: ignore[method-assign]
        await pilot.press("g", "t")  # the caret is on the mention "Elon Musk"
        assert isinstance(app.screen, CorrectScreen)
        await pilot.press("down", "down", "tab", *target, "enter")  # PERSON ORG [PRODUCT]
        await until(pilot, lambda: bool(said))
        assert app.store is not None
        assert [(c.surface, c.type, c.name) for c in app.store.corrections()] == [
            ("Elon Musk", "ORG", target)
        ]
        assert said == [f"Elon Musk: {target}, an organisation as elsewhere, everywhere."]
