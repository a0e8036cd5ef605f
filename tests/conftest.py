"""Shared fixtures: every test runs with its own data, cache and config dirs."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from terminal import Tmux

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the session: derived data (the entity gazetteer) is built once."""
    return tmp_path_factory.mktemp("xdg_cache_home")


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _session_cache: Path) -> None:
    """Keep the user's real data, cache and config out of every test.

    Data and config are private to each test; the cache is shared by the
    session (indexes are keyed by each test's own corpus path).
    """
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        folder = tmp_path / "xdg" / name.lower()
        folder.mkdir(parents=True)
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setenv("XDG_CACHE_HOME", str(_session_cache))
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A private copy of the bundled seeds, free to edit."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    """A private tmux server running the installed ``margin`` (see ``terminal.py``)."""
    server = Tmux(tmp_path)
    yield server
    server.close()
