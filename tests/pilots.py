"""Helpers for driving the app with Pilot: wait for what a person would wait for."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from tui.app import MarginApp


async def until_loaded(pilot: Pilot[None]) -> MarginApp:
    """Wait until the corpus is read and the first article sits at its position."""
    app = pilot.app
    assert isinstance(app, MarginApp)
    for _ in range(300):
        reader = app.reader
        shown = reader.article is not None and reader.spans_of("entities") is not None
        if app.loaded and (shown or not app.sidebar.entries) and not reader.restoring:
            break
        await pilot.pause(0.02)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    await pilot.pause()
    assert app.loaded
    return app


async def until(pilot: Pilot[None], check: Callable[[], object], tries: int = 200) -> None:
    """Wait (up to ``tries`` short pauses) until ``check()`` is true."""
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.02)
    raise AssertionError("the screen never got there")
