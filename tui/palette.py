"""Ctrl+P: jump to an article by its title, fzf-style, from the command palette.

Candidates come from ``Library.jump`` (the index first, rapidfuzz after), run
in a thread so typing never waits. Titles are shown as ``Content``: a title
is untrusted text and the palette would parse a plain str as markup.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

if TYPE_CHECKING:
    from tui.app import MarginApp

DISCOVER = 20
"""Titles offered before anything is typed."""


class TitleCommands(Provider):
    """Articles by title."""

    @property
    def margin(self) -> MarginApp:
        from tui.app import MarginApp

        app = self.app
        assert isinstance(app, MarginApp)
        return app

    async def discover(self) -> Hits:
        app = self.margin
        for entry in app.sidebar.entries[:DISCOVER]:
            yield DiscoveryHit(
                Content(entry.title), partial(app.read_article, entry.id), text=entry.title
            )

    async def search(self, query: str) -> Hits:
        app = self.margin
        matches = await asyncio.to_thread(app.library.jump, query)
        for article_id, title, score in matches:
            yield Hit(
                min(max(score / 100, 0.0), 1.0),
                Content(title),
                partial(app.read_article, article_id),
                text=title,
            )
