"""The installed ``margin`` in a real terminal (tmux): hostile text never
commands it, and odd terminals (TERM=linux, screen-256color, NO_COLOR, LANG=C)
still render the seeds and quit cleanly.

Each test runs its own tmux server (``-L``), so nothing else is touched.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile import ATTACK, PROSE

MARGIN = Path(sys.executable).with_name("margin")
# tmux is a test dependency (.ci/run installs it); fail loudly rather than pass vacuously.
TMUX = shutil.which("tmux") or "tmux"


class Tmux:
    """One private tmux server with one 80x24 session."""

    def __init__(self, tmp_path: Path) -> None:
        self.socket = f"margin-{uuid.uuid4().hex[:10]}"
        self.tmp_path = tmp_path

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            [TMUX, "-L", self.socket, *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return done.stdout

    def start(self, *args: str, env: dict[str, str] | None = None) -> None:
        base = {
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "XDG_DATA_HOME": str(self.tmp_path / "data"),
            "XDG_CACHE_HOME": str(self.tmp_path / "cache"),
            "XDG_CONFIG_HOME": str(self.tmp_path / "config"),
        }
        exports = " ".join(f"{k}={v}" for k, v in {**base, **(env or {})}.items())
        quoted = " ".join(f"'{a}'" for a in args)
        command = f"env -u NO_COLOR {exports} {MARGIN} {quoted}"
        self("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "80", "-y", "24", "sh")
        self("set-option", "-g", "remain-on-exit", "on")
        self("set-option", "-g", "set-clipboard", "on")  # so an OSC 52 write would land
        self("select-pane", "-t", "t", "-T", "before")
        self("respawn-pane", "-k", "-t", "t", command)

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "t")

    def wait_for(self, needle: str, timeout: float = 40.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if needle in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{needle!r} never appeared; screen was:\n{screen}")

    def quit(self) -> int:
        """Press q; the exit status once the pane is dead."""
        self("send-keys", "-t", "t", "q")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            # tmux marks the pane dead a moment before it records how it died.
            dead = self("display", "-p", "-t", "t", "#{pane_dead}:#{pane_dead_status}")
            flag, _, status = dead.strip().partition(":")
            if flag == "1" and status:
                stalled = self.tmp_path / "cache" / "margin" / "stalled-quit.txt"
                if stalled.exists():  # quit still worked, by the watchdog: show where it hung
                    warnings.warn("quit stalled:\n" + stalled.read_text(), stacklevel=2)
                return int(status)
            signal = self("display", "-p", "-t", "t", "#{pane_dead_signal}").strip()
            if flag == "1" and signal:
                raise AssertionError(f"margin was killed by signal {signal}")
            time.sleep(0.2)
        raise AssertionError("margin did not quit on q; screen was:\n" + self.screen())


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    assert MARGIN.exists(), "the margin command is not installed in this environment"
    server = Tmux(tmp_path)
    yield server
    subprocess.run([TMUX, "-L", server.socket, "kill-server"], capture_output=True, check=False)


def test_article_text_cannot_retitle_clear_or_write_the_clipboard(
    tmux: Tmux, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "attack.txt").write_text(
        "Attack title " + ATTACK + "\n\n" + (PROSE + ATTACK + "\n\n") * 6, encoding="utf-8"
    )
    (corpus / "names-\x1b]2;NAME-PWNED\x07.md").write_text("# Quiet\n\n" + PROSE, encoding="utf-8")
    tmux.start(str(corpus))
    screen = tmux.wait_for("Quit")
    screen = tmux.wait_for("␛]0;PWNED-TITLE-0␇")  # the sequence shown as text
    tmux("send-keys", "-t", "t", "space", "space")
    time.sleep(1.0)
    for _ in range(3):
        tmux("send-keys", "-t", "t", "]")
        time.sleep(0.5)
        tmux("send-keys", "-t", "t", "[")
        time.sleep(0.5)
    screen = tmux.screen()
    title = tmux("display", "-p", "-t", "t", "#{pane_title}")
    assert "PWNED" not in title, title
    assert title.strip() == "before"
    # A clear screen would have wiped the sidebar and the footer.
    assert "Articles (2)" in screen and "Quit" in screen, screen
    assert "\x1b" not in screen
    buffers = tmux("list-buffers", "-F", "#{buffer_sample}")
    assert "cm0g" not in buffers and "rm -rf" not in buffers, buffers
    assert tmux.quit() == 0


@functools.cache
def seed_titles() -> list[str]:
    listed = subprocess.run(
        [str(MARGIN), "list", "--json"], capture_output=True, text=True, timeout=60, check=True
    )
    return [a["title"] for a in json.loads(listed.stdout)["articles"]]


@pytest.mark.parametrize(
    "env",
    [
        {"TERM": "linux"},
        {"TERM": "screen-256color"},
        {"NO_COLOR": "1"},
        {"LANG": "C", "LC_ALL": "C"},
        {"LANG": "C", "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
    ],
    ids=["linux", "screen-256color", "no-color", "lang-c", "lang-c-no-coercion"],
)
def test_odd_terminals_render_the_seeds_and_quit(
    tmux: Tmux, tmp_path: Path, env: dict[str, str]
) -> None:
    tmux.start(env=env)
    tmux.wait_for("Articles (5)")
    screen = tmux.wait_for("Quit")
    for title in seed_titles():
        assert title[:12] in screen, (title, screen)
    tmux("send-keys", "-t", "t", "j", "Enter", "space")
    time.sleep(0.5)
    assert "Traceback" not in tmux.screen()
    assert tmux.quit() == 0
    assert "Traceback" not in tmux.screen()
