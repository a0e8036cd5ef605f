"""Small JSON files in margin's cache folder, for data that is slow to build.

Each file carries a key (package versions, format number); a file with
another key, or one that cannot be read, is rebuilt. Nothing here is the
user's: the folder may be deleted at any time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def _folder() -> Path | None:
    try:
        from tui.paths import cache_dir

        return cache_dir() / "entities"
    except (ImportError, OSError):  # pragma: no cover - the cache is optional
        return None


def load(name: str, key: str) -> Any | None:
    """The payload stored under ``name`` if its key is ``key``, else None."""
    folder = _folder()
    if folder is None:
        return None
    try:
        data = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    return data.get("payload")


def exists(name: str) -> bool:
    """True when a file for ``name`` is in the cache folder."""
    folder = _folder()
    return folder is not None and (folder / f"{name}.json").exists()


def save(name: str, key: str, payload: Any) -> None:
    """Store ``payload`` under ``name`` atomically; failures are ignored."""
    folder = _folder()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{name}.json"
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"key": key, "payload": payload}, ensure_ascii=False), "utf-8")
        tmp.replace(target)
    except OSError:
        pass
