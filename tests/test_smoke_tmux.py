"""The installed `margin` command in tmux at 80x24, read back as a person over SSH sees it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from terminal import MARGIN, Tmux


def test_margin_opens_the_seeds_and_reads_with_keys(tmux: Tmux, tmp_path: Path) -> None:
    tmux.start()
    tmux.wait_for("Articles (5)")
    screen = tmux.wait_for("Quit")  # the footer
    listed = subprocess.run(
        [str(MARGIN), "list", "--json"], capture_output=True, text=True, timeout=60, check=True
    )
    for article in json.loads(listed.stdout)["articles"]:
        assert article["title"][:20] in screen
    tmux.keys("G", "Enter")  # the last row: the undated German article
    tmux.wait_for("Pokerspiel")
    assert tmux.quit() == 0
    assert os.path.exists(tmp_path / "data" / "margin" / "margin.sqlite3")
