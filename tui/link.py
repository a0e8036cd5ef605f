"""The corpus link in a process of its own: ``python -m tui.link MENTIONS_FILE PID``.

The pass that recognized 100,000 articles leaves its process's heap in
fragments that the link would come on top of; a fresh interpreter holds
little besides the link's own columns and names. It shares the pass's writer
lock (no other pass starts before it is done), and stops before it writes
once the pass (PID) is gone. See ``mentions._link_apart``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    from tui.mentions import _connect, _link

    parent = int(sys.argv[2])  # known before this interpreter was up
    db = _connect(Path(sys.argv[1]))
    try:
        # Orphaned (the pass was killed): stop, and the last link's entities stay.
        _link(db, lambda: os.getppid() != parent)
    finally:
        db.close()


if __name__ == "__main__":
    main()
