"""The installed `margin` command in tmux at 80x24, read back as a person over SSH sees it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

MARGIN = Path(sys.executable).with_name("margin")
pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def tmux(*args: str) -> str:
    done = subprocess.run(["tmux", *args], capture_output=True, text=True, timeout=30, check=True)
    return done.stdout


@pytest.fixture
def session(tmp_path: Path) -> Iterator[str]:
    name = f"margin-{uuid.uuid4().hex[:8]}"
    yield name
    subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)


def start(session: str, tmp_path: Path, *args: str) -> None:
    env = {
        "TERM": "xterm-256color",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    command = f"env {exports} {MARGIN} {' '.join(args)}"
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
    tmux("set-option", "-t", session, "remain-on-exit", "on")


def wait_for(session: str, needle: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if needle in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared; screen was:\n{screen}")


def test_margin_opens_the_seeds_and_reads_with_keys(session: str, tmp_path: Path) -> None:
    assert MARGIN.exists(), "the margin command is not installed in this environment"
    start(session, tmp_path)
    wait_for(session, "Articles (5)")
    screen = wait_for(session, "Quit")  # the footer
    listed = subprocess.run(
        [str(MARGIN), "list", "--json"], capture_output=True, text=True, timeout=60, check=True
    )
    for article in json.loads(listed.stdout)["articles"]:
        assert article["title"][:20] in screen
    tmux("send-keys", "-t", session, "G", "Enter")  # the last row: the undated German article
    wait_for(session, "Pokerspiel")
    tmux("send-keys", "-t", session, "q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if tmux("display", "-p", "-t", session, "#{pane_dead}").strip() == "1":
            break
        time.sleep(0.2)
    assert tmux("display", "-p", "-t", session, "#{pane_dead}").strip() == "1"
    assert os.path.exists(tmp_path / "data" / "margin" / "margin.sqlite3")
