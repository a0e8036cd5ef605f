"""After quit, a stuck thread cannot keep margin alive behind a blank terminal."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path


def test_a_stuck_thread_ends_after_the_grace_with_its_stack_reported(tmp_path: Path) -> None:
    report = tmp_path / "stalled-quit.txt"
    script = textwrap.dedent(
        f"""
        import threading, time
        from pathlib import Path
        from tui.leave import end_soon

        def stuck_in_teardown():
            time.sleep(3600)

        threading.Thread(target=stuck_in_teardown).start()  # not a daemon: exit would wait
        end_soon(lambda: 3, Path({str(report)!r}))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], timeout=60, check=False)
    assert done.returncode == 3
    assert "stuck_in_teardown" in report.read_text()


def test_end_now_keeps_what_was_printed(tmp_path: Path) -> None:
    script = "import sys; from tui.leave import end_now; sys.stdout.write('kept'); end_now(4)"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stdout) == (4, "kept")
