"""Given names, from the gender-guesser package's name dictionary (about 45,000).

Only the set of names is used, never the gender: a capitalised run that opens
with a known given name ("Jensen Huang", "Giorgia Meloni") is a person.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from tui.entities import cache as disk


def _dictionary() -> Path | None:
    spec = importlib.util.find_spec("gender_guesser")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "nam_dict.txt"


_DIGITS = frozenset("123456789ABCD")


@cache
def _popularity() -> dict[str, int]:
    path = _dictionary()
    if path is None:
        return {}
    try:
        stamp = f"2:{path.stat().st_size}:{path.stat().st_mtime_ns}"
    except OSError:
        return {}
    cached = disk.load("firstnames", stamp)
    if isinstance(cached, dict):
        return cached
    names = _parse(path)
    disk.save("firstnames", stamp, names)
    return names


def _parse(path: Path) -> dict[str, int]:
    # UTF-8 in the package's releases (an older one was Latin-1): read as Latin-1, every
    # accented name was unknown ('björn', 'josé', 'zoë'), its columns shifted.
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    try:
        lines = data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        lines = data.decode("iso-8859-1").splitlines()
    names: dict[str, int] = {}
    for line in lines:
        # Fixed columns: a gender code, the name in columns 3..29, then one
        # column per country holding how common the name is there (1..D, hex).
        if not line or line[0] in "#=":
            continue
        name = line[3:29].strip()
        if not name or "+" in name or " " in name:
            continue
        top = max(line[30:85], default=" ")  # " " < "1" < "9" < "A" < "D"
        score = int(top, 16) if top in _DIGITS else 1
        lower = name.lower()
        names[lower] = max(score, names.get(lower, 0))
    return names


def first_names() -> frozenset[str]:
    """Lower-cased given names; empty when the package is missing."""
    return frozenset(_popularity())


def is_first_name(lower: str) -> bool:
    """True when ``lower`` (lower case) is a known given name."""
    return lower in _popularity()


def popularities() -> dict[str, int]:
    """Every given name with its ``popularity``: one dict lookup in hot loops."""
    return _popularity()


def popularity(lower: str) -> int:
    """How common a given name is where it is most common: 0 (unknown) to 13."""
    return _popularity().get(lower, 0)
