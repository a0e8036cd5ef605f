"""The installed ``margin`` in a real terminal (tmux): hostile text never
commands it, and odd terminals (TERM=linux, screen-256color, NO_COLOR, LANG=C)
still render the seeds and quit cleanly.

Each test runs its own tmux server (``-L``), so nothing else is touched.
"""

from __future__ import annotations

import functools
import json
import subprocess
import time
from pathlib import Path

import pytest
from hostile import ATTACK, PROSE
from terminal import MARGIN, Tmux


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
    tmux.keys("space", "space")
    time.sleep(1.0)
    for _ in range(3):
        tmux.keys("]")
        time.sleep(0.5)
        tmux.keys("[")
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
    tmux.keys("j", "Enter", "space")
    time.sleep(0.5)
    assert "Traceback" not in tmux.screen()
    assert tmux.quit() == 0
    assert "Traceback" not in tmux.screen()
