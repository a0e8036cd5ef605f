"""Regular-expression pieces shared by the recognizers."""

from __future__ import annotations

import re
from collections.abc import Iterable

_Trie = dict[str, "_Trie"]


def alternation(words: Iterable[str]) -> str:
    """Any of ``words``, the longest first where one begins another, written as a trie.

    "jan(?:uar(?:y)?)?" rather than "january|januar|jan": the engine tries
    the alternatives of a branch one by one, so a flat list of a hundred
    words (months, currencies) costs a hundred tests wherever it is tried.
    Words that match at one place begin one another and so lie on one path
    of the trie, which is tried deepest first: longest first, as before.
    """
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(trie)


def _branches(node: _Trie) -> str:
    parts = [re.escape(char) + _branches(child) for char, child in sorted(node.items()) if char]
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"
    return f"(?:{body})?" if "" in node else body
