"""Opening an indexed corpus lists its articles once: on 100,000 articles a listing
is 0.4 s of a thread and 86 MB, and every extra one delayed the check and the memory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pilots import until_loaded

from tui.app import MarginApp
from tui.index import Index

SIZE = (80, 24)


async def _open(root: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """Open the app until loaded: (articles listed in the sidebar, whole listings read)."""
    listings = 0
    articles = Index.articles

    def counted(index: Index) -> list:  # type: ignore[type-arg]
        nonlocal listings
        listings += 1
        return articles(index)

    monkeypatch.setattr(Index, "articles", counted)
    app = MarginApp(root, data_dir=data)
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        await pilot.pause(0.3)  # anything listed late would be counted too
        shown = len(app.sidebar.entries)
    monkeypatch.setattr(Index, "articles", articles)
    return shown, listings


async def test_an_unchanged_corpus_is_listed_once(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    await _open(seeds, data, monkeypatch)  # builds the index
    assert await _open(seeds, data, monkeypatch) == (5, 1)


async def test_a_file_added_meanwhile_is_listed_after_the_check(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(seeds, root)
    data = tmp_path / "data"
    await _open(root, data, monkeypatch)
    (root / "added.txt").write_text("An added article\n\nIts text, read after the check.\n")
    shown, listings = await _open(root, data, monkeypatch)
    assert (shown, listings) == (6, 2)  # what the index had, then with the new file
