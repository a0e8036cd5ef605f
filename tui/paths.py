"""Where margin keeps the user's work and its disposable cache.

platformdirs honours XDG_DATA_HOME / XDG_CACHE_HOME on Linux; ``--data-dir``
moves both at once (the cache goes in its ``cache`` subfolder), which is how
tests stay out of the real user directories.
"""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path

import platformdirs

APP = "margin"
UNWRITABLE = (errno.EROFS, errno.EACCES, errno.EPERM)
"""The errors of a folder that may not be written (a read-only disk, someone else's)."""


def data_dir(override: Path | None = None) -> Path:
    """The folder of the user's store (bookmarks, notes, positions)."""
    return override if override is not None else Path(platformdirs.user_data_dir(APP))


def cache_dir(override: Path | None = None) -> Path:
    """The folder of derived, rebuildable data (the index)."""
    if override is not None:
        return override / "cache"
    return Path(platformdirs.user_cache_dir(APP))


def config_dir() -> Path:
    """The folder of the user's settings and gazetteer (read, never rewritten)."""
    return Path(platformdirs.user_config_dir(APP))


def gazetteer_file() -> Path:
    """The user's own names (format: tui/entities/gazetteer.py); may not exist."""
    return config_dir() / "gazetteer.tsv"


def corpus_key(root: Path) -> str:
    """A stable, file-name-safe key for one corpus: its resolved root path."""
    resolved = str(root.resolve())
    return hashlib.blake2b(resolved.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
