"""Opening an indexed corpus lists its articles once: on 100,000 articles a listing
is 0.4 s of a thread and 86 MB, and every extra one delayed the check and the memory."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pilots import until_loaded

import tui.library
from tui.app import MarginApp
from tui.index import Index
from tui.library import Library
from tui.paths import corpus_key
from tui.store import FILENAME, Position, Store

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


def _renamed_with_a_position(seeds: Path, tmp_path: Path) -> tuple[Path, Path, str, str]:
    """A corpus indexed by ``margin index``, with a position saved in one article:
    (folder, data dir, that article's id, the id it is renamed to)."""
    root, data = tmp_path / "corpus", tmp_path / "data"
    shutil.copytree(seeds, root)
    _index(root, data)
    old = sorted(p.name for p in root.iterdir())[1]
    with Store.open(data / FILENAME) as store:
        store.set_position(corpus_key(root), old, 500, (root / old).read_text(), caret=600)
    return root, data, old, "renamed_" + old


def _index(root: Path, data: Path) -> None:
    """``margin index`` in another process (another terminal, a second margin window)."""
    command = [sys.executable, "-m", "tui", "--data-dir", str(data), "index", str(root)]
    subprocess.run(command, check=True, capture_output=True)


async def _listed_and_kept(root: Path, data: Path, old: str, new: str) -> None:
    app = MarginApp(root, data_dir=data)
    async with app.run_test(size=SIZE) as pilot:
        app = await until_loaded(pilot)
        ids = {e.id for e in app.sidebar.entries}
        assert new in ids and old not in ids
    with Store.open(data / FILENAME) as store:
        assert store.position(corpus_key(root), new) == Position(500, 600)
        assert store.position(corpus_key(root), old) is None


async def test_a_rename_indexed_elsewhere_as_the_app_opens_is_listed_and_followed(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The app lists the index, then another process indexes a rename before the app's
    # own check, which finds nothing left to do: the listing is stale all the same.
    root, data, old, new = _renamed_with_a_position(seeds, tmp_path)
    check = Library.update_in_child

    def elsewhere_first(library: Library, *args: Any, **kwargs: Any) -> bool:
        (root / old).rename(root / new)
        _index(root, data)
        return check(library, *args, **kwargs)

    monkeypatch.setattr(Library, "update_in_child", elsewhere_first)
    await _listed_and_kept(root, data, old, new)


async def test_a_check_that_cannot_run_apart_still_lists_and_follows_renames(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, data, old, new = _renamed_with_a_position(seeds, tmp_path)
    (root / old).rename(root / new)
    monkeypatch.setattr(tui.library, "refresh_in_child", lambda *args: "the child failed")
    await _listed_and_kept(root, data, old, new)
