"""A private tmux server with one 80x24 pane running the installed ``margin``.

Tests read the screen as a person over SSH sees it (``capture-pane``). How
margin ended is written by the pane's shell to a file: tmux learns that a
pane died only when it reaps the child, which some CI sandboxes delay
indefinitely, while the shell that ran margin always knows its exit status.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path

MARGIN = Path(sys.executable).with_name("margin")
# tmux is a test dependency (.ci/run installs it); fail loudly rather than pass vacuously.
TMUX = shutil.which("tmux") or "tmux"


class Tmux:
    """One private tmux server (``-L``) with one 80x24 session named ``t``."""

    def __init__(self, tmp_path: Path) -> None:
        assert MARGIN.exists(), "the margin command is not installed in this environment"
        self.socket = f"margin-{uuid.uuid4().hex[:10]}"
        self.tmp_path = tmp_path
        self.status = tmp_path / "margin-exit-status"

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
        """Run ``margin ARGS`` in the pane with its own XDG folders under ``tmp_path``."""
        base = {
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "XDG_DATA_HOME": str(self.tmp_path / "data"),
            "XDG_CACHE_HOME": str(self.tmp_path / "cache"),
            "XDG_CONFIG_HOME": str(self.tmp_path / "config"),
        }
        exports = " ".join(f"{k}={v}" for k, v in {**base, **(env or {})}.items())
        quoted = " ".join(f"'{a}'" for a in args)
        command = f"env -u NO_COLOR {exports} {MARGIN} {quoted}; echo $? > '{self.status}'"
        self("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "80", "-y", "24", "sh")
        self("set-option", "-g", "remain-on-exit", "on")
        self("set-option", "-g", "set-clipboard", "on")  # so an OSC 52 write would land
        self("select-pane", "-t", "t", "-T", "before")
        self("respawn-pane", "-k", "-t", "t", command)

    def keys(self, *keys: str) -> None:
        """Type ``keys`` (tmux key names) into the pane."""
        self("send-keys", "-t", "t", *keys)

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
        """Press q; margin's exit status once it has ended (128 + N if killed by signal N)."""
        self.keys("q")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            written = self.status.read_text() if self.status.exists() else ""
            if written.endswith("\n"):
                stalled = self.tmp_path / "cache" / "margin" / "stalled-quit.txt"
                if stalled.exists():  # ended by the watchdog after 2 s: say where it hung
                    warnings.warn("quit stalled:\n" + stalled.read_text(), stacklevel=2)
                return int(written)
            time.sleep(0.2)
        raise AssertionError("margin did not quit on q; screen was:\n" + self.screen())

    def close(self) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True, check=False)
