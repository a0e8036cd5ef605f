"""Entities: recognizers -> mentions; the gazetteer; linking across the corpus.

UI-free core: nothing here imports Textual or Rich.

    >>> from tui.entities import recognize
    >>> [(m.type, m.name) for m in recognize("Elon Musk spent $500 million.", "en")]
    [('PERSON', 'Elon Musk'), ('MONEY', '$500 million')]
"""

from __future__ import annotations

from tui.entities.gazetteer import (
    REJECT,
    Entry,
    Gazetteer,
    corrected,
    default_gazetteer,
    parse_user_file,
)
from tui.entities.linking import CorpusLinks, Entity, link_article, link_corpus
from tui.entities.mention import NAME_TYPES, TYPES, Mention
from tui.entities.pipeline import recognize

__all__ = [
    "NAME_TYPES",
    "REJECT",
    "TYPES",
    "CorpusLinks",
    "Entity",
    "Entry",
    "Gazetteer",
    "Mention",
    "corrected",
    "default_gazetteer",
    "link_article",
    "link_corpus",
    "parse_user_file",
    "recognize",
]
